//! Operations (build an image, deploy a container, scale, upgrade, ...) acting on a concept
//! vector, and chains of operations (reference defect 4).
//!
//! The reference declares each operation a 12 x 12 matrix `T_o` and writes chains as products
//! (`T_deploy · T_build`), but publishes one impact vector per operation. The reading here is the
//! one the product notation allows without inventing 132 unpublished off-diagonal numbers:
//! `T_o = diag(impact_o)`. Applied to a concept vector `x` in [0, 1] (a technology's per-concept
//! fit, or any maturity vector), `y = T_o x`, i.e. `y_c = impact_o[c] · x_c`: the share of
//! concept `c`'s maturity that the operation exercises. A chain `o_1, …, o_k` (in the order it is
//! performed) is the product `T = T_{o_k} ⋯ T_{o_1}`, so `T_deploy · T_build` is "build, then
//! deploy", exactly as written. Diagonal matrices commute: the result, and the combined impact
//! `diag(T) = Π_o impact_o`, do not depend on the order (only the intermediate steps do).

use crate::scoring::compensated_sum;
use stackmatrix_model::CONCEPT_COUNT;

/// A vector over the 12 concepts, in concept order.
pub type ConceptVector = [f64; CONCEPT_COUNT];

/// One operation applied: `y = diag(impact) · x`, `y_c = impact[c] · x_c`.
pub fn apply_operation(impact: &ConceptVector, x: &ConceptVector) -> ConceptVector {
    std::array::from_fn(|c| impact[c] * x[c])
}

/// The diagonal of a chain's matrix `T = T_{o_k} ⋯ T_{o_1}`: `Π_o impact_o[c]` for each concept
/// (all ones for an empty chain, the identity). In [0, 1] when every impact is.
pub fn chain_impact(impacts: &[ConceptVector]) -> ConceptVector {
    let mut out = [1.0; CONCEPT_COUNT];
    for impact in impacts {
        out = apply_operation(impact, &out);
    }
    out
}

/// A chain of operations applied to a vector.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainApplication {
    /// The vector after each operation, in the order performed: `steps[k] = T_{o_k} · steps[k-1]`
    /// with `steps[-1] = x`.
    pub steps: Vec<ConceptVector>,
    /// The diagonal of the chain's matrix: `Π_o impact_o`.
    pub combined: ConceptVector,
    /// `T · x`: the last step (`x` itself for an empty chain).
    pub result: ConceptVector,
    /// `Σ_c result_c / Σ_c combined_c = Σ_c combined_c x_c / Σ_c combined_c`: the mean input
    /// maturity over the concepts the chain exercises, weighted by how strongly it exercises
    /// each; in [0, 1] for `x` in [0, 1]. `None` when the chain exercises no concept at all.
    pub readiness: Option<f64>,
}

/// Applies a chain of operations (given in the order performed) to `x`: each step
/// `x ← diag(impact_o) · x`, so the result is `T_{o_k} ⋯ T_{o_1} · x`.
pub fn apply_operation_chain(impacts: &[ConceptVector], x: &ConceptVector) -> ChainApplication {
    let mut steps = Vec::with_capacity(impacts.len());
    let mut current = *x;
    for impact in impacts {
        current = apply_operation(impact, &current);
        steps.push(current);
    }
    let combined = chain_impact(impacts);
    let reach = compensated_sum(combined);
    let readiness = (reach > 0.0).then(|| {
        let exercised = compensated_sum(combined.iter().zip(x).map(|(t, v)| t * v));
        (exercised / reach).clamp(0.0, 1.0)
    });
    ChainApplication {
        steps,
        combined,
        result: current,
        readiness,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops() -> Vec<(String, ConceptVector)> {
        stackmatrix_model::builtin()
            .unwrap()
            .tables
            .operations
            .iter()
            .map(|o| (o.id.clone(), o.impact))
            .collect()
    }

    fn impact(id: &str) -> ConceptVector {
        ops().into_iter().find(|(i, _)| i == id).unwrap().1
    }

    #[test]
    fn deploy_after_build_multiplies_the_diagonals() {
        let chain = [impact("build-image"), impact("deploy-container")];
        let a = apply_operation_chain(&chain, &[1.0; CONCEPT_COUNT]);
        // I: 1.0 · 0.5, C: 0.1 · 1.0, Q: 0 · 0.3.
        assert_eq!(a.combined[0], 0.5);
        assert_eq!(a.combined[1], 0.1);
        assert_eq!(a.combined[2], 0.0);
        assert_eq!(a.result, a.combined);
        assert_eq!(a.steps[0], impact("build-image"));
        // The order does not change the result, only the intermediate step.
        let b = apply_operation_chain(&[chain[1], chain[0]], &[1.0; CONCEPT_COUNT]);
        assert_eq!(a.result, b.result);
        assert_ne!(a.steps[0], b.steps[0]);
    }

    #[test]
    fn the_empty_chain_is_the_identity() {
        let x = [0.3; CONCEPT_COUNT];
        let a = apply_operation_chain(&[], &x);
        assert_eq!(a.result, x);
        assert!(a.steps.is_empty());
        assert!((a.readiness.unwrap() - 0.3).abs() < 1e-12);
    }

    #[test]
    fn readiness_is_the_impact_weighted_mean() {
        let mut x = [0.0; CONCEPT_COUNT];
        x[0] = 1.0;
        // build-image: I 1.0, C 0.1, V 0.2, P 0.1, Θ 0.1: reach 1.5, exercised 1.0.
        let a = apply_operation_chain(&[impact("build-image")], &x);
        assert!((a.readiness.unwrap() - 1.0 / 1.5).abs() < 1e-12);
        let none = apply_operation_chain(&[[0.0; CONCEPT_COUNT]], &x);
        assert_eq!(none.readiness, None);
    }
}
