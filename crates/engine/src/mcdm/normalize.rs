//! Column normalisations of a decision matrix, with the definitions of pymcdm 1.4
//! (`pymcdm.normalizations`) and its handling of cost criteria.
//!
//! Each normalisation maps one column `x` (one criterion over the `m` alternatives) to a new
//! column, with one formula for a benefit criterion and another for a cost criterion, exactly as
//! pymcdm's `*_normalization(x, cost)` functions do. A normalisation never looks at another
//! column.
//!
//! Where pymcdm raises (`sum`, `logarithmic` and `linear` on values they refuse) this module
//! returns [`McdmError::Unsupported`] for the same input. Where pymcdm defines a value for a
//! degenerate column (min-max of a constant column is all ones) this module returns the same
//! value. Where pymcdm divides by zero and returns `nan` or `inf` with a `RuntimeWarning`
//! (enhanced accuracy of a constant column, max of an all-zero column, ...) this module returns
//! [`McdmError::Unsupported`] naming the criterion and the zero denominator, instead of a
//! non-finite number.
//!
//! Work: one row-major pass gathers every column's minimum, maximum and, where the formula needs
//! one, its compensated sum (`Σx`, `Σ1/x`, `Σx²`, `Σ ln x`); one row-major pass writes. Enhanced
//! accuracy takes one more pass for its sum of distances to the extreme. Besides the output, the
//! only allocation is one small record per column.

use super::matrix::{CriterionType, DecisionMatrix, McdmError};
use std::fmt;

/// A normalisation of pymcdm 1.4, applied column by column according to the criterion type.
///
/// In the formulas `x` is the column, `min`, `max` and `Σ` are taken over the column and `m` is
/// the number of alternatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Normalization {
    /// `minmax_normalization`: benefit `(x − min) / (max − min)`, cost `(max − x) / (max − min)`;
    /// a constant column becomes all ones (pymcdm's rule).
    MinMax,
    /// `max_normalization`: benefit `x / max`, cost `1 − x / max`. Refused when `max = 0`.
    Max,
    /// `sum_normalization`: benefit `x / Σx`, cost `(1/x) / Σ(1/x)`. Every value must be
    /// positive (pymcdm raises otherwise).
    Sum,
    /// `vector_normalization`: benefit `x / √Σx²`, cost `1 − x / √Σx²`. Refused for an all-zero
    /// column.
    Vector,
    /// `logarithmic_normalization`: benefit `ln x / ln Πx`, cost `(1 − ln x / ln Πx) / (m − 1)`.
    /// Every value must be positive (pymcdm raises otherwise); refused when `Πx = 1` and, for a
    /// cost, when `m = 1`. `ln Πx` is computed as `Σ ln x`, which is the same number without
    /// the overflow of the product (pymcdm's `np.prod` overflows to `inf` past about 1e308).
    Logarithmic,
    /// `linear_normalization`: benefit `x / max`, cost `min / x`. No value may be zero (pymcdm
    /// raises otherwise).
    Linear,
    /// `nonlinear_normalization`: benefit `(x / max)²`, cost `(min / x)³`. Refused when it
    /// would divide by zero.
    Nonlinear,
    /// `enhanced_accuracy_normalization`: benefit `1 − (max − x) / Σ(max − x)`, cost
    /// `1 − (x − min) / Σ(x − min)`. Refused for a constant column (pymcdm returns `nan`).
    EnhancedAccuracy,
    /// `zavadskas_turskis_normalization`: benefit `1 − |(max − x) / max|`, cost
    /// `1 − |(min − x) / min|`. Refused when the divisor is zero.
    ZavadskasTurskis,
}

impl Normalization {
    /// Every normalisation of pymcdm 1.4, in the order of its `__all__`.
    pub const ALL: [Normalization; 9] = [
        Normalization::MinMax,
        Normalization::Max,
        Normalization::Sum,
        Normalization::Vector,
        Normalization::Logarithmic,
        Normalization::Linear,
        Normalization::Nonlinear,
        Normalization::EnhancedAccuracy,
        Normalization::ZavadskasTurskis,
    ];

    /// The short name: pymcdm's function name without `_normalization` (`minmax`, `max`, `sum`,
    /// `vector`, `logarithmic`, `linear`, `nonlinear`, `enhanced_accuracy`,
    /// `zavadskas_turskis`), as `--method ...:norm=NAME` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Normalization::MinMax => "minmax",
            Normalization::Max => "max",
            Normalization::Sum => "sum",
            Normalization::Vector => "vector",
            Normalization::Logarithmic => "logarithmic",
            Normalization::Linear => "linear",
            Normalization::Nonlinear => "nonlinear",
            Normalization::EnhancedAccuracy => "enhanced_accuracy",
            Normalization::ZavadskasTurskis => "zavadskas_turskis",
        }
    }

    /// pymcdm's function name (`minmax_normalization`, ...), used as the `method` of errors.
    pub fn pymcdm_name(self) -> &'static str {
        match self {
            Normalization::MinMax => "minmax_normalization",
            Normalization::Max => "max_normalization",
            Normalization::Sum => "sum_normalization",
            Normalization::Vector => "vector_normalization",
            Normalization::Logarithmic => "logarithmic_normalization",
            Normalization::Linear => "linear_normalization",
            Normalization::Nonlinear => "nonlinear_normalization",
            Normalization::EnhancedAccuracy => "enhanced_accuracy_normalization",
            Normalization::ZavadskasTurskis => "zavadskas_turskis_normalization",
        }
    }

    /// Parses a short name or pymcdm's function name, ignoring ASCII case and reading `-` as
    /// `_` (`minmax`, `MinMax`, `vector_normalization`, `enhanced-accuracy`, ...).
    pub fn from_name(name: &str) -> Result<Normalization, McdmError> {
        let key = name.trim().to_ascii_lowercase().replace('-', "_");
        let key = key.strip_suffix("_normalization").unwrap_or(&key);
        Normalization::ALL
            .into_iter()
            .find(|n| n.name() == key || (key == "min_max" && *n == Normalization::MinMax))
            .ok_or_else(|| McdmError::Unsupported {
                method: "normalisation",
                message: format!(
                    "unknown normalisation {name:?}; expected one of {}",
                    Normalization::ALL.map(Normalization::name).join(", ")
                ),
            })
    }

    /// Normalises one column (the values of one criterion over the alternatives) as a benefit or
    /// a cost criterion: pymcdm's `<name>_normalization(x, cost=criterion == Cost)`. The formula
    /// of each normalisation is on its variant.
    pub fn normalize_column(
        self,
        column: &[f64],
        criterion: CriterionType,
    ) -> Result<Vec<f64>, McdmError> {
        let mut out = vec![0.0; column.len()];
        self.kernel(column, &[criterion], &mut out)
            .map_err(|(_, reason)| self.error(reason))?;
        Ok(out)
    }

    /// Normalises every column of `matrix` by its criterion type, as pymcdm's
    /// `helpers.normalize_matrix(matrix, <name>_normalization, types)`. Returns the values
    /// row-major, `m × n` like the matrix.
    pub fn normalize(self, matrix: &DecisionMatrix) -> Result<Vec<f64>, McdmError> {
        let mut out = vec![0.0; matrix.values().len()];
        self.normalize_into(matrix, &mut out)?;
        Ok(out)
    }

    /// [`Normalization::normalize`] into a row-major buffer of `m · n` values.
    ///
    /// # Panics
    ///
    /// If `out` does not hold exactly `m · n` values.
    pub fn normalize_into(self, matrix: &DecisionMatrix, out: &mut [f64]) -> Result<(), McdmError> {
        assert_eq!(out.len(), matrix.values().len(), "output buffer shape");
        self.kernel(matrix.values(), matrix.types(), out)
            .map_err(|(j, reason)| {
                self.error(format!(
                    "criterion {j} ({:?}): {reason}",
                    matrix.criteria()[j]
                ))
            })
    }

    fn error(self, message: String) -> McdmError {
        McdmError::Unsupported {
            method: self.pymcdm_name(),
            message,
        }
    }

    /// The kernel, on row-major `values` with one column per entry of `types`: a row-major pass
    /// gathers each column's extremes (and the sum its formula needs, if any; enhanced accuracy
    /// takes a second pass for its sum of distances to the extreme), the columns are checked,
    /// and a row-major pass writes. The error is the column and the reason.
    fn kernel(
        self,
        values: &[f64],
        types: &[CriterionType],
        out: &mut [f64],
    ) -> Result<(), (usize, String)> {
        let n = types.len();
        let m = values.len() / n.max(1);
        if m == 0 {
            return Err((0, "the column is empty".to_string()));
        }
        let mut cols: Vec<Column> = types.iter().map(|&t| Column::new(t)).collect();
        match self {
            Normalization::Sum => {
                gather(values, &mut cols, |c, x| if c.cost { 1.0 / x } else { x })
            }
            Normalization::Vector => gather(values, &mut cols, |_, x| x * x),
            Normalization::Logarithmic => gather(values, &mut cols, |_, x| x.ln()),
            Normalization::EnhancedAccuracy => {
                gather(values, &mut cols, |_, _| 0.0);
                for c in cols.iter_mut() {
                    c.sum = Sum::default();
                }
                add_rows(values, &mut cols, |c, x| {
                    if c.cost {
                        x - c.min
                    } else {
                        c.max - x
                    }
                });
            }
            _ => extremes(values, &mut cols),
        }
        for (j, c) in cols.iter_mut().enumerate() {
            c.check(self, m).map_err(|reason| (j, reason))?;
        }
        match self {
            Normalization::MinMax => write(values, &cols, out, |c, x| {
                if c.min == c.max {
                    1.0
                } else if c.cost {
                    (c.max - x) / (c.max - c.min)
                } else {
                    (x - c.min) / (c.max - c.min)
                }
            }),
            Normalization::Max => write(values, &cols, out, |c, x| {
                if c.cost {
                    1.0 - x / c.max
                } else {
                    x / c.max
                }
            }),
            Normalization::Sum => write(values, &cols, out, |c, x| {
                if c.cost {
                    (1.0 / x) / c.total
                } else {
                    x / c.total
                }
            }),
            Normalization::Vector => write(values, &cols, out, |c, x| {
                if c.cost {
                    1.0 - x / c.total
                } else {
                    x / c.total
                }
            }),
            Normalization::Logarithmic => {
                let denominator = (m - 1) as f64;
                write(values, &cols, out, |c, x| {
                    if c.cost {
                        (1.0 - x.ln() / c.total) / denominator
                    } else {
                        x.ln() / c.total
                    }
                })
            }
            Normalization::Linear => write(values, &cols, out, |c, x| {
                if c.cost {
                    c.min / x
                } else {
                    x / c.max
                }
            }),
            Normalization::Nonlinear => write(values, &cols, out, |c, x| {
                if c.cost {
                    (c.min / x).powi(3)
                } else {
                    let r = x / c.max;
                    r * r
                }
            }),
            Normalization::EnhancedAccuracy => write(values, &cols, out, |c, x| {
                if c.cost {
                    1.0 - (x - c.min) / c.total
                } else {
                    1.0 - (c.max - x) / c.total
                }
            }),
            Normalization::ZavadskasTurskis => write(values, &cols, out, |c, x| {
                if c.cost {
                    1.0 - ((c.min - x) / c.min).abs()
                } else {
                    1.0 - ((c.max - x) / c.max).abs()
                }
            }),
        }
    }
}

/// What the kernel knows of one column.
#[derive(Debug, Clone, Copy)]
struct Column {
    cost: bool,
    min: f64,
    max: f64,
    /// A value is exactly 0.
    zero: bool,
    /// The compensated sum the formula needs (`Σx`, `Σ1/x`, `Σx²`, `Σ ln x`, `Σ|x − extreme|`).
    sum: Sum,
    /// The denominator the formula divides by, set by [`Column::check`].
    total: f64,
}

impl Column {
    fn new(criterion: CriterionType) -> Column {
        Column {
            cost: criterion == CriterionType::Cost,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            zero: false,
            sum: Sum::default(),
            total: f64::NAN,
        }
    }

    /// Refuses the column where pymcdm raises or divides by zero; sets `total`.
    fn check(&mut self, norm: Normalization, m: usize) -> Result<(), String> {
        let (cost, min, max) = (self.cost, self.min, self.max);
        let positive = |name: &str| {
            if min <= 0.0 {
                Err(format!("{name} requires all positive values (found {min})"))
            } else {
                Ok(())
            }
        };
        match norm {
            Normalization::MinMax => {}
            Normalization::Max => {
                if max == 0.0 {
                    return Err("the largest value is 0 (x / max divides by zero)".to_string());
                }
            }
            Normalization::Sum => {
                positive("sum_normalization")?;
                self.total = self.sum.value();
            }
            Normalization::Vector => {
                self.total = self.sum.value().sqrt();
                if self.total == 0.0 {
                    return Err("every value is 0 (x / √Σx² divides by zero)".to_string());
                }
            }
            Normalization::Logarithmic => {
                positive("logarithmic_normalization")?;
                self.total = self.sum.value();
                if self.total == 0.0 {
                    return Err(
                        "the product of the column is 1, so ln Πx = 0 (division by zero)"
                            .to_string(),
                    );
                }
                if cost && m == 1 {
                    return Err(
                        "a single alternative: the cost formula divides by m − 1 = 0".to_string(),
                    );
                }
            }
            Normalization::Linear => {
                if self.zero {
                    return Err("linear_normalization cannot handle zero values".to_string());
                }
            }
            Normalization::Nonlinear => {
                if cost && self.zero {
                    return Err("a value is 0 ((min / x)³ divides by zero)".to_string());
                }
                if !cost && max == 0.0 {
                    return Err("the largest value is 0 ((x / max)² divides by zero)".to_string());
                }
            }
            Normalization::EnhancedAccuracy => {
                self.total = self.sum.value();
                if self.total == 0.0 {
                    let denominator = if cost {
                        "Σ(x − min)"
                    } else {
                        "Σ(max − x)"
                    };
                    return Err(format!(
                        "the column is constant, so {denominator} = 0 (pymcdm returns nan)"
                    ));
                }
            }
            Normalization::ZavadskasTurskis => {
                if cost && min == 0.0 {
                    return Err(
                        "the smallest value is 0 (|(min − x) / min| divides by zero)".to_string(),
                    );
                }
                if !cost && max == 0.0 {
                    return Err(
                        "the largest value is 0 (|(max − x) / max| divides by zero)".to_string()
                    );
                }
            }
        }
        Ok(())
    }
}

/// One row-major pass: each column's minimum, maximum and whether it holds a 0.
fn extremes(values: &[f64], cols: &mut [Column]) {
    for row in values.chunks_exact(cols.len()) {
        for (c, &x) in cols.iter_mut().zip(row) {
            c.min = c.min.min(x);
            c.max = c.max.max(x);
            c.zero |= x == 0.0;
        }
    }
}

/// One row-major pass: [`extremes`] and the compensated sum of `f(column, x)`.
fn gather(values: &[f64], cols: &mut [Column], f: impl Fn(&Column, f64) -> f64) {
    for row in values.chunks_exact(cols.len()) {
        for (c, &x) in cols.iter_mut().zip(row) {
            c.min = c.min.min(x);
            c.max = c.max.max(x);
            c.zero |= x == 0.0;
            let y = f(c, x);
            c.sum.add(y);
        }
    }
}

/// One row-major pass adding `f(column, x)` to each column's sum.
fn add_rows(values: &[f64], cols: &mut [Column], f: impl Fn(&Column, f64) -> f64) {
    for row in values.chunks_exact(cols.len()) {
        for (c, &x) in cols.iter_mut().zip(row) {
            let y = f(c, x);
            c.sum.add(y);
        }
    }
}

/// One row-major pass writing `f(column, x)`; refuses a non-finite result (overflow, or a
/// division the checks do not foresee), naming the first column that has one.
fn write(
    values: &[f64],
    cols: &[Column],
    out: &mut [f64],
    f: impl Fn(&Column, f64) -> f64,
) -> Result<(), (usize, String)> {
    let n = cols.len();
    let mut finite = true;
    for (row, target) in values.chunks_exact(n).zip(out.chunks_exact_mut(n)) {
        for ((c, &x), o) in cols.iter().zip(row).zip(target.iter_mut()) {
            let y = f(c, x);
            finite &= y.is_finite();
            *o = y;
        }
    }
    if finite {
        return Ok(());
    }
    let k = (0..n)
        .flat_map(|j| (0..values.len() / n).map(move |i| i * n + j))
        .find(|&k| !out[k].is_finite())
        .unwrap_or(0);
    Err((
        k % n,
        format!(
            "the value {} normalises to {}, which is not a finite number",
            values[k], out[k]
        ),
    ))
}

impl fmt::Display for Normalization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Normalization {
    type Err = McdmError;

    fn from_str(s: &str) -> Result<Normalization, McdmError> {
        Normalization::from_name(s)
    }
}

/// Smallest and largest value of a non-empty column.
pub(crate) fn min_max(x: impl Iterator<Item = f64>) -> (f64, f64) {
    x.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

/// Neumaier's compensated sum (as `crate::scoring`'s), so sums agree with numpy's pairwise sums
/// to the last bit or two whatever the column length.
pub(crate) fn sum(values: impl Iterator<Item = f64>) -> f64 {
    let mut acc = Sum::default();
    for v in values {
        acc.add(v);
    }
    acc.value()
}

/// An accumulator for Neumaier's compensated sum.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sum {
    sum: f64,
    carry: f64,
}

impl Sum {
    /// Adds `x`, carrying the rounding error.
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.sum + x;
        self.carry += if self.sum.abs() >= x.abs() {
            (self.sum - t) + x
        } else {
            (x - t) + self.sum
        };
        self.sum = t;
    }

    /// The sum so far.
    pub(crate) fn value(self) -> f64 {
        self.sum + self.carry
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CriterionType::{Benefit, Cost};

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn formulas_on_a_small_column() {
        let x = [1.0, 2.0, 4.0];
        let n = |k: Normalization, t| k.normalize_column(&x, t).unwrap();
        assert!(close(
            &n(Normalization::MinMax, Benefit),
            &[0.0, 1.0 / 3.0, 1.0]
        ));
        assert!(close(
            &n(Normalization::MinMax, Cost),
            &[1.0, 2.0 / 3.0, 0.0]
        ));
        assert!(close(&n(Normalization::Max, Cost), &[0.75, 0.5, 0.0]));
        assert!(close(
            &n(Normalization::Sum, Benefit),
            &[1.0 / 7.0, 2.0 / 7.0, 4.0 / 7.0]
        ));
        assert!(close(
            &n(Normalization::Sum, Cost),
            &[4.0 / 7.0, 2.0 / 7.0, 1.0 / 7.0]
        ));
        assert!(close(&n(Normalization::Linear, Cost), &[1.0, 0.5, 0.25]));
        assert!(close(
            &n(Normalization::Nonlinear, Benefit),
            &[1.0 / 16.0, 0.25, 1.0]
        ));
        assert!(close(
            &n(Normalization::Nonlinear, Cost),
            &[1.0, 0.125, 1.0 / 64.0]
        ));
        assert!(close(
            &n(Normalization::EnhancedAccuracy, Benefit),
            &[0.4, 0.6, 1.0]
        ));
        assert!(close(
            &n(Normalization::ZavadskasTurskis, Cost),
            &[1.0, 0.0, -2.0]
        ));
        let v = n(Normalization::Vector, Benefit);
        assert!(close(
            &v,
            &[1.0 / 21f64.sqrt(), 2.0 / 21f64.sqrt(), 4.0 / 21f64.sqrt()]
        ));
        let l = n(Normalization::Logarithmic, Benefit);
        assert!(close(&l, &[0.0, 1.0 / 3.0, 2.0 / 3.0]));
    }

    #[test]
    fn degenerate_columns_follow_pymcdm() {
        let constant = [3.0, 3.0, 3.0];
        for t in [Benefit, Cost] {
            assert_eq!(
                Normalization::MinMax
                    .normalize_column(&constant, t)
                    .unwrap(),
                vec![1.0; 3]
            );
            assert!(Normalization::EnhancedAccuracy
                .normalize_column(&constant, t)
                .is_err());
        }
        assert!(Normalization::Sum
            .normalize_column(&[1.0, 0.0], Benefit)
            .is_err());
        assert!(Normalization::Logarithmic
            .normalize_column(&[1.0, -2.0], Cost)
            .is_err());
        assert!(Normalization::Logarithmic
            .normalize_column(&[2.0, 0.5], Cost)
            .is_err());
        assert!(Normalization::Linear
            .normalize_column(&[1.0, 0.0], Cost)
            .is_err());
        assert!(Normalization::Vector
            .normalize_column(&[0.0, 0.0], Cost)
            .is_err());
        assert!(Normalization::Max
            .normalize_column(&[0.0, -1.0], Benefit)
            .is_err());
    }

    #[test]
    fn names_round_trip() {
        for k in Normalization::ALL {
            assert_eq!(Normalization::from_name(k.name()).unwrap(), k);
            assert_eq!(Normalization::from_name(k.pymcdm_name()).unwrap(), k);
            assert_eq!(k.to_string().parse::<Normalization>().unwrap(), k);
        }
        assert_eq!(
            Normalization::from_name("Enhanced-Accuracy").unwrap(),
            Normalization::EnhancedAccuracy
        );
        assert!(Normalization::from_name("zscore").is_err());
    }
}
