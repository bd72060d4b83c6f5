//! `POST /v1/learn` (Θ learned from feedback rows given as JSON; nothing is written: the server is
//! read-only) and `GET`/`POST /v1/calibrate` (concept weights fitted to the seed's scores).

use crate::error::HttpError;
use crate::handlers::{Answer, QueryVerb, Verb};
use crate::input::{request_error, Query, WithinLimits};
use crate::limits::Limits;
use axum::response::IntoResponse;
use axum::Json;
use stackmatrix_api::{CalibrateRequest, LearnRequest};
use stackmatrix_model::{KnowledgeBase, Lang};

/// `learn`: most feedback rows a request may carry.
pub const MAX_LEARN_ROWS: usize = 10_000;
/// `learn`: most `rows × epochs` a request may ask for (about a second of work).
pub const MAX_LEARN_WORK: usize = 50_000_000;

/// `learn` (POST only).
pub struct Learn;
/// `calibrate`.
pub struct Calibrate;

impl WithinLimits for LearnRequest {
    fn check(&self, _limits: &Limits) -> Result<(), HttpError> {
        if self.rows.len() > MAX_LEARN_ROWS {
            return Err(HttpError::bad_input(
                "rows",
                format!(
                    "{} rows; this server answers at most {MAX_LEARN_ROWS}",
                    self.rows.len()
                ),
            ));
        }
        let work = self.rows.len().saturating_mul(self.epochs);
        if work > MAX_LEARN_WORK {
            return Err(HttpError::bad_input(
                "epochs",
                format!(
                    "{} epochs over {} rows; this server answers at most {MAX_LEARN_WORK} row-epochs (run `stackmatrix learn` for more)",
                    self.epochs,
                    self.rows.len()
                ),
            ));
        }
        Ok(())
    }
}

impl WithinLimits for CalibrateRequest {
    fn check(&self, _limits: &Limits) -> Result<(), HttpError> {
        Ok(())
    }
}

impl Verb for Learn {
    type Req = LearnRequest;
    const BLOCKING: bool = true;
    fn run(kb: &KnowledgeBase, lang: Lang, req: &LearnRequest) -> Answer {
        stackmatrix_api::learn(kb, lang, req)
            .map(|v| Json(v).into_response())
            .map_err(|e| request_error(e, &|_, _| None))
    }
}

impl Verb for Calibrate {
    type Req = CalibrateRequest;
    // 4095 small linear systems: milliseconds, but off the async threads all the same.
    const BLOCKING: bool = true;
    fn run(kb: &KnowledgeBase, lang: Lang, req: &CalibrateRequest) -> Answer {
        stackmatrix_api::calibrate(kb, lang, req)
            .map(|v| Json(v).into_response())
            .map_err(|e| request_error(e, &|_, _| None))
    }
}

impl QueryVerb for Calibrate {
    fn from_query(_q: &Query) -> Result<CalibrateRequest, HttpError> {
        Ok(CalibrateRequest::default())
    }
}
