//! `POST /v1/fleet` with a learned Θ (issue 13, defect 14): a row scores as `/v1/rank` and
//! `/v1/recommend` score its vector, with the knowledge base's Θ.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::Value;
use stackmatrix_server::{router, AppState};
use std::sync::Arc;
use tower::ServiceExt;

/// The built-in knowledge base with θ_I = 0.2 and θ_C = 0.3, as a learned overlay gives it.
fn app() -> Router {
    let mut kb = stackmatrix_model::builtin().unwrap();
    kb.tables.theta.value[0] = 0.2;
    kb.tables.theta.value[1] = 0.3;
    router(AppState::new(Arc::new(kb)))
}

async fn send(app: &Router, req: Request<Body>) -> Value {
    let response = app.clone().oneshot(req).await.expect("infallible");
    let status = response.status();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

async fn post(app: &Router, uri: &str, body: &str) -> Value {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    send(app, req).await
}

#[tokio::test]
async fn fleet_rows_score_with_the_knowledge_bases_theta() {
    let app = app();
    // memory 2 GB: small-memory adds edge 1 to the base prod 1 (the vector 0,0,1,1,0,0); a GPU
    // requires gpu.
    let fleet = post(
        &app,
        "/v1/fleet",
        r#"{"rows": [{"id": "n1", "cpu_cores": 4, "memory_gb": 2, "network": "stable",
            "tenants": 1, "workload": "service", "gpus": 1}], "top": 3, "stacks": true}"#,
    )
    .await;
    let row = &fleet["rows"][0];
    assert_eq!(
        row["vector"],
        serde_json::json!([0.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    );
    let get = Request::get("/v1/rank?vector=0,0,1,1,0,0")
        .body(Body::empty())
        .unwrap();
    let rank = send(&app, get).await;
    assert!(rank["scenario"]["theta"].is_array(), "{}", rank["scenario"]);
    assert_eq!(rank["ranking"][0]["id"], "opa");
    let opa = rank["ranking"][0]["score"].as_f64().unwrap();
    assert!((opa - 7.9375).abs() < 1e-12, "{opa}");
    for k in 0..3 {
        assert_eq!(row["chains"][k], {
            let e = &rank["ranking"][k];
            serde_json::json!({"id": e["id"], "score": e["score"]})
        });
    }
    let recommend = post(
        &app,
        "/v1/recommend",
        r#"{"vector": [0, 0, 1, 1, 0, 0], "require": ["gpu"]}"#,
    )
    .await;
    assert_eq!(row["stack"]["id"], recommend["stack"]["id"]);
    assert_eq!(row["stack"]["score"], recommend["stack"]["score"]);
}
