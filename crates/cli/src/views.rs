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

/// A claimed stack member.
#[derive(Debug, Serialize)]
pub struct StackMemberView {
    pub label: String,
    pub tech: Option<String>,
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
            ranking: checks
                .iter()
                .map(|c| ClaimLineView {
                    label: c.label.clone(),
                    tech: c.tech.clone(),
                    claimed_rank: c.claimed_rank,
                    claimed_score: c.claimed_score,
                    computed_rank: c.computed_rank,
                    computed_score: c.computed_score,
                    difference: c.score_difference(),
                })
                .collect(),
            stack: claims
                .stack
                .iter()
                .map(|m| StackMemberView {
                    label: m.label.clone(),
                    tech: m.tech.clone(),
                })
                .collect(),
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
