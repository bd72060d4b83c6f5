//! The fuzz harness of the HTTP API: every route's good request (the list in `api.rs`) mutated
//! into hostile bodies and queries, sent through the whole router with its layers.
//!
//! Every answer must come within [`DEADLINE`], never be a 5xx, and be JSON wherever the route
//! answers JSON; an error answer is bounded in size (a 200 KB value is cut, not echoed).
//!
//! The budget is `STACKMATRIX_FUZZ_CASES` cases (default [`DEFAULT_CASES`], what CI runs); a
//! longer run is `STACKMATRIX_FUZZ_CASES=2000 cargo test --release -p stackmatrix-server --test
//! integration fuzz_bodies::` (docs/guarantees.md).

use axum::body::{to_bytes, Body};
use axum::http::{header, Method, Request, StatusCode};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::{json, Value};
use stackmatrix_model::KnowledgeBase;
use stackmatrix_server::{router, AppState};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tower::ServiceExt;

const DEFAULT_CASES: u32 = 48;

/// An answer still pending after this long is a hang (a debug build on a loaded machine; the
/// server's own request timeout answers long before).
const DEADLINE: Duration = Duration::from_secs(60);

/// An error answer longer than this echoes what it was sent.
const ERROR_BODY_LIMIT: usize = 2 * 64 * 1024 + 16 * 1024;

fn kb() -> Arc<KnowledgeBase> {
    static KB: OnceLock<Arc<KnowledgeBase>> = OnceLock::new();
    KB.get_or_init(|| Arc::new(stackmatrix_model::builtin().expect("the knowledge base loads")))
        .clone()
}

/// The generators' seed: fixed, so CI runs the same inputs every time, unless
/// `STACKMATRIX_FUZZ_SEED` names another (`random` draws one from the clock). A failure names
/// the seed, so `STACKMATRIX_FUZZ_SEED=N` replays it.
fn seed_value() -> u64 {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SEED.get_or_init(
        || match std::env::var("STACKMATRIX_FUZZ_SEED").ok().as_deref() {
            Some("random") => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64),
            Some(s) => s
                .parse()
                .expect("STACKMATRIX_FUZZ_SEED is a number or 'random'"),
            None => 20261206,
        },
    )
}

fn seed() -> RngSeed {
    RngSeed::Fixed(seed_value())
}

fn cases() -> u32 {
    std::env::var("STACKMATRIX_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// A hostile JSON value: wrong types, numbers beyond f64, deep nesting, long and control text.
fn hostile_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        Just(json!(true)),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(1e308)),
        Just(json!(-1e308)),
        Just(json!(u64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(5e-324)),
        Just(json!("")),
        Just(json!("\u{1b}]0;pwned\u{7}")),
        Just(json!("nope")),
        Just(json!("edge")),
        Just(json!([])),
        Just(json!({})),
        any::<f64>().prop_map(|f| json!(f)),
        (1usize..200_000).prop_map(|n| json!("A".repeat(n))),
        "[ -~]{0,30}".prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// One change to a good request.
#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the value of the n-th field (of the top-level object) with a hostile value.
    Field(usize, Value),
    /// Remove the n-th field.
    Drop(usize),
    /// Add an unknown field.
    Unknown(String, Value),
    /// Send a hostile value instead of the whole body.
    Whole(Value),
    /// Send the body's text cut at this share (thousandths) of its length.
    Cut(u16),
    /// Nest the body this deep in arrays.
    Deep(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => (any::<usize>(), hostile_json()).prop_map(|(i, v)| Mutation::Field(i, v)),
        1 => any::<usize>().prop_map(Mutation::Drop),
        1 => ("[a-z_]{1,10}", hostile_json()).prop_map(|(k, v)| Mutation::Unknown(k, v)),
        1 => hostile_json().prop_map(Mutation::Whole),
        1 => (0u16..1000).prop_map(Mutation::Cut),
        1 => (1usize..100_000).prop_map(Mutation::Deep),
    ]
}

fn mutate(body: &str, mutations: &[Mutation]) -> Vec<u8> {
    let mut value: Value = serde_json::from_str(body).expect("a good body is JSON");
    let mut cut = None;
    let mut deep = 0;
    for m in mutations {
        match m {
            Mutation::Field(i, v) => {
                if let Some(obj) = value.as_object_mut() {
                    if let Some(key) = obj.keys().nth(i % obj.len().max(1)).cloned() {
                        obj.insert(key, v.clone());
                    }
                }
            }
            Mutation::Drop(i) => {
                if let Some(obj) = value.as_object_mut() {
                    if let Some(key) = obj.keys().nth(i % obj.len().max(1)).cloned() {
                        obj.remove(&key);
                    }
                }
            }
            Mutation::Unknown(k, v) => {
                if let Some(obj) = value.as_object_mut() {
                    obj.insert(k.clone(), v.clone());
                }
            }
            Mutation::Whole(v) => value = v.clone(),
            Mutation::Cut(t) => cut = Some(*t),
            Mutation::Deep(n) => deep = *n,
        }
    }
    let mut text = serde_json::to_string(&value).expect("serialisable");
    if deep > 0 {
        text = format!("{}{text}{}", "[".repeat(deep), "]".repeat(deep));
    }
    if let Some(t) = cut {
        let keep = text.len() * t as usize / 1000;
        let mut bytes = text.into_bytes();
        bytes.truncate(keep);
        return bytes;
    }
    text.into_bytes()
}

/// Sends one request through the router and checks the answer.
async fn send(method: Method, uri: &str, body: Vec<u8>) -> Result<(), TestCaseError> {
    let request = Request::builder()
        .method(method.clone())
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("a request");
    let app = router(AppState::new(kb()));
    let response = tokio::time::timeout(DEADLINE, app.oneshot(request))
        .await
        .map_err(|_| TestCaseError::fail(format!("hang: {method} {uri}")))?
        .expect("the router is infallible");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .map_err(|e| TestCaseError::fail(format!("{method} {uri}: unreadable answer: {e}")))?;
    let shown: String = String::from_utf8_lossy(&bytes).chars().take(600).collect();
    prop_assert!(
        !status.is_server_error() || status == StatusCode::SERVICE_UNAVAILABLE,
        "{} {} answered {}: {}",
        method,
        uri,
        status,
        shown
    );
    if !status.is_success() {
        prop_assert!(
            content_type.starts_with("application/json"),
            "{} {} answered {} as {:?}: {}",
            method,
            uri,
            status,
            content_type,
            shown
        );
        let parsed: Result<Value, _> = serde_json::from_slice(&bytes);
        prop_assert!(
            parsed.is_ok(),
            "{} {} error is not JSON: {}",
            method,
            uri,
            shown
        );
        prop_assert!(
            bytes.len() <= ERROR_BODY_LIMIT,
            "{} {} answered an error of {} bytes: {}",
            method,
            uri,
            bytes.len(),
            shown
        );
    }
    Ok(())
}

#[track_caller]
fn check<T: std::fmt::Debug>(result: Result<(), proptest::test_runner::TestError<T>>) {
    if let Err(e) = result {
        let text = format!("{e:?}");
        let cut: String = text.chars().take(4000).collect();
        panic!(
            "fuzz failure (seed {}; replay with STACKMATRIX_FUZZ_SEED={0}; {} bytes of report):\n{cut}",
            seed_value(),
            text.len()
        );
    }
}

/// The runtime the requests are sent on: one thread, so cases run one after the other.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// The generator's runner: the budget and seed of this run, no regression files written.
fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 64,
        rng_seed: seed(),
        ..Config::default()
    })
}

#[test]
fn every_post_body() {
    let seeds: Vec<(String, String)> = crate::api::good_requests()
        .into_iter()
        .filter(|(method, ..)| method == Method::POST)
        .filter_map(|(_, uri, body, _)| body.map(|b| (uri, b)))
        .collect();
    assert!(!seeds.is_empty(), "api.rs lists good POST requests");
    let runtime = runtime();
    let mut runner = runner();
    let strategy = (0..seeds.len(), proptest::collection::vec(mutation(), 1..4));
    let result = runner.run(&strategy, |(seed, mutations)| {
        let (uri, body) = &seeds[seed];
        runtime.block_on(send(Method::POST, uri, mutate(body, &mutations)))
    });
    check(result);
}

/// A hostile query value, percent-encoded.
fn hostile_query_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("".to_string()),
        Just("1e308,1e308,1e308,1e308,1e308,1e308".to_string()),
        Just("nan".to_string()),
        Just("-1".to_string()),
        Just("\u{1b}]0;x\u{7}".to_string()),
        (1usize..20_000).prop_map(|n| "9".repeat(n)),
        "[ -~]{0,30}",
    ]
    .prop_map(|v| {
        v.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    })
}

#[test]
fn every_get_query() {
    let seeds: Vec<String> = crate::api::good_requests()
        .into_iter()
        .filter(|(method, uri, ..)| method == Method::GET && uri.starts_with("/v1/"))
        .map(|(_, uri, ..)| uri)
        .collect();
    let runtime = runtime();
    let mut runner = runner();
    let strategy = (0..seeds.len(), any::<usize>(), hostile_query_value());
    let result = runner.run(&strategy, |(seed, which, value)| {
        let uri = &seeds[seed];
        // Replace the value of one parameter (or the last path segment when there is none).
        let hostile = match uri.split_once('?') {
            Some((path, query)) => {
                let mut pairs: Vec<(String, String)> = query
                    .split('&')
                    .map(|p| match p.split_once('=') {
                        Some((k, v)) => (k.to_string(), v.to_string()),
                        None => (p.to_string(), String::new()),
                    })
                    .collect();
                let n = pairs.len();
                pairs[which % n].1 = value;
                let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("{path}?{}", query.join("&"))
            }
            None => match uri.rsplit_once('/') {
                Some((head, _)) => format!("{head}/{value}"),
                None => uri.clone(),
            },
        };
        runtime.block_on(send(Method::GET, &hostile, Vec::new()))
    });
    check(result);
}
