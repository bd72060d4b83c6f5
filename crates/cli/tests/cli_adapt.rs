//! `stackmatrix adapt`: scene adaptation of a chain or a stack, every format, and the errors.

use crate::common;

use common::*;
use serde_json::Value;

fn concepts(doc: &Value) -> &Vec<Value> {
    doc["concepts"].as_array().expect("concepts is an array")
}

#[test]
fn a_chain_adapts_every_concept_with_the_mean_and_the_weakest() {
    let doc = ok_json(&[
        "adapt",
        "--tech",
        "k3s",
        "--from-scene",
        "edge",
        "--to-scene",
        "prod",
        "-o",
        "json",
    ]);
    assert_eq!(doc["subject"]["kind"], "chain");
    assert_eq!(doc["from_scene"]["key"], "edge");
    assert_eq!(doc["to_scene"]["key"], "prod");
    assert_eq!(doc["service_mesh"], false);
    assert_eq!((num(&doc["alpha"]), num(&doc["beta"])), (0.6, 0.4));
    let cs = concepts(&doc);
    assert_eq!(cs.len(), 12);
    for c in cs {
        let m = c["maturity"].as_array().unwrap();
        let k = c["compatibility"].as_array().unwrap();
        let want = 0.6 * num(&m[0]).min(num(&m[1])) + 0.4 * num(&k[0]).min(num(&k[1]));
        assert!((num(&c["adaptation"]) - want).abs() < 1e-12, "{c}");
    }
    let mean = cs.iter().map(|c| num(&c["adaptation"])).sum::<f64>() / 12.0;
    assert!((num(&doc["overall"]) - mean).abs() < 1e-12);
    let min = cs
        .iter()
        .map(|c| num(&c["adaptation"]))
        .fold(f64::INFINITY, f64::min);
    assert_eq!(num(&doc["weakest"]["adaptation"]), min);
    assert!(doc["targets"].as_array().unwrap().is_empty());
}

#[test]
fn a_stack_with_a_mesh_says_so_and_uses_the_mesh_row() {
    let doc = ok_json(&[
        "adapt",
        "--stack",
        "k8s,istio",
        "--from-scene",
        "dev",
        "--to-scene",
        "edge",
        "-o",
        "json",
    ]);
    assert_eq!(doc["subject"]["id"], "k8s+istio");
    assert_eq!(doc["service_mesh"], true);
    let l = &concepts(&doc)[6];
    assert_eq!(l["key"], "L");
    // The published "L + Service Mesh" row: 0.8 in dev, 0.85 in edge.
    assert_eq!(l["compatibility"], serde_json::json!([0.8, 0.85]));
    let text = ok_stdout(&[
        "adapt",
        "--stack",
        "k8s,istio",
        "--from-scene",
        "dev",
        "--to-scene",
        "edge",
    ]);
    assert!(text.contains("service mesh"), "{text}");
    assert!(
        text.contains("Overall (mean of the 12 concepts): 0.4808"),
        "{text}"
    );
    assert!(text.contains("Weakest: "), "{text}");
}

#[test]
fn without_a_target_every_other_scene_is_ranked() {
    let doc = ok_json(&[
        "adapt",
        "--tech",
        "wasmedge",
        "--from-scene",
        "serverless",
        "-o",
        "json",
    ]);
    let targets = doc["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 5);
    assert!(doc["to_scene"].is_null() && doc["overall"].is_null());
    let overall: Vec<f64> = targets.iter().map(|t| num(&t["overall"])).collect();
    assert!(overall.windows(2).all(|w| w[0] >= w[1] - 1e-9));
    let text = ok_stdout(&["adapt", "--tech", "wasmedge", "--from-scene", "serverless"]);
    assert!(text.contains("best adapted first"), "{text}");
}

#[test]
fn every_format_and_chinese_labels() {
    let args = [
        "adapt",
        "--tech",
        "k8s",
        "--from-scene",
        "dev",
        "--to-scene",
        "prod",
    ];
    let csv = ok_stdout(&[&args[..], &["-o", "csv"]].concat());
    assert!(csv.starts_with("concept,maturity_from,maturity_to,compatibility_from,compatibility_to,adaptation,weight\n"), "{csv}");
    assert_eq!(csv.lines().count(), 13);
    let md = ok_stdout(&[&args[..], &["-o", "md"]].concat());
    assert!(md.starts_with("| concept |"), "{md}");
    let zh = ok_stdout(&[&args[..], &["--lang", "zh"]].concat());
    assert!(zh.contains("适配度") && zh.contains("最弱概念"), "{zh}");
    let ranked = ok_stdout(&["adapt", "--tech", "k8s", "--from-scene", "dev", "-o", "csv"]);
    assert!(
        ranked.starts_with("rank,scene,overall,weakest,weakest_adaptation\n"),
        "{ranked}"
    );
    let weighted = ok_json(&[&args[..], &["--scenario", "edge", "-o", "json"]].concat());
    assert_eq!(weighted["scenario"], "edge");
}

#[test]
fn bad_requests_exit_2_and_say_what_is_accepted() {
    let scenes = "dev, ci, prod, edge, serverless, multitenant";
    usage_error(
        &[
            "adapt",
            "--tech",
            "k8s",
            "--from-scene",
            "moon",
            "--to-scene",
            "prod",
        ],
        &["--from-scene", "'moon'", scenes],
    );
    usage_error(
        &[
            "adapt",
            "--tech",
            "k8s",
            "--from-scene",
            "dev",
            "--to-scene",
            "mars",
        ],
        &["--to-scene", "'mars'", scenes],
    );
    usage_error(
        &[
            "adapt",
            "--tech",
            "k8s",
            "--from-scene",
            "dev",
            "--to-scene",
            "dev",
        ],
        &["--to-scene", "another scene"],
    );
    usage_error(
        &["adapt", "--tech", "nope", "--from-scene", "dev"],
        &["unknown technology 'nope'", "k3s"],
    );
    usage_error(
        &["adapt", "--tech", "istio", "--from-scene", "dev"],
        &[
            "--tech",
            "addon",
            "cannot be adapted alone",
            "stack k8s,istio",
        ],
    );
    usage_error(
        &["adapt", "--stack", "istio,keda", "--from-scene", "dev"],
        &["--stack", "needs a chain"],
    );
    usage_error(
        &["adapt", "--stack", "k8s,nope", "--from-scene", "dev"],
        &["--stack", "unknown technology 'nope'"],
    );
    usage_error(&["adapt", "--from-scene", "dev"], &["--tech", "--stack"]);
    usage_error(&["adapt", "--tech", "k8s"], &["--from-scene"]);
    usage_error(
        &[
            "adapt",
            "--tech",
            "k8s",
            "--stack",
            "k8s",
            "--from-scene",
            "dev",
        ],
        &["--stack"],
    );
    usage_error(
        &[
            "adapt",
            "--tech",
            "k8s",
            "--from-scene",
            "dev",
            "--scenario",
            "nope",
        ],
        &["--scenario", "nope"],
    );
}
