//! WASPAS, the weighted aggregated sum product assessment (pymcdm 1.4 `WASPAS`).

use super::wpm::weighted_product;
use super::{check_unit_parameter, check_weights, finite};
use crate::mcdm::matrix::{DecisionMatrix, McdmError};
use crate::mcdm::normalize::{Normalization, Sum};

/// WASPAS: `P_i = λ Σ_j w_j r_ij + (1 − λ) Π_j r_ij ^ w_j`, with `r` the matrix normalised column
/// by column; λ in `[0, 1]`. Higher is better.
///
/// pymcdm default: `WASPAS(normalization_function=linear_normalization, l=0.5)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Waspas {
    /// The normalisation of the columns (pymcdm default: [`Normalization::Linear`]).
    pub normalization: Normalization,
    /// λ, the share of the weighted sum (pymcdm's `l`, default 0.5).
    pub lambda: f64,
}

impl Default for Waspas {
    fn default() -> Waspas {
        Waspas {
            normalization: Normalization::Linear,
            lambda: 0.5,
        }
    }
}

impl Waspas {
    /// `P_i = λ Σ_j w_j r_ij + (1 − λ) Π_j r_ij ^ w_j` for each alternative `i`.
    pub fn preferences(
        &self,
        matrix: &DecisionMatrix,
        weights: &[f64],
    ) -> Result<Vec<f64>, McdmError> {
        check_unit_parameter("WASPAS", "l", self.lambda)?;
        check_weights("WASPAS", weights, matrix.columns())?;
        let l = self.lambda;
        let normalized = self.normalization.normalize(matrix)?;
        let preferences = normalized
            .chunks_exact(matrix.columns())
            .map(|row| {
                let mut q_sum = Sum::default();
                for (r, w) in row.iter().zip(weights) {
                    q_sum.add(r * w);
                }
                l * q_sum.value() + (1.0 - l) * weighted_product(row, weights)
            })
            .collect();
        finite("WASPAS", matrix, preferences)
    }
}
