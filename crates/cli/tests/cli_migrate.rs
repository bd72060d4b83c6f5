//! `stackmatrix migrate`: the reference's own example and the errors.

mod common;

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
