//! The derived chain-transition difficulty and its rank agreement with the published table equal
//! what numpy computes.
//!
//! `tests/fixtures/transition/transition.json` is written by
//! `tests/fixtures/transition/make_transition.py`, which reads the chain matrices, the published
//! table and Θ from `data/` on its own and computes `M(i, j) = A(j).T @ Θ @ A(i)`,
//! `clip(tr(M(i,i) − M(i,j) − M(j,i) + M(j,j)) / tr(M(j,j)), 0, 1)`, Kendall's tau-b and
//! Spearman's rho. Regenerate it after changing the knowledge base.

use serde::Deserialize;
use stackmatrix_engine::{derived_chain_transition_difficulty, transition_agreement};
use stackmatrix_model::{builtin, Matrix, TimeSlice, CONCEPT_COUNT};

const NUMPY_TOLERANCE: f64 = 1e-9;

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    ids: Vec<String>,
    matrices: Vec<Matrix>,
    theta: [f64; CONCEPT_COUNT],
    derived: Vec<Vec<f64>>,
    published: Option<Vec<Vec<f64>>>,
    kendall_tau_b: Option<f64>,
    spearman: Option<f64>,
}

fn cases() -> Vec<Case> {
    serde_json::from_str(include_str!("fixtures/transition/transition.json"))
        .expect("transition.json is a list of cases")
}

fn assert_close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= NUMPY_TOLERANCE,
        "{what}: engine {got}, numpy {want}"
    );
}

#[test]
fn derived_difficulty_equals_numpy_in_every_case() {
    let cases = cases();
    assert!(cases.len() >= 27);
    for case in &cases {
        let got = derived_chain_transition_difficulty(&case.matrices, &case.theta);
        assert_eq!(got.len(), case.derived.len(), "{}", case.name);
        for (i, (row, want)) in got.iter().zip(&case.derived).enumerate() {
            for (j, (g, w)) in row.iter().zip(want).enumerate() {
                assert_close(&format!("{} [{i}][{j}]", case.name), *g, *w);
            }
        }
        if let Some(published) = &case.published {
            let agreement = transition_agreement(published, &got);
            assert_eq!(agreement.pairs, 30);
            let pair = |g: Option<f64>, w: Option<f64>, what: &str| match (g, w) {
                (Some(g), Some(w)) => assert_close(&format!("{} {what}", case.name), g, w),
                (g, w) => assert_eq!(g, w, "{} {what}", case.name),
            };
            pair(agreement.kendall_tau_b, case.kendall_tau_b, "tau-b");
            pair(agreement.spearman, case.spearman, "spearman");
        }
    }
}

/// The builtin case was computed from the same files the knowledge base loads: the engine's
/// inputs from the loaded knowledge base give the fixture's answer.
#[test]
fn the_builtin_case_is_the_knowledge_base() {
    let kb = builtin().unwrap();
    let case = cases().into_iter().find(|c| c.name == "builtin").unwrap();
    assert_eq!(case.ids, kb.tables.transitions.chains.ids);
    assert_eq!(case.theta, kb.tables.theta.value);
    assert_eq!(
        case.published.as_ref().unwrap(),
        &kb.tables.transitions.chains.difficulty
    );
    let matrices: Vec<Matrix> = case
        .ids
        .iter()
        .map(|id| {
            kb.technology(id)
                .unwrap()
                .maturity
                .matrix(TimeSlice::Static)
                .unwrap()
        })
        .collect();
    assert_eq!(matrices, case.matrices);
}
