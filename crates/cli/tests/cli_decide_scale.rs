//! `decide` at scale (issue 13, defect 13): PROMETHEE II, quadratic in the alternatives by
//! nature, refuses a matrix past its documented limit with exit 2 and a message naming the
//! method, the size and the limit; the linear methods rank a large matrix with the tie flags and
//! the order of their definitions. Nothing here is timed: the scaling itself is guarded by the
//! counted tests of the engine's and the api's helpers, and measured by `bench/decide.sh`.

use crate::common;

use common::{ok_json, usage_error};
use stackmatrix_engine::mcdm::PROMETHEE_MAX_EVALUATIONS;
use std::fmt::Write;

/// A decision matrix of `m` alternatives by `n` criteria as CSV, values from a small cycle so
/// that many alternatives tie (alternative `i` has value `(i % 97) + j`, or `(i % 89) + j`).
fn matrix_csv(m: usize, n: usize) -> String {
    let mut text = String::new();
    for j in 0..n {
        let _ = write!(text, ",c{j}");
    }
    text.push('\n');
    for i in 0..m {
        let _ = write!(text, "a{i}");
        for j in 0..n {
            let base = if j % 2 == 0 { i % 97 } else { i % 89 };
            let _ = write!(text, ",{}", base + j + 1);
        }
        text.push('\n');
    }
    text
}

#[test]
fn promethee_refuses_a_matrix_past_its_limit_with_exit_2() {
    let (m, n) = (6_400, 10);
    let needed = (m * (m - 1) * n) as u64;
    assert!(
        needed > PROMETHEE_MAX_EVALUATIONS,
        "the test matrix is past the limit"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    std::fs::write(&path, matrix_csv(m, n)).unwrap();
    let path = path.to_str().unwrap();
    let limit = PROMETHEE_MAX_EVALUATIONS.to_string();
    let needed = needed.to_string();
    for method in [
        "promethee",
        "promethee:gaussian:s=3",
        "promethee_ii:vshape_2:q=1:p=5",
    ] {
        for format in ["table", "json"] {
            usage_error(
                &["decide", "--matrix", path, "--method", method, "-o", format],
                &[
                    "PROMETHEE II",
                    "6400 alternatives x 10 criteria",
                    &needed,
                    &limit,
                    "at most 6325 alternatives with 10 criteria",
                    "topsis",
                ],
            );
        }
    }
    // With a weighting method derived from the matrix, the refusal comes all the same.
    usage_error(
        &[
            "decide",
            "--matrix",
            path,
            "--method",
            "promethee",
            "--weights",
            "gini",
        ],
        &["PROMETHEE II", "6400 alternatives"],
    );
}

#[test]
fn a_large_matrix_is_ranked_with_the_ties_and_order_of_the_definition() {
    let (m, n) = (20_000, 4);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.csv");
    std::fs::write(&path, matrix_csv(m, n)).unwrap();
    let path = path.to_str().unwrap();
    for method in ["topsis", "vikor", "wsm:norm=minmax", "edas"] {
        let doc = ok_json(&[
            "decide",
            "--matrix",
            path,
            "--method",
            method,
            "--weights",
            "gini",
            "-o",
            "json",
        ]);
        let ranking = doc["ranking"].as_array().unwrap();
        assert_eq!(ranking.len(), m, "{method}");
        let ranks: Vec<usize> = ranking
            .iter()
            .map(|e| e["rank"].as_u64().unwrap() as usize)
            .collect();
        let index: Vec<usize> = ranking
            .iter()
            .map(|e| e["index"].as_u64().unwrap() as usize)
            .collect();
        // Listed by rank, then by row.
        for k in 1..m {
            assert!(
                (ranks[k - 1], index[k - 1]) < (ranks[k], index[k]),
                "{method}: entry {k} is out of order"
            );
        }
        // Tied exactly when another entry has the same rank (neighbours, as the list is
        // sorted by rank).
        for (k, e) in ranking.iter().enumerate() {
            let shared =
                (k > 0 && ranks[k - 1] == ranks[k]) || (k + 1 < m && ranks[k + 1] == ranks[k]);
            assert_eq!(e["tied"].as_bool(), Some(shared), "{method}: entry {k}");
        }
        // The cycle makes alternatives i and i + 97 * 89 equal, so there are ties.
        assert!(ranking.iter().any(|e| e["tied"] == true), "{method}");
    }
}
