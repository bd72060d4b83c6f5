//! WPM, the weighted product model (pymcdm 1.4 `WPM`).

use super::{check_weights, finite};
use crate::mcdm::matrix::{DecisionMatrix, McdmError};
use crate::mcdm::normalize::Normalization;

/// Weighted product model: `P_i = Π_j r_ij ^ w_j`, with `r` the matrix normalised column by
/// column (`0 ^ 0 = 1`, as in numpy). Higher is better.
///
/// pymcdm default: `WPM(normalization_function=sum_normalization)`. A normalisation that yields
/// negative values (Zavadskas–Turskis on a cost, for instance) makes `r ^ w` undefined for a
/// fractional weight; pymcdm returns `nan`, this returns [`McdmError::Unsupported`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wpm {
    /// The normalisation of the columns (pymcdm default: [`Normalization::Sum`]).
    pub normalization: Normalization,
}

impl Default for Wpm {
    fn default() -> Wpm {
        Wpm {
            normalization: Normalization::Sum,
        }
    }
}

impl Wpm {
    /// `P_i = Π_j r_ij ^ w_j` for each alternative `i`.
    pub fn preferences(
        &self,
        matrix: &DecisionMatrix,
        weights: &[f64],
    ) -> Result<Vec<f64>, McdmError> {
        check_weights("WPM", weights, matrix.columns())?;
        let normalized = self.normalization.normalize(matrix)?;
        let preferences = normalized
            .chunks_exact(matrix.columns())
            .map(|row| weighted_product(row, weights))
            .collect();
        finite("WPM", matrix, preferences)
    }
}

/// `Π_j r_j ^ w_j`.
pub(crate) fn weighted_product(row: &[f64], weights: &[f64]) -> f64 {
    row.iter().zip(weights).map(|(r, w)| r.powf(*w)).product()
}
