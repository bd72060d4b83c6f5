//! Stochastic multicriteria acceptability analysis (SMAA-2, Lahdelma & Salminen 2001) of the
//! model's ranking problem, and of any value matrix with per-entry spread.
//!
//! # The problem
//!
//! Alternatives are technologies (chains) or stacks, each given by its 12 x 6 maturity matrix
//! `A` in the scenario's time mode and the provenance kind of each row. The scene vector `s` is
//! fixed. The score is the model's: `score = 10 · Σ_c w_c f_c / Σ_c w_c` with `f = s · Aᵀ`
//! ([`crate::weighted_score`] of [`crate::scenario_fit`]).
//!
//! # Uncertainty
//!
//! * **Matrix entries.** Each entry `A[c][j]` is drawn independently and uniformly on
//!   `[max(0, v − δ), min(1, v + δ)]`, where `v` is its value and `δ` the [`Spread`] of its
//!   row's provenance kind (defaults: published 0.05, measured 0.05, estimated 0.15). The
//!   interval is truncated, not clamped: there is no point mass at 0 or 1, so a value of 1 is
//!   drawn on `[1 − δ, 1]`. Entries of scenes the vector does not weigh (`s_j = 0`) cannot change
//!   a score and are not drawn; neither are entries with zero width.
//! * **Weights.** [`WeightModel::Uniform`] draws `w` uniformly from the simplex (normalised
//!   exponentials `E_c = −ln U_c`, `w = E / Σ E`: exactly Dirichlet(1, …, 1)), SMAA's "no
//!   preference information". [`WeightModel::Dirichlet`] draws around given weights `w⁰`:
//!   `w ~ Dirichlet(κ · w⁰ / Σ w⁰)`, whose mean is `w⁰ / Σ w⁰` and whose spread shrinks as the
//!   concentration `κ` grows (`Var w_c = m_c (1 − m_c) / (κ + 1)` with `m = w⁰ / Σ w⁰`); a zero
//!   weight stays zero. [`WeightModel::Fixed`] keeps the given weights.
//!
//! # Outputs
//!
//! * **Rank acceptability** `b_i^r`: the share of samples in which alternative `i` takes rank
//!   `r`. Ties (scores within [`crate::TIE_TOLERANCE`] of the first score of their group, as in
//!   [`crate::competition_ranks`]) are shared: a group of `k` alternatives occupying positions
//!   `p … p + k − 1` gives each member `1/k` of each of those ranks. Every row and every column
//!   of `b` then sums to 1. With continuous distributions ties have probability zero; they
//!   matter only with zero spread or identical alternatives.
//! * **Central weight vector** `w_i^c`: the mean of the (normalised) weights of the samples in
//!   which `i` ranks first (a shared first place counts `1/k`). `None` when `b_i^1 = 0`.
//! * **Confidence factor** `p_i^c`: the probability that `i` ranks first when the weights are
//!   fixed at `w_i^c` and the matrix is still drawn, estimated by a second pass of
//!   `confidence_samples` draws (one matrix draw serves every alternative's central weights).
//!
//! # Determinism and parallelism
//!
//! The samples are cut into chunks of [`CHUNK_SAMPLES`]; chunk `k` of pass `p` (1: acceptability,
//! 2: confidence) draws from its own xoshiro256++ stream, seeded by SplitMix64 from a hash of
//! `(seed, p, k)`. Within a sample the matrix is drawn first (alternative, concept, scene order),
//! then the weights (concept order). Chunks run in parallel with rayon; each returns its partial
//! sums, which are added in chunk order. The result is therefore identical, to the last bit, for
//! a given seed whatever the number of threads. Memory does not grow with the number of
//! samples: chunks are processed in bounded batches and nothing is stored per sample.

use crate::ranking::TIE_TOLERANCE;
use crate::scoring::time_matrix;
use crate::stack::compose_stack;
use rayon::prelude::*;
use stackmatrix_model::{
    Concept, Matrix, Parameters, ProvenanceKind, Scene, TechKind, Technology, TimeMode, TimeSlice,
    CONCEPT_COUNT, SCENE_COUNT,
};
use std::sync::Mutex;

/// Samples per chunk: the unit of parallel work, of random streams and of progress reports.
pub const CHUNK_SAMPLES: u64 = 4096;

/// A sensible default number of samples: the standard error of an acceptability index is then
/// at most `0.5 / √100 000 ≈ 0.0016`.
pub const DEFAULT_SAMPLES: u64 = 100_000;

/// The stream of the acceptability pass.
const PASS_ACCEPTABILITY: u64 = 1;
/// The stream of the confidence pass.
const PASS_CONFIDENCE: u64 = 2;

/// Half-width `δ` of the uniform distribution of a maturity entry, by the provenance kind of its
/// row: an entry of value `v` is drawn on `[max(0, v − δ), min(1, v + δ)]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Rows transcribed from a published source (default 0.05: half a step of the published
    /// 0.1 grid).
    pub published: f64,
    /// Rows estimated by the maintainers (default 0.15: a step and a half of the grid).
    pub estimated: f64,
    /// Rows measured by someone (default 0.05).
    pub measured: f64,
}

impl Default for Spread {
    fn default() -> Self {
        Spread {
            published: 0.05,
            estimated: 0.15,
            measured: 0.05,
        }
    }
}

impl Spread {
    /// No uncertainty in the matrix: every entry keeps its value.
    pub const ZERO: Spread = Spread {
        published: 0.0,
        estimated: 0.0,
        measured: 0.0,
    };

    /// The spread of a row of this kind.
    pub fn of(&self, kind: ProvenanceKind) -> f64 {
        match kind {
            ProvenanceKind::Published => self.published,
            ProvenanceKind::Estimated => self.estimated,
            ProvenanceKind::Measured => self.measured,
        }
    }
}

/// The less certain of two provenance kinds, in the order measured, published, estimated (most
/// to least certain). A row built from two rows (a blend of slices, a stack's max) takes it.
pub fn less_certain(a: ProvenanceKind, b: ProvenanceKind) -> ProvenanceKind {
    fn uncertainty(k: ProvenanceKind) -> u8 {
        match k {
            ProvenanceKind::Measured => 0,
            ProvenanceKind::Published => 1,
            ProvenanceKind::Estimated => 2,
        }
    }
    if uncertainty(b) > uncertainty(a) {
        b
    } else {
        a
    }
}

/// One alternative of the model's ranking problem: a maturity matrix in the scenario's time mode
/// and the provenance kind of each of its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct SmaaAlternative {
    /// Technology or stack id.
    pub id: String,
    /// The 12 x 6 matrix scored, rows in concept order.
    pub matrix: Matrix,
    /// The provenance kind of each row, in concept order; it sets the row's [`Spread`].
    pub row_kinds: [ProvenanceKind; CONCEPT_COUNT],
}

/// The provenance kind of a technology's row in a slice (a dynamic row not given is the static
/// row, with the static row's provenance).
fn slice_kind(t: &Technology, slice: TimeSlice, c: Concept) -> ProvenanceKind {
    match slice {
        TimeSlice::Dynamic if t.maturity.has_dynamic_row(c) => {
            t.provenance_of(TimeSlice::Dynamic, c).kind
        }
        _ => t.provenance_of(TimeSlice::Static, c).kind,
    }
}

/// The slices a time mode reads.
fn slices(mode: TimeMode) -> &'static [TimeSlice] {
    match mode {
        TimeMode::Static => &[TimeSlice::Static],
        TimeMode::Dynamic => &[TimeSlice::Dynamic],
        TimeMode::Blend => &[TimeSlice::Static, TimeSlice::Dynamic],
    }
}

impl SmaaAlternative {
    /// A technology scored alone, or `None` when it lacks a row (an addon).
    ///
    /// Row kinds: the row's provenance ([`Technology::provenance_of`]); in the blend, the less
    /// certain ([`less_certain`]) of the static and dynamic rows' kinds.
    pub fn from_technology(
        t: &Technology,
        mode: TimeMode,
        params: &Parameters,
    ) -> Option<SmaaAlternative> {
        let matrix = time_matrix(&t.maturity, mode, params)?;
        let row_kinds = Concept::ALL.map(|c| {
            slices(mode)
                .iter()
                .map(|s| slice_kind(t, *s, c))
                .reduce(less_certain)
                .unwrap_or(ProvenanceKind::Published)
        });
        Some(SmaaAlternative {
            id: t.id.clone(),
            matrix,
            row_kinds,
        })
    }

    /// Every chain of `technologies` that can be scored alone, in the order given: the
    /// alternatives of [`crate::rank_technologies`].
    pub fn from_chains<'a>(
        technologies: impl IntoIterator<Item = &'a Technology>,
        mode: TimeMode,
        params: &Parameters,
    ) -> Vec<SmaaAlternative> {
        technologies
            .into_iter()
            .filter(|t| t.kind == TechKind::Chain)
            .filter_map(|t| SmaaAlternative::from_technology(t, mode, params))
            .collect()
    }

    /// A stack: its composed tensor ([`crate::compose_stack`]) in the time mode, or `None` when
    /// some concept is uncovered.
    ///
    /// Row kinds: for each concept and slice, the less certain kind among the members whose row
    /// attains the stack's maximum in at least one scene (the rows the composed value comes
    /// from); in the blend, the less certain of the two slices. Enhancement uplifts carry no
    /// provenance kind and do not change it.
    pub fn from_stack(
        id: impl Into<String>,
        members: &[&Technology],
        mode: TimeMode,
        params: &Parameters,
    ) -> Option<SmaaAlternative> {
        let tensor = compose_stack(members);
        let matrix = time_matrix(&tensor, mode, params)?;
        let row_kinds = Concept::ALL.map(|c| {
            slices(mode)
                .iter()
                .filter_map(|s| stack_row_kind(members, *s, c))
                .reduce(less_certain)
                .unwrap_or(ProvenanceKind::Published)
        });
        Some(SmaaAlternative {
            id: id.into(),
            matrix,
            row_kinds,
        })
    }
}

/// The kind of a stack's row in a slice: the less certain kind among the members whose row
/// attains the maximum in some scene.
fn stack_row_kind(members: &[&Technology], slice: TimeSlice, c: Concept) -> Option<ProvenanceKind> {
    let rows: Vec<(&Technology, [f64; SCENE_COUNT])> = members
        .iter()
        .filter_map(|m| m.maturity.row(slice, c).map(|r| (*m, r)))
        .collect();
    let mut max = [f64::NEG_INFINITY; SCENE_COUNT];
    for (_, r) in &rows {
        for (x, v) in max.iter_mut().zip(r) {
            *x = x.max(*v);
        }
    }
    rows.iter()
        .filter(|(_, r)| r.iter().zip(&max).any(|(v, x)| v == x))
        .map(|(m, _)| slice_kind(m, slice, c))
        .reduce(less_certain)
}

/// The generic problem: `n` alternatives by `m` criteria, each value uncertain.
///
/// Entry `(i, c)` is drawn uniformly on `[max(lo, v − δ), min(hi, v + δ)]` with `v =
/// values[i][c]`, `δ = spreads[i][c]` and `[lo, hi] = bounds`; the score is `Σ_c w_c x_c / Σ w`
/// (more is better).
#[derive(Debug, Clone, PartialEq)]
pub struct ValueMatrix {
    /// Alternative ids, one per row.
    pub ids: Vec<String>,
    /// `values[i][c]`: the value of alternative `i` on criterion `c`.
    pub values: Vec<Vec<f64>>,
    /// `spreads[i][c] ≥ 0`: the half-width of the entry's uniform distribution.
    pub spreads: Vec<Vec<f64>>,
    /// The range the values live in (use infinite bounds for none).
    pub bounds: [f64; 2],
}

/// How the criterion weights are drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum WeightModel {
    /// Uniformly from the simplex: no preference information (SMAA-2's default).
    Uniform,
    /// `w ~ Dirichlet(κ · w⁰ / Σ w⁰)` around the given weights `w⁰` (non-negative, not all
    /// zero); `concentration` is `κ > 0`. `κ = m` with equal weights is the uniform simplex.
    Dirichlet {
        /// The weights drawn around, one per criterion.
        weights: Vec<f64>,
        /// `κ`: larger is tighter.
        concentration: f64,
    },
    /// The given weights (non-negative, not all zero), never drawn.
    Fixed(Vec<f64>),
}

/// What to compute and how many samples to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct SmaaOptions {
    /// Samples of the acceptability pass (at least 1).
    pub samples: u64,
    /// Samples of the confidence pass (0 skips it: every confidence factor is then `None`).
    pub confidence_samples: u64,
    /// The seed: equal seeds give equal results, whatever the number of threads.
    pub seed: u64,
    /// How the weights are drawn.
    pub weights: WeightModel,
}

impl SmaaOptions {
    /// `samples` draws in both passes, uniform weights.
    pub fn new(samples: u64, seed: u64) -> SmaaOptions {
        SmaaOptions {
            samples,
            confidence_samples: samples,
            seed,
            weights: WeightModel::Uniform,
        }
    }

    /// The number of samples the progress callback counts up to: both passes.
    pub fn total_samples(&self) -> u64 {
        self.samples + self.confidence_samples
    }
}

/// Why an SMAA problem cannot be run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SmaaError {
    /// No alternative was given.
    #[error("no alternatives to rank")]
    NoAlternatives,
    /// The value matrix has no criteria.
    #[error("the value matrix has no criteria")]
    NoCriteria,
    /// `samples` is 0.
    #[error("the number of samples must be at least 1")]
    NoSamples,
    /// A row or a weight vector has the wrong length.
    #[error("{what} has {got} entries, expected {expected}")]
    Shape {
        /// What has the wrong length.
        what: String,
        /// Its length.
        got: usize,
        /// The length expected.
        expected: usize,
    },
    /// A number is NaN or infinite.
    #[error("{what} = {value} is not a finite number")]
    NotFinite {
        /// Which number.
        what: String,
        /// The value.
        value: f64,
    },
    /// A number that must be 0 or more is negative.
    #[error("{what} = {value} is negative")]
    Negative {
        /// Which number.
        what: String,
        /// The value.
        value: f64,
    },
    /// A value lies outside the bounds.
    #[error("{what} = {value} lies outside [{lo}, {hi}]")]
    OutOfBounds {
        /// Which value.
        what: String,
        /// The value.
        value: f64,
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// The bounds are empty or NaN.
    #[error("the bounds [{0}, {1}] are empty")]
    Bounds(f64, f64),
    /// Every weight (or every scene weight) is zero.
    #[error("every {0} is zero")]
    AllZero(&'static str),
    /// The Dirichlet concentration is not a positive finite number.
    #[error("the concentration {0} must be a positive finite number")]
    Concentration(f64),
}

/// The result of an SMAA-2 run. Indices are alternatives in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct SmaaResult {
    /// Alternative ids, in the order given.
    pub ids: Vec<String>,
    /// Number of criteria (12 for the model).
    pub criteria: usize,
    /// Samples of the acceptability pass.
    pub samples: u64,
    /// Samples of the confidence pass.
    pub confidence_samples: u64,
    /// The seed.
    pub seed: u64,
    /// `acceptability[i][r]`: the probability that alternative `i` takes rank `r + 1`.
    pub acceptability: Vec<Vec<f64>>,
    /// `central_weights[i]`: the mean weight vector (summing to 1) of the samples in which `i`
    /// ranks first; `None` when it never does.
    pub central_weights: Vec<Option<Vec<f64>>>,
    /// `confidence[i]`: the probability that `i` ranks first with the weights at its central
    /// weight vector; `None` without a central weight vector or a confidence pass.
    pub confidence: Vec<Option<f64>>,
}

/// The numbers a one-paragraph summary needs.
#[derive(Debug, Clone, PartialEq)]
pub struct SmaaSummary {
    /// Index of the alternative most likely to rank first (largest `b^1`; ties by expected
    /// rank, then by index).
    pub most_likely_first: usize,
    /// Its first-rank acceptability `b^1`.
    pub first_acceptability: f64,
    /// The Monte Carlo standard error of that estimate, `√(b(1 − b)/N)`.
    pub first_standard_error: f64,
    /// Its confidence factor, when computed.
    pub confidence: Option<f64>,
    /// The alternative second most likely to rank first and its `b^1`, when there are two
    /// alternatives or more.
    pub runner_up: Option<(usize, f64)>,
    /// How many alternatives ranked first in at least one sample.
    pub contenders: usize,
}

impl SmaaResult {
    /// The Monte Carlo standard error of `acceptability[i][r]`: `√(b(1 − b)/N)`.
    pub fn standard_error(&self, i: usize, r: usize) -> f64 {
        let b = self.acceptability[i][r];
        (b * (1.0 - b) / self.samples as f64).sqrt()
    }

    /// The expected rank of `i`, `Σ_r (r + 1) · b_i^r` (1 is best).
    pub fn expected_rank(&self, i: usize) -> f64 {
        self.acceptability[i]
            .iter()
            .enumerate()
            .map(|(r, b)| (r + 1) as f64 * b)
            .sum()
    }

    /// Alternatives by first-rank acceptability, descending; ties by expected rank, then index.
    pub fn by_first_acceptability(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.ids.len()).collect();
        order.sort_by(|&a, &b| {
            self.acceptability[b][0]
                .total_cmp(&self.acceptability[a][0])
                .then_with(|| self.expected_rank(a).total_cmp(&self.expected_rank(b)))
                .then_with(|| a.cmp(&b))
        });
        order
    }

    /// The numbers of a plain-language summary.
    pub fn summary(&self) -> SmaaSummary {
        let order = self.by_first_acceptability();
        let first = order[0];
        SmaaSummary {
            most_likely_first: first,
            first_acceptability: self.acceptability[first][0],
            first_standard_error: self.standard_error(first, 0),
            confidence: self.confidence[first],
            runner_up: order.get(1).map(|&i| (i, self.acceptability[i][0])),
            contenders: self.acceptability.iter().filter(|b| b[0] > 0.0).count(),
        }
    }
}

/// SMAA-2 of the model's ranking problem: `alternatives` scored in `scene_vector` (any
/// non-negative scale; it is normalised), entries drawn with `spread`, weights by
/// `options.weights` (12 per weight vector).
///
/// `progress` is called after each chunk with the number of samples done so far over both
/// passes (up to [`SmaaOptions::total_samples`]), increasing, from the worker threads one at a
/// time.
pub fn smaa_rank(
    alternatives: &[SmaaAlternative],
    scene_vector: &[f64; SCENE_COUNT],
    spread: &Spread,
    options: &SmaaOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SmaaResult, SmaaError> {
    if alternatives.is_empty() {
        return Err(SmaaError::NoAlternatives);
    }
    for (what, v) in [
        ("published", spread.published),
        ("estimated", spread.estimated),
        ("measured", spread.measured),
    ] {
        check_non_negative(&format!("spread of {what} rows"), v)?;
    }
    for (s, v) in Scene::ALL.iter().zip(scene_vector) {
        check_non_negative(&format!("scene weight {}", s.key()), *v)?;
    }
    let total: f64 = scene_vector.iter().sum();
    if total <= 0.0 {
        return Err(SmaaError::AllZero("scene weight"));
    }
    let s = scene_vector.map(|x| x / total);
    let m = CONCEPT_COUNT;
    let mut problem = Problem::new(alternatives.len(), m, 10.0);
    for (i, alt) in alternatives.iter().enumerate() {
        for (c, row) in alt.matrix.iter().enumerate() {
            let delta = spread.of(alt.row_kinds[c]);
            for (j, &v) in row.iter().enumerate() {
                let what = || {
                    format!(
                        "maturity of '{}', {} in {}",
                        alt.id,
                        Concept::ALL[c].key(),
                        Scene::ALL[j].key()
                    )
                };
                check_bounds(&what(), v, 0.0, 1.0)?;
                if s[j] > 0.0 {
                    problem.add(problem.slot(i, c), s[j], v, delta, 0.0, 1.0);
                }
            }
        }
    }
    let ids = alternatives.iter().map(|a| a.id.clone()).collect();
    run(problem, ids, options, progress)
}

/// SMAA-2 of a generic value matrix (see [`ValueMatrix`]), weights by `options.weights` (one
/// per criterion). Progress as in [`smaa_rank`].
pub fn smaa_values(
    matrix: &ValueMatrix,
    options: &SmaaOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SmaaResult, SmaaError> {
    let n = matrix.ids.len();
    if n == 0 {
        return Err(SmaaError::NoAlternatives);
    }
    let [lo, hi] = matrix.bounds;
    if lo.is_nan() || hi.is_nan() || lo > hi {
        return Err(SmaaError::Bounds(lo, hi));
    }
    for (what, rows) in [("values", &matrix.values), ("spreads", &matrix.spreads)] {
        if rows.len() != n {
            return Err(SmaaError::Shape {
                what: what.to_string(),
                got: rows.len(),
                expected: n,
            });
        }
    }
    let m = matrix.values[0].len();
    if m == 0 {
        return Err(SmaaError::NoCriteria);
    }
    let mut problem = Problem::new(n, m, 1.0);
    for (i, id) in matrix.ids.iter().enumerate() {
        for (what, row) in [
            ("values", &matrix.values[i]),
            ("spreads", &matrix.spreads[i]),
        ] {
            if row.len() != m {
                return Err(SmaaError::Shape {
                    what: format!("{what} of '{id}'"),
                    got: row.len(),
                    expected: m,
                });
            }
        }
        for c in 0..m {
            let (v, d) = (matrix.values[i][c], matrix.spreads[i][c]);
            check_bounds(&format!("value of '{id}', criterion {c}"), v, lo, hi)?;
            check_non_negative(&format!("spread of '{id}', criterion {c}"), d)?;
            problem.add(problem.slot(i, c), 1.0, v, d, lo, hi);
        }
    }
    run(problem, matrix.ids.clone(), options, progress)
}

fn check_finite(what: &str, value: f64) -> Result<(), SmaaError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(SmaaError::NotFinite {
            what: what.to_string(),
            value,
        })
    }
}

fn check_non_negative(what: &str, value: f64) -> Result<(), SmaaError> {
    check_finite(what, value)?;
    if value < 0.0 {
        return Err(SmaaError::Negative {
            what: what.to_string(),
            value,
        });
    }
    Ok(())
}

fn check_bounds(what: &str, value: f64, lo: f64, hi: f64) -> Result<(), SmaaError> {
    check_finite(what, value)?;
    if value < lo || value > hi {
        return Err(SmaaError::OutOfBounds {
            what: what.to_string(),
            value,
            lo,
            hi,
        });
    }
    Ok(())
}

/// Checks a weight vector and returns it normalised to sum 1.
fn checked_weights(weights: &[f64], m: usize) -> Result<Vec<f64>, SmaaError> {
    if weights.len() != m {
        return Err(SmaaError::Shape {
            what: "the weight vector".to_string(),
            got: weights.len(),
            expected: m,
        });
    }
    for (c, w) in weights.iter().enumerate() {
        check_non_negative(&format!("weight {c}"), *w)?;
    }
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return Err(SmaaError::AllZero("weight"));
    }
    Ok(weights.iter().map(|w| w / total).collect())
}

/// The compiled problem: criterion values as a constant plus uniform terms.
///
/// Criterion value `x[i][c] = base[c·n + i] + Σ_{t: slot = c·n + i} width_t · U_t` with `U_t`
/// uniform on [0, 1). For the model a term is one matrix entry, `s_j · (hi − lo) · U`, and the
/// base collects `s_j · lo`. Values are stored criterion-major, so that the scores of all
/// alternatives accumulate side by side (in SIMD lanes), each still summed in criterion order.
struct Problem {
    n: usize,
    m: usize,
    /// Score scale: 10 for the model (so ties use the model's tolerance), 1 for the generic case.
    scale: f64,
    base: Vec<f64>,
    terms: Vec<(usize, f64)>,
}

impl Problem {
    fn new(n: usize, m: usize, scale: f64) -> Problem {
        Problem {
            n,
            m,
            scale,
            base: vec![0.0; n * m],
            terms: Vec::new(),
        }
    }

    /// Adds `coef · X` to slot, `X` uniform on `[max(lo, v − δ), min(hi, v + δ)]`.
    fn add(&mut self, slot: usize, coef: f64, v: f64, delta: f64, lo: f64, hi: f64) {
        let a = (v - delta).max(lo);
        let b = (v + delta).min(hi);
        if b > a {
            self.base[slot] += coef * a;
            self.terms.push((slot, coef * (b - a)));
        } else {
            self.base[slot] += coef * v;
        }
    }

    /// Draws the criterion values of every alternative.
    fn draw(&self, rng: &mut Rng, x: &mut [f64]) {
        x.copy_from_slice(&self.base);
        for &(slot, width) in &self.terms {
            x[slot] += width * rng.uniform();
        }
    }

    /// The slot of alternative `i`, criterion `c`.
    fn slot(&self, i: usize, c: usize) -> usize {
        c * self.n + i
    }

    /// Scores of every alternative under normalised weights `w`:
    /// `scale · Σ_c w_c x[i][c]`, summed in criterion order.
    fn scores(&self, x: &[f64], w: &[f64], out: &mut [f64]) {
        out.fill(0.0);
        for (column, wc) in x.chunks_exact(self.n).zip(w) {
            for (o, v) in out.iter_mut().zip(column) {
                *o += v * wc;
            }
        }
        for o in out.iter_mut() {
            *o *= self.scale;
        }
    }
}

/// A prepared weight distribution.
enum WeightSampler {
    Uniform,
    /// One gamma sampler per criterion (`None`: shape 0, the weight stays 0).
    Dirichlet(Vec<Option<Gamma>>),
    Fixed(Vec<f64>),
}

impl WeightSampler {
    fn new(model: &WeightModel, m: usize) -> Result<WeightSampler, SmaaError> {
        Ok(match model {
            WeightModel::Uniform => WeightSampler::Uniform,
            WeightModel::Fixed(w) => WeightSampler::Fixed(checked_weights(w, m)?),
            WeightModel::Dirichlet {
                weights,
                concentration,
            } => {
                let k = *concentration;
                if !(k.is_finite() && k > 0.0) {
                    return Err(SmaaError::Concentration(k));
                }
                let mean = checked_weights(weights, m)?;
                WeightSampler::Dirichlet(
                    mean.iter()
                        .map(|&p| (p > 0.0).then(|| Gamma::new(k * p)))
                        .collect(),
                )
            }
        })
    }

    /// Draws a weight vector summing to 1.
    fn draw(&self, rng: &mut Rng, w: &mut [f64]) {
        match self {
            WeightSampler::Fixed(f) => w.copy_from_slice(f),
            WeightSampler::Uniform => loop {
                let mut total = 0.0;
                for x in w.iter_mut() {
                    *x = -rng.open01().ln();
                    total += *x;
                }
                if total > 0.0 {
                    for x in w.iter_mut() {
                        *x /= total;
                    }
                    return;
                }
            },
            WeightSampler::Dirichlet(gammas) => {
                // Log-gammas, so that small shapes cannot underflow every component to 0.
                let mut top = f64::NEG_INFINITY;
                for (x, g) in w.iter_mut().zip(gammas) {
                    *x = match g {
                        Some(g) => g.ln_sample(rng),
                        None => f64::NEG_INFINITY,
                    };
                    top = top.max(*x);
                }
                let mut total = 0.0;
                for x in w.iter_mut() {
                    *x = (*x - top).exp();
                    total += *x;
                }
                for x in w.iter_mut() {
                    *x /= total;
                }
            }
        }
    }
}

/// Gamma(shape, 1) by Marsaglia & Tsang (2000); shapes below 1 by the boost
/// `Gamma(α) = Gamma(α + 1) · U^{1/α}`.
struct Gamma {
    d: f64,
    c: f64,
    /// `Some(1/α)` when α < 1 (boosted).
    inv_shape: Option<f64>,
}

impl Gamma {
    fn new(shape: f64) -> Gamma {
        let (a, inv_shape) = if shape < 1.0 {
            (shape + 1.0, Some(1.0 / shape))
        } else {
            (shape, None)
        };
        let d = a - 1.0 / 3.0;
        Gamma {
            d,
            c: 1.0 / (9.0 * d).sqrt(),
            inv_shape,
        }
    }

    /// `ln G`, `G ~ Gamma(shape, 1)`.
    fn ln_sample(&self, rng: &mut Rng) -> f64 {
        let ln_g = loop {
            let x = rng.normal();
            let v = 1.0 + self.c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = rng.open01();
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + self.d * (1.0 - v + v.ln()) {
                break (self.d * v).ln();
            }
        };
        match self.inv_shape {
            Some(inv) => ln_g + rng.open01().ln() * inv,
            None => ln_g,
        }
    }
}

/// xoshiro256++ (Blackman & Vigna 2019), seeded by SplitMix64.
#[derive(Debug, Clone)]
struct Rng {
    s: [u64; 4],
}

/// One SplitMix64 step: advances `state` and returns the next output.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The state is four SplitMix64 outputs from `seed`, as the xoshiro authors recommend.
    fn from_seed(seed: u64) -> Rng {
        let mut st = seed;
        Rng {
            s: std::array::from_fn(|_| splitmix64(&mut st)),
        }
    }

    /// The stream of chunk `chunk` of pass `pass`: seeded by a SplitMix64 hash of
    /// `(seed, pass, chunk)`.
    fn stream(seed: u64, pass: u64, chunk: u64) -> Rng {
        let mut h = seed;
        let mut key = splitmix64(&mut h);
        let mut h = key ^ pass;
        key = splitmix64(&mut h);
        let mut h = key ^ chunk;
        Rng::from_seed(splitmix64(&mut h))
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform on [0, 1), 53 bits.
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform on (0, 1].
    fn open01(&mut self) -> f64 {
        1.0 - self.uniform()
    }

    /// Standard normal by Marsaglia's polar method (one of the pair is used).
    fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let q = u * u + v * v;
            if q > 0.0 && q < 1.0 {
                return u * (-2.0 * q.ln() / q).sqrt();
            }
        }
    }
}

/// Partial sums of the acceptability pass over one chunk (or the whole run).
struct RankStats {
    /// `rank[i·n + r]`: shares of samples with `i` at rank `r`.
    rank: Vec<f64>,
    /// `first[i·m + c]`: sums of `w_c` over samples with `i` first (times its share).
    first: Vec<f64>,
}

impl RankStats {
    fn new(n: usize, m: usize) -> RankStats {
        RankStats {
            rank: vec![0.0; n * n],
            first: vec![0.0; n * m],
        }
    }

    fn add(&mut self, other: &RankStats) {
        for (a, b) in self.rank.iter_mut().zip(&other.rank) {
            *a += b;
        }
        for (a, b) in self.first.iter_mut().zip(&other.first) {
            *a += b;
        }
    }
}

/// Progress shared by the workers: calls are serialised so that the counts increase.
struct Progress<'a> {
    done: Mutex<u64>,
    report: &'a (dyn Fn(u64) + Sync),
}

impl Progress<'_> {
    fn add(&self, samples: u64) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        *done += samples;
        (self.report)(*done);
    }
}

/// Runs `samples` samples in chunks, `batch` chunks at a time in parallel, and folds each
/// chunk's result in chunk order.
fn run_chunks<S: Send>(
    samples: u64,
    batch: u64,
    progress: &Progress<'_>,
    chunk: impl Fn(u64, u64) -> S + Sync,
    mut fold: impl FnMut(S),
) {
    let chunks = samples.div_ceil(CHUNK_SAMPLES);
    let mut start = 0;
    while start < chunks {
        let end = (start + batch).min(chunks);
        let results: Vec<S> = (start..end)
            .into_par_iter()
            .map(|k| {
                let count = CHUNK_SAMPLES.min(samples - k * CHUNK_SAMPLES);
                let s = chunk(k, count);
                progress.add(count);
                s
            })
            .collect();
        results.into_iter().for_each(&mut fold);
        start = end;
    }
}

/// Chunks per parallel batch: enough to keep the threads busy, few enough that the partial
/// sums held at once stay within about 64 MiB whatever the problem.
fn batch_chunks(per_chunk_values: usize) -> u64 {
    let budget = (64usize << 20) / (8 * per_chunk_values.max(1));
    (budget as u64).clamp(rayon::current_num_threads() as u64, 64)
}

/// Sorts `order` to the alternatives by score descending, then index.
fn rank_order(scores: &[f64], order: &mut [usize]) {
    for (k, o) in order.iter_mut().enumerate() {
        *o = k;
    }
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
}

/// Calls `group(start, end)` for each tie group of positions of `order` (sorted by
/// [`rank_order`]): a group starts at a score and takes in every following score within
/// [`TIE_TOLERANCE`] of that first score, as [`crate::competition_ranks`] does.
fn tie_groups(scores: &[f64], order: &[usize], mut group: impl FnMut(usize, usize)) {
    let mut start = 0;
    for p in 1..=order.len() {
        if p == order.len() || scores[order[start]] - scores[order[p]] > TIE_TOLERANCE {
            group(start, p);
            start = p;
        }
    }
}

fn run(
    problem: Problem,
    ids: Vec<String>,
    options: &SmaaOptions,
    report: &(dyn Fn(u64) + Sync),
) -> Result<SmaaResult, SmaaError> {
    if options.samples == 0 {
        return Err(SmaaError::NoSamples);
    }
    let (n, m) = (problem.n, problem.m);
    let weights = WeightSampler::new(&options.weights, m)?;
    let progress = Progress {
        done: Mutex::new(0),
        report,
    };
    let seed = options.seed;

    // Pass 1: rank acceptability and central weights.
    let mut total = RankStats::new(n, m);
    run_chunks(
        options.samples,
        batch_chunks(n * n + n * m),
        &progress,
        |chunk, count| {
            let mut rng = Rng::stream(seed, PASS_ACCEPTABILITY, chunk);
            let mut stats = RankStats::new(n, m);
            let mut x = vec![0.0; n * m];
            let mut w = vec![0.0; m];
            let mut scores = vec![0.0; n];
            let mut order = vec![0; n];
            for _ in 0..count {
                problem.draw(&mut rng, &mut x);
                weights.draw(&mut rng, &mut w);
                problem.scores(&x, &w, &mut scores);
                rank_order(&scores, &mut order);
                tie_groups(&scores, &order, |a, b| {
                    if b - a == 1 {
                        stats.rank[order[a] * n + a] += 1.0;
                    } else {
                        let share = 1.0 / (b - a) as f64;
                        for &i in &order[a..b] {
                            for r in a..b {
                                stats.rank[i * n + r] += share;
                            }
                        }
                    }
                    if a == 0 {
                        let share = 1.0 / b as f64;
                        for &i in &order[..b] {
                            for (f, wc) in stats.first[i * m..(i + 1) * m].iter_mut().zip(&w) {
                                *f += share * wc;
                            }
                        }
                    }
                });
            }
            stats
        },
        |stats| total.add(&stats),
    );
    let samples = options.samples as f64;
    let acceptability: Vec<Vec<f64>> = total
        .rank
        .chunks_exact(n)
        .map(|row| row.iter().map(|c| c / samples).collect())
        .collect();
    let central_weights: Vec<Option<Vec<f64>>> = (0..n)
        .map(|i| {
            let count = total.rank[i * n];
            (count > 0.0).then(|| {
                total.first[i * m..(i + 1) * m]
                    .iter()
                    .map(|s| s / count)
                    .collect()
            })
        })
        .collect();

    // Pass 2: confidence factors, the weights fixed at each central weight vector.
    let centrals: Vec<(usize, &Vec<f64>)> = central_weights
        .iter()
        .enumerate()
        .filter_map(|(i, w)| w.as_ref().map(|w| (i, w)))
        .collect();
    let mut confidence = vec![None; n];
    if options.confidence_samples > 0 {
        let q = centrals.len();
        let mut firsts = vec![0.0; q];
        run_chunks(
            options.confidence_samples,
            batch_chunks(q),
            &progress,
            |chunk, count| {
                let mut rng = Rng::stream(seed, PASS_CONFIDENCE, chunk);
                let mut firsts = vec![0.0; q];
                let mut x = vec![0.0; n * m];
                let mut scores = vec![0.0; n];
                for _ in 0..count {
                    problem.draw(&mut rng, &mut x);
                    for (f, (i, w)) in firsts.iter_mut().zip(&centrals) {
                        problem.scores(&x, w, &mut scores);
                        let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        if top - scores[*i] <= TIE_TOLERANCE {
                            let tied = scores.iter().filter(|s| top - *s <= TIE_TOLERANCE).count();
                            *f += 1.0 / tied as f64;
                        }
                    }
                }
                firsts
            },
            |part| {
                for (a, b) in firsts.iter_mut().zip(&part) {
                    *a += b;
                }
            },
        );
        for ((i, _), f) in centrals.iter().zip(&firsts) {
            confidence[*i] = Some(f / options.confidence_samples as f64);
        }
    }

    Ok(SmaaResult {
        ids,
        criteria: m,
        samples: options.samples,
        confidence_samples: options.confidence_samples,
        seed,
        acceptability,
        central_weights,
        confidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_and_splitmix_match_their_reference_outputs() {
        // SplitMix64 from seed 0 (reference implementation by Vigna).
        let mut st = 0u64;
        assert_eq!(splitmix64(&mut st), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(&mut st), 0x6E78_9E6A_A1B9_65F4);
        // xoshiro256++ from state [1, 2, 3, 4]: rotl(1 + 4, 23) + 1.
        let mut rng = Rng { s: [1, 2, 3, 4] };
        assert_eq!(rng.next_u64(), 41_943_041);
    }

    #[test]
    fn streams_differ_by_pass_and_chunk() {
        let a = Rng::stream(7, 1, 0).next_u64();
        let b = Rng::stream(7, 1, 1).next_u64();
        let c = Rng::stream(7, 2, 0).next_u64();
        let d = Rng::stream(8, 1, 0).next_u64();
        assert!(a != b && a != c && a != d && b != c);
        assert_eq!(a, Rng::stream(7, 1, 0).next_u64());
    }

    #[test]
    fn uniform_weights_and_gamma_have_the_right_moments() {
        let mut rng = Rng::from_seed(3);
        let sampler = WeightSampler::Uniform;
        let mut w = [0.0; 4];
        let (mut mean, mut sq) = (0.0, 0.0);
        let n = 200_000;
        for _ in 0..n {
            sampler.draw(&mut rng, &mut w);
            mean += w[0];
            sq += w[0] * w[0];
        }
        mean /= n as f64;
        let var = sq / n as f64 - mean * mean;
        // Dirichlet(1,1,1,1): mean 1/4, variance (1/4)(3/4)/5.
        assert!((mean - 0.25).abs() < 0.002, "{mean}");
        assert!((var - 0.0375).abs() < 0.001, "{var}");
        for shape in [0.3, 1.0, 2.5] {
            let g = Gamma::new(shape);
            let (mut m1, mut m2) = (0.0, 0.0);
            for _ in 0..n {
                let x = g.ln_sample(&mut rng).exp();
                m1 += x;
                m2 += x * x;
            }
            m1 /= n as f64;
            let v = m2 / n as f64 - m1 * m1;
            assert!((m1 - shape).abs() < 0.02 * shape.max(1.0), "{shape}: {m1}");
            assert!((v - shape).abs() < 0.05 * shape.max(1.0), "{shape}: {v}");
        }
    }

    #[test]
    fn tie_groups_follow_competition_ranks() {
        let scores = [5.0, 7.0, 7.0 - 5e-10, 9.0];
        let mut order = [0; 4];
        let mut groups = Vec::new();
        rank_order(&scores, &mut order);
        tie_groups(&scores, &order, |a, b| groups.push((a, b)));
        assert_eq!(order, [3, 1, 2, 0]);
        assert_eq!(groups, vec![(0, 1), (1, 3), (3, 4)]);
    }

    #[test]
    fn less_certain_orders_kinds() {
        use ProvenanceKind::*;
        assert_eq!(less_certain(Published, Estimated), Estimated);
        assert_eq!(less_certain(Measured, Published), Published);
        assert_eq!(less_certain(Estimated, Measured), Estimated);
    }
}
