//! COPRAS, complex proportional assessment (Zavadskas, Kaklauskas and Sarka, 1994; pymcdm 1.4
//! `COPRAS`, with one correction, below).

use super::{check_weights, finite};
use crate::mcdm::matrix::{CriterionType, DecisionMatrix, McdmError};
use crate::mcdm::normalize::{min_max, Sum};

/// COPRAS: with `r_ij = x_ij / Σ_i x_ij` (every column divided by its sum, benefit or cost) and
/// `v_ij = w_j r_ij`, the sums `S⁺_i = Σ_{benefit j} v_ij` and `S⁻_i = Σ_{cost j} v_ij`, the
/// relative significance
/// `Q_i = S⁺_i + (min_k S⁻_k · Σ_k S⁻_k) / (S⁻_i · Σ_k (min_l S⁻_l / S⁻_k))`
/// and the preference (utility degree) `P_i = Q_i / max_k Q_k`. Higher is better.
///
/// pymcdm 1.4 has no parameter (the column-sum normalisation without cost inversion is part of
/// the method, so no other normalisation can be passed) and, like pymcdm, this refuses a matrix
/// without a cost criterion. **Difference from pymcdm 1.4**: pymcdm computes the second term as
/// `(min S⁻ · S⁻_i) / (S⁻_i · (min S⁻ / S⁻_i))`, element-wise without the two sums, which
/// simplifies to `S⁻_i`: its `Q_i = S⁺_i + S⁻_i` rewards cost criteria as if they were benefits.
/// This implements the published formula above; the fixture computes it from pymcdm's own
/// `S⁺` and `S⁻` (see `docs/decision-methods.md`).
///
/// Every alternative needs a positive `S⁻_i` (positive cost values with a positive weight on at
/// least one cost criterion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Copras;

impl Copras {
    /// `P_i = Q_i / max Q` for each alternative `i`.
    pub fn preferences(
        &self,
        matrix: &DecisionMatrix,
        weights: &[f64],
    ) -> Result<Vec<f64>, McdmError> {
        check_weights("COPRAS", weights, matrix.columns())?;
        let n = matrix.columns();
        if matrix.types().iter().all(|t| *t == CriterionType::Benefit) {
            return Err(copras_error(
                "every criterion is a benefit; COPRAS requires at least one cost criterion"
                    .to_string(),
            ));
        }
        let mut column_sums = Vec::with_capacity(n);
        for j in 0..n {
            let total =
                crate::mcdm::normalize::sum(matrix.values().iter().skip(j).step_by(n).copied());
            if total == 0.0 {
                return Err(copras_error(format!(
                    "criterion {j} ({:?}) sums to 0, so x / Σx divides by zero",
                    matrix.criteria()[j]
                )));
            }
            column_sums.push(total);
        }
        let mut s_plus = Vec::with_capacity(matrix.rows());
        let mut s_minus = Vec::with_capacity(matrix.rows());
        for row in matrix.values().chunks_exact(n) {
            let (mut plus, mut minus) = (Sum::default(), Sum::default());
            for (j, &x) in row.iter().enumerate() {
                let v = weights[j] * (x / column_sums[j]);
                match matrix.types()[j] {
                    CriterionType::Benefit => plus.add(v),
                    CriterionType::Cost => minus.add(v),
                }
            }
            s_plus.push(plus.value());
            s_minus.push(minus.value());
        }
        if let Some(i) = s_minus.iter().position(|s| *s <= 0.0) {
            return Err(copras_error(format!(
                "alternative {i} ({:?}) has a weighted cost sum S⁻ = {}; COPRAS divides by S⁻ \
                 and needs it positive for every alternative",
                matrix.alternatives()[i],
                s_minus[i]
            )));
        }
        let (min_minus, _) = min_max(s_minus.iter().copied());
        let total_minus = crate::mcdm::normalize::sum(s_minus.iter().copied());
        let ratio_sum = crate::mcdm::normalize::sum(s_minus.iter().map(|s| min_minus / s));
        let q: Vec<f64> = s_plus
            .iter()
            .zip(&s_minus)
            .map(|(sp, sm)| sp + (min_minus * total_minus) / (sm * ratio_sum))
            .collect();
        let (_, max_q) = min_max(q.iter().copied());
        let preferences = q.iter().map(|qi| qi / max_q).collect();
        finite("COPRAS", matrix, preferences)
    }
}

fn copras_error(message: String) -> McdmError {
    McdmError::Unsupported {
        method: "COPRAS",
        message,
    }
}
