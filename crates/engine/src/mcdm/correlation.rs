//! Rank correlations and weight similarities, as pymcdm 1.4 defines them
//! (`pymcdm.correlations`).
//!
//! The rank correlations take two rankings of the same alternatives: vectors of ranks, 1 the
//! best, tied alternatives sharing the average of their positions (1, 2.5, 2.5, 4), as
//! pymcdm's `rankdata` gives them. Where a coefficient is undefined (a constant vector for
//! Spearman or Pearson, no ordered pair for Goodman–Kruskal, fewer than two alternatives) the
//! functions return [`McdmError::Unsupported`] where pymcdm warns and returns NaN.

use super::matrix::McdmError;

/// A correlation between two rankings from pymcdm 1.4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RankCorrelation {
    /// [`spearman`] (pymcdm `spearman` / `rs`).
    Spearman,
    /// [`pearson`] (pymcdm `pearson` / `r`).
    Pearson,
    /// [`weighted_spearman`] (pymcdm `weighted_spearman` / `rw`).
    WeightedSpearman,
    /// [`rank_similarity`] (pymcdm `rank_similarity_coef` / `ws`).
    RankSimilarity,
    /// [`kendall_tau`] (pymcdm `kendall_tau`).
    KendallTau,
    /// [`goodman_kruskal_gamma`] (pymcdm `goodman_kruskal_gamma`).
    GoodmanKruskalGamma,
}

impl RankCorrelation {
    /// Every rank correlation, in pymcdm's `__all__` order.
    pub const ALL: [RankCorrelation; 6] = [
        RankCorrelation::Spearman,
        RankCorrelation::Pearson,
        RankCorrelation::WeightedSpearman,
        RankCorrelation::RankSimilarity,
        RankCorrelation::KendallTau,
        RankCorrelation::GoodmanKruskalGamma,
    ];

    /// A short name: `spearman`, `pearson`, `weighted_spearman`, `rank_similarity`,
    /// `kendall_tau`, `goodman_kruskal_gamma`.
    pub fn name(self) -> &'static str {
        match self {
            RankCorrelation::Spearman => "spearman",
            RankCorrelation::Pearson => "pearson",
            RankCorrelation::WeightedSpearman => "weighted_spearman",
            RankCorrelation::RankSimilarity => "rank_similarity",
            RankCorrelation::KendallTau => "kendall_tau",
            RankCorrelation::GoodmanKruskalGamma => "goodman_kruskal_gamma",
        }
    }

    /// The correlation named `name` (as [`RankCorrelation::name`] spells it).
    pub fn from_name(name: &str) -> Option<RankCorrelation> {
        RankCorrelation::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The coefficient of `x` and `y`.
    pub fn compute(self, x: &[f64], y: &[f64]) -> Result<f64, McdmError> {
        match self {
            RankCorrelation::Spearman => spearman(x, y),
            RankCorrelation::Pearson => pearson(x, y),
            RankCorrelation::WeightedSpearman => weighted_spearman(x, y),
            RankCorrelation::RankSimilarity => rank_similarity(x, y),
            RankCorrelation::KendallTau => kendall_tau(x, y),
            RankCorrelation::GoodmanKruskalGamma => goodman_kruskal_gamma(x, y),
        }
    }
}

/// Spearman's rank correlation `r_s = cov(x, y) / (σ_x σ_y)` on the ranks, with population
/// moments (pymcdm `spearman`: `np.cov(x, y, bias=True)[0][1] / (np.std(x) * np.std(y))`).
/// This is Pearson's coefficient of the ranks, so it stays exact with average ranks for ties
/// (the shortcut `1 − 6 Σd² / (n(n² − 1))` does not). Refused when a ranking is constant.
pub fn spearman(x: &[f64], y: &[f64]) -> Result<f64, McdmError> {
    moment_correlation(x, y, "Spearman's rho")
}

/// Pearson's correlation `r = cov(x, y) / (σ_x σ_y)` with population moments (pymcdm
/// `pearson`, the same formula as its `spearman`, meant for raw values rather than ranks).
/// Refused when a vector is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> Result<f64, McdmError> {
    moment_correlation(x, y, "Pearson's r")
}

/// Weighted Spearman's `r_w` (Pinto da Costa & Soares 2005; pymcdm `weighted_spearman`), which
/// weighs disagreements near the top more:
/// `r_w = 1 − 6 Σ_i (x_i − y_i)² ((N − x_i + 1) + (N − y_i + 1)) / (N⁴ + N³ − N² − N)`.
/// Needs `N ≥ 2`.
pub fn weighted_spearman(x: &[f64], y: &[f64]) -> Result<f64, McdmError> {
    const METHOD: &str = "weighted Spearman's r_w";
    let n = check_pair(x, y, METHOD, 2)? as f64;
    let numerator: f64 = x
        .iter()
        .zip(y)
        .map(|(&a, &b)| (a - b) * (a - b) * ((n - a + 1.0) + (n - b + 1.0)))
        .sum();
    let denominator = n.powi(4) + n.powi(3) - n * n - n;
    Ok(1.0 - 6.0 * numerator / denominator)
}

/// The WS rank similarity coefficient (Sałabun & Urbaniak 2020; pymcdm
/// `rank_similarity_coef`), asymmetric: `x` is the reference ranking and a disagreement on its
/// top positions costs most,
/// `WS = 1 − Σ_i 2^(−x_i) |x_i − y_i| / max(|x_i − 1|, |x_i − N|)`. Needs `N ≥ 2`.
pub fn rank_similarity(x: &[f64], y: &[f64]) -> Result<f64, McdmError> {
    const METHOD: &str = "WS rank similarity";
    let n = check_pair(x, y, METHOD, 2)? as f64;
    let penalty: f64 = x
        .iter()
        .zip(y)
        .map(|(&a, &b)| (-a).exp2() * (a - b).abs() / (a - 1.0).abs().max((n - a).abs()))
        .sum();
    Ok(1.0 - penalty)
}

/// Kendall's tau as pymcdm computes it, tau-a:
/// `τ = 2 / (n(n − 1)) Σ_{i<j} sign(x_i − x_j) sign(y_i − y_j)`. Tied pairs count 0 and stay in
/// the denominator, so with ties it is smaller in magnitude than tau-b (the engine's
/// `kendall_tau_b`, used by the audit). Needs `n ≥ 2`.
pub fn kendall_tau(x: &[f64], y: &[f64]) -> Result<f64, McdmError> {
    let n = check_pair(x, y, "Kendall's tau", 2)?;
    let mut sum = 0.0;
    for j in 0..n {
        for i in 0..j {
            sum += sign(x[i] - x[j]) * sign(y[i] - y[j]);
        }
    }
    Ok(2.0 / (n as f64 * (n as f64 - 1.0)) * sum)
}

/// Goodman and Kruskal's gamma (pymcdm `goodman_kruskal_gamma`):
/// `γ = (N_c − N_d) / (N_c + N_d)` over the pairs ordered the same way (`N_c`) or opposite ways
/// (`N_d`) in both rankings; pairs tied in either are left out. Refused when no pair is ordered
/// in both.
pub fn goodman_kruskal_gamma(x: &[f64], y: &[f64]) -> Result<f64, McdmError> {
    const METHOD: &str = "Goodman and Kruskal's gamma";
    let n = check_pair(x, y, METHOD, 1)?;
    let (mut net, mut ordered) = (0.0, 0usize);
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let s = sign((x[i] - x[j]) * (y[i] - y[j]));
                net += s;
                if s != 0.0 {
                    ordered += 1;
                }
            }
        }
    }
    if ordered == 0 {
        return Err(McdmError::Unsupported {
            method: METHOD,
            message: "no pair of alternatives is ordered in both rankings".into(),
        });
    }
    Ok(net / ordered as f64)
}

/// The weights similarity coefficient WSC (Shekhovtsov 2023) exactly as pymcdm 1.4's `wsc`
/// evaluates it: `1 − (Σ_j |w0_j − w1_j| / 2) · (1 − min_j w0_j)`, asymmetric (`w0` is the
/// reference). pymcdm multiplies by `1 − min w0` where its docstring promises a range of
/// [0, 1] with 0 for the most different weights, which dividing would give
/// (`Σ|Δ| ≤ 2 (1 − min w0)`); kept as pymcdm has it, as the reference.
pub fn weights_similarity(w0: &[f64], w1: &[f64]) -> Result<f64, McdmError> {
    check_pair(w0, w1, "WSC", 1)?;
    let distance: f64 = w0.iter().zip(w1).map(|(a, b)| (a - b).abs()).sum();
    let min = w0.iter().copied().fold(f64::INFINITY, f64::min);
    Ok(1.0 - (distance / 2.0 * (1.0 - min)))
}

/// The symmetric weights similarity coefficient WSC2 (Shekhovtsov 2023; pymcdm `wsc2`):
/// `1 − Σ_j |w0_j − w1_j| / 2`, 1 for equal weights and 0 for weights on disjoint criteria
/// (when each vector sums to 1).
pub fn weights_similarity_symmetric(w0: &[f64], w1: &[f64]) -> Result<f64, McdmError> {
    check_pair(w0, w1, "WSC2", 1)?;
    let distance: f64 = w0.iter().zip(w1).map(|(a, b)| (a - b).abs()).sum();
    Ok(1.0 - distance / 2.0)
}

/// `cov(x, y) / (σ_x σ_y)` with population moments.
fn moment_correlation(x: &[f64], y: &[f64], method: &'static str) -> Result<f64, McdmError> {
    let n = check_pair(x, y, method, 1)? as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sx = (x.iter().map(|a| (a - mx) * (a - mx)).sum::<f64>() / n).sqrt();
    let sy = (y.iter().map(|b| (b - my) * (b - my)).sum::<f64>() / n).sqrt();
    if sx == 0.0 || sy == 0.0 {
        return Err(McdmError::Unsupported {
            method,
            message: format!(
                "the {} vector is constant, so the correlation is undefined",
                if sx == 0.0 { "first" } else { "second" }
            ),
        });
    }
    let cov = x
        .iter()
        .zip(y)
        .map(|(a, b)| (a - mx) * (b - my))
        .sum::<f64>()
        / n;
    Ok(cov / (sx * sy))
}

/// The common length of `x` and `y`, at least `min`, with every value finite.
fn check_pair(x: &[f64], y: &[f64], method: &'static str, min: usize) -> Result<usize, McdmError> {
    if x.len() != y.len() {
        return Err(McdmError::Shape {
            what: "the second vector",
            found: y.len(),
            expected: x.len(),
            per: "value of the first vector",
        });
    }
    if x.len() < min.max(1) {
        return Err(McdmError::Unsupported {
            method,
            message: format!("needs at least {} values; got {}", min.max(1), x.len()),
        });
    }
    for (column, v) in x.iter().chain(y).enumerate() {
        if !v.is_finite() {
            let (row, column) = (column / x.len(), column % x.len());
            return Err(McdmError::NotFinite {
                what: "vector (row 0 = first, 1 = second)",
                row,
                column,
                value: *v,
            });
        }
    }
    Ok(x.len())
}

/// numpy's `sign`: −1, 0 or 1.
fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_rankings_correlate_perfectly() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        for c in RankCorrelation::ALL {
            assert!(
                (c.compute(&x, &x).unwrap() - 1.0).abs() < 1e-12,
                "{}",
                c.name()
            );
            assert_eq!(RankCorrelation::from_name(c.name()), Some(c));
        }
        let rev = [5.0, 4.0, 3.0, 2.0, 1.0];
        assert!((spearman(&x, &rev).unwrap() + 1.0).abs() < 1e-12);
        assert!((kendall_tau(&x, &rev).unwrap() + 1.0).abs() < 1e-12);
        assert!((weighted_spearman(&x, &rev).unwrap() + 1.0).abs() < 1e-12);
    }

    #[test]
    fn undefined_cases_are_refused() {
        assert!(spearman(&[1.0, 1.0], &[1.0, 2.0]).is_err());
        assert!(kendall_tau(&[1.0], &[1.0]).is_err());
        assert!(rank_similarity(&[1.0], &[1.0]).is_err());
        assert!(goodman_kruskal_gamma(&[1.0, 1.0], &[1.0, 2.0]).is_err());
        assert!(matches!(
            spearman(&[1.0, 2.0], &[1.0]),
            Err(McdmError::Shape { .. })
        ));
        assert!(matches!(
            pearson(&[1.0, 2.0], &[1.0, f64::NAN]),
            Err(McdmError::NotFinite {
                row: 1,
                column: 1,
                ..
            })
        ));
    }
}
