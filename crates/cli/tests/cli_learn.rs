//! `stackmatrix learn` and `stackmatrix calibrate`: the learned Θ is written atomically and used
//! by `--model DIR`, malformed feedback is refused with line numbers, and calibration reports.

use crate::common;

use common::*;
use serde_json::Value;
use std::path::Path;

const CONCEPTS: [&str; 12] = [
    "I", "C", "Q", "R", "M", "V", "L", "S", "B", "P", "T", "Theta",
];

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

const FEEDBACK: &str = "kind,tech,scenario,vector,concept,observed,preferred,other\n\
    observation,k3s,edge,,I,0.5,,\n\
    observation,k3s,edge,,C,0.8,,\n\
    observation,wasmedge,edge,,Theta,0.45,,\n\
    observation,k8s,,\"prod=3,edge=1\",M,0.6,,\n\
    preference,,edge,,,,k3s,wasmedge\n";

fn theta_values(toml_path: &Path) -> Vec<f64> {
    let text = std::fs::read_to_string(toml_path).unwrap();
    let value_section = text.split("\n[value]\n").nth(1).unwrap();
    CONCEPTS
        .iter()
        .map(|c| {
            let line = value_section
                .lines()
                .find(|l| l.split('=').next().unwrap().trim() == *c)
                .unwrap();
            line.split('=').nth(1).unwrap().trim().parse().unwrap()
        })
        .collect()
}

#[test]
fn learned_theta_is_written_and_rank_uses_it_as_the_formula_says() {
    let tmp = tempfile::tempdir().unwrap();
    let feedback = write(tmp.path(), "feedback.csv", FEEDBACK);
    let out = tmp.path().join("learned");
    let doc = ok_json(&[
        "learn",
        "--feedback",
        &feedback,
        "--out",
        out.to_str().unwrap(),
        "-o",
        "json",
    ]);
    assert_eq!(doc["stop"], "converged");
    assert_eq!(doc["observations"], 4);
    assert_eq!(doc["preferences"], 1);
    let uninformed: Vec<&str> = doc["uninformed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(
        uninformed,
        vec!["Q", "R", "V", "L", "S", "B", "P", "T"],
        "{doc}"
    );
    let file = out.join("tables/theta.toml");
    let theta = theta_values(&file);
    // θ_I = 0.5 / fit_I(k3s, edge) = 0.5 / 1.0; uninformed concepts keep 1.
    assert!((theta[0] - 0.5).abs() < 1e-6, "{theta:?}");
    assert_eq!(theta[2], 1.0);
    let json_theta: Vec<f64> = doc["theta"].as_array().unwrap().iter().map(num).collect();
    assert_eq!(json_theta, theta);

    // Scores with the learned Θ: 10 · Σ w θ f / Σ w, from the default ranking's fits.
    let plain = ok_json(&["rank", "--scenario", "edge", "-o", "json"]);
    assert!(plain["scenario"].get("theta").is_none());
    let learned = ok_json(&[
        "--model",
        out.to_str().unwrap(),
        "rank",
        "--scenario",
        "edge",
        "-o",
        "json",
    ]);
    assert_eq!(
        learned["scenario"]["theta_note"],
        "scores use learned Θ from tables/theta.toml"
    );
    for e in ranking(&plain) {
        let id = e["id"].as_str().unwrap();
        let fit: Vec<f64> = CONCEPTS.iter().map(|c| num(&e["fit"][c])).collect();
        let expected = 10.0 * fit.iter().zip(&theta).map(|(f, t)| f * t).sum::<f64>() / 12.0;
        assert!(
            (score_of(&learned, id) - expected).abs() < 1e-9,
            "{id}: {} vs {expected}",
            score_of(&learned, id)
        );
    }
    let text = ok_stdout(&[
        "--model",
        out.to_str().unwrap(),
        "rank",
        "--scenario",
        "edge",
    ]);
    assert!(text.contains("note: scores use learned Θ from tables/theta.toml"));
}

#[test]
fn decision_methods_and_weight_stability_follow_the_learned_theta() {
    let tmp = tempfile::tempdir().unwrap();
    let feedback = write(tmp.path(), "feedback.csv", FEEDBACK);
    let out = tmp.path().join("learned");
    let out_s = out.to_str().unwrap();
    ok_json(&[
        "learn",
        "--feedback",
        &feedback,
        "--out",
        out_s,
        "-o",
        "json",
    ]);
    let learned = ok_json(&["--model", out_s, "rank", "--scenario", "edge", "-o", "json"]);
    // The methods see θ∘f, but every normalisation they offer divides each criterion by a
    // figure of its own column (sum, max, range, norm), which cancels a per-concept factor θ_c:
    // their preferences are the same with and without Θ (docs/learning.md says so).
    let wsm_args = [
        "rank",
        "--scenario",
        "edge",
        "--method",
        "wsm",
        "-o",
        "json",
    ];
    let wsm_learned = ok_json(&[&["--model", out_s][..], &wsm_args[..]].concat());
    let wsm_plain = ok_json(&wsm_args);
    for (a, b) in ranking(&wsm_learned).iter().zip(ranking(&wsm_plain)) {
        assert_eq!(a["id"], b["id"]);
        assert!((num(&a["score"]) - num(&b["score"])).abs() < 1e-12);
    }
    let ids = |doc: &Value| -> Vec<String> {
        ranking(doc)
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    // Weight stability is computed on the ranking as scored (θ∘f): every concept's interval
    // holds its current weight, and the leader is the Θ ranking's first.
    let robust = ok_json(&[
        "--model",
        out_s,
        "robustness",
        "--scenario",
        "edge",
        "--samples",
        "200",
        "-o",
        "json",
    ]);
    let leader = robust["stability"]["leader"].as_str().map(str::to_string);
    assert_eq!(
        leader.as_deref(),
        Some(ids(&learned)[0].as_str()),
        "{robust}"
    );
    for iv in robust["stability"]["intervals"].as_array().unwrap() {
        let (w, lo) = (num(&iv["weight"]), num(&iv["lo"]));
        let hi = iv["hi"].as_f64().unwrap_or(f64::INFINITY);
        assert!(lo <= w + 1e-12 && w <= hi + 1e-12, "{iv}");
    }
}

#[test]
fn an_interrupted_write_leaves_the_old_file_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let feedback = write(tmp.path(), "feedback.csv", FEEDBACK);
    let out = tmp.path().join("kb");
    let out_s = out.to_str().unwrap();
    ok_stdout(&["learn", "--feedback", &feedback, "--out", out_s]);
    let file = out.join("tables/theta.toml");
    let before = std::fs::read_to_string(&file).unwrap();

    // Different feedback, and the process aborts after the temporary file, before the rename.
    let other = write(
        tmp.path(),
        "other.jsonl",
        "{\"tech\":\"k3s\",\"scenario\":\"edge\",\"concept\":\"I\",\"observed\":0.2}\n",
    );
    let status = cmd()
        .env("STACKMATRIX_TEST_ABORT_BEFORE_RENAME", "1")
        .args(["learn", "--feedback", &other, "--out", out_s])
        .output()
        .unwrap()
        .status;
    assert!(!status.success(), "the run should have aborted");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    let temps = || -> Vec<String> {
        std::fs::read_dir(out.join("tables"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".theta.toml.stackmatrix-") && n.ends_with(".tmp"))
            .collect()
    };
    assert_eq!(
        temps().len(),
        1,
        "the aborted run leaves its temporary file"
    );
    // The old file still loads (the temporary dot-file is ignored by the loader).
    ok_stdout(&["--model", out_s, "rank", "--scenario", "edge"]);

    // Without the abort the new Θ replaces it, and the aborted run's file is removed.
    ok_stdout(&["learn", "--feedback", &other, "--out", out_s]);
    assert!((theta_values(&file)[0] - 0.2).abs() < 1e-6);
    assert!(temps().is_empty());
}

#[test]
fn dry_run_writes_nothing_and_each_optimizer_and_loss_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let feedback = write(tmp.path(), "feedback.csv", FEEDBACK);
    let out = tmp.path().join("never");
    let text = ok_stdout(&[
        "learn",
        "--feedback",
        &feedback,
        "--out",
        out.to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(text.contains("Dry run: nothing written"));
    assert!(text.contains("[value]"));
    assert!(!out.exists());
    for (loss, opt) in [
        ("mae", "sgd"),
        ("cross-entropy", "adam"),
        ("ranking", "gd"),
        ("mse", "adam"),
    ] {
        let doc = ok_json(&[
            "learn",
            "--feedback",
            &feedback,
            "--dry-run",
            "--loss",
            loss,
            "--optimizer",
            opt,
            "--epochs",
            "200",
            "-o",
            "json",
        ]);
        assert!(
            num(&doc["final_loss"]) <= num(&doc["initial_loss"]),
            "{loss} {opt}"
        );
        assert_eq!(doc["loss"], loss);
    }
    let zh = ok_stdout(&[
        "--lang",
        "zh",
        "learn",
        "--feedback",
        &feedback,
        "--dry-run",
    ]);
    assert!(zh.contains("学得 θ"));
    let csv = ok_stdout(&["learn", "--feedback", &feedback, "--dry-run", "-o", "csv"]);
    assert!(csv.starts_with("Concept,Name,Step size"));
}

#[test]
fn malformed_feedback_is_refused_with_line_numbers_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("kb");
    let bad = write(
        tmp.path(),
        "bad.csv",
        "kind,tech,scenario,concept,observed\n\
         observation,k3s,edge,I,0.5\n\
         observation,k3s,edge,I,1.5\n\
         # a comment\n\
         observation,nope,edge,X,0.5\n\
         observation,k3s,mars,I,abc\n",
    );
    let err = usage_error(
        &["learn", "--feedback", &bad, "--out", out.to_str().unwrap()],
        &[
            "--feedback: 5 problems in the feedback, nothing learned",
            "bad.csv:3: column observed: 1.5 is not in [0, 1]",
            "bad.csv:5: column tech: unknown technology 'nope'",
            "bad.csv:5: column concept: unknown concept 'X'",
            "bad.csv:6: column scenario: unknown scenario 'mars'",
            "bad.csv:6: column 5 (observed): 'abc' is not a number",
        ],
    );
    assert!(!out.exists(), "{err}");
    // Once the file parses, every row is checked against the knowledge base.
    let bad2 = write(
        tmp.path(),
        "bad2.csv",
        "kind,tech,scenario,concept,observed\n\
         observation,k3s,edge,I,0.5\n\
         observation,k3s,edge,I,1.5\n\
         observation,nope,edge,X,0.5\n\
         observation,k3s,mars,I,0.5\n\
         preference,k3s,edge,,\n",
    );
    usage_error(
        &["learn", "--feedback", &bad2, "--out", out.to_str().unwrap()],
        &[
            "bad2.csv:3: column observed: 1.5 is not in [0, 1]",
            "bad2.csv:4: column tech: unknown technology 'nope'",
            "bad2.csv:4: column concept: unknown concept 'X'",
            "bad2.csv:5: column scenario: unknown scenario 'mars'",
            "bad2.csv:6: column preferred: missing",
            "bad2.csv:6: column tech: is for observation rows",
        ],
    );
    assert!(!out.exists());
    let jsonl = write(
        tmp.path(),
        "bad.jsonl",
        "{\"tech\":\"k3s\",\"scenario\":\"edge\",\"concept\":\"I\",\"observed\":0.5}\n\
         {\"tech\":\"k3s\",\"scenario\":\"edge\",\"concept\":\"I\",\"observd\":0.5}\n",
    );
    usage_error(
        &["learn", "--feedback", &jsonl, "--dry-run"],
        &["bad.jsonl:2: column", "unknown field `observd`"],
    );
    let txt = write(tmp.path(), "feedback.txt", FEEDBACK);
    usage_error(
        &["learn", "--feedback", &txt, "--dry-run"],
        &["cannot tell the format"],
    );
    ok_stdout(&[
        "learn",
        "--feedback",
        &txt,
        "--feedback-format",
        "csv",
        "--dry-run",
    ]);
    usage_error(
        &[
            "learn",
            "--feedback",
            &txt,
            "--feedback-format",
            "csv",
            "--dry-run",
            "--loss",
            "hinge",
        ],
        &["--loss: unknown loss 'hinge'; expected mse, mae, cross-entropy or ranking"],
    );
    usage_error(
        &["learn", "--feedback", "/nonexistent/f.csv", "--dry-run"],
        &["--feedback: cannot read"],
    );
    // The ranking loss needs preference rows.
    let obs_only = write(
        tmp.path(),
        "obs.jsonl",
        "{\"tech\":\"k3s\",\"scenario\":\"edge\",\"concept\":\"I\",\"observed\":0.5}\n",
    );
    usage_error(
        &[
            "learn",
            "--feedback",
            &obs_only,
            "--dry-run",
            "--loss",
            "ranking",
        ],
        &["needs preference rows"],
    );
}

#[test]
fn calibrate_reports_figures_rms_and_weights_and_changes_no_default() {
    let doc: Value = ok_json(&["calibrate", "-o", "json"]);
    let before = num(&doc["rms_default"]);
    let after = num(&doc["rms_calibrated"]);
    assert!(after < before);
    let sum: f64 = doc["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| num(&w["weight"]))
        .sum();
    assert!((sum - 12.0).abs() < 1e-9);
    assert_eq!(doc["kkt_verified"], true);
    let edge_k3s = doc["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["scenario"] == "edge" && f["tech"] == "k3s")
        .unwrap();
    assert_eq!(num(&edge_k3s["claimed"]), 9.2);
    assert_eq!(num(&edge_k3s["computed_default"]), 8.75);
    let text = ok_stdout(&["calibrate"]);
    assert!(text.contains("it changes no default"));
    // Nothing changed: rank computes as before.
    let plain = ok_json(&["rank", "--scenario", "edge", "-o", "json"]);
    assert_eq!(score_of(&plain, "k3s"), 8.75);
    let zh = ok_stdout(&["--lang", "zh", "calibrate"]);
    assert!(zh.contains("校准权重"));
    assert!(ok_stdout(&["calibrate", "-o", "md"]).contains("| Concept"));
}
