//! AHP, the Analytic Hierarchy Process (Saaty): criteria weights from a pairwise comparison
//! matrix, with its consistency ratio, as pymcdm 1.4 computes them
//! (`pymcdm.weights.subjective.AHP(matrix=...)`, `get_cr()`).
//!
//! `a_ij` says how much more important criterion `i` is than criterion `j` on Saaty's scale
//! (1 equal, 3 moderate, 5 strong, 7 very strong, 9 extreme, 2/4/6/8 between, reciprocals for
//! the other way round). The matrix must be square, positive, with ones on the diagonal and
//! reciprocal (`a_ji = 1 / a_ij`, checked as `|a_ij a_ji − 1| ≤ 1e-9`), every value within
//! [1/9, 9]. (pymcdm further requires each value to be one of the 17 scale values; here
//! intermediate values such as the geometric mean of several judges' answers are accepted.)
//!
//! **Priorities.** The principal (Perron) eigenvector of the matrix, normalised to sum 1, as
//! pymcdm takes it from `numpy.linalg.eig`. It is computed here by power iteration
//! (`w ← A w / Σ A w`, from the rows' geometric means, until no component moves by more than
//! `1e-14`, a few dozen steps for an inconsistent matrix and one for a consistent one): a
//! positive matrix has a simple dominant eigenvalue with a positive eigenvector, so
//! the iteration converges to exactly the vector pymcdm uses. The geometric-mean (logarithmic
//! least squares) vector is only the starting point: it equals the eigenvector for a
//! consistent matrix but not otherwise, so it would not match pymcdm.
//!
//! **Consistency.** `λ_max = Σ_i (A w)_i` (with `Σ w = 1`), `CI = (λ_max − n) / (n − 1)`,
//! `CR = CI / RI_n`, where `RI_n` is the mean CI of random reciprocal matrices of size `n`
//! ([`RandomIndex`]). pymcdm's table (Tummala & Ling 1998) is the default; Saaty's (1980) is
//! available. Matrices of size 1 and 2 are always consistent (`CR = 0`). A matrix with
//! `CR > 0.1` is refused by [`ahp`], naming the judgements that disagree most with the
//! priorities: for each pair the ratio of the judgement `a_ij` to the ratio `w_i / w_j` the
//! priorities imply, by `|ln(a_ij w_j / w_i)|`.

use super::matrix::McdmError;
use std::fmt;

/// Saaty's consistency threshold: a consistency ratio above it is refused by [`ahp`].
pub const CONSISTENCY_THRESHOLD: f64 = 0.1;

/// How far `a_ij a_ji` and the diagonal may stray from 1.
pub const RECIPROCAL_TOLERANCE: f64 = 1e-9;

/// The power iteration stops when no component of the priority vector moves by more.
pub const POWER_ITERATION_TOLERANCE: f64 = 1e-14;

/// The power iteration gives up after this many steps (a positive matrix never needs them).
pub const POWER_ITERATION_LIMIT: usize = 100_000;

/// The lowest and highest values of Saaty's scale.
pub const SAATY_SCALE: (f64, f64) = (1.0 / 9.0, 9.0);

/// Random indices `RI_n` for `n = 1..=15`, Tummala & Ling (1998), "A note on the computation of
/// the mean random consistency index of the analytic hierarchy process (AHP)", Theory and
/// Decision 44(3), 221–230: pymcdm 1.4's `AHP.RI_M`.
pub const RI_TUMMALA_LING_1998: [f64; 15] = [
    0.0, 0.0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882, 1.5117, 1.5356,
    1.5571, 1.5714, 1.5831,
];

/// Random indices `RI_n` for `n = 1..=15`, Saaty (1980), *The Analytic Hierarchy Process*,
/// McGraw-Hill (the table as commonly reproduced from it).
pub const RI_SAATY_1980: [f64; 15] = [
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
];

/// Which random-index table divides the consistency index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RandomIndex {
    /// [`RI_TUMMALA_LING_1998`], pymcdm 1.4's table (the default).
    #[default]
    TummalaLing1998,
    /// [`RI_SAATY_1980`].
    Saaty1980,
}

impl RandomIndex {
    /// The table, `RI_n` at index `n − 1`.
    pub fn table(self) -> &'static [f64; 15] {
        match self {
            RandomIndex::TummalaLing1998 => &RI_TUMMALA_LING_1998,
            RandomIndex::Saaty1980 => &RI_SAATY_1980,
        }
    }

    /// `RI_n`, or `None` beyond the table (`n > 15`) or for `n = 0`.
    pub fn value(self, n: usize) -> Option<f64> {
        n.checked_sub(1).and_then(|k| self.table().get(k)).copied()
    }

    /// The source, for messages.
    pub fn source(self) -> &'static str {
        match self {
            RandomIndex::TummalaLing1998 => "Tummala & Ling 1998",
            RandomIndex::Saaty1980 => "Saaty 1980",
        }
    }
}

/// A validated pairwise comparison matrix with the names of what it compares.
#[derive(Debug, Clone, PartialEq)]
pub struct PairwiseComparisons {
    labels: Vec<String>,
    values: Vec<f64>,
}

impl PairwiseComparisons {
    /// Checks `rows` (one per label, each with one value per label) and keeps them.
    pub fn new(labels: Vec<String>, rows: Vec<Vec<f64>>) -> Result<PairwiseComparisons, AhpError> {
        let n = labels.len();
        if n == 0 {
            return Err(AhpError::Empty);
        }
        if rows.len() != n {
            return Err(AhpError::RowCount {
                found: rows.len(),
                expected: n,
            });
        }
        for (i, row) in rows.iter().enumerate() {
            if row.len() != n {
                return Err(AhpError::RowLength {
                    row: labels[i].clone(),
                    found: row.len(),
                    expected: n,
                });
            }
        }
        let values: Vec<f64> = rows.into_iter().flatten().collect();
        let at = |i: usize, j: usize| values[i * n + j];
        let cell = |i: usize, j: usize| Cell {
            row: i,
            column: j,
            row_label: labels[i].clone(),
            column_label: labels[j].clone(),
            value: at(i, j),
        };
        let cells = || (0..n).flat_map(|i| (0..n).map(move |j| (i, j)));
        for (i, j) in cells() {
            if !at(i, j).is_finite() {
                return Err(AhpError::NotFinite(cell(i, j)));
            }
            if at(i, j) <= 0.0 {
                return Err(AhpError::NotPositive(cell(i, j)));
            }
        }
        for i in 0..n {
            if (at(i, i) - 1.0).abs() > RECIPROCAL_TOLERANCE {
                return Err(AhpError::Diagonal(cell(i, i)));
            }
        }
        for (i, j) in cells().filter(|&(i, j)| i < j) {
            if (at(i, j) * at(j, i) - 1.0).abs() > RECIPROCAL_TOLERANCE {
                return Err(AhpError::NotReciprocal {
                    cell: cell(i, j),
                    mirror: at(j, i),
                });
            }
        }
        let (lo, hi) = SAATY_SCALE;
        for (i, j) in cells() {
            let v = at(i, j);
            if v < lo * (1.0 - RECIPROCAL_TOLERANCE) || v > hi * (1.0 + RECIPROCAL_TOLERANCE) {
                return Err(AhpError::OutOfScale(cell(i, j)));
            }
        }
        Ok(PairwiseComparisons { labels, values })
    }

    /// The comparison matrix pymcdm builds from a ranking of the criteria (`AHP(ranking=...)`;
    /// smaller ranks are more important, every rank positive): `a_ij = 1` for equal ranks,
    /// otherwise `d = min(⌊max(r_i, r_j) / min(r_i, r_j)⌋, 9)`, `a_ij = d` when `r_i < r_j`
    /// and `1 / d` when `r_i > r_j`.
    pub fn from_ranking(
        labels: Vec<String>,
        ranking: &[f64],
    ) -> Result<PairwiseComparisons, AhpError> {
        if ranking.len() != labels.len() {
            return Err(AhpError::RowCount {
                found: ranking.len(),
                expected: labels.len(),
            });
        }
        for (i, &r) in ranking.iter().enumerate() {
            if !(r.is_finite() && r > 0.0) {
                return Err(AhpError::Rank {
                    label: labels[i].clone(),
                    value: r,
                });
            }
        }
        let rows = ranking
            .iter()
            .map(|&a| {
                ranking
                    .iter()
                    .map(|&b| {
                        if a == b {
                            return 1.0;
                        }
                        let d = (a.max(b) / a.min(b)).floor().min(9.0);
                        if a < b {
                            d
                        } else {
                            1.0 / d
                        }
                    })
                    .collect()
            })
            .collect();
        PairwiseComparisons::new(labels, rows)
    }

    /// Number of criteria compared.
    pub fn size(&self) -> usize {
        self.labels.len()
    }

    /// Their names.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// `a_ij`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.values[i * self.size() + j]
    }
}

/// A cell of a pairwise comparison matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Row index.
    pub row: usize,
    /// Column index.
    pub column: usize,
    /// Row criterion.
    pub row_label: String,
    /// Column criterion.
    pub column_label: String,
    /// The value found.
    pub value: f64,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' vs '{}' (row {}, column {}) = {}",
            self.row_label,
            self.column_label,
            self.row + 1,
            self.column + 1,
            self.value
        )
    }
}

/// One judgement set against what the priorities imply, oriented so that `said ≥ 1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// The criterion judged the more important (row of `said`).
    pub row: usize,
    /// The other one.
    pub column: usize,
    /// Name of `row`.
    pub row_label: String,
    /// Name of `column`.
    pub column_label: String,
    /// The judgement `a_row,column`, at least 1.
    pub said: f64,
    /// `w_row / w_column`: what the priorities from all the judgements imply.
    pub implied: f64,
    /// `|ln(said / implied)|`.
    pub deviation: f64,
}

impl fmt::Display for Judgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} vs {}: you said {}, the other judgements imply {}",
            self.row_label,
            self.column_label,
            ratio(self.said),
            ratio(self.implied)
        )
    }
}

/// `7`, `2.5`, `1.4`, `1/2.3`.
fn ratio(v: f64) -> String {
    if v < 1.0 {
        return format!("1/{}", ratio(1.0 / v));
    }
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else if v < 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

/// Weights and consistency of a pairwise comparison matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct AhpAnalysis {
    /// Criterion names.
    pub labels: Vec<String>,
    /// The priority vector (principal eigenvector), summing to 1.
    pub weights: Vec<f64>,
    /// The principal eigenvalue `λ_max ≥ n`.
    pub lambda_max: f64,
    /// `CI = (λ_max − n) / (n − 1)`, 0 for `n ≤ 2`.
    pub consistency_index: f64,
    /// The random index used (0 for `n ≤ 2`).
    pub random_index: f64,
    /// Its table.
    pub random_index_table: RandomIndex,
    /// `CR = CI / RI`, 0 for `n ≤ 2`.
    pub consistency_ratio: f64,
    /// Power-iteration steps taken.
    pub iterations: usize,
    /// Every judgement `i < j` against the priorities, largest deviation first.
    pub judgements: Vec<Judgement>,
}

impl AhpAnalysis {
    /// Whether `CR ≤ threshold` (pymcdm's `check_cr`).
    pub fn is_consistent(&self, threshold: f64) -> bool {
        self.consistency_ratio <= threshold
    }

    /// The `k` judgements that disagree most with the priorities.
    pub fn least_consistent(&self, k: usize) -> &[Judgement] {
        &self.judgements[..k.min(self.judgements.len())]
    }
}

/// Options of [`ahp_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AhpOptions {
    /// The random-index table.
    pub random_index: RandomIndex,
    /// The largest consistency ratio accepted.
    pub max_consistency_ratio: f64,
}

impl Default for AhpOptions {
    fn default() -> AhpOptions {
        AhpOptions {
            random_index: RandomIndex::default(),
            max_consistency_ratio: CONSISTENCY_THRESHOLD,
        }
    }
}

/// Why a pairwise comparison matrix cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AhpError {
    /// Nothing to compare.
    #[error("the pairwise comparison matrix is empty")]
    Empty,
    /// Not one row per criterion.
    #[error("the pairwise comparison matrix has {found} rows; expected {expected}, one per criterion (it must be square)")]
    RowCount {
        /// Rows (or ranks) given.
        found: usize,
        /// Criteria.
        expected: usize,
    },
    /// A row of the wrong length.
    #[error("row '{row}' of the pairwise comparison matrix has {found} values; expected {expected}, one per criterion (it must be square)")]
    RowLength {
        /// The row's criterion.
        row: String,
        /// Values given.
        found: usize,
        /// Criteria.
        expected: usize,
    },
    /// NaN or infinite.
    #[error("judgement {0} is not a finite number")]
    NotFinite(Cell),
    /// Zero or negative.
    #[error("judgement {0} is not positive; judgements are ratios from 1/9 to 9")]
    NotPositive(Cell),
    /// A diagonal value other than 1.
    #[error("judgement {0} should be 1: a criterion is as important as itself")]
    Diagonal(Cell),
    /// `a_ji ≠ 1 / a_ij`.
    #[error("{}", not_reciprocal(.cell, *.mirror))]
    NotReciprocal {
        /// The upper cell.
        cell: Cell,
        /// The value across the diagonal.
        mirror: f64,
    },
    /// Outside Saaty's scale.
    #[error("judgement {0} is outside Saaty's scale (1/9 to 9)")]
    OutOfScale(Cell),
    /// A rank that is not a positive number.
    #[error("the rank of '{label}' is {value}; ranks must be positive numbers")]
    Rank {
        /// The criterion.
        label: String,
        /// Its rank.
        value: f64,
    },
    /// No random index for this size.
    #[error("{n} criteria: the random index is tabulated up to {max} ({table}), so the consistency ratio cannot be computed; split the criteria into a hierarchy")]
    TooLarge {
        /// Criteria.
        n: usize,
        /// Largest tabulated size.
        max: usize,
        /// The table.
        table: &'static str,
    },
    /// The power iteration did not settle (not expected for a positive matrix).
    #[error("the principal eigenvector did not converge in {iterations} power iterations")]
    NoConvergence {
        /// Steps taken.
        iterations: usize,
    },
    /// `CR` above the threshold.
    #[error("the judgements are inconsistent: CR = {cr:.3} > {threshold} (CI = {ci:.4}, RI = {ri} for n = {n}, {table}); the least consistent judgements are {}", list(.least_consistent))]
    Inconsistent {
        /// The consistency ratio.
        cr: f64,
        /// The threshold it exceeds.
        threshold: f64,
        /// The consistency index.
        ci: f64,
        /// The random index.
        ri: f64,
        /// Criteria.
        n: usize,
        /// The random-index table.
        table: &'static str,
        /// The three judgements that disagree most with the priorities.
        least_consistent: Vec<Judgement>,
    },
}

fn not_reciprocal(cell: &Cell, mirror: f64) -> String {
    format!(
        "judgement {cell} is not reciprocal: its mirror '{}' vs '{}' is {mirror}; it should be \
         {}",
        cell.column_label,
        cell.row_label,
        1.0 / cell.value
    )
}

fn list(judgements: &[Judgement]) -> String {
    judgements
        .iter()
        .map(|j| j.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<AhpError> for McdmError {
    fn from(e: AhpError) -> McdmError {
        McdmError::Unsupported {
            method: "AHP",
            message: e.to_string(),
        }
    }
}

/// AHP weights with pymcdm's defaults (Tummala & Ling random indices), refusing `CR > 0.1`
/// with the three least consistent judgements named.
pub fn ahp(comparisons: &PairwiseComparisons) -> Result<AhpAnalysis, AhpError> {
    ahp_with(comparisons, AhpOptions::default())
}

/// AHP weights, refusing a consistency ratio above `options.max_consistency_ratio`.
pub fn ahp_with(
    comparisons: &PairwiseComparisons,
    options: AhpOptions,
) -> Result<AhpAnalysis, AhpError> {
    let analysis = analyse(comparisons, options.random_index)?;
    if !analysis.is_consistent(options.max_consistency_ratio) {
        return Err(AhpError::Inconsistent {
            cr: analysis.consistency_ratio,
            threshold: options.max_consistency_ratio,
            ci: analysis.consistency_index,
            ri: analysis.random_index,
            n: comparisons.size(),
            table: options.random_index.source(),
            least_consistent: analysis.least_consistent(3).to_vec(),
        });
    }
    Ok(analysis)
}

/// Priorities, `λ_max`, CI, RI and CR of a matrix, consistent or not (pymcdm computes the
/// weights whatever the CR). Refused only beyond the random-index table (`n > 15`).
pub fn analyse(
    comparisons: &PairwiseComparisons,
    random_index: RandomIndex,
) -> Result<AhpAnalysis, AhpError> {
    let n = comparisons.size();
    let ri = random_index.value(n).ok_or(AhpError::TooLarge {
        n,
        max: random_index.table().len(),
        table: random_index.source(),
    })?;
    let (weights, lambda_max, iterations) = principal_eigenvector(comparisons)?;
    let (ci, cr) = if n < 3 {
        (0.0, 0.0)
    } else {
        let ci = (lambda_max - n as f64) / (n as f64 - 1.0);
        (ci, ci / ri)
    };
    let mut judgements = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            let (r, c) = if comparisons.get(i, j) >= 1.0 {
                (i, j)
            } else {
                (j, i)
            };
            let said = comparisons.get(r, c);
            let implied = weights[r] / weights[c];
            judgements.push(Judgement {
                row: r,
                column: c,
                row_label: comparisons.labels[r].clone(),
                column_label: comparisons.labels[c].clone(),
                said,
                implied,
                deviation: (said / implied).ln().abs(),
            });
        }
    }
    // Stable: equal deviations keep the row-major order of their upper cells.
    judgements.sort_by(|a, b| b.deviation.total_cmp(&a.deviation));
    Ok(AhpAnalysis {
        labels: comparisons.labels.clone(),
        weights,
        lambda_max,
        consistency_index: ci,
        random_index: if n < 3 { 0.0 } else { ri },
        random_index_table: random_index,
        consistency_ratio: cr,
        iterations,
        judgements,
    })
}

/// Power iteration from the rows' geometric means: `(w, λ_max, steps)`.
fn principal_eigenvector(c: &PairwiseComparisons) -> Result<(Vec<f64>, f64, usize), AhpError> {
    let n = c.size();
    let multiply = |w: &[f64]| -> Vec<f64> {
        (0..n)
            .map(|i| (0..n).map(|j| c.get(i, j) * w[j]).sum())
            .collect()
    };
    let normalise = |v: Vec<f64>| -> Vec<f64> {
        let total: f64 = v.iter().sum();
        v.into_iter().map(|x| x / total).collect()
    };
    let mut w = normalise(
        (0..n)
            .map(|i| ((0..n).map(|j| c.get(i, j).ln()).sum::<f64>() / n as f64).exp())
            .collect(),
    );
    for step in 1..=POWER_ITERATION_LIMIT {
        let next = normalise(multiply(&w));
        let moved = next
            .iter()
            .zip(&w)
            .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        w = next;
        if moved <= POWER_ITERATION_TOLERANCE {
            let lambda = multiply(&w).iter().sum::<f64>();
            return Ok((w, lambda, step));
        }
    }
    Err(AhpError::NoConvergence {
        iterations: POWER_ITERATION_LIMIT,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(n: usize) -> Vec<String> {
        ["I", "R", "S", "C", "E"][..n]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn a_consistent_matrix_gives_its_ratios() {
        let c = PairwiseComparisons::new(
            labels(3),
            vec![
                vec![1.0, 2.0, 4.0],
                vec![0.5, 1.0, 2.0],
                vec![0.25, 0.5, 1.0],
            ],
        )
        .unwrap();
        let a = ahp(&c).unwrap();
        for (w, e) in a.weights.iter().zip([4.0 / 7.0, 2.0 / 7.0, 1.0 / 7.0]) {
            assert!((w - e).abs() < 1e-12);
        }
        assert!((a.lambda_max - 3.0).abs() < 1e-12);
        assert!(a.consistency_ratio.abs() < 1e-12);
    }

    #[test]
    fn one_and_two_criteria_are_always_consistent() {
        let one = ahp(&PairwiseComparisons::new(labels(1), vec![vec![1.0]]).unwrap()).unwrap();
        assert_eq!(one.weights, vec![1.0]);
        assert_eq!(one.consistency_ratio, 0.0);
        let two = PairwiseComparisons::new(labels(2), vec![vec![1.0, 9.0], vec![1.0 / 9.0, 1.0]]);
        let two = ahp(&two.unwrap()).unwrap();
        assert!((two.weights[0] - 0.9).abs() < 1e-12);
        assert_eq!(two.consistency_ratio, 0.0);
    }

    #[test]
    fn judgements_print_as_ratios() {
        assert_eq!(ratio(7.0), "7");
        assert_eq!(ratio(1.43), "1.4");
        assert_eq!(ratio(1.0 / 2.3), "1/2.3");
        assert_eq!(ratio(1.0 / 3.0), "1/3");
    }
}
