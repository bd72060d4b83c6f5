//! Flag values refused where the user can see which flag was wrong (issue 13): empty ids,
//! numbers so large their sum overflows, and error prefixes said once.

use crate::common;

use common::{run, usage_error};

/// Every flag (and positional argument) that takes an id, a scene, a concept, a capability or
/// a list of them, with the command around it; `{}` is where the empty value goes.
const ID_FLAGS: &[(&str, &[&str])] = &[
    ("--scenario", &["rank", "--scenario", "{}"]),
    ("--scenario", &["robustness", "--scenario", "{}"]),
    ("--tech", &["explain", "--scenario", "edge", "--tech", "{}"]),
    ("--tech", &["cost", "--tech", "{}"]),
    ("--stack", &["cost", "--stack", "{}"]),
    ("--stack", &["cost", "--stack", "k3s,{}"]),
    ("--tech", &["risk", "--tech", "{}"]),
    ("--stack", &["risk", "--stack", "{}"]),
    (
        "--tech",
        &[
            "adapt",
            "--tech",
            "{}",
            "--from-scene",
            "dev",
            "--to-scene",
            "edge",
        ],
    ),
    (
        "--from-scene",
        &[
            "adapt",
            "--tech",
            "k3s",
            "--from-scene",
            "{}",
            "--to-scene",
            "edge",
        ],
    ),
    ("--from", &["migrate", "--from", "{}", "--to", "k3s"]),
    ("--to", &["migrate", "--from", "k8s", "--to", "{}"]),
    (
        "--from-scene",
        &["migrate", "--from-scene", "{}", "--to-scene", "edge"],
    ),
    (
        "--to-scene",
        &["migrate", "--from-scene", "dev", "--to-scene", "{}"],
    ),
    ("--concept", &["deps", "--concept", "{}"]),
    ("--stack", &["deps", "--stack", "{}", "--scenario", "edge"]),
    (
        "--include",
        &["recommend", "--scenario", "edge", "--include", "{}"],
    ),
    (
        "--exclude",
        &["recommend", "--scenario", "edge", "--exclude", "k3s,{}"],
    ),
    (
        "--require",
        &["recommend", "--scenario", "edge", "--require", "{}"],
    ),
    ("--from", &["report", "--scenario", "edge", "--from", "{}"]),
    ("<TECH>", &["show", "{}"]),
    ("<ID>", &["cases", "show", "{}"]),
    ("[ID]", &["cases", "validate", "{}"]),
];

#[test]
fn an_empty_id_names_its_flag() {
    for (flag, args) in ID_FLAGS {
        for empty in ["", " "] {
            let args: Vec<String> = args.iter().map(|a| a.replace("{}", empty)).collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            usage_error(&args, &[flag, "an empty value"]);
        }
    }
}

#[test]
fn an_unknown_migration_end_names_its_flag() {
    usage_error(
        &["migrate", "--from", "nope", "--to", "k3s"],
        &["--from: unknown chain 'nope'"],
    );
    usage_error(
        &["migrate", "--from", "k8s", "--to", "nope"],
        &["--to: unknown chain 'nope'"],
    );
    usage_error(
        &["migrate", "--from-scene", "moon", "--to-scene", "edge"],
        &["--from-scene: unknown scene 'moon'"],
    );
    usage_error(
        &["adapt", "--tech", "nope", "--from-scene", "dev"],
        &["--tech: unknown technology 'nope'"],
    );
}

/// Issue 13, defect 8 and its kin: relative weights whose sum overflowed came out as NaN (or
/// as a message without a flag); each weight flag now refuses a value above 1e12 by name.
#[test]
fn weights_too_large_to_add_up_are_refused_by_flag() {
    let cases: &[(&str, &[&str])] = &[
        (
            "--attribute-weights",
            &[
                "cost",
                "--tech",
                "k3s",
                "--attribute-weights",
                "1e308,1e308,1e308,1e308",
            ],
        ),
        ("--vector", &["rank", "--vector", "1e308,1e308,0,0,0,0"]),
        (
            "--vector",
            &["cost", "--tech", "k3s", "--vector", "0,0,0,1e13,0,0"],
        ),
        (
            "--weights",
            &["rank", "--scenario", "edge", "--weights", "I=1e308,C=1e308"],
        ),
        // Finite sum, but w_i · memory overflowed: cost printed NaN MB.
        (
            "--weights",
            &[
                "cost",
                "--tech",
                "k3s",
                "--vector",
                "0,0,0,1,0,0",
                "--weights",
                "I=1e308,C=1e307",
            ],
        ),
        (
            "--weights",
            &["robustness", "--scenario", "edge", "--weights", "R=1e300"],
        ),
    ];
    for (flag, args) in cases {
        let stderr = usage_error(args, &[&format!("{flag}:"), "is too large", "at most 1e12"]);
        assert!(!stderr.contains("NaN"), "{stderr}");
    }
    // The bound itself is accepted.
    let out = run(&["rank", "--vector", "0,0,0,1e12,1e12,0"]);
    assert_eq!(out.status.code(), Some(0));
}

/// "gini weights: Gini weights: ...": the caller added the name the engine's error already
/// had. Each method is named once.
#[test]
fn a_weighting_method_error_names_the_method_once() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("m.csv");
    std::fs::write(&csv, "alt,x,y\na,1,0\nb,1,0\nc,1,0\n").unwrap();
    let csv = csv.to_str().unwrap();
    for (method, shown) in [
        ("gini", "--weights: Gini weights: criterion 'y' has mean 0"),
        ("critic", "--weights: CRITIC weights: criterion 'x'"),
        (
            "idocriw",
            "--weights: IDOCRIW weights: its entropy weights step:",
        ),
    ] {
        let stderr = usage_error(
            &[
                "decide",
                "--matrix",
                csv,
                "--types",
                "+,+",
                "--weights",
                method,
            ],
            &[shown],
        );
        assert_eq!(
            stderr.to_lowercase().matches(" weights:").count(),
            1,
            "{stderr}"
        );
    }
}
