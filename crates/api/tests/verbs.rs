//! The verbs end to end on the built-in knowledge base: requests from JSON, views out, and
//! every kind of error with its field, HTTP status and exit code.

use serde_json::{json, Value};
use stackmatrix_api::request::{
    ExplainRequest, RankRequest, RecommendRequest, ScenarioRequest, SceneVector, ShowRequest,
};
use stackmatrix_api::*;
use stackmatrix_model::{KnowledgeBase, Lang};

fn kb() -> KnowledgeBase {
    stackmatrix_model::builtin().expect("the built-in knowledge base loads")
}

fn from_json<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("the request deserialises")
}

/// Field, HTTP status and exit code of a bad input.
fn bad_input(e: ApiError) -> (&'static str, u16, i32) {
    let (status, code) = (e.http_status(), e.exit_code());
    match e {
        ApiError::BadInput { field, .. } => (field, status, code),
        other => panic!("not bad input: {other:?}"),
    }
}

#[test]
fn statuses_and_exit_codes() {
    let bad = ApiError::bad_input("vector", "x");
    let missing = ApiError::NotFound {
        what: "scenario",
        id: "nope".into(),
        known: vec!["edge".into()],
    };
    let failure = ApiError::failure("cannot");
    assert_eq!((bad.http_status(), bad.exit_code()), (400, 2));
    assert_eq!((missing.http_status(), missing.exit_code()), (404, 2));
    assert_eq!((failure.http_status(), failure.exit_code()), (500, 1));
    assert_eq!(bad.to_string(), "vector: x");
    assert_eq!(bad.message(), "x");
    assert_eq!(
        missing.to_string(),
        "unknown scenario 'nope'; expected one of: edge"
    );
    assert_eq!(failure.to_string(), "cannot");
}

#[test]
fn errors_serialise_for_a_json_body() {
    let bad = serde_json::to_value(ApiError::bad_input("max_size", "0 allows no member")).unwrap();
    assert_eq!(
        bad,
        json!({"error": "bad_input", "field": "max_size", "message": "0 allows no member"})
    );
    let missing = serde_json::to_value(ApiError::NotFound {
        what: "case",
        id: "x".into(),
        known: vec!["a".into(), "b".into()],
    })
    .unwrap();
    assert_eq!(missing["error"], "not_found");
    assert_eq!(
        missing["message"],
        "unknown case 'x'; expected one of: a, b"
    );
    assert_eq!(missing["known"], json!(["a", "b"]));
    let failure = serde_json::to_value(ApiError::failure("boom")).unwrap();
    assert_eq!(failure, json!({"error": "failure", "message": "boom"}));
}

#[test]
fn a_request_from_json_answers_as_the_same_request_from_flags() {
    let kb = kb();
    let from_body: RankRequest = from_json(json!({
        "vector": {"edge": 1, "serverless": 1},
        "weights": {"R": 2},
        "time": "blend",
        "explain": true
    }));
    let from_flags = RankRequest {
        scenario: ScenarioRequest {
            scenario: None,
            vector: Some(SceneVector::parse_list("0,0,0,1,1,0").unwrap()),
            weights: Some(request::ConceptWeights::parse_list("1,1,1,2,1,1,1,1,1,1,1,1").unwrap()),
            time: Some("blend".into()),
        },
        explain: true,
        stacks: None,
    };
    let a = serde_json::to_string(&rank(&kb, Lang::En, &from_body).unwrap()).unwrap();
    let b = serde_json::to_string(&rank(&kb, Lang::En, &from_flags).unwrap()).unwrap();
    assert_eq!(a, b);
    let view = rank(&kb, Lang::En, &from_body).unwrap();
    assert!(view.scenario.normalised);
    assert_eq!(view.scenario.vector, [0.0, 0.0, 0.0, 0.5, 0.5, 0.0]);
    assert_eq!(view.scenario.time, "blend");
    assert!(view.explanation.is_some());
    assert!(view.infeasible.is_none());
}

#[test]
fn the_scenario_as_scored() {
    let kb = kb();
    let s = scenario(&kb, Lang::Zh, &ScenarioRequest::scenario("edge")).unwrap();
    assert_eq!(s.id.as_deref(), Some("edge"));
    assert!(!s.normalised);
    let e = scenario(&kb, Lang::En, &ScenarioRequest::default()).unwrap_err();
    assert_eq!(bad_input(e), ("scenario", 400, 2));
    let both = ScenarioRequest {
        vector: Some(SceneVector::Values(vec![0.0, 0.0, 0.0, 1.0, 0.0, 0.0])),
        ..ScenarioRequest::scenario("edge")
    };
    assert_eq!(
        bad_input(scenario(&kb, Lang::En, &both).unwrap_err()).0,
        "vector"
    );
}

#[test]
fn scenario_problems_name_the_field_they_came_from() {
    let kb = kb();
    let rank_json = |v: Value| rank(&kb, Lang::En, &from_json(v)).unwrap_err();
    let e = rank_json(json!({"scenario": "nope"}));
    assert_eq!((e.http_status(), e.exit_code()), (404, 2));
    assert!(
        matches!(&e, ApiError::NotFound { what: "scenario", known, .. } if known.contains(&"hybrid".to_string()))
    );
    assert_eq!(
        bad_input(rank_json(json!({"vector": [0, 0, 0, 0, 0, 0]}))).0,
        "vector"
    );
    assert_eq!(
        bad_input(rank_json(json!({"vector": [0, 0, -1, 1, 0, 0]}))).0,
        "vector"
    );
    assert_eq!(
        bad_input(rank_json(json!({"scenario": "edge", "weights": {"R": -1}}))).0,
        "weights"
    );
    assert_eq!(
        bad_input(rank_json(json!({"vector": [1e308, 1e308, 0, 0, 0, 0]}))).0,
        "vector"
    );
    assert_eq!(
        bad_input(rank_json(json!({"scenario": "edge", "time": "later"}))).0,
        "time"
    );
}

#[test]
fn named_stacks_are_ranked_and_bad_ones_refused() {
    let kb = kb();
    let req: RankRequest = from_json(
        json!({"scenario": "edge", "stacks": [["k8s", "istio"], ["k3s"]], "explain": true}),
    );
    let view = rank(&kb, Lang::En, &req).unwrap();
    let ids: Vec<&str> = view.ranking.iter().map(|e| e.id.as_str()).collect();
    assert!(ids.contains(&"k3s"));
    assert!(view.explanation.is_none(), "explain is ignored with stacks");
    assert!(view.infeasible.is_some());
    for stacks in [
        json!([[]]),
        json!([["k8s", "nope"]]),
        json!([["k3s"], ["k3s"]]),
    ] {
        let req: RankRequest = from_json(json!({"scenario": "edge", "stacks": stacks}));
        assert_eq!(
            bad_input(rank(&kb, Lang::En, &req).unwrap_err()),
            ("stacks", 400, 2)
        );
    }
}

#[test]
fn explain_errors() {
    let kb = kb();
    let req = |tech: &str| ExplainRequest {
        scenario: ScenarioRequest::scenario("edge"),
        tech: Some(tech.into()),
    };
    let e = explain(&kb, Lang::En, &req("nope")).unwrap_err();
    assert!(matches!(
        e,
        ApiError::NotFound {
            what: "technology",
            ..
        }
    ));
    assert_eq!(e.http_status(), 404);
    assert_eq!(
        bad_input(explain(&kb, Lang::En, &req("istio")).unwrap_err()),
        ("tech", 400, 2)
    );
    let view = explain(&kb, Lang::En, &req("k8s")).unwrap();
    assert_eq!(view.tech.id, "k8s");
    assert_eq!(view.concepts.len(), 12);
}

#[test]
fn recommend_errors_name_their_field() {
    let kb = kb();
    let rec = |v: Value| recommend(&kb, Lang::En, &from_json(v)).unwrap_err();
    assert_eq!(
        bad_input(rec(json!({"scenario": "edge", "max_size": 0}))).0,
        "max_size"
    );
    assert_eq!(
        bad_input(rec(json!({"scenario": "edge", "budget_mb": -1}))).0,
        "budget_mb"
    );
    assert_eq!(
        bad_input(rec(json!({"scenario": "edge", "require": ["teleport"]}))).0,
        "require"
    );
    let e = rec(json!({"scenario": "edge", "include": ["nope"]}));
    assert!(matches!(
        e,
        ApiError::NotFound {
            what: "technology",
            ..
        }
    ));
    assert_eq!(
        bad_input(rec(
            json!({"scenario": "edge", "include": ["k8s"], "exclude": ["k8s"]})
        ))
        .0,
        "include"
    );
}

#[test]
fn recommend_merges_the_scenario_requirements_with_the_request() {
    let kb = kb();
    let req = RecommendRequest {
        scenario: ScenarioRequest::scenario("ai-inference"),
        require: vec!["gpu".into(), "wasm".into()],
        alternatives: 0,
        ..RecommendRequest::default()
    };
    let view = recommend(&kb, Lang::En, &req).unwrap();
    let require = &view.constraints.require;
    // The scenario's capabilities first, then the request's not already there, once each.
    assert_eq!(require.iter().filter(|r| *r == "gpu").count(), 1);
    assert!(require.contains(&"wasm".to_string()));
    assert_eq!(
        view.constraints.alternatives, 1,
        "at least one stack is answered"
    );
    assert!(view.stack.is_some());
    let hybrid = recommend(
        &kb,
        Lang::En,
        &RecommendRequest {
            scenario: ScenarioRequest::scenario("hybrid"),
            ..RecommendRequest::default()
        },
    )
    .unwrap();
    assert!(hybrid.environments.is_some(), "hybrid spans environments");
    assert!(hybrid.search.is_none());
}

#[test]
fn list_show_cases_and_audit() {
    let kb = kb();
    assert_eq!(list_techs(&kb, Lang::En).len(), kb.technologies.len());
    assert_eq!(list_scenarios(&kb, Lang::En).len(), kb.scenarios.len());
    assert_eq!(list_concepts(&kb, Lang::Zh).len(), 12);
    assert_eq!(list_scenes(&kb, Lang::En).len(), 6);

    let show = |tech: &str, time: Option<&str>| {
        show_tech(
            &kb,
            Lang::En,
            &ShowRequest {
                tech: tech.into(),
                time: time.map(String::from),
            },
        )
    };
    let k8s = show("k8s", None).unwrap();
    assert_eq!((k8s.time, k8s.rows.len()), ("static", 12));
    assert_eq!(show("k8s", Some("blend")).unwrap().time, "blend");
    let e = show("nope", None).unwrap_err();
    assert!(matches!(
        e,
        ApiError::NotFound {
            what: "technology",
            ..
        }
    ));
    assert_eq!(bad_input(show("k8s", Some("later")).unwrap_err()).0, "time");

    let cases = list_cases(&kb, Lang::En);
    assert_eq!(cases.len(), kb.cases.len());
    let first = &cases[0].id;
    assert_eq!(&show_case(&kb, Lang::En, first).unwrap().id, first);
    let e = show_case(&kb, Lang::En, "nope").unwrap_err();
    assert!(matches!(e, ApiError::NotFound { what: "case", .. }));
    assert_eq!(e.http_status(), 404);
    assert_eq!(validate_cases(&kb, Lang::En, Some(first)).unwrap().len(), 1);
    assert_eq!(
        validate_cases(&kb, Lang::En, None).unwrap().len(),
        cases.len()
    );
    assert!(validate_cases(&kb, Lang::En, Some("nope")).is_err());

    let audit = audit(&kb, Lang::En).unwrap();
    assert_eq!(audit.cases.len(), cases.len());
    let v = &audit.verdicts;
    let counted =
        v.maturity_agrees + v.maturity_model_lower + v.maturity_model_higher + v.maturity_no_data;
    let claimed: usize = audit.cases.iter().map(|c| c.maturity.len()).sum();
    assert_eq!(counted, claimed);
    assert!(audit.summary.contains("scenarios audited"));
}
