//! `ops`: the named operations of the knowledge base (build, deploy, scale, upgrade) as impact
//! vectors, and a chain of them applied to a concept vector: `T = diag(impact_ok) ⋯
//! diag(impact_o1)`, `y = T x` (docs/operations.md).

use crate::deps::{members_fit, resolve_members};
use crate::error::{ApiError, ApiResult};
use crate::numbers::fixed;
use crate::request::{MaturityVector, ScenarioRequest};
use crate::scenario::resolve;
use crate::views::{ConceptValues, ScenarioView};
use serde::{Deserialize, Serialize};
use stackmatrix_engine::apply_operation_chain;
use stackmatrix_model::{Concept, KnowledgeBase, Lang, Operation, CONCEPT_COUNT};

/// The semantics, in one line, as every `ops` answer states it.
pub const OPERATION_SEMANTICS: &str = "T_o = diag(impact_o); a chain o1..ok is T = T_ok ⋯ T_o1 and y = T x, so y_c = x_c · Π_o impact_o[c]; diagonal matrices commute, so the result does not depend on the order";

/// `ops`: without `apply`, the list of operations; with `apply`, the chain applied to a vector:
/// `to` (12 values in [0, 1]), or the fit of `tech` or `stack` in a scenario (`scenario` or
/// `vector`), or, with neither, a vector of ones (the answer is then the chain's combined
/// impact).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OpsRequest {
    /// Operation ids, in the order performed (`build-image`, `deploy-container`).
    #[serde(default)]
    pub apply: Option<Vec<String>>,
    /// The concept vector to act on: 12 numbers in [0, 1] in concept order, or an object keyed
    /// by concept (concepts not named are 1).
    #[serde(default)]
    pub to: Option<MaturityVector>,
    /// A technology whose fit in the scenario is the vector. Give this or `stack`.
    #[serde(default)]
    pub tech: Option<String>,
    /// A stack whose composed fit in the scenario is the vector.
    #[serde(default)]
    pub stack: Option<Vec<String>>,
    /// The scenario of `tech` or `stack`.
    #[serde(flatten)]
    pub scenario: ScenarioRequest,
}

/// An operation's display names.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct OpNamesView {
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

/// One operation.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct OperationView {
    /// The id (`build-image`).
    pub id: String,
    /// build, deploy, scale or upgrade.
    pub group: String,
    /// Name in the chosen language.
    pub name: String,
    /// Both names.
    pub names: OpNamesView,
    /// Impact on each concept, in [0, 1]: the diagonal of the operation's matrix.
    pub impact: ConceptValues,
}

/// `ops list`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct OpsListView {
    /// `list`.
    pub kind: &'static str,
    /// How operations act and compose.
    pub semantics: &'static str,
    /// Every operation, in the knowledge base's order.
    pub operations: Vec<OperationView>,
}

/// One step of a chain.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct OpsStepView {
    /// The operation id.
    pub operation: String,
    /// Its name in the chosen language.
    pub name: String,
    /// Its impact vector.
    pub impact: ConceptValues,
    /// The vector after this step.
    pub vector: ConceptValues,
}

/// Where the input vector came from.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct OpsInputView {
    /// `vector` (given), `fit` (a technology's or stack's fit in a scenario) or `unit` (ones).
    pub source: &'static str,
    /// The technology or stack ids joined by `+`, for `fit`.
    pub stack: Option<String>,
    /// The scenario, for `fit`.
    pub scenario: Option<ScenarioView>,
    /// The vector.
    pub vector: ConceptValues,
}

/// `ops apply`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct OpsApplyView {
    /// `apply`.
    pub kind: &'static str,
    /// How operations act and compose.
    pub semantics: &'static str,
    /// The operation ids in the order performed.
    pub chain: Vec<String>,
    /// The input.
    pub input: OpsInputView,
    /// The vector after each operation, in the order performed.
    pub steps: Vec<OpsStepView>,
    /// The chain's combined impact: the diagonal of T, `Π_o impact_o`.
    pub combined: ConceptValues,
    /// `T x`.
    pub result: ConceptValues,
    /// `Σ result / Σ combined`: the input's mean over the concepts the chain exercises, weighted
    /// by how strongly it exercises each; `null` when it exercises none.
    pub readiness: Option<f64>,
    /// The concepts the chain exercises (combined impact > 0), strongest first.
    pub exercised: Vec<&'static str>,
    /// In one sentence.
    pub summary: String,
}

/// `ops`'s answer: the list or an application (each names itself in `kind`).
#[derive(Debug, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum OpsAnswer {
    /// `ops list`.
    List(OpsListView),
    /// `ops apply`.
    Apply(Box<OpsApplyView>),
}

fn operation_view(o: &Operation, lang: Lang) -> OperationView {
    OperationView {
        id: o.id.clone(),
        group: o.group.clone(),
        name: o.name.get(lang).to_string(),
        names: OpNamesView {
            en: o.name.get(Lang::En).to_string(),
            zh: o.name.get(Lang::Zh).to_string(),
        },
        impact: ConceptValues(o.impact),
    }
}

/// Every operation, with the semantics.
pub fn list_operations(kb: &KnowledgeBase, lang: Lang) -> OpsListView {
    OpsListView {
        kind: "list",
        semantics: OPERATION_SEMANTICS,
        operations: kb
            .tables
            .operations
            .iter()
            .map(|o| operation_view(o, lang))
            .collect(),
    }
}

fn operation_ids(kb: &KnowledgeBase) -> String {
    kb.tables
        .operations
        .iter()
        .map(|o| o.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `ops`: the list, or the chain `apply` applied (see [`OpsRequest`]).
///
/// ```
/// use stackmatrix_api::{ops, OpsAnswer, OpsRequest};
/// let kb = stackmatrix_model::builtin().unwrap();
/// let req = OpsRequest { apply: Some(vec!["build-image".into(), "deploy-container".into()]), ..Default::default() };
/// let OpsAnswer::Apply(v) = ops(&kb, stackmatrix_model::Lang::En, &req).unwrap() else { panic!() };
/// assert_eq!(v.combined.0[0], 0.5); // I: 1.0 (build) · 0.5 (deploy)
/// ```
pub fn ops(kb: &KnowledgeBase, lang: Lang, req: &OpsRequest) -> ApiResult<OpsAnswer> {
    let has_scenario = req.scenario.scenario.is_some() || req.scenario.vector.is_some();
    let Some(apply) = &req.apply else {
        let given = [
            (req.to.is_some(), "to"),
            (req.tech.is_some(), "tech"),
            (req.stack.is_some(), "stack"),
            (has_scenario, "scenario"),
            (req.scenario.weights.is_some(), "weights"),
            (req.scenario.time.is_some(), "time"),
        ];
        if let Some((_, field)) = given.iter().find(|(g, _)| *g) {
            return Err(ApiError::bad_input(
                field,
                format!("{field} is given without operations to apply; expected apply, e.g. build-image,deploy-container"),
            ));
        }
        return Ok(OpsAnswer::List(list_operations(kb, lang)));
    };
    if apply.is_empty() {
        return Err(ApiError::bad_input(
            "apply",
            format!(
                "no operations; expected operation ids in the order performed, from: {}",
                operation_ids(kb)
            ),
        ));
    }
    let mut chain: Vec<&Operation> = Vec::with_capacity(apply.len());
    for id in apply {
        let id = id.trim();
        let op = kb
            .tables
            .operations
            .iter()
            .find(|o| o.id == id)
            .ok_or_else(|| {
                ApiError::bad_input(
                    "apply",
                    format!(
                        "unknown operation '{id}'; expected one of: {}",
                        operation_ids(kb)
                    ),
                )
            })?;
        chain.push(op);
    }
    let input = input_vector(kb, lang, req, has_scenario)?;
    let impacts: Vec<[f64; CONCEPT_COUNT]> = chain.iter().map(|o| o.impact).collect();
    let x = input.vector.0;
    let a = apply_operation_chain(&impacts, &x);
    let steps: Vec<OpsStepView> = chain
        .iter()
        .zip(&a.steps)
        .map(|(o, v)| OpsStepView {
            operation: o.id.clone(),
            name: o.name.get(lang).to_string(),
            impact: ConceptValues(o.impact),
            vector: ConceptValues(*v),
        })
        .collect();
    let mut exercised: Vec<usize> = (0..CONCEPT_COUNT)
        .filter(|&c| a.combined[c] > 0.0)
        .collect();
    exercised.sort_by(|&i, &j| a.combined[j].total_cmp(&a.combined[i]).then(i.cmp(&j)));
    let chain_ids: Vec<String> = chain.iter().map(|o| o.id.clone()).collect();
    let strongest = exercised
        .iter()
        .take(4)
        .map(|&c| format!("{} {}", Concept::ALL[c].symbol(), fixed(a.combined[c], 4)))
        .collect::<Vec<_>>()
        .join(", ");
    let arrow = chain_ids.join(" → ");
    let summary = match (lang, a.readiness) {
        (Lang::En, Some(r)) => format!(
            "{arrow} exercises {} of 12 concepts (combined impact: {strongest}{}); readiness {}: the input's mean where the chain acts, weighted by the combined impact.",
            exercised.len(),
            if exercised.len() > 4 { ", ..." } else { "" },
            fixed(r, 4)
        ),
        (Lang::En, None) => format!("{arrow} exercises no concept: some concept's impact is 0 in every step's product, for every concept."),
        (Lang::Zh, Some(r)) => format!(
            "{arrow} 作用于 12 个概念中的 {} 个（合成影响：{strongest}{}）；就绪度 {}：按合成影响加权的输入平均值。",
            exercised.len(),
            if exercised.len() > 4 { "，……" } else { "" },
            fixed(r, 4)
        ),
        (Lang::Zh, None) => format!("{arrow} 不作用于任何概念：每个概念的合成影响均为 0。"),
    };
    Ok(OpsAnswer::Apply(Box::new(OpsApplyView {
        kind: "apply",
        semantics: OPERATION_SEMANTICS,
        chain: chain_ids,
        input,
        steps,
        combined: ConceptValues(a.combined),
        result: ConceptValues(a.result),
        readiness: a.readiness,
        exercised: exercised.iter().map(|&c| Concept::ALL[c].key()).collect(),
        summary,
    })))
}

/// The vector a request acts on, checked.
fn input_vector(
    kb: &KnowledgeBase,
    lang: Lang,
    req: &OpsRequest,
    has_scenario: bool,
) -> ApiResult<OpsInputView> {
    let has_stack = req.tech.is_some() || req.stack.is_some();
    if let Some(to) = &req.to {
        if has_stack || has_scenario {
            return Err(ApiError::bad_input(
                "to",
                "a vector and a tech, stack or scenario are both given; expected the vector (to) or a tech or stack with a scenario",
            ));
        }
        let v = to.resolve()?;
        for (i, x) in v.iter().enumerate() {
            if !(0.0..=1.0).contains(x) {
                return Err(ApiError::bad_input(
                    "to",
                    format!(
                        "{x} (item {}, {}) is outside [0, 1]; expected a maturity or fit between 0 and 1",
                        i + 1,
                        Concept::KEYS[i]
                    ),
                ));
            }
        }
        return Ok(OpsInputView {
            source: "vector",
            stack: None,
            scenario: None,
            vector: ConceptValues(v),
        });
    }
    if has_stack || has_scenario {
        if !has_scenario {
            return Err(ApiError::bad_input(
                "scenario",
                "a technology or stack is given without a scenario; its fit needs a scenario id or a scene vector",
            ));
        }
        let (id, members) = resolve_members(kb, req.tech.as_deref(), req.stack.as_deref())?;
        let (scenario, _) = resolve(kb, &req.scenario)?;
        let fit = members_fit(kb, &members, &scenario)?;
        return Ok(OpsInputView {
            source: "fit",
            stack: Some(id),
            scenario: Some(ScenarioView::new(&scenario, lang)),
            vector: ConceptValues(fit),
        });
    }
    for (given, field) in [
        (req.scenario.weights.is_some(), "weights"),
        (req.scenario.time.is_some(), "time"),
    ] {
        if given {
            return Err(ApiError::bad_input(
                field,
                format!("{field} is given without a scenario; it is used only with a tech or stack and a scenario"),
            ));
        }
    }
    Ok(OpsInputView {
        source: "unit",
        stack: None,
        scenario: None,
        vector: ConceptValues([1.0; CONCEPT_COUNT]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> KnowledgeBase {
        stackmatrix_model::builtin().unwrap()
    }

    fn apply(ids: &[&str]) -> OpsRequest {
        OpsRequest {
            apply: Some(ids.iter().map(|s| s.to_string()).collect()),
            ..OpsRequest::default()
        }
    }

    fn bad(e: ApiError) -> (&'static str, String) {
        match e {
            ApiError::BadInput { field, message } => (field, message),
            other => panic!("not bad input: {other:?}"),
        }
    }

    #[test]
    fn the_list_has_every_operation_with_both_names() {
        let OpsAnswer::List(v) = ops(&kb(), Lang::Zh, &OpsRequest::default()).unwrap() else {
            panic!()
        };
        assert_eq!(v.operations.len(), 12);
        assert_eq!(v.operations[0].id, "build-image");
        assert_eq!(v.operations[0].name, "构建镜像");
        assert_eq!(v.operations[0].names.en, "Build image");
    }

    #[test]
    fn a_chain_on_a_technology_fit_shows_each_step() {
        let req = OpsRequest {
            tech: Some("k3s".into()),
            scenario: ScenarioRequest::scenario("edge"),
            ..apply(&["build-image", "deploy-container"])
        };
        let OpsAnswer::Apply(v) = ops(&kb(), Lang::En, &req).unwrap() else {
            panic!()
        };
        assert_eq!(v.input.source, "fit");
        // K3s at the edge: I fits 1.0; build-image keeps 1.0 of it, deploy-container 0.5.
        assert_eq!(v.input.vector.0[0], 1.0);
        assert_eq!(v.steps[0].vector.0[0], 1.0);
        assert_eq!(v.result.0[0], 0.5);
        assert_eq!(v.exercised[0], "I");
        let r = v.readiness.unwrap();
        assert!((0.0..=1.0).contains(&r));
    }

    #[test]
    fn vectors_are_checked_by_position_and_key() {
        let kb = kb();
        let e = |req: OpsRequest| bad(ops(&kb, Lang::En, &req).unwrap_err());
        let (field, message) = e(OpsRequest {
            to: Some(MaturityVector::parse_list("0,0,1.5,0,0,0,0,0,0,0,0,0").unwrap()),
            ..apply(&["canary"])
        });
        assert_eq!(field, "to");
        assert!(
            message.starts_with("1.5 (item 3, Q) is outside [0, 1]"),
            "{message}"
        );
        let (field, message) = bad(MaturityVector::parse_list("I=0.5,Z=1").unwrap_err());
        assert_eq!(field, "to");
        assert!(message.contains("unknown concept 'Z'"));
        let (field, message) = e(apply(&["build-image", "deploy"]));
        assert_eq!(field, "apply");
        assert!(message.contains("unknown operation 'deploy'; expected one of: build-image"));
        assert_eq!(e(apply(&[])).0, "apply");
        assert_eq!(
            e(OpsRequest {
                tech: Some("k3s".into()),
                ..apply(&["canary"])
            })
            .0,
            "scenario"
        );
        assert_eq!(
            e(OpsRequest {
                to: Some(MaturityVector::Values(vec![1.0; 12])),
                tech: Some("k3s".into()),
                ..apply(&["canary"])
            })
            .0,
            "to"
        );
        assert_eq!(
            e(OpsRequest {
                to: Some(MaturityVector::Values(vec![1.0; 12])),
                ..OpsRequest::default()
            })
            .0,
            "to"
        );
    }

    #[test]
    fn unnamed_concepts_are_one() {
        let req = OpsRequest {
            to: Some(MaturityVector::parse_list("I=0.5").unwrap()),
            ..apply(&["build-image"])
        };
        let OpsAnswer::Apply(v) = ops(&kb(), Lang::En, &req).unwrap() else {
            panic!()
        };
        assert_eq!(v.input.vector.0[0], 0.5);
        assert_eq!(v.input.vector.0[1], 1.0);
        assert_eq!(v.result.0[0], 0.5);
    }
}
