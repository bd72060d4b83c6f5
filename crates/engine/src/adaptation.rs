//! Scene adaptation: how well a technology (or stack) carries each concept when a workload moves
//! from one scene to another, from its maturity and the published compatibility table.

use crate::scoring::compensated_sum;
use stackmatrix_model::{
    Attributes, Concept, Matrix, Scene, Technology, CONCEPT_COUNT, SCENE_COUNT,
};

/// The capability that marks a service mesh.
pub const SERVICE_MESH_CAPABILITY: &str = "service-mesh";

/// True when some member is a service mesh: it brings the `service-mesh` capability, or it gives
/// the stack an uplift of L (load balance), the published service-mesh enhancement that
/// [`crate::compose_stack`] adds.
pub fn has_service_mesh(members: &[&Technology]) -> bool {
    members.iter().any(|m| {
        m.has_capability(SERVICE_MESH_CAPABILITY)
            || m.enhancements
                .iter()
                .any(|e| e.concept == Concept::LoadBalance && e.delta > 0.0)
    })
}

/// The compatibility matrix `Acomp` scene adaptation uses: the published 12 x 6
/// `attributes.compatibility`, with row L replaced by the published row "L + Service Mesh"
/// (`compatibility_l_mesh`) when the stack contains a service mesh ([`has_service_mesh`]).
pub fn adaptation_compatibility(attributes: &Attributes, service_mesh: bool) -> Matrix {
    let mut m = attributes.compatibility;
    if service_mesh {
        m[Concept::LoadBalance.index()] = attributes.compatibility_l_mesh;
    }
    m
}

/// The adaptation of each concept when a workload moves from scene `from` to scene `to`.
///
/// Reference formula: `adapt_i = α · min(Amat[i, j], Amat[i, k]) + β · min(Acomp[i, j], Acomp[i, k])`
/// for concept `i`, scenes `j = from` and `k = to`, with `Amat` the (static) maturity matrix, `Acomp`
/// the compatibility matrix ([`adaptation_compatibility`]) and `α = 0.6`, `β = 0.4` from
/// `parameters.toml` (`[scene_adaptation]`). A concept adapts only as far as it is mature and
/// compatible in both scenes; with `α + β = 1` and both tables in [0, 1] so is the result.
/// Symmetric in `from` and `to`.
pub fn scene_adaptation(
    maturity: &Matrix,
    compatibility: &Matrix,
    from: Scene,
    to: Scene,
    alpha: f64,
    beta: f64,
) -> [f64; CONCEPT_COUNT] {
    let (j, k) = (from.index(), to.index());
    std::array::from_fn(|i| {
        alpha * maturity[i][j].min(maturity[i][k])
            + beta * compatibility[i][j].min(compatibility[i][k])
    })
}

/// The overall adaptation: `Σ_c w_c adapt_c / Σ_c w_c` (with every weight 1, the mean over the 12
/// concepts). The weights must be non-negative with a positive sum.
pub fn overall_adaptation(adapt: &[f64; CONCEPT_COUNT], weights: &[f64; CONCEPT_COUNT]) -> f64 {
    let total = compensated_sum(weights.iter().copied());
    compensated_sum(adapt.iter().zip(weights).map(|(a, w)| a * w)) / total
}

/// The concept that adapts least (among those of positive weight); the first in concept order
/// among values within `1e-9`.
pub fn weakest_concept(adapt: &[f64; CONCEPT_COUNT], weights: &[f64; CONCEPT_COUNT]) -> Concept {
    let mut best: Option<usize> = None;
    for i in 0..CONCEPT_COUNT {
        if weights[i] <= 0.0 {
            continue;
        }
        if best.is_none_or(|b| adapt[i] < adapt[b] - crate::TIE_TOLERANCE) {
            best = Some(i);
        }
    }
    Concept::ALL[best.unwrap_or(0)]
}

/// One target scene of [`rank_target_scenes`].
#[derive(Debug, Clone, PartialEq)]
pub struct TargetAdaptation {
    /// The scene moved to.
    pub scene: Scene,
    /// The adaptation of each concept ([`scene_adaptation`]).
    pub concepts: [f64; CONCEPT_COUNT],
    /// [`overall_adaptation`].
    pub overall: f64,
    /// [`weakest_concept`].
    pub weakest: Concept,
}

/// Every other scene as a target of a move from `from`, best adapted first (highest
/// [`overall_adaptation`]); targets within `1e-9` keep scene order.
pub fn rank_target_scenes(
    maturity: &Matrix,
    compatibility: &Matrix,
    from: Scene,
    alpha: f64,
    beta: f64,
    weights: &[f64; CONCEPT_COUNT],
) -> Vec<TargetAdaptation> {
    let mut targets: Vec<TargetAdaptation> = Scene::ALL
        .iter()
        .copied()
        .filter(|s| *s != from)
        .map(|scene| {
            let concepts = scene_adaptation(maturity, compatibility, from, scene, alpha, beta);
            TargetAdaptation {
                scene,
                overall: overall_adaptation(&concepts, weights),
                weakest: weakest_concept(&concepts, weights),
                concepts,
            }
        })
        .collect();
    // A stable sort on values rounded to the tie tolerance keeps scene order among ties.
    targets.sort_by(|a, b| {
        if (a.overall - b.overall).abs() <= crate::TIE_TOLERANCE {
            a.scene.index().cmp(&b.scene.index())
        } else {
            b.overall.total_cmp(&a.overall)
        }
    });
    debug_assert!(targets.len() == SCENE_COUNT - 1);
    targets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> stackmatrix_model::KnowledgeBase {
        stackmatrix_model::builtin().unwrap()
    }

    #[test]
    fn adaptation_takes_the_weaker_scene_of_each_table() {
        let kb = kb();
        let k8s = kb.technology("k8s").unwrap();
        let a = k8s
            .maturity
            .matrix(stackmatrix_model::TimeSlice::Static)
            .unwrap();
        let comp = adaptation_compatibility(&kb.tables.attributes, false);
        let adapt = scene_adaptation(&a, &comp, Scene::Dev, Scene::Prod, 0.6, 0.4);
        for i in 0..CONCEPT_COUNT {
            let expected = 0.6 * a[i][0].min(a[i][2]) + 0.4 * comp[i][0].min(comp[i][2]);
            assert!((adapt[i] - expected).abs() < 1e-15);
        }
        let back = scene_adaptation(&a, &comp, Scene::Prod, Scene::Dev, 0.6, 0.4);
        assert_eq!(adapt, back);
    }

    #[test]
    fn a_mesh_swaps_in_the_mesh_row_of_l() {
        let kb = kb();
        let ids = |ids: &[&str]| -> Vec<&Technology> {
            ids.iter().map(|i| kb.technology(i).unwrap()).collect()
        };
        assert!(has_service_mesh(&ids(&["k8s", "istio"])));
        assert!(has_service_mesh(&ids(&["k3s", "linkerd"])));
        assert!(!has_service_mesh(&ids(&["k8s", "keda"])));
        let with = adaptation_compatibility(&kb.tables.attributes, true);
        let without = adaptation_compatibility(&kb.tables.attributes, false);
        let l = Concept::LoadBalance.index();
        assert_eq!(with[l], kb.tables.attributes.compatibility_l_mesh);
        assert_eq!(without[l], kb.tables.attributes.compatibility[l]);
        for i in (0..CONCEPT_COUNT).filter(|&i| i != l) {
            assert_eq!(with[i], without[i]);
        }
    }

    #[test]
    fn overall_is_the_weighted_mean_and_weakest_the_first_minimum() {
        let mut adapt = [0.5; CONCEPT_COUNT];
        adapt[3] = 0.2;
        adapt[7] = 0.2;
        let equal = [1.0; CONCEPT_COUNT];
        assert!((overall_adaptation(&adapt, &equal) - (5.0 + 0.4) / 12.0).abs() < 1e-12);
        assert_eq!(weakest_concept(&adapt, &equal), Concept::ALL[3]);
        let mut w = equal;
        w[3] = 0.0;
        assert_eq!(weakest_concept(&adapt, &w), Concept::ALL[7]);
    }

    #[test]
    fn targets_are_the_other_five_scenes_best_first() {
        let kb = kb();
        let a = kb
            .technology("k3s")
            .unwrap()
            .maturity
            .matrix(stackmatrix_model::TimeSlice::Static)
            .unwrap();
        let comp = adaptation_compatibility(&kb.tables.attributes, false);
        let t = rank_target_scenes(&a, &comp, Scene::Edge, 0.6, 0.4, &[1.0; CONCEPT_COUNT]);
        assert_eq!(t.len(), 5);
        assert!(t.iter().all(|x| x.scene != Scene::Edge));
        assert!(t.windows(2).all(|w| w[0].overall >= w[1].overall - 1e-9));
    }
}
