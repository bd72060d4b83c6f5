//! Every error the server answers, as one JSON shape:
//! `{"error": KIND, "message": ..., "field": ...}`.
//!
//! Errors of the api's verbs are [`ApiError`]s serialised as they are (`bad_input` with its
//! `field`, `not_found` with `what`, `id` and `known`, `failure`); the server's own (a body it
//! cannot read, a limit, an unknown route, a timeout) take the same shape with their own kinds.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use stackmatrix_api::ApiError;
use stackmatrix_model::untrusted;
use std::fmt;

/// An error answer: a status and a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON body: an object with at least `error` and `message`.
    pub body: Members,
}

/// The members of a JSON object in the order they are written (`error` first).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Members(pub Vec<(String, Value)>);

impl Members {
    /// The value of a member.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// True when the object has the member.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

impl std::ops::Index<&str> for Members {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&Value::Null)
    }
}

impl Serialize for Members {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    members.push(entry);
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(V)
    }
}

/// Where the id of a `not_found` came from: an unknown id in the path is 404 (the resource
/// does not exist); one in the query or the body is 400 (the request is wrong), with the field
/// that named it.
#[derive(Clone, Copy)]
pub enum Origin<'a> {
    /// The id is part of the path (`/v1/techs/{id}`).
    Path,
    /// The id is a field of the request; the function tells which, from `what` and `id`.
    Request(&'a dyn Fn(&str, &str) -> Option<&'static str>),
}

impl HttpError {
    /// An error of the server's own: `kind` is the `error` member. The message is for a person
    /// and may quote the request, so it passes [`untrusted::message`]: control characters
    /// escaped, a long line cut with its length said (as the api's own messages).
    pub fn new(status: StatusCode, kind: &str, message: impl Into<String>) -> HttpError {
        let message: String = message.into();
        let body = Members(vec![
            ("error".into(), kind.into()),
            ("message".into(), untrusted::message(&message).into()),
        ]);
        HttpError { status, body }
    }

    /// Names the request field the error is about: the member after `error`, as the api
    /// writes it.
    pub fn field(mut self, field: impl Into<String>) -> HttpError {
        let value = Value::from(field.into());
        match self.body.0.iter_mut().find(|(k, _)| k == "field") {
            Some((_, v)) => *v = value,
            None => {
                let at = usize::from(self.body.0.first().is_some_and(|(k, _)| k == "error"));
                self.body.0.insert(at, ("field".into(), value));
            }
        }
        self
    }

    /// A bad input of the server's own (a query parameter, the body, a limit).
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> HttpError {
        HttpError::new(StatusCode::BAD_REQUEST, "bad_input", message).field(field)
    }

    /// An api error, with its own status except for an unknown id that the request (not the
    /// path) named: that is 400, with the field that named it.
    pub fn api(e: ApiError, origin: Origin<'_>) -> HttpError {
        let mut status =
            StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut field = None;
        if let (ApiError::NotFound { what, id, .. }, Origin::Request(locate)) = (&e, origin) {
            status = StatusCode::BAD_REQUEST;
            field = locate(what, id);
        }
        // Through text, to keep the members in the order the api writes them.
        let body = match serde_json::to_string(&e).and_then(|t| serde_json::from_str(&t)) {
            Ok(members) => members,
            Err(_) => return HttpError::new(status, "failure", e.to_string()),
        };
        let error = HttpError { status, body };
        match field {
            Some(f) if !error.body.contains_key("field") => error.field(f),
            _ => error,
        }
    }

    /// The `error` member.
    pub fn kind(&self) -> &str {
        self.body.get("error").and_then(Value::as_str).unwrap_or("")
    }

    /// 404 for a route the server does not have.
    pub fn no_route(method: &str, path: &str) -> HttpError {
        HttpError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no route for {method} {path}; the routes are listed in /openapi.json"),
        )
    }

    /// 405 for a route that does not answer this method.
    pub fn method_not_allowed(method: &str, path: &str) -> HttpError {
        HttpError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!(
                "{path} does not answer {method}; the Allow header lists the methods it answers"
            ),
        )
    }

    /// The JSON error for any status, for answers that came without one.
    pub fn for_status(status: StatusCode) -> HttpError {
        let (kind, message) = match status.as_u16() {
            400 => ("bad_input", "the request cannot be read"),
            404 => ("not_found", "not found"),
            405 => ("method_not_allowed", "method not allowed"),
            408 | 503 | 504 => ("timeout", "the request took too long"),
            413 => ("payload_too_large", "the request body is too large"),
            414 => ("uri_too_long", "the request URI is too long"),
            431 => (
                "headers_too_large",
                "the request header fields are too large",
            ),
            415 => (
                "unsupported_media_type",
                "expected Content-Type: application/json",
            ),
            s if s < 500 => ("bad_input", "the request cannot be answered"),
            _ => ("failure", "the server failed to answer"),
        };
        HttpError::new(status, kind, message)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}

impl From<ApiError> for HttpError {
    /// An api error whose ids came from the path.
    fn from(e: ApiError) -> Self {
        HttpError::api(e, Origin::Path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn api_errors_keep_their_shape_and_status() {
        let e = HttpError::from(ApiError::bad_input("vector", "expected 6 numbers"));
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            serde_json::to_value(&e.body).unwrap(),
            json!({"error": "bad_input", "field": "vector", "message": "expected 6 numbers"})
        );
        let missing = ApiError::NotFound {
            what: "scenario",
            id: "nope".into(),
            known: vec!["edge".into()],
        };
        let in_path = HttpError::api(missing.clone(), Origin::Path);
        assert_eq!(in_path.status, StatusCode::NOT_FOUND);
        assert!(!in_path.body.contains_key("field"));
        let locate = |what: &str, _: &str| (what == "scenario").then_some("scenario");
        let in_request = HttpError::api(missing, Origin::Request(&locate));
        assert_eq!(in_request.status, StatusCode::BAD_REQUEST);
        assert_eq!(in_request.kind(), "not_found");
        assert_eq!(in_request.body["field"], "scenario");
        assert_eq!(in_request.body["id"], "nope");
        let failure = HttpError::from(ApiError::failure("cannot"));
        assert_eq!(failure.status, StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn messages_quoting_a_request_are_sanitised() {
        let e = HttpError::bad_input(
            "x",
            format!("'{}\x1b]0;t\x07' is not a number", "9".repeat(1 << 20)),
        );
        let message = e.body["message"].as_str().unwrap();
        assert!(!message.chars().any(untrusted::is_unsafe), "{message:?}");
        assert!(message.len() < 4096, "{} bytes", message.len());
        assert!(message.contains("(1,048,600 bytes in all)"), "{message}");
        let api = HttpError::from(ApiError::bad_input(
            "vector",
            "'a\u{202e}b' is not a number",
        ));
        assert_eq!(api.body["message"], "'a\\u202eb' is not a number");
    }

    #[test]
    fn server_errors_take_the_same_shape() {
        let e = HttpError::bad_input("max_size", "at most 8");
        assert_eq!(
            serde_json::to_string(&e.body).unwrap(),
            r#"{"error":"bad_input","field":"max_size","message":"at most 8"}"#
        );
        assert_eq!(
            HttpError::for_status(StatusCode::PAYLOAD_TOO_LARGE).kind(),
            "payload_too_large"
        );
    }
}
