//! `adapt`: how well a technology (or a stack) carries each concept when a workload moves from
//! one scene to another, and, without a target scene, every other scene ranked.

use crate::error::{ApiError, ApiResult};
use crate::rank::{find_technology, technology_ids};
use serde::{Deserialize, Serialize};
use stackmatrix_engine::{
    adaptation_compatibility, compose_stack, has_service_mesh, overall_adaptation,
    rank_target_scenes, scene_adaptation, stack_problems, weakest_concept, StackRequirements,
};
use stackmatrix_model::{
    Concept, KnowledgeBase, Lang, Matrix, Scene, TechKind, Technology, TimeSlice, CONCEPT_COUNT,
};

/// `adapt`: a technology (`tech`) or a stack (`stack`, its member ids), the scene the workload
/// leaves (`from_scene`) and, optionally, the scene it moves to (`to_scene`; without it every
/// other scene is ranked). `scenario` (optional) weighs the overall figure by that scenario's
/// concept weights instead of equally.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AdaptRequest {
    /// A technology id: a chain (an addon covers only some concepts and needs a stack).
    #[serde(default)]
    pub tech: Option<String>,
    /// The member ids of a stack, composed by the composition rule (`compose_stack`).
    #[serde(default)]
    pub stack: Option<Vec<String>>,
    /// The scene the workload moves from.
    #[serde(default)]
    pub from_scene: Option<String>,
    /// The scene it moves to; every other scene is ranked when absent.
    #[serde(default)]
    pub to_scene: Option<String>,
    /// A scenario whose concept weights weigh the overall figure [default: equal weights].
    #[serde(default)]
    pub scenario: Option<String>,
}

/// A scene with its name.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AdaptSceneView {
    /// The scene key (`edge`).
    pub key: &'static str,
    /// Its name in the chosen language.
    pub name: String,
}

/// A member of what is adapted.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AdaptMemberView {
    /// The technology id.
    pub id: String,
    /// Its name in the chosen language.
    pub name: String,
}

/// What is adapted: a chain or a stack.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AdaptSubjectView {
    /// `chain` (one technology) or `stack`.
    pub kind: &'static str,
    /// The id: the chain's, or the members' joined by `+` (`k8s+istio`).
    pub id: String,
    /// The name: the chain's, or the members' joined by ` + `.
    pub name: String,
    /// The members, as given.
    pub members: Vec<AdaptMemberView>,
}

/// One concept's adaptation between the two scenes.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ConceptAdaptationView {
    /// The concept key (`I` .. `Theta`).
    pub key: &'static str,
    /// Its symbol (`Θ` for Theta).
    pub symbol: &'static str,
    /// Its name in the chosen language.
    pub name: String,
    /// Static maturity in the from and the to scene.
    pub maturity: [f64; 2],
    /// Compatibility in the from and the to scene (row L from `compatibility_l_mesh` when
    /// `service_mesh`).
    pub compatibility: [f64; 2],
    /// `α · min(maturity) + β · min(compatibility)`, in [0, 1].
    pub adaptation: f64,
    /// The concept's weight in the overall figure.
    pub weight: f64,
}

/// The concept that adapts least.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct WeakestConceptView {
    /// The concept key.
    pub key: &'static str,
    /// Its symbol.
    pub symbol: &'static str,
    /// Its name in the chosen language.
    pub name: String,
    /// Its adaptation.
    pub adaptation: f64,
}

/// A target scene of a move, ranked.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AdaptTargetView {
    /// 1 for the best adapted target.
    pub rank: usize,
    /// The target scene.
    pub scene: AdaptSceneView,
    /// The overall adaptation of the move.
    pub overall: f64,
    /// The concept that adapts least in the move.
    pub weakest: WeakestConceptView,
}

/// `adapt`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AdaptView {
    /// What is adapted.
    pub subject: AdaptSubjectView,
    /// The scene the workload moves from.
    pub from_scene: AdaptSceneView,
    /// The scene it moves to; `null` when every other scene is ranked (`targets`).
    pub to_scene: Option<AdaptSceneView>,
    /// The maturity slice used: `static`.
    pub slice: &'static str,
    /// α, the weight of maturity (`parameters.toml`, `[scene_adaptation] alpha_maturity`).
    pub alpha: f64,
    /// β, the weight of compatibility (`beta_compatibility`).
    pub beta: f64,
    /// True when a member is a service mesh, so row L of the compatibility table is the
    /// published "L + Service Mesh" row.
    pub service_mesh: bool,
    /// The scenario whose concept weights weigh `overall`; `null` for equal weights.
    pub scenario: Option<String>,
    /// With `to_scene`: every concept's adaptation, concept order; empty otherwise.
    pub concepts: Vec<ConceptAdaptationView>,
    /// With `to_scene`: `Σ w_c adapt_c / Σ w_c` (the mean with equal weights).
    pub overall: Option<f64>,
    /// With `to_scene`: the concept that adapts least (first in concept order among ties).
    pub weakest: Option<WeakestConceptView>,
    /// Without `to_scene`: the other five scenes, best adapted first; empty otherwise.
    pub targets: Vec<AdaptTargetView>,
}

/// A scene from a request field, or what the field accepts.
fn scene_of(field: &'static str, value: &str) -> ApiResult<Scene> {
    let key = value.trim();
    Scene::from_key(key).ok_or_else(|| {
        ApiError::bad_input(
            field,
            format!(
                "'{key}' is not a scene; expected one of: {}",
                Scene::KEYS.join(", ")
            ),
        )
    })
}

/// The members to adapt, from `tech` or `stack`.
fn members<'a>(kb: &'a KnowledgeBase, req: &AdaptRequest) -> ApiResult<Vec<&'a Technology>> {
    match (&req.tech, &req.stack) {
        (Some(_), Some(_)) => Err(ApiError::bad_input(
            "stack",
            "tech and stack are both given; expected one of them",
        )),
        (None, None) => Err(ApiError::bad_input(
            "tech",
            "no technology; expected tech (a chain id) or stack (member ids, e.g. k8s,istio)",
        )),
        (Some(id), None) => {
            let t = find_technology(kb, id.trim())?;
            if t.kind != TechKind::Chain {
                let covered: Vec<&str> = Concept::ALL
                    .iter()
                    .filter(|c| t.maturity.row(TimeSlice::Static, **c).is_some())
                    .map(|c| c.key())
                    .collect();
                let host = t.hosts.first().map_or("k8s", String::as_str);
                return Err(ApiError::bad_input(
                    "tech",
                    format!(
                        "'{}' is an addon with rows for {} only, so it cannot be adapted alone; expected a chain, or a stack with a chain (stack {host},{})",
                        t.id,
                        covered.join(", "),
                        t.id
                    ),
                ));
            }
            Ok(vec![t])
        }
        (None, Some(ids)) => {
            let ids: Vec<&str> = ids
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            if ids.is_empty() {
                return Err(ApiError::bad_input(
                    "stack",
                    "an empty stack; expected member ids separated by ',' (k8s,istio)",
                ));
            }
            let mut out = Vec::new();
            for id in &ids {
                out.push(kb.technology(id).ok_or_else(|| {
                    ApiError::bad_input(
                        "stack",
                        format!(
                            "unknown technology '{id}'; expected one of: {}",
                            technology_ids(kb).join(", ")
                        ),
                    )
                })?);
            }
            let problems = stack_problems(&out, &StackRequirements::default());
            if !problems.is_empty() {
                let reasons: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                return Err(ApiError::bad_input(
                    "stack",
                    format!(
                        "{} cannot be a stack: {}; expected members that form one (see stackmatrix recommend)",
                        ids.join("+"),
                        reasons.join("; ")
                    ),
                ));
            }
            Ok(out)
        }
    }
}

/// `adapt`: per concept `i`, `adapt_i = α · min(Amat[i, X], Amat[i, Y]) + β · min(Acomp[i, X],
/// Acomp[i, Y])` for a move from scene `X` to scene `Y` ([`scene_adaptation`]), with `Amat` the
/// static maturity matrix of the chain or of the composed stack, `Acomp` the published
/// compatibility table (row L from "L + Service Mesh" when a member is a service mesh), α and β
/// from `parameters.toml`; the overall figure is the (weighted) mean over the 12 concepts, and
/// the weakest concept is named. Without `to_scene`, every other scene is ranked by its overall
/// figure.
///
/// ```
/// use stackmatrix_api::{adapt, AdaptRequest};
/// let kb = stackmatrix_model::builtin().unwrap();
/// let req = AdaptRequest {
///     tech: Some("k3s".into()),
///     from_scene: Some("edge".into()),
///     to_scene: Some("prod".into()),
///     ..AdaptRequest::default()
/// };
/// let view = adapt(&kb, stackmatrix_model::Lang::En, &req).unwrap();
/// assert_eq!(view.concepts.len(), 12);
/// let overall = view.overall.unwrap();
/// assert!((0.0..=1.0).contains(&overall));
/// ```
pub fn adapt(kb: &KnowledgeBase, lang: Lang, req: &AdaptRequest) -> ApiResult<AdaptView> {
    let members = members(kb, req)?;
    let from = match &req.from_scene {
        Some(s) => scene_of("from_scene", s)?,
        None => {
            return Err(ApiError::bad_input(
                "from_scene",
                format!(
                    "no scene to move from; expected one of: {}",
                    Scene::KEYS.join(", ")
                ),
            ))
        }
    };
    let to = req
        .to_scene
        .as_deref()
        .map(|s| scene_of("to_scene", s))
        .transpose()?;
    if to == Some(from) {
        return Err(ApiError::bad_input(
            "to_scene",
            format!(
                "'{}' is also the scene moved from; expected another scene (or none, to rank every other scene)",
                from.key()
            ),
        ));
    }
    let (scenario, weights) = match &req.scenario {
        None => (None, [1.0; CONCEPT_COUNT]),
        Some(id) => {
            let s = crate::find_scenario(kb, id.trim())?;
            (Some(s.id.clone()), s.weights)
        }
    };
    let matrix: Matrix = compose_stack(&members)
        .matrix(TimeSlice::Static)
        .ok_or_else(|| ApiError::failure("the composed stack lacks a static row"))?;
    let mesh = has_service_mesh(&members);
    let comp = adaptation_compatibility(&kb.tables.attributes, mesh);
    let p = &kb.tables.parameters;
    let (alpha, beta) = (p.adaptation_alpha_maturity, p.adaptation_beta_compatibility);
    let scene_view = |s: Scene| AdaptSceneView {
        key: s.key(),
        name: kb.scene_names(s).get(lang).to_string(),
    };
    let weakest_view = |c: Concept, adapt: &[f64; CONCEPT_COUNT]| WeakestConceptView {
        key: c.key(),
        symbol: c.symbol(),
        name: kb.concept_names(c).get(lang).to_string(),
        adaptation: adapt[c.index()],
    };
    let mut view = AdaptView {
        subject: subject_view(&members, lang, req.stack.is_some()),
        from_scene: scene_view(from),
        to_scene: to.map(scene_view),
        slice: TimeSlice::Static.key(),
        alpha,
        beta,
        service_mesh: mesh,
        scenario,
        concepts: Vec::new(),
        overall: None,
        weakest: None,
        targets: Vec::new(),
    };
    match to {
        Some(to) => {
            let adapt = scene_adaptation(&matrix, &comp, from, to, alpha, beta);
            let (j, k) = (from.index(), to.index());
            view.concepts = Concept::ALL
                .iter()
                .map(|&c| {
                    let i = c.index();
                    ConceptAdaptationView {
                        key: c.key(),
                        symbol: c.symbol(),
                        name: kb.concept_names(c).get(lang).to_string(),
                        maturity: [matrix[i][j], matrix[i][k]],
                        compatibility: [comp[i][j], comp[i][k]],
                        adaptation: adapt[i],
                        weight: weights[i],
                    }
                })
                .collect();
            view.overall = Some(overall_adaptation(&adapt, &weights));
            view.weakest = Some(weakest_view(weakest_concept(&adapt, &weights), &adapt));
        }
        None => {
            view.targets = rank_target_scenes(&matrix, &comp, from, alpha, beta, &weights)
                .iter()
                .enumerate()
                .map(|(n, t)| AdaptTargetView {
                    rank: n + 1,
                    scene: scene_view(t.scene),
                    overall: t.overall,
                    weakest: weakest_view(t.weakest, &t.concepts),
                })
                .collect();
        }
    }
    Ok(view)
}

fn subject_view(members: &[&Technology], lang: Lang, stack: bool) -> AdaptSubjectView {
    let m: Vec<AdaptMemberView> = members
        .iter()
        .map(|t| AdaptMemberView {
            id: t.id.clone(),
            name: t.name.get(lang).to_string(),
        })
        .collect();
    AdaptSubjectView {
        kind: if stack { "stack" } else { "chain" },
        id: m
            .iter()
            .map(|x| x.id.as_str())
            .collect::<Vec<_>>()
            .join("+"),
        name: m
            .iter()
            .map(|x| x.name.as_str())
            .collect::<Vec<_>>()
            .join(" + "),
        members: m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> KnowledgeBase {
        stackmatrix_model::builtin().unwrap()
    }

    fn req(tech: &str, from: &str, to: Option<&str>) -> AdaptRequest {
        AdaptRequest {
            tech: Some(tech.into()),
            from_scene: Some(from.into()),
            to_scene: to.map(String::from),
            ..AdaptRequest::default()
        }
    }

    #[test]
    fn a_chain_adapts_concept_by_concept_with_the_mean_and_the_weakest() {
        let kb = kb();
        let view = adapt(&kb, Lang::En, &req("k8s", "dev", Some("edge"))).unwrap();
        assert_eq!(view.subject.kind, "chain");
        assert!(!view.service_mesh);
        assert_eq!((view.alpha, view.beta), (0.6, 0.4));
        let a = kb
            .technology("k8s")
            .unwrap()
            .maturity
            .matrix(TimeSlice::Static)
            .unwrap();
        let comp = &kb.tables.attributes.compatibility;
        for (i, c) in view.concepts.iter().enumerate() {
            let want = 0.6 * a[i][0].min(a[i][3]) + 0.4 * comp[i][0].min(comp[i][3]);
            assert!((c.adaptation - want).abs() < 1e-12, "{}", c.key);
            assert_eq!(c.maturity, [a[i][0], a[i][3]]);
        }
        let mean: f64 = view.concepts.iter().map(|c| c.adaptation).sum::<f64>() / 12.0;
        assert!((view.overall.unwrap() - mean).abs() < 1e-12);
        let weakest = view.weakest.unwrap();
        let min = view
            .concepts
            .iter()
            .map(|c| c.adaptation)
            .fold(f64::INFINITY, f64::min);
        assert_eq!(weakest.adaptation, min);
        assert!(view.targets.is_empty());
    }

    #[test]
    fn a_stack_with_a_mesh_uses_the_mesh_row_of_l() {
        let kb = kb();
        let r = AdaptRequest {
            stack: Some(vec!["k8s".into(), "istio".into()]),
            from_scene: Some("dev".into()),
            to_scene: Some("edge".into()),
            ..AdaptRequest::default()
        };
        let view = adapt(&kb, Lang::En, &r).unwrap();
        assert_eq!(view.subject.kind, "stack");
        assert_eq!(view.subject.id, "k8s+istio");
        assert!(view.service_mesh);
        let l = &view.concepts[Concept::LoadBalance.index()];
        let mesh = kb.tables.attributes.compatibility_l_mesh;
        assert_eq!(l.compatibility, [mesh[0], mesh[3]]);
    }

    #[test]
    fn without_a_target_every_other_scene_is_ranked() {
        let view = adapt(&kb(), Lang::En, &req("k3s", "edge", None)).unwrap();
        assert!(view.concepts.is_empty() && view.overall.is_none());
        assert_eq!(view.targets.len(), 5);
        assert!(view.targets.iter().all(|t| t.scene.key != "edge"));
        assert_eq!(
            view.targets.iter().map(|t| t.rank).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        assert!(view
            .targets
            .windows(2)
            .all(|w| w[0].overall >= w[1].overall - 1e-9));
    }

    #[test]
    fn scenario_weights_weigh_the_overall_figure() {
        let kb = kb();
        let mut r = req("k8s", "dev", Some("prod"));
        r.scenario = Some("edge".into());
        let view = adapt(&kb, Lang::En, &r).unwrap();
        let w = kb.scenario("edge").unwrap().weights;
        let total: f64 = w.iter().sum();
        let want: f64 = view
            .concepts
            .iter()
            .zip(&w)
            .map(|(c, w)| c.adaptation * w)
            .sum::<f64>()
            / total;
        assert!((view.overall.unwrap() - want).abs() < 1e-12);
        assert_eq!(view.scenario.as_deref(), Some("edge"));
    }

    #[test]
    fn errors_name_the_field_and_what_is_accepted() {
        let kb = kb();
        let err = |r: AdaptRequest| adapt(&kb, Lang::En, &r).unwrap_err();
        let e = err(req("istio", "dev", Some("prod")));
        assert!(matches!(&e, ApiError::BadInput { field: "tech", .. }));
        assert!(e.to_string().contains("addon"), "{e}");
        let e = err(req("nope", "dev", Some("prod")));
        assert!(matches!(
            &e,
            ApiError::NotFound {
                what: "technology",
                ..
            }
        ));
        let e = err(req("k8s", "moon", Some("prod")));
        assert!(matches!(
            &e,
            ApiError::BadInput {
                field: "from_scene",
                ..
            }
        ));
        assert!(
            e.to_string()
                .contains("expected one of: dev, ci, prod, edge, serverless, multitenant"),
            "{e}"
        );
        let e = err(req("k8s", "dev", Some("mars")));
        assert!(matches!(
            &e,
            ApiError::BadInput {
                field: "to_scene",
                ..
            }
        ));
        let e = err(req("k8s", "dev", Some("dev")));
        assert!(matches!(
            &e,
            ApiError::BadInput {
                field: "to_scene",
                ..
            }
        ));
        let mut r = req("k8s", "dev", None);
        r.from_scene = None;
        assert!(matches!(
            err(r),
            ApiError::BadInput {
                field: "from_scene",
                ..
            }
        ));
        assert!(matches!(
            err(AdaptRequest::default()),
            ApiError::BadInput { field: "tech", .. }
        ));
        let mut r = req("k8s", "dev", None);
        r.stack = Some(vec!["k8s".into()]);
        assert!(matches!(err(r), ApiError::BadInput { field: "stack", .. }));
        let stack = |ids: &[&str]| AdaptRequest {
            stack: Some(ids.iter().map(|s| s.to_string()).collect()),
            from_scene: Some("dev".into()),
            ..AdaptRequest::default()
        };
        let e = err(stack(&["istio"]));
        assert!(matches!(&e, ApiError::BadInput { field: "stack", .. }));
        assert!(e.to_string().contains("needs a chain"), "{e}");
        let e = err(stack(&["k8s", "nope"]));
        assert!(e.to_string().contains("unknown technology 'nope'"), "{e}");
        let e = err(stack(&[]));
        assert!(matches!(&e, ApiError::BadInput { field: "stack", .. }));
        let mut r = req("k8s", "dev", None);
        r.scenario = Some("nope".into());
        assert!(matches!(
            err(r),
            ApiError::NotFound {
                what: "scenario",
                ..
            }
        ));
    }
}
