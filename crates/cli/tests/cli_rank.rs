//! `stackmatrix rank`: the JSON document, ties, every scenario in every format and language,
//! vectors given on the command line, weights, time slices and `--explain`.

use crate::common;

use common::{num, object_keys_in_order, ok_json, ok_stdout, ranking, run, score_of};
use serde_json::Value;

const CONCEPT_KEYS: [&str; 12] = [
    "I", "C", "Q", "R", "M", "V", "L", "S", "B", "P", "T", "Theta",
];

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn edge_json_has_scenario_ranking_and_claims() {
    let text = ok_stdout(&["rank", "--scenario", "edge", "-o", "json"]);
    let doc: Value = serde_json::from_str(&text).expect("valid JSON");

    let s = &doc["scenario"];
    assert_eq!(s["id"], "edge");
    let vector = s["vector"].as_array().expect("vector is an array");
    assert_eq!(vector.len(), 6);
    assert!(vector.iter().all(Value::is_number));
    assert_eq!(
        vector.iter().map(num).collect::<Vec<_>>(),
        [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    );
    let weights = s["weights"].as_array().expect("weights is an array");
    assert_eq!(weights.len(), 12);
    assert!(weights.iter().all(|w| num(w) == 1.0));

    let entries = ranking(&doc);
    assert_eq!(entries.len(), 6, "the six built-in chains are ranked");
    for pair in entries.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            a["rank"].as_u64() <= b["rank"].as_u64(),
            "ranking not ordered by rank: {a} before {b}"
        );
        assert!(
            num(&a["score"]) >= num(&b["score"]),
            "scores not descending"
        );
    }
    assert_eq!(entries[0]["id"], "k3s");
    assert_eq!(entries[0]["rank"], 1);
    assert!(close(num(&entries[0]["score"]), 8.75, 1e-9));

    // Every fit object is keyed I..Theta in concept order; serde_json sorts keys when parsing,
    // so the order is read from the raw text.
    let fits: Vec<&str> = text.split("\"fit\": {").skip(1).collect();
    assert_eq!(fits.len(), entries.len());
    for part in fits {
        let keys = object_keys_in_order(&format!("\"fit\": {{{part}"), "fit");
        assert_eq!(keys, CONCEPT_KEYS);
    }
    for e in entries {
        let fit = e["fit"].as_object().expect("fit is an object");
        assert_eq!(fit.len(), 12);
        // The score is ten times the mean fit with equal weights.
        let mean: f64 = CONCEPT_KEYS.iter().map(|k| num(&fit[*k])).sum::<f64>() / 12.0;
        assert!(close(num(&e["score"]), 10.0 * mean, 1e-9), "{e}");
    }

    let claims = doc["claims"]["ranking"].as_array().expect("claims.ranking");
    assert!(!claims.is_empty());
    for line in claims {
        assert!(line["claimed_score"].is_number(), "{line}");
        assert!(line["computed_score"].is_number(), "{line}");
        let tech = line["tech"]
            .as_str()
            .expect("edge claims name ranked techs");
        assert!(close(
            num(&line["computed_score"]),
            score_of(&doc, tech),
            1e-12
        ));
    }
    let k3s = claims
        .iter()
        .find(|l| l["tech"] == "k3s")
        .expect("k3s claim");
    assert!(close(num(&k3s["claimed_score"]), 9.2, 1e-12));
}

#[test]
fn multitenant_tie_shares_rank_one() {
    let doc = ok_json(&["rank", "--scenario", "multitenant", "-o", "json"]);
    let entries = ranking(&doc);
    let ids: Vec<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(
        &ids[..3],
        ["multitenant", "opa", "k8s"],
        "ties are listed by id"
    );
    for e in &entries[..2] {
        assert_eq!(e["rank"], 1, "{e}");
        assert_eq!(e["tied"], true, "{e}");
    }
    assert_eq!(
        entries[2]["rank"], 3,
        "a shared first place is followed by third"
    );
    assert_eq!(entries[2]["tied"], false);
}

#[test]
fn every_scenario_ranks_in_every_format_and_language() {
    let list = ok_json(&["list", "scenarios", "-o", "json"]);
    let ids: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_string())
        .collect();
    assert!(ids.len() >= 8, "{ids:?}");
    for id in &ids {
        for format in ["table", "json", "csv", "md"] {
            for lang in ["en", "zh"] {
                let args = ["rank", "--scenario", id, "-o", format, "--lang", lang];
                let out = ok_stdout(&args);
                assert!(!out.trim().is_empty(), "{args:?} printed nothing");
                if format == "json" {
                    let doc: Value = serde_json::from_str(&out).expect("valid JSON");
                    assert_eq!(doc["scenario"]["id"], id.as_str());
                    assert!(!ranking(&doc).is_empty());
                }
            }
        }
    }
}

#[test]
fn vector_is_normalised_with_a_note_on_stderr() {
    let edge = ok_json(&["rank", "--scenario", "edge", "-o", "json"]);
    let out = run(&["rank", "--vector", "0,0,0,2,0,0", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("note:"), "stderr: {stderr}");
    assert!(stderr.contains("normalised"), "stderr: {stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("stdout stays valid JSON");
    assert_eq!(doc["scenario"]["normalised"], true);
    assert_eq!(num(&doc["scenario"]["input_sum"]), 2.0);
    assert_eq!(doc["scenario"]["id"], Value::Null);
    assert_eq!(
        doc["scenario"]["vector"]
            .as_array()
            .unwrap()
            .iter()
            .map(num)
            .collect::<Vec<_>>(),
        [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    );
    assert_eq!(ranking(&doc).len(), ranking(&edge).len());
    for e in ranking(&edge) {
        let id = e["id"].as_str().unwrap();
        assert!(close(score_of(&doc, id), num(&e["score"]), 1e-12), "{id}");
    }
}

#[test]
fn keyed_vector_works_without_a_note() {
    let edge = ok_json(&["rank", "--scenario", "edge", "-o", "json"]);
    let out = run(&["rank", "--vector", "edge=1", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "a vector summing to 1 needs no note: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc["scenario"]["normalised"], false);
    for e in ranking(&edge) {
        let id = e["id"].as_str().unwrap();
        assert!(close(score_of(&doc, id), num(&e["score"]), 1e-12), "{id}");
    }
}

#[test]
fn weights_change_the_scores() {
    let equal = ok_json(&["rank", "--scenario", "edge", "-o", "json"]);
    let weighted = ok_json(&[
        "rank",
        "--scenario",
        "edge",
        "--weights",
        "R=2",
        "-o",
        "json",
    ]);
    let w: Vec<f64> = weighted["scenario"]["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(num)
        .collect();
    let mut expected = [1.0; 12];
    expected[3] = 2.0;
    assert_eq!(w, expected);

    let mut changed = 0;
    for e in ranking(&weighted) {
        let id = e["id"].as_str().unwrap();
        // score = 10 · Σ w f / Σ w
        let fit = &e["fit"];
        let sum: f64 = CONCEPT_KEYS
            .iter()
            .zip(&w)
            .map(|(k, w)| w * num(&fit[*k]))
            .sum();
        assert!(close(num(&e["score"]), 10.0 * sum / 13.0, 1e-9), "{id}");
        if !close(num(&e["score"]), score_of(&equal, id), 1e-9) {
            changed += 1;
        }
    }
    assert!(changed > 0, "R=2 changed no score");
}

#[test]
fn blend_time_on_multitenant() {
    let doc = ok_json(&[
        "rank",
        "--scenario",
        "multitenant",
        "--time",
        "blend",
        "-o",
        "json",
    ]);
    assert_eq!(doc["scenario"]["time"], "blend");
    assert!(close(score_of(&doc, "k8s"), 9.8, 1e-9));
}

#[test]
fn explain_contributions_sum_to_the_score() {
    let doc = ok_json(&["rank", "--scenario", "edge", "--explain", "-o", "json"]);
    let x = &doc["explanation"];
    assert!(x.is_object(), "--explain adds an explanation: {doc}");
    assert_eq!(
        x["tech"]["id"], "k3s",
        "the top-ranked technology is explained"
    );
    let concepts = x["concepts"].as_array().expect("concepts");
    assert_eq!(concepts.len(), 12);
    let keys: Vec<&str> = concepts
        .iter()
        .map(|c| c["concept"].as_str().unwrap())
        .collect();
    assert_eq!(keys, CONCEPT_KEYS);
    let total: f64 = concepts.iter().map(|c| num(&c["contribution"])).sum();
    let score = num(&x["tech"]["score"]);
    assert!(close(total, score, 1e-9), "{total} vs {score}");
    assert!(close(score, num(&ranking(&doc)[0]["score"]), 1e-12));
    assert_eq!(x["alternative"]["id"], "wasmedge");
}

#[test]
fn without_explain_there_is_no_explanation_key() {
    let doc = ok_json(&["rank", "--scenario", "edge", "-o", "json"]);
    assert!(doc.get("explanation").is_none());
}
