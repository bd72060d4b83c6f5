//! `POST /v1/decide` refuses PROMETHEE II past its size limit the way the command line does
//! (issue 13, defect 13): the limit is the engine's (`PROMETHEE_MAX_EVALUATIONS`, 400 million
//! pairwise evaluations; the server does not depend on the engine, so the figures are written
//! out here), so a server whose own matrix limit is raised above it answers 400 with the
//! engine's message, naming the method, the size and the limit, at once.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};
use stackmatrix_model::KnowledgeBase;
use stackmatrix_server::{router, AppState, Limits};
use std::sync::Arc;
use tower::ServiceExt;

/// The engine's `PROMETHEE_MAX_EVALUATIONS`.
const LIMIT: usize = 400_000_000;

fn body(m: usize, n: usize, method: &str) -> String {
    let matrix: Vec<Vec<usize>> = (0..m)
        .map(|i| (0..n).map(|j| (i * 7 + j * 13) % 101 + 1).collect())
        .collect();
    json!({
        "alternatives": (0..m).map(|i| format!("a{i}")).collect::<Vec<_>>(),
        "criteria": (0..n).map(|j| format!("c{j}")).collect::<Vec<_>>(),
        "matrix": matrix,
        "method": method,
    })
    .to_string()
}

async fn post(app: &axum::Router, body: String) -> (StatusCode, Value) {
    let req = Request::post("/v1/decide")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap();
    let response = app.clone().oneshot(req).await.expect("infallible");
    let status = response.status();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).expect("a JSON answer"),
    )
}

#[tokio::test]
async fn promethee_past_its_limit_is_a_400_naming_the_method_size_and_limit() {
    let kb: Arc<KnowledgeBase> =
        Arc::new(stackmatrix_model::builtin().expect("the knowledge base loads"));
    let limits = Limits {
        decide_alternatives: 10_000,
        body_bytes: 4 * 1024 * 1024,
        ..Limits::default()
    };
    let app = router(AppState::with_limits(kb, limits));
    let (m, n) = (6_400, 10);
    assert!(m * (m - 1) * n > LIMIT);
    let (status, answer) = post(&app, body(m, n, "promethee:gaussian:s=5")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["field"], "method", "{answer}");
    let message = answer["message"].as_str().unwrap_or_default();
    for part in [
        "PROMETHEE II",
        "6400 alternatives x 10 criteria",
        &LIMIT.to_string(),
        "at most 6325 alternatives with 10 criteria",
    ] {
        assert!(message.contains(part), "{part:?} not in {message}");
    }
    // The same matrix with a linear method is answered.
    let (status, answer) = post(&app, body(m, n, "topsis")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["ranking"].as_array().map(Vec::len), Some(m));
}
