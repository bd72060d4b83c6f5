//! The JSON shapes of the answers, documented in `docs/json.md`.
//!
//! Each view is built from an engine result and a language; none computes anything. The command
//! line prints them with `-o json` and renders its tables from them; the HTTP server serialises
//! exactly the same documents. Field names are stable: fields may be added, never renamed.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use stackmatrix_engine::{Explanation, PreparedScenario, RankedTech, Ranking, RankingClaimCheck};
use stackmatrix_model::{Claims, Concept, KnowledgeBase, Lang, CONCEPT_COUNT, SCENE_COUNT};

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
#[derive(Debug, Serialize, schemars::JsonSchema)]
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
    /// Θ = diag(θ) as scored, concept order; present only when it is not all ones (a learned
    /// `tables/theta.toml`), and then every score is `10 · Σ w_c θ_c f_c / Σ w_c`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theta: Option<[f64; CONCEPT_COUNT]>,
    /// With `theta`: a note in the chosen language that scores use the learned Θ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theta_note: Option<String>,
}

impl ScenarioView {
    /// The view of a prepared scenario.
    pub fn new(s: &PreparedScenario, lang: Lang) -> ScenarioView {
        ScenarioView {
            id: s.id.clone(),
            name: s.name().map(|n| n.get(lang).to_string()),
            vector: s.vector,
            input_sum: s.input_sum,
            normalised: s.was_normalised(),
            weights: s.weights,
            time: s.time,
            theta: s.theta_applied().then_some(s.theta),
            theta_note: s.theta_applied().then(|| {
                match lang {
                    Lang::En => "scores use learned Θ from tables/theta.toml",
                    Lang::Zh => "得分使用 tables/theta.toml 中学得的 Θ",
                }
                .to_string()
            }),
        }
    }
}

/// One line of a ranking.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RankEntryView {
    /// Competition rank: ties share it (1, 2, 2, 4).
    pub rank: usize,
    /// True when another entry shares the rank.
    pub tied: bool,
    /// The technology id, or the stack's members joined by `+`.
    pub id: String,
    /// Name in the chosen language (a stack's member names joined by ` + `).
    pub name: String,
    /// The technologies scored: `[id]` for a chain, the members for a stack.
    pub members: Vec<String>,
    /// 0 to 10: `10 · Σ w_c fit_c / Σ w_c`.
    pub score: f64,
    /// Fit per concept (`s · Aᵀ`), each in [0, 1].
    pub fit: ConceptValues,
}

impl RankEntryView {
    /// The view of a ranking entry.
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
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ClaimLineView {
    /// The name as the document writes it.
    pub label: String,
    /// The knowledge-base id, `null` when the knowledge base does not hold it.
    pub tech: Option<String>,
    /// The rank the document claims.
    pub claimed_rank: Option<u32>,
    /// The score the document claims.
    pub claimed_score: Option<f64>,
    /// The computed rank, `null` when not ranked.
    pub computed_rank: Option<usize>,
    /// The computed score, `null` when not ranked.
    pub computed_score: Option<f64>,
    /// Computed minus claimed score.
    pub difference: Option<f64>,
}

impl ClaimLineView {
    /// The view of a checked ranking claim.
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
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct StackMemberView {
    /// The name as the document writes it.
    pub label: String,
    /// The knowledge-base id, `null` when the knowledge base does not hold it.
    pub tech: Option<String>,
}

impl StackMemberView {
    /// The view of a claimed stack member.
    pub fn new(m: &stackmatrix_model::StackClaim) -> StackMemberView {
        StackMemberView {
            label: m.label.clone(),
            tech: m.tech.clone(),
        }
    }
}

/// The source document's claims for the scenario.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ClaimsView {
    /// Where the claims come from.
    pub source: String,
    /// The claimed ranking beside the computed one.
    pub ranking: Vec<ClaimLineView>,
    /// The claimed stack.
    pub stack: Vec<StackMemberView>,
}

impl ClaimsView {
    /// The view of a scenario's claims and their checks.
    pub fn new(claims: &Claims, checks: &[RankingClaimCheck]) -> ClaimsView {
        ClaimsView {
            source: claims.source.clone(),
            ranking: checks.iter().map(ClaimLineView::new).collect(),
            stack: claims.stack.iter().map(StackMemberView::new).collect(),
        }
    }
}

/// `rank`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RankView {
    /// The scenario as scored.
    pub scenario: ScenarioView,
    /// Ordered by rank; ties ordered by id.
    pub ranking: Vec<RankEntryView>,
    /// The source document's claims, `null` when the scenario has none.
    pub claims: Option<ClaimsView>,
    /// Present with `explain`: the explanation of the top-ranked technology.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<ExplainView>,
    /// Present with `stacks`: the named stacks that cannot be stacks here, with every reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infeasible: Option<Vec<InfeasibleView>>,
}

/// A named stack that cannot be ranked.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct InfeasibleView {
    /// The stack as named.
    pub id: String,
    /// Every rule it breaks.
    pub problems: Vec<String>,
}

impl RankView {
    /// The view of a ranking and, for a scenario with claims, the claims checked against it;
    /// `explanation` and `infeasible` are left out.
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
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ConceptShareView {
    /// The concept key.
    pub concept: &'static str,
    /// The concept's name in the chosen language.
    pub name: String,
    /// The technology's fit for the concept.
    pub fit: f64,
    /// The concept's weight.
    pub weight: f64,
    /// `10 · w_c · fit_c / Σ w`; they sum to the score.
    pub contribution: f64,
    /// The alternative's fit, `null` when nothing else was ranked.
    pub alternative_fit: Option<f64>,
    /// Contribution minus the alternative's; they sum to the score gap.
    pub score_delta: Option<f64>,
}

/// A technology's place, as named in an explanation.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PlaceView {
    /// The technology id.
    pub id: String,
    /// Its name in the chosen language.
    pub name: String,
    /// Its rank.
    pub rank: usize,
    /// True when another technology shares the rank.
    pub tied: bool,
    /// Its score.
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
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ExplainView {
    /// The scenario as scored.
    pub scenario: ScenarioView,
    /// The technology explained.
    pub tech: PlaceView,
    /// How many technologies were ranked.
    pub of: usize,
    /// The top-ranked other technology: the runner-up when the explained one is first.
    pub alternative: Option<PlaceView>,
    /// One per concept, in concept order.
    pub concepts: Vec<ConceptShareView>,
    /// Concept keys where the technology leads the alternative, largest difference first.
    pub leads: Vec<&'static str>,
    /// Concept keys where it trails, largest difference first.
    pub trails: Vec<&'static str>,
}

impl ExplainView {
    /// The view of an explanation within its ranking.
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
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct StackView {
    /// Member ids joined by `+`.
    pub id: String,
    /// Member ids.
    pub members: Vec<String>,
    /// The stack's score.
    pub score: f64,
    /// The stack's fit per concept.
    pub fit: ConceptValues,
    /// Memory per node, MB; members of unknown memory count 0 and are listed in `memory_unknown`.
    pub memory_mb: f64,
    /// Members whose memory is unknown.
    pub memory_unknown: Vec<String>,
}

impl StackView {
    /// The view of a scored stack.
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
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct SearchView {
    /// Always true: the search is exact (branch and bound with a proven bound).
    pub optimal: bool,
    /// Technologies the search considered.
    pub candidates: usize,
    /// Partial stacks visited.
    pub nodes: u64,
    /// Branches cut by the bound.
    pub pruned: u64,
    /// Feasible stacks scored.
    pub feasible: u64,
}

impl SearchView {
    /// The view of the search's statistics.
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
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct GainView {
    /// The member.
    pub id: String,
    /// Score lost without the member; `null` when the rest cannot be scored.
    pub total: Option<f64>,
    /// The score lost without it, per concept.
    pub per_concept: Option<ConceptValues>,
    /// Rules the stack would break without it.
    pub needed_for: Vec<String>,
}

/// A constraint and what it costs.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ConstraintView {
    /// `max-size 4`, `budget-mb 512`, `require gpu`, `include k3s`, `exclude k8s`.
    pub constraint: String,
    /// True when relaxing the constraint would give a better stack.
    pub binds: bool,
    /// The best stack with the constraint relaxed.
    pub relaxed_best: Option<StackView>,
}

/// The constraints a recommendation ran under.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ConstraintsView {
    /// Most members a stack may have.
    pub max_size: usize,
    /// Memory per node the stack may use, in MB.
    pub budget_mb: Option<f64>,
    /// Capabilities the stack must bring (the scenario's and the request's).
    pub require: Vec<String>,
    /// Technologies the stack must contain.
    pub include: Vec<String>,
    /// Technologies the stack may not contain.
    pub exclude: Vec<String>,
    /// How many stacks were asked for.
    pub alternatives: usize,
}

/// The source document's stack for the scenario, scored by the model.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ClaimedStackView {
    /// Where the claim comes from.
    pub source: String,
    /// The claimed members.
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
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct EnvironmentView {
    /// The scene key.
    pub scene: &'static str,
    /// The scene's weight in the scenario.
    pub weight: f64,
    /// The environment's best sub-stack, `null` when none meets the constraints.
    pub stack: Option<StackView>,
    /// The environment's best sub-stack with the shared layers added, scored in its scene.
    pub score_with_shared: Option<f64>,
    /// The environment's next best sub-stacks.
    pub alternatives: Vec<StackView>,
    /// How much the environment's search did.
    pub search: SearchView,
}

/// The shared layers of a scenario that spans environments.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct SharedView {
    /// The shared members.
    pub members: Vec<String>,
    /// The capabilities they bring.
    pub required: Vec<String>,
    /// How many sets were compared.
    pub compared: usize,
}

/// `recommend`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RecommendView {
    /// The scenario as scored.
    pub scenario: ScenarioView,
    /// The constraints the search ran under.
    pub constraints: ConstraintsView,
    /// The best stack, `null` when no stack meets the constraints. For a scenario that spans
    /// environments: every environment's sub-stack plus the shared layers, with the weighted score.
    pub stack: Option<StackView>,
    /// How much the search did, `null` for a scenario that spans environments.
    pub search: Option<SearchView>,
    /// The next best stacks, best first.
    pub alternatives: Vec<StackView>,
    /// What each member of the best stack adds.
    pub gains: Vec<GainView>,
    /// What each constraint costs.
    pub constraint_effects: Vec<ConstraintView>,
    /// The source document's stack scored by the model, `null` when it claims none.
    pub claims: Option<ClaimedStackView>,
    /// Present for a scenario that spans environments: one per weighted scene.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environments: Option<Vec<EnvironmentView>>,
    /// Present for a scenario that spans environments with shared layers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared: Option<SharedView>,
    /// Ids of the alternatives that score the same as the best stack (within 1e-9); the best
    /// is first among them only by the documented order (fewer members, less memory, ids).
    pub tied_with_best: Vec<String>,
    /// Remarks in words.
    pub notes: Vec<String>,
    /// Present with `min_cost`: the cost-constrained answer (`stack` is then the cheapest stack
    /// whose score reaches the threshold).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_cost: Option<crate::recommend_cost::MinCostView>,
}

/// A maturity claim checked.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MaturityCheckView {
    /// The concept key.
    pub concept: &'static str,
    /// The value the case claims.
    pub claimed: f64,
    /// The model's fit of the case's stack for the concept in the case's scenario.
    pub model: Option<f64>,
    /// `agrees` (within 0.05), `model lower`, `model higher`, `no data`.
    pub verdict: &'static str,
    /// The document's reason, in the chosen language.
    pub note: String,
}

/// A performance claim checked.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct IndicatorCheckView {
    /// The indicator's name in the chosen language.
    pub name: String,
    /// The claim as the document writes it.
    pub claim: String,
    /// `<`, `<=`, `=`, `>=` or `>`.
    pub comparator: &'static str,
    /// The claimed value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// The footprint metric the claim is about, when the knowledge base has one.
    pub metric: Option<String>,
    /// What the claim compares with, when it compares.
    pub baseline: Option<String>,
    /// The stack's knowledge-base figure for the metric.
    pub figure: Option<f64>,
    /// The member figures the stack's figure rests on.
    pub rests_on: Vec<FigureUseView>,
    /// Members whose figure is unknown.
    pub unknown: Vec<String>,
    /// `supported`, `contradicted`, `no data`.
    pub verdict: &'static str,
    /// Why, in words.
    pub reason: String,
}

/// A knowledge-base figure a check rests on.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct FigureUseView {
    /// The member.
    pub tech: String,
    /// Its figure.
    pub value: f64,
    /// Where the figure comes from.
    pub source: String,
}

/// An environment of a case.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CaseEnvironmentView {
    /// The scene key.
    pub scene: &'static str,
    /// The members deployed there.
    pub members: Vec<String>,
    /// Their score in the scene, `null` when they cannot be scored.
    pub score: Option<f64>,
    /// The rules they break there.
    pub problems: Vec<String>,
}

/// `cases validate`: one case.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CaseReportView {
    /// The case id.
    pub case: String,
    /// The case's name in the chosen language.
    pub name: String,
    /// The scenario the case is checked in.
    pub scenario: String,
    /// The knowledge-base ids of its stack.
    pub members: Vec<String>,
    /// Labels of its stack the knowledge base does not hold.
    pub not_in_knowledge_base: Vec<String>,
    /// Rules the stack breaks.
    pub problems: Vec<String>,
    /// The stack's score, `null` when it cannot be scored.
    pub score: Option<f64>,
    /// The case's environments, for a scenario that spans environments.
    pub environments: Vec<CaseEnvironmentView>,
    /// Scenes the scenario weighs where the case deploys nothing of its own.
    pub uncovered_scenes: Vec<&'static str>,
    /// The maturity claims checked.
    pub maturity: Vec<MaturityCheckView>,
    /// The performance claims checked.
    pub indicators: Vec<IndicatorCheckView>,
}

impl CaseReportView {
    /// The view of a case's report.
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
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct StackAuditView {
    /// The documented stack as the document writes it.
    pub claimed_labels: Vec<String>,
    /// Its members the knowledge base holds.
    pub claimed_members: Vec<String>,
    /// Its labels the knowledge base does not hold.
    pub not_in_knowledge_base: Vec<String>,
    /// Its score, when its members form a stack.
    pub claimed_score: Option<f64>,
    /// Why its members do not form a stack, when they do not.
    pub claimed_problems: Vec<String>,
    /// The recommended stack.
    pub recommended_members: Vec<String>,
    /// Its score.
    pub recommended_score: Option<f64>,
    /// |claimed ∩ recommended| / |claimed ∪ recommended| over knowledge-base ids.
    pub jaccard: f64,
}

/// One scenario of the audit.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ScenarioAuditView {
    /// The scenario id.
    pub scenario: String,
    /// Where its claims come from.
    pub source: String,
    /// The documented ranking beside the computed one.
    pub ranking: Vec<ClaimLineView>,
    /// Kendall's tau-b between documented and computed ranks, when there is enough to compare.
    pub kendall_tau: Option<f64>,
    /// How many lines were compared.
    pub compared: usize,
    /// Whether the documented and computed first places agree, `null` when there is no
    /// documented ranking to compare.
    pub top1_agrees: Option<bool>,
    /// The largest difference between a computed and a documented score.
    pub largest_gap: Option<GapView>,
    /// The documented stack beside the recommended one.
    pub stack: Option<StackAuditView>,
    /// One line in words.
    pub summary: String,
}

/// The largest score gap of a scenario.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct GapView {
    /// The line, as the document writes it.
    pub label: String,
    /// Computed minus documented.
    pub difference: f64,
}

/// `audit`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct AuditView {
    /// Every scenario with documented claims.
    pub scenarios: Vec<ScenarioAuditView>,
    /// Every practice case checked.
    pub cases: Vec<CaseReportView>,
    /// Counts of verdicts over every case.
    pub verdicts: VerdictCounts,
    /// One paragraph in words.
    pub summary: String,
}

/// Counts of verdicts.
#[derive(Debug, Serialize, Default, schemars::JsonSchema)]
pub struct VerdictCounts {
    /// Maturity claims the model agrees with.
    pub maturity_agrees: usize,
    /// Maturity claims above the model.
    pub maturity_model_lower: usize,
    /// Maturity claims below the model.
    pub maturity_model_higher: usize,
    /// Maturity claims the model has no data for.
    pub maturity_no_data: usize,
    /// Performance claims the knowledge base supports.
    pub indicators_supported: usize,
    /// Performance claims it contradicts.
    pub indicators_contradicted: usize,
    /// Performance claims it has no figure for.
    pub indicators_no_data: usize,
}

/// `list techs`: one technology.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct TechView {
    /// The technology id.
    pub id: String,
    /// `chain` or `addon`.
    pub kind: &'static str,
    /// Its name in the chosen language.
    pub name: String,
    /// What it does in a stack (`runtime`, `mesh`, ...).
    pub roles: Vec<String>,
    /// The version the matrix describes, when known.
    pub version: Option<String>,
    /// Capabilities it brings.
    pub capabilities: Vec<String>,
    /// Capabilities it needs from other members.
    pub requires: Vec<String>,
    /// Technologies it cannot share a stack with.
    pub conflicts: Vec<String>,
    /// `published`, `estimated`, `measured`, or `mixed` when its rows differ.
    pub provenance: &'static str,
    /// Where its matrix comes from.
    pub source: String,
}

/// `list scenarios`: one scenario.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ScenarioListView {
    /// The scenario id.
    pub id: String,
    /// Its name in the chosen language.
    pub name: String,
    /// Its scene vector, scene order.
    pub vector: [f64; SCENE_COUNT],
    /// Its concept weights, concept order.
    pub weights: [f64; CONCEPT_COUNT],
    /// Its time slice, `null` when unset (static).
    pub time: Option<&'static str>,
    /// Capabilities a stack for it must bring.
    pub required_capabilities: Vec<String>,
    /// Its features in words, in the chosen language.
    pub features: Vec<String>,
    /// True when the source document makes claims about it.
    pub has_claims: bool,
}

/// `list concepts` and `list scenes`: one axis value.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct AxisView {
    /// Position in axis order, from 0.
    pub index: usize,
    /// The key used in files, flags and JSON.
    pub key: &'static str,
    /// The symbol (`Θ` for `Theta`; a scene's symbol is its key).
    pub symbol: &'static str,
    /// Its name in the chosen language.
    pub name: String,
}

/// `show`: one concept row of a maturity matrix.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ShowRowView {
    /// The concept key.
    pub concept: &'static str,
    /// The concept's name in the chosen language.
    pub name: String,
    /// Values in scene order; `null` where the technology does not cover the concept.
    pub values: Option<[f64; SCENE_COUNT]>,
    /// `published`, `estimated` or `measured`.
    pub provenance: &'static str,
    /// Where the row comes from.
    pub source: String,
    /// Why the row has these values, when an estimate says.
    pub rationale: Option<String>,
    /// True when the dynamic row is given (false: it defaults to the static row).
    pub dynamic_given: bool,
}

/// `show`: a technology's maturity matrix in one time slice.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ShowView {
    /// The technology id.
    pub id: String,
    /// Its name in the chosen language.
    pub name: String,
    /// `chain` or `addon`.
    pub kind: &'static str,
    /// `static`, `dynamic` or `blend`.
    pub time: &'static str,
    /// The scene keys, in the order of every row's values.
    pub scenes: [&'static str; SCENE_COUNT],
    /// One row per concept, in concept order.
    pub rows: Vec<ShowRowView>,
}

/// A member of a practice case's stack.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CaseMemberView {
    /// The name as the document writes it.
    pub label: String,
    /// The knowledge-base id, `null` when the knowledge base does not hold it.
    pub tech: Option<String>,
    /// The version the document names.
    pub version: Option<String>,
    /// The scene it is deployed in, for a case that spans environments.
    pub environment: Option<String>,
}

/// A performance claim of a practice case, as documented.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct IndicatorClaimView {
    /// The indicator's name in the chosen language.
    pub name: String,
    /// The claim as the document writes it.
    pub claim: String,
    /// `<`, `<=`, `=`, `>=` or `>`.
    pub comparator: &'static str,
    /// The claimed value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// The footprint metric the claim is about, when the knowledge base has one.
    pub metric: Option<String>,
    /// What the claim compares with, when it compares.
    pub baseline: Option<String>,
}

/// A maturity claim of a practice case, as documented.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MaturityClaimView {
    /// The concept key.
    pub concept: &'static str,
    /// The claimed value.
    pub value: f64,
    /// The document's reason, in the chosen language.
    pub note: String,
}

/// `cases list` and `cases show`: a practice case as documented.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CaseView {
    /// The case id.
    pub id: String,
    /// Its name in the chosen language.
    pub name: String,
    /// The scenario it belongs to.
    pub scenario: String,
    /// Where it is documented.
    pub source: String,
    /// Its scale in words, in the chosen language.
    pub scale: String,
    /// Its stack.
    pub stack: Vec<CaseMemberView>,
    /// Its performance claims.
    pub indicators: Vec<IndicatorClaimView>,
    /// Its maturity claims.
    pub maturity: Vec<MaturityClaimView>,
}

/// `model check`: a knowledge-base directory that loads.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ModelCheckView {
    /// The directory as given.
    pub dir: String,
    /// True when checked on its own, false when overlaid on the built-in knowledge base.
    pub standalone: bool,
    /// Always true: a directory with problems is reported as an error instead.
    pub ok: bool,
    /// Technologies after loading.
    pub technologies: usize,
    /// Scenarios after loading.
    pub scenarios: usize,
}

/// `migrate`: a chain or scene, by id and name.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MigrationNodeView {
    /// The chain id or scene key.
    pub id: String,
    /// Its name in the chosen language.
    pub name: String,
}

/// `migrate`: one move of a path.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MigrationStepView {
    /// The id it moves from.
    pub from: String,
    /// The id it moves to.
    pub to: String,
    /// The published difficulty of the move, in [0, 1] (0 seamless).
    pub difficulty: f64,
}

/// `migrate`: a path through the transition table.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MigrationPathView {
    /// The nodes from start to goal.
    pub nodes: Vec<MigrationNodeView>,
    /// One per move (`nodes.len() - 1`).
    pub steps: Vec<MigrationStepView>,
    /// The sum of the steps' difficulties.
    pub total: f64,
}

/// `migrate`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MigrateView {
    /// `chain` (the chain-transition table) or `scene` (the scene-migration table).
    pub kind: &'static str,
    /// The table walked: `published`, or `derived` (chains only: from the maturity matrices and
    /// Θ, see docs/migration.md).
    pub source: &'static str,
    /// The difficulty table walked, with its nodes.
    pub matrix: crate::migrate::TransitionMatrixView,
    /// Where the path starts.
    pub from: MigrationNodeView,
    /// Where it ends.
    pub to: MigrationNodeView,
    /// The difficulty of moving directly, `null` from a node to itself.
    pub direct: Option<f64>,
    /// The cheapest path; among paths of equal cost the one with fewer steps. `null` when the
    /// goal cannot be reached.
    pub path: Option<MigrationPathView>,
    /// The next cheapest loop-free paths, cheapest first.
    pub alternatives: Vec<MigrationPathView>,
}

/// `decide`, `rank --method`, `compare`: a criterion of the decision matrix.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CriterionView {
    /// The name: as given for `decide`; a concept key or `memory_mb` for a scenario.
    pub name: String,
    /// `benefit` (more is better) or `cost` (less is better).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The weight as used; the weights sum to 1.
    pub weight: f64,
}

/// `decide`: one alternative's place.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DecisionEntryView {
    /// Competition rank by the method's preference (1 = best; ties share it: 1, 2, 2, 4).
    pub rank: usize,
    /// True when another alternative shares the rank.
    pub tied: bool,
    /// The alternative's row in the matrix as given, from 0.
    pub index: usize,
    /// The alternative's name.
    pub alternative: String,
    /// The method's preference value (higher is better unless `higher_is_better` is false).
    pub preference: f64,
}

/// `decide`: a judgement of a pairwise comparison matrix against what the priorities imply.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct JudgementView {
    /// The criterion judged the more important.
    pub row: String,
    /// The other one.
    pub column: String,
    /// The judgement, at least 1.
    pub said: f64,
    /// The ratio of the priorities, `w_row / w_column`.
    pub implied: f64,
    /// `|ln(said / implied)|`.
    pub deviation: f64,
}

/// `decide`: the AHP weights of a pairwise comparison matrix and its consistency.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct AhpView {
    /// The criteria compared, in the order of the comparison matrix.
    pub labels: Vec<String>,
    /// The priorities, in the order of `labels`, summing to 1.
    pub weights: Vec<f64>,
    /// The principal eigenvalue.
    pub lambda_max: f64,
    /// `CI = (λ_max − n) / (n − 1)`.
    pub consistency_index: f64,
    /// The random index `RI_n`.
    pub random_index: f64,
    /// Its table (`Tummala & Ling 1998`).
    pub random_index_table: &'static str,
    /// `CR = CI / RI`; at most `threshold`, else the request is refused.
    pub consistency_ratio: f64,
    /// The largest consistency ratio accepted (0.1).
    pub threshold: f64,
    /// The three judgements that disagree most with the priorities, largest first.
    pub least_consistent: Vec<JudgementView>,
}

/// `decide`: where the weights came from.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct WeightingView {
    /// `given`, `equal` (none given), `ahp`, or the weighting method (`entropy`,
    /// `standard_deviation`, `critic`, ...).
    pub source: String,
    /// What the given weights summed to, `null` unless given.
    pub input_sum: Option<f64>,
    /// True when the given weights were divided by their sum.
    pub normalised: bool,
    /// The AHP analysis, `null` unless `source` is `ahp`.
    pub ahp: Option<AhpView>,
}

/// `decide`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DecideView {
    /// The method with every parameter spelt out (`topsis:norm=minmax`).
    pub method: String,
    /// Whether a larger preference is better (false for VIKOR).
    pub higher_is_better: bool,
    /// The criteria in the order given, with their types and the weights used.
    pub criteria: Vec<CriterionView>,
    /// Where the weights came from.
    pub weighting: WeightingView,
    /// The alternatives by rank; ties in the order given.
    pub ranking: Vec<DecisionEntryView>,
    /// Remarks in words: the defaults that were taken.
    pub notes: Vec<String>,
}

/// `rank --method`: one line of the ranking.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MethodRankEntryView {
    /// Competition rank by the method's preference: ties share it (1, 2, 2, 4).
    pub rank: usize,
    /// True when another entry shares the rank.
    pub tied: bool,
    /// The technology id, or the stack's members joined by `+`.
    pub id: String,
    /// Name in the chosen language.
    pub name: String,
    /// The technologies scored.
    pub members: Vec<String>,
    /// The method's preference value (not the model's 0 to 10 score).
    pub score: f64,
    /// Fit per concept (`s · Aᵀ`), each in [0, 1]: the benefit criteria.
    pub fit: ConceptValues,
    /// Memory per node, MB, present with the `memory` cost criterion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_mb: Option<f64>,
}

/// `rank --method`, `compare`: an alternative that was not ranked, and why.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct LeftOutView {
    /// The technology or stack id.
    pub id: String,
    /// Why it was left out.
    pub reason: String,
}

/// `rank --method`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MethodRankView {
    /// The scenario as scored.
    pub scenario: ScenarioView,
    /// The method with every parameter spelt out (`topsis:norm=minmax`).
    pub method: String,
    /// Whether a larger score is better (false for VIKOR, whose best score is the lowest).
    pub higher_is_better: bool,
    /// The criteria: the 12 concept fits (benefits), then any cost criteria, with the weights
    /// used (the concept weights, and a cost criterion's, divided by their sum).
    pub criteria: Vec<CriterionView>,
    /// Ordered by rank; ties ordered by id.
    pub ranking: Vec<MethodRankEntryView>,
    /// Present with `stacks`: the named stacks that cannot be stacks here, with every reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infeasible: Option<Vec<InfeasibleView>>,
    /// Alternatives left out of the matrix (no memory figure for a `memory` cost criterion).
    pub left_out: Vec<LeftOutView>,
}

/// `compare`: a method compared.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ComparedMethodView {
    /// The method with every parameter spelt out; it identifies the method in `pairs`.
    pub method: String,
    /// Its short name (`topsis`).
    pub name: &'static str,
    /// Whether a larger preference is better.
    pub higher_is_better: bool,
}

/// `compare`: one alternative under every method.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ComparedAlternativeView {
    /// The technology id, or the stack's members joined by `+`.
    pub id: String,
    /// Name in the chosen language.
    pub name: String,
    /// Its competition rank under each method, in the order of `methods`.
    pub ranks: Vec<usize>,
    /// Its preference value under each method, in the order of `methods`.
    pub preferences: Vec<f64>,
}

/// `compare`: how far two methods' rankings agree. The correlations take the rankings with
/// tied alternatives at the average of their positions; `null` where a coefficient is
/// undefined (a ranking where every alternative ties, fewer than two alternatives).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MethodPairView {
    /// The first method (as in `methods`).
    pub first: String,
    /// The second method.
    pub second: String,
    /// Spearman's rank correlation, in [-1, 1].
    pub spearman: Option<f64>,
    /// Kendall's tau-a, in [-1, 1].
    pub kendall_tau: Option<f64>,
    /// The WS rank similarity coefficient with the first method's ranking as the reference.
    pub rank_similarity: Option<f64>,
    /// WS with the second method's ranking as the reference (WS is asymmetric).
    pub rank_similarity_reversed: Option<f64>,
}

/// `compare`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CompareView {
    /// The scenario as scored.
    pub scenario: ScenarioView,
    /// The criteria of the decision matrix, with the weights used.
    pub criteria: Vec<CriterionView>,
    /// The methods, in the order asked.
    pub methods: Vec<ComparedMethodView>,
    /// The alternatives by their rank under the first method, then by id.
    pub alternatives: Vec<ComparedAlternativeView>,
    /// Every pair of methods, in the order of `methods` (first with second, first with third, ...).
    pub pairs: Vec<MethodPairView>,
    /// Present with `stacks`: the named stacks that cannot be stacks here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infeasible: Option<Vec<InfeasibleView>>,
    /// Alternatives left out of the matrix.
    pub left_out: Vec<LeftOutView>,
    /// Methods of the default list that cannot rank this matrix, with the reason (a method
    /// named in the request that cannot is refused instead).
    pub refused: Vec<RefusedMethodView>,
}

/// `compare`: a method that cannot rank the matrix.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RefusedMethodView {
    /// The method with every parameter spelt out.
    pub method: String,
    /// Why it cannot.
    pub reason: String,
}

/// `robustness`: the half-widths of the matrix entries' uniform draws by provenance kind.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct SpreadView {
    /// Published rows.
    pub published: f64,
    /// Estimated rows.
    pub estimated: f64,
    /// Measured rows.
    pub measured: f64,
}

/// `robustness`: how the concept weights were drawn.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct WeightModelView {
    /// `uniform`, `around` or `fixed`.
    pub model: &'static str,
    /// The Dirichlet concentration, `null` unless `around`.
    pub concentration: Option<f64>,
    /// The weights drawn around (`around`, their mean) or kept (`fixed`), summing to 1; `null`
    /// for `uniform`.
    pub weights: Option<ConceptValues>,
}

/// `robustness`: one alternative's SMAA-2 indices.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct AcceptabilityView {
    /// The technology id, or the stack's members joined by `+`.
    pub id: String,
    /// Name in the chosen language.
    pub name: String,
    /// Its rank in the deterministic ranking.
    pub rank: usize,
    /// Its deterministic score (0 to 10).
    pub score: f64,
    /// Rank acceptability `b^r` in percent, for ranks 1, 2, ...; each row and each column
    /// sums to 100.
    pub acceptability_percent: Vec<f64>,
    /// The Monte Carlo standard error of each, in percentage points: `100 √(b(1 − b)/N)`.
    pub standard_error_percent: Vec<f64>,
    /// The expected rank `Σ r b^r`.
    pub expected_rank: f64,
    /// The mean weights (summing to 1) of the samples in which it ranks first; `null` when it
    /// never does.
    pub central_weights: Option<ConceptValues>,
    /// The confidence factor in percent: how often it ranks first with the weights at its
    /// central weights; `null` without central weights.
    pub confidence_percent: Option<f64>,
}

/// `robustness`: an alternative and its first-rank acceptability.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct FirstPlaceView {
    /// The technology or stack id.
    pub id: String,
    /// Name in the chosen language.
    pub name: String,
    /// Its first-rank acceptability in percent.
    pub acceptability_percent: f64,
}

/// `robustness`: the numbers of the one-paragraph verdict, and the paragraph.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct SmaaSummaryView {
    /// The alternative most likely to rank first.
    pub most_likely_first: FirstPlaceView,
    /// The standard error of its first-rank acceptability, in percentage points.
    pub standard_error_percent: f64,
    /// Its confidence factor in percent, `null` when not computed.
    pub confidence_percent: Option<f64>,
    /// The next most likely first, `null` with one alternative.
    pub runner_up: Option<FirstPlaceView>,
    /// How many alternatives ranked first in at least one sample.
    pub contenders: usize,
    /// How many alternatives there are.
    pub of: usize,
    /// The verdict in words, in the chosen language.
    pub text: String,
}

/// `robustness`: how far one concept weight can move before the leader loses first place.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct WeightIntervalView {
    /// The concept key.
    pub concept: &'static str,
    /// The weight as given.
    pub weight: f64,
    /// Its share of the total weight.
    pub share: f64,
    /// The lowest weight (the others as given) at which the leader is still first.
    pub lo: f64,
    /// The highest, `null` when the leader stays first however large the weight grows.
    pub hi: Option<f64>,
    /// `lo` as a share of the total, in [0, 1].
    pub lo_share: f64,
    /// `hi` as a share of the total, in [0, 1].
    pub hi_share: f64,
    /// Who takes first place below `lo`, `null` when no one does (down to 0).
    pub below: Option<String>,
    /// Who takes first place above `hi`, `null` when no one does.
    pub above: Option<String>,
    /// The interval in words, in the chosen language.
    pub text: String,
}

/// `robustness`: the weight stability of the deterministic leader.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct StabilityView {
    /// The leader: the first of the deterministic ranking.
    pub leader: String,
    /// One interval per concept, in concept order.
    pub intervals: Vec<WeightIntervalView>,
}

/// `robustness`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RobustnessView {
    /// The scenario as scored.
    pub scenario: ScenarioView,
    /// Samples of each pass (acceptability, confidence).
    pub samples: u64,
    /// The seed.
    pub seed: u64,
    /// The spreads of the matrix entries.
    pub spread: SpreadView,
    /// How the weights were drawn.
    pub weights_model: WeightModelView,
    /// The alternatives in the order of the deterministic ranking.
    pub alternatives: Vec<AcceptabilityView>,
    /// The verdict.
    pub summary: SmaaSummaryView,
    /// The weight stability of the deterministic leader.
    pub stability: StabilityView,
    /// Present with `stacks`: the named stacks that cannot be stacks here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infeasible: Option<Vec<InfeasibleView>>,
}
