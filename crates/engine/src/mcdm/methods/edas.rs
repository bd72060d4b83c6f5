//! EDAS, evaluation based on distance from the average solution (pymcdm 1.4 `EDAS`).

use super::{check_weights, finite};
use crate::mcdm::matrix::{CriterionType, DecisionMatrix, McdmError};
use crate::mcdm::normalize::{min_max, sum, Sum};

/// EDAS: with the column means `AV_j`, the positive and negative distances from the average
/// `PDA_ij = max(0, (x_ij − AV_j) / AV_j)`, `NDA_ij = max(0, (AV_j − x_ij) / AV_j)` for a benefit
/// (the two swapped for a cost), `SP_i = Σ_j w_j PDA_ij`, `SN_i = Σ_j w_j NDA_ij`,
/// `NSP_i = SP_i / max SP`, `NSN_i = 1 − SN_i / max SN`, the preference (appraisal score) is
/// `AS_i = (NSP_i + NSN_i) / 2`, in `[0, 1]`. Higher is better.
///
/// pymcdm 1.4 has no parameter: EDAS works on the raw matrix, so no normalisation can be passed.
/// Refused when a column mean is 0, or when every `SP` or every `SN` is 0 (every weighted
/// criterion constant), where pymcdm divides by zero and returns `nan`. A single constant column
/// is fine (its distances are 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Edas;

impl Edas {
    /// `AS_i = (NSP_i + NSN_i) / 2` for each alternative `i`.
    pub fn preferences(
        &self,
        matrix: &DecisionMatrix,
        weights: &[f64],
    ) -> Result<Vec<f64>, McdmError> {
        check_weights("EDAS", weights, matrix.columns())?;
        let (m, n) = (matrix.rows(), matrix.columns());
        let mut average = Vec::with_capacity(n);
        for j in 0..n {
            let mean = sum(matrix.values().iter().skip(j).step_by(n).copied()) / m as f64;
            if mean == 0.0 {
                return Err(edas_error(format!(
                    "criterion {j} ({:?}) averages 0, and the distances divide by the average",
                    matrix.criteria()[j]
                )));
            }
            average.push(mean);
        }
        let mut sp = Vec::with_capacity(m);
        let mut sn = Vec::with_capacity(m);
        for row in matrix.values().chunks_exact(n) {
            let (mut pos, mut neg) = (Sum::default(), Sum::default());
            for (j, &x) in row.iter().enumerate() {
                let av = average[j];
                let (pda, nda) = match matrix.types()[j] {
                    CriterionType::Benefit => ((x - av) / av, (av - x) / av),
                    CriterionType::Cost => ((av - x) / av, (x - av) / av),
                };
                pos.add(weights[j] * pda.max(0.0));
                neg.add(weights[j] * nda.max(0.0));
            }
            sp.push(pos.value());
            sn.push(neg.value());
        }
        let (_, max_sp) = min_max(sp.iter().copied());
        let (_, max_sn) = min_max(sn.iter().copied());
        if max_sp == 0.0 || max_sn == 0.0 {
            return Err(edas_error(
                "no alternative is away from the average on a weighted criterion (SP or SN is 0 \
                 for all), so NSP or NSN divides 0 by 0 (pymcdm returns nan)"
                    .to_string(),
            ));
        }
        let preferences = sp
            .iter()
            .zip(&sn)
            .map(|(p, q)| (p / max_sp + (1.0 - q / max_sn)) / 2.0)
            .collect();
        finite("EDAS", matrix, preferences)
    }
}

fn edas_error(message: String) -> McdmError {
    McdmError::Unsupported {
        method: "EDAS",
        message,
    }
}
