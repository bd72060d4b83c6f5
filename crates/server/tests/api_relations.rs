//! `/v1/deps` and `/v1/ops` end to end: the answers are the api's views, GET and POST ask the
//! same questions, and bad requests are 400 naming the field.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::Value;
use stackmatrix_api::request::{MaturityVector, ScenarioRequest};
use stackmatrix_api::{DepsRequest, OpsRequest};
use stackmatrix_model::Lang;
use stackmatrix_server::{router, AppState};
use std::sync::Arc;
use tower::ServiceExt;

fn app() -> Router {
    router(AppState::new(Arc::new(
        stackmatrix_model::builtin().unwrap(),
    )))
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, Vec<u8>) {
    let response = app.clone().oneshot(req).await.expect("infallible");
    let status = response.status();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, body.to_vec())
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Vec<u8>) {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(app: &Router, uri: &str, body: &str) -> (StatusCode, Vec<u8>) {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    send(app, req).await
}

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).expect("JSON")
}

#[tokio::test]
async fn answers_are_the_api_views_and_get_equals_post() {
    let app = app();
    let kb = stackmatrix_model::builtin().unwrap();
    let coverage = DepsRequest {
        scenario: ScenarioRequest::scenario("edge"),
        stack: Some(vec!["k3s".into(), "wasmedge".into()]),
        ..DepsRequest::default()
    };
    let apply = OpsRequest {
        apply: Some(vec!["build-image".into(), "deploy-container".into()]),
        tech: Some("k3s".into()),
        scenario: ScenarioRequest::scenario("edge"),
        ..OpsRequest::default()
    };
    let keyed = OpsRequest {
        apply: Some(vec!["canary".into()]),
        to: Some(MaturityVector::parse_list("I=0.5,Theta=0").unwrap()),
        ..OpsRequest::default()
    };
    let cases: Vec<(&str, Option<&str>, Vec<u8>)> = vec![
        (
            "/v1/deps",
            Some("{}"),
            serde_json::to_vec(
                &stackmatrix_api::deps(&kb, Lang::En, &DepsRequest::default()).unwrap(),
            )
            .unwrap(),
        ),
        (
            "/v1/deps?scenario=edge&stack=k3s,wasmedge",
            Some(r#"{"scenario": "edge", "stack": ["k3s", "wasmedge"]}"#),
            serde_json::to_vec(&stackmatrix_api::deps(&kb, Lang::En, &coverage).unwrap()).unwrap(),
        ),
        (
            "/v1/ops?apply=build-image,deploy-container&tech=k3s&scenario=edge",
            Some(
                r#"{"apply": ["build-image", "deploy-container"], "tech": "k3s", "scenario": "edge"}"#,
            ),
            serde_json::to_vec(&stackmatrix_api::ops(&kb, Lang::En, &apply).unwrap()).unwrap(),
        ),
        (
            "/v1/ops?apply=canary&to=I%3D0.5,Theta%3D0",
            Some(r#"{"apply": ["canary"], "to": {"I": 0.5, "Theta": 0}}"#),
            serde_json::to_vec(&stackmatrix_api::ops(&kb, Lang::En, &keyed).unwrap()).unwrap(),
        ),
        (
            "/v1/ops?lang=zh",
            None,
            serde_json::to_vec(
                &stackmatrix_api::ops(&kb, Lang::Zh, &OpsRequest::default()).unwrap(),
            )
            .unwrap(),
        ),
    ];
    for (uri, body, expected) in cases {
        let (status, got) = get(&app, uri).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&got)
        );
        assert_eq!(got, expected, "GET {uri}");
        if let Some(body) = body {
            let path = uri.split('?').next().unwrap();
            let (status, posted) = post(&app, path, body).await;
            assert_eq!(status, StatusCode::OK, "POST {path} {body}");
            assert_eq!(posted, expected, "POST {path} {body}");
        }
    }
}

#[tokio::test]
async fn bad_requests_are_400_naming_the_field() {
    let app = app();
    let cases: Vec<(&str, Option<&str>, &str)> = vec![
        ("/v1/deps?concept=Z", None, "concept"),
        ("/v1/deps?tech=k3s", None, "scenario"),
        ("/v1/deps?scenario=edge", None, "tech"),
        ("/v1/deps?scenario=edge&tech=nope", None, "tech"),
        ("/v1/deps?scenario=edge&tech=k3s&min_fit=2", None, "min_fit"),
        ("/v1/deps?scenario=edge&tech=k3s&min_fit=x", None, "min_fit"),
        ("/v1/deps?scenario=nope&tech=k3s", None, "scenario"),
        ("/v1/deps?frobnicate=1", None, "frobnicate"),
        ("/v1/deps", Some(r#"{"min_fit": "high"}"#), "min_fit"),
        ("/v1/ops?apply=build-image,deploy", None, "apply"),
        ("/v1/ops?apply=", None, "apply"),
        (
            "/v1/ops?apply=canary&to=0,0,1.5,0,0,0,0,0,0,0,0,0",
            None,
            "to",
        ),
        ("/v1/ops?apply=canary&to=1,2", None, "to"),
        ("/v1/ops?to=1,1,1,1,1,1,1,1,1,1,1,1", None, "to"),
        ("/v1/ops?apply=canary&tech=k3s", None, "scenario"),
        (
            "/v1/ops",
            Some(r#"{"apply": ["canary"], "to": {"Z": 1}}"#),
            "to",
        ),
        ("/v1/ops", Some(r#"{"apply": "canary"}"#), "apply"),
    ];
    for (uri, body, field) in cases {
        let (status, got) = match body {
            Some(b) => post(&app, uri, b).await,
            None => get(&app, uri).await,
        };
        let doc = json(&got);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri} {body:?}: {doc}");
        assert_eq!(doc["field"], field, "{uri} {body:?}: {doc}");
        assert!(
            doc["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{doc}"
        );
    }
    // The unknown operation's message lists the valid ids.
    let (_, got) = get(&app, "/v1/ops?apply=deploy").await;
    let message = json(&got)["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("expected one of: build-image"),
        "{message}"
    );
}
