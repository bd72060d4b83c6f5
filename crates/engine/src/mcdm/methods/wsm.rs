//! WSM, the weighted sum model (pymcdm 1.4 `WSM`).

use super::{check_weights, finite};
use crate::mcdm::matrix::{DecisionMatrix, McdmError};
use crate::mcdm::normalize::{Normalization, Sum};

/// Weighted sum model: `P_i = Σ_j w_j r_ij`, with `r` the matrix normalised column by column.
/// Higher is better.
///
/// pymcdm default: `WSM(normalization_function=sum_normalization)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wsm {
    /// The normalisation of the columns (pymcdm default: [`Normalization::Sum`]).
    pub normalization: Normalization,
}

impl Default for Wsm {
    fn default() -> Wsm {
        Wsm {
            normalization: Normalization::Sum,
        }
    }
}

impl Wsm {
    /// `P_i = Σ_j w_j r_ij` for each alternative `i`.
    pub fn preferences(
        &self,
        matrix: &DecisionMatrix,
        weights: &[f64],
    ) -> Result<Vec<f64>, McdmError> {
        check_weights("WSM", weights, matrix.columns())?;
        let normalized = self.normalization.normalize(matrix)?;
        let preferences = normalized
            .chunks_exact(matrix.columns())
            .map(|row| {
                let mut s = Sum::default();
                for (r, w) in row.iter().zip(weights) {
                    s.add(r * w);
                }
                s.value()
            })
            .collect();
        finite("WSM", matrix, preferences)
    }
}
