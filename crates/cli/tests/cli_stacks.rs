//! Stacks end to end: `recommend`, `rank --stacks`, `cases` and `audit`, run as the binary.
//!
//! Expectations come from the binary's own other outputs (`list techs`, `show`, `cases show`) or
//! from the knowledge-base files, not from copies of the data, so growing the knowledge base does
//! not break them.

use crate::common;

use common::{num, ok_json, ok_stdout, ranking, run, usage_error};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The five scenarios of the seed that carry claims.
const SEED_SCENARIOS: [&str; 5] = [
    "edge",
    "serverless",
    "ai-inference",
    "multitenant",
    "hybrid",
];

/// The five practice cases of the seed.
const SEED_CASES: [&str; 5] = [
    "enterprise-multitenant",
    "hybrid-cloud",
    "inspur-edge",
    "kubecon-2025-ai",
    "tencent-minigame-serverless",
];

/// Every technology of the built-in knowledge base, id to its `list techs -o json` entry.
fn techs() -> BTreeMap<String, Value> {
    ok_json(&["list", "techs", "-o", "json"])
        .as_array()
        .expect("list techs is an array")
        .iter()
        .map(|t| (t["id"].as_str().expect("an id").to_string(), t.clone()))
        .collect()
}

/// The strings of a JSON array.
fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array, got {v}"))
        .iter()
        .map(|s| {
            s.as_str()
                .unwrap_or_else(|| panic!("expected a string, got {s}"))
                .to_string()
        })
        .collect()
}

/// `recommend ARGS -o json`.
fn recommend(args: &[&str]) -> Value {
    let mut full = vec!["recommend"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["-o", "json"]);
    ok_json(&full)
}

/// The members of the recommended stack.
fn members(doc: &Value) -> Vec<String> {
    strings(&doc["stack"]["members"])
}

/// Kendall's tau-b of two equally long rankings: `(nc - nd) / sqrt((n0 - tx) (n0 - ty))`,
/// `None` when either ranking is all ties.
fn tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(x.len(), y.len());
    let (mut nc, mut nd, mut tx, mut ty, mut n0) = (0i64, 0i64, 0i64, 0i64, 0i64);
    for i in 0..x.len() {
        for j in i + 1..x.len() {
            n0 += 1;
            let dx = x[i].partial_cmp(&x[j]).expect("a rank") as i64;
            let dy = y[i].partial_cmp(&y[j]).expect("a rank") as i64;
            if dx == 0 {
                tx += 1;
            }
            if dy == 0 {
                ty += 1;
            }
            match (dx * dy).signum() {
                1 => nc += 1,
                -1 => nd += 1,
                _ => {}
            }
        }
    }
    let denominator = (((n0 - tx) * (n0 - ty)) as f64).sqrt();
    (denominator > 0.0).then(|| (nc - nd) as f64 / denominator)
}

// ---- recommend -------------------------------------------------------------------------------

#[test]
fn recommend_answers_every_seed_scenario() {
    let known = techs();
    for id in SEED_SCENARIOS {
        let doc = recommend(&["--scenario", id]);
        assert_eq!(doc["scenario"]["id"], id);
        let m = members(&doc);
        assert!(!m.is_empty(), "{id}: an empty stack");
        for t in &m {
            assert!(known.contains_key(t), "{id}: unknown member {t}");
        }
        let score = num(&doc["stack"]["score"]);
        assert!((0.0..=10.0).contains(&score), "{id}: score {score}");
        if id == "hybrid" {
            // Answered per environment: each environment's search is exact, and the plan's score
            // is the weighted sum of the environments' scores with the shared layers.
            let envs = doc["environments"].as_array().expect("environments");
            assert!(!envs.is_empty());
            let mut weighted = 0.0;
            for e in envs {
                assert_eq!(e["search"]["optimal"], true, "hybrid {}", e["scene"]);
                weighted += num(&e["weight"]) * num(&e["score_with_shared"]);
                for t in strings(&e["stack"]["members"]) {
                    assert!(
                        m.contains(&t),
                        "hybrid: {t} of {} not in the plan",
                        e["scene"]
                    );
                }
            }
            assert!(
                (weighted - score).abs() <= 1e-9,
                "hybrid: plan score {score}, weighted environments {weighted}"
            );
        } else {
            assert_eq!(doc["search"]["optimal"], true, "{id}: {}", doc["search"]);
        }
    }
}

#[test]
fn ai_inference_needs_the_gpu_plugin_and_serverless_does_not() {
    // The seed's point: AI inference is not serverless with another name; it needs a GPU.
    let ai = recommend(&["--scenario", "ai-inference"]);
    assert!(
        members(&ai).contains(&"wasmedge-gpu".to_string()),
        "{:?}",
        members(&ai)
    );
    assert_eq!(strings(&ai["constraints"]["require"]), ["gpu"]);
    let serverless = recommend(&["--scenario", "serverless"]);
    assert!(
        !members(&serverless).contains(&"wasmedge-gpu".to_string()),
        "{:?}",
        members(&serverless)
    );
}

#[test]
fn max_size_one_gives_a_single_chain_and_says_it_binds() {
    let known = techs();
    let doc = recommend(&["--scenario", "edge", "--max-size", "1"]);
    let m = members(&doc);
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(known[&m[0]]["kind"], "chain", "{m:?}");
    assert_eq!(doc["constraints"]["max_size"], 1);
    let effects = doc["constraint_effects"]
        .as_array()
        .expect("constraint_effects");
    let size: Vec<&Value> = effects
        .iter()
        .filter(|e| e["constraint"] == "max-size 1")
        .collect();
    assert_eq!(size.len(), 1, "{effects:?}");
    assert_eq!(size[0]["binds"], true);
    // Binding means relaxing it gives a better stack.
    assert!(
        num(&size[0]["relaxed_best"]["score"]) > num(&doc["stack"]["score"]),
        "{}",
        size[0]
    );
}

#[test]
fn budget_require_include_and_exclude_shape_the_stack() {
    let budget = recommend(&["--scenario", "edge", "--budget-mb", "300"]);
    assert_eq!(num(&budget["constraints"]["budget_mb"]), 300.0);
    let memory = num(&budget["stack"]["memory_mb"]);
    assert!(memory <= 300.0, "memory_mb {memory}");

    let gpu = recommend(&["--require", "gpu", "--scenario", "edge"]);
    assert!(
        members(&gpu).contains(&"wasmedge-gpu".to_string()),
        "{:?}",
        members(&gpu)
    );

    let without = recommend(&["--scenario", "edge", "--exclude", "k3s"]);
    assert!(
        !members(&without).contains(&"k3s".to_string()),
        "{:?}",
        members(&without)
    );

    let with = recommend(&["--scenario", "edge", "--include", "k8s"]);
    let m = members(&with);
    assert!(m.contains(&"k8s".to_string()), "{m:?}");
    // k8s and k3s conflict: a stack with k8s cannot have k3s as well.
    assert!(!m.contains(&"k3s".to_string()), "{m:?}");
}

#[test]
fn bad_recommend_constraints_are_usage_errors() {
    let known = techs();
    let mut needles: Vec<&str> = vec!["nope"];
    needles.extend(known.keys().map(String::as_str));
    usage_error(
        &["recommend", "--scenario", "edge", "--include", "nope"],
        &needles,
    );

    usage_error(
        &["recommend", "--scenario", "edge", "--max-size", "0"],
        &["--max-size"],
    );

    // As two arguments the parser itself refuses `-5`; joined by `=` the value reaches the check.
    usage_error(
        &["recommend", "--scenario", "edge", "--budget-mb", "-5"],
        &["-5"],
    );
    usage_error(
        &["recommend", "--scenario", "edge", "--budget-mb=-5"],
        &["--budget-mb", "-5"],
    );

    // Every capability some technology brings is named.
    let capabilities: BTreeSet<String> = known
        .values()
        .flat_map(|t| strings(&t["capabilities"]))
        .collect();
    assert!(capabilities.contains("gpu") && capabilities.contains("offline"));
    let mut needles: Vec<&str> = vec!["teleport"];
    needles.extend(capabilities.iter().map(String::as_str));
    usage_error(
        &["recommend", "--scenario", "edge", "--require", "teleport"],
        &needles,
    );
}

// ---- rank --stacks ---------------------------------------------------------------------------

#[test]
fn a_service_mesh_lifts_load_balancing_by_the_published_uplift() {
    let doc = ok_json(&[
        "rank",
        "--stacks",
        "k8s+istio,k8s,k3s+istio",
        "--scenario",
        "edge",
        "-o",
        "json",
    ]);
    let entries = ranking(&doc);
    let ids: Vec<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["k3s+istio", "k8s", "k8s+istio"], "{ids:?}");
    for pair in entries.windows(2) {
        assert!(
            num(&pair[0]["score"]) >= num(&pair[1]["score"]),
            "not in score order: {ids:?}"
        );
    }
    assert_eq!(doc["infeasible"].as_array().map(Vec::len), Some(0));
    let entry = |id: &str| entries.iter().find(|e| e["id"] == id).unwrap();
    assert_eq!(strings(&entry("k8s+istio")["members"]), ["k8s", "istio"]);
    assert_eq!(strings(&entry("k8s")["members"]), ["k8s"]);

    // The mesh adds the uplift (0.25, the middle of the published 0.2 to 0.3) to k8s's L in the
    // edge scene, capped at 1; with equal weights over 12 concepts the score moves by 10 · d / 12.
    let show = ok_json(&["show", "k8s", "-o", "json"]);
    let edge = strings(&show["scenes"])
        .iter()
        .position(|s| s == "edge")
        .expect("an edge scene");
    let l_row = show["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["concept"] == "L")
        .expect("an L row");
    let l = num(&l_row["values"][edge]);
    let expected = 10.0 * ((l + 0.25).min(1.0) - l) / 12.0;
    assert!(expected > 0.0, "k8s's L on the edge is already 1");
    let lift = num(&entry("k8s+istio")["score"]) - num(&entry("k8s")["score"]);
    assert!(
        (lift - expected).abs() <= 1e-12,
        "k8s+istio is {lift} above k8s, expected {expected}"
    );
}

#[test]
fn conflicting_orchestrators_share_a_stack_only_across_environments() {
    let edge = ok_json(&[
        "rank",
        "--stacks",
        "k8s+k3s",
        "--scenario",
        "edge",
        "-o",
        "json",
    ]);
    assert_eq!(ranking(&edge).len(), 0, "{edge}");
    let infeasible = edge["infeasible"].as_array().expect("infeasible");
    assert_eq!(infeasible.len(), 1, "{infeasible:?}");
    assert_eq!(infeasible[0]["id"], "k8s+k3s");
    let problems = strings(&infeasible[0]["problems"]);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("conflict") && p.contains("k8s") && p.contains("k3s")),
        "{problems:?}"
    );

    // The hybrid spans environments: the two run in different places.
    let hybrid = ok_json(&[
        "rank",
        "--stacks",
        "k8s+k3s",
        "--scenario",
        "hybrid",
        "-o",
        "json",
    ]);
    let ranked = ranking(&hybrid);
    assert_eq!(ranked.len(), 1, "{hybrid}");
    assert_eq!(ranked[0]["id"], "k8s+k3s");
    assert!((0.0..=10.0).contains(&num(&ranked[0]["score"])));
    assert_eq!(hybrid["infeasible"].as_array().map(Vec::len), Some(0));
}

// ---- cases -----------------------------------------------------------------------------------

#[test]
fn cases_list_has_every_case_file() {
    let listed: Vec<String> = ok_json(&["cases", "list", "-o", "json"])
        .as_array()
        .expect("cases list is an array")
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    for id in SEED_CASES {
        assert!(listed.contains(&id.to_string()), "{id} in {listed:?}");
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/cases");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect();
    files.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, files);
}

#[test]
fn cases_validate_gives_a_verdict_for_every_claim() {
    const MATURITY: [&str; 4] = ["agrees", "model lower", "model higher", "no data"];
    const INDICATOR: [&str; 3] = ["supported", "contradicted", "no data"];
    let reports = ok_json(&["cases", "validate", "-o", "json"]);
    let reports = reports.as_array().expect("a list of reports");
    let ids: BTreeSet<&str> = reports
        .iter()
        .map(|r| r["case"].as_str().unwrap())
        .collect();
    assert_eq!(ids, SEED_CASES.into_iter().collect());
    let (mut maturity_claims, mut indicator_claims) = (0, 0);
    for r in reports {
        let id = r["case"].as_str().unwrap();
        let shown = ok_json(&["cases", "show", id, "-o", "json"]);
        assert_eq!(shown["id"], id);

        let claimed = shown["maturity"].as_array().unwrap();
        let checked = r["maturity"].as_array().unwrap();
        assert_eq!(
            checked.len(),
            claimed.len(),
            "{id}: a maturity claim skipped"
        );
        for (c, m) in checked.iter().zip(claimed) {
            assert_eq!(c["concept"], m["concept"], "{id}");
            assert_eq!(c["claimed"], m["value"], "{id}");
            let verdict = c["verdict"].as_str().unwrap();
            assert!(MATURITY.contains(&verdict), "{id}: {verdict}");
        }

        let claimed = shown["indicators"].as_array().unwrap();
        let checked = r["indicators"].as_array().unwrap();
        assert_eq!(
            checked.len(),
            claimed.len(),
            "{id}: an indicator claim skipped"
        );
        for (c, i) in checked.iter().zip(claimed) {
            assert_eq!(c["claim"], i["claim"], "{id}");
            let verdict = c["verdict"].as_str().unwrap();
            assert!(INDICATOR.contains(&verdict), "{id}: {verdict}");
        }
        maturity_claims += claimed_len(&shown, "maturity");
        indicator_claims += claimed_len(&shown, "indicators");
    }
    assert!(maturity_claims > 0 && indicator_claims > 0);

    // The audit counts the same verdicts.
    let audit = ok_json(&["audit", "-o", "json"]);
    let v = &audit["verdicts"];
    let sum = |keys: &[&str]| -> u64 { keys.iter().map(|k| v[*k].as_u64().unwrap()).sum() };
    assert_eq!(
        sum(&[
            "maturity_agrees",
            "maturity_model_lower",
            "maturity_model_higher",
            "maturity_no_data"
        ]),
        maturity_claims as u64
    );
    assert_eq!(
        sum(&[
            "indicators_supported",
            "indicators_contradicted",
            "indicators_no_data"
        ]),
        indicator_claims as u64
    );
}

fn claimed_len(shown: &Value, key: &str) -> usize {
    shown[key].as_array().unwrap().len()
}

#[test]
fn an_unknown_case_is_a_usage_error() {
    let mut needles = vec!["nope"];
    needles.extend(SEED_CASES);
    usage_error(&["cases", "show", "nope"], &needles);
}

// ---- audit -----------------------------------------------------------------------------------

/// Checks every scenario audit of an `audit -o json` document: a summary naming the scenario,
/// `compared` and `kendall_tau` recomputed from the claimed and computed ranks of its lines.
/// Returns the scenario audits by id.
fn check_scenario_audits(doc: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for s in doc["scenarios"].as_array().expect("scenarios") {
        let id = s["scenario"].as_str().unwrap().to_string();
        let summary = s["summary"].as_str().expect("a summary string");
        assert!(summary.starts_with(&format!("{id}:")), "{summary}");
        let both: Vec<(f64, f64)> = s["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["claimed_rank"].is_number() && l["computed_rank"].is_number())
            .map(|l| (num(&l["claimed_rank"]), num(&l["computed_rank"])))
            .collect();
        assert_eq!(s["compared"].as_u64(), Some(both.len() as u64), "{id}");
        let x: Vec<f64> = both.iter().map(|p| p.0).collect();
        let y: Vec<f64> = both.iter().map(|p| p.1).collect();
        match tau_b(&x, &y) {
            Some(t) => {
                let given = num(&s["kendall_tau"]);
                assert!(
                    (given - t).abs() <= 1e-12,
                    "{id}: tau {given}, computed {t}"
                );
            }
            None => assert!(s["kendall_tau"].is_null(), "{id}: {}", s["kendall_tau"]),
        }
        out.insert(id, s.clone());
    }
    out
}

#[test]
fn audit_json_covers_the_seed_scenarios_with_checked_tau() {
    let doc = ok_json(&["audit", "-o", "json"]);
    let scenarios = check_scenario_audits(&doc);
    let ids: BTreeSet<&str> = scenarios.keys().map(String::as_str).collect();
    assert_eq!(ids, SEED_SCENARIOS.into_iter().collect());
    assert!(doc["summary"].as_str().is_some_and(|s| !s.is_empty()));

    let edge = &scenarios["edge"];
    assert_eq!(edge["top1_agrees"], true);
    // Every line of the edge ranking names a chain, so all six are compared.
    assert_eq!(edge["compared"], 6);
    assert!(edge["kendall_tau"].is_number());
    // The claimed first is computed first.
    let first = edge["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["claimed_rank"] == 1)
        .unwrap();
    assert_eq!(first["computed_rank"], 1);

    // The hybrid publishes no ranking: nothing to compare.
    let hybrid = &scenarios["hybrid"];
    assert_eq!(hybrid["compared"], 0);
    assert!(hybrid["kendall_tau"].is_null());
    assert!(hybrid["top1_agrees"].is_null());
}

#[test]
fn audit_markdown_is_a_document_with_a_table() {
    let md = ok_stdout(&["audit", "-o", "md"]);
    assert!(md.starts_with("# "), "{md}");
    let lines: Vec<&str> = md.lines().collect();
    let is_separator = |l: &str| {
        l.starts_with('|')
            && l.ends_with('|')
            && l.contains("---")
            && l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
    };
    let tables: Vec<usize> = (1..lines.len())
        .filter(|&i| is_separator(lines[i]))
        .collect();
    assert!(!tables.is_empty(), "no Markdown table in:\n{md}");
    for i in tables {
        // A header row above the separator, with as many columns.
        let header = lines[i - 1];
        assert!(header.starts_with('|') && header.ends_with('|'), "{header}");
        assert_eq!(
            header.matches('|').count(),
            lines[i].matches('|').count(),
            "{header}\n{}",
            lines[i]
        );
    }
}

#[test]
fn an_overlay_scenario_and_case_are_audited_without_code_change() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "scenarios/factory.toml",
        r#"id = "factory"

[name]
en = "Factory floor"
zh = "工厂车间"

[vector]
edge = 0.7
prod = 0.3

[claims]
source = "an overlay written by the test"

[[claims.ranking]]
label = "K3s"
tech = "k3s"
score = 9.0
rank = 1

[[claims.ranking]]
label = "K8s"
tech = "k8s"
score = 8.0
rank = 2

[[claims.stack]]
label = "K3s"
tech = "k3s"
"#,
    );
    write(
        "cases/factory-line.toml",
        r#"id = "factory-line"
scenario = "factory"
source = "an overlay written by the test"

[name]
en = "Factory line"
zh = "工厂产线"

[scale]
en = "12 lines"
zh = "12 条产线"

[[stack]]
label = "K3s"
tech = "k3s"

[[indicators]]
claim = "内存占用：<50 MB/node"
comparator = "<"
value = 50.0
unit = "MB/node"
metric = "memory_mb"
[indicators.name]
en = "Memory use"
zh = "内存占用"

[[maturity]]
concept = "R"
value = 1.0
[maturity.note]
en = "Runs offline"
zh = "离线运行"
"#,
    );
    let path = dir.path().to_str().unwrap();
    let builtin = ok_json(&["audit", "-o", "json"]);
    let doc = ok_json(&["--model", path, "audit", "-o", "json"]);

    let scenarios = check_scenario_audits(&doc);
    assert_eq!(
        scenarios.len(),
        builtin["scenarios"].as_array().unwrap().len() + 1
    );
    let factory = scenarios.get("factory").expect("the overlay scenario");
    let labels: Vec<&str> = factory["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["K3s", "K8s"]);
    assert_eq!(factory["compared"], 2);
    assert_eq!(strings(&factory["stack"]["claimed_members"]), ["k3s"]);
    assert!(!strings(&factory["stack"]["recommended_members"]).is_empty());

    let cases = doc["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), builtin["cases"].as_array().unwrap().len() + 1);
    let case = cases
        .iter()
        .find(|c| c["case"] == "factory-line")
        .expect("the overlay case");
    assert_eq!(case["scenario"], "factory");
    assert_eq!(strings(&case["members"]), ["k3s"]);
    assert_eq!(case["maturity"].as_array().map(Vec::len), Some(1));
    assert_eq!(case["indicators"].as_array().map(Vec::len), Some(1));
    // The memory claim rests on k3s's stated footprint, and its verdict follows from it.
    let memory = &case["indicators"][0];
    let rests_on: Vec<&Value> = memory["rests_on"].as_array().unwrap().iter().collect();
    assert_eq!(rests_on.len(), 1, "{memory}");
    assert_eq!(rests_on[0]["tech"], "k3s");
    let figure = num(&memory["figure"]);
    assert_eq!(num(&rests_on[0]["value"]), figure);
    let expected = if figure < 50.0 {
        "supported"
    } else {
        "contradicted"
    };
    assert_eq!(memory["verdict"], expected, "{memory}");

    // Without the overlay, neither exists.
    assert_eq!(
        run(&["cases", "show", "factory-line"]).status.code(),
        Some(2)
    );
}
