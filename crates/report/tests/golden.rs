//! The Markdown report of the edge scenario, kept in `tests/golden/edge.md`.
//!
//! To regenerate it after an intended change of the report (or of the knowledge base), run
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test -p stackmatrix-report --test integration golden::
//! ```
//!
//! and read `git diff` before keeping the new file.

use stackmatrix_api::request::{RecommendRequest, ScenarioRequest};
use stackmatrix_model::Lang;
use std::path::PathBuf;

#[test]
fn edge_markdown_matches_the_golden_file() {
    let kb = stackmatrix_model::builtin().expect("the built-in knowledge base loads");
    let req = RecommendRequest {
        scenario: ScenarioRequest::scenario("edge"),
        ..RecommendRequest::default()
    };
    let data = stackmatrix_report::collect(&kb, Lang::En, &req, "stackmatrix (golden test)")
        .expect("the edge report collects");
    let actual = stackmatrix_report::render_markdown(&data);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/edge.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); create it with UPDATE_GOLDEN=1 cargo test -p stackmatrix-report --test integration golden::",
            path.display()
        )
    });
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "the edge report differs from {} at line {}:\n  actual:   {:?}\n  expected: {:?}\nregenerate with UPDATE_GOLDEN=1 cargo test -p stackmatrix-report --test integration golden::",
            path.display(),
            line + 1,
            actual.lines().nth(line).unwrap_or(""),
            expected.lines().nth(line).unwrap_or("")
        );
    }
}
