//! The HTTP server of `stackmatrix`: the read verbs of `stackmatrix-api` as JSON under `/v1/`,
//! the web page at `/`, health, metrics and an OpenAPI document. Routes and examples are in
//! `docs/http.md`.
//!
//! Every `/v1/` answer is the api's view serialised as it is, the same document as
//! `stackmatrix VERB ... -o json`. The server is read-only: it holds the knowledge base in
//! memory and writes nothing.
//!
//! Hardening, outermost first: every request is counted and timed ([`metrics`]) and gets the
//! security headers; it waits for one of [`Limits::in_flight`] turns and is answered within
//! [`Limits::timeout`] (503 otherwise); a panic becomes a 500; bodies are at most
//! [`Limits::body_bytes`] (413, before the turn when the declared length or the chunk sizes
//! say so) and arrive within [`Limits::body_timeout`] (408); every connection is read through a
//! gate that answers a malformed or oversized head itself, as JSON (see `gate`); the verbs that search or sample run on the blocking pool, at most
//! [`Limits::blocking`] at once; requests that ask for more than the [`Limits`] are 400. Every
//! error is JSON: `{"error": KIND, "message": ..., "field": ...}` ([`HttpError`]).
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let kb = std::sync::Arc::new(stackmatrix_model::builtin().unwrap());
//! stackmatrix_server::serve("127.0.0.1:8080".parse().unwrap(), kb, stackmatrix_server::shutdown_signal()).await
//! # }
//! ```

#![deny(missing_docs)]

mod assets;
mod body;
mod error;
mod fleet;
mod gate;
mod handlers;
mod input;
mod learning;
mod limits;
pub mod metrics;
mod openapi;
mod relations;
mod risk_cost;

pub use crate::assets::{content_type as asset_content_type, paths as asset_paths};
pub use crate::error::{HttpError, Origin};
pub use crate::limits::{Limits, MAX_QUERY_BYTES};
pub use crate::metrics::Metrics;
pub use crate::openapi::document as openapi_document;

use crate::handlers::*;
use axum::extract::{ConnectInfo, DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use stackmatrix_model::{KnowledgeBase, Lang};
use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;

/// What every handler shares: the knowledge base (read-only), the default language, the limits,
/// the metrics and the semaphores that bound the work in flight.
#[derive(Clone)]
pub struct AppState {
    /// The knowledge base, built-in with any `--model` overlay.
    pub kb: Arc<KnowledgeBase>,
    /// The language of names when a request gives no `?lang=`.
    pub lang: Lang,
    /// What the server answers at most.
    pub limits: Arc<Limits>,
    /// Request counters and latency histograms.
    pub metrics: Arc<Metrics>,
    in_flight: Arc<Semaphore>,
    blocking: Arc<Semaphore>,
}

impl AppState {
    /// A server's state with the default limits and English names.
    pub fn new(kb: Arc<KnowledgeBase>) -> AppState {
        AppState::with_limits(kb, Limits::default())
    }

    /// A server's state with these limits.
    pub fn with_limits(kb: Arc<KnowledgeBase>, limits: Limits) -> AppState {
        AppState {
            kb,
            lang: Lang::En,
            in_flight: Arc::new(Semaphore::new(limits.in_flight.max(1))),
            blocking: Arc::new(Semaphore::new(limits.blocking.max(1))),
            limits: Arc::new(limits),
            metrics: Arc::new(Metrics::default()),
        }
    }

    /// The language of names when a request gives no `?lang=`.
    pub fn with_lang(mut self, lang: Lang) -> AppState {
        self.lang = lang;
        self
    }

    /// Runs CPU-heavy work on the blocking pool, at most [`Limits::blocking`] at once. The turn
    /// is held until the work ends, even when the request has timed out meanwhile, so work
    /// abandoned by a timeout still counts against the bound. A panic in the work is re-raised
    /// here, for the panic layer to answer 500.
    pub async fn blocking<T, F>(&self, work: F) -> Result<T, HttpError>
    where
        T: Send + 'static,
        F: FnOnce(&KnowledgeBase) -> Result<T, HttpError> + Send + 'static,
    {
        let permit = self
            .blocking
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| HttpError::for_status(StatusCode::SERVICE_UNAVAILABLE))?;
        let kb = self.kb.clone();
        match tokio::task::spawn_blocking(move || {
            let _turn = permit;
            work(&kb)
        })
        .await
        {
            Ok(answer) => answer,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            // Cancelled: only when the runtime itself shuts down.
            Err(_) => Err(HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "the server is shutting down",
            )),
        }
    }
}

/// The routes, each path with its methods, gathered so that the same table builds the router
/// and is checked against the OpenAPI document.
struct Routes {
    table: Vec<(&'static str, &'static str)>,
    methods: BTreeMap<&'static str, MethodRouter<AppState>>,
}

impl Routes {
    fn new() -> Routes {
        Routes {
            table: Vec::new(),
            methods: BTreeMap::new(),
        }
    }

    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        route: MethodRouter<AppState>,
    ) -> Routes {
        self.table.push((method, path));
        let merged = match self.methods.remove(path) {
            Some(existing) => existing.merge(route),
            None => route,
        };
        self.methods.insert(path, merged);
        self
    }

    fn verb<V: QueryVerb>(self, path: &'static str) -> Routes {
        self.add("GET", path, get(verb_get::<V>))
            .add("POST", path, post(verb_post::<V>))
    }

    fn router(self) -> Router<AppState> {
        self.methods
            .into_iter()
            .fold(Router::new(), |r, (path, m)| r.route(path, m))
    }
}

fn routes() -> Routes {
    Routes::new()
        .add("GET", "/", get(assets::index))
        .add("GET", "/assets/{*path}", get(assets::asset))
        .add("GET", "/healthz", get(healthz))
        .add("GET", "/metrics", get(metrics))
        .add("GET", "/openapi.json", get(openapi))
        .add("GET", "/v1/techs", get(techs))
        .add("GET", "/v1/techs/{id}", get(tech))
        .add("GET", "/v1/scenarios", get(scenarios))
        .add("GET", "/v1/concepts", get(concepts))
        .add("GET", "/v1/scenes", get(scenes))
        .verb::<Rank>("/v1/rank")
        .verb::<Explain>("/v1/explain")
        .verb::<Recommend>("/v1/recommend")
        .add("GET", "/v1/cases", get(cases))
        .add("GET", "/v1/cases/validate", get(validate_cases))
        .add("GET", "/v1/cases/{id}", get(case))
        .add("GET", "/v1/cases/{id}/validate", get(validate_case))
        .add("GET", "/v1/audit", get(audit))
        .verb::<Migrate>("/v1/migrate")
        .verb::<risk_cost::Risk>("/v1/risk")
        .verb::<risk_cost::Cost>("/v1/cost")
        .verb::<Adapt>("/v1/adapt")
        .add("POST", "/v1/decide", post(verb_post::<Decide>))
        .verb::<Compare>("/v1/compare")
        .verb::<Robustness>("/v1/robustness")
        .verb::<relations::Deps>("/v1/deps")
        .verb::<relations::Ops>("/v1/ops")
        .add("POST", "/v1/learn", post(verb_post::<learning::Learn>))
        .add("POST", "/v1/fleet", post(verb_post::<fleet::Fleet>))
        .verb::<learning::Calibrate>("/v1/calibrate")
}

/// Every route as `(method, path template)`, in the order they are declared. `HEAD` is answered
/// wherever `GET` is.
pub fn route_table() -> Vec<(&'static str, &'static str)> {
    routes().table
}

/// The server's router: every route, with the hardening layers.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// The router with extra routes under the same layers (tests use it to add a handler that
/// panics or sleeps).
#[doc(hidden)]
pub fn router_with(state: AppState, extra: Router<AppState>) -> Router {
    let body_limit = state.limits.body_bytes;
    routes()
        .router()
        .merge(extra)
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(from_fn_with_state(state.clone(), outermost))
        .with_state(state)
}

/// The answer to a panic: 500, the same JSON shape as every error. The panic message goes to
/// standard error (the default panic hook); the server goes on.
fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    HttpError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "failure",
        "the server failed while answering this request (a bug; please report it); other requests are not affected",
    )
    .into_response()
}

/// The Content-Security-Policy of every answer: only this server's own scripts, styles and
/// images; no framing, no plugins, no foreign form targets.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Counts the request at in-flight, waits for a turn, answers within the timeout, makes sure an
/// error is JSON, adds the security headers and records the metrics.
///
/// A request its connection's gate made up for a head it refused ([`gate`]) gets the refusal's
/// answer, and one whose declared body is larger than the limit gets 413, both before waiting
/// for a turn. The body is read through [`body::guard`]; a fault it met (413, 408) is the
/// answer, whatever the handler made of the failed read.
async fn outermost(State(s): State<AppState>, mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or(metrics::UNMATCHED, |m| m.as_str())
        .to_string();
    let mut method = req.method().as_str().to_string();
    s.metrics.in_flight(1);
    let _in_flight = InFlight(&s.metrics);
    let conn = req
        .extensions()
        .get::<ConnectInfo<gate::ConnHandle>>()
        .map(|info| {
            let conn = info.0 .0.clone();
            let seq = conn.take_request();
            (conn, seq)
        });
    let refused = conn.as_ref().and_then(|(c, seq)| c.refusal(*seq));
    let early = match refused {
        Some(r) => {
            method = r.method.unwrap_or_default();
            Some(HttpError::new(r.status, r.kind, r.message))
        }
        None => body::declared_too_large(req.headers(), &s.limits).or_else(|| {
            // A chunk size that arrived with the head is known before the turn, too.
            let (c, seq) = conn.as_ref()?;
            c.over_limit(*seq)
                .then(|| body::announced_too_large(&s.limits))
        }),
    };
    let mut response = match early {
        Some(e) => e.into_response(),
        None => {
            let watch = Arc::new(body::Watch::default());
            let limits = s.limits.clone();
            let watched = watch.clone();
            req = req.map(move |b| body::guard(b, &limits, conn, watched));
            let work = async {
                let _turn = s.in_flight.acquire().await;
                next.run(req).await
            };
            let response = match tokio::time::timeout(s.limits.timeout, work).await {
                Ok(response) => response,
                Err(_) => HttpError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "timeout",
                    format!(
                        "the request was not answered within {} s; the server may be busy, retry later",
                        s.limits.timeout.as_secs_f64()
                    ),
                )
                .into_response(),
            };
            match watch.fault() {
                Some(fault) => fault.into_response(),
                None => response,
            }
        }
    };
    json_errors(&mut response);
    security_headers(response.headers_mut());
    s.metrics
        .record(&route, &method, response.status().as_u16(), start.elapsed());
    response
}

/// Decrements the in-flight gauge when the request ends, answered or dropped.
struct InFlight<'a>(&'a Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight(-1);
    }
}

/// An error answer without a JSON body (from a layer or an extractor the handlers did not map)
/// gets the JSON error of its status; its `Allow` header is kept.
fn json_errors(response: &mut Response) {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    *response = HttpError::for_status(status).into_response();
    if let Some(allow) = allow {
        response.headers_mut().insert(header::ALLOW, allow);
    }
}

fn security_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

/// A listening socket, bound but not yet serving: its address is known (port 0 picks a free
/// port) before the first request.
pub struct Bound {
    listener: tokio::net::TcpListener,
    addr: SocketAddr,
}

/// Binds `addr`.
pub async fn bind(addr: SocketAddr) -> std::io::Result<Bound> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    Ok(Bound { listener, addr })
}

impl Bound {
    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `shutdown` completes, then stops accepting connections and finishes the
    /// requests in flight; after [`Limits::drain`] it stops anyway. Every connection is read
    /// through a gate (see the `gate` module) that answers malformed or oversized heads
    /// itself, as JSON errors, and flags chunked bodies announcing more than the limit.
    pub async fn serve(
        self,
        state: AppState,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let drain = state.limits.drain;
        let rules = gate::Rules {
            head_bytes: state.limits.head_bytes,
            head_timeout: state.limits.head_timeout,
            body_bytes: state.limits.body_bytes,
        };
        let listener = gate::GateListener::new(self.listener, rules);
        let (stopping, mut stopped) = tokio::sync::watch::channel(false);
        let graceful = async move {
            shutdown.await;
            let _ = stopping.send(true);
        };
        let app = router(state).into_make_service_with_connect_info::<gate::ConnHandle>();
        let server = axum::serve(listener, app).with_graceful_shutdown(graceful);
        let deadline = async move {
            if stopped.wait_for(|s| *s).await.is_err() {
                std::future::pending::<()>().await;
            }
            tokio::time::sleep(drain).await;
        };
        tokio::select! {
            result = server => result,
            () = deadline => Ok(()),
        }
    }
}

/// Binds `addr` and serves the knowledge base until `shutdown` completes (see [`Bound::serve`]).
pub async fn serve(
    addr: SocketAddr,
    kb: Arc<KnowledgeBase>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    bind(addr).await?.serve(AppState::new(kb), shutdown).await
}

/// Completes on SIGTERM or Ctrl-C (SIGINT).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
