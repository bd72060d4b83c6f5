//! `/v1/deps` and `/v1/ops`: concept dependencies and operation chains, GET with query
//! parameters in the command line's text forms and POST with the api's JSON requests.

use crate::error::HttpError;
use crate::handlers::{Answer, QueryVerb, Verb};
use crate::input::{request_error, Query, WithinLimits};
use crate::limits::Limits;
use axum::response::IntoResponse;
use axum::Json;
use stackmatrix_api::request::MaturityVector;
use stackmatrix_api::{DepsRequest, OpsRequest, DEFAULT_MIN_FIT};
use stackmatrix_model::{KnowledgeBase, Lang};

/// `deps`.
pub struct Deps;
/// `ops`: the list, or a chain applied.
pub struct Ops;

/// An api error of these verbs: every id came from the request (a scenario id is the only one
/// looked up as not found).
fn error(e: stackmatrix_api::ApiError) -> HttpError {
    request_error(e, &|what, _| (what == "scenario").then_some("scenario"))
}

/// `stack=k3s,wasmedge` (or repeated): the members.
fn members(q: &Query) -> Option<Vec<String>> {
    q.has("stack").then(|| q.list("stack"))
}

/// The items of a request list at most `max` long.
fn at_most(field: &'static str, len: usize, max: usize) -> Result<(), HttpError> {
    if len > max {
        return Err(HttpError::bad_input(
            field,
            format!("{len} items; this server answers at most {max}"),
        ));
    }
    Ok(())
}

impl WithinLimits for DepsRequest {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        at_most(
            "stack",
            self.stack.as_ref().map_or(0, Vec::len),
            limits.stack_members,
        )
    }
}

impl WithinLimits for OpsRequest {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        at_most(
            "stack",
            self.stack.as_ref().map_or(0, Vec::len),
            limits.stack_members,
        )?;
        at_most(
            "apply",
            self.apply.as_ref().map_or(0, Vec::len),
            limits.list,
        )
    }
}

impl Verb for Deps {
    type Req = DepsRequest;
    const BLOCKING: bool = false;
    fn run(kb: &KnowledgeBase, lang: Lang, req: &DepsRequest) -> Answer {
        stackmatrix_api::deps(kb, lang, req)
            .map(|v| Json(v).into_response())
            .map_err(error)
    }
}

impl QueryVerb for Deps {
    fn from_query(q: &Query) -> Result<DepsRequest, HttpError> {
        let min_fit = match q.one("min_fit")? {
            None => DEFAULT_MIN_FIT,
            Some(text) => text.trim().parse::<f64>().map_err(|_| {
                HttpError::bad_input(
                    "min_fit",
                    format!("'{text}' is not a number; expected a fit threshold such as 0.5"),
                )
            })?,
        };
        Ok(DepsRequest {
            scenario: q.scenario()?,
            concept: q.one("concept")?.map(String::from),
            tech: q.one("tech")?.map(String::from),
            stack: members(q),
            min_fit,
        })
    }
}

impl Verb for Ops {
    type Req = OpsRequest;
    const BLOCKING: bool = false;
    fn run(kb: &KnowledgeBase, lang: Lang, req: &OpsRequest) -> Answer {
        stackmatrix_api::ops(kb, lang, req)
            .map(|v| Json(v).into_response())
            .map_err(error)
    }
}

impl QueryVerb for Ops {
    fn from_query(q: &Query) -> Result<OpsRequest, HttpError> {
        let to = q
            .one("to")?
            .map(MaturityVector::parse_list)
            .transpose()
            .map_err(HttpError::from)?;
        Ok(OpsRequest {
            // `apply=` with no value is an empty chain, for the api to refuse by name.
            apply: q.has("apply").then(|| q.list("apply")),
            to,
            tech: q.one("tech")?.map(String::from),
            stack: members(q),
            scenario: q.scenario()?,
        })
    }
}
