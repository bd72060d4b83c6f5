//! The JSON shapes of the command line's answers, documented in `docs/json.md`.
//!
//! Each view is built from an engine result and a language; none computes anything. Keeping the
//! shapes here, apart from argument parsing and text rendering, lets the HTTP server serialise
//! exactly the same documents.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use stackmatrix_engine::{Explanation, PreparedScenario, RankedTech, Ranking, RankingClaimCheck};
use stackmatrix_model::{Claims, Concept, KnowledgeBase, Lang, CONCEPT_COUNT};

/// Per-concept values as an object keyed by concept key, in concept order (`Theta` for Θ).
#[derive(Debug, Clone, PartialEq)]
pub struct ConceptValues(pub [f64; CONCEPT_COUNT]);

impl Serialize for ConceptValues {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(CONCEPT_COUNT))?;
        for c in Concept::ALL {
            map.serialize_entry(c.key(), &self.0[c.index()])?;
        }
        map.end()
    }
}

/// The scenario as scored.
#[derive(Debug, Serialize)]
pub struct ScenarioView {
    /// Scenario id, `null` for a vector from the command line.
    pub id: Option<String>,
    /// Scenario name in the chosen language, `null` for a vector.
    pub name: Option<String>,
    /// The scene vector as used (sums to 1), scene order dev, ci, prod, edge, serverless, multitenant.
    pub vector: [f64; 6],
    /// What the given vector summed to.
    pub input_sum: f64,
    /// True when the given vector was rescaled to sum 1.
    pub normalised: bool,
    /// Concept weights, concept order I, C, Q, R, M, V, L, S, B, P, T, Theta.
    pub weights: [f64; CONCEPT_COUNT],
    /// `static`, `dynamic` or `blend`.
    pub time: &'static str,
}

impl ScenarioView {
    pub fn new(s: &PreparedScenario, lang: Lang) -> ScenarioView {
        ScenarioView {
            id: s.id.clone(),
            name: s.name().map(|n| n.get(lang).to_string()),
            vector: s.vector,
            input_sum: s.input_sum,
            normalised: s.was_normalised(),
            weights: s.weights,
            time: s.time,
        }
    }
}

/// One line of a ranking.
#[derive(Debug, Serialize)]
pub struct RankEntryView {
    pub rank: usize,
    pub tied: bool,
    pub id: String,
    pub name: String,
    /// The technologies scored: `[id]` for a chain, the members for a stack.
    pub members: Vec<String>,
    pub score: f64,
    pub fit: ConceptValues,
}

impl RankEntryView {
    pub fn new(e: &RankedTech, lang: Lang) -> RankEntryView {
        RankEntryView {
            rank: e.rank,
            tied: e.tied,
            id: e.id.clone(),
            name: e.name.get(lang).to_string(),
            members: e.members.clone(),
            score: e.score,
            fit: ConceptValues(e.fit),
        }
    }
}

/// A claimed ranking line beside the computed one.
#[derive(Debug, Serialize)]
pub struct ClaimLineView {
    pub label: String,
    pub tech: Option<String>,
    pub claimed_rank: Option<u32>,
    pub claimed_score: Option<f64>,
    pub computed_rank: Option<usize>,
    pub computed_score: Option<f64>,
    /// Computed minus claimed score.
    pub difference: Option<f64>,
}

impl ClaimLineView {
    pub fn new(c: &RankingClaimCheck) -> ClaimLineView {
        ClaimLineView {
            label: c.label.clone(),
            tech: c.tech.clone(),
            claimed_rank: c.claimed_rank,
            claimed_score: c.claimed_score,
            computed_rank: c.computed_rank,
            computed_score: c.computed_score,
            difference: c.score_difference(),
        }
    }
}

/// A claimed stack member.
#[derive(Debug, Serialize)]
pub struct StackMemberView {
    pub label: String,
    pub tech: Option<String>,
}

impl StackMemberView {
    pub fn new(m: &stackmatrix_model::StackClaim) -> StackMemberView {
        StackMemberView {
            label: m.label.clone(),
            tech: m.tech.clone(),
        }
    }
}

/// The source document's claims for the scenario.
#[derive(Debug, Serialize)]
pub struct ClaimsView {
    pub source: String,
    pub ranking: Vec<ClaimLineView>,
    pub stack: Vec<StackMemberView>,
}

impl ClaimsView {
    pub fn new(claims: &Claims, checks: &[RankingClaimCheck]) -> ClaimsView {
        ClaimsView {
            source: claims.source.clone(),
            ranking: checks.iter().map(ClaimLineView::new).collect(),
            stack: claims.stack.iter().map(StackMemberView::new).collect(),
        }
    }
}

/// `rank`.
#[derive(Debug, Serialize)]
pub struct RankView {
    pub scenario: ScenarioView,
    pub ranking: Vec<RankEntryView>,
    /// The source document's claims, `null` when the scenario has none.
    pub claims: Option<ClaimsView>,
    /// Present with `--explain`: the explanation of the top-ranked technology.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<ExplainView>,
    /// Present with `--stacks`: the named stacks that cannot be stacks here, with every reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infeasible: Option<Vec<InfeasibleView>>,
}

/// A named stack that cannot be ranked.
#[derive(Debug, Serialize)]
pub struct InfeasibleView {
    pub id: String,
    pub problems: Vec<String>,
}

impl RankView {
    pub fn new(
        ranking: &Ranking,
        claims: Option<(&Claims, Vec<RankingClaimCheck>)>,
        lang: Lang,
    ) -> RankView {
        RankView {
            scenario: ScenarioView::new(&ranking.scenario, lang),
            ranking: ranking
                .entries
                .iter()
                .map(|e| RankEntryView::new(e, lang))
                .collect(),
            claims: claims.map(|(c, checks)| ClaimsView::new(c, &checks)),
            explanation: None,
            infeasible: None,
        }
    }
}

/// One concept of an explanation.
#[derive(Debug, Serialize)]
pub struct ConceptShareView {
    pub concept: &'static str,
    pub name: String,
    pub fit: f64,
    pub weight: f64,
    pub contribution: f64,
    pub alternative_fit: Option<f64>,
    pub score_delta: Option<f64>,
}

/// A technology's place, as named in an explanation.
#[derive(Debug, Serialize)]
pub struct PlaceView {
    pub id: String,
    pub name: String,
    pub rank: usize,
    pub tied: bool,
    pub score: f64,
}

impl PlaceView {
    fn new(e: &RankedTech, lang: Lang) -> PlaceView {
        PlaceView {
            id: e.id.clone(),
            name: e.name.get(lang).to_string(),
            rank: e.rank,
            tied: e.tied,
            score: e.score,
        }
    }
}

/// `explain`.
#[derive(Debug, Serialize)]
pub struct ExplainView {
    pub scenario: ScenarioView,
    pub tech: PlaceView,
    /// How many technologies were ranked.
    pub of: usize,
    pub alternative: Option<PlaceView>,
    pub concepts: Vec<ConceptShareView>,
    /// Concept keys where the technology leads the alternative, largest difference first.
    pub leads: Vec<&'static str>,
    /// Concept keys where it trails, largest difference first.
    pub trails: Vec<&'static str>,
}

impl ExplainView {
    pub fn new(ranking: &Ranking, x: &Explanation, kb: &KnowledgeBase, lang: Lang) -> ExplainView {
        ExplainView {
            scenario: ScenarioView::new(&ranking.scenario, lang),
            tech: PlaceView::new(x.entry, lang),
            of: ranking.entries.len(),
            alternative: x.alternative.map(|a| PlaceView::new(a, lang)),
            concepts: x
                .concepts
                .iter()
                .map(|c| ConceptShareView {
                    concept: c.concept.key(),
                    name: kb.concept_names(c.concept).get(lang).to_string(),
                    fit: c.fit,
                    weight: c.weight,
                    contribution: c.contribution,
                    alternative_fit: c.alternative_fit,
                    score_delta: c.score_delta,
                })
                .collect(),
            leads: x.leads.iter().map(|c| c.key()).collect(),
            trails: x.trails.iter().map(|c| c.key()).collect(),
        }
    }
}

/// A scored stack.
#[derive(Debug, Serialize)]
pub struct StackView {
    /// Member ids joined by `+`.
    pub id: String,
    pub members: Vec<String>,
    pub score: f64,
    pub fit: ConceptValues,
    /// Memory per node, MB; members of unknown memory count 0 and are listed in `memory_unknown`.
    pub memory_mb: f64,
    pub memory_unknown: Vec<String>,
}

impl StackView {
    pub fn new(s: &stackmatrix_engine::ScoredStack) -> StackView {
        StackView {
            id: s.id(),
            members: s.members.clone(),
            score: s.score,
            fit: ConceptValues(s.fit),
            memory_mb: s.memory_mb,
            memory_unknown: s.memory_unknown.clone(),
        }
    }
}

/// How much the exact search did.
#[derive(Debug, Serialize)]
pub struct SearchView {
    /// Always true: the search is exact (branch and bound with a proven bound).
    pub optimal: bool,
    pub candidates: usize,
    pub nodes: u64,
    pub pruned: u64,
    pub feasible: u64,
}

impl SearchView {
    pub fn new(s: &stackmatrix_engine::SearchStats) -> SearchView {
        SearchView {
            optimal: true,
            candidates: s.candidates,
            nodes: s.nodes,
            pruned: s.pruned,
            feasible: s.feasible,
        }
    }
}

/// What a member adds to the recommended stack.
#[derive(Debug, Serialize)]
pub struct GainView {
    pub id: String,
    /// Score lost without the member; `null` when the rest cannot be scored.
    pub total: Option<f64>,
    pub per_concept: Option<ConceptValues>,
    /// Rules the stack would break without it.
    pub needed_for: Vec<String>,
}

/// A constraint and what it costs.
#[derive(Debug, Serialize)]
pub struct ConstraintView {
    /// `max-size 4`, `budget-mb 512`, `require gpu`, `include k3s`, `exclude k8s`.
    pub constraint: String,
    pub binds: bool,
    /// The best stack with the constraint relaxed.
    pub relaxed_best: Option<StackView>,
}

/// The constraints a recommendation ran under.
#[derive(Debug, Serialize)]
pub struct ConstraintsView {
    pub max_size: usize,
    pub budget_mb: Option<f64>,
    pub require: Vec<String>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub alternatives: usize,
}

/// The source document's stack for the scenario, scored by the model.
#[derive(Debug, Serialize)]
pub struct ClaimedStackView {
    pub source: String,
    pub members: Vec<StackMemberView>,
    /// Labels the knowledge base does not hold.
    pub not_in_knowledge_base: Vec<String>,
    /// Score of the members the knowledge base holds, when they form a stack.
    pub score: Option<f64>,
    /// Why they do not form a stack here, when they do not.
    pub problems: Vec<String>,
    /// Recommended score minus the claimed stack's score.
    pub difference: Option<f64>,
    /// True when the recommended stack has exactly the claimed members.
    pub same_as_recommended: bool,
}

/// One environment of a scenario that spans environments.
#[derive(Debug, Serialize)]
pub struct EnvironmentView {
    pub scene: &'static str,
    pub weight: f64,
    pub stack: Option<StackView>,
    /// The environment's best sub-stack with the shared layers added, scored in its scene.
    pub score_with_shared: Option<f64>,
    pub alternatives: Vec<StackView>,
    pub search: SearchView,
}

/// The shared layers of a scenario that spans environments.
#[derive(Debug, Serialize)]
pub struct SharedView {
    pub members: Vec<String>,
    pub required: Vec<String>,
    pub compared: usize,
}

/// `recommend`.
#[derive(Debug, Serialize)]
pub struct RecommendView {
    pub scenario: ScenarioView,
    pub constraints: ConstraintsView,
    /// The best stack, `null` when no stack meets the constraints. For a scenario that spans
    /// environments: every environment's sub-stack plus the shared layers, with the weighted score.
    pub stack: Option<StackView>,
    pub search: Option<SearchView>,
    /// The next best stacks, best first.
    pub alternatives: Vec<StackView>,
    pub gains: Vec<GainView>,
    pub constraint_effects: Vec<ConstraintView>,
    pub claims: Option<ClaimedStackView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environments: Option<Vec<EnvironmentView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared: Option<SharedView>,
    pub notes: Vec<String>,
}

/// A maturity claim checked.
#[derive(Debug, Serialize)]
pub struct MaturityCheckView {
    pub concept: &'static str,
    pub claimed: f64,
    /// The model's fit of the case's stack for the concept in the case's scenario.
    pub model: Option<f64>,
    /// `agrees` (within 0.05), `model lower`, `model higher`, `no data`.
    pub verdict: &'static str,
    pub note: String,
}

/// A performance claim checked.
#[derive(Debug, Serialize)]
pub struct IndicatorCheckView {
    pub name: String,
    pub claim: String,
    pub comparator: &'static str,
    pub value: f64,
    pub unit: String,
    pub metric: Option<String>,
    pub baseline: Option<String>,
    /// The stack's knowledge-base figure for the metric.
    pub figure: Option<f64>,
    pub rests_on: Vec<FigureUseView>,
    pub unknown: Vec<String>,
    /// `supported`, `contradicted`, `no data`.
    pub verdict: &'static str,
    pub reason: String,
}

/// A knowledge-base figure a check rests on.
#[derive(Debug, Serialize)]
pub struct FigureUseView {
    pub tech: String,
    pub value: f64,
    pub source: String,
}

/// An environment of a case.
#[derive(Debug, Serialize)]
pub struct CaseEnvironmentView {
    pub scene: &'static str,
    pub members: Vec<String>,
    pub score: Option<f64>,
    pub problems: Vec<String>,
}

/// `cases validate`: one case.
#[derive(Debug, Serialize)]
pub struct CaseReportView {
    pub case: String,
    pub name: String,
    pub scenario: String,
    pub members: Vec<String>,
    pub not_in_knowledge_base: Vec<String>,
    pub problems: Vec<String>,
    pub score: Option<f64>,
    pub environments: Vec<CaseEnvironmentView>,
    /// Scenes the scenario weighs where the case deploys nothing of its own.
    pub uncovered_scenes: Vec<&'static str>,
    pub maturity: Vec<MaturityCheckView>,
    pub indicators: Vec<IndicatorCheckView>,
}

impl CaseReportView {
    pub fn new(r: &stackmatrix_engine::CaseReport, kb: &KnowledgeBase, lang: Lang) -> Self {
        CaseReportView {
            case: r.case.clone(),
            name: kb
                .case(&r.case)
                .map(|c| c.name.get(lang).to_string())
                .unwrap_or_default(),
            scenario: r.scenario.clone(),
            members: r.members.clone(),
            not_in_knowledge_base: r.not_in_knowledge_base.clone(),
            problems: r.problems.iter().map(|p| p.to_string()).collect(),
            score: r.score,
            environments: r
                .environments
                .iter()
                .map(|e| CaseEnvironmentView {
                    scene: e.scene.key(),
                    members: e.members.clone(),
                    score: e.score,
                    problems: e.problems.iter().map(|p| p.to_string()).collect(),
                })
                .collect(),
            uncovered_scenes: r.uncovered_scenes.iter().map(|s| s.key()).collect(),
            maturity: r
                .maturity
                .iter()
                .map(|m| MaturityCheckView {
                    concept: m.claim.concept.key(),
                    claimed: m.claim.value,
                    model: m.model,
                    verdict: m.verdict.key(),
                    note: m.claim.note.get(lang).to_string(),
                })
                .collect(),
            indicators: r
                .indicators
                .iter()
                .map(|i| IndicatorCheckView {
                    name: i.indicator.name.get(lang).to_string(),
                    claim: i.indicator.claim.clone(),
                    comparator: i.indicator.comparator.symbol(),
                    value: i.indicator.value,
                    unit: i.indicator.unit.clone(),
                    metric: i.indicator.metric.clone(),
                    baseline: i.indicator.baseline.clone(),
                    figure: i.figure,
                    rests_on: i
                        .rests_on
                        .iter()
                        .map(|u| FigureUseView {
                            tech: u.tech.clone(),
                            value: u.value,
                            source: u.source.clone(),
                        })
                        .collect(),
                    unknown: i.unknown.clone(),
                    verdict: i.verdict.key(),
                    reason: i.reason.clone(),
                })
                .collect(),
        }
    }
}

/// The documented stack beside the recommended one.
#[derive(Debug, Serialize)]
pub struct StackAuditView {
    pub claimed_labels: Vec<String>,
    pub claimed_members: Vec<String>,
    pub not_in_knowledge_base: Vec<String>,
    pub claimed_score: Option<f64>,
    pub claimed_problems: Vec<String>,
    pub recommended_members: Vec<String>,
    pub recommended_score: Option<f64>,
    /// |claimed ∩ recommended| / |claimed ∪ recommended| over knowledge-base ids.
    pub jaccard: f64,
}

/// One scenario of the audit.
#[derive(Debug, Serialize)]
pub struct ScenarioAuditView {
    pub scenario: String,
    pub source: String,
    pub ranking: Vec<ClaimLineView>,
    pub kendall_tau: Option<f64>,
    pub compared: usize,
    pub top1_agrees: Option<bool>,
    pub largest_gap: Option<GapView>,
    pub stack: Option<StackAuditView>,
    /// One line in words.
    pub summary: String,
}

/// The largest score gap of a scenario.
#[derive(Debug, Serialize)]
pub struct GapView {
    pub label: String,
    /// Computed minus documented.
    pub difference: f64,
}

/// `audit`.
#[derive(Debug, Serialize)]
pub struct AuditView {
    pub scenarios: Vec<ScenarioAuditView>,
    pub cases: Vec<CaseReportView>,
    /// Counts of verdicts over every case.
    pub verdicts: VerdictCounts,
    pub summary: String,
}

/// Counts of verdicts.
#[derive(Debug, Serialize, Default)]
pub struct VerdictCounts {
    pub maturity_agrees: usize,
    pub maturity_model_lower: usize,
    pub maturity_model_higher: usize,
    pub maturity_no_data: usize,
    pub indicators_supported: usize,
    pub indicators_contradicted: usize,
    pub indicators_no_data: usize,
}
