//! One validator: `model check` refuses a knowledge-base value exactly when a verb refuses it,
//! and both say the file, line and column (issue 13, defect 9).
//!
//! Each case writes one built-in file with one field set to a hostile value (TOML's `nan` and
//! `inf`, negatives, `1e308`, the largest double, values just past the bound, subnormals) into
//! an overlay, runs `model check` on it and the verbs that read that field with `--model`.
//! Either the check refuses, and then every verb refuses with the same `file:line:column`, or
//! the check accepts, and then every verb succeeds and prints no NaN or infinity.

use crate::common;

use common::run;
use std::path::Path;

/// Hostile values, as written in TOML.
const VALUES: [&str; 12] = [
    "nan",
    "inf",
    "-inf",
    "-1.0",
    "-0.0",
    "0.0",
    "1e-320",
    "0.5",
    "1e12",
    "1.5e12",
    "1e308",
    "1.7976931348623157e308",
];

/// One field: the built-in file, the text replaced (once), the replacement with `{v}` for the
/// value, and the verbs that read the field.
struct Field {
    file: &'static str,
    old: &'static str,
    new: &'static str,
    verbs: &'static [&'static [&'static str]],
}

const RANK_EDGE: &[&str] = &["rank", "--scenario", "edge"];
const COST_K3S: &[&str] = &["cost", "--tech", "k3s", "--scenario", "edge"];
const COST_STACK: &[&str] = &["cost", "--stack", "k3s,wasmedge,opa", "--scenario", "edge"];

const FIELDS: &[Field] = &[
    Field {
        file: "scenarios/edge.toml",
        old: "edge = 1.0",
        new: "edge = {v}\nprod = {v}",
        verbs: &[RANK_EDGE, COST_K3S, &["audit"], &["cases", "validate"]],
    },
    Field {
        file: "scenarios/edge.toml",
        old: "[vector]",
        new: "[weights]\nI = {v}\nC = {v}\n\n[vector]",
        verbs: &[
            RANK_EDGE,
            COST_K3S,
            &["recommend", "--scenario", "edge"],
            &["audit"],
        ],
    },
    Field {
        file: "scenarios/edge.toml",
        old: "edge = 1.0",
        new: "edge = 1.0\n\n[requirements]\nmemory_mb_per_node = {v}",
        verbs: &[&["recommend", "--scenario", "edge"]],
    },
    Field {
        file: "scenarios/edge.toml",
        old: "score = 9.2",
        new: "score = {v}",
        verbs: &[&["audit"]],
    },
    Field {
        file: "technologies/k3s.toml",
        old: "value = 275",
        new: "value = {v}",
        verbs: &[
            COST_STACK,
            &["recommend", "--scenario", "edge", "--budget-mb", "1000"],
            &["cases", "validate"],
        ],
    },
    Field {
        file: "technologies/k3s.toml",
        old: "I     = [0.9, 1.0, 0.9, 1.0, 0.9, 0.9]",
        new: "I     = [0.9, 1.0, 0.9, {v}, 0.9, 0.9]",
        verbs: &[RANK_EDGE, &["risk", "--tech", "k3s"], COST_K3S],
    },
    Field {
        file: "tables/attributes.toml",
        old: "I     = [500.0,  1000.0, 2000.0,  3000.0,  500.0, 2000.0]",
        new: "I     = [{v},  {v}, 2000.0,  3000.0,  500.0, 2000.0]",
        verbs: &[COST_K3S],
    },
    Field {
        file: "tables/attributes.toml",
        old: "I     = [100.0, 500.0, 2000.0, 500.0, 100.0, 2000.0]",
        new: "I     = [{v}, {v}, {v}, {v}, {v}, {v}]",
        verbs: &[
            COST_K3S,
            COST_STACK,
            &[
                "recommend",
                "--scenario",
                "edge",
                "--min-cost",
                "--min-score",
                "5",
            ],
        ],
    },
    Field {
        file: "tables/attributes.toml",
        old: "L_mesh = [0.8, 0.95, 1.0, 0.85, 1.0, 1.0]",
        new: "L_mesh = [0.8, 0.95, 1.0, {v}, 1.0, 1.0]",
        verbs: &[COST_STACK],
    },
    Field {
        file: "tables/theta.toml",
        old: "I     = 1.0",
        new: "I     = {v}",
        verbs: &[RANK_EDGE, &["risk", "--tech", "k3s"]],
    },
    Field {
        file: "tables/parameters.toml",
        old: "static_drop = 0.3",
        new: "static_drop = {v}",
        verbs: &[&["risk", "--tech", "k3s"], &["risk"]],
    },
    Field {
        file: "tables/transitions.toml",
        old: "k8s         = [0.5, 0.0, 0.2, 0.4, 0.3, 0.3]",
        new: "k8s         = [0.5, 0.0, {v}, 0.4, 0.3, 0.3]",
        verbs: &[&["migrate", "--from", "k8s", "--to", "k3s"]],
    },
    Field {
        file: "cases/inspur-edge.toml",
        old: "value = 3000.0",
        new: "value = {v}",
        verbs: &[&["cases", "validate"]],
    },
];

/// The text of a built-in file, as `model export` writes it.
fn builtin_text(kb: &Path, file: &str) -> String {
    std::fs::read_to_string(kb.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// True when a verb's output shows a number that is not one.
fn shows_non_number(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w, "NaN" | "nan" | "inf" | "Infinity"))
}

/// The `file:line:column` places of the `error:` lines of a refusal.
fn places(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .filter_map(|l| {
            let (place, _) = l.split_once(": ")?;
            let mut parts = place.rsplitn(3, ':');
            let (col, line) = (parts.next()?, parts.next()?);
            (col.parse::<usize>().is_ok() && line.parse::<usize>().is_ok())
                .then(|| place.to_string())
        })
        .collect()
}

#[test]
fn check_refuses_a_hostile_value_exactly_when_a_verb_does_and_both_say_where() {
    let kb = common::exported_kb();
    let mut failures = Vec::new();
    let mut refused = 0;
    for field in FIELDS {
        let text = builtin_text(kb.path(), field.file);
        assert_eq!(
            text.matches(field.old).count(),
            1,
            "{:?} in {}",
            field.old,
            field.file
        );
        for value in VALUES {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(field.file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let new = field.new.replace("{v}", value);
            std::fs::write(&path, text.replacen(field.old, &new, 1)).unwrap();
            let overlay = dir.path().to_str().unwrap();
            let case = format!("{} {new:?}", field.file);

            let check = run(&["model", "check", overlay]);
            let check_err = String::from_utf8_lossy(&check.stderr).into_owned();
            let check_places = places(&check_err);
            let check_ok = check.status.code() == Some(0);
            if check_ok {
                if !check_places.is_empty() {
                    failures.push(format!("{case}: check passed but printed {check_err}"));
                }
            } else {
                refused += 1;
                if check_places.is_empty() || check.status.code() != Some(2) {
                    failures.push(format!(
                        "{case}: check refused without a place:\n{check_err}"
                    ));
                }
            }
            for verb in field.verbs {
                let mut args = vec!["--model", overlay];
                args.extend_from_slice(verb);
                let out = run(&args);
                let stdout = String::from_utf8_lossy(&out.stdout);
                let stderr = String::from_utf8_lossy(&out.stderr);
                let verb_ok = out.status.code() == Some(0);
                if stderr.contains("panicked") {
                    failures.push(format!("{case}: {verb:?} panicked:\n{stderr}"));
                } else if verb_ok != check_ok {
                    failures.push(format!(
                        "{case}: check {} but {verb:?} {} (exit {:?}):\n{check_err}{stderr}",
                        if check_ok { "passed" } else { "refused" },
                        if verb_ok { "ran" } else { "refused" },
                        out.status.code()
                    ));
                } else if verb_ok && shows_non_number(&stdout) {
                    failures.push(format!("{case}: {verb:?} printed a non-number:\n{stdout}"));
                } else if !verb_ok && places(&stderr) != check_places {
                    failures.push(format!(
                        "{case}: {verb:?} refused at other places than check:\n{check_err}{stderr}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // NaN, the infinities and 1e308 are refused in every field; 0.5 in none.
    assert!(refused >= 4 * FIELDS.len(), "only {refused} refusals");
}

#[test]
fn a_scenario_whose_vector_sum_overflows_is_refused_by_check_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("scenarios")).unwrap();
    let file = dir.path().join("scenarios/big.toml");
    std::fs::write(
        &file,
        "id = \"big\"\n[name]\nen = \"Big\"\nzh = \"Big\"\n[vector]\nedge = 1e308\nprod = 1e308\n",
    )
    .unwrap();
    let overlay = dir.path().to_str().unwrap();
    let out = run(&["model", "check", overlay]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let at = format!("{}:6:8: vector.edge: 1e308 is too large; expected a finite number of 0 or more, at most 1e12", file.display());
    assert!(stderr.contains(&at), "{stderr}");
    let out = run(&["--model", overlay, "rank", "--scenario", "big"]);
    let verb = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{verb}");
    assert!(verb.contains(&at), "{verb}");
}
