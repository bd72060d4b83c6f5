//! The connection gate: what a client sends is read here before hyper sees it, so that the
//! answers hyper would make on its own (a bare `400` or `431` without a body, not counted) are
//! the server's JSON errors instead, and so that a chunked body announcing more than the body
//! limit is refused as soon as its chunk-size line arrives.
//!
//! hyper offers no hook for either: it answers a head it cannot parse itself and closes the
//! connection, and its chunked decoder keeps the announced chunk sizes to itself. So the gate
//! follows the HTTP/1.1 framing of the bytes it passes on (heads, `Content-Length` bodies,
//! chunk-size lines and trailers), with `httparse`, the parser hyper itself uses:
//!
//! - a head is held until it is complete and checked as hyper would check it (request line,
//!   header syntax, at most 100 fields, `Content-Length` and `Transfer-Encoding`), within
//!   [`Limits::head_bytes`] and [`Limits::head_timeout`]. A head that fails is not passed on:
//!   hyper gets a made-up request in its place, and the connection's [`Conn`] tells the
//!   server's middleware which answer that request gets (400, 408, 413, 414 or 431), which is
//!   then answered, counted and logged like any other.
//! - a chunk-size line that takes the body past [`Limits::body_bytes`] flags its request; the
//!   request's body reader (`crate::body`) is woken and fails with 413 at once.
//!
//! Whatever the gate cannot follow (a chunk line longer than it reads, a framing error) makes it
//! stop inspecting that connection and pass every byte on as it comes: hyper then decides as
//! before. The gate never refuses what hyper would accept.
//!
//! [`Limits::head_bytes`]: crate::Limits::head_bytes
//! [`Limits::head_timeout`]: crate::Limits::head_timeout
//! [`Limits::body_bytes`]: crate::Limits::body_bytes

use axum::http::StatusCode;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll, Waker};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Sleep;

mod head;
use head::{check_head, Body, Head};

/// Most header fields in a head, as hyper (431 beyond).
pub const MAX_HEADERS: usize = 100;

/// Longest chunk-size or trailer line the gate follows; past it, it stops inspecting.
const MAX_LINE: usize = 4096;

/// How long, and how many bytes, a connection closed while its client may still be sending is
/// drained before it is dropped. Dropping a socket with unread input makes the kernel send a
/// reset, and a client still sending (a 500 KB head, a body past the limit) would lose the
/// answer before reading it.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 1 << 20;

/// The path of the request the gate hands hyper in place of a head it refused. Its answer is
/// decided by [`Conn::refusal`], not by the path: a client sending it gets a plain 404.
const REFUSED_PATH: &str = "/.gate/refused";

/// The answer a refused head gets.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// 400, 408, 413, 414 or 431.
    pub status: StatusCode,
    /// The `error` member.
    pub kind: &'static str,
    /// The `message` member.
    pub message: String,
    /// The method of the refused request as sent, when it could be read (for the metrics).
    pub method: Option<String>,
}

/// What the gate of one connection tells the requests read from it. Requests are numbered
/// from 1 in the order of the connection (HTTP/1.1 answers them in that order).
#[derive(Debug, Default)]
pub struct Conn {
    /// Requests the server's middleware has taken from this connection.
    taken: AtomicU64,
    /// The request whose chunked body announced more than the limit; 0 for none.
    over_limit: AtomicU64,
    /// The made-up request standing for a refused head, with its answer.
    refused: Mutex<Option<(u64, Refusal)>>,
    /// The body reader waiting on this connection, woken when a request is flagged.
    waker: Mutex<Option<Waker>>,
}

impl Conn {
    /// The number of the next request taken from this connection.
    pub fn take_request(&self) -> u64 {
        self.taken.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// The answer of request `seq` when it stands for a head the gate refused.
    pub fn refusal(&self, seq: u64) -> Option<Refusal> {
        let refused = self.refused.lock().unwrap_or_else(|e| e.into_inner());
        refused
            .as_ref()
            .filter(|(at, _)| *at == seq)
            .map(|(_, r)| r.clone())
    }

    /// True when request `seq`'s chunked body announced more than the body limit.
    pub fn over_limit(&self, seq: u64) -> bool {
        self.over_limit.load(Ordering::SeqCst) == seq
    }

    /// The body reader to wake when a request is flagged.
    pub fn register(&self, waker: &Waker) {
        let mut slot = self.waker.lock().unwrap_or_else(|e| e.into_inner());
        match slot.as_ref() {
            Some(w) if w.will_wake(waker) => {}
            _ => *slot = Some(waker.clone()),
        }
    }

    pub(crate) fn flag_over_limit(&self, seq: u64) {
        self.over_limit.store(seq, Ordering::SeqCst);
        let waker = self.waker.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(w) = waker {
            w.wake();
        }
    }
}

/// The handle of a connection's [`Conn`] that every request read from it carries (as
/// `ConnectInfo`).
#[derive(Debug, Clone)]
pub struct ConnHandle(pub Arc<Conn>);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, GateListener>>
    for ConnHandle
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, GateListener>) -> Self {
        ConnHandle(stream.io().conn.clone())
    }
}

/// What the gate enforces.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Largest head (request line and header fields), in bytes.
    pub head_bytes: usize,
    /// Longest a head may take to arrive, from its first byte.
    pub head_timeout: Duration,
    /// Largest body, in bytes.
    pub body_bytes: usize,
}

/// A TCP listener whose connections go through a [`Gate`].
pub struct GateListener {
    inner: TcpListener,
    rules: Rules,
}

impl GateListener {
    /// Wraps a bound listener.
    pub fn new(inner: TcpListener, rules: Rules) -> GateListener {
        GateListener { inner, rules }
    }
}

impl axum::serve::Listener for GateListener {
    type Io = Gate<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Gate<TcpStream>, SocketAddr) {
        let (tcp, addr) = axum::serve::Listener::accept(&mut self.inner).await;
        let _ = tcp.set_nodelay(true);
        (Gate::new(tcp, self.rules), addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// Where the gate is in the framing of the bytes it reads.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Frame {
    /// Collecting a head.
    Head,
    /// Passing this many more bytes of a `Content-Length` body.
    Length(u64),
    /// Reading a chunk-size line.
    ChunkSize,
    /// Passing this many more bytes of a chunk.
    ChunkData(u64),
    /// Reading the line end after a chunk's data.
    ChunkEnd,
    /// Reading trailer lines, up to an empty one.
    Trailers,
    /// No longer inspecting: every byte is passed on.
    Opaque,
    /// A refused head was replaced; nothing more is read.
    Refused,
}

/// A connection as hyper reads it: see the module documentation. Writes pass through.
pub struct Gate<IO> {
    io: IO,
    rules: Rules,
    conn: Arc<Conn>,
    frame: Frame,
    /// The head being collected.
    held: Vec<u8>,
    /// The line being read (chunk size, chunk end, trailer).
    line: Vec<u8>,
    /// What hyper has still to read, from `out_at`.
    out: Vec<u8>,
    out_at: usize,
    /// Heads passed on (or replaced) so far: the number of the last request.
    heads: u64,
    /// Bytes the chunk-size lines of the current body announced.
    announced: u64,
    /// The deadline of the head being collected.
    head_deadline: Option<Pin<Box<Sleep>>>,
    eof: bool,
    /// Closing: the write side is shut, and the input is drained until this deadline.
    linger: Option<Pin<Box<Sleep>>>,
    drained: usize,
}

impl<IO> Gate<IO> {
    /// A gate over `io`.
    pub fn new(io: IO, rules: Rules) -> Gate<IO> {
        Gate {
            io,
            rules,
            conn: Arc::new(Conn::default()),
            frame: Frame::Head,
            held: Vec::new(),
            line: Vec::new(),
            out: Vec::new(),
            out_at: 0,
            heads: 0,
            announced: 0,
            head_deadline: None,
            eof: false,
            linger: None,
            drained: 0,
        }
    }

    /// True when the client may still be sending: the connection was closed in the middle of
    /// a head or a body, or after a refusal.
    fn client_may_send(&self) -> bool {
        let idle = self.frame == Frame::Head && self.held.is_empty();
        !self.eof && !idle
    }

    /// Follows the framing of `input`, queueing for hyper what it may read.
    fn feed(&mut self, input: &[u8]) {
        let mut pending = input.to_vec();
        let mut at = 0;
        while at < pending.len() {
            if self.frame == Frame::Head {
                // A long head is parsed again only at a line end (or past the limit), not on
                // every byte a slow client sends; a short one always, so that garbage (a TLS
                // hello on the plain port) is answered at once.
                let line_end = pending[at..].contains(&b'\n');
                self.held.extend_from_slice(&pending[at..]);
                at = pending.len();
                let short = self.held.len() <= 1024;
                if !line_end && !short && self.held.len() <= self.rules.head_bytes {
                    continue;
                }
                if let Some(surplus) = self.head() {
                    pending = surplus;
                    at = 0;
                }
            } else {
                at += self.body(&pending[at..]);
            }
        }
    }

    /// Checks the head collected so far. When it is complete and good, passes it on and
    /// returns the bytes after it; when it is bad, replaces it.
    fn head(&mut self) -> Option<Vec<u8>> {
        let verdict = check_head(&self.held, self.rules);
        match verdict {
            Head::Partial => None,
            Head::Refused(refusal) => {
                self.refuse(refusal);
                None
            }
            Head::Good { len, body } => {
                let surplus = self.held.split_off(len);
                self.out.append(&mut self.held);
                self.heads += 1;
                self.head_deadline = None;
                self.announced = 0;
                self.frame = match body {
                    Body::None => Frame::Head,
                    Body::Length(n) => Frame::Length(n),
                    Body::Chunked => Frame::ChunkSize,
                };
                Some(surplus)
            }
        }
    }

    /// Hands hyper a request standing for the refused head; reads nothing more.
    fn refuse(&mut self, refusal: Refusal) {
        self.heads += 1;
        *self.conn.refused.lock().unwrap_or_else(|e| e.into_inner()) = Some((self.heads, refusal));
        self.held = Vec::new();
        self.head_deadline = None;
        self.out.extend_from_slice(
            format!("GET {REFUSED_PATH} HTTP/1.1\r\nhost: gate\r\nconnection: close\r\n\r\n")
                .as_bytes(),
        );
        self.frame = Frame::Refused;
    }

    /// Follows body bytes; returns how many of `input` it took.
    fn body(&mut self, input: &[u8]) -> usize {
        match self.frame {
            Frame::Head => 0,
            Frame::Refused => input.len(),
            Frame::Opaque => {
                self.out.extend_from_slice(input);
                input.len()
            }
            Frame::Length(n) | Frame::ChunkData(n) => {
                let k = input.len().min(usize::try_from(n).unwrap_or(usize::MAX));
                self.out.extend_from_slice(&input[..k]);
                let left = n - k as u64;
                self.frame = match (self.frame, left) {
                    (Frame::Length(_), 0) => Frame::Head,
                    (Frame::Length(_), _) => Frame::Length(left),
                    (_, 0) => Frame::ChunkEnd,
                    _ => Frame::ChunkData(left),
                };
                k
            }
            Frame::ChunkSize | Frame::ChunkEnd | Frame::Trailers => {
                let end = input.iter().position(|b| *b == b'\n');
                let k = end.map_or(input.len(), |i| i + 1);
                self.out.extend_from_slice(&input[..k]);
                self.line.extend_from_slice(&input[..k]);
                if self.line.len() > MAX_LINE {
                    self.frame = Frame::Opaque;
                } else if end.is_some() {
                    let line = std::mem::take(&mut self.line);
                    self.line_ended(&line);
                }
                k
            }
        }
    }

    /// A chunk-size, chunk-end or trailer line is complete.
    fn line_ended(&mut self, line: &[u8]) {
        let empty = line == b"\r\n";
        self.frame = match self.frame {
            Frame::ChunkSize => match httparse::parse_chunk_size(line) {
                Ok(httparse::Status::Complete((_, 0))) => Frame::Trailers,
                Ok(httparse::Status::Complete((_, size))) => {
                    self.announced = self.announced.saturating_add(size);
                    if self.announced > self.rules.body_bytes as u64 {
                        self.conn.flag_over_limit(self.heads);
                        Frame::Opaque
                    } else {
                        Frame::ChunkData(size)
                    }
                }
                _ => Frame::Opaque,
            },
            Frame::ChunkEnd if empty => Frame::ChunkSize,
            Frame::Trailers if empty => Frame::Head,
            Frame::Trailers => Frame::Trailers,
            _ => Frame::Opaque,
        };
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Gate<IO> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if this.out_at < this.out.len() {
                let n = buf.remaining().min(this.out.len() - this.out_at);
                buf.put_slice(&this.out[this.out_at..this.out_at + n]);
                this.out_at += n;
                if this.out_at == this.out.len() {
                    this.out.clear();
                    this.out_at = 0;
                }
                return Poll::Ready(Ok(()));
            }
            if this.eof {
                return Poll::Ready(Ok(()));
            }
            if this.frame == Frame::Refused {
                // Nothing more is read (the made-up request closes the connection). Not an
                // end of file: hyper would take that for a client gone and drop the answer.
                return Poll::Pending;
            }
            if this.frame == Frame::Opaque {
                return Pin::new(&mut this.io).poll_read(cx, buf);
            }
            // Line ends between requests (some clients send one after a body) start no head.
            let started = this.held.iter().any(|b| !matches!(b, b'\r' | b'\n'));
            if this.frame == Frame::Head && started {
                let timeout = this.rules.head_timeout;
                let deadline = this
                    .head_deadline
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                if deadline.as_mut().poll(cx).is_ready() {
                    let method = std::str::from_utf8(&this.held)
                        .ok()
                        .and_then(|h| h.split_whitespace().next())
                        .map(String::from);
                    this.refuse(Refusal {
                        status: StatusCode::REQUEST_TIMEOUT,
                        kind: "timeout",
                        message: format!(
                            "the request line and header fields did not arrive within {} s",
                            timeout.as_secs_f64()
                        ),
                        method,
                    });
                    continue;
                }
            }
            let mut chunk = [0u8; 8192];
            let mut read = ReadBuf::new(&mut chunk);
            ready!(Pin::new(&mut this.io).poll_read(cx, &mut read))?;
            let n = read.filled().len();
            if n == 0 {
                // The client is done: what was held goes to hyper as it is.
                this.eof = true;
                let held = std::mem::take(&mut this.held);
                this.out.extend_from_slice(&held);
                continue;
            }
            this.feed(&chunk[..n]);
        }
    }
}

impl<IO: AsyncRead + AsyncWrite + Unpin> AsyncWrite for Gate<IO> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    /// Shuts the write side (the answer is complete), then drains what the client may still be
    /// sending, within [`LINGER`] and [`LINGER_BYTES`], so that it reads the answer.
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.linger.is_none() {
            ready!(Pin::new(&mut this.io).poll_shutdown(cx))?;
            this.linger = Some(Box::pin(tokio::time::sleep(LINGER)));
        }
        while this.client_may_send() && this.drained < LINGER_BYTES {
            if let Some(deadline) = this.linger.as_mut() {
                if deadline.as_mut().poll(cx).is_ready() {
                    break;
                }
            }
            let mut chunk = [0u8; 8192];
            let mut read = ReadBuf::new(&mut chunk);
            match ready!(Pin::new(&mut this.io).poll_read(cx, &mut read)) {
                Ok(()) if !read.filled().is_empty() => this.drained += read.filled().len(),
                _ => this.eof = true,
            }
        }
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: Rules = Rules {
        head_bytes: 256,
        head_timeout: Duration::from_secs(10),
        body_bytes: 100,
    };

    fn gate() -> Gate<()> {
        Gate::new((), RULES)
    }

    fn taken(g: &mut Gate<()>) -> String {
        let text = String::from_utf8_lossy(&g.out[g.out_at..]).into_owned();
        g.out.clear();
        g.out_at = 0;
        text
    }

    #[test]
    fn good_requests_pass_unchanged_whatever_the_reads() {
        let stream = b"POST /v1/rank HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello\
GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n\
POST /v1/rank HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n\
GET / HTTP/1.1\r\n\r\n";
        for step in [1, 2, 7, stream.len()] {
            let mut g = gate();
            let mut seen = String::new();
            for piece in stream.chunks(step) {
                g.feed(piece);
                seen.push_str(&taken(&mut g));
            }
            assert_eq!(seen.as_bytes(), stream, "read {step} bytes at a time");
            assert_eq!((g.heads, g.frame), (4, Frame::Head));
            assert!(!g.conn.over_limit(3));
        }
    }

    #[test]
    fn a_chunk_announcing_more_than_the_limit_flags_its_request() {
        let mut g = gate();
        g.feed(b"GET / HTTP/1.1\r\n\r\nPOST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nE8D4A51000\r\n{");
        assert!(g.conn.over_limit(2));
        assert!(!g.conn.over_limit(1));
        assert_eq!(g.frame, Frame::Opaque);
        // Chunks adding up past the limit, too.
        let mut g = gate();
        g.feed(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        g.feed(format!("32\r\n{}\r\n", "a".repeat(50)).as_bytes());
        assert!(!g.conn.over_limit(1));
        g.feed(b"33\r\n");
        assert!(g.conn.over_limit(1));
    }

    #[test]
    fn bad_heads_are_replaced_by_a_request_the_server_answers() {
        let cases: [(&[u8], u16, &str); 9] = [
            (b"GARBAGE\x01 / HTTP/1.1\r\n\r\n", 400, "request line"),
            (b"GET / HTTP/9.9\r\n\r\n", 400, "request line"),
            (
                b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
                400,
                "header fields",
            ),
            (
                b"GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
                400,
                "Content-Length",
            ),
            (
                b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                400,
                "Content-Length",
            ),
            (
                b"GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
                400,
                "chunked",
            ),
            (
                b"GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
                400,
                "HTTP/1.0",
            ),
            (
                b"GET / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n",
                413,
                "declared",
            ),
            (b"GET /\x7f HTTP/1.1\r\n\r\n", 400, "request"),
        ];
        for (head, status, says) in cases {
            let mut g = gate();
            g.feed(head);
            let refusal = g
                .conn
                .refusal(1)
                .unwrap_or_else(|| panic!("{head:?} refused"));
            assert_eq!(refusal.status.as_u16(), status, "{head:?}");
            assert!(
                refusal.message.contains(says),
                "{head:?}: {}",
                refusal.message
            );
            assert!(taken(&mut g).starts_with(&format!("GET {REFUSED_PATH} HTTP/1.1\r\n")));
            assert_eq!(g.frame, Frame::Refused);
        }
        // Too large: the request line alone (414), or with the header fields (431).
        for end in ["", "\r\n\r\n"] {
            let mut g = gate();
            g.feed(format!("GET /{} HTTP/1.1{end}", "a".repeat(300)).as_bytes());
            assert_eq!(g.conn.refusal(1).unwrap().status, StatusCode::URI_TOO_LONG);
        }
        let mut g = gate();
        g.feed(format!("GET / HTTP/1.1\r\nX: {}\r\n", "a".repeat(300)).as_bytes());
        let r = g.conn.refusal(1).unwrap();
        assert_eq!(r.status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
        assert_eq!(r.method.as_deref(), Some("GET"));
        let mut g = Gate::new(
            (),
            Rules {
                head_bytes: 1 << 20,
                ..RULES
            },
        );
        g.feed(b"GET / HTTP/1.1\r\n");
        g.feed("X: y\r\n".repeat(101).as_bytes());
        assert_eq!(
            g.conn.refusal(1).unwrap().status,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
        );
        // What follows a refusal is not read; earlier requests are untouched.
        let mut g = gate();
        g.feed(b"GET /a HTTP/1.1\r\n\r\nBAD\x01\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        let out = taken(&mut g);
        assert!(out.starts_with("GET /a HTTP/1.1\r\n\r\nGET /.gate/refused"));
        assert!(!out.contains("/b"));
        assert!(g.conn.refusal(2).is_some() && g.conn.refusal(1).is_none());
    }

    #[tokio::test]
    async fn a_head_is_timed_from_its_first_byte_not_from_line_ends_between_requests() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let rules = Rules {
            head_timeout: Duration::from_millis(50),
            ..RULES
        };
        let (mut client, server) = tokio::io::duplex(1024);
        let mut g = Gate::new(server, rules);
        let mut buf = [0u8; 256];
        client.write_all(b"\r\n").await.unwrap();
        let idle = tokio::time::timeout(Duration::from_millis(200), g.read(&mut buf)).await;
        assert!(idle.is_err(), "nothing is answered on an idle connection");
        client
            .write_all(b"GET / HTTP/1.1\r\nhost: x")
            .await
            .unwrap();
        let n = tokio::time::timeout(Duration::from_secs(2), g.read(&mut buf))
            .await
            .expect("a head that stalls is refused")
            .unwrap();
        assert!(buf[..n].starts_with(b"GET /.gate/refused"));
        assert_eq!(
            g.conn.refusal(1).unwrap().status,
            StatusCode::REQUEST_TIMEOUT
        );
    }
}
