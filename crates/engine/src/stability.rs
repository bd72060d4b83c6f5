//! Weight stability: how far one concept weight can move before the top-ranked alternative
//! changes, solved exactly.
//!
//! # Definition
//!
//! Alternatives have fit vectors `f_i` (12 values for the model) and the weights are `w`, with
//! total `W = Σ w` and score `score_i = 10 · Σ_k w_k f_ik / W` ([`crate::weighted_score`]).
//! The *leader* `a` is the top-ranked alternative: the first of those within
//! [`crate::TIE_TOLERANCE`] of the best score (the first entry of a [`Ranking`]).
//!
//! For a criterion `c`, move `w_c` to `t ≥ 0` and keep every other weight as given. Scores do not
//! depend on the scale of the weights, so this is the same as giving `c` the share
//! `σ = t / (t + R)` of a fixed total (`R = W − w_c`, the others' total) and rescaling the others
//! proportionally, keeping their relative sizes: `t ∈ [0, ∞)` maps onto `σ ∈ [0, 1)`. In `σ` each
//! score is linear,
//!
//! `score_i(σ) = 10 · ((1 − σ) · g_i + σ · f_ic)`, with `g_i = Σ_{k ≠ c} w_k f_ik / R`
//!
//! (and linear-fractional in `t`: `10 · (t f_ic + R g_i) / (t + R)`). The leader stays on top
//! against rival `j` while `score_a(σ) ≥ score_j(σ) − TIE_TOLERANCE` (a rival within the tie
//! tolerance only shares first place, as in the ranking). Each such condition is a linear
//! inequality in `σ`, so it holds on an interval whose end is where the two lines cross; the
//! intersection over all rivals is the stability interval `[lo, hi]`, which contains the current
//! share. At an end strictly inside `[0, 1]` the rival whose line crosses there takes over (when
//! several cross at the same point, the one that leads just beyond it); where the leader keeps
//! the lead down to `t = 0` or up to `t → ∞` no one takes over.
//!
//! The interval is reported in the weight's own units (`t`, the other weights as given; the upper
//! end may be `∞`) and as a share of the total (`σ`).

use crate::ranking::{Ranking, TIE_TOLERANCE};
use crate::scoring::{compensated_sum, weighted_score};
use stackmatrix_model::CONCEPT_COUNT;

/// Where one criterion weight can move while the leader stays on top.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightInterval {
    /// The criterion (concept index for the model).
    pub criterion: usize,
    /// The weight as given.
    pub weight: f64,
    /// The weight's share of the total, `w_c / Σ w`.
    pub share: f64,
    /// Lower end in the weight's own units, the other weights as given (0 at the least).
    pub lo: f64,
    /// Upper end in the weight's own units, the other weights as given; `f64::INFINITY` when
    /// the leader stays on top however large the weight grows.
    pub hi: f64,
    /// Lower end as a share of the total, in [0, 1].
    pub lo_share: f64,
    /// Upper end as a share of the total, in [0, 1].
    pub hi_share: f64,
    /// The alternative that takes over below `lo`; `None` when the leader stays on top down to
    /// a weight of 0.
    pub below: Option<usize>,
    /// The alternative that takes over above `hi`; `None` when it never does.
    pub above: Option<usize>,
}

/// The stability of the leader under each weight.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightStability {
    /// Index of the leader.
    pub leader: usize,
    /// One interval per criterion, in criterion order.
    pub intervals: Vec<WeightInterval>,
}

/// Why weight stability cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StabilityError {
    /// No alternative was given.
    #[error("no alternatives")]
    NoAlternatives,
    /// A fit vector's length differs from the weights'.
    #[error("alternative {index} has {got} fit values, expected {expected}")]
    Shape {
        /// The alternative.
        index: usize,
        /// Its length.
        got: usize,
        /// The number of weights.
        expected: usize,
    },
    /// A fit value or a weight is NaN or infinite.
    #[error("a fit value or weight is not a finite number")]
    NotFinite,
    /// A weight is negative.
    #[error("weight {0} is negative")]
    Negative(usize),
    /// Every weight is zero.
    #[error("every weight is zero")]
    AllZero,
}

/// The weight stability of the leader of `fits` under `weights` (see the module documentation).
pub fn weight_stability<F: AsRef<[f64]>>(
    fits: &[F],
    weights: &[f64],
) -> Result<WeightStability, StabilityError> {
    stability(fits, weights, None)
}

/// The weight stability of a ranking's first entry under its scenario's concept weights;
/// indices are positions in `ranking.entries`. `None` for an empty ranking.
///
/// The leader is `ranking.entries[0]`: among tied scores the ranking's order (by id) decides.
pub fn ranking_weight_stability(ranking: &Ranking) -> Option<WeightStability> {
    // Θ scales each fit as it scales the score (θ∘f), so the intervals are those of the
    // ranking as scored; with Θ the identity the fits are used as they are.
    let theta = &ranking.scenario.theta;
    let fits: Vec<[f64; CONCEPT_COUNT]> = ranking
        .entries
        .iter()
        .map(|e| std::array::from_fn(|c| e.fit[c] * theta[c]))
        .collect();
    stability(&fits, &ranking.scenario.weights, Some(0)).ok()
}

fn stability<F: AsRef<[f64]>>(
    fits: &[F],
    weights: &[f64],
    leader: Option<usize>,
) -> Result<WeightStability, StabilityError> {
    let m = weights.len();
    if fits.is_empty() {
        return Err(StabilityError::NoAlternatives);
    }
    for (index, f) in fits.iter().enumerate() {
        let f = f.as_ref();
        if f.len() != m {
            return Err(StabilityError::Shape {
                index,
                got: f.len(),
                expected: m,
            });
        }
        if f.iter().any(|x| !x.is_finite()) {
            return Err(StabilityError::NotFinite);
        }
    }
    for (c, w) in weights.iter().enumerate() {
        if !w.is_finite() {
            return Err(StabilityError::NotFinite);
        }
        if *w < 0.0 {
            return Err(StabilityError::Negative(c));
        }
    }
    let total = compensated_sum(weights.iter().copied());
    if total <= 0.0 {
        return Err(StabilityError::AllZero);
    }
    let leader = leader.unwrap_or_else(|| {
        let scores: Vec<f64> = fits
            .iter()
            .map(|f| score(f.as_ref(), weights, total))
            .collect();
        let best = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        scores
            .iter()
            .position(|s| best - s <= TIE_TOLERANCE)
            .unwrap_or(0)
    });
    let intervals = (0..m)
        .map(|c| interval(fits, weights, total, leader, c))
        .collect();
    Ok(WeightStability { leader, intervals })
}

fn score(fit: &[f64], weights: &[f64], total: f64) -> f64 {
    match (<&[f64; CONCEPT_COUNT]>::try_from(fit), weights.try_into()) {
        (Ok(f), Ok(w)) => weighted_score(f, w),
        _ => 10.0 * (compensated_sum(fit.iter().zip(weights).map(|(f, w)| f * w)) / total),
    }
}

/// The interval of criterion `c` for leader `a`.
fn interval<F: AsRef<[f64]>>(
    fits: &[F],
    weights: &[f64],
    total: f64,
    a: usize,
    c: usize,
) -> WeightInterval {
    let w_c = weights[c];
    let share = w_c / total;
    let rest = compensated_sum(
        weights
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != c)
            .map(|(_, w)| *w),
    );
    if rest <= 0.0 {
        // Only `c` weighs: moving it (above 0) changes no score.
        return WeightInterval {
            criterion: c,
            weight: w_c,
            share: 1.0,
            lo: 0.0,
            hi: f64::INFINITY,
            lo_share: 1.0,
            hi_share: 1.0,
            below: None,
            above: None,
        };
    }
    // Score at σ = 0 (10 g_i) and at σ = 1 (10 f_ic).
    let ends: Vec<(f64, f64)> = fits
        .iter()
        .map(|f| {
            let f = f.as_ref();
            let g = compensated_sum(
                f.iter()
                    .zip(weights)
                    .enumerate()
                    .filter(|(k, _)| *k != c)
                    .map(|(_, (x, w))| x * w),
            ) / rest;
            (10.0 * g, 10.0 * f[c])
        })
        .collect();
    let (a0, a1) = ends[a];
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    // Each rival's crossing, with the side it bounds.
    let mut lower: Vec<(usize, f64)> = Vec::new();
    let mut upper: Vec<(usize, f64)> = Vec::new();
    for (j, &(j0, j1)) in ends.iter().enumerate() {
        if j == a {
            continue;
        }
        // D(σ) = score_a − score_j + tolerance, linear from e0 at σ = 0 to e1 at σ = 1.
        let e0 = a0 - j0 + TIE_TOLERANCE;
        let e1 = a1 - j1 + TIE_TOLERANCE;
        if e0 >= 0.0 && e1 >= 0.0 {
            continue;
        }
        if e0 < 0.0 && e1 < 0.0 {
            // Ahead everywhere (only by rounding at the current weights): takes over both ways.
            lower.push((j, share));
            upper.push((j, share));
            lo = lo.max(share);
            hi = hi.min(share);
            continue;
        }
        let cross = (e0 / (e0 - e1)).clamp(0.0, 1.0);
        if e0 < 0.0 {
            lower.push((j, cross));
            lo = lo.max(cross);
        } else {
            upper.push((j, cross));
            hi = hi.min(cross);
        }
    }
    let lo_share = lo.min(share);
    let hi_share = hi.max(share);
    // The rival leading just beyond an end: among those crossing there, the steepest.
    let slope = |j: usize| ends[j].1 - ends[j].0;
    let taker = |bounds: &[(usize, f64)], at: f64, steeper: &dyn Fn(f64, f64) -> bool| {
        let mut best: Option<usize> = None;
        for &(j, x) in bounds {
            if (x - at).abs() <= 1e-12 && best.is_none_or(|b| steeper(slope(j), slope(b))) {
                best = Some(j);
            }
        }
        best
    };
    let below = if lo_share > 0.0 {
        taker(&lower, lo_share, &|s, b| s < b)
    } else {
        None
    };
    let above = if hi_share < 1.0 {
        taker(&upper, hi_share, &|s, b| s > b)
    } else {
        None
    };
    let own = |sigma: f64| {
        if sigma >= 1.0 {
            f64::INFINITY
        } else {
            sigma * rest / (1.0 - sigma)
        }
    };
    WeightInterval {
        criterion: c,
        weight: w_c,
        share,
        lo: own(lo_share).min(w_c),
        hi: own(hi_share).max(w_c),
        lo_share,
        hi_share,
        below,
        above,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_alternatives_cross_where_the_lines_meet() {
        // a: 1 on criterion 0, 0 on 1; b: 0 then 1. Equal weights: tie; a first (index).
        // Weights [2, 1]: a scores 10·2/3, b 10·1/3. a leads while w_0 ≥ w_1 = 1.
        let fits = [vec![1.0, 0.0], vec![0.0, 1.0]];
        let s = weight_stability(&fits, &[2.0, 1.0]).unwrap();
        assert_eq!(s.leader, 0);
        let i0 = &s.intervals[0];
        assert!((i0.lo - 1.0).abs() < 1e-9, "{i0:?}");
        assert_eq!(i0.hi, f64::INFINITY);
        assert!((i0.lo_share - 0.5).abs() < 1e-9);
        assert_eq!(i0.hi_share, 1.0);
        assert_eq!(i0.below, Some(1));
        assert_eq!(i0.above, None);
        let i1 = &s.intervals[1];
        assert_eq!(i1.lo, 0.0);
        assert!((i1.hi - 2.0).abs() < 1e-9, "{i1:?}");
        assert_eq!(i1.below, None);
        assert_eq!(i1.above, Some(1));
    }

    #[test]
    fn a_single_weighted_criterion_never_moves_the_leader() {
        let s = weight_stability(&[vec![1.0, 0.0], vec![0.5, 1.0]], &[1.0, 0.0]).unwrap();
        assert_eq!(s.intervals[0].hi, f64::INFINITY);
        assert_eq!(s.intervals[0].below, None);
        // Criterion 1 at 0: a scores 10 / (1 + t), b 10 (0.5 + t) / (1 + t); b leads past 0.5.
        assert!(
            (s.intervals[1].hi - 0.5).abs() < 1e-9,
            "{:?}",
            s.intervals[1]
        );
        assert_eq!(s.intervals[1].above, Some(1));
    }

    #[test]
    fn bad_input_is_refused() {
        assert_eq!(
            weight_stability::<Vec<f64>>(&[], &[1.0]),
            Err(StabilityError::NoAlternatives)
        );
        assert_eq!(
            weight_stability(&[vec![1.0]], &[0.0]),
            Err(StabilityError::AllZero)
        );
        assert!(matches!(
            weight_stability(&[vec![1.0, 2.0]], &[1.0]),
            Err(StabilityError::Shape { .. })
        ));
        assert_eq!(
            weight_stability(&[vec![1.0]], &[-1.0]),
            Err(StabilityError::Negative(0))
        );
    }
}
