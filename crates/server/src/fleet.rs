//! `POST /v1/fleet`: inventory rows given as JSON, mapped by the built-in fleet rules and scored
//! as `stackmatrix fleet score` scores a file's rows, with the fleet summary.

use crate::error::HttpError;
use crate::handlers::{Answer, Verb};
use crate::input::{request_error, WithinLimits};
use crate::limits::Limits;
use axum::response::IntoResponse;
use axum::Json;
use stackmatrix_api::FleetRequest;
use stackmatrix_model::{KnowledgeBase, Lang};

/// `fleet`: most rows a request may carry (files of millions of rows: `stackmatrix fleet score`).
pub const MAX_FLEET_ROWS: usize = 10_000;
/// `fleet`: most chains per row.
pub const MAX_FLEET_TOP: usize = 64;

/// `fleet` (POST only).
pub struct Fleet;

impl WithinLimits for FleetRequest {
    fn check(&self, _limits: &Limits) -> Result<(), HttpError> {
        if self.rows.len() > MAX_FLEET_ROWS {
            return Err(HttpError::bad_input(
                "rows",
                format!(
                    "{} rows; this server answers at most {MAX_FLEET_ROWS} (run `stackmatrix fleet score` for files of any size)",
                    self.rows.len()
                ),
            ));
        }
        if self.top > MAX_FLEET_TOP {
            return Err(HttpError::bad_input(
                "top",
                format!("{}; this server answers at most {MAX_FLEET_TOP}", self.top),
            ));
        }
        Ok(())
    }
}

impl Verb for Fleet {
    type Req = FleetRequest;
    // Each distinct rule set is one ranking and, with stacks, one exact search.
    const BLOCKING: bool = true;
    fn run(kb: &KnowledgeBase, _lang: Lang, req: &FleetRequest) -> Answer {
        stackmatrix_api::fleet(kb, req)
            .map(|v| Json(v).into_response())
            .map_err(|e| request_error(e, &|_, _| None))
    }
}
