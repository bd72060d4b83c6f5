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
use serde::de::DeserializeOwned;
use serde::Serialize;
use stackmatrix_api::request::{ExplainRequest, RankRequest, RecommendRequest, ShowRequest};
use stackmatrix_api::MigrateRequest;
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
    extra: &[&[&str]],
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
    let (q, lang) = lang_only(&s, q, &[&["time"]])?;
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

/// A verb that takes a request from the query (GET) or a JSON body (POST).
pub trait Verb: Send + Sync + 'static {
    /// The api's request type.
    type Req: DeserializeOwned + WithinLimits + Send + 'static;
    /// The request's fields: the query parameters and JSON members it takes.
    const FIELDS: &'static [&'static [&'static str]];
    /// True for verbs that search: they run on the blocking pool.
    const BLOCKING: bool;
    /// The request from query parameters.
    fn from_query(q: &Query) -> Result<Self::Req, HttpError>;
    /// The answer.
    fn run(kb: &KnowledgeBase, lang: Lang, req: &Self::Req) -> Answer;
}

/// `rank`.
pub struct Rank;
/// `explain`.
pub struct Explain;
/// `recommend`.
pub struct Recommend;
/// `migrate`.
pub struct Migrate;

fn scenario_field(what: &str) -> Option<&'static str> {
    (what == "scenario").then_some("scenario")
}

impl Verb for Rank {
    type Req = RankRequest;
    const FIELDS: &'static [&'static [&'static str]] = &[SCENARIO_FIELDS, RANK_FIELDS];
    const BLOCKING: bool = false;
    fn from_query(q: &Query) -> Result<RankRequest, HttpError> {
        q.rank()
    }
    fn run(kb: &KnowledgeBase, lang: Lang, req: &RankRequest) -> Answer {
        stackmatrix_api::rank(kb, lang, req)
            .map(json)
            .map_err(|e| request_error(e, &|what, _| scenario_field(what)))
    }
}

impl Verb for Explain {
    type Req = ExplainRequest;
    const FIELDS: &'static [&'static [&'static str]] = &[SCENARIO_FIELDS, EXPLAIN_FIELDS];
    const BLOCKING: bool = false;
    fn from_query(q: &Query) -> Result<ExplainRequest, HttpError> {
        q.explain()
    }
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

impl Verb for Recommend {
    type Req = RecommendRequest;
    const FIELDS: &'static [&'static [&'static str]] = &[SCENARIO_FIELDS, RECOMMEND_FIELDS];
    const BLOCKING: bool = true;
    fn from_query(q: &Query) -> Result<RecommendRequest, HttpError> {
        q.recommend()
    }
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

impl Verb for Migrate {
    type Req = MigrateRequest;
    const FIELDS: &'static [&'static [&'static str]] = &[MIGRATE_FIELDS];
    const BLOCKING: bool = false;
    fn from_query(q: &Query) -> Result<MigrateRequest, HttpError> {
        q.migrate()
    }
    fn run(kb: &KnowledgeBase, lang: Lang, req: &MigrateRequest) -> Answer {
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

async fn answer<V: Verb>(s: AppState, lang: Lang, req: V::Req) -> Answer {
    req.check(&s.limits)?;
    if V::BLOCKING {
        s.blocking(move |kb| V::run(kb, lang, &req)).await
    } else {
        V::run(&s.kb, lang, &req)
    }
}

/// `GET /v1/VERB?...`: the request from query parameters.
pub async fn verb_get<V: Verb>(State(s): State<AppState>, RawQuery(q): RawQuery) -> Answer {
    let (q, lang) = lang_only(&s, q, V::FIELDS)?;
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
    let req: V::Req = json_body(&headers, &body, V::FIELDS)?;
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
