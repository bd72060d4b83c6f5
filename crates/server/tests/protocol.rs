//! The server at the protocol level, over raw TCP: what a careless or hostile client sends that
//! hyper would answer itself (a malformed request line, header fields past the limit, a head
//! that never ends), bodies that cannot fit (a declared length or a chunk size past the limit)
//! or never arrive, and the answers that come from no handler (404, 405, 415, a path that
//! cannot be read). Every one is the server's JSON error, counted in `/metrics`, and comes at
//! once or within its documented timeout.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request};
use serde_json::Value;
use stackmatrix_model::KnowledgeBase;
use stackmatrix_server::{router, AppState, Limits};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower::ServiceExt;

fn kb() -> Arc<KnowledgeBase> {
    static KB: OnceLock<Arc<KnowledgeBase>> = OnceLock::new();
    KB.get_or_init(|| Arc::new(stackmatrix_model::builtin().expect("the knowledge base loads")))
        .clone()
}

/// Serves `state` on a free port until the test ends.
async fn start(state: AppState) -> SocketAddr {
    let bound = stackmatrix_server::bind("127.0.0.1:0".parse().unwrap())
        .await
        .expect("binds");
    let addr = bound.local_addr();
    tokio::spawn(bound.serve(state, std::future::pending()));
    addr
}

/// An answer read off the wire.
#[derive(Debug)]
struct Wire {
    status: u16,
    head: String,
    body: Value,
    after: Duration,
}

/// Reads one answer from `stream`: its head, and a JSON body of its Content-Length. `raw`
/// holds what was read past the previous answer.
async fn answer(stream: &mut TcpStream, raw: &mut Vec<u8>, started: Instant) -> Wire {
    let mut chunk = [0u8; 4096];
    let read = async {
        loop {
            if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .expect("a content-length");
                if raw.len() >= end + 4 + length {
                    let body = raw[end + 4..end + 4 + length].to_vec();
                    raw.drain(..end + 4 + length);
                    return (head, body);
                }
            }
            let n = stream.read(&mut chunk).await.expect("reads the answer");
            assert!(n > 0, "the connection closed before an answer: {raw:?}");
            raw.extend_from_slice(&chunk[..n]);
        }
    };
    let (head, body) = tokio::time::timeout(Duration::from_secs(8), read)
        .await
        .expect("an answer within 8 s");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let body = serde_json::from_slice(&body).unwrap_or_else(|_| {
        panic!(
            "a JSON body, got {head}\n{}",
            String::from_utf8_lossy(&body)
        )
    });
    Wire {
        status,
        head,
        body,
        after: started.elapsed(),
    }
}

/// Sends `bytes` on a fresh connection (and nothing more) and reads one answer.
async fn exchange(addr: SocketAddr, bytes: &[u8]) -> Wire {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    let started = Instant::now();
    stream.write_all(bytes).await.expect("sends");
    answer(&mut stream, &mut Vec::new(), started).await
}

/// The JSON error of the server's shape.
fn expect_error(w: &Wire, status: u16, kind: &str) {
    assert_eq!(w.status, status, "{w:?}");
    assert!(w.head.contains("content-type: application/json"), "{w:?}");
    assert_eq!(w.body["error"], kind, "{w:?}");
    assert!(
        w.body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{w:?}"
    );
}

async fn metric(addr: SocketAddr, line_start: &str) -> u64 {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).await.unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(line_start))
        .map_or(0, |n| n.trim().parse().unwrap())
}

const POST_HEAD: &str = "POST /v1/rank HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_length_past_the_limit_is_413_at_once_even_when_busy() {
    // One turn, taken by a request whose body is late: the 413 does not wait for it.
    let limits = Limits {
        in_flight: 1,
        ..Limits::default()
    };
    let addr = start(AppState::with_limits(kb(), limits)).await;
    let mut holder = TcpStream::connect(addr).await.unwrap();
    holder
        .write_all(format!("{POST_HEAD}content-length: 100\r\n\r\n{{").as_bytes())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    for declared in ["1000000000000", "65537"] {
        let w = exchange(
            addr,
            format!("{POST_HEAD}content-length: {declared}\r\n\r\n").as_bytes(),
        )
        .await;
        expect_error(&w, 413, "payload_too_large");
        assert!(w.after < Duration::from_secs(1), "{w:?}");
        let message = w.body["message"].as_str().unwrap();
        assert!(
            message.contains(declared) && message.contains("65536"),
            "{message}"
        );
    }
    // A chunk size arriving with the head is known before the turn, too.
    let w = exchange(
        addr,
        format!("{POST_HEAD}transfer-encoding: chunked\r\n\r\nE8D4A51000\r\n").as_bytes(),
    )
    .await;
    expect_error(&w, 413, "payload_too_large");
    assert!(w.after < Duration::from_secs(1), "{w:?}");
    // With `Expect: 100-continue` the client is told before it sends anything.
    let w = exchange(
        addr,
        format!("{POST_HEAD}expect: 100-continue\r\ncontent-length: 999999\r\n\r\n").as_bytes(),
    )
    .await;
    expect_error(&w, 413, "payload_too_large");
    drop(holder);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chunked_body_announcing_more_than_the_limit_is_413_at_once() {
    let addr = start(AppState::new(kb())).await;
    let chunked = format!("{POST_HEAD}transfer-encoding: chunked\r\n\r\n");
    // A chunk-size line announcing 1 TB, then a few bytes, then nothing.
    let w = exchange(
        addr,
        format!("{chunked}E8D4A51000\r\n{{\"scenario\"").as_bytes(),
    )
    .await;
    expect_error(&w, 413, "payload_too_large");
    assert!(w.after < Duration::from_secs(1), "{w:?}");
    // Small chunks adding up past the limit: 413 at the chunk that passes it.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let started = Instant::now();
    stream.write_all(chunked.as_bytes()).await.unwrap();
    let piece = format!("8000\r\n{}\r\n", " ".repeat(0x8000));
    stream.write_all(piece.as_bytes()).await.unwrap();
    stream.write_all(piece.as_bytes()).await.unwrap();
    stream.write_all(b"1\r\n").await.unwrap();
    let w = answer(&mut stream, &mut Vec::new(), started).await;
    expect_error(&w, 413, "payload_too_large");
    assert!(w.after < Duration::from_secs(1), "{w:?}");
    // Exactly at the limit, in chunks, is read.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let body = format!("{{\"scenario\": \"edge\"}}{}", " ".repeat(0x10000 - 20));
    assert_eq!(body.len(), 0x10000);
    let (a, b) = body.split_at(0x8000);
    let request = format!("{chunked}8000\r\n{a}\r\n8000\r\n{b}\r\n0\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let w = answer(&mut stream, &mut Vec::new(), Instant::now()).await;
    assert_eq!(w.status, 200, "{w:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_or_a_head_that_does_not_arrive_is_408() {
    let limits = Limits {
        body_timeout: Duration::from_millis(300),
        head_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let addr = start(AppState::with_limits(kb(), limits)).await;
    // A body announced as 100 bytes; 1 comes.
    let w = exchange(
        addr,
        format!("{POST_HEAD}content-length: 100\r\n\r\n{{").as_bytes(),
    )
    .await;
    expect_error(&w, 408, "timeout");
    assert!(w.after < Duration::from_secs(3), "{w:?}");
    assert!(w.body["message"].as_str().unwrap().contains("body"));
    // A head that never ends.
    let w = exchange(addr, b"GET /healthz HTTP/1.1\r\nhost: t\r\nx-slow: 1").await;
    expect_error(&w, 408, "timeout");
    assert!(w.after < Duration::from_secs(3), "{w:?}");
    assert_eq!(
        metric(
            addr,
            r#"stackmatrix_http_requests_total{route="unmatched",method="GET",status="408"}"#
        )
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn header_fields_past_the_limit_are_431_json_and_counted() {
    let addr = start(AppState::new(kb())).await;
    let counter = r#"stackmatrix_http_requests_total{route="unmatched",method="GET",status="431"}"#;
    assert_eq!(metric(addr, counter).await, 0);
    let big = format!(
        "GET /healthz HTTP/1.1\r\nhost: t\r\nx-big: {}\r\n\r\n",
        "a".repeat(500_000)
    );
    let w = exchange(addr, big.as_bytes()).await;
    expect_error(&w, 431, "headers_too_large");
    assert!(w.head.contains("content-security-policy"), "{w:?}");
    let many: String = (0..101).map(|i| format!("x-{i}: 1\r\n")).collect();
    let w = exchange(
        addr,
        format!("GET /healthz HTTP/1.1\r\n{many}\r\n").as_bytes(),
    )
    .await;
    expect_error(&w, 431, "headers_too_large");
    assert_eq!(metric(addr, counter).await, 2);
    // A request line alone past the limit is 414.
    let long = format!("GET /v1/rank?{} HTTP/1.1\r\n\r\n", "a".repeat(40_000));
    expect_error(&exchange(addr, long.as_bytes()).await, 414, "uri_too_long");
    // Header fields within the limit are answered.
    let fine = format!(
        "GET /healthz HTTP/1.1\r\nhost: t\r\nx-big: {}\r\n\r\n",
        "a".repeat(16_000)
    );
    assert_eq!(exchange(addr, fine.as_bytes()).await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_request_is_400_json_and_counted() {
    let addr = start(AppState::new(kb())).await;
    let cases: [&[u8]; 5] = [
        b"GARBAGE\x01 / HTTP/1.1\r\nhost: t\r\n\r\n",
        b"GET / HTTP/9.9\r\nhost: t\r\n\r\n",
        b"GET / HTTP/1.1\r\nbad name: t\r\n\r\n",
        b"POST /v1/rank HTTP/1.1\r\ncontent-length: 12abc\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    ];
    for bytes in cases {
        let w = exchange(addr, bytes).await;
        expect_error(&w, 400, "bad_request");
        assert!(w.after < Duration::from_secs(1), "{w:?}");
    }
    let counted = metric(
        addr,
        r#"stackmatrix_http_requests_total{route="unmatched",method="other",status="400"}"#,
    )
    .await
        + metric(
            addr,
            r#"stackmatrix_http_requests_total{route="unmatched",method="GET",status="400"}"#,
        )
        .await
        + metric(
            addr,
            r#"stackmatrix_http_requests_total{route="unmatched",method="POST",status="400"}"#,
        )
        .await;
    assert_eq!(counted, 5);
    // On a kept-alive connection, the requests before the bad one are answered first.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut raw = Vec::new();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: t\r\n\r\nGET / HTTP/1.1\r\nbad name: t\r\n\r\n")
        .await
        .unwrap();
    let first = answer(&mut stream, &mut raw, Instant::now()).await;
    assert_eq!(
        (first.status, &first.body["status"]),
        (200, &Value::from("ok"))
    );
    expect_error(
        &answer(&mut stream, &mut raw, Instant::now()).await,
        400,
        "bad_request",
    );
}

#[tokio::test]
async fn answers_from_no_handler_are_json_and_counted() {
    let state = AppState::new(kb());
    let app = router(state.clone());
    let cases = [
        (
            Request::get("/nope").body(Body::empty()).unwrap(),
            404,
            "unmatched",
            "GET",
        ),
        (
            Request::delete("/v1/rank").body(Body::empty()).unwrap(),
            405,
            "/v1/rank",
            "DELETE",
        ),
        (
            Request::post("/v1/rank")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("{}"))
                .unwrap(),
            415,
            "/v1/rank",
            "POST",
        ),
        (
            Request::get("/v1/techs/%FF").body(Body::empty()).unwrap(),
            400,
            "/v1/techs/{id}",
            "GET",
        ),
        (
            Request::get("/v1/rank?scenario=%FF")
                .body(Body::empty())
                .unwrap(),
            400,
            "/v1/rank",
            "GET",
        ),
        (
            Request::post("/v1/rank")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, "70000")
                .body(Body::from("{}"))
                .unwrap(),
            413,
            "/v1/rank",
            "POST",
        ),
    ];
    for (req, status, route, method) in cases {
        let what = format!("{method} {}", req.uri());
        let response = app.clone().oneshot(req).await.unwrap();
        assert_eq!(response.status().as_u16(), status, "{what}");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/json",
            "{what}"
        );
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        let body: Value = serde_json::from_slice(&body).expect("JSON");
        assert!(
            body["error"].is_string() && body["message"].is_string(),
            "{what}: {body}"
        );
        assert_eq!(state.metrics.count(route, method, status), 1, "{what}");
    }
}
