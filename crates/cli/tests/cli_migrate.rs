//! `stackmatrix migrate`: the reference's own example and the errors.

use crate::common;

use common::*;
use serde_json::Value;

fn ids(path: &Value) -> Vec<String> {
    path["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn docker_to_multitenant_goes_through_k8s_for_0_6_and_lists_the_direct_0_8() {
    let doc = ok_json(&[
        "migrate",
        "--from",
        "docker",
        "--to",
        "multitenant",
        "-o",
        "json",
    ]);
    assert_eq!(doc["kind"], "chain");
    assert!((num(&doc["direct"]) - 0.8).abs() < 1e-12);
    let path = &doc["path"];
    assert_eq!(ids(path), vec!["docker", "k8s", "multitenant"]);
    assert!((num(&path["total"]) - 0.6).abs() < 1e-12);
    let steps: Vec<f64> = path["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| num(&s["difficulty"]))
        .collect();
    assert_eq!(steps, vec![0.3, 0.3]);
    let alternatives = doc["alternatives"].as_array().unwrap();
    assert_eq!(alternatives.len(), 3);
    assert!(
        alternatives
            .iter()
            .any(|p| ids(p) == vec!["docker", "multitenant"]
                && (num(&p["total"]) - 0.8).abs() < 1e-12)
    );
    let totals: Vec<f64> = alternatives.iter().map(|p| num(&p["total"])).collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1] + 1e-12));
    assert!(totals[0] >= 0.6 - 1e-12);
}

#[test]
fn the_text_names_the_cheapest_path_and_its_total() {
    let out = ok_stdout(&["migrate", "--from", "docker", "--to", "multitenant"]);
    assert!(
        out.contains("Cheapest: Docker → Kubernetes (K8s) → MultiTenant  total 0.6"),
        "{out}"
    );
    assert!(out.contains("Directly: 0.8"), "{out}");
}

#[test]
fn scenes_migrate_over_the_scene_table() {
    let doc = ok_json(&[
        "migrate",
        "--from-scene",
        "dev",
        "--to-scene",
        "prod",
        "--alternatives",
        "2",
        "-o",
        "json",
    ]);
    assert_eq!(doc["kind"], "scene");
    // dev → ci → prod costs 0.2 + 0.5 = 0.7, below the direct 0.8.
    assert_eq!(ids(&doc["path"]), vec!["dev", "ci", "prod"]);
    assert!((num(&doc["path"]["total"]) - 0.7).abs() < 1e-12);
    assert_eq!(doc["alternatives"].as_array().unwrap().len(), 2);
}

#[test]
fn bad_requests_exit_2_and_say_what_is_accepted() {
    usage_error(&["migrate"], &["--from", "--from-scene"]);
    usage_error(&["migrate", "--from", "docker"], &["--to"]);
    usage_error(
        &["migrate", "--from", "docker", "--to", "nope"],
        &["nope", "k3s"],
    );
    usage_error(
        &["migrate", "--from-scene", "dev", "--to-scene", "moon"],
        &["moon", "edge"],
    );
}

#[test]
fn the_derived_source_walks_the_derived_table_and_says_so() {
    let doc = ok_json(&[
        "migrate",
        "--from",
        "docker",
        "--to",
        "multitenant",
        "--source",
        "derived",
        "-o",
        "json",
    ]);
    assert_eq!(doc["source"], "derived");
    let compare = ok_json(&["migrate", "--compare", "-o", "json"]);
    assert_eq!(doc["matrix"]["difficulty"], compare["derived"]);
    let nodes: Vec<&str> = doc["matrix"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        nodes,
        ["docker", "k8s", "k3s", "wasmedge", "opa", "multitenant"]
    );
    assert_eq!(num(&doc["direct"]), num(&compare["derived"][0][5]));
    assert!(num(&doc["path"]["total"]) <= num(&doc["direct"]) + 1e-12);
    // The default is the published table, and the JSON says so.
    let published = ok_json(&["migrate", "--from", "docker", "--to", "k8s", "-o", "json"]);
    assert_eq!(published["source"], "published");
    assert_eq!(published["matrix"]["difficulty"], compare["published"]);
    let text = ok_stdout(&[
        "migrate", "--from", "docker", "--to", "k8s", "--source", "derived",
    ]);
    assert!(
        text.starts_with("Migration over the derived chain transitions"),
        "{text}"
    );
}

#[test]
fn compare_sets_both_tables_side_by_side_with_the_correlations() {
    let doc = ok_json(&["migrate", "--compare", "-o", "json"]);
    assert_eq!(doc["slice"], "static");
    assert_eq!(doc["pairs"], 30);
    let published = doc["published"].as_array().unwrap();
    let derived = doc["derived"].as_array().unwrap();
    assert_eq!((published.len(), derived.len()), (6, 6));
    assert!((num(&published[0][5]) - 0.8).abs() < 1e-12);
    for (i, row) in derived.iter().enumerate() {
        for (j, v) in row.as_array().unwrap().iter().enumerate() {
            let v = num(v);
            assert!((0.0..=1.0).contains(&v));
            assert_eq!(v == 0.0, i == j, "[{i}][{j}] = {v}");
        }
    }
    let tau = num(&doc["kendall_tau_b"]);
    let rho = num(&doc["spearman"]);
    assert!((-1.0..=1.0).contains(&tau) && (-1.0..=1.0).contains(&rho));
    let text = ok_stdout(&["migrate", "--matrix"]);
    assert!(text.contains("Each cell: published / derived"), "{text}");
    assert!(text.contains("Kendall tau-b"), "{text}");
    assert!(text.contains("0.8 / 0.15"), "{text}");
    let zh = ok_stdout(&["migrate", "--compare", "--lang", "zh"]);
    assert!(zh.contains("发布值 / 推导值"), "{zh}");
    let csv = ok_stdout(&["migrate", "--compare", "-o", "csv"]);
    assert!(csv.starts_with("from,to,published,derived\n"), "{csv}");
    assert_eq!(csv.lines().count(), 37);
    let md = ok_stdout(&["migrate", "--compare", "-o", "md"]);
    assert!(md.contains("| docker | multitenant | 0.8 |"), "{md}");
}

#[test]
fn bad_sources_and_mixed_comparisons_exit_2() {
    usage_error(
        &[
            "migrate", "--from", "docker", "--to", "k8s", "--source", "guessed",
        ],
        &["--source", "guessed", "published, derived"],
    );
    usage_error(
        &[
            "migrate",
            "--from-scene",
            "dev",
            "--to-scene",
            "prod",
            "--source",
            "derived",
        ],
        &["--source", "chains only"],
    );
    usage_error(
        &["migrate", "--compare", "--from", "docker", "--to", "k8s"],
        &["--compare", "--from"],
    );
    usage_error(
        &["migrate", "--compare", "--source", "derived"],
        &["--source"],
    );
}
