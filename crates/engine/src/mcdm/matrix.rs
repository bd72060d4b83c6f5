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
    /// The method's work grows with the square of the alternatives (it compares every pair),
    /// and this matrix would take more than its limit of pairwise evaluations: refused before
    /// any work is done rather than run for minutes or hours.
    #[error(
        "{method} compares every pair of alternatives on every criterion, so its work grows with \
         the square of the alternatives: {alternatives} alternatives x {criteria} criteria need \
         {evaluations} pairwise evaluations, more than its limit of {limit} (at most \
         {max_alternatives} alternatives with {criteria} criteria); use fewer alternatives, or a \
         method whose work grows linearly with them ({linear})"
    )]
    TooLarge {
        /// The method.
        method: &'static str,
        /// Rows of the matrix.
        alternatives: usize,
        /// Columns of the matrix.
        criteria: usize,
        /// `m (m − 1) n`, the preference evaluations the matrix needs.
        evaluations: u128,
        /// The most evaluations the method runs.
        limit: u64,
        /// The most alternatives admitted with this many criteria.
        max_alternatives: usize,
        /// The methods without the limit, for the message.
        linear: &'static str,
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
        DecisionMatrix::from_rows(alternatives, criteria, types, &rows)
    }

    /// [`DecisionMatrix::new`] from borrowed rows, copied once into the matrix: a caller that
    /// keeps its rows (a request) does not clone them first, a million small allocations at a
    /// million alternatives.
    pub fn from_rows(
        alternatives: Vec<String>,
        criteria: Vec<String>,
        types: Vec<CriterionType>,
        rows: &[Vec<f64>],
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
///
/// Work: one sort and one pass, `O(m log m)` comparisons for `m` values (see
/// [`ranks_by`], whose comparisons a test counts), never a comparison of every pair:
/// `decide` ranks a million alternatives with it.
pub fn ranks_from_preferences(preferences: &[f64], higher_is_better: bool) -> Vec<usize> {
    ranks_by(
        preferences,
        |x, y| {
            if higher_is_better {
                y.total_cmp(x)
            } else {
                x.total_cmp(y)
            }
        },
        |leader, x| {
            // Not `> TIE_TOLERANCE`, NaN included (a NaN difference never starts a group).
            let d = (leader - x).abs();
            d <= crate::ranking::TIE_TOLERANCE || d.is_nan()
        },
    )
}

/// Competition ranks of `items` in the order `order` (best first, equal items by position):
/// the first item of a group gets its position (1-based) and every following item for which
/// `same(first, item)` holds shares it.
///
/// Generic over the comparison so that a test can count the comparisons: `order` is called by
/// one sort (`O(m log m)` times) and `same` once per item.
fn ranks_by<T>(
    items: &[T],
    mut order: impl FnMut(&T, &T) -> std::cmp::Ordering,
    mut same: impl FnMut(&T, &T) -> bool,
) -> Vec<usize> {
    let mut sorted: Vec<usize> = (0..items.len()).collect();
    sorted.sort_by(|&a, &b| order(&items[a], &items[b]).then_with(|| a.cmp(&b)));
    let mut ranks = vec![0; items.len()];
    let mut leader = 0;
    for (pos, &i) in sorted.iter().enumerate() {
        if !same(&items[sorted[leader]], &items[i]) {
            leader = pos;
        }
        ranks[i] = leader + 1;
    }
    ranks
}

/// How many items share each item's rank, for competition ranks of `m` items (each in
/// `1..=m`): 1 for an item alone at its rank. One counting pass, `O(m)`, where counting the
/// equal ranks of every item would compare every pair (what made `decide` quadratic).
///
/// A rank outside `1..=m` (not a competition rank) counts as alone.
pub fn rank_group_sizes(ranks: &[usize]) -> Vec<usize> {
    let mut count = vec![0usize; ranks.len() + 1];
    for &r in ranks {
        if let Some(c) = count.get_mut(r) {
            *c += 1;
        }
    }
    ranks
        .iter()
        .map(|&r| count.get(r).copied().unwrap_or(1).max(1))
        .collect()
}

/// Whether each item shares its rank with another ([`rank_group_sizes`] above 1); `O(m)`.
pub fn tied_ranks(ranks: &[usize]) -> Vec<bool> {
    rank_group_sizes(ranks).into_iter().map(|s| s > 1).collect()
}

/// The items' indices by rank, best first, and by index within a rank: what sorting by
/// `(rank, index)` gives, by a counting sort on the ranks (`O(m)`, stable).
///
/// Ranks outside `1..=m` go last, in index order.
pub fn order_by_rank(ranks: &[usize]) -> Vec<usize> {
    let m = ranks.len();
    // start[r] = the first slot of rank r; rank m + 1 collects the out-of-range ones.
    let mut start = vec![0usize; m + 2];
    let slot = |r: usize| if (1..=m).contains(&r) { r } else { m + 1 };
    for &r in ranks {
        start[slot(r)] += 1;
    }
    let mut total = 0;
    for s in start.iter_mut() {
        let count = *s;
        *s = total;
        total += count;
    }
    let mut order = vec![0; m];
    for (i, &r) in ranks.iter().enumerate() {
        let k = slot(r);
        order[start[k]] = i;
        start[k] += 1;
    }
    order
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

    /// A deterministic stream of values in `[0, 1)` (SplitMix64), for the tests below.
    fn values(m: usize, seed: u64) -> Vec<f64> {
        let mut state = seed;
        (0..m)
            .map(|_| {
                state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                (z ^ (z >> 31)) as f64 / u64::MAX as f64
            })
            .collect()
    }

    /// The ranks of the definition: each value's rank is one more than the number of values
    /// ranked before the first of its group (the quadratic reference, for small inputs).
    fn naive_ranks(p: &[f64], higher_is_better: bool) -> Vec<usize> {
        let mut order: Vec<usize> = (0..p.len()).collect();
        order.sort_by(|&a, &b| {
            let o = if higher_is_better {
                p[b].total_cmp(&p[a])
            } else {
                p[a].total_cmp(&p[b])
            };
            o.then(a.cmp(&b))
        });
        let mut ranks = vec![0; p.len()];
        let mut leader = 0;
        for pos in 0..order.len() {
            if (p[order[leader]] - p[order[pos]]).abs() > 1e-9 {
                leader = pos;
            }
            ranks[order[pos]] = leader + 1;
        }
        ranks
    }

    /// The structural guard against quadratic ranking (defect 13 of issue 13): ranking `m`
    /// values takes at most `m (log2 m + 2)` order comparisons and exactly `m` tie checks, on
    /// random, sorted, reversed and all-equal inputs. Comparing every pair would take
    /// `m (m − 1) / 2` = 8.4 million at `m` = 4096, against a bound of 57,344; counted, not
    /// timed.
    #[test]
    fn ranking_compares_m_log_m_times_not_every_pair() {
        let m: usize = 4096;
        let bound = m * (m.ilog2() as usize + 2);
        let random = values(m, 7);
        let mut sorted = random.clone();
        sorted.sort_by(f64::total_cmp);
        let mut reversed = sorted.clone();
        reversed.reverse();
        // Many ties: 64 distinct values, each 64 times.
        let grouped: Vec<f64> = (0..m).map(|i| (i % 64) as f64).collect();
        for (what, input) in [
            ("random", random),
            ("sorted", sorted),
            ("reversed", reversed),
            ("equal", vec![0.5; m]),
            ("grouped", grouped),
        ] {
            let (mut orders, mut sames) = (0usize, 0usize);
            let ranks = ranks_by(
                &input,
                |a: &f64, b: &f64| {
                    orders += 1;
                    b.total_cmp(a)
                },
                |a: &f64, b: &f64| {
                    sames += 1;
                    (a - b).abs() <= 1e-9
                },
            );
            assert!(orders <= bound, "{what}: {orders} comparisons > {bound}");
            assert_eq!(sames, m, "{what}: one tie check per item");
            assert_eq!(ranks, naive_ranks(&input, true), "{what}");
        }
    }

    /// The linear helpers agree with their quadratic definitions.
    #[test]
    fn group_sizes_ties_and_order_match_their_definitions() {
        for (m, distinct) in [(1, 1), (2, 1), (7, 3), (300, 10), (1000, 1000)] {
            let p: Vec<f64> = values(m, m as u64)
                .iter()
                .map(|x| (x * distinct as f64).floor())
                .collect();
            for higher in [true, false] {
                let ranks = ranks_from_preferences(&p, higher);
                assert_eq!(ranks, naive_ranks(&p, higher));
                let sizes = rank_group_sizes(&ranks);
                let tied = tied_ranks(&ranks);
                for i in 0..m {
                    let same = ranks.iter().filter(|r| **r == ranks[i]).count();
                    assert_eq!(sizes[i], same);
                    assert_eq!(tied[i], same > 1);
                }
                let mut expected: Vec<usize> = (0..m).collect();
                expected.sort_by_key(|&i| (ranks[i], i));
                assert_eq!(order_by_rank(&ranks), expected);
            }
        }
        // Not competition ranks: counted alone, ordered last.
        assert_eq!(rank_group_sizes(&[0, 9, 1]), vec![1, 1, 1]);
        assert_eq!(order_by_rank(&[0, 9, 1]), vec![2, 0, 1]);
        assert!(order_by_rank(&[]).is_empty());
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
