//! PROMETHEE II, net outranking flows (pymcdm 1.4 `PROMETHEE_II`), with pymcdm's five preference
//! functions and the Gaussian one of Brans and Vincke, which pymcdm does not have.

use super::{check_weights, finite};
use crate::mcdm::matrix::{CriterionType, DecisionMatrix, McdmError};
use std::fmt;

/// A preference threshold: one value for every criterion, or one per criterion. Thresholds are
/// in the units of the criteria (they are compared with raw differences `d`, as in pymcdm, where
/// `p` and `q` are lists with one value per criterion).
#[derive(Debug, Clone, PartialEq)]
pub enum Threshold {
    /// The same value for every criterion.
    Same(f64),
    /// One value per criterion, in column order.
    PerCriterion(Vec<f64>),
}

impl Threshold {
    fn resolve(&self, name: &str, criteria: usize) -> Result<Vec<f64>, McdmError> {
        let values = match self {
            Threshold::Same(x) => vec![*x; criteria],
            Threshold::PerCriterion(v) if v.len() == criteria => v.clone(),
            Threshold::PerCriterion(v) => {
                return Err(McdmError::Shape {
                    what: match name {
                        "p" => "the p thresholds",
                        "q" => "the q thresholds",
                        _ => "the s thresholds",
                    },
                    found: v.len(),
                    expected: criteria,
                    per: "criterion",
                })
            }
        };
        for (j, &x) in values.iter().enumerate() {
            if !x.is_finite() || x < 0.0 {
                return Err(McdmError::Unsupported {
                    method: "PROMETHEE II",
                    message: format!(
                        "{name} for criterion {j} is {x}; thresholds must be finite and \
                         non-negative"
                    ),
                });
            }
        }
        Ok(values)
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Threshold::Same(x) => write!(f, "{x}"),
            Threshold::PerCriterion(v) => {
                for (k, x) in v.iter().enumerate() {
                    if k > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{x}")?;
                }
                Ok(())
            }
        }
    }
}

/// The preference `P(d)` of one alternative over another on a criterion, from the difference
/// `d` of their values (oriented: `a − b` for a benefit, `b − a` for a cost). pymcdm's names;
/// the textbook type (Brans and Vincke, 1985) in brackets.
#[derive(Debug, Clone, PartialEq)]
pub enum PreferenceFunction {
    /// `usual` (type I): `P = 1` if `d > 0`, else 0.
    Usual,
    /// `ushape` (type II, quasi-criterion): `P = 1` if `d > q`, else 0.
    UShape {
        /// Indifference threshold `q`.
        q: Threshold,
    },
    /// `vshape` (type III, linear preference without indifference): `P = d / p` if
    /// `0 < d ≤ p`, 1 if `d > p`, else 0.
    VShape {
        /// Preference threshold `p`.
        p: Threshold,
    },
    /// `level` (type IV): `P = 1/2` if `q < d ≤ p`, 1 if `d > p`, else 0.
    Level {
        /// Indifference threshold `q` (at most `p`).
        q: Threshold,
        /// Preference threshold `p`.
        p: Threshold,
    },
    /// `vshape_2` (type V, "linear", V-shape with indifference): `P = (d − q) / (p − q)` if
    /// `q < d ≤ p`, 1 if `d > p`, else 0.
    VShape2 {
        /// Indifference threshold `q` (at most `p`).
        q: Threshold,
        /// Preference threshold `p`.
        p: Threshold,
    },
    /// `gaussian` (type VI; **not in pymcdm**): `P = 1 − exp(−d² / (2 s²))` if `d > 0`, else 0.
    Gaussian {
        /// The inflection point `s` (positive).
        s: Threshold,
    },
}

impl PreferenceFunction {
    /// The names: pymcdm's five and `gaussian`.
    pub const NAMES: [&'static str; 6] =
        ["usual", "ushape", "vshape", "level", "vshape_2", "gaussian"];

    /// The name (pymcdm's `preference_function` argument, or `gaussian`).
    pub fn name(&self) -> &'static str {
        match self {
            PreferenceFunction::Usual => "usual",
            PreferenceFunction::UShape { .. } => "ushape",
            PreferenceFunction::VShape { .. } => "vshape",
            PreferenceFunction::Level { .. } => "level",
            PreferenceFunction::VShape2 { .. } => "vshape_2",
            PreferenceFunction::Gaussian { .. } => "gaussian",
        }
    }

    /// Builds a preference function from its name (`linear` is read as `vshape_2`, `-` as `_`,
    /// case ignored) and the thresholds given; a threshold it needs must be given, one it does
    /// not use must not be.
    pub fn from_parts(
        name: &str,
        q: Option<Threshold>,
        p: Option<Threshold>,
        s: Option<Threshold>,
    ) -> Result<PreferenceFunction, McdmError> {
        let key = name.trim().to_ascii_lowercase().replace('-', "_");
        let needs: (bool, bool, bool) = match key.as_str() {
            "usual" => (false, false, false),
            "ushape" | "u_shape" => (true, false, false),
            "vshape" | "v_shape" => (false, true, false),
            "level" => (true, true, false),
            "vshape_2" | "vshape2" | "linear" => (true, true, false),
            "gaussian" => (false, false, true),
            _ => {
                return Err(promethee_error(format!(
                    "unknown preference function {name:?}; expected one of {} (or linear = \
                     vshape_2)",
                    PreferenceFunction::NAMES.join(", ")
                )))
            }
        };
        let take = |what: &str, needed: bool, given: Option<Threshold>| match (needed, given) {
            (true, Some(t)) => Ok(Some(t)),
            (true, None) => Err(promethee_error(format!(
                "the {key} preference function needs {what}"
            ))),
            (false, None) => Ok(None),
            (false, Some(_)) => Err(promethee_error(format!(
                "the {key} preference function does not take {what}"
            ))),
        };
        let q = take("q", needs.0, q)?;
        let p = take("p", needs.1, p)?;
        let s = take("s", needs.2, s)?;
        let function = match key.as_str() {
            "usual" => PreferenceFunction::Usual,
            "ushape" | "u_shape" => PreferenceFunction::UShape { q: q.unwrap() },
            "vshape" | "v_shape" => PreferenceFunction::VShape { p: p.unwrap() },
            "level" => PreferenceFunction::Level {
                q: q.unwrap(),
                p: p.unwrap(),
            },
            "gaussian" => PreferenceFunction::Gaussian { s: s.unwrap() },
            _ => PreferenceFunction::VShape2 {
                q: q.unwrap(),
                p: p.unwrap(),
            },
        };
        function.check_same()?;
        Ok(function)
    }

    /// Checks what can be checked without the matrix: non-negative thresholds, `q ≤ p`, `s > 0`
    /// when they are single values (per-criterion lists are checked against the matrix).
    fn check_same(&self) -> Result<(), McdmError> {
        let same = |t: &Threshold| match t {
            Threshold::Same(x) => Some(*x),
            Threshold::PerCriterion(_) => None,
        };
        let mut thresholds: Vec<(&str, &Threshold)> = Vec::new();
        match self {
            PreferenceFunction::Usual => {}
            PreferenceFunction::UShape { q } => thresholds.push(("q", q)),
            PreferenceFunction::VShape { p } => thresholds.push(("p", p)),
            PreferenceFunction::Level { q, p } | PreferenceFunction::VShape2 { q, p } => {
                thresholds.push(("q", q));
                thresholds.push(("p", p));
            }
            PreferenceFunction::Gaussian { s } => thresholds.push(("s", s)),
        }
        for (name, t) in thresholds {
            if let Threshold::PerCriterion(v) = t {
                t.resolve(name, v.len())?;
            } else {
                t.resolve(name, 1)?;
            }
        }
        if let PreferenceFunction::Level { q, p } | PreferenceFunction::VShape2 { q, p } = self {
            if let (Some(q), Some(p)) = (same(q), same(p)) {
                check_q_le_p(0, q, p)?;
            }
        }
        if let PreferenceFunction::Gaussian {
            s: Threshold::Same(s),
        } = self
        {
            check_s(0, *s)?;
        }
        Ok(())
    }

    /// Per-criterion `(q, p)` (gaussian: `(0, s)`), checked against `criteria` columns.
    fn thresholds(&self, criteria: usize) -> Result<(Vec<f64>, Vec<f64>), McdmError> {
        let zeros = || vec![0.0; criteria];
        let (q, p) = match self {
            PreferenceFunction::Usual => (zeros(), zeros()),
            PreferenceFunction::UShape { q } => (q.resolve("q", criteria)?, zeros()),
            PreferenceFunction::VShape { p } => (zeros(), p.resolve("p", criteria)?),
            PreferenceFunction::Level { q, p } | PreferenceFunction::VShape2 { q, p } => {
                let (q, p) = (q.resolve("q", criteria)?, p.resolve("p", criteria)?);
                for j in 0..criteria {
                    check_q_le_p(j, q[j], p[j])?;
                }
                (q, p)
            }
            PreferenceFunction::Gaussian { s } => {
                let s = s.resolve("s", criteria)?;
                for (j, &x) in s.iter().enumerate() {
                    check_s(j, x)?;
                }
                (zeros(), s)
            }
        };
        Ok((q, p))
    }

    /// `P(d)` with the thresholds of one criterion (`p` holds `s` for the Gaussian).
    #[inline]
    fn value(&self, d: f64, q: f64, p: f64) -> f64 {
        let step = |x: bool| if x { 1.0 } else { 0.0 };
        match self {
            PreferenceFunction::Usual => step(d > 0.0),
            PreferenceFunction::UShape { .. } => step(d > q),
            PreferenceFunction::VShape { .. } => {
                if 0.0 < d && d <= p {
                    d / p
                } else {
                    step(d > p)
                }
            }
            PreferenceFunction::Level { .. } => {
                if q < d && d <= p {
                    0.5
                } else {
                    step(d > p)
                }
            }
            PreferenceFunction::VShape2 { .. } => {
                if q < d && d <= p {
                    (d - q) / (p - q)
                } else {
                    step(d > p)
                }
            }
            PreferenceFunction::Gaussian { .. } => {
                if d > 0.0 {
                    1.0 - (-(d * d) / (2.0 * p * p)).exp()
                } else {
                    0.0
                }
            }
        }
    }
}

impl fmt::Display for PreferenceFunction {
    /// The function and its thresholds in the `--method` syntax (`vshape_2:q=0.1:p=0.5`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        match self {
            PreferenceFunction::Usual => Ok(()),
            PreferenceFunction::UShape { q } => write!(f, ":q={q}"),
            PreferenceFunction::VShape { p } => write!(f, ":p={p}"),
            PreferenceFunction::Level { q, p } | PreferenceFunction::VShape2 { q, p } => {
                write!(f, ":q={q}:p={p}")
            }
            PreferenceFunction::Gaussian { s } => write!(f, ":s={s}"),
        }
    }
}

fn promethee_error(message: String) -> McdmError {
    McdmError::Unsupported {
        method: "PROMETHEE II",
        message,
    }
}

fn check_q_le_p(j: usize, q: f64, p: f64) -> Result<(), McdmError> {
    if q <= p {
        Ok(())
    } else {
        Err(promethee_error(format!(
            "criterion {j}: the indifference threshold q = {q} exceeds the preference threshold \
             p = {p}"
        )))
    }
}

fn check_s(j: usize, s: f64) -> Result<(), McdmError> {
    if s > 0.0 {
        Ok(())
    } else {
        Err(promethee_error(format!(
            "criterion {j}: the Gaussian parameter s must be positive (it is {s})"
        )))
    }
}

/// The preference evaluations PROMETHEE II needs for `m` alternatives and `n` criteria,
/// `m (m − 1) n` (every ordered pair on every criterion), in 128 bits: exact for any size a
/// matrix can have in memory, saturating beyond.
fn evaluations(m: usize, n: usize) -> u128 {
    let m = m as u128;
    (m * m.saturating_sub(1)).saturating_mul(n as u128)
}

/// Refuses `m` alternatives by `n` criteria when they need more than `limit` evaluations, naming
/// the method, the size, the limit and the most alternatives admitted with `n` criteria.
pub(super) fn check_size(m: usize, n: usize, limit: u64) -> Result<(), McdmError> {
    let needed = evaluations(m, n);
    if needed <= u128::from(limit) {
        return Ok(());
    }
    // The largest k with k (k − 1) n <= limit: start from √(limit / n) and step to it.
    let per_pair = u128::from(limit) / n.max(1) as u128;
    let mut k = (per_pair as f64).sqrt() as u128 + 1;
    while k > 1 && k * (k - 1) > per_pair {
        k -= 1;
    }
    while (k + 1) * k <= per_pair {
        k += 1;
    }
    Err(McdmError::TooLarge {
        method: "PROMETHEE II",
        alternatives: m,
        criteria: n,
        evaluations: needed,
        limit,
        max_alternatives: usize::try_from(k).unwrap_or(usize::MAX),
        linear: "wsm, wpm, topsis, vikor, waspas, copras, edas",
    })
}

/// PROMETHEE II: with `d_j(a, b) = x_aj − x_bj` for a benefit (`x_bj − x_aj` for a cost) and
/// `π(a, b) = Σ_j w_j P_j(d_j(a, b))`, the positive flow is `φ⁺(a) = Σ_b π(a, b) / (m − 1)`, the
/// negative flow `φ⁻(a) = Σ_b π(b, a) / (m − 1)` and the preference the net flow
/// `φ(a) = φ⁺(a) − φ⁻(a)`, in `[−1, 1]`. Higher is better.
///
/// pymcdm default: none; `PROMETHEE_II(preference_function, p=None, q=None)` needs the function
/// named. Here the default is `usual`, the one function without thresholds.
///
/// Thresholds are in raw criterion units: pymcdm compares them with differences of the raw
/// matrix, without normalising. Thresholds that pymcdm accepts but that mean nothing
/// (negative, `q > p`, `s ≤ 0`) are refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Promethee2 {
    /// The preference function, the same for every criterion.
    pub function: PreferenceFunction,
}

impl Default for Promethee2 {
    fn default() -> Promethee2 {
        Promethee2 {
            function: PreferenceFunction::Usual,
        }
    }
}

impl Promethee2 {
    /// The net flow `φ(a) = φ⁺(a) − φ⁻(a)` of each alternative `a`.
    ///
    /// Work: `m (m − 1) n` preference evaluations accumulated into the two flows directly (no
    /// `m × m` table): quadratic in the alternatives by nature, so refused above
    /// [`super::PROMETHEE_MAX_EVALUATIONS`] ([`McdmError::TooLarge`]).
    pub fn preferences(
        &self,
        matrix: &DecisionMatrix,
        weights: &[f64],
    ) -> Result<Vec<f64>, McdmError> {
        check_weights("PROMETHEE II", weights, matrix.columns())?;
        let (m, n) = (matrix.rows(), matrix.columns());
        check_size(m, n, super::PROMETHEE_MAX_EVALUATIONS)?;
        if m < 2 {
            return Err(promethee_error(
                "a single alternative: the flows divide by m − 1 = 0".to_string(),
            ));
        }
        let (q, p) = self.function.thresholds(n)?;
        let mut plus = vec![0.0; m];
        let mut minus = vec![0.0; m];
        for (a, plus_a) in plus.iter_mut().enumerate() {
            let row_a = matrix.row(a);
            for (b, minus_b) in minus.iter_mut().enumerate() {
                if a == b {
                    continue;
                }
                let row_b = matrix.row(b);
                let mut pi = 0.0;
                for j in 0..n {
                    let d = match matrix.types()[j] {
                        CriterionType::Benefit => row_a[j] - row_b[j],
                        CriterionType::Cost => row_b[j] - row_a[j],
                    };
                    pi += weights[j] * self.function.value(d, q[j], p[j]);
                }
                *plus_a += pi;
                *minus_b += pi;
            }
        }
        let denominator = (m - 1) as f64;
        let preferences = plus
            .iter()
            .zip(&minus)
            .map(|(fp, fm)| fp / denominator - fm / denominator)
            .collect();
        finite("PROMETHEE II", matrix, preferences)
    }
}
