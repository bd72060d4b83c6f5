//! What the server answers at most, so that no request allocates without bound, runs for ever
//! or takes the server's capacity from the others.

use std::time::Duration;

/// Longest query string, in bytes (414 beyond).
pub const MAX_QUERY_BYTES: usize = 8 * 1024;

/// The limits of a server. [`Limits::default`] is what `stackmatrix serve` uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest request body, in bytes (413 beyond, as soon as a declared length or a chunk
    /// size says so).
    pub body_bytes: usize,
    /// Longest a request body may take to arrive once the handler reads it (408 beyond).
    pub body_timeout: Duration,
    /// Largest request head, request line and header fields together, in bytes (414 when the
    /// request line alone is longer, 431 otherwise).
    pub head_bytes: usize,
    /// Longest a request head may take to arrive, from its first byte (408 beyond).
    pub head_timeout: Duration,
    /// Longest a request may take, waiting for its turn included (503 beyond).
    pub timeout: Duration,
    /// Requests answered at once; the others wait for their turn (within the timeout).
    pub in_flight: usize,
    /// Verbs that search or sample (`recommend`, `robustness`, `compare`, `decide`, `audit`,
    /// `cases validate`, `rank` with a `method`) run at once on the blocking pool; the others
    /// wait for their turn.
    pub blocking: usize,
    /// `rank`: most stacks named.
    pub stacks: usize,
    /// `rank`: most members of a named stack.
    pub stack_members: usize,
    /// `recommend`: largest `max_size`.
    pub max_size: usize,
    /// `recommend` and `migrate`: largest `alternatives`.
    pub alternatives: usize,
    /// `recommend`: largest `max_shared`.
    pub max_shared: usize,
    /// `recommend`: most items of `require`, `include` and `exclude` each.
    pub list: usize,
    /// `robustness`: most Monte Carlo samples of each pass.
    pub samples: u64,
    /// `decide`: most alternatives (rows of the matrix).
    pub decide_alternatives: usize,
    /// `decide`: most criteria (columns of the matrix).
    pub decide_criteria: usize,
    /// `compare`: most methods named.
    pub methods: usize,
    /// How long a graceful shutdown waits for requests in flight before it stops anyway.
    pub drain: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            body_bytes: 64 * 1024,
            body_timeout: Duration::from_secs(5),
            head_bytes: 32 * 1024,
            head_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(10),
            in_flight: 64,
            blocking: cpus.max(2),
            stacks: 64,
            stack_members: 16,
            max_size: 8,
            alternatives: 50,
            max_shared: 5,
            list: 64,
            samples: 200_000,
            decide_alternatives: 500,
            decide_criteria: 64,
            methods: 16,
            drain: Duration::from_secs(15),
        }
    }
}
