//! `stackmatrix risk`, `stackmatrix cost` and `recommend --min-cost --min-score X`: the binary
//! against the numpy fixtures, every format and language, and the errors (exit code 2, the flag
//! named).

use crate::common;

use common::*;
use serde_json::Value;

fn fixture(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// The numpy case of these members, scenario and Θ.
fn risk_case<'a>(
    doc: &'a Value,
    members: &[&str],
    scenario: Option<&str>,
    theta_ones: bool,
) -> &'a Value {
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap())
                .collect::<Vec<_>>()
                == members
                && c["scenario"].as_str() == scenario
                && c["theta"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|t| t.as_f64() == Some(1.0))
                    == theta_ones
        })
        .unwrap_or_else(|| panic!("no fixture case for {members:?} in {scenario:?}"))
}

#[test]
fn risk_of_a_chain_and_a_stack_equals_numpy() {
    let risks = fixture(include_str!("../../engine/tests/fixtures/risk/risk.json"));
    let doc = ok_json(&["risk", "--tech", "k3s", "-o", "json"]);
    let want = risk_case(&risks, &["k3s"], None, true);
    let whole = &doc["subject"]["whole"];
    for key in [
        "static_drop",
        "dynamic_jitter",
        "ai_uncertainty",
        "linear",
        "risk",
    ] {
        assert!((num(&whole[key]) - num(&want[key])).abs() < 1e-9, "{key}");
    }
    assert!(doc["subject"]["scenario_aware"].is_null());
    assert!(doc["scenario"].is_null());
    let doc = ok_json(&[
        "risk",
        "--stack",
        "k8s,istio",
        "--scenario",
        "hybrid",
        "-o",
        "json",
    ]);
    let want = risk_case(&risks, &["k8s", "istio"], Some("hybrid"), true);
    let aware = &doc["subject"]["scenario_aware"];
    assert!((num(&aware["risk"]) - num(&want["risk"])).abs() < 1e-9);
    assert!((num(&aware["dynamic_jitter"]) - num(&want["dynamic_jitter"])).abs() < 1e-9);
    assert!(num(&doc["subject"]["score"]) > 0.0);
}

#[test]
fn theta_lowers_confidence_and_raises_risk() {
    let base = ok_json(&["risk", "--tech", "k8s", "-o", "json"]);
    let low = ok_json(&["risk", "--tech", "k8s", "--theta", "0.8", "-o", "json"]);
    assert_eq!(low["theta_given"], true);
    assert!((num(&low["subject"]["whole"]["ai_uncertainty"]) - 0.2).abs() < 1e-12);
    assert!(num(&low["subject"]["whole"]["risk"]) > num(&base["subject"]["whole"]["risk"]));
    let keyed = ok_json(&["risk", "--tech", "k8s", "--theta", "T=0.5", "-o", "json"]);
    assert_eq!(keyed["subject"]["whole"]["theta_min_at"]["concept"], "T");
    let twelve = ok_json(&[
        "risk",
        "--tech",
        "k8s",
        "--theta",
        "1,1,1,1,1,1,1,1,1,1,0.5,1",
        "-o",
        "json",
    ]);
    assert_eq!(twelve["subject"]["whole"], keyed["subject"]["whole"]);
}

#[test]
fn every_chain_is_ranked_by_scenario_aware_risk() {
    let doc = ok_json(&["risk", "--scenario", "hybrid", "-o", "json"]);
    let ranking = doc["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 6);
    for w in ranking.windows(2) {
        assert!(num(&w[0]["risk"]) <= num(&w[1]["risk"]) + 1e-9);
    }
    assert!(ranking.iter().all(|r| r["score"].is_number()));
    let text = ok_stdout(&["risk", "--scenario", "hybrid"]);
    assert!(text.contains("Chains by risk, lowest first"), "{text}");
    let zh = ok_stdout(&["risk", "--scenario", "hybrid", "--lang", "zh"]);
    assert!(zh.contains("技术链按风险排序"), "{zh}");
    let csv = ok_stdout(&["risk", "--scenario", "edge", "-o", "csv"]);
    assert!(csv.lines().count() == 7, "{csv}");
    let md = ok_stdout(&["risk", "--tech", "k3s", "-o", "md"]);
    assert!(md.starts_with('|'), "{md}");
}

#[test]
fn cost_of_a_chain_and_a_stack_equals_numpy() {
    let costs = fixture(include_str!("../../engine/tests/fixtures/cost/cost.json"));
    let find = |members: &[&str], scenario: &str| {
        costs["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| {
                c["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m.as_str().unwrap())
                    .collect::<Vec<_>>()
                    == members
                    && c["scenario"] == scenario
                    && c["mode"] == "static"
                    && c["omega"].as_array().unwrap()[0].as_f64() == Some(0.4)
            })
            .unwrap()
            .clone()
    };
    let doc = ok_json(&["cost", "--tech", "k3s", "-o", "json"]);
    let want = find(&["k3s"], "none");
    for w in doc["weightings"].as_array().unwrap() {
        let key = w["weighting"].as_str().unwrap();
        assert!(
            (num(&w["cost_mb"]) - num(&want["costs"][key])).abs() < 1e-9,
            "{key}"
        );
    }
    assert!((num(&doc["attribute"]["score"]) - num(&want["attribute_score"])).abs() < 1e-9);
    assert!((num(&doc["cost_mb"]) - num(&want["costs"]["technology"])).abs() < 1e-9);
    assert_eq!(doc["footprint"]["complete"], true);
    let doc = ok_json(&[
        "cost",
        "--stack",
        "k8s,istio",
        "--scenario",
        "prod",
        "-o",
        "json",
    ]);
    let want = find(&["k8s", "istio"], "prod");
    assert!((num(&doc["cost_mb"]) - num(&want["costs"]["technology"])).abs() < 1e-9);
    assert_eq!(doc["attribute"]["mesh_compatibility"], true);
    let text = ok_stdout(&["cost", "--tech", "wasmedge"]);
    assert!(
        text.contains("Measured footprint: 0 MB/node (memory unknown for wasmedge)"),
        "{text}"
    );
    let zh = ok_stdout(&["cost", "--tech", "k3s", "--lang", "zh"]);
    assert!(zh.contains("属性得分"), "{zh}");
    let csv = ok_stdout(&["cost", "--tech", "k3s", "-o", "csv"]);
    assert!(csv.starts_with("figure,value,unit"), "{csv}");
}

#[test]
fn min_cost_finds_the_cheapest_stack_that_reaches_the_score() {
    let doc = ok_json(&[
        "recommend",
        "--scenario",
        "edge",
        "--min-cost",
        "--min-score",
        "8.8",
        "-o",
        "json",
    ]);
    let m = &doc["min_cost"];
    assert_eq!(m["reached"], true);
    let stack = &doc["stack"];
    assert!(num(&stack["score"]) >= 8.8 - 1e-9);
    assert_eq!(num(&m["cost_mb"]), num(&stack["memory_mb"]));
    // No cheaper stack of the ordinary search's list reaches 8.8.
    let all = ok_json(&[
        "recommend",
        "--scenario",
        "edge",
        "--alternatives",
        "50",
        "-o",
        "json",
    ]);
    let stacks: Vec<&Value> = std::iter::once(&all["stack"])
        .chain(all["alternatives"].as_array().unwrap())
        .collect();
    for s in stacks {
        if num(&s["score"]) >= 8.8 - 1e-9 && s["memory_unknown"].as_array().unwrap().is_empty() {
            assert!(
                num(&s["memory_mb"]) >= num(&stack["memory_mb"]) - 1e-9,
                "{s}"
            );
        }
    }
    let none = ok_stdout(&[
        "recommend",
        "--scenario",
        "edge",
        "--min-cost",
        "--min-score",
        "10",
    ]);
    assert!(none.contains("No stack reaches 10."), "{none}");
    assert!(none.contains("Best reachable score:"), "{none}");
    let gpu = ok_json(&[
        "recommend",
        "--scenario",
        "ai-inference",
        "--min-cost",
        "--min-score",
        "5",
        "--allow-unknown-memory",
        "-o",
        "json",
    ]);
    assert_eq!(gpu["min_cost"]["unknown_memory_used"], true);
    assert!(!gpu["stack"]["memory_unknown"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn bad_input_exits_2_naming_the_flag() {
    usage_error(
        &["risk", "--tech", "keda"],
        &["--tech:", "cannot be assessed alone", "k8s,keda"],
    );
    usage_error(
        &["risk", "--tech", "k8s", "--theta", "1.5"],
        &["--theta:", "not in [0, 1]"],
    );
    usage_error(
        &["risk", "--tech", "k8s", "--theta", "0.5,0.5"],
        &["--theta:", "expected 12 numbers"],
    );
    usage_error(
        &["risk", "--tech", "k8s", "--theta", "X=0.5"],
        &["--theta:", "unknown concept 'X'"],
    );
    usage_error(
        &["risk", "--tech", "nope"],
        &["--tech:", "unknown technology 'nope'"],
    );
    usage_error(
        &["risk", "--stack", "istio,keda"],
        &["--stack:", "no member covers"],
    );
    // An unknown technology follows the flag that named it, for both verbs.
    usage_error(
        &["risk", "--stack", "k3s,nope"],
        &["--stack:", "unknown technology 'nope'"],
    );
    usage_error(
        &["cost", "--tech", "nope"],
        &["--tech:", "unknown technology 'nope'"],
    );
    usage_error(
        &["cost", "--stack", "nope,k3s"],
        &["--stack:", "unknown technology 'nope'"],
    );
    usage_error(
        &["risk", "--tech", "k8s", "--stack", "k8s"],
        &["cannot be used with"],
    );
    usage_error(
        &["cost", "--tech", "istio"],
        &["--tech:", "cannot be assessed alone"],
    );
    usage_error(
        &["cost", "--tech", "k8s", "--attribute-weights", "1,2"],
        &["--attribute-weights:", "expected 4 numbers"],
    );
    usage_error(
        &["cost", "--tech", "k8s", "--attribute-weights", "0,0,0,0"],
        &["--attribute-weights:", "every weight is 0"],
    );
    // Issue 13, defect 8: the sum of these overflowed and the score printed NaN with exit 0.
    usage_error(
        &[
            "cost",
            "--tech",
            "k3s",
            "--attribute-weights",
            "1e308,1e308,1e308,1e308",
        ],
        &["--attribute-weights:", "1e308 is too large", "at most 1e12"],
    );
    usage_error(&["cost", "--scenario", "edge"], &["--tech"]);
    usage_error(
        &["recommend", "--scenario", "edge", "--min-cost"],
        &["--min-score:", "min_cost needs min_score"],
    );
    usage_error(
        &[
            "recommend",
            "--scenario",
            "edge",
            "--min-cost",
            "--min-score",
            "11",
        ],
        &["--min-score:", "0 to 10"],
    );
    usage_error(
        &[
            "recommend",
            "--scenario",
            "edge",
            "--min-cost",
            "--min-score",
            "-1",
        ],
        &["--min-score:", "0 to 10"],
    );
    usage_error(
        &["recommend", "--scenario", "edge", "--min-score", "5"],
        &["--min-score:", "only with min_cost"],
    );
    usage_error(
        &[
            "recommend",
            "--scenario",
            "hybrid",
            "--min-cost",
            "--min-score",
            "5",
        ],
        &["--min-cost:", "one environment"],
    );
}
