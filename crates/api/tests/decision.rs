//! `decide`, `rank_by_method`, `compare` and `robustness`: answers checked against the engine
//! called directly, the CSV reader's positions, and every error with its field.

use serde_json::{json, Value};
use stackmatrix_api::request::{
    CompareRequest, CsvShape, DecideRequest, DecideWeights, LabelledMatrix, MethodRankRequest,
    PairwiseRequest, RobustnessRequest, ScenarioRequest,
};
use stackmatrix_api::*;
use stackmatrix_engine::mcdm::{
    ahp, entropy_weights, kendall_tau, rank_similarity, spearman, standard_deviation_weights,
    CriterionType, DecisionMatrix, Method, PairwiseComparisons,
};
use stackmatrix_engine::{
    rank_technologies, ranking_weight_stability, smaa_rank, ScenarioInput, SmaaAlternative,
    SmaaOptions, Spread,
};
use stackmatrix_model::{KnowledgeBase, Lang};

fn kb() -> KnowledgeBase {
    stackmatrix_model::builtin().expect("the built-in knowledge base loads")
}

fn from_json<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("the request deserialises")
}

/// Field and message of a bad input (exit code 2, HTTP 400).
fn bad(e: ApiError) -> (&'static str, String) {
    assert_eq!((e.http_status(), e.exit_code()), (400, 2), "{e}");
    match e {
        ApiError::BadInput { field, message } => (field, message),
        other => panic!("not bad input: {other:?}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

/// A small problem: four alternatives, price (cost), quality and speed (benefits).
fn small() -> DecideRequest {
    DecideRequest {
        alternatives: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        criteria: vec!["price".into(), "quality".into(), "speed".into()],
        matrix: vec![
            vec![250.0, 16.0, 12.0],
            vec![200.0, 16.0, 8.0],
            vec![300.0, 32.0, 16.0],
            vec![275.0, 32.0, 8.0],
        ],
        types: Some(vec!["-".into(), "benefit".into(), "+".into()]),
        weights: Some(DecideWeights::Values(vec![0.2, 0.3, 0.5])),
        ahp: None,
        method: Some("topsis".into()),
    }
}

fn small_matrix() -> DecisionMatrix {
    let r = small();
    DecisionMatrix::new(
        r.alternatives,
        r.criteria,
        vec![
            CriterionType::Cost,
            CriterionType::Benefit,
            CriterionType::Benefit,
        ],
        r.matrix,
    )
    .unwrap()
}

/// Preferences of a decide view in the order the alternatives were given.
fn preferences_in_order(v: &views::DecideView) -> Vec<f64> {
    let mut p = vec![0.0; v.ranking.len()];
    for e in &v.ranking {
        p[e.index] = e.preference;
    }
    p
}

#[test]
fn decide_answers_as_the_engine_for_every_method() {
    let m = small_matrix();
    for method in Method::all() {
        let req = DecideRequest {
            method: Some(method.to_string()),
            ..small()
        };
        let view = match decide(Lang::En, &req) {
            Ok(v) => v,
            Err(e) => {
                // Only a method the engine refuses may be refused.
                assert!(method.rank(&m, &[0.2, 0.3, 0.5]).is_err(), "{method}: {e}");
                continue;
            }
        };
        let (p, ranks) = method.rank(&m, &[0.2, 0.3, 0.5]).unwrap();
        assert_eq!(preferences_in_order(&view), p, "{method}");
        assert_eq!(view.method, method.to_string());
        assert_eq!(view.higher_is_better, method.higher_is_better());
        for e in &view.ranking {
            assert_eq!(e.rank, ranks[e.index]);
        }
        assert!(view.ranking.windows(2).all(|w| w[0].rank <= w[1].rank));
        assert!(view.notes.is_empty(), "{:?}", view.notes);
    }
}

#[test]
fn decide_reports_types_weights_and_method_as_used() {
    let view = decide(Lang::En, &small()).unwrap();
    assert_eq!(view.method, "topsis:norm=minmax", "defaults spelt out");
    let kinds: Vec<&str> = view.criteria.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, ["cost", "benefit", "benefit"]);
    assert_eq!(view.weighting.source, "given");
    assert_eq!(view.weighting.input_sum, Some(1.0));
    assert!(!view.weighting.normalised);
    let v = serde_json::to_value(&view).unwrap();
    assert_eq!(
        v["criteria"][0],
        json!({"name": "price", "type": "cost", "weight": 0.2})
    );
    assert_eq!(v["ranking"][0]["alternative"], "c");
    // Weights not summing to 1 are divided by their sum, with a note.
    let req = DecideRequest {
        weights: Some(DecideWeights::Values(vec![2.0, 3.0, 5.0])),
        ..small()
    };
    let scaled = decide(Lang::En, &req).unwrap();
    assert!(scaled.weighting.normalised);
    assert_eq!(scaled.weighting.input_sum, Some(10.0));
    assert_eq!(
        scaled.notes,
        ["the weights summed to 10 and were divided by their sum"]
    );
    assert_eq!(preferences_in_order(&scaled), preferences_in_order(&view));
}

#[test]
fn decide_defaults_are_named_in_notes() {
    let req = DecideRequest {
        types: None,
        weights: None,
        method: None,
        ..small()
    };
    let view = decide(Lang::En, &req).unwrap();
    assert_eq!(view.method, "topsis:norm=minmax");
    assert!(view.criteria.iter().all(|c| c.kind == "benefit"));
    assert!(view.criteria.iter().all(|c| close(c.weight, 1.0 / 3.0)));
    assert_eq!(view.weighting.source, "equal");
    assert_eq!(view.notes.len(), 3, "{:?}", view.notes);
    assert!(view.notes[0].contains("every criterion is taken as a benefit"));
    assert!(view.notes.iter().any(|n| n.contains("topsis:norm=minmax")));
    let zh = decide(Lang::Zh, &req).unwrap();
    assert!(zh.notes[0].contains("效益型"));
}

#[test]
fn decide_derives_weights_by_a_weighting_method() {
    let m = small_matrix();
    for (name, expected) in [
        ("entropy", entropy_weights(&m).unwrap()),
        ("std", standard_deviation_weights(&m).unwrap()),
        (
            "Standard-Deviation",
            standard_deviation_weights(&m).unwrap(),
        ),
    ] {
        let req = DecideRequest {
            weights: Some(DecideWeights::Method(name.into())),
            ..small()
        };
        let view = decide(Lang::En, &req).unwrap();
        let used: Vec<f64> = view.criteria.iter().map(|c| c.weight).collect();
        assert_eq!(used, expected, "{name}");
        let (p, _) = Method::from_name("topsis")
            .unwrap()
            .rank(&m, &expected)
            .unwrap();
        assert_eq!(preferences_in_order(&view), p);
    }
    let req = DecideRequest {
        weights: Some(DecideWeights::Method("nope".into())),
        ..small()
    };
    let (field, message) = bad(decide(Lang::En, &req).unwrap_err());
    assert_eq!(field, "weights");
    assert!(
        message.contains("unknown weighting method 'nope'"),
        "{message}"
    );
    assert!(message.contains("entropy, std"), "{message}");
}

fn pairwise(labels: &[&str], rows: Vec<Vec<f64>>) -> PairwiseRequest {
    PairwiseRequest {
        labels: Some(labels.iter().map(|s| s.to_string()).collect()),
        matrix: rows,
    }
}

#[test]
fn decide_takes_ahp_weights_in_any_label_order() {
    // speed 2x quality 2x price, consistent; given in the order speed, price, quality.
    let req = DecideRequest {
        weights: None,
        ahp: Some(pairwise(
            &["speed", "price", "quality"],
            vec![
                vec![1.0, 4.0, 2.0],
                vec![0.25, 1.0, 0.5],
                vec![0.5, 2.0, 1.0],
            ],
        )),
        ..small()
    };
    let view = decide(Lang::En, &req).unwrap();
    let used: Vec<f64> = view.criteria.iter().map(|c| c.weight).collect();
    for (u, e) in used.iter().zip([1.0 / 7.0, 2.0 / 7.0, 4.0 / 7.0]) {
        assert!((u - e).abs() < 1e-12, "{used:?}");
    }
    let a = view.weighting.ahp.as_ref().expect("the AHP analysis");
    assert_eq!(view.weighting.source, "ahp");
    assert!(a.consistency_ratio.abs() < 1e-9);
    assert_eq!(a.threshold, 0.1);
    assert_eq!(a.labels, ["speed", "price", "quality"]);
    // Same as the engine.
    let pc = PairwiseComparisons::new(a.labels.clone(), req.ahp.as_ref().unwrap().matrix.clone())
        .unwrap();
    assert_eq!(a.weights, ahp(&pc).unwrap().weights);
}

#[test]
fn an_inconsistent_ahp_matrix_is_refused_naming_its_judgements() {
    // The engine's inconsistent fixture: I, R, S, C with S vs I said 7.
    let req = DecideRequest {
        alternatives: vec!["x".into(), "y".into()],
        criteria: vec!["I".into(), "R".into(), "S".into(), "C".into()],
        matrix: vec![vec![1.0, 2.0, 3.0, 4.0], vec![4.0, 3.0, 2.0, 1.0]],
        types: None,
        weights: None,
        ahp: Some(PairwiseRequest {
            labels: None,
            matrix: vec![
                vec![1.0, 3.0, 1.0 / 7.0, 8.0],
                vec![1.0 / 3.0, 1.0, 2.0, 5.0],
                vec![7.0, 0.5, 1.0, 3.0],
                vec![1.0 / 8.0, 1.0 / 5.0, 1.0 / 3.0, 1.0],
            ],
        }),
        method: None,
    };
    let (field, message) = bad(decide(Lang::En, &req).unwrap_err());
    assert_eq!(field, "ahp");
    assert!(
        message.starts_with("the judgements are inconsistent: CR = "),
        "{message}"
    );
    assert!(message.contains("> 0.1"), "{message}");
    assert!(
        message.contains("the least consistent judgements are S vs I: you said 7"),
        "{message}"
    );
}

#[test]
fn ahp_errors_name_what_is_wrong() {
    let base = || DecideRequest {
        weights: None,
        ..small()
    };
    let with = |p: PairwiseRequest| DecideRequest {
        ahp: Some(p),
        ..base()
    };
    let cases: Vec<(DecideRequest, &str)> = vec![
        (
            with(pairwise(
                &["price", "quality", "size"],
                vec![vec![1.0; 3]; 3],
            )),
            "it compares size that the matrix does not have; it does not compare speed",
        ),
        (
            with(pairwise(
                &["price", "quality", "speed"],
                vec![
                    vec![1.0, 2.0, 1.0],
                    vec![2.0, 1.0, 1.0],
                    vec![1.0, 1.0, 1.0],
                ],
            )),
            "is not reciprocal",
        ),
        (
            with(pairwise(
                &["price", "quality", "speed"],
                vec![vec![1.0; 3]; 2],
            )),
            "has 2 rows; expected 3",
        ),
        (
            DecideRequest {
                weights: Some(DecideWeights::Values(vec![1.0; 3])),
                ..with(pairwise(
                    &["price", "quality", "speed"],
                    vec![vec![1.0; 3]; 3],
                ))
            },
            "both weights and a pairwise comparison matrix are given",
        ),
    ];
    for (req, needle) in cases {
        let (field, message) = bad(decide(Lang::En, &req).unwrap_err());
        assert_eq!(field, "ahp");
        assert!(message.contains(needle), "{message}");
    }
}

#[test]
fn decide_errors_name_their_field() {
    let cases: Vec<(DecideRequest, &str, &str)> = vec![
        (
            DecideRequest {
                alternatives: vec![],
                matrix: vec![],
                ..small()
            },
            "alternatives",
            "no alternatives",
        ),
        (
            DecideRequest {
                criteria: vec!["p".into(), "p".into(), "s".into()],
                ..small()
            },
            "criteria",
            "'p' is named twice",
        ),
        (
            DecideRequest {
                matrix: vec![vec![1.0, 2.0, 3.0]; 3],
                ..small()
            },
            "matrix",
            "3 rows; expected 4",
        ),
        (
            DecideRequest {
                matrix: vec![
                    vec![1.0, 2.0, 3.0],
                    vec![1.0, 2.0],
                    vec![1.0, 2.0, 3.0],
                    vec![1.0, 2.0, 3.0],
                ],
                ..small()
            },
            "matrix",
            "row 2 ('b') has 2 values; expected 3",
        ),
        (
            DecideRequest {
                matrix: vec![
                    vec![1.0, 2.0, 3.0],
                    vec![1.0, 2.0, f64::NAN],
                    vec![1.0, 2.0, 3.0],
                    vec![1.0, 2.0, 3.0],
                ],
                ..small()
            },
            "matrix",
            "criterion 'speed': NaN is not a finite number",
        ),
        (
            DecideRequest {
                types: Some(vec!["+".into()]),
                ..small()
            },
            "types",
            "1 type given; expected 3",
        ),
        (
            DecideRequest {
                types: Some(vec!["+".into(), "more".into(), "-".into()]),
                ..small()
            },
            "types",
            "'more' (criterion 'quality') is not a type",
        ),
        (
            DecideRequest {
                weights: Some(DecideWeights::Values(vec![0.5, 0.5])),
                ..small()
            },
            "weights",
            "2 weights given; expected 3",
        ),
        (
            DecideRequest {
                weights: Some(DecideWeights::Values(vec![0.5, -0.5, 1.0])),
                ..small()
            },
            "weights",
            "the weight of 'quality' is negative",
        ),
        (
            DecideRequest {
                weights: Some(DecideWeights::Values(vec![0.0, 0.0, 0.0])),
                ..small()
            },
            "weights",
            "the weights sum to 0",
        ),
        (
            DecideRequest {
                method: Some("electre".into()),
                ..small()
            },
            "method",
            "unknown method \"electre\"",
        ),
        (
            DecideRequest {
                method: Some("copras".into()),
                types: Some(vec!["+".into(); 3]),
                ..small()
            },
            "method",
            "COPRAS requires at least one cost criterion",
        ),
        (
            DecideRequest {
                method: Some("wsm".into()),
                matrix: vec![
                    vec![0.0, 2.0, 3.0],
                    vec![1.0, 2.0, 3.0],
                    vec![1.0, 2.0, 3.0],
                    vec![1.0, 2.0, 4.0],
                ],
                ..small()
            },
            "method",
            "another normalisation may accept it, e.g. wsm:norm=minmax",
        ),
        (
            DecideRequest {
                weights: Some(DecideWeights::Method("ahp".into())),
                ..small()
            },
            "weights",
            "give it as ahp",
        ),
    ];
    for (req, field, needle) in cases {
        let (f, message) = bad(decide(Lang::En, &req).unwrap_err());
        assert_eq!(f, field, "{message}");
        assert!(message.contains(needle), "{field}: {message}");
    }
}

#[test]
fn decide_requests_from_json_and_text_forms() {
    let req: DecideRequest = from_json(json!({
        "alternatives": ["a", "b", "c", "d"],
        "criteria": ["price", "quality", "speed"],
        "matrix": [[250, 16, 12], [200, 16, 8], [300, 32, 16], [275, 32, 8]],
        "types": ["-", "benefit", "+"],
        "weights": [0.2, 0.3, 0.5],
        "method": "topsis"
    }));
    assert_eq!(req, small());
    let named: DecideRequest = from_json(json!({
        "alternatives": ["a"], "criteria": ["x"], "matrix": [[1]], "weights": "entropy"
    }));
    assert_eq!(named.weights, Some(DecideWeights::Method("entropy".into())));
    assert!(serde_json::from_value::<DecideRequest>(json!({
        "alternatives": ["a"], "criteria": ["x"], "matrix": [[1]], "weights": {"x": 1}
    }))
    .is_err());
    assert_eq!(
        DecideWeights::parse("0.2, 0.3,0.5").unwrap(),
        DecideWeights::Values(vec![0.2, 0.3, 0.5])
    );
    assert_eq!(
        DecideWeights::parse("critic").unwrap(),
        DecideWeights::Method("critic".into())
    );
    let (field, message) = bad(DecideWeights::parse("0.2,x,0.5").unwrap_err());
    assert_eq!(field, "weights");
    assert!(
        message.starts_with("'x' (item 2) is not a number"),
        "{message}"
    );
    let (_, message) = bad(DecideWeights::parse("0.2,inf").unwrap_err());
    assert!(
        message.contains("'inf' (item 2) is not a finite number"),
        "{message}"
    );
    assert_eq!(request::parse_types("+, -,cost"), ["+", "-", "cost"]);
}

#[test]
fn csv_reads_names_quotes_and_line_ends() {
    let text = "\u{feff}alternative,price,\"quality, %\"\r\n\r\n\"a, the first\",1,2.5\r\nb, 3 ,-4e1\r\n\n";
    let m = LabelledMatrix::parse_csv(text, "m.csv", "matrix", CsvShape::DECISION).unwrap();
    assert_eq!(m.columns, ["price", "quality, %"]);
    assert_eq!(m.rows, ["a, the first", "b"]);
    assert_eq!(m.values, vec![vec![1.0, 2.5], vec![3.0, -40.0]]);
    assert_eq!(m.lines, [3, 4]);
    let r = DecideRequest::from_csv(",x\np,1\nq,2\n", "f.csv").unwrap();
    assert_eq!(r.alternatives, ["p", "q"]);
    assert_eq!(r.criteria, ["x"]);
    assert!(r.types.is_none() && r.weights.is_none() && r.method.is_none());
}

#[test]
fn csv_errors_name_the_file_line_and_column() {
    let cases = [
        ("", "m.csv: the file is empty"),
        ("\n\n", "m.csv: the file is empty"),
        ("alt\n", "m.csv, line 1: the header row has one cell"),
        ("alt;p;q\na;1;2\n", "not semicolons or tabs"),
        ("1,2,3\n4,5,6\n", "m.csv, line 1: the first row holds numbers, not names: the header row is missing"),
        (",p,q\n", "m.csv, line 1: only a header row"),
        (",p,\na,1,2\n", "m.csv, line 1, column 3: the criterion name is empty"),
        (",p,p\na,1,2\n", "m.csv, line 1, column 3: the header names 'p' twice (columns 2 and 3)"),
        (",p,q\na,1,2\nb,3\n", "m.csv, line 3 has 2 cells; expected 3: the alternative name, then 2 values"),
        (",p,q\na,1,2\nb,3,4,5\n", "m.csv, line 3 has 4 cells; expected 3"),
        (",p,q\n\na,1,2\nb,3,x\n", "m.csv, line 4, column 3 (alternative 'b', criterion 'q'): 'x' is not a number"),
        (",p,q\na,1,inf\n", "m.csv, line 2, column 3 (alternative 'a', criterion 'q'): 'inf' is not a finite number"),
        (",p,q\na,NaN,1\n", "line 2, column 2 (alternative 'a', criterion 'p'): 'NaN' is not a finite number"),
        (",p,q\na,,1\n", "line 2, column 2 (alternative 'a', criterion 'p'): the cell is empty"),
        (",p,q\n,1,2\n", "line 2, column 1: the alternative name is empty"),
        (",p,q\na,1,2\na,3,4\n", "line 3, column 1: alternative 'a' is named twice (also line 2)"),
        (",p,q\n\"a,1,2\n", "m.csv, line 2, column 1: a quoted field is not closed by the end of the line"),
        (",p,q\n\"a\"x,1,2\n", "line 2, column 1: text after a closing quote"),
        (",p,q\na\"b,1,2\n", "line 2, column 1: a quote inside an unquoted field"),
        ("\u{feff},p,q\ra,1,2\r", "m.csv, line 1: the header row holds a carriage return not followed by a line feed"),
        (",p,q\na,1,\"2\n", "m.csv, line 2, column 3: a quoted field is not closed"),
    ];
    for (text, needle) in cases {
        let e = LabelledMatrix::parse_csv(text, "m.csv", "matrix", CsvShape::DECISION).unwrap_err();
        let (field, message) = bad(e);
        assert_eq!(field, "matrix");
        assert!(message.contains(needle), "{text:?}: {message}");
    }
    // A quoted cell does not span lines (the shared CSV rules): its quote is not closed on
    // line 2, and the error says so there.
    let e = LabelledMatrix::parse_csv(
        ",p\n\"a\nb\",1\nc,x\n",
        "m.csv",
        "matrix",
        CsvShape::DECISION,
    )
    .unwrap_err();
    assert!(
        bad(e)
            .1
            .contains("line 2, column 1: a quoted field is not closed"),
        "a quoted cell spanning lines"
    );
}

#[test]
fn a_pairwise_csv_has_its_criteria_in_the_same_order_both_ways() {
    let ok = PairwiseRequest::parse_csv(",a,b\na,1,3\nb,0.3333333333333333,1\n", "p.csv").unwrap();
    assert_eq!(
        ok.labels.as_deref(),
        Some(&["a".to_string(), "b".to_string()][..])
    );
    let (field, message) =
        bad(PairwiseRequest::parse_csv(",a,b\nb,1,3\na,1,1\n", "p.csv").unwrap_err());
    assert_eq!(field, "ahp");
    assert!(
        message.contains("p.csv, line 2, column 1: row 1 is 'b' but column 2 of the header is 'a'"),
        "{message}"
    );
    let (_, message) = bad(PairwiseRequest::parse_csv(",a,b\na,1,3\n", "p.csv").unwrap_err());
    assert!(
        message.contains("1 rows of judgements for 2 criteria"),
        "{message}"
    );
    let (_, message) = bad(PairwiseRequest::parse_csv(",a,b\na,1,x\n", "p.csv").unwrap_err());
    assert!(
        message.contains("p.csv, line 2, column 3 (criterion 'a', criterion 'b')"),
        "{message}"
    );
}

/// The edge scenario's fits and weights, from the engine directly.
fn edge_problem(kb: &KnowledgeBase) -> (Vec<String>, DecisionMatrix, Vec<f64>) {
    let s = ScenarioInput::from_scenario(kb.scenario("edge").unwrap())
        .prepare(kb)
        .unwrap();
    let ranking = rank_technologies(kb.chains(), &s, &kb.tables.parameters);
    let ids: Vec<String> = ranking.entries.iter().map(|e| e.id.clone()).collect();
    let m = DecisionMatrix::new(
        ids.clone(),
        stackmatrix_model::Concept::KEYS
            .iter()
            .map(|k| k.to_string())
            .collect(),
        vec![CriterionType::Benefit; 12],
        ranking.entries.iter().map(|e| e.fit.to_vec()).collect(),
    )
    .unwrap();
    let total: f64 = s.weights.iter().sum();
    (ids, m, s.weights.iter().map(|w| w / total).collect())
}

fn method_rank(kb: &KnowledgeBase, v: Value) -> ApiResult<views::MethodRankView> {
    rank_by_method(kb, Lang::En, &from_json(v))
}

#[test]
fn rank_by_method_ranks_the_scenario_matrix_as_the_engine() {
    let kb = kb();
    let (ids, m, w) = edge_problem(&kb);
    for spec in ["topsis", "vikor", "promethee", "edas", "wsm:norm=minmax"] {
        let method = Method::from_name(spec).unwrap();
        let (p, ranks) = method.rank(&m, &w).unwrap();
        let view = method_rank(&kb, json!({"scenario": "edge", "method": spec})).unwrap();
        assert_eq!(view.method, method.to_string());
        assert_eq!(view.higher_is_better, method.higher_is_better());
        assert_eq!(view.ranking.len(), 6);
        for e in &view.ranking {
            let i = ids.iter().position(|id| *id == e.id).unwrap();
            assert_eq!(e.score, p[i], "{spec} {}", e.id);
            assert_eq!(e.rank, ranks[i]);
        }
        assert!(view.ranking.windows(2).all(|x| x[0].rank <= x[1].rank));
        assert!(view.left_out.is_empty());
    }
    let view = method_rank(&kb, json!({"scenario": "edge", "method": "topsis"})).unwrap();
    assert_eq!(view.ranking[0].id, "k3s");
    assert_eq!(view.criteria.len(), 12);
    assert!(view
        .criteria
        .iter()
        .all(|c| c.kind == "benefit" && close(c.weight, 1.0 / 12.0)));
    // The shape of rank, plus method and higher_is_better.
    let v = serde_json::to_value(&view).unwrap();
    let entry = v["ranking"][0].as_object().unwrap();
    for key in ["rank", "tied", "id", "name", "members", "score", "fit"] {
        assert!(entry.contains_key(key), "{key}");
    }
    assert!(!entry.contains_key("memory_mb"));
    assert_eq!(v["scenario"]["id"], "edge");
    assert_eq!(v["method"], "topsis:norm=minmax");
    assert_eq!(v["higher_is_better"], true);
    assert!(v.get("infeasible").is_none());
}

#[test]
fn the_memory_cost_criterion_leaves_out_alternatives_without_a_figure() {
    let kb = kb();
    let view = method_rank(
        &kb,
        json!({"scenario": "edge", "method": "topsis", "cost_criteria": ["memory=3"]}),
    )
    .unwrap();
    let ids: Vec<&str> = view.ranking.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["k3s", "k8s"]);
    let left: Vec<&str> = view.left_out.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(left, ["wasmedge", "opa", "multitenant", "docker"]);
    assert!(view.left_out[0]
        .reason
        .contains("no memory figure for wasmedge"));
    assert_eq!(view.ranking[0].memory_mb, Some(275.0));
    let last = view.criteria.last().unwrap();
    assert_eq!((last.name.as_str(), last.kind), ("memory_mb", "cost"));
    assert!(close(last.weight, 3.0 / 15.0));
    // Stacks: the memory of the members adds up.
    let view = method_rank(
        &kb,
        json!({"scenario": "edge", "method": "copras", "cost_criteria": ["memory"],
               "stacks": [["k3s", "istio"], ["k8s", "linkerd"], ["k3s", "wasmedge"]]}),
    )
    .unwrap();
    let k3s_istio = view.ranking.iter().find(|e| e.id == "k3s+istio").unwrap();
    assert_eq!(k3s_istio.memory_mb, Some(335.0));
    assert_eq!(view.left_out.len(), 1);
    assert_eq!(view.left_out[0].id, "k3s+wasmedge");
    for (criteria, needle) in [
        (json!(["cpu"]), "unknown cost criterion 'cpu'"),
        (json!(["memory", "memory=2"]), "memory is given twice"),
        (json!(["memory=-1"]), "is not a number of 0 or more"),
    ] {
        let e = method_rank(
            &kb,
            json!({"scenario": "edge", "method": "topsis", "cost_criteria": criteria}),
        )
        .unwrap_err();
        let (field, message) = bad(e);
        assert_eq!(field, "cost_criteria");
        assert!(message.contains(needle), "{message}");
    }
    let e = method_rank(
        &kb,
        json!({"scenario": "edge", "method": "topsis", "cost_criteria": ["memory"],
               "stacks": [["wasmedge"], ["opa"]]}),
    )
    .unwrap_err();
    assert!(bad(e).1.contains("every alternative was left out"));
}

#[test]
fn rank_by_method_errors() {
    let kb = kb();
    let (field, message) =
        bad(method_rank(&kb, json!({"scenario": "edge", "method": "electre"})).unwrap_err());
    assert_eq!(field, "method");
    assert!(
        message.contains("expected one of wsm, wpm, topsis"),
        "{message}"
    );
    let (field, message) =
        bad(method_rank(&kb, json!({"scenario": "dev", "method": "wsm"})).unwrap_err());
    assert_eq!(field, "method");
    assert!(message.contains("e.g. wsm:norm=minmax"), "{message}");
    let e = method_rank(&kb, json!({"scenario": "nope", "method": "topsis"})).unwrap_err();
    assert!(matches!(
        e,
        ApiError::NotFound {
            what: "scenario",
            ..
        }
    ));
    let (field, _) = bad(method_rank(
        &kb,
        json!({"scenario": "edge", "method": "topsis", "stacks": [["nope"]]}),
    )
    .unwrap_err());
    assert_eq!(field, "stacks");
    let (field, _) = bad(method_rank(
        &kb,
        json!({"scenario": "edge", "method": "topsis", "weights": {"R": -1}}),
    )
    .unwrap_err());
    assert_eq!(field, "weights");
}

#[test]
fn compare_puts_every_method_side_by_side_with_every_pair() {
    let kb = kb();
    let view = compare(&kb, Lang::En, &from_json(json!({"scenario": "ci"}))).unwrap();
    // COPRAS needs a cost criterion: skipped from the default list, and named.
    assert_eq!(view.methods.len(), 7);
    assert_eq!(view.refused.len(), 1);
    assert!(view.refused[0].method == "copras");
    assert_eq!(view.pairs.len(), 7 * 6 / 2);
    let (ids, _, _) = {
        let s = ScenarioInput::from_scenario(kb.scenario("ci").unwrap())
            .prepare(&kb)
            .unwrap();
        let r = rank_technologies(kb.chains(), &s, &kb.tables.parameters);
        (
            r.entries.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
            (),
            (),
        )
    };
    assert_eq!(view.alternatives.len(), ids.len());
    // Each pair's coefficients are the engine's on the average ranks.
    let average = |k: usize| -> Vec<f64> {
        let ranks: Vec<usize> = view.alternatives.iter().map(|a| a.ranks[k]).collect();
        ranks
            .iter()
            .map(|&r| r as f64 + (ranks.iter().filter(|&&s| s == r).count() as f64 - 1.0) / 2.0)
            .collect()
    };
    let mut p = view.pairs.iter();
    for a in 0..view.methods.len() {
        for b in a + 1..view.methods.len() {
            let pair = p.next().unwrap();
            assert_eq!(pair.first, view.methods[a].method);
            assert_eq!(pair.second, view.methods[b].method);
            let (x, y) = (average(a), average(b));
            assert_eq!(pair.spearman, spearman(&x, &y).ok());
            assert_eq!(pair.kendall_tau, kendall_tau(&x, &y).ok());
            assert_eq!(pair.rank_similarity, rank_similarity(&x, &y).ok());
            assert_eq!(pair.rank_similarity_reversed, rank_similarity(&y, &x).ok());
        }
    }
    // On the edge every method agrees.
    let edge = compare(
        &kb,
        Lang::En,
        &from_json(json!({"scenario": "edge", "methods": ["wsm", "topsis", "vikor", "promethee"]})),
    )
    .unwrap();
    assert!(edge.refused.is_empty());
    assert_eq!(edge.pairs.len(), 6);
    for pair in &edge.pairs {
        assert_eq!(pair.spearman, Some(1.0));
        assert_eq!(pair.kendall_tau, Some(1.0));
        assert_eq!(pair.rank_similarity, Some(1.0));
    }
    assert_eq!(edge.alternatives[0].id, "k3s");
    assert_eq!(edge.alternatives[0].ranks, [1, 1, 1, 1]);
    // With a cost criterion COPRAS can rank.
    let with_cost = compare(
        &kb,
        Lang::En,
        &from_json(json!({"scenario": "edge", "cost_criteria": ["memory"]})),
    )
    .unwrap();
    assert!(with_cost.methods.iter().any(|m| m.name == "copras"));
    assert_eq!(with_cost.left_out.len(), 4);
}

#[test]
fn compare_errors() {
    let kb = kb();
    let run = |v: Value| compare(&kb, Lang::En, &from_json::<CompareRequest>(v));
    for (v, needle) in [
        (
            json!({"scenario": "edge", "methods": []}),
            "no method given",
        ),
        (
            json!({"scenario": "edge", "methods": ["topsis", "topsis:norm=minmax"]}),
            "given twice",
        ),
        (
            json!({"scenario": "edge", "methods": ["wsm", "nope"]}),
            "unknown method \"nope\"",
        ),
        (
            json!({"scenario": "edge", "methods": ["wsm", "copras"]}),
            "copras: COPRAS: every criterion is a benefit",
        ),
        (
            json!({"scenario": "dev", "methods": ["topsis", "waspas"]}),
            "another normalisation may accept it, e.g. waspas:norm=minmax",
        ),
    ] {
        let (field, message) = bad(run(v).unwrap_err());
        assert_eq!(field, "methods");
        assert!(message.contains(needle), "{message}");
    }
}

fn robust(v: Value) -> ApiResult<views::RobustnessView> {
    robustness(&kb(), Lang::En, &from_json::<RobustnessRequest>(v))
}

#[test]
fn robustness_is_the_engine_smaa_with_the_stability_of_the_leader() {
    let kb = kb();
    let view = robust(json!({"scenario": "edge", "samples": 20000, "seed": 7})).unwrap();
    // The engine directly, on the chains in the ranking's order.
    let s = ScenarioInput::from_scenario(kb.scenario("edge").unwrap())
        .prepare(&kb)
        .unwrap();
    let ranking = rank_technologies(kb.chains(), &s, &kb.tables.parameters);
    let alts: Vec<SmaaAlternative> = ranking
        .entries
        .iter()
        .map(|e| {
            SmaaAlternative::from_technology(
                kb.technology(&e.id).unwrap(),
                s.time_mode(),
                &kb.tables.parameters,
            )
            .unwrap()
        })
        .collect();
    let r = smaa_rank(
        &alts,
        &s.vector,
        &Spread::default(),
        &SmaaOptions::new(20000, 7),
        &|_| {},
    )
    .unwrap();
    assert_eq!(view.samples, 20000);
    assert_eq!(view.seed, 7);
    for (i, a) in view.alternatives.iter().enumerate() {
        assert_eq!(a.id, r.ids[i]);
        let expected: Vec<f64> = r.acceptability[i].iter().map(|b| 100.0 * b).collect();
        assert_eq!(a.acceptability_percent, expected);
        assert_eq!(a.confidence_percent, r.confidence[i].map(|c| 100.0 * c));
        assert_eq!(a.rank, ranking.entries[i].rank);
        assert!(close(
            a.standard_error_percent[0],
            100.0 * r.standard_error(i, 0)
        ));
    }
    // Every row and every column sums to 100.
    let n = view.alternatives.len();
    for a in &view.alternatives {
        assert!((a.acceptability_percent.iter().sum::<f64>() - 100.0).abs() < 1e-9);
    }
    for rank in 0..n {
        let col: f64 = view
            .alternatives
            .iter()
            .map(|a| a.acceptability_percent[rank])
            .sum();
        assert!((col - 100.0).abs() < 1e-9);
    }
    let s_view = &view.summary;
    assert_eq!(s_view.most_likely_first.id, "k3s");
    assert_eq!(s_view.runner_up.as_ref().unwrap().id, "wasmedge");
    assert_eq!(s_view.of, 6);
    assert!(
        s_view.text.starts_with("K3s is first in "),
        "{}",
        s_view.text
    );
    assert!(s_view.text.contains("% of cases (±"), "{}", s_view.text);
    assert!(s_view.text.contains("; WasmEdge in "), "{}", s_view.text);
    // Weight stability: Θ can grow to 2 before WasmEdge overtakes.
    let ws = ranking_weight_stability(&ranking).unwrap();
    assert_eq!(view.stability.leader, "k3s");
    let theta = &view.stability.intervals[11];
    assert_eq!(theta.concept, "Theta");
    assert_eq!(theta.hi, Some(ws.intervals[11].hi));
    assert!((theta.hi.unwrap() - 2.0).abs() < 1e-6);
    assert_eq!(theta.above.as_deref(), Some("wasmedge"));
    assert_eq!(theta.below, None);
    assert_eq!(
        theta.text,
        "Θ (now 1) can move from 0 to 2 before WasmEdge (above 2) overtakes K3s."
    );
    let i = &view.stability.intervals[0];
    assert_eq!(i.hi, None, "I can grow without limit");
    assert_eq!(i.text, "I (now 1) can take any value: K3s stays first.");
    let v = serde_json::to_value(&view).unwrap();
    assert!(v["stability"]["intervals"][0]["hi"].is_null());
    assert_eq!(
        v["weights_model"],
        json!({"model": "uniform", "concentration": null, "weights": null})
    );
}

#[test]
fn robustness_is_deterministic_and_says_it_in_chinese_too() {
    let a = serde_json::to_string(&robust(json!({"scenario": "hybrid", "samples": 5000})).unwrap())
        .unwrap();
    let b = serde_json::to_string(&robust(json!({"scenario": "hybrid", "samples": 5000})).unwrap())
        .unwrap();
    assert_eq!(a, b);
    let c = serde_json::to_string(
        &robust(json!({"scenario": "hybrid", "samples": 5000, "seed": 2})).unwrap(),
    )
    .unwrap();
    assert_ne!(a, c, "another seed draws other samples");
    let zh = robustness(
        &kb(),
        Lang::Zh,
        &from_json(json!({"scenario": "hybrid", "samples": 5000})),
    )
    .unwrap();
    assert!(
        zh.summary.text.starts_with("多租户平台 在 "),
        "{}",
        zh.summary.text
    );
    assert!(
        zh.summary.text.contains("的情况下排名第一（±"),
        "{}",
        zh.summary.text
    );
    let r = &zh.stability.intervals[3];
    assert_eq!(r.concept, "R");
    assert!(r.text.contains("高于 9.8 时 WasmEdge"), "{}", r.text);
}

#[test]
fn robustness_weight_models_and_stacks() {
    // No spread and fixed weights: the deterministic ranking, with certainty.
    let view = robust(json!({
        "scenario": "edge", "samples": 100, "weights_model": "fixed",
        "spread_published": 0, "spread_estimated": 0, "spread_measured": 0
    }))
    .unwrap();
    for (i, a) in view.alternatives.iter().enumerate() {
        assert_eq!(a.acceptability_percent[i], 100.0, "{}", a.id);
    }
    assert_eq!(view.weights_model.model, "fixed");
    let around = robust(json!({
        "scenario": "edge", "samples": 2000, "weights_model": "around", "weights": {"Theta": 3}
    }))
    .unwrap();
    assert_eq!(around.weights_model.concentration, Some(30.0));
    let w = around.weights_model.weights.as_ref().unwrap();
    assert!(close(w.0[11], 3.0 / 14.0));
    let stacks = robust(json!({
        "scenario": "edge", "samples": 2000,
        "stacks": [["k3s", "opa-wasm"], ["wasmedge", "opa-wasm"], ["k8s", "wasmedge"], ["k3s"]]
    }))
    .unwrap();
    assert_eq!(
        stacks.alternatives.len() + stacks.infeasible.as_ref().unwrap().len(),
        4
    );
    assert!(
        stacks.summary.text.contains(" stacks rank first"),
        "{}",
        stacks.summary.text
    );
}

#[test]
fn robustness_errors_name_their_field() {
    for (v, field, needle) in [
        (
            json!({"scenario": "edge", "samples": 0}),
            "samples",
            "expected 1 to 100000000",
        ),
        (
            json!({"scenario": "edge", "samples": 100000001u64}),
            "samples",
            "expected 1 to",
        ),
        (
            json!({"scenario": "edge", "spread_estimated": -0.1}),
            "spread_estimated",
            "is not a spread",
        ),
        (
            json!({"scenario": "edge", "spread_published": 1.5}),
            "spread_published",
            "from 0 to 1",
        ),
        (
            json!({"scenario": "edge", "weights_model": "normal"}),
            "weights_model",
            "expected uniform, around or fixed",
        ),
        (
            json!({"scenario": "edge", "concentration": 5}),
            "concentration",
            "only with the weights model around",
        ),
        (
            json!({"scenario": "edge", "weights_model": "around", "concentration": 0}),
            "concentration",
            "positive number",
        ),
        (
            json!({"scenario": "edge", "stacks": [["k8s", "k3s"]]}),
            "stacks",
            "none of the named stacks",
        ),
        (
            json!({"scenario": "edge", "stacks": [["nope"]]}),
            "stacks",
            "unknown technology 'nope'",
        ),
        (
            json!({"scenario": "edge", "weights": {"R": -1}}),
            "weights",
            "negative",
        ),
    ] {
        let (f, message) = bad(robust(v.clone()).unwrap_err());
        assert_eq!(f, field, "{v}: {message}");
        assert!(message.contains(needle), "{v}: {message}");
    }
    let e = robust(json!({"scenario": "nope"})).unwrap_err();
    assert!(matches!(
        e,
        ApiError::NotFound {
            what: "scenario",
            ..
        }
    ));
    // The request's defaults are the documented ones.
    let r: RobustnessRequest = from_json(json!({"scenario": "edge"}));
    assert_eq!(
        (
            r.samples,
            r.seed,
            r.spread_published,
            r.spread_estimated,
            r.spread_measured
        ),
        (100_000, 1, 0.05, 0.15, 0.05)
    );
    assert_eq!(
        r,
        RobustnessRequest {
            scenario: ScenarioRequest::scenario("edge"),
            ..Default::default()
        }
    );
}

#[test]
fn progress_counts_up_to_both_passes() {
    use std::sync::Mutex;
    let seen = Mutex::new(Vec::new());
    let req: RobustnessRequest = from_json(json!({"scenario": "edge", "samples": 10000}));
    robustness_with_progress(&kb(), Lang::En, &req, &|done, total| {
        seen.lock().unwrap().push((done, total));
    })
    .unwrap();
    let seen = seen.into_inner().unwrap();
    assert!(!seen.is_empty());
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(*seen.last().unwrap(), (20000, 20000));
}

#[test]
fn a_method_rank_request_needs_a_method() {
    assert!(serde_json::from_value::<MethodRankRequest>(json!({"scenario": "edge"})).is_err());
}
