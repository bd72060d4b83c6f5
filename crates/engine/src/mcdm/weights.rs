//! Criteria weights: the objective weighting methods of pymcdm 1.4 (`pymcdm.weights`), which
//! derive weights from the spread of a [`DecisionMatrix`], and RANCOM's subjective weights from
//! a ranking of the criteria. AHP is [`crate::mcdm::ahp()`].
//!
//! Every method follows pymcdm's exact normalisation steps, including where pymcdm ignores the
//! criterion types (entropy, standard deviation, CRITIC, angle, Gini and variance do; MEREC,
//! CILOS, IDOCRIW and LOPCOW use them). Each returns `n` weights summing to 1, or
//! [`McdmError::Unsupported`] where pymcdm would raise or return NaN (a value its normalisation
//! cannot take, a constant column where the method divides by a spread, every criterion scoring
//! zero). Notation: `x_ij` is alternative `i` on criterion `j`, `m` alternatives, `n` criteria.

use super::matrix::{CriterionType, DecisionMatrix, McdmError};

/// An objective weighting method of pymcdm 1.4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WeightingMethod {
    /// [`equal_weights`].
    Equal,
    /// [`entropy_weights`].
    Entropy,
    /// [`standard_deviation_weights`].
    StandardDeviation,
    /// [`merec_weights`].
    Merec,
    /// [`critic_weights`].
    Critic,
    /// [`cilos_weights`].
    Cilos,
    /// [`idocriw_weights`].
    Idocriw,
    /// [`angle_weights`].
    Angle,
    /// [`gini_weights`].
    Gini,
    /// [`variance_weights`].
    Variance,
    /// [`lopcow_weights`].
    Lopcow,
}

impl WeightingMethod {
    /// Every method, in pymcdm's `__all__` order.
    pub const ALL: [WeightingMethod; 11] = [
        WeightingMethod::Equal,
        WeightingMethod::Entropy,
        WeightingMethod::StandardDeviation,
        WeightingMethod::Merec,
        WeightingMethod::Critic,
        WeightingMethod::Cilos,
        WeightingMethod::Idocriw,
        WeightingMethod::Angle,
        WeightingMethod::Gini,
        WeightingMethod::Variance,
        WeightingMethod::Lopcow,
    ];

    /// The pymcdm function name without `_weights` (`"standard_deviation"`, `"merec"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            WeightingMethod::Equal => "equal",
            WeightingMethod::Entropy => "entropy",
            WeightingMethod::StandardDeviation => "standard_deviation",
            WeightingMethod::Merec => "merec",
            WeightingMethod::Critic => "critic",
            WeightingMethod::Cilos => "cilos",
            WeightingMethod::Idocriw => "idocriw",
            WeightingMethod::Angle => "angle",
            WeightingMethod::Gini => "gini",
            WeightingMethod::Variance => "variance",
            WeightingMethod::Lopcow => "lopcow",
        }
    }

    /// The method named `name` (as [`WeightingMethod::name`] spells it).
    pub fn from_name(name: &str) -> Option<WeightingMethod> {
        WeightingMethod::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Whether the result depends on the criterion types (as in pymcdm).
    pub fn uses_types(self) -> bool {
        matches!(
            self,
            WeightingMethod::Merec
                | WeightingMethod::Cilos
                | WeightingMethod::Idocriw
                | WeightingMethod::Lopcow
        )
    }

    /// The weights of `matrix` by this method.
    pub fn weights(self, matrix: &DecisionMatrix) -> Result<Vec<f64>, McdmError> {
        match self {
            WeightingMethod::Equal => Ok(equal_weights(matrix)),
            WeightingMethod::Entropy => entropy_weights(matrix),
            WeightingMethod::StandardDeviation => standard_deviation_weights(matrix),
            WeightingMethod::Merec => merec_weights(matrix),
            WeightingMethod::Critic => critic_weights(matrix),
            WeightingMethod::Cilos => cilos_weights(matrix),
            WeightingMethod::Idocriw => idocriw_weights(matrix),
            WeightingMethod::Angle => angle_weights(matrix),
            WeightingMethod::Gini => gini_weights(matrix),
            WeightingMethod::Variance => variance_weights(matrix),
            WeightingMethod::Lopcow => lopcow_weights(matrix),
        }
    }
}

/// Equal weights: `w_j = 1 / n` (pymcdm `equal_weights`).
pub fn equal_weights(matrix: &DecisionMatrix) -> Vec<f64> {
    let n = matrix.columns();
    vec![1.0 / n as f64; n]
}

/// Entropy weights (pymcdm `entropy_weights`; the criterion types are ignored, as there).
///
/// Sum-normalised columns `p_ij = x_ij / Σ_i x_ij` (every value must be positive), entropy
/// `H_j = −Σ_i p_ij ln p_ij / ln m` (taken as 0 when a `p_ij` is 0, as pymcdm does), divergence
/// `E_j = 1 − H_j`, and `w_j = E_j / Σ_k E_k`. A constant column has `E_j = 0`. Needs `m ≥ 2`
/// and at least one non-constant column.
pub fn entropy_weights(matrix: &DecisionMatrix) -> Result<Vec<f64>, McdmError> {
    const METHOD: &str = "entropy weights";
    at_least_two_alternatives(matrix, METHOD)?;
    let ln_m = (matrix.rows() as f64).ln();
    let mut divergence = Vec::with_capacity(matrix.columns());
    for j in 0..matrix.columns() {
        let col = matrix.column(j);
        let p = sum_normalised(&col, matrix, j, METHOD)?;
        let h = if is_constant(&col) {
            // Exactly ln m / ln m, which rounding would blur.
            ln_m
        } else if p.contains(&0.0) {
            0.0
        } else {
            -p.iter().map(|&v| v * v.ln()).sum::<f64>()
        };
        divergence.push(1.0 - h / ln_m);
    }
    share(
        divergence,
        METHOD,
        "every column is constant (no criterion has any entropy spread)",
    )
}

/// Standard-deviation weights (pymcdm `standard_deviation_weights`): the sample standard
/// deviation (`ddof = 1`) of each raw column, `w_j = σ_j / Σ_k σ_k`. Raw values, not
/// normalised, as in pymcdm: the weights depend on each criterion's unit. Types are ignored.
/// Needs `m ≥ 2` and a non-constant column.
pub fn standard_deviation_weights(matrix: &DecisionMatrix) -> Result<Vec<f64>, McdmError> {
    const METHOD: &str = "standard-deviation weights";
    at_least_two_alternatives(matrix, METHOD)?;
    let std = (0..matrix.columns())
        .map(|j| {
            let col = matrix.column(j);
            // Exactly 0 for a constant column (its computed mean may be an ulp off).
            if is_constant(&col) {
                0.0
            } else {
                sample_std(&col)
            }
        })
        .collect();
    share(std, METHOD, "every column is constant")
}

/// MEREC weights, Method based on the Removal Effects of Criteria (pymcdm `merec_weights`).
///
/// Linear normalisation with the types reversed, as pymcdm does: `r_ij = min_i x_ij / x_ij` for
/// a benefit, `r_ij = x_ij / max_i x_ij` for a cost (every value must be positive). The overall
/// performance `S_i = ln(1 + (1/n) Σ_j |ln r_ij|)`, the performance without criterion `j`
/// `S'_ij = ln(1 + (1/n) Σ_{k≠j} |ln r_ik|)` (still divided by `n`, as in pymcdm), the removal
/// effect `E_j = Σ_i |S'_ij − S_i|`, and `w_j = E_j / Σ_k E_k`.
pub fn merec_weights(matrix: &DecisionMatrix) -> Result<Vec<f64>, McdmError> {
    const METHOD: &str = "MEREC weights";
    require_positive(matrix, METHOD)?;
    let (m, n) = (matrix.rows(), matrix.columns());
    let mut log_r = vec![0.0; m * n];
    for j in 0..n {
        let col = matrix.column(j);
        let (lo, hi) = min_max(&col);
        for (i, &x) in col.iter().enumerate() {
            let r = match matrix.types()[j] {
                CriterionType::Benefit => lo / x,
                CriterionType::Cost => x / hi,
            };
            log_r[i * n + j] = r.ln().abs();
        }
    }
    let nf = n as f64;
    let mut effect = vec![0.0; n];
    for i in 0..m {
        let row = &log_r[i * n..(i + 1) * n];
        let s = (1.0 + row.iter().sum::<f64>() / nf).ln();
        for (j, e) in effect.iter_mut().enumerate() {
            let without: f64 = row
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != j)
                .map(|(_, v)| v)
                .sum();
            *e += ((1.0 + without / nf).ln() - s).abs();
        }
    }
    share(effect, METHOD, "removing any criterion changes nothing")
}

/// CRITIC weights, CRiteria Importance Through Intercriteria Correlation (pymcdm
/// `critic_weights`; the criterion types are ignored, as there).
///
/// Min-max normalised columns `r_ij = (x_ij − min_j) / (max_j − min_j)`, their sample standard
/// deviations `σ_j` (`ddof = 1`) and Pearson correlations `ρ_jk`, information
/// `C_j = σ_j Σ_k (1 − ρ_jk)`, and `w_j = C_j / Σ_k C_k`. A constant column has no correlation
/// and is refused (pymcdm returns NaN). Needs `m ≥ 2`.
pub fn critic_weights(matrix: &DecisionMatrix) -> Result<Vec<f64>, McdmError> {
    const METHOD: &str = "CRITIC weights";
    at_least_two_alternatives(matrix, METHOD)?;
    refuse_constant_columns(matrix, METHOD, "the correlation with it is undefined")?;
    let cols: Vec<Vec<f64>> = (0..matrix.columns())
        .map(|j| min_max_normalised(&matrix.column(j), CriterionType::Benefit))
        .collect();
    let info = cols
        .iter()
        .map(|a| {
            let conflict: f64 = cols.iter().map(|b| 1.0 - pearson_unchecked(a, b)).sum();
            sample_std(a) * conflict
        })
        .collect();
    share(
        info,
        METHOD,
        "no criterion carries information apart from the others",
    )
}

/// CILOS weights, Criterion Impact LOSs (pymcdm `cilos_weights`).
///
/// Costs are turned into benefits by `y_ij = min_i x_ij / x_ij` (benefits stay `y_ij = x_ij`),
/// then columns are sum-normalised, `r_ij = y_ij / Σ_i y_ij` (every value must be positive).
/// With `k_j` the first alternative with the largest `r` on criterion `j`, the square matrix
/// `a_lj = r_{k_l, j}`, the relative impact losses `p_lj = (a_jj − a_lj) / a_jj`, and
/// `F = P − diag(Σ_l p_lj)`; the weights solve `F q = 0`, `Σ q = 1`. (pymcdm takes the null
/// space of `F` by SVD; the rows of `F` sum to zero, so the last equation is replaced by
/// `Σ q = 1` and the system solved by Gaussian elimination.) Refused when `F` has more than one
/// null direction (one alternative best on every criterion, say: pymcdm then returns the
/// whole null space flattened) and, unlike pymcdm, when a column is constant (pymcdm puts all
/// the weight on that criterion, which cannot tell the alternatives apart).
pub fn cilos_weights(matrix: &DecisionMatrix) -> Result<Vec<f64>, McdmError> {
    const METHOD: &str = "CILOS weights";
    require_positive(matrix, METHOD)?;
    if matrix.rows() > 1 {
        refuse_constant_columns(
            matrix,
            METHOD,
            "its impact loss is zero whatever the weights",
        )?;
    }
    let n = matrix.columns();
    let cols: Vec<Vec<f64>> = (0..n)
        .map(|j| {
            let col = matrix.column(j);
            let y: Vec<f64> = match matrix.types()[j] {
                CriterionType::Benefit => col,
                CriterionType::Cost => {
                    let lo = min_max(&col).0;
                    col.iter().map(|&x| lo / x).collect()
                }
            };
            sum_normalised(&y, matrix, j, METHOD)
        })
        .collect::<Result<_, _>>()?;
    // best[l]: the row of the largest value of column l (first on ties, as numpy's argmax).
    let best: Vec<usize> = cols
        .iter()
        .map(|c| {
            let mut k = 0;
            for (i, &v) in c.iter().enumerate() {
                if v > c[k] {
                    k = i;
                }
            }
            k
        })
        .collect();
    let a = |l: usize, j: usize| cols[j][best[l]];
    let mut f = vec![0.0; n * n];
    for j in 0..n {
        let mut column_sum = 0.0;
        for l in 0..n {
            let p = (a(j, j) - a(l, j)) / a(j, j);
            f[l * n + j] = p;
            column_sum += p;
        }
        f[j * n + j] -= column_sum;
    }
    // Replace the last equation (a combination of the others) by Σ q = 1.
    for v in &mut f[(n - 1) * n..] {
        *v = 1.0;
    }
    let mut rhs = vec![0.0; n];
    rhs[n - 1] = 1.0;
    let q = solve(f, rhs, n).ok_or_else(|| McdmError::Unsupported {
        method: METHOD,
        message: "the impact-loss system has more than one solution (one alternative is best \
                  on every criterion, or several criteria share their best alternatives), so \
                  the weights are not determined"
            .into(),
    })?;
    share(
        q,
        METHOD,
        "the impact-loss system gives no weight to any criterion",
    )
}

/// IDOCRIW weights, Integrated Determination of Objective CRIteria Weights (pymcdm
/// `idocriw_weights`): the entropy weights `W_j` ([`entropy_weights`], types ignored) times the
/// CILOS weights `q_j` ([`cilos_weights`]), `w_j = q_j W_j / Σ_k q_k W_k`. Refused where either
/// is.
pub fn idocriw_weights(matrix: &DecisionMatrix) -> Result<Vec<f64>, McdmError> {
    const METHOD: &str = "IDOCRIW weights";
    // A refusal of a step names IDOCRIW, the method the user chose, and then the step.
    let step = |e: McdmError| match e {
        McdmError::Unsupported { method, message } => McdmError::Unsupported {
            method: METHOD,
            message: format!("its {method} step: {message}"),
        },
        other => other,
    };
    let entropy = entropy_weights(matrix).map_err(step)?;
    let cilos = cilos_weights(matrix).map_err(step)?;
    let product = entropy.iter().zip(&cilos).map(|(a, b)| a * b).collect();
    share(
        product,
        METHOD,
        "entropy and CILOS weights never agree on a criterion",
    )
}

/// Angle weights (pymcdm `angle_weights`; types ignored). Sum-normalised columns
/// `r_ij = x_ij / Σ_i x_ij` (every value must be positive), the reference column `b_i = 1 / n`,
/// the angle `u_j = arccos(Σ_i r_ij b_i / (‖r_j‖ ‖b‖))` between each column and the reference
/// (the cosine clamped to [−1, 1] against rounding), and `w_j = u_j / Σ_k u_k`. A constant
/// column has `u_j = 0`.
pub fn angle_weights(matrix: &DecisionMatrix) -> Result<Vec<f64>, McdmError> {
    const METHOD: &str = "angle weights";
    let (m, n) = (matrix.rows() as f64, matrix.columns() as f64);
    let b = 1.0 / n;
    let b_norm = (m * b * b).sqrt();
    let mut angles = Vec::with_capacity(matrix.columns());
    for j in 0..matrix.columns() {
        let col = matrix.column(j);
        let r = sum_normalised(&col, matrix, j, METHOD)?;
        if is_constant(&col) {
            // Parallel to the reference: exactly 0, which rounding would blur.
            angles.push(0.0);
            continue;
        }
        let dot = r.iter().map(|v| v * b).sum::<f64>();
        let norm = r.iter().map(|v| v * v).sum::<f64>().sqrt();
        angles.push((dot / (norm * b_norm)).clamp(-1.0, 1.0).acos());
    }
    share(angles, METHOD, "every column is constant")
}

/// Gini weights (pymcdm `gini_weights`; types ignored): the Gini coefficient of each raw
/// column, `G_j = Σ_i Σ_k |x_ij − x_kj| / (2 m² μ_j)` with `μ_j` the column mean, and
/// `w_j = G_j / Σ_k G_k`. A column whose mean is not positive is refused (the coefficient
/// is meaningless there; pymcdm divides by it regardless).
///
/// The double sum over every pair is computed from the sorted column, `O(m log m)` instead of
/// pymcdm's `O(m²)`: with `x_(1) ≤ … ≤ x_(m)`, `Σ_i Σ_k |x_i − x_k| = 2 Σ_i (2i − m − 1) x_(i)`
/// (each value is above `i − 1` others and below `m − i`), summed with compensation. The same
/// number up to rounding (within 1e-12 of the pairwise sum in the tests, 1e-9 of pymcdm's), and
/// `decide --weights gini` on a million alternatives takes a sort, not hours.
pub fn gini_weights(matrix: &DecisionMatrix) -> Result<Vec<f64>, McdmError> {
    const METHOD: &str = "Gini weights";
    let m = matrix.rows() as f64;
    let mut gini = Vec::with_capacity(matrix.columns());
    for j in 0..matrix.columns() {
        let col = matrix.column(j);
        let mean = col.iter().sum::<f64>() / m;
        if mean <= 0.0 || !mean.is_finite() {
            return Err(McdmError::Unsupported {
                method: METHOD,
                message: format!(
                    "criterion '{}' has mean {mean}; the Gini coefficient needs a positive mean",
                    matrix.criteria()[j]
                ),
            });
        }
        gini.push(gini_pairwise_sum(col, 2.0 * m * m * mean));
    }
    share(gini, METHOD, "every column is constant")
}

/// `Σ_i Σ_k |x_i − x_k| / scale` over every ordered pair of `values`, from the sorted values:
/// `2 Σ_i (2i − m − 1) x_(i) / scale` (1-based `i`; each value divided by `scale` first, as
/// pymcdm divides each difference, so large values do not overflow), exactly 0 for a constant
/// column.
fn gini_pairwise_sum(mut values: Vec<f64>, scale: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let m = values.len() as f64;
    if values.first() == values.last() {
        return 0.0;
    }
    let mut total = super::normalize::Sum::default();
    for (i, x) in values.iter().enumerate() {
        total.add((2.0 * (i as f64 + 1.0) - m - 1.0) * (x / scale));
    }
    2.0 * total.value()
}

/// Variance weights (pymcdm `variance_weights`; types ignored): min-max normalised columns
/// (a constant column becomes all ones), their sample variances `v_j` (`ddof = 1`), and
/// `w_j = v_j / Σ_k v_k`. Needs `m ≥ 2` and a non-constant column.
pub fn variance_weights(matrix: &DecisionMatrix) -> Result<Vec<f64>, McdmError> {
    const METHOD: &str = "variance weights";
    at_least_two_alternatives(matrix, METHOD)?;
    let var = (0..matrix.columns())
        .map(|j| {
            let s = sample_std(&min_max_normalised(
                &matrix.column(j),
                CriterionType::Benefit,
            ));
            s * s
        })
        .collect();
    share(var, METHOD, "every column is constant")
}

/// LOPCOW weights, LOgarithmic Percentage Change-driven Objective Weighting (Ecer & Pamucar
/// 2022; pymcdm `lopcow_weights`).
///
/// Min-max normalised columns by type (`(x − min) / (max − min)` for a benefit,
/// `(max − x) / (max − min)` for a cost), the root mean square `RMS_j = √(Σ_i r_ij² / m)`, the
/// sample standard deviation `σ_j` (`ddof = 1`), the percentage value
/// `PV_j = |100 ln(RMS_j / σ_j)|`, and `w_j = PV_j / Σ_k PV_k`. A constant column is refused
/// (`σ_j = 0`; pymcdm returns NaN), and so are fewer than three alternatives (with two, each
/// normalised column is {0, 1}, where `RMS = σ`: every `PV_j` is 0 and pymcdm returns NaN).
pub fn lopcow_weights(matrix: &DecisionMatrix) -> Result<Vec<f64>, McdmError> {
    const METHOD: &str = "LOPCOW weights";
    if matrix.rows() < 3 {
        return Err(McdmError::Unsupported {
            method: METHOD,
            message: format!(
                "needs at least three alternatives (with two, every normalised column is {{0, 1}}, \
                 whose root mean square equals its standard deviation, so every weight is 0); \
                 the matrix has {}",
                matrix.rows()
            ),
        });
    }
    refuse_constant_columns(matrix, METHOD, "its standard deviation is zero")?;
    let m = matrix.rows() as f64;
    let pv = (0..matrix.columns())
        .map(|j| {
            let r = min_max_normalised(&matrix.column(j), matrix.types()[j]);
            let rms = (r.iter().map(|v| v * v).sum::<f64>() / m).sqrt();
            ((rms / sample_std(&r)).ln() * 100.0).abs()
        })
        .collect();
    share(
        pv,
        METHOD,
        "every criterion's mean square equals its standard deviation",
    )
}

/// RANCOM weights, RANking COMparison (Więckowski et al. 2023; pymcdm
/// `weights.subjective.RANCOM(ranking=...)`), from a ranking of the criteria (smaller is more
/// important; ties allowed; every rank positive).
///
/// The comparison matrix `a_ij = 1` when `r_i < r_j`, `0.5` when `r_i = r_j` (the diagonal
/// included), `0` otherwise, and `w_i = Σ_j a_ij / Σ_ij a_ij` (the total is `n² / 2`).
pub fn rancom_weights(ranking: &[f64]) -> Result<Vec<f64>, McdmError> {
    const METHOD: &str = "RANCOM weights";
    if ranking.is_empty() {
        return Err(McdmError::Unsupported {
            method: METHOD,
            message: "the ranking is empty".into(),
        });
    }
    for (i, &r) in ranking.iter().enumerate() {
        if !(r.is_finite() && r > 0.0) {
            return Err(McdmError::Unsupported {
                method: METHOD,
                message: format!("rank {i} is {r}; ranks must be positive numbers"),
            });
        }
    }
    let row_sums = ranking
        .iter()
        .map(|a| {
            ranking
                .iter()
                .map(|b| {
                    if a < b {
                        1.0
                    } else if a > b {
                        0.0
                    } else {
                        0.5
                    }
                })
                .sum()
        })
        .collect();
    share(row_sums, METHOD, "the ranking is empty")
}

// ---------------------------------------------------------------------------------------------
// Shared steps.

/// `values / Σ values`, refused when the sum is not a positive finite number.
fn share(values: Vec<f64>, method: &'static str, why_zero: &str) -> Result<Vec<f64>, McdmError> {
    let total: f64 = values.iter().sum();
    if !(total.is_finite() && total > 0.0) || values.iter().any(|v| !v.is_finite()) {
        return Err(McdmError::Unsupported {
            method,
            message: format!("the weights cannot be normalised: {why_zero}"),
        });
    }
    Ok(values.into_iter().map(|v| v / total).collect())
}

fn at_least_two_alternatives(
    matrix: &DecisionMatrix,
    method: &'static str,
) -> Result<(), McdmError> {
    if matrix.rows() < 2 {
        return Err(McdmError::Unsupported {
            method,
            message: format!(
                "needs at least two alternatives to measure a spread; the matrix has {}",
                matrix.rows()
            ),
        });
    }
    Ok(())
}

fn require_positive(matrix: &DecisionMatrix, method: &'static str) -> Result<(), McdmError> {
    for i in 0..matrix.rows() {
        for j in 0..matrix.columns() {
            let v = matrix.get(i, j);
            if v <= 0.0 {
                return Err(not_positive(matrix, i, j, method));
            }
        }
    }
    Ok(())
}

fn not_positive(matrix: &DecisionMatrix, i: usize, j: usize, method: &'static str) -> McdmError {
    McdmError::Unsupported {
        method,
        message: format!(
            "alternative '{}' has {} on criterion '{}'; this method needs every value to be \
             positive",
            matrix.alternatives()[i],
            matrix.get(i, j),
            matrix.criteria()[j]
        ),
    }
}

fn refuse_constant_columns(
    matrix: &DecisionMatrix,
    method: &'static str,
    why: &str,
) -> Result<(), McdmError> {
    for j in 0..matrix.columns() {
        let (lo, hi) = min_max(&matrix.column(j));
        if lo == hi {
            return Err(McdmError::Unsupported {
                method,
                message: format!(
                    "criterion '{}' has the same value ({lo}) for every alternative: {why}",
                    matrix.criteria()[j]
                ),
            });
        }
    }
    Ok(())
}

/// Column `j` (or a transform of it) divided by its sum; every value must be positive
/// (pymcdm's `sum_normalization` raises otherwise).
fn sum_normalised(
    values: &[f64],
    matrix: &DecisionMatrix,
    j: usize,
    method: &'static str,
) -> Result<Vec<f64>, McdmError> {
    if let Some(i) = values.iter().position(|&v| v <= 0.0) {
        return Err(not_positive(matrix, i, j, method));
    }
    let total: f64 = values.iter().sum();
    Ok(values.iter().map(|v| v / total).collect())
}

/// pymcdm's `minmax_normalization`: `(x − min) / (max − min)` for a benefit,
/// `(max − x) / (max − min)` for a cost, all ones for a constant column.
fn min_max_normalised(values: &[f64], kind: CriterionType) -> Vec<f64> {
    let (lo, hi) = min_max(values);
    if lo == hi {
        return vec![1.0; values.len()];
    }
    values
        .iter()
        .map(|&x| match kind {
            CriterionType::Benefit => (x - lo) / (hi - lo),
            CriterionType::Cost => (hi - x) / (hi - lo),
        })
        .collect()
}

fn is_constant(values: &[f64]) -> bool {
    let (lo, hi) = min_max(values);
    lo == hi
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Sample standard deviation (`ddof = 1`); needs two values or more.
fn sample_std(values: &[f64]) -> f64 {
    let mu = mean(values);
    let ss: f64 = values.iter().map(|v| (v - mu) * (v - mu)).sum();
    (ss / (values.len() as f64 - 1.0)).sqrt()
}

/// Pearson's correlation with population moments, as pymcdm computes it; the caller makes sure
/// neither vector is constant.
fn pearson_unchecked(x: &[f64], y: &[f64]) -> f64 {
    let (mx, my) = (mean(x), mean(y));
    let len = x.len() as f64;
    let cov = x
        .iter()
        .zip(y)
        .map(|(a, b)| (a - mx) * (b - my))
        .sum::<f64>()
        / len;
    let sx = (x.iter().map(|a| (a - mx) * (a - mx)).sum::<f64>() / len).sqrt();
    let sy = (y.iter().map(|b| (b - my) * (b - my)).sum::<f64>() / len).sqrt();
    cov / (sx * sy)
}

/// Solves the `n × n` row-major system `a x = b` by Gaussian elimination with partial
/// pivoting; `None` when it is singular (a pivot below `1e-12` of the largest entry).
fn solve(mut a: Vec<f64>, mut b: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    let scale = a.iter().fold(0.0f64, |s, v| s.max(v.abs()));
    let tiny = 1e-12 * scale.max(f64::MIN_POSITIVE);
    for col in 0..n {
        let pivot =
            (col..n).max_by(|&r, &s| a[r * n + col].abs().total_cmp(&a[s * n + col].abs()))?;
        if a[pivot * n + col].abs() <= tiny {
            return None;
        }
        if pivot != col {
            for k in 0..n {
                a.swap(pivot * n + k, col * n + k);
            }
            b.swap(pivot, col);
        }
        for r in col + 1..n {
            let factor = a[r * n + col] / a[col * n + col];
            if factor != 0.0 {
                for k in col..n {
                    a[r * n + k] -= factor * a[col * n + k];
                }
                b[r] -= factor * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let tail: f64 = (r + 1..n).map(|k| a[r * n + k] * x[k]).sum();
        x[r] = (b[r] - tail) / a[r * n + r];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows: Vec<Vec<f64>>, types: Vec<CriterionType>) -> DecisionMatrix {
        let names = |k: usize, p: &str| (0..k).map(|i| format!("{p}{i}")).collect::<Vec<_>>();
        DecisionMatrix::new(names(rows.len(), "a"), names(types.len(), "c"), types, rows).unwrap()
    }

    /// Issue 13: "gini weights: Gini weights: ..." came from a caller adding the name the
    /// error already had; each refusal names its method once, IDOCRIW's steps under IDOCRIW.
    #[test]
    fn a_refusal_names_the_chosen_method_once() {
        let m = matrix(
            vec![vec![1.0, 0.0], vec![1.0, 0.0], vec![1.0, 0.0]],
            vec![CriterionType::Benefit; 2],
        );
        for method in WeightingMethod::ALL {
            let Err(e) = method.weights(&m) else { continue };
            let text = e.to_string();
            let lower = text.to_lowercase();
            let name = method.name().replace('_', "-");
            assert_eq!(lower.matches(" weights:").count(), 1, "{text}");
            assert!(lower.starts_with(&name[..3]), "{}: {text}", method.name());
        }
        let e = WeightingMethod::Idocriw
            .weights(&m)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("IDOCRIW weights: its "), "{e}");
    }

    #[test]
    fn every_method_sums_to_one_on_a_plain_matrix() {
        use CriterionType::{Benefit, Cost};
        let m = matrix(
            vec![
                vec![3.0, 120.0, 0.4],
                vec![5.0, 80.0, 0.9],
                vec![4.0, 150.0, 0.2],
                vec![9.0, 60.0, 0.5],
            ],
            vec![Benefit, Cost, Benefit],
        );
        for method in WeightingMethod::ALL {
            let w = method
                .weights(&m)
                .unwrap_or_else(|e| panic!("{}: {e}", method.name()));
            assert!(
                (w.iter().sum::<f64>() - 1.0).abs() < 1e-12,
                "{}",
                method.name()
            );
            assert!(w.iter().all(|&v| v >= 0.0), "{}: {w:?}", method.name());
            assert_eq!(WeightingMethod::from_name(method.name()), Some(method));
        }
    }

    #[test]
    fn refusals_name_the_cell_or_the_column() {
        use CriterionType::Benefit;
        let m = matrix(vec![vec![1.0, 2.0], vec![0.0, 2.0]], vec![Benefit, Benefit]);
        let e = entropy_weights(&m).unwrap_err().to_string();
        assert!(e.contains("'a1'") && e.contains("'c0'"), "{e}");
        let e = critic_weights(&m).unwrap_err().to_string();
        assert!(e.contains("'c1'") && e.contains("same value"), "{e}");
        let one = matrix(vec![vec![1.0, 2.0]], vec![Benefit, Benefit]);
        assert!(standard_deviation_weights(&one).is_err());
    }

    /// The sorted-column Gini sum equals the pairwise definition (pymcdm's `O(m²)` loop) within
    /// 1e-12 relative, on columns with ties, negative values and wide scales.
    #[test]
    fn gini_sum_from_the_sorted_column_equals_the_pairwise_sum() {
        let mut state = 11u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for (m, scale, offset, round) in [
            (2, 1.0, 0.0, false),
            (3, 10.0, 0.5, true),
            (50, 1e-3, 0.0, false),
            (257, 1e6, -2e5, false),
            (1000, 5.0, 1.0, true),
        ] {
            let col: Vec<f64> = (0..m)
                .map(|_| {
                    let x = next() * scale + offset;
                    if round {
                        x.round()
                    } else {
                        x
                    }
                })
                .collect();
            let pairwise: f64 = col
                .iter()
                .map(|a| col.iter().map(|b| (a - b).abs() / 3.0).sum::<f64>())
                .sum();
            let sorted = gini_pairwise_sum(col.clone(), 3.0);
            assert!(
                (sorted - pairwise).abs() <= 1e-12 * pairwise.abs(),
                "m = {m}: {sorted} vs {pairwise}"
            );
        }
        assert_eq!(gini_pairwise_sum(vec![0.3; 5], 1.0), 0.0);
    }

    #[test]
    fn constant_columns_weigh_exactly_nothing() {
        use CriterionType::{Benefit, Cost};
        // 0.1 three times does not average to exactly 0.1 in floating point.
        let flat = matrix(vec![vec![0.1, 0.7]; 3], vec![Benefit, Cost]);
        for method in WeightingMethod::ALL {
            if method != WeightingMethod::Equal {
                assert!(method.weights(&flat).is_err(), "{}", method.name());
            }
        }
        let one_flat = matrix(
            vec![vec![0.1, 1.0], vec![0.1, 2.0], vec![0.1, 4.0]],
            vec![Benefit, Benefit],
        );
        for method in [
            WeightingMethod::Entropy,
            WeightingMethod::StandardDeviation,
            WeightingMethod::Angle,
            WeightingMethod::Gini,
            WeightingMethod::Variance,
            WeightingMethod::Merec,
        ] {
            assert_eq!(
                method.weights(&one_flat).unwrap(),
                vec![0.0, 1.0],
                "{}",
                method.name()
            );
        }
    }

    #[test]
    fn rancom_counts_wins_and_halves_ties() {
        assert_eq!(
            rancom_weights(&[1.0, 2.0, 4.0, 3.0]).unwrap(),
            vec![0.4375, 0.3125, 0.0625, 0.1875]
        );
        assert!(rancom_weights(&[1.0, 0.0]).is_err());
    }
}
