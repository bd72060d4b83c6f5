//! `stackmatrix ops list|apply`: the operations and chains of them applied to a vector, in every
//! format and language, and its errors.

use crate::common;

use common::{num, ok_json, ok_stdout, usage_error};

#[test]
fn the_list_has_ids_groups_both_names_and_impacts() {
    let doc = ok_json(&["ops", "list", "-o", "json"]);
    assert_eq!(doc["kind"], "list");
    let ops = doc["operations"].as_array().unwrap();
    assert_eq!(ops.len(), 12);
    assert_eq!(ops[0]["id"], "build-image");
    assert_eq!(ops[0]["group"], "build");
    assert_eq!(ops[0]["names"]["zh"], "构建镜像");
    assert_eq!(num(&ops[0]["impact"]["I"]), 1.0);
    let text = ok_stdout(&["ops", "list"]);
    assert!(text.contains("Build image"), "{text}");
    assert!(text.contains("金丝雀发布"), "{text}");
    let csv = ok_stdout(&["ops", "list", "-o", "csv"]);
    assert!(csv.starts_with("id,group,name_en,name_zh,I,C,Q,R,M,V,L,S,B,P,T,Theta\nbuild-image,build,Build image,构建镜像,1,0.1,"), "{csv}");
}

#[test]
fn a_chain_applies_step_by_step_in_the_order_given() {
    let doc = ok_json(&[
        "ops",
        "apply",
        "build-image,deploy-container",
        "--tech",
        "k3s",
        "--scenario",
        "edge",
        "-o",
        "json",
    ]);
    assert_eq!(doc["kind"], "apply");
    assert_eq!(doc["input"]["source"], "fit");
    assert_eq!(
        doc["chain"],
        serde_json::json!(["build-image", "deploy-container"])
    );
    // K3s at the edge fits I 1.0: after build-image 1.0, after deploy-container 0.5.
    assert_eq!(num(&doc["steps"][0]["vector"]["I"]), 1.0);
    assert_eq!(num(&doc["steps"][1]["vector"]["I"]), 0.5);
    assert_eq!(num(&doc["result"]["I"]), 0.5);
    assert_eq!(num(&doc["combined"]["C"]), 0.1);
    let r = num(&doc["readiness"]);
    assert!((0.0..=1.0).contains(&r));
    // The reverse order gives the same result (diagonal matrices commute) but other steps.
    let rev = ok_json(&[
        "ops",
        "apply",
        "deploy-container,build-image",
        "--tech",
        "k3s",
        "--scenario",
        "edge",
        "-o",
        "json",
    ]);
    assert_eq!(rev["result"], doc["result"]);
    assert_ne!(rev["steps"][0], doc["steps"][0]);
    let text = ok_stdout(&[
        "ops",
        "apply",
        "build-image,deploy-container",
        "--tech",
        "k3s",
        "--scenario",
        "edge",
    ]);
    assert!(text.contains("1. build-image"), "{text}");
    assert!(text.contains("Readiness:"), "{text}");
}

#[test]
fn vectors_are_positional_keyed_or_ones() {
    let keyed = ok_json(&["ops", "apply", "canary", "--to", "I=0.5,Θ=0", "-o", "json"]);
    assert_eq!(keyed["input"]["source"], "vector");
    assert_eq!(num(&keyed["result"]["I"]), 0.35);
    assert_eq!(num(&keyed["result"]["Theta"]), 0.0);
    assert_eq!(num(&keyed["input"]["vector"]["C"]), 1.0);
    let ones = ok_json(&["ops", "apply", "canary", "-o", "json"]);
    assert_eq!(ones["input"]["source"], "unit");
    assert_eq!(ones["result"], ones["combined"]);
    let zh = ok_stdout(&["ops", "apply", "build-image,canary", "--lang", "zh"]);
    assert!(zh.contains("合成影响"), "{zh}");
    assert!(zh.contains("就绪度"), "{zh}");
    let md = ok_stdout(&["ops", "apply", "build-image,canary", "-o", "md"]);
    assert!(
        md.starts_with(
            "| concept | name | input | after_1_build-image | after_2_canary | combined | result |"
        ),
        "{md}"
    );
}

#[test]
fn bad_input_exits_2_naming_the_position_or_key() {
    usage_error(
        &["ops", "apply", "build-image,deploy"],
        &["unknown operation 'deploy'", "build-image", "canary"],
    );
    usage_error(
        &[
            "ops",
            "apply",
            "canary",
            "--to",
            "0,0,1.5,0,0,0,0,0,0,0,0,0",
        ],
        &["--to", "item 3, Q", "outside [0, 1]"],
    );
    usage_error(
        &["ops", "apply", "canary", "--to", "0,0,1,0,0,0,0,0,0,0,0"],
        &["--to", "expected 12 numbers", "got 11 values"],
    );
    usage_error(
        &["ops", "apply", "canary", "--to", "I=0.5,Z=1"],
        &["--to", "unknown concept 'Z'"],
    );
    usage_error(
        &["ops", "apply", "canary", "--to", "I=x"],
        &["--to", "'x' (value of I) is not a number"],
    );
    usage_error(
        &["ops", "apply", "canary", "--tech", "k3s"],
        &["--scenario"],
    );
    usage_error(
        &[
            "ops",
            "apply",
            "canary",
            "--tech",
            "nope",
            "--scenario",
            "edge",
        ],
        &["--tech", "unknown technology 'nope'"],
    );
    usage_error(
        &["ops", "apply", "canary", "--to", "1", "--tech", "k3s"],
        &["--to"],
    );
}
