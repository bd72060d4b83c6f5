//! VIKOR, multi-criteria optimisation and compromise solution (pymcdm 1.4 `VIKOR`).

use super::{check_unit_parameter, check_weights, finite};
use crate::mcdm::matrix::{CriterionType, DecisionMatrix, McdmError};
use crate::mcdm::normalize::Normalization;

/// VIKOR: with `f` the matrix transformed column by column, `f*_j = max_i f_ij`,
/// `f⁻_j = min_i f_ij`, `d_ij = w_j (f*_j − f_ij) / (f*_j − f⁻_j)`, `S_i = Σ_j d_ij`,
/// `R_i = max_j d_ij`, the preference is
/// `Q_i = v (S_i − S*) / (S⁻ − S*) + (1 − v) (R_i − R*) / (R⁻ − R*)` with `S* = min S`,
/// `S⁻ = max S`, `R* = min R`, `R⁻ = max R`. **Lower is better.**
///
/// pymcdm default: `VIKOR(normalization_function=None, v=0.5)`, where no normalisation means
/// `f = x` for a benefit and `f = max − x` for a cost (so `d_ij = w_j (max − x) / (max − min)`
/// for a benefit, `w_j (x − min) / (max − min)` for a cost).
///
/// Refused, as in pymcdm, when a transformed column is constant (pymcdm raises); also refused
/// when every `S_i` or every `R_i` is equal, where pymcdm's `Q` is `0/0 = nan`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Vikor {
    /// The normalisation of the columns; `None` is pymcdm's default described above.
    pub normalization: Option<Normalization>,
    /// The weight of the strategy of the majority of criteria (`S`) against the individual
    /// regret (`R`), in `[0, 1]` (pymcdm default 0.5).
    pub v: f64,
}

impl Default for Vikor {
    fn default() -> Vikor {
        Vikor {
            normalization: None,
            v: 0.5,
        }
    }
}

impl Vikor {
    /// `Q_i` for each alternative `i` (lower is better).
    ///
    /// Work: one transformed copy of the matrix, two vectors of `n` for the column extremes,
    /// `S`, `R` and the result; no allocation per row or cell.
    pub fn preferences(
        &self,
        matrix: &DecisionMatrix,
        weights: &[f64],
    ) -> Result<Vec<f64>, McdmError> {
        check_unit_parameter("VIKOR", "v", self.v)?;
        check_weights("VIKOR", weights, matrix.columns())?;
        let (m, n) = (matrix.rows(), matrix.columns());
        // f*_j and f⁻_j; with pymcdm's default transform they come from the raw extremes:
        // f = x for a benefit (f* = max, f⁻ = min), f = max − x for a cost (f* = max − min,
        // f⁻ = 0), and f is computed on the fly, without a transformed copy.
        let normalized = match self.normalization {
            Some(norm) => Some(norm.normalize(matrix)?),
            None => None,
        };
        let f_values = normalized.as_deref().unwrap_or(matrix.values());
        let mut best = vec![f64::NEG_INFINITY; n];
        let mut worst = vec![f64::INFINITY; n];
        for row in f_values.chunks_exact(n) {
            for (j, &x) in row.iter().enumerate() {
                best[j] = best[j].max(x);
                worst[j] = worst[j].min(x);
            }
        }
        // Only for the default transform: the raw maximum of each cost column, to reflect by;
        // NaN (never a matrix value) marks a column used as it is.
        let mut reflect = vec![f64::NAN; n];
        if normalized.is_none() {
            for (j, t) in matrix.types().iter().enumerate() {
                if *t == CriterionType::Cost {
                    reflect[j] = best[j];
                    best[j] -= worst[j];
                    worst[j] = 0.0;
                }
            }
        }
        let constant: Vec<usize> = (0..n).filter(|&j| best[j] == worst[j]).collect();
        if !constant.is_empty() {
            return Err(McdmError::Unsupported {
                method: "VIKOR",
                message: format!(
                    "criteria with indexes {constant:?} contain equal values for all \
                     alternatives; VIKOR cannot be applied (remove them or use another method)"
                ),
            });
        }
        let mut s = Vec::with_capacity(m);
        let mut r = Vec::with_capacity(m);
        for row in f_values.chunks_exact(n) {
            // Plain sum: the terms are non-negative (relative error below n · 2⁻⁵³).
            let mut sum = 0.0;
            let mut max = f64::NEG_INFINITY;
            for (j, &x) in row.iter().enumerate() {
                let f = if reflect[j].is_nan() {
                    x
                } else {
                    reflect[j] - x
                };
                let d = weights[j] * ((best[j] - f) / (best[j] - worst[j]));
                sum += d;
                max = max.max(d);
            }
            s.push(sum);
            r.push(max);
        }
        let (s_star, s_minus) = extremes(&s);
        let (r_star, r_minus) = extremes(&r);
        for (what, lo, hi) in [("S", s_star, s_minus), ("R", r_star, r_minus)] {
            if lo == hi {
                return Err(McdmError::Unsupported {
                    method: "VIKOR",
                    message: format!(
                        "every alternative has the same {what} = {lo}, so Q divides 0 by 0 \
                         (pymcdm returns nan)"
                    ),
                });
            }
        }
        let v = self.v;
        let preferences = s
            .iter()
            .zip(&r)
            .map(|(si, ri)| {
                v * (si - s_star) / (s_minus - s_star)
                    + (1.0 - v) * (ri - r_star) / (r_minus - r_star)
            })
            .collect();
        finite("VIKOR", matrix, preferences)
    }
}

fn extremes(x: &[f64]) -> (f64, f64) {
    crate::mcdm::normalize::min_max(x.iter().copied())
}
