//! The request body as the handlers read it: at most [`Limits::body_bytes`], within
//! [`Limits::body_timeout`], and refused at once when it cannot fit.
//!
//! Before, the limit was checked only against the bytes received and waiting for them was
//! bounded only by the whole request's timeout: a `Content-Length` of 1 TB with no body, or a
//! chunk-size line announcing 1 TB, waited 10 s for bytes that would never fit and got 503.
//! Now a declared length past the limit is 413 before the request waits for its turn
//! ([`declared_too_large`]); a chunked body is 413 as soon as its chunk-size lines announce more
//! than the limit (the connection's gate flags it, [`crate::gate`]) or its bytes exceed it; and
//! a body that does not arrive within [`Limits::body_timeout`] is 408.
//!
//! The handlers map a body error to a generic 400; the middleware answers the fault recorded
//! here instead ([`Watch`]), so that every route gives the same answer for the same body.
//!
//! [`Limits::body_bytes`]: crate::Limits::body_bytes
//! [`Limits::body_timeout`]: crate::Limits::body_timeout

use crate::error::HttpError;
use crate::gate::Conn;
use crate::limits::Limits;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, StatusCode};
use http_body::Frame;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::time::Sleep;

/// 413 when the request declares a body longer than the limit (`Content-Length`).
pub fn declared_too_large(headers: &HeaderMap, limits: &Limits) -> Option<HttpError> {
    let declared: u64 = headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    (declared > limits.body_bytes as u64).then(|| {
        too_large(format!(
            "the request body is declared as {declared} bytes (Content-Length); this server reads at most {} bytes",
            limits.body_bytes
        ))
    })
}

/// 413 for a chunked body whose chunk sizes add up past the limit.
pub fn announced_too_large(limits: &Limits) -> HttpError {
    too_large(format!(
        "the chunked request body announces more bytes in its chunk sizes than this server reads: at most {} bytes",
        limits.body_bytes
    ))
}

fn too_large(message: String) -> HttpError {
    HttpError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message)
}

/// The fault a body reader ran into, for the middleware to answer.
#[derive(Debug, Default)]
pub struct Watch(Mutex<Option<HttpError>>);

impl Watch {
    /// The fault, if any.
    pub fn fault(&self) -> Option<HttpError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, e: HttpError) -> BodyFault {
        let message = e.body["message"].as_str().unwrap_or("").to_string();
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
        BodyFault(message)
    }
}

/// The error a guarded body gives its reader (the answer is the [`Watch`]'s).
#[derive(Debug)]
pub struct BodyFault(String);

impl std::fmt::Display for BodyFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BodyFault {}

/// `body`, read within the limits; faults go to `watch`. `conn` is the connection's gate and
/// the request's number on it, when the request came through one.
pub fn guard(
    body: Body,
    limits: &Limits,
    conn: Option<(Arc<Conn>, u64)>,
    watch: Arc<Watch>,
) -> Body {
    Body::new(Guarded {
        inner: body,
        read: 0,
        limits: limits.clone(),
        deadline: None,
        conn,
        watch,
    })
}

struct Guarded {
    inner: Body,
    read: u64,
    limits: Limits,
    /// Set when the body is first read: waiting for a turn does not count.
    deadline: Option<Pin<Box<Sleep>>>,
    conn: Option<(Arc<Conn>, u64)>,
    watch: Arc<Watch>,
}

impl http_body::Body for Guarded {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Some((conn, seq)) = &this.conn {
            // Registered before the check: a flag raised after it wakes this reader.
            conn.register(cx.waker());
            if conn.over_limit(*seq) {
                let e = announced_too_large(&this.limits);
                return Poll::Ready(Some(Err(this.watch.set(e).into())));
            }
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.read = this.read.saturating_add(data.len() as u64);
                    if this.read > this.limits.body_bytes as u64 {
                        let e = too_large(format!(
                            "the request body is larger than {} bytes, the most this server reads",
                            this.limits.body_bytes
                        ));
                        return Poll::Ready(Some(Err(this.watch.set(e).into())));
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                let timeout = this.limits.body_timeout;
                let deadline = this
                    .deadline
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                if deadline.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                let e = HttpError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "timeout",
                    format!(
                        "the request body did not arrive within {} s ({} bytes received)",
                        timeout.as_secs_f64(),
                        this.read
                    ),
                );
                Poll::Ready(Some(Err(this.watch.set(e).into())))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util_free::collect;
    use std::time::Duration;

    /// Collects a body without http-body-util: frame by frame.
    mod http_body_util_free {
        use super::*;
        pub async fn collect(mut body: Body) -> Result<Vec<u8>, axum::Error> {
            let mut out = Vec::new();
            while let Some(frame) =
                std::future::poll_fn(|cx| http_body::Body::poll_frame(Pin::new(&mut body), cx))
                    .await
            {
                if let Ok(data) = frame?.into_data() {
                    out.extend_from_slice(&data);
                }
            }
            Ok(out)
        }
    }

    fn limits() -> Limits {
        Limits {
            body_bytes: 10,
            body_timeout: Duration::from_millis(50),
            ..Limits::default()
        }
    }

    #[test]
    fn a_declared_length_past_the_limit_is_413() {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_LENGTH, "10".parse().unwrap());
        assert!(declared_too_large(&h, &limits()).is_none());
        h.insert(header::CONTENT_LENGTH, "1000000000000".parse().unwrap());
        let e = declared_too_large(&h, &limits()).unwrap();
        assert_eq!(e.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(e.body["message"]
            .as_str()
            .unwrap()
            .contains("1000000000000"));
    }

    #[tokio::test]
    async fn bodies_are_read_within_the_limits() {
        let watch = Arc::new(Watch::default());
        let ok = guard(Body::from("0123456789"), &limits(), None, watch.clone());
        assert_eq!(collect(ok).await.unwrap(), b"0123456789");
        assert!(watch.fault().is_none());
        let long = guard(Body::from("0123456789a"), &limits(), None, watch.clone());
        assert!(collect(long).await.is_err());
        assert_eq!(watch.fault().unwrap().status, StatusCode::PAYLOAD_TOO_LARGE);

        // A body that never comes: 408 after the body timeout.
        let watch = Arc::new(Watch::default());
        let never = futures_never();
        let started = std::time::Instant::now();
        assert!(collect(guard(never, &limits(), None, watch.clone()))
            .await
            .is_err());
        assert_eq!(watch.fault().unwrap().status, StatusCode::REQUEST_TIMEOUT);
        assert!(started.elapsed() < Duration::from_secs(2));

        // A request its gate flagged: 413 at once, the other requests of the connection not.
        let conn = Arc::new(Conn::default());
        conn.take_request();
        let watch = Arc::new(Watch::default());
        let flagged = guard(
            futures_never(),
            &limits(),
            Some((conn.clone(), 1)),
            watch.clone(),
        );
        let reader = tokio::spawn(collect(flagged));
        tokio::task::yield_now().await;
        conn.flag_over_limit(1);
        assert!(reader.await.unwrap().is_err());
        assert_eq!(watch.fault().unwrap().status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(!conn.over_limit(2));
    }

    /// A body whose bytes never arrive.
    fn futures_never() -> Body {
        struct Never;
        impl http_body::Body for Never {
            type Data = Bytes;
            type Error = std::io::Error;
            fn poll_frame(
                self: Pin<&mut Self>,
                _: &mut Context<'_>,
            ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
                Poll::Pending
            }
        }
        Body::new(Never)
    }
}
