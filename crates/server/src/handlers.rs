//! The route handlers: each reads its request, calls one function of `stackmatrix-api` and
//! answers the view as JSON, the same document `stackmatrix VERB ... -o json` prints.

use crate::error::HttpError;
use crate::input::*;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Serialize;
use stackmatrix_api::request::{
    CompareRequest, DecideRequest, ExplainRequest, RecommendRequest, RobustnessRequest, ShowRequest,
};
use stackmatrix_api::{AdaptRequest, MigrateRequest};
use stackmatrix_model::{KnowledgeBase, Lang};

/// A handler's answer.
pub type Answer = Result<Response, HttpError>;

fn json<T: Serialize>(view: T) -> Response {
    Json(view).into_response()
}

/// The query of a route that takes only `lang` (and `extra`), and the language it asks for.
fn lang_only(
    state: &AppState,
    raw: Option<String>,
    extra: &[&str],
) -> Result<(Query, Lang), HttpError> {
    let q = Query::parse(raw.as_deref(), extra)?;
    let lang = q.lang(state.lang)?;
    Ok((q, lang))
}

/// A path parameter, or a JSON error when it cannot be read.
fn path_param(p: Result<Path<String>, PathRejection>) -> Result<String, HttpError> {
    p.map(|Path(id)| id)
        .map_err(|e| HttpError::bad_input("path", e.body_text()))
}

/// The body, or a JSON error: 413 beyond the limit.
fn body_bytes(body: Result<Bytes, BytesRejection>, state: &AppState) -> Result<Bytes, HttpError> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            HttpError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "the request body is larger than {} bytes",
                    state.limits.body_bytes
                ),
            )
        } else {
            HttpError::bad_input("body", format!("cannot read the body: {}", e.body_text()))
        }
    })
}

/// `GET /healthz`.
pub async fn healthz(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    lang_only(&s, q, &[])?;
    Ok(json(serde_json::json!({"status": "ok"})))
}

/// `GET /metrics`: the Prometheus text format.
pub async fn metrics(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    lang_only(&s, q, &[])?;
    let mut response = s.metrics.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    Ok(response)
}

/// `GET /openapi.json`.
pub async fn openapi(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    lang_only(&s, q, &[])?;
    let mut response = crate::openapi::document_bytes().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}

/// `GET /v1/techs`.
pub async fn techs(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    let (_, lang) = lang_only(&s, q, &[])?;
    Ok(json(stackmatrix_api::list_techs(&s.kb, lang)))
}

/// `GET /v1/techs/{id}?time=`.
pub async fn tech(
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Answer {
    let (q, lang) = lang_only(&s, q, &["time"])?;
    let req = ShowRequest {
        tech: path_param(id)?,
        time: q.one("time")?.map(String::from),
    };
    Ok(json(stackmatrix_api::show_tech(&s.kb, lang, &req)?))
}

/// `GET /v1/scenarios`.
pub async fn scenarios(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    let (_, lang) = lang_only(&s, q, &[])?;
    Ok(json(stackmatrix_api::list_scenarios(&s.kb, lang)))
}

/// `GET /v1/concepts`.
pub async fn concepts(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    let (_, lang) = lang_only(&s, q, &[])?;
    Ok(json(stackmatrix_api::list_concepts(&s.kb, lang)))
}

/// `GET /v1/scenes`.
pub async fn scenes(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    let (_, lang) = lang_only(&s, q, &[])?;
    Ok(json(stackmatrix_api::list_scenes(&s.kb, lang)))
}

/// `GET /v1/cases`.
pub async fn cases(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    let (_, lang) = lang_only(&s, q, &[])?;
    Ok(json(stackmatrix_api::list_cases(&s.kb, lang)))
}

/// `GET /v1/cases/{id}`.
pub async fn case(
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Answer {
    let (_, lang) = lang_only(&s, q, &[])?;
    Ok(json(stackmatrix_api::show_case(
        &s.kb,
        lang,
        &path_param(id)?,
    )?))
}

/// `GET /v1/cases/{id}/validate`: a list of one report, as `cases validate ID`.
pub async fn validate_case(
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Answer {
    let (_, lang) = lang_only(&s, q, &[])?;
    let id = path_param(id)?;
    s.blocking(move |kb| Ok(json(stackmatrix_api::validate_cases(kb, lang, Some(&id))?)))
        .await
}

/// `GET /v1/cases/validate`: every case's report.
pub async fn validate_cases(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    let (_, lang) = lang_only(&s, q, &[])?;
    s.blocking(move |kb| Ok(json(stackmatrix_api::validate_cases(kb, lang, None)?)))
        .await
}

/// `GET /v1/audit`.
pub async fn audit(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    let (_, lang) = lang_only(&s, q, &[])?;
    s.blocking(move |kb| Ok(json(stackmatrix_api::audit(kb, lang)?)))
        .await
}

/// A verb that takes a request as a JSON body (POST) and, with [`QueryVerb`], from the query
/// (GET).
pub trait Verb: Send + Sync + 'static {
    /// The request.
    type Req: DeserializeOwned + JsonSchema + WithinLimits + Send + 'static;
    /// The request's fields: the query parameters and JSON members it takes, read from the
    /// request type's derived schema.
    fn fields() -> &'static [&'static str] {
        fields_of::<Self::Req>()
    }
    /// True for verbs that search or sample: they run on the blocking pool.
    const BLOCKING: bool;
    /// Whether this request runs on the blocking pool.
    fn blocking(_req: &Self::Req) -> bool {
        Self::BLOCKING
    }
    /// The request from a JSON body.
    fn from_body(headers: &HeaderMap, body: &[u8]) -> Result<Self::Req, HttpError> {
        json_body(headers, body, Self::fields())
    }
    /// The answer.
    fn run(kb: &KnowledgeBase, lang: Lang, req: &Self::Req) -> Answer;
}

/// A verb that also answers GET, with its request in query parameters.
pub trait QueryVerb: Verb {
    /// The request from query parameters.
    fn from_query(q: &Query) -> Result<Self::Req, HttpError>;
}

/// `rank`, and `rank` with a `method`.
pub struct Rank;
/// `explain`.
pub struct Explain;
/// `recommend`.
pub struct Recommend;
/// `migrate`, and with `compare` the chain tables side by side.
pub struct Migrate;
/// `adapt`.
pub struct Adapt;
/// `decide`: a decision matrix given inline (POST only).
pub struct Decide;
/// `compare`.
pub struct Compare;
/// `robustness`.
pub struct Robustness;

fn scenario_field(what: &str) -> Option<&'static str> {
    (what == "scenario").then_some("scenario")
}

/// An api error of a verb whose only id is the scenario.
fn scenario_error(e: stackmatrix_api::ApiError) -> HttpError {
    request_error(e, &|what, _| scenario_field(what))
}

impl Verb for Rank {
    type Req = RankQuery;
    fn fields() -> &'static [&'static str] {
        rank_fields()
    }
    const BLOCKING: bool = false;
    fn blocking(req: &RankQuery) -> bool {
        matches!(req, RankQuery::Method { .. })
    }
    fn from_body(headers: &HeaderMap, body: &[u8]) -> Result<RankQuery, HttpError> {
        rank_body(headers, body)
    }
    fn run(kb: &KnowledgeBase, lang: Lang, req: &RankQuery) -> Answer {
        match req {
            RankQuery::Score { req, .. } => stackmatrix_api::rank(kb, lang, req).map(json),
            RankQuery::Method { req, .. } => {
                stackmatrix_api::rank_by_method(kb, lang, req).map(json)
            }
        }
        .map_err(scenario_error)
    }
}

impl QueryVerb for Rank {
    fn from_query(q: &Query) -> Result<RankQuery, HttpError> {
        q.rank_query()
    }
}

impl Verb for Decide {
    type Req = DecideRequest;
    // A matrix of up to the limits' size: milliseconds, but off the async threads all the same.
    const BLOCKING: bool = true;
    fn run(_kb: &KnowledgeBase, lang: Lang, req: &DecideRequest) -> Answer {
        stackmatrix_api::decide(lang, req)
            .map(json)
            .map_err(|e| request_error(e, &|_, _| None))
    }
}

impl Verb for Compare {
    type Req = CompareRequest;
    const BLOCKING: bool = true;
    fn run(kb: &KnowledgeBase, lang: Lang, req: &CompareRequest) -> Answer {
        stackmatrix_api::compare(kb, lang, req)
            .map(json)
            .map_err(scenario_error)
    }
}

impl QueryVerb for Compare {
    fn from_query(q: &Query) -> Result<CompareRequest, HttpError> {
        q.compare()
    }
}

impl Verb for Robustness {
    type Req = RobustnessRequest;
    const BLOCKING: bool = true;
    fn run(kb: &KnowledgeBase, lang: Lang, req: &RobustnessRequest) -> Answer {
        stackmatrix_api::robustness(kb, lang, req)
            .map(json)
            .map_err(scenario_error)
    }
}

impl QueryVerb for Robustness {
    fn from_query(q: &Query) -> Result<RobustnessRequest, HttpError> {
        q.robustness()
    }
}

impl Verb for Explain {
    type Req = ExplainRequest;
    const BLOCKING: bool = false;
    fn run(kb: &KnowledgeBase, lang: Lang, req: &ExplainRequest) -> Answer {
        stackmatrix_api::explain(kb, lang, req)
            .map(json)
            .map_err(|e| {
                request_error(e, &|what, _| match what {
                    "technology" => Some("tech"),
                    other => scenario_field(other),
                })
            })
    }
}

impl QueryVerb for Explain {
    fn from_query(q: &Query) -> Result<ExplainRequest, HttpError> {
        q.explain()
    }
}

impl Verb for Recommend {
    type Req = RecommendRequest;
    const BLOCKING: bool = true;
    fn run(kb: &KnowledgeBase, lang: Lang, req: &RecommendRequest) -> Answer {
        stackmatrix_api::recommend(kb, lang, req)
            .map(json)
            .map_err(|e| {
                request_error(e, &|what, id| match what {
                    "technology" => {
                        field_naming(&[("include", &req.include), ("exclude", &req.exclude)], id)
                    }
                    other => scenario_field(other),
                })
            })
    }
}

impl QueryVerb for Recommend {
    fn from_query(q: &Query) -> Result<RecommendRequest, HttpError> {
        q.recommend()
    }
}

impl Verb for Migrate {
    type Req = MigrateRequest;
    const BLOCKING: bool = false;
    fn run(kb: &KnowledgeBase, lang: Lang, req: &MigrateRequest) -> Answer {
        if req.compare {
            return stackmatrix_api::migrate_compare(kb, lang, req)
                .map(json)
                .map_err(|e| request_error(e, &|_, _| None));
        }
        stackmatrix_api::migrate(kb, lang, req)
            .map(json)
            .map_err(|e| {
                request_error(e, &|what, id| {
                    let given = |v: &Option<String>| v.iter().cloned().collect::<Vec<_>>();
                    match what {
                        "chain" => field_naming(
                            &[("from", &given(&req.from)), ("to", &given(&req.to))],
                            id,
                        ),
                        "scene" => field_naming(
                            &[
                                ("from_scene", &given(&req.from_scene)),
                                ("to_scene", &given(&req.to_scene)),
                            ],
                            id,
                        ),
                        _ => None,
                    }
                })
            })
    }
}

impl QueryVerb for Migrate {
    fn from_query(q: &Query) -> Result<MigrateRequest, HttpError> {
        q.migrate()
    }
}

impl Verb for Adapt {
    type Req = AdaptRequest;
    const BLOCKING: bool = false;
    fn run(kb: &KnowledgeBase, lang: Lang, req: &AdaptRequest) -> Answer {
        stackmatrix_api::adapt(kb, lang, req)
            .map(json)
            .map_err(|e| {
                request_error(e, &|what, _| match what {
                    "technology" => Some("tech"),
                    other => scenario_field(other),
                })
            })
    }
}

impl QueryVerb for Adapt {
    fn from_query(q: &Query) -> Result<AdaptRequest, HttpError> {
        q.adapt()
    }
}

async fn answer<V: Verb>(s: AppState, lang: Lang, req: V::Req) -> Answer {
    req.check(&s.limits)?;
    if V::blocking(&req) {
        s.blocking(move |kb| V::run(kb, lang, &req)).await
    } else {
        V::run(&s.kb, lang, &req)
    }
}

/// `GET /v1/VERB?...`: the request from query parameters.
pub async fn verb_get<V: QueryVerb>(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    let (q, lang) = lang_only(&s, q, V::fields())?;
    let req = V::from_query(&q)?;
    answer::<V>(s, lang, req).await
}

/// `POST /v1/VERB`: the request as a JSON body; the query takes only `lang`.
pub async fn verb_post<V: Verb>(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let (_, lang) = lang_only(&s, q, &[])?;
    let body = body_bytes(body, &s)?;
    let req = V::from_body(&headers, &body)?;
    answer::<V>(s, lang, req).await
}

/// Any route the server does not have: 404.
pub async fn no_route(method: Method, uri: Uri) -> HttpError {
    HttpError::no_route(method.as_str(), uri.path())
}

/// A route that does not answer the method: 405 (the Allow header is added by the router).
pub async fn wrong_method(method: Method, uri: Uri) -> HttpError {
    HttpError::method_not_allowed(method.as_str(), uri.path())
}
