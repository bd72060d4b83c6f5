//! `risk`: the reference's risk of a chain or a stack, whole and scenario-aware, and every chain
//! ranked by its scenario-aware risk.

use crate::error::{ApiError, ApiResult};
use crate::given_numbers::{deserialize_given_numbers, GivenNumbers};
use crate::rank::find_technology;
use crate::request::ScenarioRequest;
use crate::scenario::resolve;
use crate::views::{ConceptValues, ScenarioView};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use stackmatrix_engine::{
    competition_ranks, compose_stack, risk, stack_fit_and_score, PreparedScenario, Risk, RiskFocus,
    TIE_TOLERANCE,
};
use stackmatrix_model::{
    Concept, KnowledgeBase, Lang, MaturityTensor, TechKind, Technology, TimeSlice, CONCEPT_COUNT,
};

/// `risk`: one chain (`tech`) or stack (`stack`), or, with neither, every chain ranked by risk.
/// A scenario (`scenario` or `vector`, with `weights`) makes the risk scenario-aware and adds
/// each one's score; `theta` overrides Θ of the knowledge base.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RiskRequest {
    /// The scenario, optional: without one the risk is the reference's whole-matrix risk.
    #[serde(flatten)]
    pub scenario: ScenarioRequest,
    /// A chain id. Give this, `stack`, or neither (every chain ranked).
    #[serde(default)]
    pub tech: Option<String>,
    /// A stack: technology ids, composed by the composition rule.
    #[serde(default)]
    pub stack: Option<Vec<String>>,
    /// Θ = diag(θ) for the AI uncertainty [default: `tables/theta.toml` `[value]`].
    #[serde(default)]
    pub theta: Option<ThetaValues>,
}

/// Θ as given: one number for every θ_c, 12 numbers in concept order, or numbers keyed by
/// concept key (`Θ` for `Theta` too) where the concepts not named keep the knowledge base's θ.
#[derive(Debug, Clone, PartialEq)]
pub enum ThetaValues {
    /// Every θ_c.
    All(f64),
    /// 12 numbers in concept order.
    Values(Vec<f64>),
    /// Numbers by concept key.
    Keyed(Vec<(String, f64)>),
}

impl ThetaValues {
    /// Reads the command line's text form: `0.8`, 12 comma-separated numbers, or
    /// `I=0.9,C=0.8`. Errors name the field `theta`.
    pub fn parse_list(text: &str) -> ApiResult<ThetaValues> {
        let number = |item: &str, place: String| -> ApiResult<f64> {
            item.trim().parse::<f64>().map_err(|_| {
                bad(format!(
                    "'{}' ({place}) is not a number; expected a number in [0, 1] such as 0.8",
                    item.trim()
                ))
            })
        };
        let items: Vec<&str> = text.split(',').map(str::trim).collect();
        if items.iter().any(|i| i.contains('=')) {
            let mut pairs = Vec::new();
            for (n, item) in items.iter().enumerate() {
                let Some((k, v)) = item.split_once('=') else {
                    return Err(bad(format!(
                        "item {} '{item}' is not KEY=VALUE; give every item as KEY=VALUE (I=0.9,C=0.8) or 12 numbers",
                        n + 1
                    )));
                };
                pairs.push((
                    k.trim().to_string(),
                    number(v, format!("concept {}", k.trim()))?,
                ));
            }
            return Ok(ThetaValues::Keyed(pairs));
        }
        if items.len() == 1 {
            return Ok(ThetaValues::All(number(items[0], "every concept".into())?));
        }
        let mut values = Vec::new();
        for (n, item) in items.iter().enumerate() {
            values.push(number(item, format!("item {}", n + 1))?);
        }
        Ok(ThetaValues::Values(values))
    }

    /// θ in concept order, starting from `base` (the knowledge base's), checked: each value a
    /// number in [0, 1], exactly 12 values, known concept keys each given once.
    pub fn resolve(&self, base: &[f64; CONCEPT_COUNT]) -> ApiResult<[f64; CONCEPT_COUNT]> {
        let check = |x: f64, place: &str| -> ApiResult<f64> {
            if x.is_finite() && (0.0..=1.0).contains(&x) {
                Ok(x)
            } else {
                Err(bad(format!(
                    "{x} ({place}) is not in [0, 1]; each θ_c is a confidence between 0 and 1"
                )))
            }
        };
        match self {
            ThetaValues::All(x) => {
                let x = check(*x, "every concept")?;
                Ok([x; CONCEPT_COUNT])
            }
            ThetaValues::Values(v) => {
                if v.len() != CONCEPT_COUNT {
                    return Err(bad(format!(
                        "expected 12 numbers (I,C,Q,R,M,V,L,S,B,P,T,Theta), one number for every concept, or KEY=VALUE pairs; got {} values",
                        v.len()
                    )));
                }
                let mut out = [0.0; CONCEPT_COUNT];
                for (i, x) in v.iter().enumerate() {
                    out[i] = check(*x, Concept::ALL[i].key())?;
                }
                Ok(out)
            }
            ThetaValues::Keyed(pairs) => {
                let mut out = *base;
                let mut seen = Vec::new();
                for (k, x) in pairs {
                    let Some(c) = Concept::from_key(k) else {
                        return Err(bad(format!(
                            "unknown concept '{k}'; expected one of {}",
                            Concept::KEYS.join(", ")
                        )));
                    };
                    if seen.contains(&c) {
                        return Err(bad(format!("concept {k} is given twice; give it once")));
                    }
                    seen.push(c);
                    out[c.index()] = check(*x, c.key())?;
                }
                Ok(out)
            }
        }
    }
}

fn bad(message: String) -> ApiError {
    ApiError::bad_input("theta", message)
}

impl Serialize for ThetaValues {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ThetaValues::All(x) => x.serialize(s),
            ThetaValues::Values(v) => v.serialize(s),
            ThetaValues::Keyed(pairs) => {
                let mut map = s.serialize_map(Some(pairs.len()))?;
                for (k, v) in pairs {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for ThetaValues {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let given = deserialize_given_numbers(
            d,
            "a number in [0, 1] for every concept, an array of 12 numbers in concept order, or an object of numbers keyed by concept key",
            true,
        )?;
        Ok(match given {
            GivenNumbers::One(x) => ThetaValues::All(x),
            GivenNumbers::List(v) => ThetaValues::Values(v),
            GivenNumbers::Keyed(pairs) => ThetaValues::Keyed(pairs),
        })
    }
}

/// The weights λ of the three risk components (`tables/parameters.toml` `[risk_lambda]`).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RiskTermsView {
    /// StaticDrop's term.
    pub static_drop: f64,
    /// DynamicJitter's term.
    pub dynamic_jitter: f64,
    /// AIUncertainty's term.
    pub ai_uncertainty: f64,
}

/// Where a component is decided.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RiskAtView {
    /// Concept key.
    pub concept: &'static str,
    /// Scene key, `null` for a component that is not about one scene.
    pub scene: Option<&'static str>,
}

/// One risk: its three components, their weighted contributions and the risk.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RiskComponentsView {
    /// `1 − min A_static` over the scenes and concepts looked at.
    pub static_drop: f64,
    /// Where the minimum is.
    pub static_min_at: RiskAtView,
    /// The largest (scene-weighted) population std of a dynamic row.
    pub dynamic_jitter: f64,
    /// The concept whose row jitters most.
    pub jitter_at: RiskAtView,
    /// `1 − min θ_c` over the concepts looked at.
    pub ai_uncertainty: f64,
    /// The concept with the smallest θ_c.
    pub theta_min_at: RiskAtView,
    /// λ times each component.
    pub contributions: RiskTermsView,
    /// The sum of the contributions.
    pub linear: f64,
    /// `sigmoid(linear)`, in (0, 1).
    pub risk: f64,
}

impl RiskComponentsView {
    fn new(r: &Risk) -> RiskComponentsView {
        RiskComponentsView {
            static_drop: r.static_drop,
            static_min_at: RiskAtView {
                concept: r.static_min_at.0.key(),
                scene: Some(r.static_min_at.1.key()),
            },
            dynamic_jitter: r.dynamic_jitter,
            jitter_at: RiskAtView {
                concept: r.jitter_concept.key(),
                scene: None,
            },
            ai_uncertainty: r.ai_uncertainty,
            theta_min_at: RiskAtView {
                concept: r.theta_min_concept.key(),
                scene: None,
            },
            contributions: RiskTermsView {
                static_drop: r.contributions[0],
                dynamic_jitter: r.contributions[1],
                ai_uncertainty: r.contributions[2],
            },
            linear: r.linear,
            risk: r.risk,
        }
    }
}

/// The chain or stack assessed.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RiskSubjectView {
    /// The chain id, or the member ids joined by `+`.
    pub id: String,
    /// Its name (members' names joined by ` + `), in the chosen language.
    pub name: String,
    /// Member ids (one for a chain).
    pub members: Vec<String>,
    /// Its score in the scenario, `null` without a scenario.
    pub score: Option<f64>,
    /// The reference's risk over the whole matrix.
    pub whole: RiskComponentsView,
    /// The risk over the scenes and concepts the scenario weighs, `null` without a scenario.
    pub scenario_aware: Option<RiskComponentsView>,
}

/// A chain in the risk ranking.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RiskRankView {
    /// Competition rank, lowest risk first; risks within 1e-9 share a rank.
    pub rank: usize,
    /// True when it shares its rank.
    pub tied: bool,
    /// Chain id.
    pub id: String,
    /// Name in the chosen language.
    pub name: String,
    /// The risk it is ranked by: scenario-aware with a scenario, whole without.
    pub risk: f64,
    /// Its score in the scenario, `null` without a scenario.
    pub score: Option<f64>,
    /// The components of `risk`.
    pub components: RiskComponentsView,
    /// The whole-matrix risk, for comparison.
    pub whole_risk: f64,
}

/// `risk`'s answer.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RiskView {
    /// The scenario, `null` without one (whole-matrix risk only).
    pub scenario: Option<ScenarioView>,
    /// The λ of each component.
    pub lambda: RiskTermsView,
    /// Θ used for the AI uncertainty (scores always use the knowledge base's Θ).
    pub theta: ConceptValues,
    /// True when Θ came from the request, false when from `tables/theta.toml`.
    pub theta_given: bool,
    /// The chain or stack assessed, `null` for a ranking.
    pub subject: Option<RiskSubjectView>,
    /// Every chain by risk, lowest first (empty when a chain or stack is assessed).
    pub ranking: Vec<RiskRankView>,
    /// Remarks in words.
    pub notes: Vec<String>,
}

/// `risk`: see [`RiskRequest`]. The whole risk is the reference formula; the scenario-aware one
/// looks only at the scenes and concepts the scenario weighs (`docs/risk.md`).
pub fn risk_view(kb: &KnowledgeBase, lang: Lang, req: &RiskRequest) -> ApiResult<RiskView> {
    let has_scenario = req.scenario.scenario.is_some() || req.scenario.vector.is_some();
    if !has_scenario && (req.scenario.weights.is_some() || req.scenario.time.is_some()) {
        return Err(ApiError::bad_input(
            "weights",
            "weights and time need a scenario or a vector; expected scenario or vector with them",
        ));
    }
    if req.tech.is_some() && req.stack.is_some() {
        return Err(ApiError::bad_input(
            "stack",
            "tech and stack are both given; expected one of them",
        ));
    }
    let theta_given = req.theta.is_some();
    let theta = match &req.theta {
        Some(t) => t.resolve(&kb.tables.theta.value)?,
        None => kb.tables.theta.value,
    };
    // The score beside is the score every other verb gives (Θ of the knowledge base); a given
    // Θ is a what-if on the AI uncertainty only.
    let scenario: Option<PreparedScenario> = if has_scenario {
        Some(resolve(kb, &req.scenario)?.0)
    } else {
        None
    };
    let params = &kb.tables.parameters;
    let focus = scenario
        .as_ref()
        .map(|s| RiskFocus::scenario(&s.vector, &s.weights));
    let mut notes = Vec::new();
    let members: Option<Vec<&Technology>> = match (&req.tech, &req.stack) {
        (Some(id), _) => {
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
            Some(vec![t])
        }
        (None, Some(ids)) => {
            if ids.is_empty() {
                return Err(ApiError::bad_input(
                    "stack",
                    "the stack is empty; expected technology ids such as k8s,istio",
                ));
            }
            let mut out = Vec::new();
            for id in ids {
                let t = find_technology(kb, id.trim())?;
                if out.iter().any(|m: &&Technology| m.id == t.id) {
                    return Err(ApiError::bad_input(
                        "stack",
                        format!("'{}' is named twice; name each member once", t.id),
                    ));
                }
                out.push(t);
            }
            Some(out)
        }
        (None, None) => None,
    };
    let view_scenario = scenario.as_ref().map(|s| ScenarioView::new(s, lang));
    let lambda = RiskTermsView {
        static_drop: params.risk_static_drop,
        dynamic_jitter: params.risk_dynamic_jitter,
        ai_uncertainty: params.risk_ai_uncertainty,
    };
    let Some(members) = members else {
        let mut rows = Vec::new();
        for t in kb.chains() {
            let whole = risk(&t.maturity, &theta, params, &RiskFocus::whole())
                .ok_or_else(|| ApiError::failure(format!("chain '{}' has no full matrix", t.id)))?;
            let (ranked, score) = match (&focus, &scenario) {
                (Some(f), Some(s)) => (
                    risk(&t.maturity, &theta, params, f).ok_or_else(|| {
                        ApiError::bad_input("weights", "the scenario weighs no concept")
                    })?,
                    stack_fit_and_score(&[t], s, params).map(|x| x.1),
                ),
                _ => (whole, None),
            };
            rows.push((t, ranked, whole, score));
        }
        rows.sort_by(|a, b| {
            a.1.risk
                .total_cmp(&b.1.risk)
                .then_with(|| a.0.id.cmp(&b.0.id))
        });
        let risks: Vec<f64> = rows.iter().map(|r| r.1.risk).collect();
        let ranks = competition_ranks(&risks);
        // Within a tie group, ids in ascending order.
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| {
            ranks[a]
                .cmp(&ranks[b])
                .then_with(|| rows[a].0.id.cmp(&rows[b].0.id))
        });
        let tied_flags = stackmatrix_engine::mcdm::tied_ranks(&ranks);
        let ranking = order
            .iter()
            .map(|&i| {
                let (t, r, whole, score) = &rows[i];
                let tied = tied_flags[i];
                RiskRankView {
                    rank: ranks[i],
                    tied,
                    id: t.id.clone(),
                    name: t.name.get(lang).to_string(),
                    risk: r.risk,
                    score: *score,
                    components: RiskComponentsView::new(r),
                    whole_risk: whole.risk,
                }
            })
            .collect::<Vec<_>>();
        if ranking.iter().any(|r| r.tied) {
            notes.push(format!(
                "risks within {TIE_TOLERANCE:e} share a rank and are listed by id"
            ));
        }
        return Ok(RiskView {
            scenario: view_scenario,
            lambda,
            theta: ConceptValues(theta),
            theta_given,
            subject: None,
            ranking,
            notes,
        });
    };
    let tensor = compose_stack(&members);
    if let Some(missing) = uncovered(&tensor) {
        return Err(ApiError::bad_input(
            if req.tech.is_some() { "tech" } else { "stack" },
            format!(
                "no member covers {}: the stack has no full matrix and cannot be assessed; add a chain (e.g. k8s)",
                missing.join(", ")
            ),
        ));
    }
    let whole = risk(&tensor, &theta, params, &RiskFocus::whole())
        .ok_or_else(|| ApiError::failure("a covered stack has no matrix"))?;
    let aware = match &focus {
        Some(f) => Some(
            risk(&tensor, &theta, params, f)
                .ok_or_else(|| ApiError::bad_input("weights", "the scenario weighs no concept"))?,
        ),
        None => None,
    };
    let score = scenario
        .as_ref()
        .and_then(|s| stack_fit_and_score(&members, s, params).map(|x| x.1));
    if members.len() > 1 {
        notes.push("the stack's dynamic slice is composed like its static one: the element-wise best of the members' dynamic rows (each falling back to the member's static row) plus the members' uplifts, clamped to [0, 1]".into());
        let problems = stackmatrix_engine::stack_problems(&members, &Default::default());
        if !problems.is_empty() {
            let words: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            notes.push(format!(
                "as a deployment this stack breaks a rule: {}",
                words.join("; ")
            ));
        }
    }
    Ok(RiskView {
        scenario: view_scenario,
        lambda,
        theta: ConceptValues(theta),
        theta_given,
        subject: Some(RiskSubjectView {
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
            whole: RiskComponentsView::new(&whole),
            scenario_aware: aware.as_ref().map(RiskComponentsView::new),
        }),
        ranking: Vec::new(),
        notes,
    })
}

/// Concept keys the tensor has a static row for.
pub(crate) fn covered_keys(t: &MaturityTensor) -> Vec<&'static str> {
    Concept::ALL
        .iter()
        .filter(|c| t.row(TimeSlice::Static, **c).is_some())
        .map(|c| c.key())
        .collect()
}

/// Concept keys without a static row, `None` when every concept has one.
pub(crate) fn uncovered(t: &MaturityTensor) -> Option<Vec<&'static str>> {
    let missing: Vec<&'static str> = Concept::ALL
        .iter()
        .filter(|c| t.row(TimeSlice::Static, **c).is_none())
        .map(|c| c.key())
        .collect();
    (!missing.is_empty()).then_some(missing)
}

/// `k8s,keda`: a host of the addon (or the first chain) and the addon.
pub(crate) fn example_stack(kb: &KnowledgeBase, addon: &Technology) -> String {
    let host = addon
        .hosts
        .first()
        .cloned()
        .or_else(|| kb.chains().next().map(|c| c.id.clone()))
        .unwrap_or_else(|| "k8s".into());
    format!("{host},{}", addon.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> KnowledgeBase {
        stackmatrix_model::builtin().unwrap()
    }

    #[test]
    fn theta_reads_one_twelve_or_keyed_values() {
        let base = [1.0; CONCEPT_COUNT];
        let all = ThetaValues::parse_list("0.8")
            .unwrap()
            .resolve(&base)
            .unwrap();
        assert_eq!(all, [0.8; CONCEPT_COUNT]);
        let keyed = ThetaValues::parse_list("I=0.9,Θ=0.5")
            .unwrap()
            .resolve(&base)
            .unwrap();
        assert_eq!((keyed[0], keyed[1], keyed[11]), (0.9, 1.0, 0.5));
        let list = ThetaValues::parse_list("1,1,1,1,1,1,1,1,1,1,1,0.7")
            .unwrap()
            .resolve(&base)
            .unwrap();
        assert_eq!(list[11], 0.7);
        let err = |t: &str| {
            ThetaValues::parse_list(t)
                .and_then(|v| v.resolve(&base))
                .unwrap_err()
                .to_string()
        };
        assert!(err("1.5").starts_with("theta: 1.5 (every concept) is not in [0, 1]"));
        assert!(err("0.5,0.5").contains("expected 12 numbers"));
        assert!(err("Z=0.5").contains("unknown concept 'Z'"));
        assert!(err("I=0.5,I=0.6").contains("given twice"));
        assert!(err("x").contains("'x' (every concept) is not a number"));
        assert!(err("I=0.5,0.3").contains("not KEY=VALUE"));
    }

    #[test]
    fn a_chain_alone_and_in_a_scenario() {
        let kb = kb();
        let req = RiskRequest {
            tech: Some("k8s".into()),
            ..RiskRequest::default()
        };
        let v = risk_view(&kb, Lang::En, &req).unwrap();
        let s = v.subject.unwrap();
        assert!(s.scenario_aware.is_none() && s.score.is_none());
        assert!(s.whole.risk > 0.5 && s.whole.risk < 1.0);
        let req = RiskRequest {
            scenario: ScenarioRequest::scenario("edge"),
            ..req
        };
        let v = risk_view(&kb, Lang::En, &req).unwrap();
        let s = v.subject.unwrap();
        // One scene: no jitter across scenes.
        assert_eq!(s.scenario_aware.unwrap().dynamic_jitter, 0.0);
        assert!((s.score.unwrap() - 7.666666666666667).abs() < 1e-9);
    }

    #[test]
    fn every_chain_is_ranked_lowest_first() {
        let kb = kb();
        let req = RiskRequest {
            scenario: ScenarioRequest::scenario("prod"),
            ..RiskRequest::default()
        };
        let v = risk_view(&kb, Lang::En, &req).unwrap();
        assert_eq!(v.ranking.len(), kb.chains().count());
        for w in v.ranking.windows(2) {
            assert!(w[0].risk <= w[1].risk + 1e-9);
        }
        assert!(v.ranking.iter().all(|r| r.score.is_some()));
    }

    #[test]
    fn addons_and_bad_requests_are_refused_by_field() {
        let kb = kb();
        let e = risk_view(
            &kb,
            Lang::En,
            &RiskRequest {
                tech: Some("keda".into()),
                ..RiskRequest::default()
            },
        )
        .unwrap_err();
        assert!(matches!(e, ApiError::BadInput { field: "tech", .. }), "{e}");
        assert!(e.to_string().contains("cannot be assessed alone"), "{e}");
        let e = risk_view(
            &kb,
            Lang::En,
            &RiskRequest {
                stack: Some(vec!["istio".into(), "keda".into()]),
                ..RiskRequest::default()
            },
        )
        .unwrap_err();
        assert!(
            matches!(e, ApiError::BadInput { field: "stack", .. }),
            "{e}"
        );
        let e = risk_view(
            &kb,
            Lang::En,
            &RiskRequest {
                tech: Some("nope".into()),
                ..RiskRequest::default()
            },
        )
        .unwrap_err();
        assert!(matches!(e, ApiError::NotFound { .. }));
    }
}
