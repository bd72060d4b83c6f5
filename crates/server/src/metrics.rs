//! Request counters and latency histograms, written in the Prometheus text format.
//!
//! A mutex over two small maps: the label sets are bounded (route templates, a handful of
//! methods and statuses), the lock is held for a few map operations per request, and the
//! whole exposition is ~100 lines of code here against two crates and a global recorder.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds (`+Inf` is added).
pub const BUCKETS: [f64; 13] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// The route label of a request that matched no route.
pub const UNMATCHED: &str = "unmatched";

#[derive(Debug, Default)]
struct Histogram {
    /// Observations per bucket (not cumulative); the last one is `+Inf`.
    counts: [u64; BUCKETS.len() + 1],
    sum: f64,
}

#[derive(Debug, Default)]
struct Inner {
    requests: BTreeMap<(String, &'static str, u16), u64>,
    durations: BTreeMap<String, Histogram>,
}

/// The server's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
    in_flight: AtomicI64,
}

/// A method label: the standard methods by name, anything else as `other`, so that a client
/// cannot grow the label set.
pub fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE",
    ];
    KNOWN
        .iter()
        .find(|m| **m == method)
        .copied()
        .unwrap_or("other")
}

impl Metrics {
    /// Counts an answered request and its latency.
    pub fn record(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|le| seconds <= *le)
            .unwrap_or(BUCKETS.len());
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *inner
            .requests
            .entry((route.to_string(), method_label(method), status))
            .or_default() += 1;
        let h = inner.durations.entry(route.to_string()).or_default();
        h.counts[bucket] += 1;
        h.sum += seconds;
    }

    /// A request started (`+1`) or ended (`-1`).
    pub fn in_flight(&self, delta: i64) {
        self.in_flight.fetch_add(delta, Ordering::Relaxed);
    }

    /// How many requests with this route, method and status were answered.
    pub fn count(&self, route: &str, method: &str, status: u16) -> u64 {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner
            .requests
            .get(&(route.to_string(), method_label(method), status))
            .copied()
            .unwrap_or(0)
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self) -> String {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = String::new();
        out.push_str("# HELP stackmatrix_http_requests_total HTTP requests answered, by route template, method and status.\n");
        out.push_str("# TYPE stackmatrix_http_requests_total counter\n");
        for ((route, method, status), n) in &inner.requests {
            let _ = writeln!(
                out,
                "stackmatrix_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
        out.push_str("# HELP stackmatrix_http_request_duration_seconds Time from receiving a request to answering it, waiting included, by route template.\n");
        out.push_str("# TYPE stackmatrix_http_request_duration_seconds histogram\n");
        for (route, h) in &inner.durations {
            let route = escape(route);
            let mut cumulative = 0;
            for (i, n) in h.counts.iter().enumerate() {
                cumulative += n;
                let le = BUCKETS
                    .get(i)
                    .map_or_else(|| "+Inf".to_string(), |b| b.to_string());
                let _ = writeln!(
                    out,
                    "stackmatrix_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "stackmatrix_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "stackmatrix_http_request_duration_seconds_count{{route=\"{route}\"}} {cumulative}"
            );
        }
        out.push_str("# HELP stackmatrix_http_requests_in_flight Requests being answered or waiting for their turn.\n");
        out.push_str("# TYPE stackmatrix_http_requests_in_flight gauge\n");
        let _ = writeln!(
            out,
            "stackmatrix_http_requests_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        out
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_buckets_are_cumulative() {
        let m = Metrics::default();
        m.record("/v1/rank", "GET", 200, Duration::from_micros(300));
        m.record("/v1/rank", "GET", 200, Duration::from_millis(3));
        m.record("/v1/rank", "POST", 400, Duration::from_secs(9));
        m.record(UNMATCHED, "BREW", 404, Duration::from_millis(1));
        assert_eq!(m.count("/v1/rank", "GET", 200), 2);
        assert_eq!(m.count(UNMATCHED, "other", 404), 1);
        let text = m.render();
        assert!(text.contains(
            "stackmatrix_http_requests_total{route=\"/v1/rank\",method=\"GET\",status=\"200\"} 2\n"
        ));
        assert!(text.contains(
            "stackmatrix_http_request_duration_seconds_bucket{route=\"/v1/rank\",le=\"0.0005\"} 1\n"
        ));
        assert!(text.contains(
            "stackmatrix_http_request_duration_seconds_bucket{route=\"/v1/rank\",le=\"0.005\"} 2\n"
        ));
        assert!(text.contains(
            "stackmatrix_http_request_duration_seconds_bucket{route=\"/v1/rank\",le=\"5\"} 2\n"
        ));
        assert!(text.contains(
            "stackmatrix_http_request_duration_seconds_bucket{route=\"/v1/rank\",le=\"+Inf\"} 3\n"
        ));
        assert!(text
            .contains("stackmatrix_http_request_duration_seconds_count{route=\"/v1/rank\"} 3\n"));
        assert!(text.contains("method=\"other\""));
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
