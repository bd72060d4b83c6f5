//! `cost`: the reference's weighted memory cost of a chain or stack under each weighting, the
//! normalised attribute score, and the measured footprint beside them (reference defect 6).

use crate::error::{ApiError, ApiResult};
use crate::given_numbers::{deserialize_given_numbers, GivenNumbers};
use crate::rank::find_technology;
use crate::request::ScenarioRequest;
use crate::risk::{covered_keys, example_stack, uncovered};
use crate::scenario::resolve;
use crate::views::ScenarioView;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use stackmatrix_engine::{
    attribute_score, compose_stack, cost_weights, enhancement_totals, scene_concept_weights,
    stack_fit_and_score, stack_memory_mb, time_matrix, weighted_cost, AttributeWeights,
    CostWeighting,
};
use stackmatrix_model::{
    Concept, KnowledgeBase, Lang, TechKind, Technology, TimeMode, ValueProblem, WeightsProblem,
};

/// `cost`: one chain (`tech`) or stack (`stack`), optionally in a scenario.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CostRequest {
    /// The scenario, optional: without one every concept and scene weighs 1.
    #[serde(flatten)]
    pub scenario: ScenarioRequest,
    /// A chain id. Give this or `stack`.
    #[serde(default)]
    pub tech: Option<String>,
    /// A stack: technology ids, composed by the composition rule.
    #[serde(default)]
    pub stack: Option<Vec<String>>,
    /// The weights ω of the attribute score [default: maturity 0.4, latency 0.2, memory 0.2,
    /// compatibility 0.2].
    #[serde(default)]
    pub attribute_weights: Option<AttributeWeightsSpec>,
}

/// ω as given: 4 numbers (maturity, latency, memory, compatibility) or numbers keyed by term
/// (`maturity`, `latency`, `memory`, `compatibility`; the terms not named keep their default).
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeWeightsSpec {
    /// 4 numbers in order.
    Values(Vec<f64>),
    /// Numbers by term.
    Keyed(Vec<(String, f64)>),
}

/// The attribute score's term names, in order.
pub const ATTRIBUTE_TERMS: [&str; 4] = ["maturity", "latency", "memory", "compatibility"];

fn bad(message: String) -> ApiError {
    ApiError::bad_input("attribute_weights", message)
}

impl AttributeWeightsSpec {
    /// Reads the command line's text form: `0.4,0.2,0.2,0.2` or `maturity=0.6,latency=0.1`.
    pub fn parse_list(text: &str) -> ApiResult<AttributeWeightsSpec> {
        let number = |item: &str, place: &str| -> ApiResult<f64> {
            item.trim().parse::<f64>().map_err(|_| {
                bad(format!(
                    "'{}' ({place}) is not a number; expected a weight, 0 or more, such as 0.2",
                    item.trim()
                ))
            })
        };
        let items: Vec<&str> = text.split(',').map(str::trim).collect();
        if items.iter().any(|i| i.contains('=')) {
            let mut pairs = Vec::new();
            for item in &items {
                let Some((k, v)) = item.split_once('=') else {
                    return Err(bad(format!(
                        "'{item}' is not KEY=VALUE; give every item as KEY=VALUE (maturity=0.6,latency=0.1) or 4 numbers"
                    )));
                };
                pairs.push((k.trim().to_string(), number(v, k.trim())?));
            }
            return Ok(AttributeWeightsSpec::Keyed(pairs));
        }
        let mut values = Vec::new();
        for (i, item) in items.iter().enumerate() {
            values.push(number(item, &format!("item {}", i + 1))?);
        }
        Ok(AttributeWeightsSpec::Values(values))
    }

    /// The weights, checked: 4 finite numbers, 0 or more, at least one positive; known terms
    /// each named once.
    pub fn resolve(&self) -> ApiResult<AttributeWeights> {
        let mut w = AttributeWeights::default().as_array();
        match self {
            AttributeWeightsSpec::Values(v) => {
                if v.len() != 4 {
                    return Err(bad(format!(
                        "expected 4 numbers (maturity, latency, memory, compatibility) or KEY=VALUE pairs; got {} value{}",
                        v.len(),
                        if v.len() == 1 { "" } else { "s" }
                    )));
                }
                w.copy_from_slice(v);
            }
            AttributeWeightsSpec::Keyed(pairs) => {
                let mut seen = Vec::new();
                for (k, x) in pairs {
                    let key = match k.as_str() {
                        "mat" => "maturity",
                        "lat" => "latency",
                        "mem" => "memory",
                        "compat" => "compatibility",
                        other => other,
                    };
                    let Some(i) = ATTRIBUTE_TERMS.iter().position(|t| *t == key) else {
                        return Err(bad(format!(
                            "unknown term '{k}'; expected maturity, latency, memory or compatibility"
                        )));
                    };
                    if seen.contains(&i) {
                        return Err(bad(format!("'{key}' is given twice; give it once")));
                    }
                    seen.push(i);
                    w[i] = *x;
                }
            }
        }
        // The rule of every set of relative weights (scene vectors and concept weights too):
        // each at most 1e12, so their sum cannot overflow into a NaN score.
        match stackmatrix_model::weights(&w) {
            Ok(_) => Ok(AttributeWeights::from_array(w)),
            Err(WeightsProblem::Value { index, problem }) => Err(bad(format!(
                "{problem} (the {} weight); expected {}",
                ATTRIBUTE_TERMS[index],
                ValueProblem::EXPECTED
            ))),
            Err(WeightsProblem::AllZero) => Err(bad(
                "every weight is 0; at least one term must weigh more than 0".into(),
            )),
        }
    }
}

impl Serialize for AttributeWeightsSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AttributeWeightsSpec::Values(v) => v.serialize(s),
            AttributeWeightsSpec::Keyed(pairs) => {
                let mut map = s.serialize_map(Some(pairs.len()))?;
                for (k, v) in pairs {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for AttributeWeightsSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let given = deserialize_given_numbers(
            d,
            "an array of 4 numbers (maturity, latency, memory, compatibility) or an object of numbers keyed by those names",
            false,
        )?;
        Ok(match given {
            GivenNumbers::One(x) => AttributeWeightsSpec::Values(vec![x]),
            GivenNumbers::List(v) => AttributeWeightsSpec::Values(v),
            GivenNumbers::Keyed(pairs) => AttributeWeightsSpec::Keyed(pairs),
        })
    }
}

/// The reference cost under one weighting.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CostWeightingView {
    /// `reference` (W = 1), `scenario` (W_ij = w_i · s_j) or `technology`
    /// (W_ij = A_ij · w_i · s_j).
    pub weighting: &'static str,
    /// `Σ_ij W_ij · memory_mb[i][j]`, MB.
    pub cost_mb: f64,
    /// True for the weighting the headline `cost_mb` uses (`technology`).
    pub headline: bool,
}

/// Four values, one per attribute term.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct AttributeTermsView {
    /// Maturity.
    pub maturity: f64,
    /// Latency, rescaled, lower is better.
    pub latency: f64,
    /// Memory, rescaled, lower is better.
    pub memory: f64,
    /// Compatibility.
    pub compatibility: f64,
}

impl AttributeTermsView {
    fn new(v: [f64; 4]) -> AttributeTermsView {
        AttributeTermsView {
            maturity: v[0],
            latency: v[1],
            memory: v[2],
            compatibility: v[3],
        }
    }
}

/// The normalised attribute score.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct AttributeScoreView {
    /// The weighted mean of the cell scores, in [0, 1].
    pub score: f64,
    /// The weights ω used.
    pub weights: AttributeTermsView,
    /// The mean of each rescaled term over the weighed cells where it is present.
    pub terms: AttributeTermsView,
    /// Weighed cells whose latency is "n/a" (the term is dropped and ω renormalised there).
    pub latency_missing: usize,
    /// True when L's compatibility was read from the "L + Service Mesh" row (a member lifts L).
    pub mesh_compatibility: bool,
}

/// The measured footprint: the catalog's `memory_mb` of each member, summed.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct FootprintView {
    /// Memory per node of the members whose figure is known, MB.
    pub memory_mb: f64,
    /// Members without a memory figure (not counted).
    pub memory_unknown: Vec<String>,
    /// True when every member has a figure.
    pub complete: bool,
}

/// `cost`'s answer.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CostView {
    /// The scenario, `null` without one.
    pub scenario: Option<ScenarioView>,
    /// The chain id, or the member ids joined by `+`.
    pub id: String,
    /// Its name in the chosen language (members' names joined by ` + `).
    pub name: String,
    /// Member ids.
    pub members: Vec<String>,
    /// The score in the scenario, `null` without a scenario.
    pub score: Option<f64>,
    /// The headline cost: the `technology` weighting, MB.
    pub cost_mb: f64,
    /// The reference cost under every weighting.
    pub weightings: Vec<CostWeightingView>,
    /// The normalised attribute score.
    pub attribute: AttributeScoreView,
    /// The measured footprint beside the model's cost.
    pub footprint: FootprintView,
    /// Remarks in words.
    pub notes: Vec<String>,
}

/// `cost`: see `docs/cost.md`.
pub fn cost(kb: &KnowledgeBase, lang: Lang, req: &CostRequest) -> ApiResult<CostView> {
    let has_scenario = req.scenario.scenario.is_some() || req.scenario.vector.is_some();
    if !has_scenario && (req.scenario.weights.is_some() || req.scenario.time.is_some()) {
        return Err(ApiError::bad_input(
            "weights",
            "weights and time need a scenario or a vector; expected scenario or vector with them",
        ));
    }
    let members: Vec<&Technology> = match (&req.tech, &req.stack) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_input(
                "stack",
                "tech and stack are both given; expected one of them",
            ))
        }
        (None, None) => {
            return Err(ApiError::bad_input(
                "tech",
                "no tech and no stack; expected a chain id (tech) or technology ids (stack)",
            ))
        }
        (Some(id), None) => {
            let t = find_technology(kb, id.trim())?;
            if t.kind == TechKind::Addon {
                return Err(ApiError::bad_input(
                    "tech",
                    format!(
                        "'{}' is an addon without a full matrix (rows for {} only): it cannot be assessed alone; assess it in a stack with a chain, e.g. stack {}",
                        t.id,
                        covered_keys(&t.maturity).join(", "),
                        example_stack(kb, t)
                    ),
                ));
            }
            vec![t]
        }
        (None, Some(ids)) => {
            if ids.is_empty() {
                return Err(ApiError::bad_input(
                    "stack",
                    "the stack is empty; expected technology ids such as k8s,istio",
                ));
            }
            let mut out: Vec<&Technology> = Vec::new();
            for id in ids {
                let t = find_technology(kb, id.trim())?;
                if out.iter().any(|m| m.id == t.id) {
                    return Err(ApiError::bad_input(
                        "stack",
                        format!("'{}' is named twice; name each member once", t.id),
                    ));
                }
                out.push(t);
            }
            out
        }
    };
    let weights = match &req.attribute_weights {
        Some(w) => w.resolve()?,
        None => AttributeWeights::default(),
    };
    let scenario = if has_scenario {
        Some(resolve(kb, &req.scenario)?.0)
    } else {
        None
    };
    let params = &kb.tables.parameters;
    let tensor = compose_stack(&members);
    if let Some(missing) = uncovered(&tensor) {
        return Err(ApiError::bad_input(
            "stack",
            format!(
                "no member covers {}: the stack has no full matrix and cannot be assessed; add a chain (e.g. k8s)",
                missing.join(", ")
            ),
        ));
    }
    let mode = scenario
        .as_ref()
        .map_or(TimeMode::Static, |s| s.time_mode());
    let matrix = time_matrix(&tensor, mode, params)
        .ok_or_else(|| ApiError::failure("a covered stack has no matrix"))?;
    let base = scene_concept_weights(scenario.as_ref().map(|s| (&s.vector, &s.weights)));
    let attributes = &kb.tables.attributes;
    let weightings: Vec<CostWeightingView> = CostWeighting::ALL
        .iter()
        .map(|w| CostWeightingView {
            weighting: w.key(),
            cost_mb: weighted_cost(&cost_weights(*w, &matrix, &base), &attributes.memory_mb),
            headline: *w == CostWeighting::Technology,
        })
        .collect();
    let mesh = enhancement_totals(&members)[Concept::LoadBalance.index()] > 0.0;
    let attribute = attribute_score(&matrix, attributes, &base, &weights, mesh).ok_or_else(|| {
        bad("no weighed cell has a term with a positive weight; give maturity, memory or compatibility a positive weight".into())
    })?;
    let (memory_mb, memory_unknown) = stack_memory_mb(&members);
    let score = scenario
        .as_ref()
        .and_then(|s| stack_fit_and_score(&members, s, params).map(|x| x.1));
    let mut notes = vec![
        "the attribute tables are per concept and scene, not per technology: only the technology weighting (and the maturity term) tell technologies apart".to_string(),
    ];
    if !memory_unknown.is_empty() {
        notes.push(format!(
            "no memory figure for {}: the footprint counts only the others",
            memory_unknown.join(", ")
        ));
    }
    Ok(CostView {
        scenario: scenario.as_ref().map(|s| ScenarioView::new(s, lang)),
        id: members
            .iter()
            .map(|m| m.id.as_str())
            .collect::<Vec<_>>()
            .join("+"),
        name: members
            .iter()
            .map(|m| m.name.get(lang))
            .collect::<Vec<_>>()
            .join(" + "),
        members: members.iter().map(|m| m.id.clone()).collect(),
        score,
        cost_mb: weightings
            .iter()
            .find(|w| w.headline)
            .map_or(0.0, |w| w.cost_mb),
        weightings,
        attribute: AttributeScoreView {
            score: attribute.score,
            weights: AttributeTermsView::new(weights.as_array()),
            terms: AttributeTermsView::new(attribute.terms),
            latency_missing: attribute.latency_missing,
            mesh_compatibility: attribute.mesh_compatibility,
        },
        footprint: FootprintView {
            complete: memory_unknown.is_empty(),
            memory_mb,
            memory_unknown,
        },
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> KnowledgeBase {
        stackmatrix_model::builtin().unwrap()
    }

    #[test]
    fn a_chain_costs_less_under_its_own_maturity_than_the_whole_table() {
        let kb = kb();
        let v = cost(
            &kb,
            Lang::En,
            &CostRequest {
                tech: Some("k3s".into()),
                ..CostRequest::default()
            },
        )
        .unwrap();
        let total: f64 = kb.tables.attributes.memory_mb.iter().flatten().sum();
        assert!((v.weightings[0].cost_mb - total).abs() < 1e-9);
        assert!((v.weightings[1].cost_mb - total).abs() < 1e-9);
        assert!(v.cost_mb <= total && v.cost_mb > 0.0);
        assert!(v.footprint.complete && v.footprint.memory_mb > 0.0);
        assert!((0.0..=1.0).contains(&v.attribute.score));
    }

    #[test]
    fn attribute_weights_are_checked_by_field() {
        let err = |t: &str| {
            AttributeWeightsSpec::parse_list(t)
                .and_then(|s| s.resolve())
                .unwrap_err()
                .to_string()
        };
        assert!(err("1,2").starts_with("attribute_weights: expected 4 numbers"));
        assert!(err("-1,0,0,0").contains("-1 is negative (the maturity weight)"));
        // Issue 13, defect 8: four finite weights whose sum overflowed gave a NaN score.
        assert_eq!(
            err("1e308,1e308,1e308,1e308"),
            "attribute_weights: 1e308 is too large (the maturity weight); expected a finite number of 0 or more, at most 1e12"
        );
        assert!(err("0.4,0.2,1e13,0.2").contains("(the memory weight)"));
        assert!(err("0,0,0,0").contains("every weight is 0"));
        assert!(err("speed=1").contains("unknown term 'speed'"));
        assert!(err("mat=1,maturity=2").contains("given twice"));
        let w = AttributeWeightsSpec::parse_list("latency=0")
            .unwrap()
            .resolve()
            .unwrap();
        assert_eq!(w.as_array(), [0.4, 0.0, 0.2, 0.2]);
    }

    #[test]
    fn addons_alone_and_missing_subjects_are_refused() {
        let kb = kb();
        let e = cost(
            &kb,
            Lang::En,
            &CostRequest {
                tech: Some("istio".into()),
                ..CostRequest::default()
            },
        )
        .unwrap_err();
        assert!(matches!(e, ApiError::BadInput { field: "tech", .. }));
        let e = cost(&kb, Lang::En, &CostRequest::default()).unwrap_err();
        assert!(matches!(e, ApiError::BadInput { field: "tech", .. }));
    }
}
