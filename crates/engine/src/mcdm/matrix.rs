//! The decision matrix and the errors of decision methods.

/// Whether more or less of a criterion is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CriterionType {
    /// More is better (pymcdm type `1`).
    Benefit,
    /// Less is better (pymcdm type `-1`).
    Cost,
}

impl CriterionType {
    /// pymcdm's encoding: 1 for benefit, -1 for cost.
    pub fn sign(self) -> f64 {
        match self {
            CriterionType::Benefit => 1.0,
            CriterionType::Cost => -1.0,
        }
    }
}

/// Why a decision problem cannot be solved as given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum McdmError {
    /// The matrix has no alternative or no criterion.
    #[error("the decision matrix is empty: {alternatives} alternatives x {criteria} criteria")]
    Empty {
        /// Rows.
        alternatives: usize,
        /// Columns.
        criteria: usize,
    },
    /// A shape does not match the matrix.
    #[error("{what} has {found} values; expected {expected} (one per {per})")]
    Shape {
        /// What has the wrong length.
        what: &'static str,
        /// Its length.
        found: usize,
        /// The length expected.
        expected: usize,
        /// What each value stands for.
        per: &'static str,
    },
    /// A value is NaN or infinite.
    #[error("{what} [{row}, {column}] = {value} is not a finite number")]
    NotFinite {
        /// Where.
        what: &'static str,
        /// Row (alternative) index.
        row: usize,
        /// Column (criterion) index.
        column: usize,
        /// The value.
        value: f64,
    },
    /// The method cannot work on this input (zero or negative values where it needs positive
    /// ones, a constant column, weights that do not sum to 1, ...).
    #[error("{method}: {message}")]
    Unsupported {
        /// The method.
        method: &'static str,
        /// What is wrong, and what it needs.
        message: String,
    },
}

/// `m` alternatives by `n` criteria, row-major, each criterion a benefit or a cost.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionMatrix {
    alternatives: Vec<String>,
    criteria: Vec<String>,
    types: Vec<CriterionType>,
    values: Vec<f64>,
}

impl DecisionMatrix {
    /// Builds a matrix from rows, checking the shape and that every value is finite.
    pub fn new(
        alternatives: Vec<String>,
        criteria: Vec<String>,
        types: Vec<CriterionType>,
        rows: Vec<Vec<f64>>,
    ) -> Result<DecisionMatrix, McdmError> {
        let (m, n) = (alternatives.len(), criteria.len());
        if m == 0 || n == 0 {
            return Err(McdmError::Empty {
                alternatives: m,
                criteria: n,
            });
        }
        if types.len() != n {
            return Err(McdmError::Shape {
                what: "types",
                found: types.len(),
                expected: n,
                per: "criterion",
            });
        }
        if rows.len() != m {
            return Err(McdmError::Shape {
                what: "the matrix",
                found: rows.len(),
                expected: m,
                per: "alternative (row)",
            });
        }
        let mut values = Vec::with_capacity(m * n);
        for (i, row) in rows.iter().enumerate() {
            if row.len() != n {
                return Err(McdmError::Shape {
                    what: "a row",
                    found: row.len(),
                    expected: n,
                    per: "criterion (column)",
                });
            }
            for (j, v) in row.iter().enumerate() {
                if !v.is_finite() {
                    return Err(McdmError::NotFinite {
                        what: "matrix",
                        row: i,
                        column: j,
                        value: *v,
                    });
                }
                values.push(*v);
            }
        }
        Ok(DecisionMatrix {
            alternatives,
            criteria,
            types,
            values,
        })
    }

    /// Number of alternatives (rows).
    pub fn rows(&self) -> usize {
        self.alternatives.len()
    }

    /// Number of criteria (columns).
    pub fn columns(&self) -> usize {
        self.criteria.len()
    }

    /// The value of alternative `i` on criterion `j`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.values[i * self.columns() + j]
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        let n = self.columns();
        &self.values[i * n..(i + 1) * n]
    }

    /// Column `j`, copied.
    pub fn column(&self, j: usize) -> Vec<f64> {
        (0..self.rows()).map(|i| self.get(i, j)).collect()
    }

    /// Alternative names.
    pub fn alternatives(&self) -> &[String] {
        &self.alternatives
    }

    /// Criterion names.
    pub fn criteria(&self) -> &[String] {
        &self.criteria
    }

    /// Criterion types.
    pub fn types(&self) -> &[CriterionType] {
        &self.types
    }

    /// Row-major values.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
}

/// Competition ranks (1 = best) of preference values: descending when `higher_is_better`,
/// ascending otherwise (VIKOR's Q, for instance). Values within `1e-9` of the first of their
/// group share its rank, as in the rest of the product.
pub fn ranks_from_preferences(preferences: &[f64], higher_is_better: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..preferences.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (preferences[a], preferences[b]);
        let o = if higher_is_better {
            y.total_cmp(&x)
        } else {
            x.total_cmp(&y)
        };
        o.then_with(|| a.cmp(&b))
    });
    let sorted: Vec<f64> = order.iter().map(|&i| preferences[i]).collect();
    let mut ranks = vec![0; preferences.len()];
    let mut leader = 0;
    for (pos, &i) in order.iter().enumerate() {
        if (sorted[leader] - sorted[pos]).abs() > crate::ranking::TIE_TOLERANCE {
            leader = pos;
        }
        ranks[i] = leader + 1;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bad_shapes_and_values() {
        let names = |k: usize| (0..k).map(|i| format!("x{i}")).collect::<Vec<_>>();
        assert!(matches!(
            DecisionMatrix::new(names(0), names(2), vec![CriterionType::Benefit; 2], vec![]),
            Err(McdmError::Empty { .. })
        ));
        assert!(matches!(
            DecisionMatrix::new(
                names(1),
                names(2),
                vec![CriterionType::Benefit; 2],
                vec![vec![1.0, f64::NAN]]
            ),
            Err(McdmError::NotFinite { column: 1, .. })
        ));
        let m = DecisionMatrix::new(
            names(2),
            names(2),
            vec![CriterionType::Benefit, CriterionType::Cost],
            vec![vec![1.0, 2.0], vec![3.0, 4.0]],
        )
        .unwrap();
        assert_eq!(m.column(1), vec![2.0, 4.0]);
        assert_eq!(m.row(1), &[3.0, 4.0]);
    }

    #[test]
    fn ranks_follow_the_direction_and_share_ties() {
        assert_eq!(
            ranks_from_preferences(&[0.2, 0.9, 0.9, 0.1], true),
            vec![3, 1, 1, 4]
        );
        assert_eq!(
            ranks_from_preferences(&[0.2, 0.9, 0.9, 0.1], false),
            vec![2, 3, 3, 1]
        );
    }
}
