//! `decide`, `rank --method`, `compare` and `robustness` through the binary: answers against
//! the engine called directly, errors with file, line and column, exit codes, determinism.

use crate::common;

use common::{num, ok_json, ok_stdout, run, usage_error};
use serde_json::Value;
use stackmatrix_engine::mcdm::{
    entropy_weights, CriterionType, DecisionMatrix, Method, WeightingMethod,
};
use stackmatrix_engine::{rank_technologies, ScenarioInput};
use std::path::PathBuf;

/// A temporary directory holding CSV files.
struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Files {
        Files {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path: PathBuf = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write the CSV");
        path.to_str().expect("UTF-8 path").to_string()
    }
}

const MATRIX: &str =
    "alternative,price,quality,speed\na,250,16,12\nb,200,16,8\nc,300,32,16\nd,275,32,8\n";

fn engine_matrix() -> DecisionMatrix {
    DecisionMatrix::new(
        ["a", "b", "c", "d"].map(String::from).to_vec(),
        ["price", "quality", "speed"].map(String::from).to_vec(),
        vec![
            CriterionType::Cost,
            CriterionType::Benefit,
            CriterionType::Benefit,
        ],
        vec![
            vec![250.0, 16.0, 12.0],
            vec![200.0, 16.0, 8.0],
            vec![300.0, 32.0, 16.0],
            vec![275.0, 32.0, 8.0],
        ],
    )
    .unwrap()
}

/// Equal within 1e-12: JSON text is parsed back to within an ulp, not always to the same bits.
fn assert_close(a: &[f64], b: &[f64], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= 1e-12, "{what}: {a:?} vs {b:?}");
    }
}

/// `alternative -> preference` of a decide JSON document, in the order given.
fn preferences(doc: &Value) -> Vec<f64> {
    let mut p = vec![0.0; 4];
    for e in doc["ranking"].as_array().unwrap() {
        p[e["index"].as_u64().unwrap() as usize] = num(&e["preference"]);
    }
    p
}

#[test]
fn decide_ranks_a_csv_as_the_engine_does() {
    let f = Files::new();
    let m = f.write("m.csv", MATRIX);
    for (method, weights) in [
        ("topsis", vec![0.2, 0.3, 0.5]),
        ("vikor:v=0.3", vec![0.2, 0.3, 0.5]),
        ("promethee:vshape:p=50,10,5", vec![0.2, 0.3, 0.5]),
        ("edas", vec![0.2, 0.3, 0.5]),
    ] {
        let doc = ok_json(&[
            "decide",
            "--matrix",
            &m,
            "--types",
            "-,+,+",
            "--weights",
            "0.2,0.3,0.5",
            "--method",
            method,
            "-o",
            "json",
        ]);
        let engine = Method::from_name(method).unwrap();
        let (p, ranks) = engine.rank(&engine_matrix(), &weights).unwrap();
        assert_close(&preferences(&doc), &p, method);
        assert_eq!(doc["method"], engine.to_string());
        assert_eq!(doc["higher_is_better"], engine.higher_is_better());
        for e in doc["ranking"].as_array().unwrap() {
            let i = e["index"].as_u64().unwrap() as usize;
            assert_eq!(e["rank"].as_u64().unwrap() as usize, ranks[i]);
        }
    }
    // Weights by entropy, types as words: the engine's entropy weights.
    let doc = ok_json(&[
        "decide",
        "--matrix",
        &m,
        "--types",
        "cost,benefit,benefit",
        "--weights",
        "entropy",
        "-o",
        "json",
    ]);
    let w = entropy_weights(&engine_matrix()).unwrap();
    let used: Vec<f64> = doc["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| num(&c["weight"]))
        .collect();
    assert_close(&used, &w, "entropy weights");
    assert_eq!(doc["weighting"]["source"], "entropy");
    let (p, _) = Method::from_name("topsis")
        .unwrap()
        .rank(&engine_matrix(), &w)
        .unwrap();
    assert_close(&preferences(&doc), &p, "topsis");
}

#[test]
fn decide_tells_its_defaults_on_stderr_and_prints_every_format() {
    let f = Files::new();
    let m = f.write("m.csv", MATRIX);
    let out = run(&["decide", "--matrix", &m]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stdout.starts_with(
            "Method: topsis:norm=minmax (higher preference is better)\nWeights: equal\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("price      benefit  0.3333"), "{stdout}");
    assert!(
        stderr.contains("note: no criterion types given: every criterion is taken as a benefit"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: no weights given: equal weights"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: no method given: topsis:norm=minmax"),
        "{stderr}"
    );
    // Equal weights: the engine's.
    let doc = ok_json(&["decide", "--matrix", &m, "-o", "json"]);
    let all_benefit = DecisionMatrix::new(
        engine_matrix().alternatives().to_vec(),
        engine_matrix().criteria().to_vec(),
        vec![CriterionType::Benefit; 3],
        (0..4).map(|i| engine_matrix().row(i).to_vec()).collect(),
    )
    .unwrap();
    let w = WeightingMethod::Equal.weights(&all_benefit).unwrap();
    let (p, _) = Method::from_name("topsis")
        .unwrap()
        .rank(&all_benefit, &w)
        .unwrap();
    assert_close(&preferences(&doc), &p, "equal weights");
    let csv = ok_stdout(&["decide", "--matrix", &m, "--weights", "2,3,5", "-o", "csv"]);
    assert!(
        csv.starts_with("rank,tied,alternative,preference\n1,false,c,1\n"),
        "{csv}"
    );
    let md = ok_stdout(&["decide", "--matrix", &m, "-o", "md", "--lang", "zh"]);
    assert!(
        md.contains("| rank | tied | alternative | preference |"),
        "{md}"
    );
    assert!(md.contains("| 准则 | 类型 | 权重 |"), "{md}");
}

#[test]
fn bad_csv_files_are_named_with_line_and_column() {
    let f = Files::new();
    let cases = [
        ("ragged.csv", ",p,q\na,1,2\nb,3\n", "ragged.csv, line 3 has 2 cells; expected 3"),
        ("number.csv", ",p,q\na,1,2\n\nb,3,x\n", "number.csv, line 4, column 3 (alternative 'b', criterion 'q'): 'x' is not a number"),
        ("header.csv", "1,2,3\n4,5,6\n", "header.csv, line 1: the first row holds numbers, not names: the header row is missing"),
        ("finite.csv", ",p,q\na,1,2\nb,-inf,2\n", "finite.csv, line 3, column 2 (alternative 'b', criterion 'p'): '-inf' is not a finite number"),
        ("empty.csv", "", "empty.csv: the file is empty"),
    ];
    for (name, text, needle) in cases {
        let path = f.write(name, text);
        let stderr = usage_error(&["decide", "--matrix", &path], &[needle]);
        assert!(stderr.starts_with("error: --matrix: "), "{stderr}");
    }
    let missing = f.dir.path().join("missing.csv");
    usage_error(
        &["decide", "--matrix", missing.to_str().unwrap()],
        &["--matrix: cannot read", "missing.csv"],
    );
    let m = f.write("m.csv", MATRIX);
    usage_error(
        &["decide", "--matrix", &m, "--types", "+,+"],
        &["--types: 2 types given; expected 3, one per criterion (price, quality, speed)"],
    );
    usage_error(
        &["decide", "--matrix", &m, "--weights", "0.2,x,0.5"],
        &["--weights: 'x' (item 2) is not a number"],
    );
    usage_error(
        &["decide", "--matrix", &m, "--weights", "magic"],
        &["--weights: unknown weighting method 'magic'"],
    );
    usage_error(
        &["decide", "--matrix", &m, "--method", "electre"],
        &["--method: ", "unknown method \"electre\""],
    );
    usage_error(
        &["decide", "--matrix", &m, "--method", "copras"],
        &["--method: COPRAS: every criterion is a benefit"],
    );
}

#[test]
fn ahp_weights_and_an_inconsistent_matrix() {
    let f = Files::new();
    let m = f.write(
        "m.csv",
        "alternative,I,R,S,C\nx,1,2,3,4\ny,4,3,2,1\nz,2,2,2,3\n",
    );
    // Consistent: I = 2 R = 4 S = 8 C.
    let ok = f.write(
        "ok.csv",
        ",I,R,S,C\nI,1,2,4,8\nR,0.5,1,2,4\nS,0.25,0.5,1,2\nC,0.125,0.25,0.5,1\n",
    );
    let doc = ok_json(&["decide", "--matrix", &m, "--ahp", &ok, "-o", "json"]);
    let w: Vec<f64> = doc["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| num(&c["weight"]))
        .collect();
    for (a, b) in w
        .iter()
        .zip([8.0 / 15.0, 4.0 / 15.0, 2.0 / 15.0, 1.0 / 15.0])
    {
        assert!((a - b).abs() < 1e-12, "{w:?}");
    }
    assert_eq!(doc["weighting"]["source"], "ahp");
    assert!(num(&doc["weighting"]["ahp"]["consistency_ratio"]).abs() < 1e-9);
    let text = ok_stdout(&["decide", "--matrix", &m, "--ahp", &ok]);
    assert!(
        text.contains(
            "Weights: ahp (λmax 4.0000, CI 0.0000, RI 0.8921 Tummala & Ling 1998, CR 0.000 ≤ 0.1)"
        ),
        "{text}"
    );
    // The engine's inconsistent fixture: refused with exit 2, naming the judgements.
    let bad = f.write(
        "bad.csv",
        ",I,R,S,C\nI,1,3,0.14285714285714285,8\nR,0.3333333333333333,1,2,5\nS,7,0.5,1,3\nC,0.125,0.2,0.3333333333333333,1\n",
    );
    usage_error(
        &["decide", "--matrix", &m, "--ahp", &bad],
        &[
            "error: --ahp: the judgements are inconsistent: CR = ",
            "> 0.1",
            "the least consistent judgements are S vs I: you said 7, the other judgements imply",
        ],
    );
    let order = f.write("order.csv", ",I,R\nR,1,2\nI,0.5,1\n");
    usage_error(
        &["decide", "--matrix", &m, "--ahp", &order],
        &[
            "--ahp: ",
            "order.csv, line 2, column 1: row 1 is 'R' but column 2 of the header is 'I'",
        ],
    );
    let other = f.write("other.csv", ",I,R\nI,1,2\nR,0.5,1\n");
    usage_error(&["decide", "--matrix", &m, "--ahp", &other], &["--ahp: the pairwise comparison matrix does not match the criteria: it does not compare S, C"]);
    // --weights and --ahp exclude each other (clap says so).
    let out = run(&["decide", "--matrix", &m, "--ahp", &ok, "--weights", "equal"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rank_with_a_method_ranks_the_edge_fits() {
    let doc = ok_json(&[
        "rank",
        "--scenario",
        "edge",
        "--method",
        "topsis",
        "-o",
        "json",
    ]);
    let kb = stackmatrix_model::builtin().unwrap();
    let s = ScenarioInput::from_scenario(kb.scenario("edge").unwrap())
        .prepare(&kb)
        .unwrap();
    let ranking = rank_technologies(kb.chains(), &s, &kb.tables.parameters);
    let m = DecisionMatrix::new(
        ranking.entries.iter().map(|e| e.id.clone()).collect(),
        stackmatrix_model::Concept::KEYS
            .iter()
            .map(|k| k.to_string())
            .collect(),
        vec![CriterionType::Benefit; 12],
        ranking.entries.iter().map(|e| e.fit.to_vec()).collect(),
    )
    .unwrap();
    let (p, ranks) = Method::from_name("topsis")
        .unwrap()
        .rank(&m, &[1.0 / 12.0; 12])
        .unwrap();
    assert_eq!(doc["method"], "topsis:norm=minmax");
    assert_eq!(doc["higher_is_better"], true);
    assert_eq!(doc["scenario"]["id"], "edge");
    let entries = doc["ranking"].as_array().unwrap();
    assert_eq!(entries.len(), 6);
    assert_eq!(entries[0]["id"], "k3s");
    for e in entries {
        let i = ranking
            .entries
            .iter()
            .position(|r| r.id == e["id"])
            .unwrap();
        assert_close(&[num(&e["score"])], &[p[i]], "topsis on the edge");
        assert_eq!(e["rank"].as_u64().unwrap() as usize, ranks[i]);
        assert_eq!(
            e["fit"]["Theta"],
            serde_json::json!(ranking.entries[i].fit[11])
        );
        assert!(e.get("name").is_some() && e.get("tied").is_some());
    }
    let text = ok_stdout(&["rank", "--scenario", "edge", "--method", "vikor"]);
    assert!(
        text.contains("Method: vikor:norm=none:v=0.5 (lower score is better"),
        "{text}"
    );
    // Memory as a cost: the chains without a figure are left out and named.
    let out = run(&[
        "rank",
        "--scenario",
        "edge",
        "--method",
        "topsis",
        "--cost-criteria",
        "memory",
        "-o",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("note: left out: wasmedge: no memory figure for wasmedge"),
        "{stderr}"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["ranking"][0]["memory_mb"], 275.0);
    assert_eq!(doc["left_out"].as_array().unwrap().len(), 4);
    let csv = ok_stdout(&[
        "rank",
        "--scenario",
        "edge",
        "--method",
        "edas",
        "-o",
        "csv",
    ]);
    assert!(
        csv.starts_with("rank,tied,id,Name,score,I,C,Q,R,M,V,L,S,B,P,T,Theta\n1,false,k3s,K3s,"),
        "{csv}"
    );
    usage_error(
        &["rank", "--scenario", "edge", "--method", "electre"],
        &["--method: "],
    );
    usage_error(
        &["rank", "--scenario", "dev", "--method", "wsm"],
        &["--method: sum_normalization", "e.g. wsm:norm=minmax"],
    );
    usage_error(
        &[
            "rank",
            "--scenario",
            "edge",
            "--method",
            "topsis",
            "--cost-criteria",
            "cpu",
        ],
        &["--cost-criteria: unknown cost criterion 'cpu'"],
    );
    // --cost-criteria needs --method; --explain does not go with it.
    assert_eq!(
        run(&["rank", "--scenario", "edge", "--cost-criteria", "memory"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["rank", "--scenario", "edge", "--method", "wsm", "--explain"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn rank_without_a_method_is_unchanged() {
    let doc = ok_json(&["rank", "--scenario", "edge", "-o", "json"]);
    assert!(doc.get("method").is_none());
    assert!((num(&doc["ranking"][0]["score"]) - 8.75).abs() < 1e-9);
}

#[test]
fn compare_prints_every_method_and_every_pair() {
    let text = ok_stdout(&[
        "compare",
        "--scenario",
        "ci",
        "--methods",
        "wsm,topsis,vikor,promethee",
    ]);
    assert!(
        text.contains("Id           Technology               wsm  topsis  vikor  promethee"),
        "{text}"
    );
    for pair in [
        "wsm – topsis",
        "wsm – vikor",
        "wsm – promethee",
        "topsis – vikor",
        "topsis – promethee",
        "vikor – promethee",
    ] {
        assert!(text.contains(pair), "{pair} missing:\n{text}");
    }
    assert!(text.contains("Spearman  Kendall τ"), "{text}");
    let doc = ok_json(&["compare", "--scenario", "edge", "-o", "json"]);
    let methods = doc["methods"].as_array().unwrap();
    let k = methods.len();
    assert_eq!(
        k, 7,
        "every method but COPRAS, which needs a cost criterion"
    );
    assert_eq!(doc["refused"][0]["method"], "copras");
    assert_eq!(doc["pairs"].as_array().unwrap().len(), k * (k - 1) / 2);
    for p in doc["pairs"].as_array().unwrap() {
        assert_eq!(num(&p["spearman"]), 1.0, "every method agrees on the edge");
    }
    // Machine output: the notes go to stderr.
    let out = run(&["compare", "--scenario", "edge", "-o", "csv"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with(
            "id,name,wsm,wpm,topsis,vikor,promethee,waspas,edas\nk3s,K3s,1,1,1,1,1,1,1\n"
        ),
        "{stdout}"
    );
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("note: copras: cannot rank this matrix"));
    usage_error(
        &["compare", "--scenario", "edge", "--methods", "wsm,copras"],
        &["--methods: copras: COPRAS"],
    );
    usage_error(
        &["compare", "--scenario", "edge", "--methods", "wsm,wsm"],
        &["--methods: wsm:norm=sum is given twice"],
    );
}

fn robustness_json(extra: &[&str], threads: &str) -> Vec<u8> {
    let mut args = vec![
        "robustness",
        "--scenario",
        "edge",
        "--samples",
        "20000",
        "-o",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = common::cmd()
        .env("RAYON_NUM_THREADS", threads)
        .args(&args)
        .output()
        .expect("the binary runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "no progress bar when stderr is not a terminal"
    );
    out.stdout
}

#[test]
fn robustness_is_deterministic_whatever_the_threads() {
    let a = robustness_json(&["--seed", "5"], "2");
    let b = robustness_json(&["--seed", "5"], "2");
    let one = robustness_json(&["--seed", "5"], "1");
    assert_eq!(a, b, "two runs give the same bytes");
    assert_eq!(a, one, "one thread or two give the same bytes");
    assert_ne!(a, robustness_json(&["--seed", "6"], "2"));
    let doc: Value = serde_json::from_slice(&a).unwrap();
    assert_eq!(doc["samples"], 20000);
    assert_eq!(doc["seed"], 5);
    let alts = doc["alternatives"].as_array().unwrap();
    assert_eq!(alts.len(), 6);
    for a in alts {
        let row: f64 = a["acceptability_percent"]
            .as_array()
            .unwrap()
            .iter()
            .map(num)
            .sum();
        assert!((row - 100.0).abs() < 1e-9, "{row}");
        assert_eq!(a["standard_error_percent"].as_array().unwrap().len(), 6);
    }
    for r in 0..6 {
        let col: f64 = alts
            .iter()
            .map(|a| num(&a["acceptability_percent"][r]))
            .sum();
        assert!((col - 100.0).abs() < 1e-9, "{col}");
    }
    assert_eq!(doc["summary"]["most_likely_first"]["id"], "k3s");
    assert_eq!(doc["stability"]["leader"], "k3s");
    assert_eq!(doc["stability"]["intervals"][11]["above"], "wasmedge");
}

#[test]
fn robustness_in_words_and_tables() {
    let text = ok_stdout(&["robustness", "--scenario", "edge", "--samples", "5000"]);
    assert!(
        text.contains(
            "SMAA-2: 5000 samples · seed 1 · spreads published/estimated/measured 0.05/0.15/0.05"
        ),
        "{text}"
    );
    assert!(
        text.contains("Rank  Id           Technology                 #1    #2"),
        "{text}"
    );
    assert!(text.contains("\nK3s is first in "), "{text}");
    assert!(
        text.contains("Θ (now 1) can move from 0 to 2 before WasmEdge (above 2) overtakes K3s."),
        "{text}"
    );
    let zh = ok_stdout(&[
        "robustness",
        "--scenario",
        "edge",
        "--samples",
        "5000",
        "--lang",
        "zh",
    ]);
    assert!(zh.contains("K3s 轻量 Kubernetes 在 "), "{zh}");
    assert!(zh.contains("的情况下排名第一（±"), "{zh}");
    let csv = ok_stdout(&[
        "robustness",
        "--scenario",
        "edge",
        "--samples",
        "2000",
        "-o",
        "csv",
    ]);
    assert!(
        csv.starts_with(
            "rank,id,name,#1,#2,#3,#4,#5,#6,expected_rank,confidence_percent\n1,k3s,K3s,"
        ),
        "{csv}"
    );
    let doc = ok_json(&[
        "robustness",
        "--scenario",
        "edge",
        "--samples",
        "2000",
        "--weights-model",
        "around",
        "--concentration",
        "50",
        "-o",
        "json",
    ]);
    assert_eq!(doc["weights_model"]["model"], "around");
    assert_eq!(doc["weights_model"]["concentration"], 50.0);
    usage_error(
        &["robustness", "--scenario", "edge", "--samples", "0"],
        &["--samples: 0 samples; expected 1 to 100000000"],
    );
    usage_error(
        &[
            "robustness",
            "--scenario",
            "edge",
            "--spread-estimated",
            "2",
        ],
        &["--spread-estimated: 2 is not a spread"],
    );
    usage_error(
        &["robustness", "--scenario", "edge", "--concentration", "5"],
        &["--concentration: the concentration is used only with the weights model around"],
    );
    usage_error(
        &["robustness", "--scenario", "nope"],
        &["--scenario: unknown scenario 'nope'"],
    );
}

/// The help of `rank --method` and `decide --method` is written from the engine's one list of
/// methods (`Method::NAMES`), in the words it had when each front end spelt the names out.
#[test]
fn method_help_names_the_engines_methods() {
    let choices = format!(
        "{}, with parameters (topsis:norm=vector, vikor:v=0.3)",
        Method::NAMES.join(", ")
    );
    for (verb, expected) in [
        (
            "rank",
            format!("instead of the model's score: {choices} --"),
        ),
        (
            "decide",
            format!("The ranking method: {choices} [default: topsis]"),
        ),
    ] {
        let help = ok_stdout(&[verb, "--help"]);
        let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(&expected), "{verb} --help:\n{help}");
    }
}
