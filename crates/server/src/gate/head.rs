//! Checking a request head as hyper checks it, so that what the gate passes on, hyper accepts,
//! and what hyper would refuse with a bare answer, the server refuses with its JSON error.

use super::{Refusal, Rules, MAX_HEADERS};
use axum::http::{Method, StatusCode, Uri};

/// The body a good head announces.
#[derive(Debug, PartialEq)]
pub(super) enum Body {
    None,
    Length(u64),
    Chunked,
}

/// What the gate makes of the bytes of a head.
#[derive(Debug, PartialEq)]
pub(super) enum Head {
    Partial,
    Good { len: usize, body: Body },
    Refused(Refusal),
}

fn refusal(status: StatusCode, kind: &'static str, message: String, method: Option<&str>) -> Head {
    Head::Refused(Refusal {
        status,
        kind,
        message,
        method: method.map(String::from),
    })
}

/// Checks a head as hyper does (`hyper::proto::h1::role::Server::parse`), so that what the
/// gate passes on, hyper accepts.
pub(super) fn check_head(bytes: &[u8], rules: Rules) -> Head {
    let bad = StatusCode::BAD_REQUEST;
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut fields);
    let len = match req.parse(bytes) {
        Ok(httparse::Status::Complete(len)) if len <= rules.head_bytes => len,
        Ok(_) if bytes.len() <= rules.head_bytes => return Head::Partial,
        Ok(_) => {
            let start = bytes.iter().position(|b| !matches!(b, b'\r' | b'\n'));
            let line = start.and_then(|s| bytes[s..].iter().position(|b| *b == b'\n'));
            if line.is_some_and(|len| len <= rules.head_bytes) {
                return too_large(rules, req.method);
            }
            return refusal(
                StatusCode::URI_TOO_LONG,
                "uri_too_long",
                format!(
                    "the request line is longer than {} bytes; the query string takes at most {} bytes",
                    rules.head_bytes,
                    crate::MAX_QUERY_BYTES
                ),
                req.method,
            );
        }
        Err(httparse::Error::TooManyHeaders) => return too_large(rules, req.method),
        Err(e) => {
            let at = if req.method.is_none() || req.path.is_none() || req.version.is_none() {
                "in the request line"
            } else {
                "in the header fields"
            };
            return refusal(
                bad,
                "bad_request",
                format!("the request is not HTTP/1.1: {e} {at}"),
                req.method,
            );
        }
    };
    let method = req.method.unwrap_or("");
    let path = req.path.unwrap_or("");
    if Method::from_bytes(method.as_bytes()).is_err() || Uri::try_from(path).is_err() {
        return refusal(
            bad,
            "bad_request",
            "the request is not HTTP/1.1: invalid request target in the request line".into(),
            Some(method),
        );
    }
    let http_11 = req.version == Some(1);
    let (mut length, mut chunked, mut te) = (None::<u64>, false, false);
    for field in req.headers.iter() {
        if field.name.eq_ignore_ascii_case("transfer-encoding") {
            if !http_11 {
                return refusal(
                    bad,
                    "bad_request",
                    "Transfer-Encoding is not allowed in an HTTP/1.0 request".into(),
                    Some(method),
                );
            }
            te = true;
            chunked = std::str::from_utf8(field.value).is_ok_and(|v| {
                v.rsplit(',')
                    .next()
                    .is_some_and(|c| c.trim().eq_ignore_ascii_case("chunked"))
            });
        } else if field.name.eq_ignore_ascii_case("content-length") && !te {
            let n = digits(field.value);
            match (n, length) {
                (Some(n), None) => length = Some(n),
                (Some(n), Some(prev)) if n == prev => {}
                _ => {
                    return refusal(
                        bad,
                        "bad_request",
                        "Content-Length must be one whole number of bytes".into(),
                        Some(method),
                    )
                }
            }
        }
    }
    if te && !chunked {
        return refusal(
            bad,
            "bad_request",
            "Transfer-Encoding must end with chunked".into(),
            Some(method),
        );
    }
    let body = match length {
        _ if te => Body::Chunked,
        // hyper refuses lengths it cannot represent.
        Some(n) if n > u64::MAX - 2 => {
            return refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "the request body is declared as {n} bytes (Content-Length); this server reads at most {} bytes",
                    rules.body_bytes
                ),
                Some(method),
            )
        }
        Some(0) | None => Body::None,
        Some(n) => Body::Length(n),
    };
    Head::Good { len, body }
}

fn too_large(rules: Rules, method: Option<&str>) -> Head {
    refusal(
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        "headers_too_large",
        format!(
            "the request line and header fields take more than {} bytes, or there are more than {MAX_HEADERS} header fields",
            rules.head_bytes
        ),
        method,
    )
}

/// A `Content-Length` value as hyper reads it: ASCII digits only, without overflow.
fn digits(value: &[u8]) -> Option<u64> {
    if value.is_empty() {
        return None;
    }
    value.iter().try_fold(0u64, |n, b| {
        b.is_ascii_digit()
            .then(|| n.checked_mul(10)?.checked_add(u64::from(b - b'0')))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_lengths_read_as_hyper_reads_them() {
        assert_eq!(digits(b"0"), Some(0));
        assert_eq!(digits(b"65536"), Some(65536));
        assert_eq!(digits(b""), None);
        assert_eq!(digits(b"+1"), None);
        assert_eq!(digits(b"99999999999999999999"), None);
    }
}
