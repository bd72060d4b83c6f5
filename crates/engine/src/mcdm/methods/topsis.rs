//! TOPSIS, the technique for order of preference by similarity to the ideal solution (pymcdm 1.4
//! `TOPSIS`).

use super::{check_weights, finite};
use crate::mcdm::matrix::{DecisionMatrix, McdmError};
use crate::mcdm::normalize::Normalization;

/// TOPSIS: with `v_ij = w_j r_ij` (`r` the matrix normalised column by column),
/// `v⁺_j = max_i v_ij`, `v⁻_j = min_i v_ij`, `D⁺_i = √Σ_j (v_ij − v⁺_j)²`,
/// `D⁻_i = √Σ_j (v_ij − v⁻_j)²`, the preference is `P_i = D⁻_i / (D⁻_i + D⁺_i)`. Higher is
/// better.
///
/// The ideal and anti-ideal are the column maximum and minimum of the *normalised* matrix, as in
/// pymcdm: every pymcdm normalisation turns a cost into "more is better".
///
/// pymcdm default: `TOPSIS(normalization_function=minmax_normalization)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Topsis {
    /// The normalisation of the columns (pymcdm default: [`Normalization::MinMax`]).
    pub normalization: Normalization,
}

impl Default for Topsis {
    fn default() -> Topsis {
        Topsis {
            normalization: Normalization::MinMax,
        }
    }
}

impl Topsis {
    /// `P_i = D⁻_i / (D⁻_i + D⁺_i)` for each alternative `i`.
    ///
    /// Work: one normalised copy of the matrix (weighted in place while the column extremes are
    /// taken, row by row), two vectors of `n` and the result; no allocation per row or cell.
    pub fn preferences(
        &self,
        matrix: &DecisionMatrix,
        weights: &[f64],
    ) -> Result<Vec<f64>, McdmError> {
        check_weights("TOPSIS", weights, matrix.columns())?;
        let n = matrix.columns();
        let mut v = self.normalization.normalize(matrix)?;
        let mut ideal = vec![f64::NEG_INFINITY; n];
        let mut anti = vec![f64::INFINITY; n];
        for row in v.chunks_exact_mut(n) {
            for (j, x) in row.iter_mut().enumerate() {
                *x *= weights[j];
                ideal[j] = ideal[j].max(*x);
                anti[j] = anti[j].min(*x);
            }
        }
        let mut preferences = Vec::with_capacity(matrix.rows());
        for (i, row) in v.chunks_exact(n).enumerate() {
            // Plain sums: the terms are non-negative, so the relative error is below
            // n · 2⁻⁵³ (5.6e-15 for 50 criteria), and the loop stays branch-free.
            let (mut plus, mut minus) = (0.0, 0.0);
            for ((x, hi), lo) in row.iter().zip(&ideal).zip(&anti) {
                plus += (x - hi) * (x - hi);
                minus += (x - lo) * (x - lo);
            }
            let (d_plus, d_minus) = (f64::sqrt(plus), f64::sqrt(minus));
            if d_plus + d_minus == 0.0 {
                return Err(McdmError::Unsupported {
                    method: "TOPSIS",
                    message: format!(
                        "alternative {i} ({:?}) is both the ideal and the anti-ideal (every \
                         weighted criterion is constant), so D⁻ / (D⁻ + D⁺) is 0/0 (pymcdm \
                         returns nan)",
                        matrix.alternatives()[i]
                    ),
                });
            }
            preferences.push(d_minus / (d_minus + d_plus));
        }
        finite("TOPSIS", matrix, preferences)
    }
}
