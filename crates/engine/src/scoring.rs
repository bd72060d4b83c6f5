//! The seed's scoring rule: per-concept fit of a maturity matrix in a scene vector, and the
//! weighted score on a 0 to 10 scale.

use stackmatrix_model::{
    Matrix, MaturityTensor, Parameters, TimeMode, TimeSlice, CONCEPT_COUNT, SCENE_COUNT,
};

/// Per-concept fit of a technology in a scene vector.
///
/// Reference formula: `f = s · Aᵀ`, where `s` is the 1 x 6 scene vector and `A` the 12 x 6
/// maturity matrix; `f_c = Σ_j s_j · A[c][j]` (12 values). With `s` normalised to sum 1 and `A`
/// in [0, 1], each `f_c` lies in [0, 1]. A normalised vector can sum to 1 plus a rounding error,
/// so the sum is capped at 1: a row of ones fits exactly 1, never `1.0000000000000002`.
pub fn scenario_fit(scene_vector: &[f64; SCENE_COUNT], matrix: &Matrix) -> [f64; CONCEPT_COUNT] {
    let mut fit = [0.0; CONCEPT_COUNT];
    for (f, row) in fit.iter_mut().zip(matrix) {
        *f = compensated_sum(scene_vector.iter().zip(row).map(|(s, a)| s * a)).min(1.0);
    }
    fit
}

/// Weighted score of a fit vector, on a 0 to 10 scale.
///
/// Reference formula: `score = 10 · Σ_c w_c f_c / Σ_c w_c`. With every weight 1 this is the
/// seed's `10 * np.mean(s @ A.T)`. The weights must be non-negative with a positive sum
/// (see [`crate::ScenarioInput::prepare`]).
///
/// The mean is taken before the factor 10, as `np.mean` does: with every fit at most 1 the
/// quotient is then at most 1 and the score at most 10 exactly (`10 · Σ w / Σ w` can round to
/// `10.000000000000002`).
pub fn weighted_score(fit: &[f64; CONCEPT_COUNT], weights: &[f64; CONCEPT_COUNT]) -> f64 {
    let total = compensated_sum(weights.iter().copied());
    10.0 * (compensated_sum(fit.iter().zip(weights).map(|(f, w)| f * w)) / total)
}

/// Θ-weighted score of a fit vector, on a 0 to 10 scale.
///
/// Definition: Θ = diag(θ_1..θ_12) scales each concept's fit, `score_Θ = 10 · Σ_c w_c θ_c f_c /
/// Σ_c w_c` (equivalently [`weighted_score`] of the maturity matrix `ΘA`, whose fit is `θ ∘ f`).
/// The denominator keeps `Σ w`, so a θ_c below 1 lowers the score rather than re-weighting the
/// concepts among themselves, and with θ ∈ [0, 1] the score stays in [0, 10]. With every θ_c = 1
/// each product `f_c · w_c · 1` equals `f_c · w_c` exactly, so the score is [`weighted_score`]
/// bit for bit.
pub fn theta_weighted_score(
    fit: &[f64; CONCEPT_COUNT],
    weights: &[f64; CONCEPT_COUNT],
    theta: &[f64; CONCEPT_COUNT],
) -> f64 {
    let total = compensated_sum(weights.iter().copied());
    let terms = fit
        .iter()
        .zip(weights)
        .zip(theta)
        .map(|((f, w), t)| f * w * t);
    10.0 * (compensated_sum(terms) / total)
}

/// Each concept's share of [`theta_weighted_score`]: `10 · w_c θ_c f_c / Σ w`; equals
/// [`score_contributions`] bit for bit when every θ_c is 1.
pub fn theta_score_contributions(
    fit: &[f64; CONCEPT_COUNT],
    weights: &[f64; CONCEPT_COUNT],
    theta: &[f64; CONCEPT_COUNT],
) -> [f64; CONCEPT_COUNT] {
    let total = compensated_sum(weights.iter().copied());
    let mut out = [0.0; CONCEPT_COUNT];
    for (((o, f), w), t) in out.iter_mut().zip(fit).zip(weights).zip(theta) {
        *o = 10.0 * (w * t) * f / total;
    }
    out
}

/// Neumaier's compensated sum: the rounding error of each addition is carried and added back,
/// so sums of decimal figures come out as the nearest double to the true sum (`1.0 + 1.0 + 0.8 +
/// ... = 10.5`, not `10.500000000000002`), as numpy's pairwise sum usually does for short rows.
/// Without it a score of 8.75 prints as 8.750000000000002.
pub(crate) fn compensated_sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let (mut sum, mut carry) = (0.0f64, 0.0f64);
    for x in values {
        let t = sum + x;
        carry += if sum.abs() >= x.abs() {
            (sum - t) + x
        } else {
            (x - t) + sum
        };
        sum = t;
    }
    sum + carry
}

/// Each concept's share of the score: `10 · w_c f_c / Σ w`. The shares sum to the score.
pub fn score_contributions(
    fit: &[f64; CONCEPT_COUNT],
    weights: &[f64; CONCEPT_COUNT],
) -> [f64; CONCEPT_COUNT] {
    let total = compensated_sum(weights.iter().copied());
    let mut out = [0.0; CONCEPT_COUNT];
    for ((o, f), w) in out.iter_mut().zip(fit).zip(weights) {
        *o = 10.0 * w * f / total;
    }
    out
}

/// The maturity matrix a score uses, for a time mode.
///
/// Reference formula: `A = 0.6 · A_static + 0.4 · A_dynamic` for the blend (the weights come from
/// `parameters.toml`); a dynamic row not given equals the static row. Returns `None` when the
/// tensor lacks a row (an addon), which cannot be scored alone.
pub fn time_matrix(tensor: &MaturityTensor, mode: TimeMode, params: &Parameters) -> Option<Matrix> {
    match mode {
        TimeMode::Static => tensor.matrix(TimeSlice::Static),
        TimeMode::Dynamic => tensor.matrix(TimeSlice::Dynamic),
        TimeMode::Blend => {
            let st = tensor.matrix(TimeSlice::Static)?;
            let dy = tensor.matrix(TimeSlice::Dynamic)?;
            let mut m = st;
            for (row, dyn_row) in m.iter_mut().zip(&dy) {
                for (a, d) in row.iter_mut().zip(dyn_row) {
                    *a = params.time_blend_static * *a + params.time_blend_dynamic * d;
                }
            }
            Some(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix_with(value: f64) -> Matrix {
        [[value; SCENE_COUNT]; CONCEPT_COUNT]
    }

    #[test]
    fn one_hot_vector_picks_a_column() {
        let mut m = matrix_with(0.5);
        m[3][3] = 1.0;
        let fit = scenario_fit(&[0.0, 0.0, 0.0, 1.0, 0.0, 0.0], &m);
        assert_eq!(fit[3], 1.0);
        assert_eq!(fit[0], 0.5);
    }

    #[test]
    fn equal_weights_give_ten_times_the_mean() {
        let fit = [0.5, 1.0, 0.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
        let score = weighted_score(&fit, &[1.0; CONCEPT_COUNT]);
        assert!((score - 5.0).abs() < 1e-12);
        let parts = score_contributions(&fit, &[1.0; CONCEPT_COUNT]);
        assert!((parts.iter().sum::<f64>() - score).abs() < 1e-12);
    }

    #[test]
    fn decimal_sums_round_to_the_nearest_double() {
        let v = [1.0, 1.0, 0.8, 1.0, 0.9, 0.9, 0.8, 0.9, 0.8, 0.9, 0.7, 0.8];
        assert_eq!(compensated_sum(v), 10.5);
        assert_eq!(weighted_score(&v, &[1.0; CONCEPT_COUNT]), 8.75);
    }

    #[test]
    fn theta_of_ones_changes_nothing_and_theta_scales_each_fit() {
        let fit = [0.1, 0.9, 0.3, 0.5, 0.7, 0.2, 0.4, 0.6, 0.8, 1.0, 0.0, 0.5];
        let w: [f64; CONCEPT_COUNT] = std::array::from_fn(|i| 0.5 + i as f64 / 7.0);
        let ones = [1.0; CONCEPT_COUNT];
        assert_eq!(
            theta_weighted_score(&fit, &w, &ones).to_bits(),
            weighted_score(&fit, &w).to_bits()
        );
        let a = theta_score_contributions(&fit, &w, &ones);
        let b = score_contributions(&fit, &w);
        assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()));
        let theta: [f64; CONCEPT_COUNT] = std::array::from_fn(|i| 1.0 - i as f64 / 20.0);
        let scaled: [f64; CONCEPT_COUNT] = std::array::from_fn(|i| fit[i] * theta[i]);
        let direct = theta_weighted_score(&fit, &w, &theta);
        assert!((direct - weighted_score(&scaled, &w)).abs() < 1e-12);
        let parts = theta_score_contributions(&fit, &w, &theta);
        assert!((parts.iter().sum::<f64>() - direct).abs() < 1e-12);
    }

    #[test]
    fn weights_scale_invariantly() {
        let fit = [0.1, 0.9, 0.3, 0.5, 0.7, 0.2, 0.4, 0.6, 0.8, 1.0, 0.0, 0.5];
        let w: [f64; CONCEPT_COUNT] = std::array::from_fn(|i| (i + 1) as f64);
        let w3 = w.map(|x| 3.0 * x);
        assert!((weighted_score(&fit, &w) - weighted_score(&fit, &w3)).abs() < 1e-12);
    }
}
