//! Invariants of the dependency analysis and of operation chains, on random relations and
//! vectors.

use proptest::prelude::*;
use stackmatrix_engine::{
    analyse_dependencies, apply_operation_chain, chain_impact, dependency_coverage,
    transitive_closure, ConceptRelation, ConceptVector,
};
use stackmatrix_model::CONCEPT_COUNT;

fn relation() -> impl Strategy<Value = ConceptRelation> {
    // Densities from sparse to dense.
    (0.0f64..0.5).prop_flat_map(|p| {
        proptest::collection::vec(
            proptest::bool::weighted(p.max(0.001)),
            CONCEPT_COUNT * CONCEPT_COUNT,
        )
        .prop_map(|v| std::array::from_fn(|i| std::array::from_fn(|j| v[i * CONCEPT_COUNT + j])))
    })
}

fn unit_vector() -> impl Strategy<Value = ConceptVector> {
    proptest::array::uniform12(0.0f64..=1.0)
}

fn chain() -> impl Strategy<Value = Vec<ConceptVector>> {
    proptest::collection::vec(unit_vector(), 0..6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The closure contains the relation, is transitive, and closing it again changes nothing.
    #[test]
    fn closure_contains_the_relation_and_is_idempotent(r in relation()) {
        let c = transitive_closure(&r);
        for i in 0..CONCEPT_COUNT {
            for j in 0..CONCEPT_COUNT {
                prop_assert!(!r[i][j] || c[i][j]);
                for k in 0..CONCEPT_COUNT {
                    prop_assert!(!(c[i][k] && c[k][j]) || c[i][j]);
                }
            }
        }
        prop_assert_eq!(transitive_closure(&c), c);
    }

    /// Groups partition the concepts; a group depends only on groups listed before it; chains
    /// follow the relation's links and have `depth` links.
    #[test]
    fn groups_are_a_topological_partition_and_chains_follow_links(r in relation()) {
        let a = analyse_dependencies(&r);
        let mut seen: Vec<usize> = a.groups.iter().flat_map(|g| g.members.clone()).collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..CONCEPT_COUNT).collect::<Vec<_>>());
        for (p, g) in a.groups.iter().enumerate() {
            prop_assert!(g.depends_on.iter().all(|&h| h < p));
        }
        for d in &a.depths {
            prop_assert_eq!(d.chain.len(), d.depth + 1);
            prop_assert_eq!(d.chain[0], d.concept);
            for w in d.chain.windows(2) {
                prop_assert!(r[w[0]][w[1]]);
            }
        }
        for c in &a.critical_chains {
            prop_assert_eq!(c.len(), a.critical_depth + 1);
        }
    }

    /// Raising a fit never uncovers a dependency; raising the threshold never covers one.
    #[test]
    fn coverage_is_monotone(r in relation(), fit in unit_vector(), w in unit_vector(), t in 0.0f64..1.0) {
        let base = dependency_coverage(&r, &fit, &w, t);
        let higher = fit.map(|f| (f + 0.1).min(1.0));
        prop_assert!(dependency_coverage(&r, &higher, &w, t).uncovered.len() <= base.uncovered.len());
        prop_assert!(dependency_coverage(&r, &fit, &w, (t + 0.1).min(1.0)).uncovered.len() >= base.uncovered.len());
    }

    /// Applying a chain to a vector in [0, 1] stays in [0, 1]; no step raises a value; the
    /// readiness is in [0, 1].
    #[test]
    fn chains_stay_in_the_unit_interval_and_never_raise(impacts in chain(), x in unit_vector()) {
        let a = apply_operation_chain(&impacts, &x);
        let mut previous = x;
        for s in &a.steps {
            for c in 0..CONCEPT_COUNT {
                prop_assert!((0.0..=1.0).contains(&s[c]));
                prop_assert!(s[c] <= previous[c]);
            }
            previous = *s;
        }
        prop_assert!(a.combined.iter().all(|v| (0.0..=1.0).contains(v)));
        if let Some(r) = a.readiness {
            prop_assert!((0.0..=1.0).contains(&r));
        }
    }

    /// The order of the operations does not change the result or the combined impact
    /// (diagonal matrices commute), up to rounding: reversing and rotating the chain.
    #[test]
    fn the_order_of_a_chain_does_not_matter(impacts in chain(), x in unit_vector(), k in 0usize..6) {
        let a = apply_operation_chain(&impacts, &x);
        let mut reversed = impacts.clone();
        reversed.reverse();
        let mut rotated = impacts.clone();
        if !rotated.is_empty() {
            let n = rotated.len();
            rotated.rotate_left(k % n);
        }
        for other in [reversed, rotated] {
            let b = apply_operation_chain(&other, &x);
            for c in 0..CONCEPT_COUNT {
                prop_assert!((a.result[c] - b.result[c]).abs() <= 1e-12);
                prop_assert!((a.combined[c] - b.combined[c]).abs() <= 1e-12);
            }
        }
        // The result is the combined impact applied once.
        let combined = chain_impact(&impacts);
        for ((r, t), v) in a.result.iter().zip(combined).zip(x) {
            prop_assert!((r - t * v).abs() <= 1e-12);
        }
    }
}
