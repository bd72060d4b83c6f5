//! The HTTP API end to end: every route with a good request (status, content type, the answer
//! checked against the OpenAPI schema and equal to the api's view), every class of error as
//! JSON, the limits, metrics, the OpenAPI document against the router, and a real listener
//! under 200 concurrent requests and a graceful shutdown.

use axum::body::{to_bytes, Body, Bytes};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use stackmatrix_api::request::{
    CompareRequest, DecideRequest, ExplainRequest, MethodRankRequest, RankRequest,
    RecommendRequest, RobustnessRequest, ScenarioRequest, SceneVector, ShowRequest,
};
use stackmatrix_api::MigrateRequest;
use stackmatrix_model::{KnowledgeBase, Lang};
use stackmatrix_server::{route_table, router, router_with, AppState, Limits};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

fn kb() -> Arc<KnowledgeBase> {
    static KB: OnceLock<Arc<KnowledgeBase>> = OnceLock::new();
    KB.get_or_init(|| Arc::new(stackmatrix_model::builtin().expect("the knowledge base loads")))
        .clone()
}

fn app() -> Router {
    router(AppState::new(kb()))
}

/// An answer: status, headers, body.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }

    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let response = app.clone().oneshot(req).await.expect("infallible");
    let (parts, body) = response.into_parts();
    let body = to_bytes(body, usize::MAX).await.expect("the body reads");
    Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

async fn get_from(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post_to(app: &Router, uri: &str, body: impl Into<Body>) -> Reply {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap();
    send(app, req).await
}

/// A JSON answer with this status.
fn expect_json(reply: &Reply, status: StatusCode, what: &str) -> Value {
    assert_eq!(reply.status, status, "{what}: {}", reply.text());
    assert_eq!(reply.content_type(), "application/json", "{what}");
    reply.json()
}

/// An error answer: status, JSON, `error` kind and (when given) `field`; returns the body.
fn expect_error(reply: &Reply, status: StatusCode, kind: &str, field: Option<&str>) -> Value {
    let body = expect_json(reply, status, kind);
    assert_eq!(body["error"], kind, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    if let Some(field) = field {
        assert_eq!(body["field"], field, "{body}");
    }
    body
}

/// The view serialised as the server writes it: the answer must be these very bytes.
fn view<T: serde::Serialize>(v: T) -> Vec<u8> {
    serde_json::to_vec(&v).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Schema checking against the OpenAPI document.

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("unexpected $ref {r}"));
            let target = &doc["components"]["schemas"][name];
            assert!(!target.is_null(), "$ref {r} does not resolve");
            resolve(doc, target)
        }
        None => schema,
    }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_u64() || v.is_i64(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        other => panic!("unknown type {other}"),
    }
}

/// Checks `value` against `schema`: types, enums, array lengths, required members and no
/// undocumented members.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    for key in ["anyOf", "oneOf"] {
        if let Some(alternatives) = schema.get(key).and_then(Value::as_array) {
            let errors: Vec<String> = alternatives
                .iter()
                .filter_map(|a| check(doc, a, value, at).err())
                .collect();
            return if errors.len() < alternatives.len() {
                Ok(())
            } else {
                Err(format!(
                    "{at}: no alternative matches: {}",
                    errors.join(" | ")
                ))
            };
        }
    }
    if let Some(t) = schema.get("type") {
        let ok = match t {
            Value::String(t) => type_matches(t, value),
            Value::Array(ts) => ts.iter().any(|t| type_matches(t.as_str().unwrap(), value)),
            _ => panic!("bad type {t}"),
        };
        if !ok {
            return Err(format!("{at}: expected {t}, got {value}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(value) {
            return Err(format!("{at}: {value} is not one of {e:?}"));
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < min {
                return Err(format!("{at}: fewer than {min} items"));
            }
        }
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
            if (items.len() as u64) > max {
                return Err(format!("{at}: more than {max} items"));
            }
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                check(doc, item_schema, item, &format!("{at}[{i}]"))?;
            }
        }
    }
    if let Some(members) = value.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap();
            if !members.contains_key(r) {
                return Err(format!("{at}: required member '{r}' is missing"));
            }
        }
        for (k, v) in members {
            match props.and_then(|p| p.get(k)) {
                Some(s) => check(doc, s, v, &format!("{at}.{k}"))?,
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        return Err(format!("{at}: member '{k}' is not documented"))
                    }
                    Some(s @ Value::Object(_)) => check(doc, s, v, &format!("{at}.{k}"))?,
                    _ => {}
                },
            }
        }
    }
    Ok(())
}

/// The OpenAPI path of a route template (`/assets/{*path}` is `/assets/{path}`).
fn openapi_path(template: &str) -> String {
    template.replace("{*", "{")
}

/// The template a request path matches, among the route table's.
fn template_of(path: &str) -> &'static str {
    let segments: Vec<&str> = path.split('/').collect();
    let matches = |t: &str| {
        let ts: Vec<&str> = t.split('/').collect();
        if t.contains("{*") {
            return path.starts_with(t.split("{*").next().unwrap());
        }
        ts.len() == segments.len()
            && ts
                .iter()
                .zip(&segments)
                .all(|(t, s)| t == s || t.starts_with('{'))
    };
    let mut candidates: Vec<&'static str> = route_table()
        .into_iter()
        .map(|(_, t)| t)
        .filter(|t| matches(t))
        .collect();
    // Static segments win over parameters, as in the router.
    candidates.sort_by_key(|t| t.matches('{').count());
    candidates
        .first()
        .copied()
        .unwrap_or_else(|| panic!("no route for {path}"))
}

/// Checks a 200 answer against the document's schema for that route and method.
fn check_against_document(doc: &Value, method: &str, uri: &str, reply: &Reply) {
    let path = uri.split('?').next().unwrap();
    let template = openapi_path(template_of(path));
    let op = &doc["paths"][&template][method.to_ascii_lowercase()];
    assert!(op.is_object(), "{method} {template} is not in the document");
    let content = &op["responses"]["200"]["content"];
    if let Some(schema) = content.get("application/json").map(|c| &c["schema"]) {
        assert_eq!(reply.content_type(), "application/json", "{method} {uri}");
        if let Err(e) = check(doc, schema, &reply.json(), "$") {
            panic!("{method} {uri}: the answer does not match the document: {e}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Good requests.

const RANK_EDGE_BODY: &str = r#"{"scenario": "edge", "explain": true}"#;

/// A decision matrix of one's own: three alternatives by three criteria, cost second.
const DECIDE_BODY: &str = r#"{
    "alternatives": ["a1", "a2", "a3"],
    "criteria": ["price", "speed", "quality"],
    "matrix": [[250, 16, 12], [200, 16, 8], [300, 32, 16]],
    "types": ["-", "+", "+"],
    "weights": [0.3, 0.3, 0.4],
    "method": "topsis"
}"#;

/// The same matrix with AHP weights from a consistent pairwise comparison matrix.
const DECIDE_AHP_BODY: &str = r#"{
    "alternatives": ["a1", "a2", "a3"],
    "criteria": ["price", "speed", "quality"],
    "matrix": [[250, 16, 12], [200, 16, 8], [300, 32, 16]],
    "types": ["cost", "benefit", "benefit"],
    "ahp": {"matrix": [[1, 3, 5], [0.3333333333333333, 1, 2], [0.2, 0.5, 1]]},
    "method": "vikor:v=0.3"
}"#;

/// Few samples: the tests run unoptimised.
const ROBUSTNESS_BODY: &str = r#"{"scenario": "edge", "samples": 3000, "seed": 7}"#;

/// Every route, with a good request: `(method, uri, body, content type)`.
pub(crate) fn good_requests() -> Vec<(Method, String, Option<String>, &'static str)> {
    let asset = stackmatrix_server::asset_paths()
        .into_iter()
        .find(|p| p != "index.html")
        .unwrap_or_else(|| "index.html".into());
    let asset_type = stackmatrix_server::asset_content_type(&asset);
    let g = |uri: &str, ct: &'static str| (Method::GET, uri.to_string(), None, ct);
    let p = |uri: &str, body: &str| {
        (
            Method::POST,
            uri.to_string(),
            Some(body.to_string()),
            "application/json",
        )
    };
    let j = "application/json";
    vec![
        g("/", "text/html; charset=utf-8"),
        (Method::GET, format!("/assets/{asset}"), None, asset_type),
        g("/healthz", j),
        g("/metrics", "text/plain; version=0.0.4; charset=utf-8"),
        g("/openapi.json", j),
        g("/v1/techs", j),
        g("/v1/techs?lang=zh", j),
        g("/v1/techs/k3s", j),
        g("/v1/techs/istio?time=blend", j),
        g("/v1/scenarios", j),
        g("/v1/concepts?lang=zh", j),
        g("/v1/scenes", j),
        g("/v1/rank?scenario=edge&explain=true", j),
        g("/v1/rank?vector=edge=1,prod=0.5&weights=R=2&time=blend", j),
        g(
            "/v1/rank?scenario=edge&stacks=k8s%2Bistio,k3s,docker+linkerd",
            j,
        ),
        p("/v1/rank", RANK_EDGE_BODY),
        p(
            "/v1/rank?lang=zh",
            r#"{"vector": [0, 0, 1, 1, 0, 0], "stacks": [["k8s", "istio"], ["k3s"]]}"#,
        ),
        g("/v1/explain?scenario=edge", j),
        g("/v1/explain?vector=0,0,0,1,0,0&tech=k8s", j),
        p(
            "/v1/explain",
            r#"{"scenario": "serverless", "tech": "wasmedge"}"#,
        ),
        g("/v1/recommend?scenario=edge", j),
        g("/v1/recommend?scenario=hybrid", j),
        g(
            "/v1/recommend?vector=prod=1&max_size=3&budget_mb=4096&exclude=k8s&alternatives=2",
            j,
        ),
        p(
            "/v1/recommend",
            r#"{"scenario": "ai-inference", "max_size": 3, "require": ["gpu"]}"#,
        ),
        g("/v1/cases", j),
        g("/v1/cases/validate", j),
        g("/v1/cases/inspur-edge", j),
        g("/v1/cases/inspur-edge/validate", j),
        g("/v1/audit", j),
        g("/v1/migrate?from=docker&to=multitenant&alternatives=3", j),
        g("/v1/migrate?from_scene=dev&to_scene=prod", j),
        p(
            "/v1/migrate",
            r#"{"from": "k3s", "to": "opa", "alternatives": 0}"#,
        ),
        g("/v1/migrate?from=docker&to=multitenant&source=derived", j),
        g("/v1/migrate?compare=true", j),
        p("/v1/migrate", r#"{"compare": true}"#),
        g("/v1/adapt?tech=k3s&from_scene=edge&to_scene=prod", j),
        g("/v1/adapt?stack=k8s,istio&from_scene=dev", j),
        p(
            "/v1/adapt",
            r#"{"stack": ["k8s", "istio"], "from_scene": "dev", "to_scene": "edge", "scenario": "edge"}"#,
        ),
        g("/v1/risk?tech=k3s", j),
        g("/v1/risk?scenario=edge&theta=0.8", j),
        g(
            "/v1/risk?stack=k8s,istio&vector=prod=1,edge=1&theta=I%3D0.9",
            j,
        ),
        p(
            "/v1/risk",
            r#"{"tech": "k8s", "scenario": "multitenant", "theta": [1,1,1,1,1,1,1,1,1,1,1,0.7]}"#,
        ),
        g("/v1/cost?tech=k3s", j),
        g(
            "/v1/cost?stack=k8s%2Bistio&scenario=prod&attribute_weights=0.5,0.1,0.2,0.2",
            j,
        ),
        p(
            "/v1/cost",
            r#"{"stack": ["k3s", "linkerd"], "vector": {"edge": 1}, "attribute_weights": {"latency": 0}}"#,
        ),
        g("/v1/recommend?scenario=edge&min_cost&min_score=8.5", j),
        p(
            "/v1/recommend",
            r#"{"scenario": "edge", "min_cost": true, "min_score": 9.5}"#,
        ),
        g("/v1/rank?scenario=edge&method=topsis", j),
        g(
            "/v1/rank?scenario=edge&method=topsis:norm=vector&cost_criteria=memory%3D2",
            j,
        ),
        g(
            "/v1/rank?scenario=edge&stacks=k8s%2Bistio,k3s&method=wsm",
            j,
        ),
        p(
            "/v1/rank?lang=zh",
            r#"{"scenario": "edge", "method": "promethee", "cost_criteria": ["memory"]}"#,
        ),
        p("/v1/decide", DECIDE_BODY),
        p("/v1/decide?lang=zh", DECIDE_AHP_BODY),
        p(
            "/v1/decide",
            r#"{"alternatives": ["x", "y"], "criteria": ["c1", "c2"], "matrix": [[1, 2], [2, 1]], "weights": "entropy"}"#,
        ),
        g("/v1/compare?scenario=edge", j),
        g(
            "/v1/compare?scenario=prod&methods=topsis,copras,edas&cost_criteria=memory",
            j,
        ),
        p(
            "/v1/compare",
            r#"{"vector": {"edge": 1, "prod": 1}, "stacks": [["k8s", "istio"], ["k3s"], ["k3s", "wasmedge"]]}"#,
        ),
        g("/v1/robustness?scenario=edge&samples=2000", j),
        g(
            "/v1/robustness?scenario=prod&samples=1000&weights_model=around&concentration=50",
            j,
        ),
        p("/v1/robustness?lang=zh", ROBUSTNESS_BODY),
        g("/v1/deps", j),
        g("/v1/deps?concept=C&lang=zh", j),
        g("/v1/deps?scenario=edge&tech=docker", j),
        p(
            "/v1/deps",
            r#"{"scenario": "edge", "stack": ["k3s", "wasmedge"], "min_fit": 0.8}"#,
        ),
        g("/v1/ops", j),
        g(
            "/v1/ops?apply=build-image,deploy-container&tech=k3s&scenario=edge",
            j,
        ),
        g("/v1/ops?apply=canary&to=I%3D0.5", j),
        p(
            "/v1/ops?lang=zh",
            r#"{"apply": ["build-image", "deploy-container"], "to": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}"#,
        ),
        p("/v1/ops", "{}"),
        p(
            "/v1/robustness",
            r#"{"scenario": "edge", "stacks": [["k3s", "wasmedge"], ["k8s", "istio"]], "samples": 1000, "weights_model": "fixed"}"#,
        ),
        p("/v1/learn", LEARN_BODY),
        p(
            "/v1/learn?lang=zh",
            r#"{"rows": [{"scenario": "edge", "preferred": "k3s", "other": "k8s"}], "loss": "ranking", "optimizer": "adam", "epochs": 50}"#,
        ),
        g("/v1/calibrate", j),
        p("/v1/calibrate?lang=zh", "{}"),
        p("/v1/fleet", FLEET_BODY),
    ]
}

/// Inventory rows for `/v1/fleet`: a small edge node, a GPU node, and a row with a bad field.
const FLEET_BODY: &str = r#"{"rows": [
    {"id": "edge-1", "cpu_cores": 2, "memory_gb": 0.5, "network": "intermittent", "offline": true, "tenants": 1, "latency_ms": 10, "workload": "service"},
    {"id": "gpu-1", "cpu_cores": 64, "memory_gb": 512, "network": "stable", "gpus": 4, "tenants": 3, "workload": "inference"},
    {"id": "bad-1", "cpu_cores": 2, "memory_gb": "lots", "network": "stable", "tenants": 1, "workload": "service"}
], "top": 2, "stacks": true}"#;

#[tokio::test]
async fn fleet_answers_as_the_api_and_refuses_by_field() {
    let app = app();
    let kb = kb();
    let req: stackmatrix_api::FleetRequest = serde_json::from_str(FLEET_BODY).unwrap();
    let got = post_to(&app, "/v1/fleet", FLEET_BODY).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    assert_eq!(got.body, view(stackmatrix_api::fleet(&kb, &req).unwrap()));
    let doc = got.json();
    assert_eq!(doc["summary"]["rows"]["read"], 3);
    assert_eq!(doc["summary"]["rows"]["scored"], 2);
    assert_eq!(doc["rows"][2]["error"]["column"], "memory_gb");
    assert_eq!(doc["rows"][1]["require"][0], "gpu");
    // The same row through rank: the same best chain and score.
    let v = doc["rows"][0]["vector"].as_array().unwrap();
    let vector: Vec<String> = v.iter().map(|x| x.to_string()).collect();
    let rank = get_from(&app, &format!("/v1/rank?vector={}", vector.join(",")))
        .await
        .json();
    assert_eq!(rank["ranking"][0]["id"], doc["rows"][0]["chains"][0]["id"]);
    assert_eq!(
        rank["ranking"][0]["score"],
        doc["rows"][0]["chains"][0]["score"]
    );
    expect_error(
        &post_to(&app, "/v1/fleet", r#"{"rows": [], "top": 0}"#).await,
        StatusCode::BAD_REQUEST,
        "bad_input",
        Some("top"),
    );
    expect_error(
        &post_to(&app, "/v1/fleet", r#"{"rows": [], "colour": 1}"#).await,
        StatusCode::BAD_REQUEST,
        "bad_input",
        Some("colour"),
    );
    assert_eq!(
        get_from(&app, "/v1/fleet").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

/// Feedback rows for `/v1/learn`: two observations (one on a scene vector) and a preference.
const LEARN_BODY: &str = r#"{"rows": [
    {"kind": "observation", "tech": "k3s", "scenario": "edge", "concept": "I", "observed": 0.5},
    {"tech": "k8s", "vector": {"prod": 3, "edge": 1}, "concept": "M", "observed": 0.6},
    {"scenario": "edge", "preferred": "k3s", "other": "wasmedge"}
], "epochs": 2000}"#;

#[tokio::test]
async fn every_route_answers_a_good_request_as_documented() {
    let state = AppState::new(kb());
    let app = router(state.clone());
    let doc: Value = serde_json::from_slice(&get_from(&app, "/openapi.json").await.body).unwrap();
    for (method, uri, body, content_type) in good_requests() {
        let reply = match &body {
            Some(b) => post_to(&app, &uri, b.clone()).await,
            None => get_from(&app, &uri).await,
        };
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{method} {uri}: {}",
            reply.text()
        );
        assert_eq!(reply.content_type(), content_type, "{method} {uri}");
        assert!(!reply.body.is_empty(), "{method} {uri}");
        check_against_document(&doc, method.as_str(), &uri, &reply);
    }
    // Every route of the table was asked (the metrics count by route template).
    for (method, template) in route_table() {
        assert!(
            state.metrics.count(template, method, 200) > 0,
            "no good request for {method} {template}"
        );
    }
}

#[tokio::test]
async fn answers_are_the_api_views() {
    let app = app();
    let kb = kb();
    let kb = &*kb;
    let edge = ScenarioRequest::scenario("edge");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "/v1/techs?lang=zh",
            view(stackmatrix_api::list_techs(kb, Lang::Zh)),
        ),
        (
            "/v1/scenarios",
            view(stackmatrix_api::list_scenarios(kb, Lang::En)),
        ),
        (
            "/v1/concepts",
            view(stackmatrix_api::list_concepts(kb, Lang::En)),
        ),
        (
            "/v1/scenes?lang=zh",
            view(stackmatrix_api::list_scenes(kb, Lang::Zh)),
        ),
        (
            "/v1/techs/k3s?time=blend",
            view(
                stackmatrix_api::show_tech(
                    kb,
                    Lang::En,
                    &ShowRequest {
                        tech: "k3s".into(),
                        time: Some("blend".into()),
                    },
                )
                .unwrap(),
            ),
        ),
        (
            "/v1/rank?scenario=edge&explain=true",
            view(
                stackmatrix_api::rank(
                    kb,
                    Lang::En,
                    &RankRequest {
                        scenario: edge.clone(),
                        explain: true,
                        stacks: None,
                    },
                )
                .unwrap(),
            ),
        ),
        (
            "/v1/rank?vector=edge=2,prod=1&stacks=k8s%2Bistio,k3s",
            view(
                stackmatrix_api::rank(
                    kb,
                    Lang::En,
                    &RankRequest {
                        scenario: ScenarioRequest {
                            vector: Some(SceneVector::parse_list("edge=2,prod=1").unwrap()),
                            ..ScenarioRequest::default()
                        },
                        explain: false,
                        stacks: Some(vec![vec!["k8s".into(), "istio".into()], vec!["k3s".into()]]),
                    },
                )
                .unwrap(),
            ),
        ),
        (
            "/v1/explain?scenario=edge&tech=k8s&lang=zh",
            view(
                stackmatrix_api::explain(
                    kb,
                    Lang::Zh,
                    &ExplainRequest {
                        scenario: edge.clone(),
                        tech: Some("k8s".into()),
                    },
                )
                .unwrap(),
            ),
        ),
        (
            "/v1/recommend?scenario=edge&max_size=3&exclude=k3s",
            view(
                stackmatrix_api::recommend(
                    kb,
                    Lang::En,
                    &RecommendRequest {
                        scenario: edge.clone(),
                        max_size: 3,
                        exclude: vec!["k3s".into()],
                        ..RecommendRequest::default()
                    },
                )
                .unwrap(),
            ),
        ),
        ("/v1/cases", view(stackmatrix_api::list_cases(kb, Lang::En))),
        (
            "/v1/cases/inspur-edge",
            view(stackmatrix_api::show_case(kb, Lang::En, "inspur-edge").unwrap()),
        ),
        (
            "/v1/cases/validate",
            view(stackmatrix_api::validate_cases(kb, Lang::En, None).unwrap()),
        ),
        (
            "/v1/cases/inspur-edge/validate",
            view(stackmatrix_api::validate_cases(kb, Lang::En, Some("inspur-edge")).unwrap()),
        ),
        (
            "/v1/audit",
            view(stackmatrix_api::audit(kb, Lang::En).unwrap()),
        ),
        (
            "/v1/migrate?from=docker&to=multitenant",
            view(
                stackmatrix_api::migrate(
                    kb,
                    Lang::En,
                    &MigrateRequest::chains("docker", "multitenant"),
                )
                .unwrap(),
            ),
        ),
        (
            "/v1/migrate?compare",
            view(
                stackmatrix_api::migrate_compare(
                    kb,
                    Lang::En,
                    &MigrateRequest {
                        compare: true,
                        ..MigrateRequest::default()
                    },
                )
                .unwrap(),
            ),
        ),
        (
            "/v1/adapt?tech=k3s&from_scene=edge&to_scene=prod",
            view(
                stackmatrix_api::adapt(
                    kb,
                    Lang::En,
                    &stackmatrix_api::AdaptRequest {
                        tech: Some("k3s".into()),
                        from_scene: Some("edge".into()),
                        to_scene: Some("prod".into()),
                        ..Default::default()
                    },
                )
                .unwrap(),
            ),
        ),
        (
            "/v1/rank?scenario=edge&method=topsis:norm=vector&cost_criteria=memory%3D2",
            view(
                stackmatrix_api::rank_by_method(
                    kb,
                    Lang::En,
                    &MethodRankRequest {
                        scenario: edge.clone(),
                        stacks: None,
                        method: "topsis:norm=vector".into(),
                        cost_criteria: vec!["memory=2".into()],
                    },
                )
                .unwrap(),
            ),
        ),
        (
            "/v1/compare?scenario=edge&lang=zh",
            view(
                stackmatrix_api::compare(
                    kb,
                    Lang::Zh,
                    &CompareRequest {
                        scenario: edge.clone(),
                        ..CompareRequest::default()
                    },
                )
                .unwrap(),
            ),
        ),
        (
            "/v1/compare?scenario=edge&methods=wsm,topsis:norm=vector",
            view(
                stackmatrix_api::compare(
                    kb,
                    Lang::En,
                    &CompareRequest {
                        scenario: edge.clone(),
                        methods: Some(vec!["wsm".into(), "topsis:norm=vector".into()]),
                        ..CompareRequest::default()
                    },
                )
                .unwrap(),
            ),
        ),
        (
            "/v1/robustness?scenario=edge&samples=3000&seed=7",
            view(
                stackmatrix_api::robustness(
                    kb,
                    Lang::En,
                    &RobustnessRequest {
                        scenario: edge.clone(),
                        samples: 3000,
                        seed: 7,
                        ..RobustnessRequest::default()
                    },
                )
                .unwrap(),
            ),
        ),
    ];
    for (uri, expected) in cases {
        let reply = get_from(&app, uri).await;
        expect_json(&reply, StatusCode::OK, uri);
        assert!(
            reply.body == expected,
            "{uri}: the answer is not the api's view"
        );
    }
    // decide takes its matrix as a body only.
    for body in [DECIDE_BODY, DECIDE_AHP_BODY] {
        let req: DecideRequest = serde_json::from_str(body).unwrap();
        let expected = view(stackmatrix_api::decide(Lang::En, &req).unwrap());
        let reply = post_to(&app, "/v1/decide", body).await;
        expect_json(&reply, StatusCode::OK, body);
        assert!(
            reply.body == expected,
            "{body}: the answer is not the api's view"
        );
    }
    // The default seed is deterministic: the same request, the same answer.
    let once = get_from(&app, "/v1/robustness?scenario=dev&samples=1500").await;
    let again = get_from(&app, "/v1/robustness?scenario=dev&samples=1500").await;
    assert_eq!(once.status, StatusCode::OK);
    assert!(once.body == again.body);
    assert_eq!(once.json()["seed"], 1);
}

#[tokio::test]
async fn get_and_post_ask_the_same_questions() {
    let app = app();
    let pairs = [
        ("/v1/rank?scenario=edge&explain", "/v1/rank", RANK_EDGE_BODY),
        (
            "/v1/rank?vector=0,0,1,1,0,0&weights=R=2,Theta=0&stacks=k8s%2Bistio,k3s",
            "/v1/rank",
            r#"{"vector": [0, 0, 1, 1, 0, 0], "weights": {"R": 2, "Theta": 0}, "stacks": [["k8s", "istio"], ["k3s"]]}"#,
        ),
        (
            "/v1/explain?scenario=edge&tech=opa&time=dynamic",
            "/v1/explain",
            r#"{"scenario": "edge", "tech": "opa", "time": "dynamic"}"#,
        ),
        (
            "/v1/recommend?scenario=ai-inference&max_size=3&require=gpu&include=k8s&alternatives=2",
            "/v1/recommend",
            r#"{"scenario": "ai-inference", "max_size": 3, "require": ["gpu"], "include": ["k8s"], "alternatives": 2}"#,
        ),
        (
            "/v1/recommend?scenario=hybrid&max_shared=2&lang=zh",
            "/v1/recommend?lang=zh",
            r#"{"scenario": "hybrid", "max_shared": 2}"#,
        ),
        (
            "/v1/migrate?from_scene=dev&to_scene=prod&alternatives=5",
            "/v1/migrate",
            r#"{"from_scene": "dev", "to_scene": "prod", "alternatives": 5}"#,
        ),
        (
            "/v1/migrate?from=docker&to=opa&source=derived",
            "/v1/migrate",
            r#"{"from": "docker", "to": "opa", "source": "derived"}"#,
        ),
        (
            "/v1/adapt?stack=k3s,linkerd&from_scene=edge&lang=zh",
            "/v1/adapt?lang=zh",
            r#"{"stack": ["k3s", "linkerd"], "from_scene": "edge"}"#,
        ),
        (
            "/v1/rank?scenario=edge&method=topsis:norm=vector&cost_criteria=memory&stacks=k3s,k8s%2Bistio",
            "/v1/rank",
            r#"{"scenario": "edge", "method": "topsis:norm=vector", "cost_criteria": ["memory"], "stacks": [["k3s"], ["k8s", "istio"]]}"#,
        ),
        (
            "/v1/compare?vector=edge=1&weights=R=2&methods=wsm&methods=edas,promethee",
            "/v1/compare",
            r#"{"vector": {"edge": 1}, "weights": {"R": 2}, "methods": ["wsm", "edas", "promethee"]}"#,
        ),
        (
            "/v1/robustness?scenario=edge&samples=3000&seed=7",
            "/v1/robustness",
            ROBUSTNESS_BODY,
        ),
        (
            "/v1/robustness?scenario=ai-inference&samples=1000&seed=3&spread_estimated=0.3&weights_model=around&concentration=10",
            "/v1/robustness",
            r#"{"scenario": "ai-inference", "samples": 1000, "seed": 3, "spread_estimated": 0.3, "weights_model": "around", "concentration": 10}"#,
        ),
    ];
    for (get_uri, post_uri, body) in pairs {
        let got = expect_json(&get_from(&app, get_uri).await, StatusCode::OK, get_uri);
        let posted = expect_json(&post_to(&app, post_uri, body).await, StatusCode::OK, body);
        assert_eq!(got, posted, "{get_uri} and {body}");
    }
}

#[tokio::test]
async fn the_reference_migration_comes_out() {
    let app = app();
    let body = expect_json(
        &get_from(
            &app,
            "/v1/migrate?from=docker&to=multitenant&alternatives=3",
        )
        .await,
        StatusCode::OK,
        "migrate",
    );
    let ids = |p: &Value| -> Vec<String> {
        p["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&body["path"]), ["docker", "k8s", "multitenant"]);
    assert!((body["path"]["total"].as_f64().unwrap() - 0.6).abs() < 1e-12);
    assert_eq!(body["path"]["steps"][0]["difficulty"], 0.3);
    let alternatives = body["alternatives"].as_array().unwrap();
    assert_eq!(alternatives.len(), 3);
    assert!(alternatives
        .iter()
        .any(|a| ids(a) == ["docker", "multitenant"]
            && (a["total"].as_f64().unwrap() - 0.8).abs() < 1e-12));
    assert_eq!(body["direct"], 0.8);
}

/// `/v1/risk`, `/v1/cost` and `recommend` with `min_cost`: the api's views, GET and POST alike,
/// and bad input refused naming the field.
#[tokio::test]
async fn risk_cost_and_min_cost_answer_as_the_api_and_refuse_by_field() {
    let app = app();
    let kb = kb();
    let risk_req = stackmatrix_api::RiskRequest {
        scenario: ScenarioRequest::scenario("edge"),
        tech: Some("k3s".into()),
        theta: Some(stackmatrix_api::ThetaValues::All(0.8)),
        ..Default::default()
    };
    let got = get_from(&app, "/v1/risk?scenario=edge&tech=k3s&theta=0.8").await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    assert_eq!(
        got.body,
        view(stackmatrix_api::risk(&kb, Lang::En, &risk_req).unwrap())
    );
    let posted = post_to(
        &app,
        "/v1/risk",
        r#"{"scenario": "edge", "tech": "k3s", "theta": 0.8}"#,
    )
    .await;
    assert_eq!(posted.body, got.body);
    let cost_req = stackmatrix_api::CostRequest {
        stack: Some(vec!["k8s".into(), "istio".into()]),
        ..Default::default()
    };
    let got = get_from(&app, "/v1/cost?stack=k8s,istio").await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    assert_eq!(
        got.body,
        view(stackmatrix_api::cost(&kb, Lang::En, &cost_req).unwrap())
    );
    let body = expect_json(
        &get_from(
            &app,
            "/v1/recommend?scenario=edge&min_cost=true&min_score=10",
        )
        .await,
        StatusCode::OK,
        "min_cost",
    );
    assert_eq!(body["min_cost"]["reached"], false);
    assert!(body["stack"].is_null());
    assert!(
        body["min_cost"]["best_reachable"]["score"]
            .as_f64()
            .unwrap()
            < 10.0
    );
    for (uri, field) in [
        ("/v1/risk?tech=k8s&theta=1.5", "theta"),
        ("/v1/risk?tech=k8s&theta=0.5,0.5", "theta"),
        ("/v1/risk?tech=keda", "tech"),
        ("/v1/risk?tech=nope", "tech"),
        ("/v1/risk?stack=k8s,nope", "stack"),
        (
            "/v1/cost?tech=k8s&attribute_weights=1,2",
            "attribute_weights",
        ),
        ("/v1/cost", "tech"),
        ("/v1/recommend?scenario=edge&min_cost=true", "min_score"),
        (
            "/v1/recommend?scenario=edge&min_cost=true&min_score=12",
            "min_score",
        ),
        ("/v1/recommend?scenario=edge&min_score=5", "min_score"),
    ] {
        let reply = get_from(&app, uri).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{uri}: {}",
            reply.text()
        );
        assert_eq!(reply.json()["field"], field, "{uri}");
    }
}

#[tokio::test]
async fn learn_and_calibrate_answer_as_the_api_and_refuse_by_field() {
    let app = app();
    let kb = kb();
    let req: stackmatrix_api::LearnRequest = serde_json::from_str(LEARN_BODY).unwrap();
    let got = post_to(&app, "/v1/learn", LEARN_BODY).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    assert_eq!(
        got.body,
        view(stackmatrix_api::learn(&kb, Lang::En, &req).unwrap())
    );
    let doc = got.json();
    assert!(
        (doc["theta"][0].as_f64().unwrap() - 0.5).abs() < 1e-6,
        "{doc}"
    );
    assert_eq!(doc["uninformed"].as_array().unwrap().len(), 10);
    // Read-only: learning changes nothing the server answers.
    let rank = get_from(&app, "/v1/rank?scenario=edge").await.json();
    assert!(rank["scenario"].get("theta").is_none());
    // Bad rows: every problem, named by row and field.
    let bad = post_to(
        &app,
        "/v1/learn",
        r#"{"rows": [{"tech": "k3s", "scenario": "edge", "concept": "I", "observed": 0.5},
                     {"tech": "k3s", "scenario": "edge", "concept": "Z", "observed": 1.5}]}"#,
    )
    .await;
    let body = expect_error(&bad, StatusCode::BAD_REQUEST, "bad_input", Some("rows"));
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("rows[1].concept: unknown concept 'Z'"),
        "{message}"
    );
    assert!(
        message.contains("rows[1].observed: 1.5 is not in [0, 1]"),
        "{message}"
    );
    expect_error(
        &post_to(&app, "/v1/learn", r#"{"rows": [], "loss": "mse"}"#).await,
        StatusCode::BAD_REQUEST,
        "bad_input",
        Some("rows"),
    );
    expect_error(
        &post_to(&app, "/v1/learn", r#"{"rows": [{"scenario": "edge", "preferred": "k3s", "other": "k8s"}], "loss": "hinge"}"#).await,
        StatusCode::BAD_REQUEST,
        "bad_input",
        Some("loss"),
    );
    expect_error(
        &post_to(&app, "/v1/learn", r#"{"rows": [{"scenario": "edge", "preferred": "k3s", "other": "k8s"}], "epochs": 100000000}"#).await,
        StatusCode::BAD_REQUEST,
        "bad_input",
        Some("epochs"),
    );
    assert_eq!(
        get_from(&app, "/v1/learn").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    let cal = get_from(&app, "/v1/calibrate").await;
    assert_eq!(cal.status, StatusCode::OK, "{}", cal.text());
    assert_eq!(
        cal.body,
        view(
            stackmatrix_api::calibrate(&kb, Lang::En, &stackmatrix_api::CalibrateRequest {})
                .unwrap()
        )
    );
    assert_eq!(post_to(&app, "/v1/calibrate", "{}").await.body, cal.body);
    expect_error(
        &post_to(&app, "/v1/calibrate", r#"{"weights": 1}"#).await,
        StatusCode::BAD_REQUEST,
        "bad_input",
        Some("weights"),
    );
}

#[tokio::test]
async fn the_page_and_its_assets_are_served_with_types_and_a_policy() {
    let app = app();
    let page = get_from(&app, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.content_type(), "text/html; charset=utf-8");
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(page.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    for path in stackmatrix_server::asset_paths() {
        let reply = get_from(&app, &format!("/assets/{path}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(
            reply.content_type(),
            stackmatrix_server::asset_content_type(&path),
            "{path}"
        );
        assert!(reply.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    }
    // JSON answers carry the policy too.
    let api = get_from(&app, "/v1/scenes").await;
    assert!(api.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    expect_error(
        &get_from(&app, "/assets/nope.js").await,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    );
    expect_error(
        &get_from(&app, "/assets/../Cargo.toml").await,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    );
    // HEAD is answered wherever GET is.
    let head = send(&app, Request::head("/").body(Body::empty()).unwrap()).await;
    assert_eq!(head.status, StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// Errors.

#[tokio::test]
async fn malformed_and_mistyped_bodies_are_400_naming_the_field() {
    let app = app();
    let bad = StatusCode::BAD_REQUEST;
    let cases: &[(&str, &str, &str)] = &[
        ("/v1/rank", r#"{"scenario": "edge""#, "body"),
        ("/v1/rank", "", "body"),
        ("/v1/rank", "[1, 2]", "body"),
        ("/v1/rank", r#""edge""#, "body"),
        ("/v1/rank", r#"{"scenario": 7}"#, "scenario"),
        (
            "/v1/rank",
            r#"{"scenario": "edge", "explain": "yes"}"#,
            "explain",
        ),
        ("/v1/rank", r#"{"vector": "edge=1"}"#, "vector"),
        ("/v1/rank", r#"{"vector": [0, 0, "x", 1, 0, 0]}"#, "vector"),
        (
            "/v1/rank",
            r#"{"scenario": "edge", "stacks": "k8s+istio"}"#,
            "stacks",
        ),
        (
            "/v1/rank",
            r#"{"scenario": "edge", "stacks": [["k8s", 1]]}"#,
            "stacks",
        ),
        ("/v1/rank", r#"{"scenaro": "edge"}"#, "scenaro"),
        (
            "/v1/explain",
            r#"{"scenario": "edge", "tech": ["k8s"]}"#,
            "tech",
        ),
        (
            "/v1/recommend",
            r#"{"scenario": "edge", "max_size": "4"}"#,
            "max_size",
        ),
        (
            "/v1/recommend",
            r#"{"scenario": "edge", "max_size": -1}"#,
            "max_size",
        ),
        (
            "/v1/recommend",
            r#"{"scenario": "edge", "require": "gpu"}"#,
            "require",
        ),
        (
            "/v1/recommend",
            r#"{"scenario": "edge", "max-size": 2}"#,
            "max-size",
        ),
        (
            "/v1/migrate",
            r#"{"from": "docker", "to": "k8s", "alternatives": 1.5}"#,
            "alternatives",
        ),
        // JSON has no NaN (the body is not JSON), and 1e400 is not a finite number.
        ("/v1/rank", r#"{"vector": [0, 0, NaN, 1, 0, 0]}"#, "body"),
        (
            "/v1/rank",
            r#"{"vector": [0, 0, 1e400, 1, 0, 0]}"#,
            "vector",
        ),
    ];
    for (uri, body, field) in cases {
        let reply = post_to(&app, uri, *body).await;
        expect_error(&reply, bad, "bad_input", Some(field));
    }
    // A body that is not JSON at all.
    let form = Request::post("/v1/rank")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("scenario=edge"))
        .unwrap();
    expect_error(
        &send(&app, form).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        None,
    );
    let none = Request::post("/v1/rank")
        .body(Body::from(RANK_EDGE_BODY))
        .unwrap();
    assert_eq!(
        send(&app, none).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let charset = Request::post("/v1/rank")
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::from(RANK_EDGE_BODY))
        .unwrap();
    assert_eq!(send(&app, charset).await.status, StatusCode::OK);
}

#[tokio::test]
async fn wrong_values_are_400_naming_the_field() {
    let app = app();
    let bad = StatusCode::BAD_REQUEST;
    let cases: &[(&str, &str)] = &[
        ("/v1/rank?scenario=edge&time=later", "time"),
        ("/v1/rank?scenario=edge&lang=fr", "lang"),
        ("/v1/techs?lang=de", "lang"),
        ("/v1/rank?scenario=edge&explain=maybe", "explain"),
        ("/v1/rank?scenaro=edge", "scenaro"),
        ("/v1/rank?scenario=edge&scenario=dev", "scenario"),
        ("/v1/rank", "scenario"),
        ("/v1/rank?scenario=edge&vector=0,0,0,1,0,0", "vector"),
        ("/v1/rank?vector=1,2,3", "vector"),
        ("/v1/rank?vector=edg=1", "vector"),
        ("/v1/rank?scenario=edge&weights=Z=1", "weights"),
        ("/v1/rank?scenario=edge&stacks=k8s%2Bnope", "stacks"),
        ("/v1/rank?scenario=edge&stacks=k8s,,k3s", "stacks"),
        ("/v1/explain?scenario=edge&tech=istio", "tech"),
        ("/v1/recommend?scenario=edge&max_size=0", "max_size"),
        ("/v1/recommend?scenario=edge&max_size=lots", "max_size"),
        ("/v1/recommend?scenario=edge&budget_mb=-1", "budget_mb"),
        ("/v1/recommend?scenario=edge&budget_mb=x", "budget_mb"),
        ("/v1/recommend?scenario=edge&require=teleport", "require"),
        (
            "/v1/recommend?scenario=edge&per_environment=2",
            "per_environment",
        ),
        ("/v1/techs/k3s?time=later", "time"),
        ("/v1/techs?time=static", "time"),
        ("/v1/migrate", "from"),
        ("/v1/migrate?from=docker", "to"),
        ("/v1/migrate?from=docker&to=k8s&source=guessed", "source"),
        (
            "/v1/migrate?from_scene=dev&to_scene=prod&source=derived",
            "source",
        ),
        ("/v1/migrate?compare=true&from=docker&to=k8s", "compare"),
        ("/v1/migrate?compare=maybe", "compare"),
        ("/v1/adapt?tech=k8s&from_scene=moon", "from_scene"),
        (
            "/v1/adapt?tech=k8s&from_scene=dev&to_scene=mars",
            "to_scene",
        ),
        ("/v1/adapt?tech=istio&from_scene=dev", "tech"),
        ("/v1/adapt?stack=istio&from_scene=dev", "stack"),
        ("/v1/adapt?tech=k8s", "from_scene"),
        ("/v1/adapt?from_scene=dev", "tech"),
        (
            "/v1/migrate?from=docker&to=k8s&from_scene=dev",
            "from_scene",
        ),
        ("/healthz?verbose=1", "verbose"),
    ];
    for (uri, field) in cases {
        expect_error(&get_from(&app, uri).await, bad, "bad_input", Some(field));
    }
}

#[tokio::test]
async fn unknown_ids_are_400_in_a_request_and_404_in_a_path() {
    let app = app();
    let bad = StatusCode::BAD_REQUEST;
    // Named by a query parameter or a body member: the request is wrong.
    let in_request: &[(&str, Option<&str>, &str)] = &[
        ("/v1/rank?scenario=nope", None, "scenario"),
        ("/v1/rank", Some(r#"{"scenario": "nope"}"#), "scenario"),
        ("/v1/explain?scenario=edge&tech=nope", None, "tech"),
        (
            "/v1/explain",
            Some(r#"{"scenario": "edge", "tech": "nope"}"#),
            "tech",
        ),
        ("/v1/recommend?scenario=nope", None, "scenario"),
        ("/v1/recommend?scenario=edge&include=nope", None, "include"),
        ("/v1/recommend?scenario=edge&exclude=nope", None, "exclude"),
        ("/v1/migrate?from=docker&to=istio", None, "to"),
        ("/v1/migrate?from=nope&to=k8s", None, "from"),
        (
            "/v1/migrate?from_scene=moon&to_scene=prod",
            None,
            "from_scene",
        ),
        ("/v1/adapt?tech=nope&from_scene=dev", None, "tech"),
        (
            "/v1/adapt",
            Some(r#"{"tech": "k8s", "from_scene": "dev", "scenario": "nope"}"#),
            "scenario",
        ),
    ];
    for (uri, body, field) in in_request {
        let reply = match body {
            Some(b) => post_to(&app, uri, *b).await,
            None => get_from(&app, uri).await,
        };
        let e = expect_error(&reply, bad, "not_found", Some(field));
        assert!(e["known"].as_array().is_some_and(|k| !k.is_empty()), "{e}");
    }
    // Part of the path: the resource does not exist.
    for uri in [
        "/v1/techs/nope",
        "/v1/cases/nope",
        "/v1/cases/nope/validate",
    ] {
        let e = expect_error(
            &get_from(&app, uri).await,
            StatusCode::NOT_FOUND,
            "not_found",
            None,
        );
        assert_eq!(e["id"], "nope");
    }
    // The error members come in the api's order, with the field second: error, field,
    // message, what, id, known.
    let text = get_from(&app, "/v1/rank?scenario=nope").await.text();
    assert!(
        text.starts_with(
            r#"{"error":"not_found","field":"scenario","message":"unknown scenario 'nope'"#
        ),
        "{text}"
    );
    let text = get_from(&app, "/v1/recommend?scenario=edge&max_size=9")
        .await
        .text();
    assert!(
        text.starts_with(r#"{"error":"bad_input","field":"max_size","message":"9 members"#),
        "{text}"
    );
}

#[tokio::test]
async fn nan_negative_and_zero_vectors_are_400() {
    let app = app();
    let bad = StatusCode::BAD_REQUEST;
    for uri in [
        "/v1/rank?vector=NaN,0,0,1,0,0",
        "/v1/rank?vector=0,0,inf,1,0,0",
        "/v1/rank?vector=0,0,-1,1,0,0",
        "/v1/rank?vector=0,0,0,0,0,0",
        "/v1/rank?vector=edge=-1",
        "/v1/recommend?vector=0,0,0,0,0,0",
        "/v1/explain?vector=1e308,1e308,0,0,0,0",
    ] {
        expect_error(&get_from(&app, uri).await, bad, "bad_input", Some("vector"));
    }
    for body in [
        r#"{"vector": [0, 0, -1, 1, 0, 0]}"#,
        r#"{"vector": [0, 0, 0, 0, 0, 0]}"#,
        r#"{"vector": {"edge": -0.5}}"#,
        r#"{"vector": {"edge": 1, "edge": 2}}"#,
        r#"{"vector": [1, 0, 0, 0, 0]}"#,
    ] {
        expect_error(
            &post_to(&app, "/v1/rank", body).await,
            bad,
            "bad_input",
            Some("vector"),
        );
    }
    for uri in [
        "/v1/rank?scenario=edge&weights=R=-1",
        "/v1/rank?scenario=edge&weights=0,0,0,0,0,0,0,0,0,0,0,0",
        "/v1/rank?scenario=edge&weights=R=NaN",
    ] {
        expect_error(
            &get_from(&app, uri).await,
            bad,
            "bad_input",
            Some("weights"),
        );
    }
}

#[tokio::test]
async fn limits_are_400_413_and_414() {
    let app = app();
    let bad = StatusCode::BAD_REQUEST;
    let many_stacks = vec!["k3s"; 65].join(",");
    let long_stack = vec!["k3s"; 17].join("%2B");
    let many_excluded = (0..65)
        .map(|i| format!("t{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let cases: Vec<(String, &str)> = vec![
        ("/v1/recommend?scenario=edge&max_size=9".into(), "max_size"),
        (
            "/v1/recommend?scenario=edge&alternatives=51".into(),
            "alternatives",
        ),
        (
            "/v1/recommend?scenario=hybrid&max_shared=6".into(),
            "max_shared",
        ),
        (
            format!("/v1/recommend?scenario=edge&exclude={many_excluded}"),
            "exclude",
        ),
        (
            format!("/v1/rank?scenario=edge&stacks={many_stacks}"),
            "stacks",
        ),
        (
            format!("/v1/rank?scenario=edge&stacks={long_stack}"),
            "stacks",
        ),
        (
            "/v1/migrate?from=docker&to=k8s&alternatives=51".into(),
            "alternatives",
        ),
        (
            format!("/v1/recommend?scenario=edge&max_size={}", u64::MAX),
            "max_size",
        ),
    ];
    for (uri, field) in &cases {
        let e = expect_error(&get_from(&app, uri).await, bad, "bad_input", Some(field));
        assert!(
            e["message"].as_str().unwrap().contains("at most") || field == &"max_size",
            "{e}"
        );
    }
    // The largest requests within the limits are answered.
    for uri in [
        "/v1/recommend?scenario=edge&max_size=8&alternatives=50",
        "/v1/recommend?scenario=hybrid&max_size=8&max_shared=5&alternatives=50",
        "/v1/migrate?from=docker&to=k8s&alternatives=50",
    ] {
        assert_eq!(get_from(&app, uri).await.status, StatusCode::OK, "{uri}");
    }
    let body = json!({"scenario": "edge", "max_size": 9}).to_string();
    expect_error(
        &post_to(&app, "/v1/recommend", body).await,
        bad,
        "bad_input",
        Some("max_size"),
    );
    let stacks: Vec<Vec<&str>> = vec![vec!["k3s"]; 65];
    let body = json!({"scenario": "edge", "stacks": stacks}).to_string();
    expect_error(
        &post_to(&app, "/v1/rank", body).await,
        bad,
        "bad_input",
        Some("stacks"),
    );

    // A body beyond 64 KiB.
    let padding = " ".repeat(64 * 1024);
    let big = format!(r#"{{"scenario": "edge"{padding}}}"#);
    expect_error(
        &post_to(&app, "/v1/rank", big).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        None,
    );
    // Exactly at the limit is read.
    let fill = 64 * 1024 - RANK_EDGE_BODY.len();
    let at_limit = format!("{RANK_EDGE_BODY}{}", " ".repeat(fill));
    assert_eq!(at_limit.len(), 64 * 1024);
    assert_eq!(
        post_to(&app, "/v1/rank", at_limit).await.status,
        StatusCode::OK
    );
    // A body of unknown length (chunked) beyond the limit.
    let chunks = futures_chunks(80 * 1024);
    let req = Request::post("/v1/rank")
        .header(header::CONTENT_TYPE, "application/json")
        .body(chunks)
        .unwrap();
    expect_error(
        &send(&app, req).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        None,
    );
    // A query string beyond 8 KiB.
    let long = format!("/v1/rank?scenario=edge&weights={}", "1,".repeat(5000));
    expect_error(
        &get_from(&app, &long).await,
        StatusCode::URI_TOO_LONG,
        "uri_too_long",
        None,
    );
}

/// A streamed body of `n` bytes in 1 KiB chunks, with no length known in advance.
fn futures_chunks(n: usize) -> Body {
    let chunks: Vec<Result<Bytes, std::io::Error>> = (0..n / 1024)
        .map(|_| Ok(Bytes::from(vec![b' '; 1024])))
        .collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405() {
    let app = app();
    for uri in [
        "/nope",
        "/v1",
        "/v2/rank",
        "/v1/techs/k3s/more",
        "/favicon.ico",
    ] {
        let e = expect_error(
            &get_from(&app, uri).await,
            StatusCode::NOT_FOUND,
            "not_found",
            None,
        );
        assert!(
            e["message"].as_str().unwrap().contains("/openapi.json"),
            "{e}"
        );
    }
    let post_json = |uri: &str| {
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap()
    };
    for req in [
        post_json("/v1/techs"),
        post_json("/healthz"),
        Request::delete("/v1/rank").body(Body::empty()).unwrap(),
        Request::put("/v1/recommend").body(Body::empty()).unwrap(),
        Request::patch("/").body(Body::empty()).unwrap(),
    ] {
        let reply = send(&app, req).await;
        expect_error(
            &reply,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            None,
        );
        assert!(reply.headers.contains_key(header::ALLOW));
    }
    let reply = send(
        &app,
        Request::delete("/v1/rank").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(reply.headers[header::ALLOW], "GET,HEAD,POST");
}

#[tokio::test]
async fn a_panic_is_a_500_and_the_server_goes_on() {
    let extra = Router::new().route(
        "/test/panic",
        get(|| async {
            if true {
                panic!("a handler panics (on purpose)");
            }
            ""
        }),
    );
    let state = AppState::new(kb());
    let app = router_with(state.clone(), extra);
    let reply = get_from(&app, "/test/panic").await;
    expect_error(&reply, StatusCode::INTERNAL_SERVER_ERROR, "failure", None);
    assert!(reply.headers.contains_key(header::CONTENT_SECURITY_POLICY));
    assert_eq!(state.metrics.count("/test/panic", "GET", 500), 1);
    assert_eq!(get_from(&app, "/healthz").await.status, StatusCode::OK);
    // A panic on the blocking pool is answered the same way.
    let blocking = Router::new().route(
        "/test/blocking-panic",
        get(
            |axum::extract::State(s): axum::extract::State<AppState>| async move {
                s.blocking(|_| -> Result<&'static str, stackmatrix_server::HttpError> {
                    panic!("blocking work panics (on purpose)")
                })
                .await
            },
        ),
    );
    let app = router_with(AppState::new(kb()), blocking);
    let reply = get_from(&app, "/test/blocking-panic").await;
    expect_error(&reply, StatusCode::INTERNAL_SERVER_ERROR, "failure", None);
}

#[tokio::test]
async fn a_slow_request_times_out_with_503() {
    let limits = Limits {
        timeout: Duration::from_millis(100),
        ..Limits::default()
    };
    let extra = Router::new().route(
        "/test/sleep",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        }),
    );
    let app = router_with(AppState::with_limits(kb(), limits), extra);
    let started = std::time::Instant::now();
    let reply = get_from(&app, "/test/sleep").await;
    expect_error(&reply, StatusCode::SERVICE_UNAVAILABLE, "timeout", None);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn metrics_count_requests_by_route_method_and_status() {
    let app = app();
    for _ in 0..3 {
        get_from(&app, "/v1/rank?scenario=edge").await;
    }
    post_to(&app, "/v1/rank", RANK_EDGE_BODY).await;
    get_from(&app, "/v1/rank?scenario=nope").await;
    get_from(&app, "/v1/techs/k3s").await;
    get_from(&app, "/v1/techs/nope").await;
    get_from(&app, "/no/such/route").await;
    send(
        &app,
        Request::delete("/v1/rank").body(Body::empty()).unwrap(),
    )
    .await;
    let reply = get_from(&app, "/metrics").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.content_type(),
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = reply.text();
    for line in [
        r#"stackmatrix_http_requests_total{route="/v1/rank",method="GET",status="200"} 3"#,
        r#"stackmatrix_http_requests_total{route="/v1/rank",method="POST",status="200"} 1"#,
        r#"stackmatrix_http_requests_total{route="/v1/rank",method="GET",status="400"} 1"#,
        r#"stackmatrix_http_requests_total{route="/v1/rank",method="DELETE",status="405"} 1"#,
        r#"stackmatrix_http_requests_total{route="/v1/techs/{id}",method="GET",status="200"} 1"#,
        r#"stackmatrix_http_requests_total{route="/v1/techs/{id}",method="GET",status="404"} 1"#,
        r#"stackmatrix_http_requests_total{route="unmatched",method="GET",status="404"} 1"#,
        r#"stackmatrix_http_request_duration_seconds_count{route="/v1/rank"} 6"#,
        r#"stackmatrix_http_request_duration_seconds_bucket{route="/v1/rank",le="+Inf"} 6"#,
        r#"stackmatrix_http_request_duration_seconds_count{route="/v1/techs/{id}"} 2"#,
        "# TYPE stackmatrix_http_requests_total counter",
        "# TYPE stackmatrix_http_request_duration_seconds histogram",
        "stackmatrix_http_requests_in_flight 1",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line} in:\n{text}"
        );
    }
    // Buckets run from 0.0005 s to 5 s.
    assert!(text.contains(
        r#"stackmatrix_http_request_duration_seconds_bucket{route="/v1/rank",le="0.0005"}"#
    ));
    assert!(text
        .contains(r#"stackmatrix_http_request_duration_seconds_bucket{route="/v1/rank",le="5"}"#));
}

#[tokio::test]
async fn the_openapi_document_covers_every_route_and_only_those() {
    let app = app();
    let doc = expect_json(
        &get_from(&app, "/openapi.json").await,
        StatusCode::OK,
        "openapi",
    );
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let table = route_table();
    for (method, template) in &table {
        let op = &paths
            .get(&openapi_path(template))
            .unwrap_or_else(|| panic!("{template} is not in the document"))
            [method.to_ascii_lowercase()];
        assert!(op.is_object(), "{method} {template} is not in the document");
        assert!(op["responses"]["200"].is_object(), "{method} {template}");
        // Every path parameter is described.
        for segment in template.split('/').filter(|s| s.starts_with('{')) {
            let name = segment.trim_matches(|c| c == '{' || c == '}' || c == '*');
            let described = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == name && p["in"] == "path"));
            assert!(described, "{method} {template}: parameter {name}");
        }
    }
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            let known = table
                .iter()
                .any(|(m, t)| openapi_path(t) == *path && m.eq_ignore_ascii_case(method));
            assert!(
                known,
                "the document has {method} {path}, which the router does not"
            );
        }
    }
    // Every $ref resolves.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let pointer = r.trim_start_matches('#');
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }
    // Query parameters of GET verbs are the request's fields.
    let rank_params: Vec<&str> = doc["paths"]["/v1/rank"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for field in ["scenario", "vector", "weights", "time", "explain", "stacks"] {
        assert!(rank_params.contains(&field), "{field}");
    }
}

#[tokio::test]
async fn errors_match_the_documented_error_schema() {
    let app = app();
    let doc = expect_json(
        &get_from(&app, "/openapi.json").await,
        StatusCode::OK,
        "openapi",
    );
    let schema = json!({"$ref": "#/components/schemas/Error"});
    let replies = [
        get_from(&app, "/v1/rank?scenario=nope").await,
        get_from(&app, "/v1/techs/nope").await,
        get_from(&app, "/v1/rank?vector=1").await,
        get_from(&app, "/nope").await,
        post_to(&app, "/v1/rank", "{").await,
        send(
            &app,
            Request::delete("/v1/rank").body(Body::empty()).unwrap(),
        )
        .await,
    ];
    for reply in &replies {
        check(&doc, &schema, &reply.json(), "$").unwrap();
    }
}

#[tokio::test]
async fn decision_methods_and_robustness_refuse_bad_requests_naming_the_field() {
    let app = app();
    let bad = StatusCode::BAD_REQUEST;
    // Query parameters.
    let gets: &[(&str, &str, &str)] = &[
        ("/v1/rank?scenario=edge&method=nope", "method", "nope"),
        (
            "/v1/rank?scenario=edge&method=topsis:norm=cubic",
            "method",
            "cubic",
        ),
        (
            "/v1/rank?scenario=edge&method=wsm&explain",
            "explain",
            "method",
        ),
        (
            "/v1/rank?scenario=edge&cost_criteria=memory",
            "cost_criteria",
            "method",
        ),
        (
            "/v1/rank?scenario=edge&method=wsm&cost_criteria=price",
            "cost_criteria",
            "price",
        ),
        (
            "/v1/compare?scenario=edge&methods=wsm,nope",
            "methods",
            "nope",
        ),
        ("/v1/compare?scenario=edge&methods=", "methods", "no method"),
        (
            "/v1/compare?scenario=edge&methods=wsm,wsm",
            "methods",
            "twice",
        ),
        (
            "/v1/compare?scenario=edge&method=wsm",
            "method",
            "unknown query parameter",
        ),
        (
            "/v1/robustness?scenario=edge&samples=200001",
            "samples",
            "at most 200000",
        ),
        ("/v1/robustness?scenario=edge&samples=0", "samples", "1 to"),
        (
            "/v1/robustness?scenario=edge&samples=many",
            "samples",
            "not a count",
        ),
        (
            "/v1/robustness?scenario=edge&seed=-1",
            "seed",
            "not a count",
        ),
        (
            "/v1/robustness?scenario=edge&samples=100&weights=R=-1",
            "weights",
            "negative",
        ),
        (
            "/v1/robustness?scenario=edge&samples=100&spread_estimated=2",
            "spread_estimated",
            "spread",
        ),
        (
            "/v1/robustness?scenario=edge&samples=100&weights_model=normal",
            "weights_model",
            "uniform",
        ),
        (
            "/v1/robustness?scenario=edge&samples=100&concentration=5",
            "concentration",
            "around",
        ),
        (
            "/v1/robustness?scenario=edge&stacks=k3s%2Bnope",
            "stacks",
            "nope",
        ),
    ];
    for (uri, field, says) in gets {
        let e = expect_error(&get_from(&app, uri).await, bad, "bad_input", Some(field));
        let message = e["message"].as_str().unwrap();
        assert!(message.contains(says), "{uri}: {message}");
    }
    for uri in ["/v1/compare?scenario=nope", "/v1/robustness?scenario=nope"] {
        expect_error(
            &get_from(&app, uri).await,
            bad,
            "not_found",
            Some("scenario"),
        );
    }
    // Bodies.
    let decide = |patch: Value| {
        let mut body: Value = serde_json::from_str(DECIDE_BODY).unwrap();
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        body.to_string()
    };
    let too_many: Vec<String> = (0..501).map(|i| format!("a{i}")).collect();
    let posts: Vec<(&str, String, &str, &str)> = vec![
        (
            "/v1/decide",
            decide(json!({"method": "nope"})),
            "method",
            "nope",
        ),
        (
            "/v1/decide",
            decide(json!({"weights": [0.5, -0.5, 1]})),
            "weights",
            "negative",
        ),
        (
            "/v1/decide",
            decide(json!({"weights": [0.5, 0.5]})),
            "weights",
            "expected 3",
        ),
        (
            "/v1/decide",
            decide(json!({"weights": "astrology"})),
            "weights",
            "astrology",
        ),
        (
            "/v1/decide",
            decide(json!({"weights": {"price": 1}})),
            "weights",
            "",
        ),
        (
            "/v1/decide",
            decide(json!({"types": ["-", "+"]})),
            "types",
            "expected 3",
        ),
        (
            "/v1/decide",
            decide(json!({"types": ["-", "+", "?"]})),
            "types",
            "not a type",
        ),
        (
            "/v1/decide",
            decide(json!({"matrix": [[1, 2, 3], [4, 5]]})),
            "matrix",
            "row",
        ),
        (
            "/v1/decide",
            decide(json!({"matrix": "1,2,3"})),
            "matrix",
            "",
        ),
        (
            "/v1/decide",
            decide(json!({"matrix": null})),
            "matrix",
            "missing",
        ),
        (
            "/v1/decide",
            decide(json!({"alternatives": ["a", "a", "b"]})),
            "alternatives",
            "twice",
        ),
        (
            "/v1/decide",
            decide(
                json!({"ahp": {"matrix": [[1, 9, 9], [0.1111111111111111, 1, 9], [0.1111111111111111, 0.1111111111111111, 1]]}, "weights": null}),
            ),
            "ahp",
            "",
        ),
        (
            "/v1/decide",
            decide(json!({"ahp": {"matrix": [[1]]}})),
            "ahp",
            "both",
        ),
        (
            "/v1/decide",
            decide(json!({"alternatives": too_many})),
            "alternatives",
            "at most 500",
        ),
        (
            "/v1/decide",
            decide(json!({"file": "/etc/passwd"})),
            "file",
            "unknown field",
        ),
        (
            "/v1/rank",
            r#"{"scenario": "edge", "method": "nope"}"#.into(),
            "method",
            "nope",
        ),
        (
            "/v1/rank",
            r#"{"scenario": "edge", "method": 5}"#.into(),
            "method",
            "",
        ),
        (
            "/v1/rank",
            r#"{"scenario": "edge", "method": "wsm", "explain": true}"#.into(),
            "explain",
            "method",
        ),
        (
            "/v1/rank",
            r#"{"scenario": "edge", "cost_criteria": ["memory"]}"#.into(),
            "cost_criteria",
            "method",
        ),
        (
            "/v1/compare",
            r#"{"scenario": "edge", "methods": ["wsm", "nope"]}"#.into(),
            "methods",
            "nope",
        ),
        (
            "/v1/compare",
            r#"{"scenario": "edge", "methods": "wsm"}"#.into(),
            "methods",
            "",
        ),
        (
            "/v1/compare",
            r#"{"scenario": "edge", "weights": {"R": -1}}"#.into(),
            "weights",
            "negative",
        ),
        (
            "/v1/robustness",
            r#"{"scenario": "edge", "samples": 1000000}"#.into(),
            "samples",
            "at most 200000",
        ),
        (
            "/v1/robustness",
            r#"{"scenario": "edge", "samples": -5}"#.into(),
            "samples",
            "",
        ),
        (
            "/v1/robustness",
            r#"{"scenario": "edge", "samples": 100, "weights": [1, 1, 1]}"#.into(),
            "weights",
            "",
        ),
    ];
    for (uri, body, field, says) in &posts {
        let e = expect_error(
            &post_to(&app, uri, body.clone()).await,
            bad,
            "bad_input",
            Some(field),
        );
        let message = e["message"].as_str().unwrap();
        assert!(message.contains(says), "{uri} {body}: {message}");
    }
    // decide answers POST only; its matrix never comes from a file or the query.
    let reply = get_from(&app, "/v1/decide").await;
    expect_error(
        &reply,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        None,
    );
    assert_eq!(reply.headers[header::ALLOW], "POST");
    // The largest robustness request within the limit is answered.
    let reply = get_from(&app, "/v1/robustness?scenario=edge&samples=200000").await;
    let v = expect_json(&reply, StatusCode::OK, "200,000 samples");
    assert_eq!(v["samples"], 200_000);
    // A smaller limit is said in the message.
    let limits = Limits {
        samples: 500,
        ..Limits::default()
    };
    let small = router(AppState::with_limits(kb(), limits));
    let e = expect_error(
        &get_from(&small, "/v1/robustness?scenario=edge&samples=501").await,
        bad,
        "bad_input",
        Some("samples"),
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("at most 500 samples"),
        "{e}"
    );
}

#[tokio::test]
async fn robustness_answers_read_as_the_page_shows_them() {
    let app = app();
    let v = expect_json(
        &get_from(&app, "/v1/robustness?scenario=edge&samples=4000").await,
        StatusCode::OK,
        "robustness",
    );
    // Every row of acceptabilities sums to 100 %, and so does every column.
    let rows: Vec<Vec<f64>> = v["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| serde_json::from_value(a["acceptability_percent"].clone()).unwrap())
        .collect();
    for row in &rows {
        assert!((row.iter().sum::<f64>() - 100.0).abs() < 1e-9, "{row:?}");
    }
    for r in 0..rows.len() {
        let column: f64 = rows.iter().map(|row| row[r]).sum();
        assert!((column - 100.0).abs() < 1e-9, "rank {r}: {column}");
    }
    assert_eq!(v["summary"]["most_likely_first"]["id"], "k3s");
    assert!(v["summary"]["text"]
        .as_str()
        .unwrap()
        .starts_with("K3s is first in"));
    assert_eq!(v["stability"]["intervals"].as_array().unwrap().len(), 12);
    // In Chinese, the verdict is in Chinese.
    let zh = expect_json(
        &get_from(&app, "/v1/robustness?scenario=edge&samples=4000&lang=zh").await,
        StatusCode::OK,
        "robustness zh",
    );
    assert!(zh["summary"]["text"].as_str().unwrap().contains("排名第一"));
    // A method changes the ranking's scores, not the model's: the answer names the method.
    let m = expect_json(
        &get_from(&app, "/v1/rank?scenario=edge&method=vikor").await,
        StatusCode::OK,
        "vikor",
    );
    assert_eq!(m["method"], "vikor:norm=none:v=0.5");
    assert_eq!(m["higher_is_better"], false);
    assert!(m.get("claims").is_none());
}

// ---------------------------------------------------------------------------------------------
// A real listener.

/// One HTTP/1.1 request over a fresh connection; the status and the body.
async fn http(addr: SocketAddr, request: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, body.to_string())
}

fn get_request(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
}

fn post_request(path: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Starts a server on a free port; returns its address, the trigger of its shutdown and its
/// task.
async fn start(
    state: AppState,
) -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let bound = stackmatrix_server::bind("127.0.0.1:0".parse().unwrap())
        .await
        .expect("binds");
    let addr = bound.local_addr();
    assert_ne!(addr.port(), 0);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(bound.serve(state, async {
        let _ = stopped.await;
    }));
    (addr, stop, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_requests_are_all_answered() {
    let state = AppState::new(kb());
    let (addr, stop, task) = start(state.clone()).await;
    let mut tasks = Vec::new();
    for i in 0..200 {
        tasks.push(tokio::spawn(async move {
            let request = match i % 4 {
                0 => get_request("/v1/rank?scenario=edge"),
                1 => post_request("/v1/rank", RANK_EDGE_BODY),
                2 => get_request("/v1/recommend?scenario=edge"),
                _ => get_request("/v1/migrate?from=docker&to=multitenant"),
            };
            http(addr, &request).await
        }));
    }
    let mut answered = 0;
    for t in tasks {
        let (status, body) = t.await.expect("the client task ends");
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<Value>(&body).expect("a JSON body");
        answered += 1;
    }
    assert_eq!(answered, 200);
    let total: u64 = [
        ("/v1/rank", "GET"),
        ("/v1/rank", "POST"),
        ("/v1/recommend", "GET"),
        ("/v1/migrate", "GET"),
    ]
    .iter()
    .map(|(r, m)| state.metrics.count(r, m, 200))
    .sum();
    assert_eq!(total, 200);
    stop.send(()).unwrap();
    task.await.unwrap().expect("the server stops cleanly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graceful_shutdown_finishes_requests_in_flight() {
    let extra = Router::new().route(
        "/test/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            "done"
        }),
    );
    // The same layers as `router`, on a real listener: serve the extra route through a custom
    // state by binding directly.
    let state = AppState::new(kb());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = router_with(state, extra);
    let server = tokio::spawn(async move {
        axum::serve(listener, app.into_make_service())
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    let slow = tokio::spawn(async move { http(addr, &get_request("/test/slow")).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    let (status, body) = slow.await.unwrap();
    assert_eq!((status, body.as_str()), (200, "done"));
    server.await.unwrap().unwrap();

    // Bound::serve does the same.
    let (addr, stop, task) = start(AppState::new(kb())).await;
    let in_flight = tokio::spawn(async move { http(addr, &get_request("/v1/audit")).await });
    tokio::time::sleep(Duration::from_millis(20)).await;
    stop.send(()).unwrap();
    assert_eq!(in_flight.await.unwrap().0, 200);
    task.await.unwrap().expect("the server stops cleanly");
    // And it no longer accepts connections.
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
