//! The request readers' tests: field names, error paths, query forms.
use super::*;
use axum::http::HeaderValue;

fn json_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h
}

/// The field lists are the request types' own fields: a field added to a request must be
/// added here too, or the server would refuse it.
/// The member lists come from the types' derived schemas; they must be exactly the members
/// serde writes (and reads), flattened parts included, for every request a route takes.
#[test]
fn derived_fields_are_the_members_serde_reads() {
    fn check<T: serde::Serialize + Default + JsonSchema>() {
        let value = serde_json::to_value(T::default()).unwrap();
        let mut keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut fields = fields_of::<T>().to_vec();
        keys.sort();
        fields.sort();
        assert_eq!(fields, keys, "{}", T::schema_name());
    }
    check::<RankRequest>();
    check::<MethodRankRequest>();
    check::<ExplainRequest>();
    check::<RecommendRequest>();
    check::<MigrateRequest>();
    check::<AdaptRequest>();
    check::<CompareRequest>();
    check::<RobustnessRequest>();
    check::<DecideRequest>();
    check::<stackmatrix_api::DepsRequest>();
    check::<stackmatrix_api::OpsRequest>();
    check::<stackmatrix_api::RiskRequest>();
    check::<stackmatrix_api::CostRequest>();
    check::<stackmatrix_api::FleetRequest>();
    check::<stackmatrix_api::LearnRequest>();
    check::<stackmatrix_api::CalibrateRequest>();
}

#[test]
fn rank_bodies_choose_their_kind_by_method() {
    let h = json_headers();
    let plain = rank_body(&h, br#"{"scenario": "edge", "explain": true}"#).unwrap();
    assert!(
        matches!(plain, RankQuery::Score { ref req, cost_criteria_given: false } if req.explain)
    );
    let method = rank_body(
        &h,
        br#"{"scenario": "edge", "method": "topsis", "cost_criteria": ["memory=2"]}"#,
    )
    .unwrap();
    let RankQuery::Method { req, explain_given } = method else {
        panic!("a method request")
    };
    assert!(!explain_given);
    assert_eq!(
        (req.method.as_str(), req.cost_criteria.len()),
        ("topsis", 1)
    );
    // The field that is wrong is named, whichever kind.
    let e = rank_body(&h, br#"{"scenario": "edge", "method": 5}"#).unwrap_err();
    assert_eq!(e.body["field"], "method");
    let e = rank_body(
        &h,
        br#"{"method": "topsis", "weights": "x", "scenario": "edge"}"#,
    )
    .unwrap_err();
    assert_eq!(e.body["field"], "weights");
    let e = rank_body(&h, br#"{"method": "topsis", "cost_criteria": "memory"}"#).unwrap_err();
    assert_eq!(e.body["field"], "cost_criteria");
    // The other kind's fields are refused by name.
    let limits = Limits::default();
    let both = rank_body(
        &h,
        br#"{"scenario": "edge", "method": "wsm", "explain": true}"#,
    )
    .unwrap();
    assert_eq!(both.check(&limits).unwrap_err().body["field"], "explain");
    let cost = rank_body(&h, br#"{"scenario": "edge", "cost_criteria": ["memory"]}"#).unwrap();
    assert_eq!(
        cost.check(&limits).unwrap_err().body["field"],
        "cost_criteria"
    );
    // The per-member search reads the same way.
    let q: RankQuery = serde_json::from_str(r#"{"scenario": "edge", "method": "wsm"}"#).unwrap();
    assert!(matches!(q, RankQuery::Method { .. }));
}

#[test]
fn a_missing_field_is_named() {
    let h = json_headers();
    let e = json_body::<DecideRequest>(
        &h,
        br#"{"alternatives": ["a", "b"], "criteria": ["x"]}"#,
        fields_of::<DecideRequest>(),
    )
    .unwrap_err();
    assert_eq!(e.body["field"], "matrix");
}

#[test]
fn stacks_read_as_on_the_command_line() {
    assert_eq!(
        stack_specs("k8s+istio,k3s"),
        vec![vec!["k8s", "istio"], vec!["k3s"]]
    );
    // A raw + in a query string arrives as a space.
    assert_eq!(stack_specs("k8s istio, k3s"), stack_specs("k8s+istio,k3s"));
    assert_eq!(stack_specs("k8s,,k3s")[1], Vec::<String>::new());
    assert_eq!(stack_specs("k8s+"), vec![vec!["k8s", ""]]);
}

#[test]
fn queries_refuse_unknown_and_repeated_parameters() {
    let q = Query::parse(Some("scenaro=edge"), fields_of::<ScenarioRequest>()).unwrap_err();
    assert_eq!(q.body["field"], "scenaro");
    let q = Query::parse(
        Some("scenario=edge&scenario=dev"),
        fields_of::<ScenarioRequest>(),
    )
    .unwrap();
    assert_eq!(q.one("scenario").unwrap_err().body["field"], "scenario");
    let q = Query::parse(
        Some("require=gpu,offline&require=wasm,"),
        fields_of::<RecommendRequest>(),
    )
    .unwrap();
    assert_eq!(q.list("require"), ["gpu", "offline", "wasm"]);
    let q = Query::parse(
        Some("vector=edge%3D1,prod=0.5&explain"),
        fields_of::<RankRequest>(),
    )
    .unwrap();
    let r = q.rank().unwrap();
    assert!(r.explain);
    assert_eq!(
        r.scenario.vector.unwrap().resolve().unwrap(),
        [0.0, 0.0, 0.5, 1.0, 0.0, 0.0]
    );
}

#[test]
fn bodies_name_the_field_that_is_wrong() {
    let h = json_headers();
    let rank = fields_of::<RankRequest>();
    let e = json_body::<RankRequest>(&h, br#"{"scenario": "edge", "explain": "yes"}"#, rank)
        .unwrap_err();
    assert_eq!(e.body["field"], "explain");
    let e = json_body::<RankRequest>(&h, br#"{"scenario": "edge""#, rank).unwrap_err();
    assert_eq!(e.body["field"], "body");
    assert!(e.body["message"]
        .as_str()
        .unwrap()
        .starts_with("malformed JSON"));
    let e = json_body::<RankRequest>(&h, b"[1, 2]", rank).unwrap_err();
    assert!(e.body["message"]
        .as_str()
        .unwrap()
        .starts_with("expected a JSON object"));
    let e = json_body::<RankRequest>(&h, br#"{"scenaro": "edge"}"#, rank).unwrap_err();
    assert_eq!(e.body["field"], "scenaro");
    let e = json_body::<RankRequest>(&h, br#"{"vector": "edge"}"#, rank).unwrap_err();
    assert_eq!(e.body["field"], "vector");
    let e = json_body::<RecommendRequest>(
        &h,
        br#"{"scenario": "edge", "max_size": -1}"#,
        fields_of::<RecommendRequest>(),
    )
    .unwrap_err();
    assert_eq!(e.body["field"], "max_size");
    let ok: RankRequest = json_body(&h, br#"{"scenario": "edge"}"#, rank).unwrap();
    assert_eq!(ok.scenario.scenario.as_deref(), Some("edge"));
    let e = json_body::<RankRequest>(&HeaderMap::new(), b"{}", rank).unwrap_err();
    assert_eq!(e.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}
