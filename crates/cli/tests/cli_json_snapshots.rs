//! The JSON of every verb, byte for byte: the README's and the docs' examples and every verb on
//! every built-in scenario, kept in `tests/golden/json/*.json`.
//!
//! These files were recorded before the code was reorganised into one module per verb (issue
//! 14), so that a refactor shows up here if it changes any answer. A change that is meant (a new
//! field, a corrected figure) is recorded again with
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test -p stackmatrix --test integration cli_json_snapshots::
//! ```
//!
//! and the diff read before it is kept.

use crate::common;
use std::path::PathBuf;

/// The built-in scenarios (`data/scenarios/*.toml`).
const SCENARIOS: &[&str] = &[
    "ai-inference",
    "ci",
    "dev",
    "edge",
    "hybrid",
    "multitenant",
    "prod",
    "serverless",
];

/// The examples of the README and docs that stand alone (no file of the user's), as arguments.
const EXAMPLES: &[&str] = &[
    "adapt --stack k8s,istio --from-scene dev --to-scene edge",
    "adapt --tech k3s --from-scene edge --to-scene prod",
    "adapt --tech wasmedge --from-scene serverless",
    "audit",
    "calibrate",
    "compare --scenario ci --methods wsm,topsis,vikor,promethee",
    "cost --stack k8s,istio --scenario prod",
    "cost --tech k3s",
    "cost --tech wasmedge --scenario edge --attribute-weights latency=0",
    "deps",
    "deps --concept C",
    "deps --scenario edge --stack k3s,wasmedge",
    "deps --scenario edge --tech docker --weights 0,0,0,0,0,0,0,0,0,0,0,1",
    "explain --scenario edge --tech k3s",
    "migrate --compare",
    "migrate --from docker --to multitenant",
    "migrate --from docker --to multitenant --source derived",
    "ops apply build-image,deploy-container --lang zh",
    "ops apply build-image,deploy-container --tech k3s --scenario edge",
    "ops apply deploy-container,build-image --to I=0.5",
    "ops list",
    "rank --scenario multitenant --lang zh",
    "rank --vector prod=3,edge=1 --weights R=2 --time blend",
    "rank --scenario edge --method topsis",
    "rank --scenario edge --stacks k8s+istio,k3s,docker+linkerd",
    "recommend --scenario edge --budget-mb 300",
    "recommend --scenario edge --min-cost --min-score 8.8",
    "recommend --scenario ai-inference --min-cost --min-score 5 --allow-unknown-memory",
    "risk --stack k8s,istio --scenario hybrid --theta 0.9",
    "risk --tech k8s",
    "list techs",
    "list scenarios --lang zh",
    "list concepts",
    "list scenes",
    "show k8s --time blend",
    "cases list",
    "cases validate",
    "cases show inspur-edge",
];

/// The verbs run on every built-in scenario.
const PER_SCENARIO: &[&str] = &[
    "rank --explain --scenario",
    "recommend --scenario",
    "risk --scenario",
    "robustness --samples 2000 --seed 7 --scenario",
    "compare --scenario",
];

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/json")
        .join(format!("{name}.json"))
}

/// A file name for a command: its words joined by `_`, unsafe characters dropped.
fn name_of(args: &str) -> String {
    args.split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '~'
            }
        })
        .collect()
}

/// Runs one command with `-o json` and compares its standard output with its golden file; an
/// empty string when it matches, else what differs.
fn check(args: &str) -> String {
    let mut full: Vec<&str> = args.split_whitespace().collect();
    full.extend(["-o", "json"]);
    let out = common::cmd().args(&full).output().expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(0) {
        return format!("{args}: exit {:?}: {stderr}\n", out.status.code());
    }
    let actual = String::from_utf8(out.stdout).expect("UTF-8 output");
    let path = golden_path(&name_of(args));
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return String::new();
    }
    let expected = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => return format!("{args}: cannot read {} ({e})\n", path.display()),
    };
    if actual == expected {
        return String::new();
    }
    let line = actual
        .lines()
        .zip(expected.lines())
        .position(|(a, e)| a != e)
        .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
    format!(
        "{args}: differs from {} at line {}:\n  now:      {}\n  recorded: {}\n",
        path.display(),
        line + 1,
        actual.lines().nth(line).unwrap_or("<end>"),
        expected.lines().nth(line).unwrap_or("<end>")
    )
}

#[test]
fn every_documented_example_answers_the_recorded_json() {
    let failures: String = EXAMPLES.iter().map(|a| check(a)).collect();
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn every_verb_on_every_scenario_answers_the_recorded_json() {
    let mut failures = String::new();
    for verb in PER_SCENARIO {
        for scenario in SCENARIOS {
            failures.push_str(&check(&format!("{verb} {scenario}")));
        }
    }
    assert!(failures.is_empty(), "{failures}");
}
