//! One scoring path (issue 13, defect 14): a fleet row is scored exactly as `rank --vector` and
//! `recommend --vector --require` score its vector, with the knowledge base's Θ, whether it
//! comes from a CSV file, a Parquet file or a `POST /v1/fleet` body.
//!
//! The property test calls the library functions behind the verbs (`stackmatrix_api::rank`,
//! `recommend`, `fleet`; `stackmatrix_fleet::score`, the `fleet score` pipeline) on random Θ,
//! random concept weights and random scene vectors (made by random fleet rules), and checks the
//! rank scores against a formula written out here: `10 · Σ_c w_c θ_c f_c / Σ_c w_c` with
//! `f_c = Σ_j (v_j / Σ v) · A[c][j]` on the static slice. The other tests run the binary.

use crate::common::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use stackmatrix_api::views::RankView;
use stackmatrix_model::{
    parse_fleet_rules, FleetRules, KnowledgeBase, Lang, TimeSlice, CONCEPT_COUNT, SCENE_COUNT,
};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// The built-in knowledge base with Θ = diag(`theta`).
fn kb_with(theta: [f64; CONCEPT_COUNT]) -> KnowledgeBase {
    let mut kb = stackmatrix_model::builtin().expect("the built-in knowledge base loads");
    kb.tables.theta.value = theta;
    kb
}

/// The score written out: `10 · Σ w θ f / Σ w`, `f` the fit of the static matrix in `v / Σ v`.
fn oracle(kb: &KnowledgeBase, id: &str, v: &[f64; SCENE_COUNT], w: &[f64; CONCEPT_COUNT]) -> f64 {
    let a = kb
        .technology(id)
        .and_then(|t| t.maturity.matrix(TimeSlice::Static))
        .expect("a chain with a static matrix");
    let sum: f64 = v.iter().sum();
    let theta = kb.tables.theta.value;
    let mut num = 0.0;
    for c in 0..CONCEPT_COUNT {
        let fit: f64 = (0..SCENE_COUNT).map(|j| v[j] / sum * a[c][j]).sum();
        num += w[c] * theta[c] * fit.min(1.0);
    }
    10.0 * num / w.iter().sum::<f64>()
}

fn rank(kb: &KnowledgeBase, body: Value) -> RankView {
    let req = serde_json::from_value(body).expect("a rank request");
    stackmatrix_api::rank(kb, Lang::En, &req).expect("the vector ranks")
}

/// `recommend --vector V --require R [--budget-mb B]`: the best stack's id and score, `None`
/// when no stack meets the requirements.
fn best_stack(
    kb: &KnowledgeBase,
    v: &[f64; SCENE_COUNT],
    require: &[String],
    budget: Option<f64>,
) -> Option<(String, f64)> {
    let req = serde_json::from_value(json!({"vector": v, "require": require, "budget_mb": budget}))
        .expect("a recommend request");
    stackmatrix_api::recommend(kb, Lang::En, &req)
        .ok()
        .and_then(|view| view.stack)
        .map(|s| (s.id, s.score))
}

/// A fleet answer for one vector: the best chains and the best stack.
struct RowScores {
    vector: [f64; SCENE_COUNT],
    require: Vec<String>,
    budget: Option<f64>,
    chains: Vec<(String, f64)>,
    stack: Option<(String, f64)>,
}

/// Checks one fleet row against `rank --vector` and `recommend --vector --require`.
fn check_row(kb: &KnowledgeBase, row: &RowScores) -> Result<(), TestCaseError> {
    let ranking = rank(kb, json!({ "vector": row.vector })).ranking;
    prop_assert!(!row.chains.is_empty());
    for ((id, score), e) in row.chains.iter().zip(&ranking) {
        prop_assert_eq!(id, &e.id, "vector {:?}", row.vector);
        prop_assert_eq!(
            score.to_bits(),
            e.score.to_bits(),
            "{} {} vs {}, {:?}",
            id,
            score,
            e.score,
            row.vector
        );
    }
    for e in &ranking {
        let want = oracle(kb, &e.id, &row.vector, &[1.0; CONCEPT_COUNT]);
        prop_assert!(
            (e.score - want).abs() < 1e-9,
            "{}: {} vs {}",
            e.id,
            e.score,
            want
        );
    }
    let best = best_stack(kb, &row.vector, &row.require, row.budget);
    match (&row.stack, best) {
        (None, None) => {}
        (Some((id, score)), Some((want_id, want_score))) => {
            prop_assert_eq!(id, &want_id);
            prop_assert_eq!(
                score.to_bits(),
                want_score.to_bits(),
                "{} {} vs {}",
                id,
                score,
                want_score
            );
        }
        (got, want) => prop_assert!(false, "fleet stack {got:?}, recommend {want:?}"),
    }
    Ok(())
}

/// Random fleet rules: four bool columns `b0..b3`, rule `i` matching `b_i = true` and weighing
/// random scene weights, with random requirements and budgets; a random base.
fn rules_text(base: &[u32], rules: &[(Vec<u32>, u8, Option<u32>)]) -> String {
    // Scene weights in quarters, the zeros left out: `dev = 0.25, edge = 3.0`.
    let pairs = |w: &[u32], sep: &str| -> String {
        let keys = ["dev", "ci", "prod", "edge", "serverless", "multitenant"];
        let parts: Vec<String> = keys
            .iter()
            .zip(w)
            .filter(|(_, x)| **x > 0)
            .map(|(k, x)| format!("{k} = {:?}", f64::from(*x) / 4.0))
            .collect();
        parts.join(sep)
    };
    let mut t = String::from("id_column = \"id\"\n");
    for i in 0..rules.len() {
        t += &format!("[[column]]\nname = \"b{i}\"\ntype = \"bool\"\nrequired = true\n");
    }
    t += &format!("[base]\n{}\n", pairs(base, "\n"));
    for (i, (w, require, budget)) in rules.iter().enumerate() {
        t += &format!(
            "[[rule]]\nid = \"r{i}\"\nwhen = [{{ column = \"b{i}\", op = \"==\", value = true }}]\nweigh = {{ {} }}\n",
            pairs(w, ", ")
        );
        let caps: Vec<&str> = [(1, "offline"), (2, "gpu")]
            .iter()
            .filter(|(bit, _)| require & bit != 0)
            .map(|(_, c)| *c)
            .collect();
        t += &format!("require = {caps:?}\n");
        if let Some(b) = budget {
            t += &format!("budget_mb = {b}\n");
        }
    }
    t
}

/// `fleet score` on a CSV file: every output row read back.
fn score_csv(
    kb: &KnowledgeBase,
    rules: &FleetRules,
    dir: &Path,
    rows: &[Vec<bool>],
) -> Vec<RowScores> {
    let input = dir.join("inv.csv");
    let mut text = String::from("id");
    for i in 0..rows[0].len() {
        text += &format!(",b{i}");
    }
    for (n, r) in rows.iter().enumerate() {
        text += &format!("\nn{n}");
        for b in r {
            text += if *b { ",true" } else { ",false" };
        }
    }
    std::fs::write(&input, text + "\n").unwrap();
    let output = dir.join("out.csv");
    let mut opts = stackmatrix_fleet::ScoreOptions::new(input, output.clone());
    opts.top = 3;
    opts.stacks = true;
    opts.on_error = stackmatrix_fleet::OnError::Skip;
    let interrupted = AtomicBool::new(false);
    stackmatrix_fleet::score(
        kb,
        rules,
        &opts,
        &stackmatrix_fleet::NoProgress,
        &interrupted,
    )
    .expect("fleet score runs");
    read_results(&output)
}

/// The rows of a `fleet score` CSV output (with `--top 3 --stacks`).
fn read_results(path: &Path) -> Vec<RowScores> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let num = |s: &str| s.parse::<f64>().unwrap();
            let pair = |i: &str, s: &str| {
                let id = f[at(i)];
                (!id.is_empty()).then(|| (id.to_string(), num(f[at(s)])))
            };
            RowScores {
                vector: std::array::from_fn(|j| num(f[1 + j])),
                require: f[at("require")]
                    .split(';')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                budget: Some(f[at("budget_mb")]).filter(|s| !s.is_empty()).map(num),
                chains: (1..=3)
                    .filter_map(|k| pair(&format!("chain_{k}"), &format!("score_{k}")))
                    .collect(),
                stack: pair("stack", "stack_score"),
            }
        })
        .collect()
}

/// A row of the built-in rules' columns, as a `POST /v1/fleet` body gives it.
fn builtin_row() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec![0.5, 2.0, 8.0]),
        prop::sample::select(vec!["stable", "intermittent", "offline"]),
        prop::sample::select(vec![1, 5, 30]),
        prop::sample::select(vec![
            "service",
            "batch",
            "inference",
            "function",
            "ci",
            "dev",
        ]),
        prop::option::of(0..2u32),
        prop::option::of(prop::sample::select(vec![5.0, 50.0])),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(memory, network, tenants, workload, gpus, latency, offline)| {
                json!({"cpu_cores": 4, "memory_gb": memory, "network": network, "tenants": tenants,
                   "workload": workload, "gpus": gpus, "latency_ms": latency, "offline": offline})
            },
        )
}

fn theta() -> impl Strategy<Value = [f64; CONCEPT_COUNT]> {
    prop::array::uniform12(prop_oneof![Just(1.0), 0.0..=1.0f64])
}

proptest! {
    // A fixed budget: the test runs in seconds and the same cases every time.
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        ..ProptestConfig::default()
    })]

    #[test]
    fn fleet_rows_score_as_rank_and_recommend_with_theta(
        theta in theta(),
        weights in prop::array::uniform12(0.0..3.0f64),
        base in prop::collection::vec(0..5u32, SCENE_COUNT),
        rules in prop::collection::vec(
            (prop::collection::vec(0..13u32, SCENE_COUNT), 0..4u8, prop::option::of(200..2000u32)),
            4,
        ),
        rows in prop::collection::vec(prop::collection::vec(any::<bool>(), 4), 1..6),
        bodies in prop::collection::vec(builtin_row(), 1..5),
    ) {
        let kb = kb_with(theta);
        // CSV and Parquet inventories meet in the same per-rule-set scoring (the engine's
        // fleet scoring behind `fleet score`): the CSV pipeline end to end.
        let rules = parse_fleet_rules("random.toml", &rules_text(&base, &rules))
            .expect("the random rules are valid");
        let dir = tempfile::tempdir().unwrap();
        for row in score_csv(&kb, &rules, dir.path(), &rows) {
            check_row(&kb, &row)?;
        }
        // `POST /v1/fleet`: the built-in rules on inline rows.
        let req = serde_json::from_value(json!({"rows": bodies.iter().enumerate().map(|(i, b)| {
            let mut b = b.clone();
            b["id"] = json!(format!("r{i}"));
            b
        }).collect::<Vec<_>>(), "top": 3, "stacks": true})).unwrap();
        let view = stackmatrix_api::fleet(&kb, &req).expect("the rows are scored");
        for r in view.rows {
            prop_assert!(r.error.is_none(), "{:?}", r.error);
            check_row(&kb, &RowScores {
                vector: r.vector.unwrap(),
                require: r.require,
                budget: r.budget_mb,
                chains: r.chains.into_iter().map(|s| (s.id, s.score)).collect(),
                stack: r.stack.map(|s| (s.id, s.score)),
            })?;
        }
        // Concept weights (not a fleet option): `rank --vector V --weights W` and its
        // explanation follow the same formula with the same Θ.
        if weights.iter().sum::<f64>() > 0.0 {
            let v = [0.5, 0.0, 1.0, 2.0, 0.0, 0.25];
            let view = rank(&kb, json!({"vector": v, "weights": weights, "explain": true}));
            for e in &view.ranking {
                let want = oracle(&kb, &e.id, &v, &weights);
                prop_assert!((e.score - want).abs() < 1e-9, "{}: {} vs {}", e.id, e.score, want);
            }
            let x = view.explanation.expect("an explanation");
            let total: f64 = x.concepts.iter().map(|c| c.contribution).sum();
            prop_assert!((total - view.ranking[0].score).abs() < 1e-9);
        }
    }
}

/// An overlay whose `tables/theta.toml` sets θ_I = 0.2 and θ_C = 0.3 (the others 1).
fn theta_overlay(dir: &Path) -> std::path::PathBuf {
    let kb = dir.join("kb");
    std::fs::create_dir_all(kb.join("tables")).unwrap();
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/tables/theta.toml"),
    )
    .unwrap();
    let text = builtin
        .replace("\nI     = 1.0", "\nI     = 0.2")
        .replace("\nC     = 1.0", "\nC     = 0.3");
    assert_ne!(text, builtin);
    std::fs::write(kb.join("tables/theta.toml"), text).unwrap();
    kb
}

/// Defect 14: with θ_I = 0.2 and θ_C = 0.3, `rank --vector 0,0,1,1,0,0` scores OPA 7.9375 and
/// `fleet score` scored the same vector 9.125 (Θ left out). Both now say 7.9375, to the bit,
/// from a CSV and from a Parquet inventory.
#[test]
fn fleet_score_uses_the_overlays_theta_as_rank_does() {
    let dir = tempfile::tempdir().unwrap();
    let kb = theta_overlay(dir.path());
    let kb = kb.to_str().unwrap();
    let doc = ok_json(&[
        "--model",
        kb,
        "rank",
        "--vector",
        "0,0,1,1,0,0",
        "-o",
        "json",
    ]);
    let top = &ranking(&doc)[0];
    assert_eq!(top["id"], "opa");
    let rank_score = num(&top["score"]);
    assert!((rank_score - 7.9375).abs() < 1e-12, "{rank_score}");
    // memory 2 GB: rule small-memory adds edge 1 to the base prod 1: the vector 0,0,1,1,0,0.
    let csv = dir.path().join("inv.csv");
    std::fs::write(
        &csv,
        "id,cpu_cores,memory_gb,network,tenants,workload\nn1,4,2,stable,1,service\n",
    )
    .unwrap();
    let out = dir.path().join("out.csv");
    let args = |input: &Path, output: &Path| {
        vec![
            "fleet".to_string(),
            "score".into(),
            "--model".into(),
            kb.into(),
            "--input".into(),
            input.to_str().unwrap().into(),
            "--output".into(),
            output.to_str().unwrap().into(),
            "--stacks".into(),
        ]
    };
    let run_args = |a: Vec<String>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        let o = run(&refs);
        assert_eq!(o.status.code(), Some(0), "{o:?}");
    };
    run_args(args(&csv, &out));
    let rows = read_results_top1(&out);
    assert_eq!(rows[0].0, "0,0,1,1,0,0");
    assert_eq!(rows[0].1, "opa");
    assert_eq!(
        rows[0].2.to_bits(),
        rank_score.to_bits(),
        "fleet {} vs rank {rank_score}",
        rows[0].2
    );
    // The best stack is `recommend --vector 0,0,1,1,0,0`'s, with Θ.
    let rec = ok_json(&[
        "--model",
        kb,
        "recommend",
        "--vector",
        "0,0,1,1,0,0",
        "-o",
        "json",
    ]);
    assert_eq!(rows[0].3, rec["stack"]["id"].as_str().unwrap());
    assert_eq!(rows[0].4.to_bits(), num(&rec["stack"]["score"]).to_bits());
    // A Parquet inventory of the built-in rules' columns: every row as `rank --vector`.
    let pq = dir.path().join("inv.parquet");
    let gen = run(&[
        "fleet",
        "generate",
        "--rows",
        "60",
        "--seed",
        "3",
        "--broken",
        "0",
        "-o",
        pq.to_str().unwrap(),
    ]);
    assert_eq!(gen.status.code(), Some(0), "{gen:?}");
    let out = dir.path().join("pq.csv");
    run_args(args(&pq, &out));
    let mut checked = std::collections::BTreeMap::new();
    for (vector, chain, score, _, _) in read_results_top1(&out) {
        if checked.contains_key(&vector) {
            continue;
        }
        let doc = ok_json(&["--model", kb, "rank", "--vector", &vector, "-o", "json"]);
        assert_eq!(ranking(&doc)[0]["id"].as_str().unwrap(), chain, "{vector}");
        assert_eq!(
            num(&ranking(&doc)[0]["score"]).to_bits(),
            score.to_bits(),
            "{vector}"
        );
        checked.insert(vector, ());
    }
    assert!(checked.len() > 1, "{checked:?}");
}

/// The rows of a `fleet score --stacks` CSV output: vector (as written), best chain and score,
/// best stack and score.
fn read_results_top1(path: &Path) -> Vec<(String, String, f64, String, f64)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[1..7].join(","),
                f[9].to_string(),
                f[10].parse().unwrap(),
                f[11].to_string(),
                f[12].parse().unwrap(),
            )
        })
        .collect()
}
