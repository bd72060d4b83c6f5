//! Why a verb could not answer, with the HTTP status and the exit code that go with it.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use stackmatrix_model::untrusted;

/// Why a verb could not answer.
///
/// Bad input and an unknown id are the caller's to fix (HTTP 400 and 404, exit code 2); a
/// failure is not (HTTP 500, exit code 1). The messages say what was wrong and what is accepted;
/// they name no command-line flag, so a front end can say where the value came from:
/// the command line prints `--vector: expected 6 numbers ...` for the field `vector`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// A field of the request is wrong.
    #[error("{field}: {message}")]
    BadInput {
        /// The request field, as spelt in JSON (`vector`, `weights`, `max_size`, ...).
        field: &'static str,
        /// What was wrong and what is accepted.
        message: String,
    },
    /// The request names something the knowledge base does not hold. The message shows the id
    /// through [`untrusted::shown`] (escaped, cut when long); the `id` field keeps it exact.
    #[error("unknown {what} '{}'; expected one of: {}", untrusted::shown(id), untrusted::message(&known.join(", ")))]
    NotFound {
        /// What kind of thing: `scenario`, `technology` or `case`.
        what: &'static str,
        /// The id as given.
        id: String,
        /// Every id of that kind the knowledge base holds.
        known: Vec<String>,
    },
    /// Something outside the request failed.
    #[error("{message}")]
    Failure {
        /// What failed.
        message: String,
    },
}

impl ApiError {
    /// A [`ApiError::BadInput`].
    pub fn bad_input(field: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::BadInput {
            field,
            message: message.into(),
        }
    }

    /// A [`ApiError::Failure`].
    pub fn failure(message: impl Into<String>) -> ApiError {
        ApiError::Failure {
            message: message.into(),
        }
    }

    /// The HTTP status: 400 for bad input, 404 for an unknown id, 500 for a failure.
    pub fn http_status(&self) -> u16 {
        match self {
            ApiError::BadInput { .. } => 400,
            ApiError::NotFound { .. } => 404,
            ApiError::Failure { .. } => 500,
        }
    }

    /// The process exit code of the command line: 2 for bad input and an unknown id (the user
    /// can fix the command), 1 for a failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            ApiError::BadInput { .. } | ApiError::NotFound { .. } => 2,
            ApiError::Failure { .. } => 1,
        }
    }

    /// The message without the field: what the command line prints after its flag.
    pub fn message(&self) -> String {
        match self {
            ApiError::BadInput { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

/// An error as a JSON body: `{"error": "bad_input" | "not_found" | "failure", "message": ...}`,
/// with `field` for bad input and `what`, `id`, `known` for an unknown id. `message` is for a
/// person, so it passes [`untrusted::message`] (controls escaped, long lines cut); the other
/// fields are data and stay exact.
impl Serialize for ApiError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        match self {
            ApiError::BadInput { field, message } => {
                map.serialize_entry("error", "bad_input")?;
                map.serialize_entry("field", field)?;
                map.serialize_entry("message", &untrusted::message(message))?;
            }
            ApiError::NotFound { what, id, known } => {
                map.serialize_entry("error", "not_found")?;
                map.serialize_entry("message", &self.to_string())?;
                map.serialize_entry("what", what)?;
                map.serialize_entry("id", id)?;
                map.serialize_entry("known", known)?;
            }
            ApiError::Failure { message } => {
                map.serialize_entry("error", "failure")?;
                map.serialize_entry("message", &untrusted::message(message))?;
            }
        }
        map.end()
    }
}

/// Result of a verb.
pub type ApiResult<T> = Result<T, ApiError>;
