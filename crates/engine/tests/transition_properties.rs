//! Invariants of the derived chain-transition difficulty and of scene adaptation, on random
//! matrices: ranges, the zero diagonal, Θ scaling, scene and chain permutations, symmetry and
//! monotonicity.

use proptest::prelude::*;
use stackmatrix_engine::{
    derived_chain_transition_difficulty, overall_adaptation, scene_adaptation,
};
use stackmatrix_model::{Matrix, Scene, CONCEPT_COUNT, SCENE_COUNT};

/// A 12 x 6 matrix in [0, 1] with some exact zeros and ones (boxed: nested array strategies
/// overflow the test thread's stack).
fn matrix() -> BoxedStrategy<Matrix> {
    prop::collection::vec(
        prop_oneof![3 => 0.0..=1.0f64, 1 => Just(0.0), 1 => Just(1.0)],
        CONCEPT_COUNT * SCENE_COUNT,
    )
    .prop_map(|v| std::array::from_fn(|c| std::array::from_fn(|s| v[c * SCENE_COUNT + s])))
    .boxed()
}

fn matrices() -> impl Strategy<Value = Vec<Matrix>> {
    prop::collection::vec(matrix(), 2..7)
}

fn theta() -> BoxedStrategy<[f64; CONCEPT_COUNT]> {
    prop::collection::vec(
        prop_oneof![4 => 0.0..=1.0f64, 1 => Just(0.0), 1 => Just(1.0)],
        CONCEPT_COUNT,
    )
    .prop_map(|v| std::array::from_fn(|c| v[c]))
    .boxed()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn difficulty_lies_in_0_1_with_a_zero_diagonal(ms in matrices(), t in theta()) {
        let d = derived_chain_transition_difficulty(&ms, &t);
        prop_assert_eq!(d.len(), ms.len());
        for (i, row) in d.iter().enumerate() {
            prop_assert_eq!(row.len(), ms.len());
            prop_assert_eq!(row[i], 0.0);
            for v in row {
                prop_assert!((0.0..=1.0).contains(v), "{}", v);
            }
        }
    }

    #[test]
    fn scaling_theta_changes_nothing(ms in matrices(), t in theta(), k in 0.01..=1.0f64) {
        let scaled = t.map(|x| x * k);
        let d = derived_chain_transition_difficulty(&ms, &t);
        let e = derived_chain_transition_difficulty(&ms, &scaled);
        for (r, s) in d.iter().zip(&e) {
            for (a, b) in r.iter().zip(s) {
                // Scaling can push a tiny positive trace to zero; compare only where both are
                // well defined.
                prop_assert!(close(*a, *b) || t.iter().all(|x| *x * k < 1e-300), "{} vs {}", a, b);
            }
        }
    }

    #[test]
    fn permuting_scenes_changes_nothing(
        ms in matrices(),
        t in theta(),
        perm in Just((0..SCENE_COUNT).collect::<Vec<_>>()).prop_shuffle(),
    ) {
        let permuted: Vec<Matrix> = ms
            .iter()
            .map(|m| m.map(|row| std::array::from_fn(|s| row[perm[s]])))
            .collect();
        let d = derived_chain_transition_difficulty(&ms, &t);
        let e = derived_chain_transition_difficulty(&permuted, &t);
        for (r, s) in d.iter().zip(&e) {
            for (a, b) in r.iter().zip(s) {
                prop_assert!(close(*a, *b), "{} vs {}", a, b);
            }
        }
    }

    #[test]
    fn permuting_chains_permutes_the_table(
        (ms, perm) in matrices().prop_flat_map(|ms| {
            let n = ms.len();
            (Just(ms), Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        }),
        t in theta(),
    ) {
        let reordered: Vec<Matrix> = perm.iter().map(|&i| ms[i]).collect();
        let d = derived_chain_transition_difficulty(&ms, &t);
        let e = derived_chain_transition_difficulty(&reordered, &t);
        for a in 0..perm.len() {
            for b in 0..perm.len() {
                prop_assert!(close(e[a][b], d[perm[a]][perm[b]]));
            }
        }
    }

    #[test]
    fn a_chain_moving_to_itself_costs_nothing(m in matrix(), t in theta()) {
        let d = derived_chain_transition_difficulty(&[m, m], &t);
        prop_assert_eq!(d[0][1], 0.0);
        prop_assert_eq!(d[1][0], 0.0);
    }

    #[test]
    fn adaptation_lies_in_0_1_is_symmetric_and_monotone(
        a in matrix(),
        comp in matrix(),
        from in 0..SCENE_COUNT,
        to in 0..SCENE_COUNT,
        alpha in 0.0..=1.0f64,
        concept in 0..CONCEPT_COUNT,
        scene in 0..SCENE_COUNT,
        step in 0.0..=1.0f64,
    ) {
        let beta = 1.0 - alpha;
        let (f, g) = (Scene::ALL[from], Scene::ALL[to]);
        let adapt = scene_adaptation(&a, &comp, f, g, alpha, beta);
        prop_assert_eq!(adapt, scene_adaptation(&a, &comp, g, f, alpha, beta));
        for v in adapt {
            prop_assert!((-1e-12..=1.0 + 1e-12).contains(&v), "{}", v);
        }
        let overall = overall_adaptation(&adapt, &[1.0; CONCEPT_COUNT]);
        prop_assert!((-1e-12..=1.0 + 1e-12).contains(&overall));
        // Raising a maturity never lowers any concept's adaptation.
        let mut raised = a;
        raised[concept][scene] = (raised[concept][scene] + step).min(1.0);
        let after = scene_adaptation(&raised, &comp, f, g, alpha, beta);
        for (x, y) in adapt.iter().zip(&after) {
            prop_assert!(y >= x);
        }
    }
}
