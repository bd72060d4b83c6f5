//! Properties of scoring and ranking that hold for any maturity matrices in [0, 1] and any
//! non-negative, non-zero scene vector and concept weights, not only for the built-in data.

use proptest::prelude::*;
use stackmatrix_engine::{explain, rank_technologies, Ranking, ScenarioInput};
use stackmatrix_model::{
    builtin, Concept, Matrix, Parameters, Row, Technology, TimeMode, CONCEPT_COUNT, SCENE_COUNT,
};
use std::sync::OnceLock;

/// A built-in chain to clone (names, provenance, ...) and the knowledge base's parameters.
fn base() -> &'static (Technology, Parameters) {
    static BASE: OnceLock<(Technology, Parameters)> = OnceLock::new();
    BASE.get_or_init(|| {
        let kb = builtin().expect("the built-in knowledge base loads");
        let tech = kb.technology("k8s").expect("k8s is built in").clone();
        (tech, kb.tables.parameters.clone())
    })
}

fn params() -> &'static Parameters {
    &base().1
}

/// A maturity matrix, as given to [`technology`]: static rows and optional dynamic rows.
#[derive(Debug, Clone, PartialEq)]
struct Tensor {
    static_rows: Matrix,
    dynamic_rows: [Option<Row>; CONCEPT_COUNT],
}

fn technology(id: &str, t: &Tensor) -> Technology {
    let mut tech = base().0.clone();
    tech.id = id.to_string();
    tech.maturity.static_rows = t.static_rows.map(Some);
    tech.maturity.dynamic_rows = t.dynamic_rows;
    tech.row_provenance.clear();
    tech
}

/// A maturity value in [0, 1], with the bounds themselves drawn often.
fn unit() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 2 => Just(1.0), 6 => 0.0..=1.0f64]
}

/// Rows are drawn as vectors and copied into arrays: strategies over nested arrays of 72
/// values overflow the test thread's stack in debug builds.
fn row() -> impl Strategy<Value = Row> {
    prop::collection::vec(unit(), SCENE_COUNT).prop_map(|v| std::array::from_fn(|j| v[j]))
}

/// A tensor filled with one value in both slices.
fn uniform_tensor(value: f64) -> Tensor {
    Tensor {
        static_rows: [[value; SCENE_COUNT]; CONCEPT_COUNT],
        dynamic_rows: [None; CONCEPT_COUNT],
    }
}

/// A random tensor, or now and then the perfect one (all ones) or the empty one (all zeros),
/// which score exactly 10 and 0.
fn tensor() -> impl Strategy<Value = Tensor> {
    let random = (
        prop::collection::vec(row(), CONCEPT_COUNT),
        prop::collection::vec(prop::option::weighted(0.3, row()), CONCEPT_COUNT),
    )
        .prop_map(|(st, dy)| Tensor {
            static_rows: std::array::from_fn(|c| st[c]),
            dynamic_rows: std::array::from_fn(|c| dy[c]),
        });
    prop_oneof![
        1 => Just(uniform_tensor(1.0)),
        1 => Just(uniform_tensor(0.0)),
        8 => random,
    ]
}

/// Technologies `t0`, `t1`, ... drawn from a small pool of tensors, so that equal scores (ties)
/// are common.
fn technologies() -> impl Strategy<Value = Vec<Technology>> {
    (
        prop::collection::vec(tensor(), 1..4),
        prop::collection::vec(0usize..4, 1..8),
    )
        .prop_map(|(pool, picks)| {
            picks
                .iter()
                .enumerate()
                .map(|(i, p)| technology(&format!("t{i}"), &pool[p % pool.len()]))
                .collect()
        })
}

/// A non-negative weight: often zero, otherwise between 0.001 and 10.
fn weight() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 3 => 0.001..10.0f64]
}

fn scene_vector() -> impl Strategy<Value = [f64; SCENE_COUNT]> {
    prop::collection::vec(weight(), SCENE_COUNT)
        .prop_filter("some scene weighs more than 0", |v| {
            v.iter().any(|x| *x > 0.0)
        })
        .prop_map(|v| std::array::from_fn(|j| v[j]))
}

fn concept_weights() -> impl Strategy<Value = [f64; CONCEPT_COUNT]> {
    prop_oneof![
        1 => Just([1.0; CONCEPT_COUNT]),
        3 => prop::collection::vec(weight(), CONCEPT_COUNT)
            .prop_filter("some concept weighs more than 0", |w| w.iter().any(|x| *x > 0.0))
            .prop_map(|w| std::array::from_fn(|c| w[c])),
    ]
}

fn time_mode() -> impl Strategy<Value = TimeMode> {
    prop_oneof![
        Just(TimeMode::Static),
        Just(TimeMode::Dynamic),
        Just(TimeMode::Blend)
    ]
}

fn input() -> impl Strategy<Value = ScenarioInput> {
    (scene_vector(), concept_weights(), time_mode()).prop_map(|(vector, weights, time)| {
        ScenarioInput {
            id: None,
            name: None,
            vector,
            weights,
            time,
        }
    })
}

fn rank(techs: &[Technology], input: &ScenarioInput) -> Ranking {
    let scenario = input
        .prepare(crate::builtin_kb())
        .expect("a valid scenario input");
    rank_technologies(techs, &scenario, params())
}

/// What a ranking says, in order: id, rank, tied, score.
fn summary(r: &Ranking) -> Vec<(String, usize, bool, f64)> {
    r.entries
        .iter()
        .map(|e| (e.id.clone(), e.rank, e.tied, e.score))
        .collect()
}

fn score_of(r: &Ranking, id: &str) -> f64 {
    r.entry(id)
        .unwrap_or_else(|| panic!("{id} is ranked"))
        .score
}

fn close_relative(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_score_lies_in_0_to_10(techs in technologies(), input in input()) {
        let ranking = rank(&techs, &input);
        prop_assert_eq!(ranking.entries.len(), techs.len());
        for e in &ranking.entries {
            prop_assert!((0.0..=10.0).contains(&e.score), "{} scores {}", e.id, e.score);
            for f in e.fit {
                prop_assert!((0.0..=1.0).contains(&f), "{} has fit {}", e.id, f);
            }
        }
    }

    #[test]
    fn ranking_does_not_depend_on_input_order(
        (techs, shuffled) in technologies()
            .prop_flat_map(|t| (Just(t.clone()), Just(t).prop_shuffle())),
        input in input(),
    ) {
        prop_assert_eq!(summary(&rank(&shuffled, &input)), summary(&rank(&techs, &input)));
    }

    #[test]
    fn raising_one_entry_never_lowers_that_score_nor_moves_others(
        techs in technologies(),
        input in input(),
        which in any::<prop::sample::Index>(),
        concept in 0..CONCEPT_COUNT,
        scene in 0..SCENE_COUNT,
        step in 0.0..=1.0f64,
    ) {
        let before = rank(&techs, &input);
        let i = which.index(techs.len());
        let mut raised = techs.clone();
        let rows = &mut raised[i].maturity.static_rows;
        let row = rows[concept].as_mut().expect("every static row is given");
        let old = row[scene];
        row[scene] = (old + step).min(1.0);
        let after = rank(&raised, &input);
        for t in &techs {
            let (b, a) = (score_of(&before, &t.id), score_of(&after, &t.id));
            if t.id == techs[i].id {
                prop_assert!(a >= b, "raising {}[{concept}][{scene}] from {old} lowered {b} to {a}", t.id);
            } else {
                prop_assert_eq!(a, b, "{} moved when {} changed", &t.id, &techs[i].id);
            }
        }
    }

    #[test]
    fn explanation_adds_up(techs in technologies(), input in input()) {
        let ranking = rank(&techs, &input);
        for e in &ranking.entries {
            let x = explain(&ranking, &e.id).expect("a ranked id is explained");
            let total: f64 = x.concepts.iter().map(|c| c.contribution).sum();
            prop_assert!((total - e.score).abs() <= 1e-9, "{}: parts {total} vs score {}", e.id, e.score);
            prop_assert_eq!(x.concepts.len(), CONCEPT_COUNT);
            for (c, share) in Concept::ALL.iter().zip(&x.concepts) {
                prop_assert_eq!(share.concept, *c);
                prop_assert_eq!(share.fit, e.fit[c.index()]);
            }
            match x.alternative {
                None => {
                    prop_assert_eq!(ranking.entries.len(), 1);
                    prop_assert!(x.concepts.iter().all(|c| c.score_delta.is_none()));
                }
                Some(alt) => {
                    prop_assert_ne!(&alt.id, &e.id);
                    let deltas: f64 = x
                        .concepts
                        .iter()
                        .map(|c| c.score_delta.expect("a delta against the alternative"))
                        .sum();
                    let gap = e.score - alt.score;
                    prop_assert!((deltas - gap).abs() <= 1e-9, "{}: deltas {deltas} vs gap {gap}", e.id);
                }
            }
        }
    }

    #[test]
    fn scaling_the_vector_or_the_weights_changes_no_score(
        techs in technologies(),
        input in input(),
        k in prop_oneof![0.001..1.0f64, 1.0..1000.0f64],
    ) {
        let ranking = rank(&techs, &input);
        let mut by_vector = input.clone();
        by_vector.vector = input.vector.map(|x| k * x);
        let mut by_weights = input.clone();
        by_weights.weights = input.weights.map(|x| k * x);
        for scaled in [rank(&techs, &by_vector), rank(&techs, &by_weights)] {
            for e in &ranking.entries {
                let s = score_of(&scaled, &e.id);
                prop_assert!(close_relative(s, e.score, 1e-12), "{}: {} vs {s} scaled by {k}", e.id, e.score);
            }
        }
    }
}

/// A scene vector whose normalised form sums to `1.0000000000000002`, found by search: before
/// the fit was capped, a row of ones fitted that much and the perfect tensor scored
/// `10.000000000000002`.
const ROUNDS_UP: [f64; SCENE_COUNT] = [
    9.391552478622327,
    6.865152057936619,
    0.0,
    7.637246250319764,
    5.529042903353359,
    0.0,
];

#[test]
fn the_perfect_tensor_scores_exactly_10() {
    let perfect = [technology("perfect", &uniform_tensor(1.0))];
    let prepared = ScenarioInput {
        id: None,
        name: None,
        vector: ROUNDS_UP,
        weights: [1.0; CONCEPT_COUNT],
        time: TimeMode::Static,
    };
    assert!(
        prepared
            .prepare(crate::builtin_kb())
            .unwrap()
            .vector
            .iter()
            .sum::<f64>()
            > 1.0
    );
    let ranking = rank(&perfect, &prepared);
    assert_eq!(ranking.entries[0].fit, [1.0; CONCEPT_COUNT]);
    assert_eq!(ranking.entries[0].score, 10.0);

    // Weights whose sum t = 3.24 makes `10 * t / t` round to 10.000000000000002.
    let mut weighted = prepared.clone();
    weighted.vector = [0.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    weighted.weights = [0.27; CONCEPT_COUNT];
    let t: f64 = weighted.weights.iter().sum();
    assert!(
        10.0 * t / t > 10.0,
        "the weights no longer show the rounding"
    );
    assert_eq!(rank(&perfect, &weighted).entries[0].score, 10.0);
}
