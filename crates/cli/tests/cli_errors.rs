//! Bad input: every case exits with 2, says on stderr (starting with "error:") which flag was
//! wrong and what it accepts, prints nothing on stdout and never panics.

use crate::common;

use common::{exported_kb, run, usage_error};
use std::path::Path;

// --- --scenario --------------------------------------------------------------------------

#[test]
fn unknown_scenario_lists_the_ids() {
    usage_error(
        &["rank", "--scenario", "nope"],
        &[
            "--scenario",
            "'nope'",
            "edge",
            "hybrid",
            "multitenant",
            "ai-inference",
        ],
    );
    usage_error(&["explain", "--scenario", "nope"], &["--scenario", "edge"]);
}

// --- --vector ----------------------------------------------------------------------------

#[test]
fn vector_with_five_values() {
    usage_error(
        &["rank", "--vector", "1,0,0,0,0"],
        &[
            "--vector",
            "expected 6 numbers",
            "dev,ci,prod,edge,serverless,multitenant",
            "got 5",
        ],
    );
}

#[test]
fn vector_with_a_non_number() {
    usage_error(
        &["rank", "--vector", "0,0,x,1,0,0"],
        &["--vector", "'x'", "prod", "not a number", "decimal number"],
    );
}

#[test]
fn vector_with_nan() {
    usage_error(
        &["rank", "--vector", "0,0,NaN,1,0,0"],
        &["--vector", "NaN", "not a finite number", "decimal number"],
    );
}

#[test]
fn vector_with_infinity() {
    for inf in ["inf", "-inf", "infinity", "1e400"] {
        let v = format!("0,0,{inf},1,0,0");
        usage_error(
            &["rank", "--vector", &v],
            &["--vector", "not a finite number", "decimal number"],
        );
    }
}

#[test]
fn vector_with_a_negative_value() {
    usage_error(
        &["rank", "--vector", "0,0,-1,1,0,0"],
        &["--vector", "prod", "negative", "0 or more"],
    );
    // A leading minus is a value, not a flag.
    usage_error(
        &["rank", "--vector", "-1,0,0,1,0,0"],
        &["--vector", "dev", "negative", "0 or more"],
    );
}

#[test]
fn vector_of_zeros() {
    usage_error(
        &["rank", "--vector", "0,0,0,0,0,0"],
        &["--vector", "zero", "more than 0"],
    );
}

#[test]
fn vector_problems_name_only_the_vector_flag() {
    // The problem is in --vector; --weights is fine and must not be blamed.
    let err = usage_error(
        &["rank", "--vector", "0,0,0,0,0,0", "--weights", "R=2"],
        &["--vector"],
    );
    assert!(!err.contains("--weights"), "{err}");
}

#[test]
fn vector_with_an_unknown_scene() {
    usage_error(
        &["rank", "--vector", "edg=1"],
        &[
            "--vector",
            "unknown scene 'edg'",
            "dev",
            "edge",
            "multitenant",
        ],
    );
}

#[test]
fn vector_with_a_repeated_scene() {
    usage_error(
        &["rank", "--vector", "edge=1,edge=2"],
        &["--vector", "'edge'", "twice", "at most once"],
    );
}

#[test]
fn vector_mixing_numbers_and_pairs() {
    usage_error(
        &["rank", "--vector", "edge=1,2"],
        &["--vector", "KEY=VALUE"],
    );
}

#[test]
fn vector_whose_sum_overflows() {
    // Each value is finite, but their sum is not: without a check every score became 0.
    usage_error(
        &["rank", "--vector", "1e308,1e308,0,0,0,0"],
        &["--vector", "1e308 is too large", "0 or more, at most 1e12"],
    );
}

// --- --weights ---------------------------------------------------------------------------

#[test]
fn weights_with_eleven_values() {
    usage_error(
        &[
            "rank",
            "--scenario",
            "edge",
            "--weights",
            "1,1,1,1,1,1,1,1,1,1,1",
        ],
        &[
            "--weights",
            "expected 12 numbers",
            "I,C,Q,R,M,V,L,S,B,P,T,Theta",
            "got 11",
        ],
    );
}

#[test]
fn weights_with_a_negative_value() {
    usage_error(
        &["rank", "--scenario", "edge", "--weights", "R=-1"],
        &["--weights", "R", "negative", "0 or more"],
    );
}

#[test]
fn weights_all_zero() {
    usage_error(
        &[
            "rank",
            "--scenario",
            "edge",
            "--weights",
            "0,0,0,0,0,0,0,0,0,0,0,0",
        ],
        &["--weights", "zero", "more than 0"],
    );
}

#[test]
fn weights_with_an_unknown_concept() {
    usage_error(
        &["rank", "--scenario", "edge", "--weights", "Z=1"],
        &["--weights", "unknown concept 'Z'", "I, C", "Theta"],
    );
}

#[test]
fn weights_with_nan_or_overflow() {
    usage_error(
        &["rank", "--scenario", "edge", "--weights", "R=NaN"],
        &["--weights", "not a finite number"],
    );
    // Without a check the scores came out NaN with exit code 0.
    usage_error(
        &[
            "rank",
            "--scenario",
            "edge",
            "--weights",
            "1e308,1e308,1,1,1,1,1,1,1,1,1,1",
        ],
        &["--weights", "too large"],
    );
}

#[test]
fn weight_problems_with_a_vector_name_only_the_weights_flag() {
    let err = usage_error(
        &["rank", "--vector", "edge=1", "--weights", "R=-1"],
        &["--weights", "negative"],
    );
    assert!(!err.contains("--vector"), "{err}");
}

// --- technologies ------------------------------------------------------------------------

#[test]
fn explain_an_unknown_technology() {
    usage_error(
        &["explain", "--scenario", "edge", "--tech", "nope"],
        &["--tech", "'nope'", "k3s", "k8s", "wasmedge"],
    );
}

#[test]
fn show_an_unknown_technology() {
    usage_error(
        &["show", "nope"],
        &["unknown technology 'nope'", "k3s", "k8s"],
    );
}

// --- clap usage errors -------------------------------------------------------------------

#[test]
fn scenario_and_vector_together() {
    usage_error(
        &["rank", "--scenario", "edge", "--vector", "edge=1"],
        &["--scenario", "--vector", "cannot be used with"],
    );
}

#[test]
fn neither_scenario_nor_vector() {
    // Both flags are named, so the user learns either will do.
    usage_error(&["rank"], &["required", "--scenario", "--vector"]);
    usage_error(&["explain", "--tech", "k8s"], &["--scenario", "--vector"]);
}

#[test]
fn unknown_values_of_global_flags() {
    usage_error(
        &["-o", "xml", "list", "scenes"],
        &["xml", "table", "json", "csv", "md"],
    );
    usage_error(&["--lang", "fr", "list", "scenes"], &["fr", "en", "zh"]);
    usage_error(
        &["--color", "sometimes", "list", "scenes"],
        &["auto", "never"],
    );
    usage_error(
        &["rank", "--scenario", "edge", "--time", "later"],
        &["static", "blend"],
    );
}

// --- --model -----------------------------------------------------------------------------

#[test]
fn model_directory_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-kb");
    let missing = missing.to_str().unwrap();
    usage_error(
        &["--model", missing, "rank", "--scenario", "edge"],
        &[
            "--model",
            missing,
            "does not exist",
            "knowledge-base directory",
        ],
    );
}

#[test]
fn model_path_that_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kb.toml");
    std::fs::write(&file, "").unwrap();
    usage_error(
        &["--model", file.to_str().unwrap(), "list", "techs"],
        &["--model", "not a directory"],
    );
}

/// Replaces the edge value of k3s's static R row (1.0) with `value`; returns the line and the
/// column (1-based, in characters) of the new value.
fn break_k3s_row_r(kb: &Path, value: &str) -> (usize, usize) {
    let path = kb.join("technologies/k3s.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let old = "R     = [0.3, 0.7, 0.9, 1.0, 1.0, 0.9]";
    let new = format!("R     = [0.3, 0.7, 0.9, {value}, 1.0, 0.9]");
    assert!(text.contains(old), "k3s.toml changed; update this test");
    let line = text.lines().position(|l| l == old).unwrap() + 1;
    let column = new.find(value).unwrap() + 1;
    std::fs::write(&path, text.replace(old, &new)).unwrap();
    (line, column)
}

#[test]
fn model_directory_with_a_broken_file() {
    let kb = exported_kb();
    let (line, column) = break_k3s_row_r(kb.path(), "1.2");
    let err = usage_error(
        &[
            "--model",
            kb.path().to_str().unwrap(),
            "rank",
            "--scenario",
            "edge",
        ],
        &["k3s.toml", "maturity.static.R", "1.2", "between 0 and 1"],
    );
    assert!(
        err.contains(&format!("k3s.toml:{line}:{column}:")),
        "expected k3s.toml:{line}:{column}: in:\n{err}"
    );
}

#[test]
fn model_check_reports_every_problem() {
    // Three problems in two files, each in a file of its own overlay.
    let dir = tempfile::tempdir().unwrap();
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    std::fs::create_dir_all(dir.path().join("technologies")).unwrap();
    std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();

    let k3s = std::fs::read_to_string(builtin.join("technologies/k3s.toml")).unwrap();
    let bad_k3s = k3s
        .replace(
            "R     = [0.3, 0.7, 0.9, 1.0, 1.0, 0.9]",
            "R     = [0.3, 0.7, 0.9, 1.2, 1.0, 0.9]",
        )
        .replace(
            "T     = [0.0, 0.5, 0.9, 0.7, 0.7, 0.9]",
            "T     = [-0.5, 0.5, 0.9, 0.7, 0.7, 0.9]",
        );
    assert_eq!(bad_k3s.matches("1.2").count(), 1, "k3s.toml changed");
    assert!(bad_k3s.contains("-0.5"), "k3s.toml changed");
    std::fs::write(dir.path().join("technologies/k3s.toml"), bad_k3s).unwrap();

    let edge = std::fs::read_to_string(builtin.join("scenarios/edge.toml")).unwrap();
    let bad_edge = edge.replace("\nedge = 1.0\n", "\nedge = -1.0\n");
    assert_ne!(bad_edge, edge, "edge.toml changed");
    std::fs::write(dir.path().join("scenarios/edge.toml"), bad_edge).unwrap();

    let err = usage_error(
        &["model", "check", dir.path().to_str().unwrap()],
        &[
            "k3s.toml",
            "edge.toml",
            "maturity.static.R",
            "maturity.static.T",
            "vector.edge",
        ],
    );
    let problems = err.lines().filter(|l| l.starts_with("error:")).count();
    assert_eq!(problems, 3, "three problems expected:\n{err}");
    assert!(err.contains("3 problems"), "{err}");
}

#[test]
fn model_check_of_a_missing_directory() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing-here");
    usage_error(
        &["model", "check", missing.to_str().unwrap()],
        &["does not exist", "knowledge-base directory"],
    );
}

#[test]
fn errors_are_english_text_in_either_language() {
    // --lang changes labels, not the exit code or the error line's shape.
    let out = run(&["--lang", "zh", "rank", "--scenario", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: --scenario"));
}
