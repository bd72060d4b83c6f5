//! Golden files: the exact text output of a few commands, kept in `tests/golden/*.txt`.
//!
//! Each test runs the binary with `NO_COLOR=1` and `--color never` and compares its standard
//! output with the golden file byte for byte.
//!
//! To regenerate the files after an intended change of the output, run
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test -p stackmatrix --test integration cli_golden::
//! ```
//!
//! which rewrites every golden file instead of comparing; then read `git diff` before keeping
//! the new files. The CSV and Markdown files hold scores in full precision (`9.166666666666666`),
//! so a change in the engine's last-digit rounding shows up here too.

use crate::common;

use std::path::PathBuf;

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.txt"))
}

fn check_golden(name: &str, args: &[&str]) {
    let mut full = vec!["--color", "never"];
    full.extend_from_slice(args);
    let out = common::cmd()
        .env("NO_COLOR", "1")
        .args(&full)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?} failed:\n{stderr}");
    assert!(stderr.is_empty(), "{args:?} wrote to stderr:\n{stderr}");
    let actual = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(
        !actual.contains('\x1b'),
        "{args:?}: colour escapes with --color never"
    );

    let path = golden_path(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); create it with UPDATE_GOLDEN=1 cargo test -p stackmatrix --test integration cli_golden::",
            path.display()
        )
    });
    if actual != expected {
        let first = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "{args:?} differs from {} at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             --- actual output ---\n{actual}\n\
             If the change is intended: UPDATE_GOLDEN=1 cargo test -p stackmatrix --test integration cli_golden::",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end of file>"),
            actual.lines().nth(first).unwrap_or("<end of output>"),
        );
    }
}

#[test]
fn rank_edge_explain() {
    check_golden(
        "rank-edge-explain",
        &["rank", "--scenario", "edge", "--explain"],
    );
}

#[test]
fn rank_multitenant_zh() {
    check_golden(
        "rank-multitenant-zh",
        &["rank", "--scenario", "multitenant", "--lang", "zh"],
    );
}

#[test]
fn explain_hybrid_k8s() {
    check_golden(
        "explain-hybrid-k8s",
        &["explain", "--scenario", "hybrid", "--tech", "k8s"],
    );
}

#[test]
fn list_concepts_zh() {
    check_golden("list-concepts-zh", &["list", "concepts", "--lang", "zh"]);
}

#[test]
fn show_k8s_blend() {
    check_golden("show-k8s-blend", &["show", "k8s", "--time", "blend"]);
}

#[test]
fn rank_serverless_md() {
    check_golden(
        "rank-serverless-md",
        &["rank", "--scenario", "serverless", "-o", "md"],
    );
}

#[test]
fn rank_ai_inference_csv() {
    check_golden(
        "rank-ai-inference-csv",
        &["rank", "--scenario", "ai-inference", "-o", "csv"],
    );
}
