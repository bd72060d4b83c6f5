//! `stackmatrix deps`: the dependency relation (row depends on column), one concept, and a
//! stack's coverage of a scenario, in every format and language, and its errors.

use crate::common;

use common::{num, ok_json, ok_stdout, usage_error};

#[test]
fn the_analysis_states_the_direction_and_finds_one_cyclic_group() {
    let doc = ok_json(&["deps", "-o", "json"]);
    assert_eq!(doc["kind"], "relation");
    assert_eq!(doc["direction"], "row depends on column");
    // Row C, column I: the container depends on the image.
    assert_eq!(doc["relation"][1][0], 1);
    assert_eq!(doc["links"], 48);
    assert_eq!(doc["closure_links"], 144);
    assert_eq!(doc["mutual"].as_array().unwrap().len(), 17);
    let groups = doc["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["cyclic"], true);
    assert_eq!(doc["critical"]["depth"], 4);
    for chain in doc["critical"]["chains"].as_array().unwrap() {
        assert_eq!(chain.as_array().unwrap().len(), 5);
    }
    let text = ok_stdout(&["deps"]);
    assert!(
        text.contains("Read as: row depends on column (C depends on I)."),
        "{text}"
    );
    assert!(text.contains("Critical chains (4 links):"), "{text}");
    assert!(text.contains("M → C → I → V → B"), "{text}");
}

#[test]
fn csv_and_markdown_have_one_row_per_concept() {
    let csv = ok_stdout(&["deps", "-o", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 13);
    assert_eq!(
        lines[0],
        "concept,name,depends_on,depends_on_transitively,required_by,depth,critical_chain"
    );
    assert!(
        lines[2].starts_with("C,Container,I Q R P,11,"),
        "{}",
        lines[2]
    );
    let md = ok_stdout(&["deps", "-o", "md"]);
    assert!(md.starts_with("| concept | name |"), "{md}");
}

#[test]
fn one_concept_in_both_directions_and_in_chinese() {
    let doc = ok_json(&["deps", "--concept", "C", "-o", "json"]);
    assert_eq!(doc["kind"], "concept");
    let direct: Vec<&str> = doc["depends_on"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["distance"] == 1)
        .map(|l| l["concept"].as_str().unwrap())
        .collect();
    assert_eq!(direct, ["I", "Q", "R", "P"]);
    for l in doc["required_by"].as_array().unwrap() {
        assert_eq!(l["chain"].as_array().unwrap().last().unwrap(), "C");
    }
    let zh = ok_stdout(&["deps", "--concept", "Θ", "--lang", "zh"]);
    assert!(zh.contains("AI 可学习参数"), "{zh}");
    assert!(zh.contains("被依赖"), "{zh}");
}

#[test]
fn coverage_lists_each_uncovered_dependency_with_its_chain() {
    let doc = ok_json(&[
        "deps",
        "--scenario",
        "edge",
        "--tech",
        "docker",
        "-o",
        "json",
    ]);
    assert_eq!(doc["kind"], "coverage");
    assert_eq!(doc["covered"], false);
    let uncovered = doc["uncovered"].as_array().unwrap();
    let keys: Vec<&str> = uncovered
        .iter()
        .map(|u| u["concept"].as_str().unwrap())
        .collect();
    // Docker at the edge: S 0.3, B 0.4, P 0.3, T 0.2, Θ 0.2 are under 0.5.
    assert_eq!(keys, ["S", "B", "P", "T", "Theta"]);
    for u in uncovered {
        assert!(num(&u["fit"]) < 0.5);
        for n in u["needed_by"].as_array().unwrap() {
            let chain = n["chain"].as_array().unwrap();
            assert_eq!(chain[0], n["concept"]);
            assert_eq!(chain.last().unwrap(), &u["concept"]);
        }
    }
    // A stack that covers: K3s + WasmEdge; and the threshold is a flag.
    let ok = ok_json(&[
        "deps",
        "--scenario",
        "edge",
        "--stack",
        "k3s,wasmedge",
        "-o",
        "json",
    ]);
    assert_eq!(ok["covered"], true);
    assert_eq!(ok["stack"]["id"], "k3s+wasmedge");
    let strict = ok_json(&[
        "deps",
        "--scenario",
        "edge",
        "--stack",
        "k3s,wasmedge",
        "--min-fit",
        "0.95",
        "-o",
        "json",
    ]);
    assert_eq!(strict["covered"], false);
    // Weights of 0 leave concepts out of the check.
    let theta_only = ok_json(&[
        "deps",
        "--vector",
        "edge=1",
        "--weights",
        "0,0,0,0,0,0,0,0,0,0,0,1",
        "--tech",
        "docker",
        "-o",
        "json",
    ]);
    assert_eq!(theta_only["weighed"], serde_json::json!(["Theta"]));
    let text = ok_stdout(&[
        "deps",
        "--scenario",
        "edge",
        "--tech",
        "docker",
        "--lang",
        "zh",
    ]);
    assert!(text.contains("依赖覆盖"), "{text}");
    let csv = ok_stdout(&[
        "deps",
        "--scenario",
        "edge",
        "--tech",
        "docker",
        "-o",
        "csv",
    ]);
    assert!(
        csv.starts_with("uncovered,name,fit,needed_by,chain\nS,Scale,0.3,I,I C Q S\n"),
        "{csv}"
    );
}

#[test]
fn bad_input_exits_2_naming_the_flag() {
    usage_error(
        &["deps", "--concept", "Z"],
        &["--concept", "unknown concept 'Z'", "Theta"],
    );
    usage_error(&["deps", "--tech", "k3s"], &["--scenario"]);
    usage_error(
        &["deps", "--scenario", "edge"],
        &["--tech", "no tech and no stack"],
    );
    usage_error(
        &["deps", "--scenario", "edge", "--stack", "k3s,nope"],
        &["--stack", "unknown technology 'nope'", "wasmedge"],
    );
    usage_error(
        &["deps", "--scenario", "edge", "--tech", "istio"],
        &["--tech", "a stack needs a chain"],
    );
    usage_error(
        &[
            "deps",
            "--scenario",
            "edge",
            "--tech",
            "k3s",
            "--min-fit",
            "1.5",
        ],
        &["--min-fit", "outside [0, 1]"],
    );
    usage_error(
        &["deps", "--scenario", "nope", "--tech", "k3s"],
        &["--scenario", "nope"],
    );
    usage_error(
        &["deps", "--vector", "1,2", "--tech", "k3s"],
        &["--vector", "expected 6 numbers"],
    );
    usage_error(&["deps", "--weights", "R=2"], &["--weights"]);
    usage_error(
        &["deps", "--concept", "C", "--scenario", "edge"],
        &["--concept"],
    );
}

/// An overlay whose dependency table is acyclic but for a self-loop and one mutual pair: the
/// groups come in topological order with levels, and the longest chain of groups is shown.
#[test]
fn an_acyclic_overlay_has_levels_and_a_longest_chain_of_groups() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("tables")).unwrap();
    let relations = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/tables/relations.toml"
    ))
    .unwrap();
    // C → I, Q → C, R → C, M → Q, M → R; V → V; L ↔ S.
    let mut rows = [[0u8; 12]; 12];
    for (i, j) in [
        (1, 0),
        (2, 1),
        (3, 1),
        (4, 2),
        (4, 3),
        (5, 5),
        (6, 7),
        (7, 6),
    ] {
        rows[i][j] = 1;
    }
    let keys = [
        "I", "C", "Q", "R", "M", "V", "L", "S", "B", "P", "T", "Theta",
    ];
    let table: String = keys
        .iter()
        .zip(rows)
        .map(|(k, r)| {
            let values: Vec<String> = r.iter().map(|x| format!("{x}.0")).collect();
            format!("{k} = [{}]\n", values.join(", "))
        })
        .collect();
    let (head, rest) = relations.split_once("[dependency]\n").unwrap();
    let tail = &rest[rest.find("\n\n").unwrap()..];
    std::fs::write(
        dir.path().join("tables/relations.toml"),
        format!("{head}[dependency]\n{table}{tail}"),
    )
    .unwrap();
    let model = dir.path().to_str().unwrap();
    let doc = ok_json(&["--model", model, "deps", "-o", "json"]);
    let groups = doc["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 11);
    assert_eq!(groups[0]["concepts"], serde_json::json!(["I"]));
    let m = groups
        .iter()
        .position(|g| g["concepts"] == serde_json::json!(["M"]))
        .unwrap();
    assert_eq!(groups[m]["level"], 3);
    let ls = groups
        .iter()
        .find(|g| g["concepts"] == serde_json::json!(["L", "S"]))
        .unwrap();
    assert_eq!(ls["cyclic"], true);
    let v = groups
        .iter()
        .find(|g| g["concepts"] == serde_json::json!(["V"]))
        .unwrap();
    assert_eq!(v["cyclic"], true);
    assert_eq!(doc["group_chain"].as_array().unwrap().len(), 4);
    assert_eq!(
        doc["critical"]["chains"],
        serde_json::json!([["M", "Q", "C", "I"]])
    );
    let text = ok_stdout(&["--model", model, "deps"]);
    assert!(
        text.contains("Longest chain of groups: #5 → #3 → #2 → #1"),
        "{text}"
    );
}
