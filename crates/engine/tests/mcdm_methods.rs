//! The decision methods and normalisations compute what pymcdm 1.4.0 computes.
//!
//! `tests/fixtures/pymcdm/methods.json` is written by `tests/fixtures/pymcdm/make_methods.py`
//! (pymcdm 1.4.0 pinned): seven matrices, every pymcdm normalisation on each (as given and with
//! every criterion type flipped), and every method here under its defaults, under each
//! normalisation it takes, with other parameters, and PROMETHEE II under every preference
//! function. Every value must agree within [`TOLERANCE`] and every rank exactly; where pymcdm
//! raises or returns `nan`/`inf`, the Rust side must return an error.
//!
//! Ranks: pymcdm's `rankdata` gives tied alternatives (exactly equal values) the average of
//! their positions (1, 2.5, 2.5, 4); [`ranks_from_preferences`] gives them the first position
//! (1, 2, 2, 4) and ties values within 1e-9. The test converts: a group of `k` tied
//! alternatives at competition rank `r` has average rank `r + (k − 1) / 2`.
//!
//! Regenerate with `python3 crates/engine/tests/fixtures/pymcdm/make_methods.py`.

use serde::Deserialize;
use stackmatrix_engine::mcdm::methods::{PreferenceFunction, Promethee2};
use stackmatrix_engine::mcdm::{
    ranks_from_preferences, CriterionType, DecisionMatrix, Method, Normalization,
};
use std::collections::{BTreeMap, BTreeSet};

/// Agreement required with pymcdm on every normalised value and preference.
const TOLERANCE: f64 = 1e-9;

#[derive(Debug, Deserialize)]
struct Fixture {
    pymcdm: String,
    matrices: Vec<MatrixFixture>,
    normalizations: Vec<NormalizationFixture>,
    methods: Vec<MethodFixture>,
}

#[derive(Debug, Deserialize)]
struct MatrixFixture {
    name: String,
    matrix: Vec<Vec<f64>>,
    types: Vec<i32>,
    weights: Vec<f64>,
}

#[derive(Debug, Deserialize)]
struct NormalizationFixture {
    matrix: String,
    normalization: String,
    flipped: bool,
    values: Option<Vec<Vec<f64>>>,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct MethodFixture {
    matrix: String,
    spec: String,
    pymcdm: String,
    preferences: Option<Vec<f64>>,
    ranks: Option<Vec<f64>>,
    error: Option<String>,
}

fn fixture() -> Fixture {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/pymcdm/methods.json"
    );
    let text = std::fs::read_to_string(path).expect("read methods.json");
    serde_json::from_str(&text).expect("parse methods.json")
}

fn decision_matrix(f: &MatrixFixture, flipped: bool) -> DecisionMatrix {
    let names = |prefix: &str, k: usize| (0..k).map(|i| format!("{prefix}{i}")).collect();
    let types = f
        .types
        .iter()
        .map(|&t| match (t, flipped) {
            (1, false) | (-1, true) => CriterionType::Benefit,
            (-1, false) | (1, true) => CriterionType::Cost,
            _ => panic!("type {t}"),
        })
        .collect();
    DecisionMatrix::new(
        names("A", f.matrix.len()),
        names("C", f.types.len()),
        types,
        f.matrix.clone(),
    )
    .expect("fixture matrix")
}

/// pymcdm's average ranks from competition ranks: a tie group of `k` at rank `r` gets
/// `r + (k − 1) / 2`.
fn average_ranks(competition: &[usize]) -> Vec<f64> {
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for &r in competition {
        *sizes.entry(r).or_default() += 1;
    }
    competition
        .iter()
        .map(|r| *r as f64 + (sizes[r] as f64 - 1.0) / 2.0)
        .collect()
}

#[test]
fn average_ranks_match_pymcdm_convention() {
    assert_eq!(average_ranks(&[1, 2, 2, 4]), vec![1.0, 2.5, 2.5, 4.0]);
    assert_eq!(average_ranks(&[4, 1, 1, 1]), vec![4.0, 2.0, 2.0, 2.0]);
}

#[test]
fn normalisations_match_pymcdm() {
    let f = fixture();
    assert_eq!(f.pymcdm, "1.4.0");
    let matrices: BTreeMap<&str, &MatrixFixture> =
        f.matrices.iter().map(|m| (m.name.as_str(), m)).collect();
    let mut covered = BTreeSet::new();
    let mut worst = 0.0f64;
    let (mut compared, mut refused) = (0, 0);
    for case in &f.normalizations {
        let norm = Normalization::from_name(&case.normalization).unwrap();
        covered.insert(norm.name());
        let m = decision_matrix(matrices[case.matrix.as_str()], case.flipped);
        let label = format!(
            "{} on {} (flipped: {})",
            case.normalization, case.matrix, case.flipped
        );
        let got = norm.normalize(&m);
        match (&case.values, &case.error, got) {
            (Some(expected), None, Ok(got)) => {
                let n = m.columns();
                for (i, row) in expected.iter().enumerate() {
                    for (j, e) in row.iter().enumerate() {
                        let d = (got[i * n + j] - e).abs();
                        worst = worst.max(d);
                        assert!(
                            d <= TOLERANCE,
                            "{label}: [{i}, {j}] {} vs {e}",
                            got[i * n + j]
                        );
                    }
                }
                compared += 1;
            }
            (None, Some(_), Err(_)) => refused += 1,
            (_, error, got) => panic!("{label}: pymcdm {error:?}, Rust {got:?}"),
        }
    }
    let all: BTreeSet<&str> = Normalization::ALL.iter().map(|n| n.name()).collect();
    assert_eq!(covered, all, "every normalisation has reference values");
    assert!(compared >= 100, "{compared} normalisations compared");
    eprintln!(
        "normalisations: {compared} compared, {refused} refused by both; largest difference \
         {worst:e}"
    );
}

#[test]
fn methods_match_pymcdm() {
    let f = fixture();
    let matrices: BTreeMap<&str, &MatrixFixture> =
        f.matrices.iter().map(|m| (m.name.as_str(), m)).collect();
    let mut methods_covered = BTreeSet::new();
    let mut functions_covered = BTreeSet::new();
    let mut normalisations_covered: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut worst = 0.0f64;
    let mut worst_at = String::new();
    let (mut compared, mut refused, mut tied) = (0, 0, 0);
    for case in &f.methods {
        let label = format!("{} on {} (pymcdm {})", case.spec, case.matrix, case.pymcdm);
        let method = Method::from_name(&case.spec).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(
            Method::from_name(&method.to_string()).unwrap(),
            method,
            "{label}: the specification round-trips"
        );
        methods_covered.insert(method.name());
        if let Method::Promethee2(Promethee2 { function }) = &method {
            functions_covered.insert(function.name());
        }
        if let Some((_, norm)) = case.spec.split_once(":norm=") {
            normalisations_covered
                .entry(method.name())
                .or_default()
                .insert(Normalization::from_name(norm).unwrap().name());
        }
        let fm = matrices[case.matrix.as_str()];
        let m = decision_matrix(fm, false);
        let got = method.preferences(&m, &fm.weights);
        match (&case.preferences, &case.ranks, &case.error, got) {
            (Some(expected), Some(ranks), None, Ok(got)) => {
                assert_eq!(got.len(), expected.len(), "{label}");
                for (i, (g, e)) in got.iter().zip(expected).enumerate() {
                    let d = (g - e).abs();
                    if d > worst {
                        worst = d;
                        worst_at = label.clone();
                    }
                    assert!(d <= TOLERANCE, "{label}: alternative {i}: {g} vs {e}");
                }
                let competition = ranks_from_preferences(&got, method.higher_is_better());
                if competition.iter().collect::<BTreeSet<_>>().len() < competition.len() {
                    tied += 1;
                }
                assert_eq!(&average_ranks(&competition), ranks, "{label}: ranks");
                compared += 1;
            }
            (None, None, Some(_), Err(_)) => refused += 1,
            (_, _, error, got) => panic!("{label}: pymcdm {error:?}, Rust {got:?}"),
        }
    }
    let all: BTreeSet<&str> = Method::NAMES.into_iter().collect();
    assert_eq!(methods_covered, all, "every method has reference values");
    let functions: BTreeSet<&str> = PreferenceFunction::NAMES.into_iter().collect();
    assert_eq!(functions_covered, functions, "every preference function");
    for method in ["wsm", "wpm", "topsis", "vikor", "waspas"] {
        assert_eq!(
            normalisations_covered[method].len(),
            Normalization::ALL.len(),
            "{method} under every normalisation"
        );
    }
    assert!(compared >= 400, "{compared} method runs compared");
    assert!(tied > 0, "the fixture exercises tied ranks");
    eprintln!(
        "methods: {compared} runs compared ({tied} with ties), {refused} refused by both; \
         largest difference {worst:e} ({worst_at})"
    );
}

#[test]
fn defaults_are_pymcdms() {
    let spec: Vec<String> = Method::all().iter().map(Method::to_string).collect();
    assert_eq!(
        spec,
        [
            "wsm:norm=sum",
            "wpm:norm=sum",
            "topsis:norm=minmax",
            "vikor:norm=none:v=0.5",
            "promethee:usual",
            "waspas:norm=linear:l=0.5",
            "copras",
            "edas",
        ]
    );
    let directions: Vec<bool> = Method::all().iter().map(Method::higher_is_better).collect();
    assert_eq!(
        directions,
        [true, true, true, false, true, true, true, true]
    );
}

#[test]
fn methods_refuse_bad_weights() {
    let m = DecisionMatrix::new(
        vec!["a".into(), "b".into(), "c".into()],
        vec!["x".into(), "y".into()],
        vec![CriterionType::Benefit, CriterionType::Cost],
        vec![vec![1.0, 2.0], vec![2.0, 3.0], vec![4.0, 1.0]],
    )
    .unwrap();
    for method in Method::all() {
        assert!(method.preferences(&m, &[0.5, 0.5]).is_ok(), "{method}");
        for bad in [&[0.5][..], &[0.6, 0.6], &[1.5, -0.5], &[f64::NAN, 0.5]] {
            assert!(
                method.preferences(&m, bad).is_err(),
                "{method} with {bad:?}"
            );
        }
    }
}
