//! Ranking methods on a [`DecisionMatrix`] and a weight vector, with the definitions and defaults
//! of pymcdm 1.4 (`pymcdm.methods`): WSM, WPM, TOPSIS, VIKOR, PROMETHEE II, WASPAS, COPRAS and
//! EDAS, one file each, and [`Method`], which names them all.
//!
//! Every method checks its weights with [`check_weights`] first: one per criterion, finite,
//! non-negative and summing to 1 within [`WEIGHT_SUM_TOLERANCE`]. pymcdm only warns when the sum
//! is off by 0.01 or more (or a weight is not positive) and computes anyway; here weights are
//! never rescaled silently, because WSM, WPM, WASPAS and PROMETHEE II scale with their sum. A
//! caller with raw importances divides them by their sum first. Zero weights are accepted (pymcdm
//! warns and computes; every formula here is defined for them).
//!
//! A method refuses ([`McdmError::Unsupported`]) where pymcdm raises, and also where pymcdm
//! returns `nan` or `inf` after a division by zero (a constant column in VIKOR's `S` or `R`,
//! identical alternatives in TOPSIS, ...): no method returns a non-finite preference.

mod copras;
mod edas;
mod promethee;
mod topsis;
mod vikor;
mod waspas;
mod wpm;
mod wsm;

pub use copras::Copras;
pub use edas::Edas;
pub use promethee::{PreferenceFunction, Promethee2, Threshold};
pub use topsis::Topsis;
pub use vikor::Vikor;
pub use waspas::Waspas;
pub use wpm::Wpm;
pub use wsm::Wsm;

use super::matrix::{ranks_from_preferences, DecisionMatrix, McdmError};
use super::normalize::Normalization;
use std::fmt;

/// The most preference evaluations PROMETHEE II runs: `m (m − 1) n` for `m` alternatives and
/// `n` criteria (every ordered pair of alternatives on every criterion). Every other method's
/// work grows linearly with the alternatives; PROMETHEE II's grows with their square, so a matrix
/// `decide` ranks in a second with TOPSIS (a million alternatives) would take PROMETHEE II hours.
/// A larger matrix is refused ([`McdmError::TooLarge`]) before any work, naming the size and the
/// limit.
///
/// 400 million evaluations take about a second on one core of the benchmark machine (see
/// BENCHMARKS.md, "Decision methods") with the `usual` function, and a few seconds with the
/// slowest (`gaussian`, one `exp` each): about 6,300 alternatives with 10 criteria, 2,000 with
/// 100.
pub const PROMETHEE_MAX_EVALUATIONS: u64 = 400_000_000;

/// How far the weights may sum from 1.
pub const WEIGHT_SUM_TOLERANCE: f64 = 1e-9;

/// Checks a weight vector for a matrix of `criteria` columns: one weight per criterion, each
/// finite and non-negative, summing to 1 within [`WEIGHT_SUM_TOLERANCE`] (compensated sum).
pub fn check_weights(
    method: &'static str,
    weights: &[f64],
    criteria: usize,
) -> Result<(), McdmError> {
    if weights.len() != criteria {
        return Err(McdmError::Shape {
            what: "the weights",
            found: weights.len(),
            expected: criteria,
            per: "criterion",
        });
    }
    for (j, &w) in weights.iter().enumerate() {
        if !w.is_finite() {
            return Err(McdmError::NotFinite {
                what: "weights",
                row: 0,
                column: j,
                value: w,
            });
        }
        if w < 0.0 {
            return Err(McdmError::Unsupported {
                method,
                message: format!("weight {j} is negative ({w}); weights must be non-negative"),
            });
        }
    }
    let total = super::normalize::sum(weights.iter().copied());
    if (total - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
        return Err(McdmError::Unsupported {
            method,
            message: format!(
                "the weights sum to {total}, not 1 (within {WEIGHT_SUM_TOLERANCE}); divide them \
                 by their sum first"
            ),
        });
    }
    Ok(())
}

/// Checks that a parameter lies in `[0, 1]`, as pymcdm's `param_validator` does.
pub(crate) fn check_unit_parameter(
    method: &'static str,
    name: &str,
    value: f64,
) -> Result<(), McdmError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(McdmError::Unsupported {
            method,
            message: format!("{name} should be in range [0, 1], but its value is {value}"),
        })
    }
}

/// Refuses a non-finite preference (the last safety net after the explicit checks).
pub(crate) fn finite(
    method: &'static str,
    matrix: &DecisionMatrix,
    preferences: Vec<f64>,
) -> Result<Vec<f64>, McdmError> {
    match preferences.iter().position(|p| !p.is_finite()) {
        None => Ok(preferences),
        Some(i) => Err(McdmError::Unsupported {
            method,
            message: format!(
                "the preference of alternative {i} ({:?}) is {}, not a finite number \
                 (pymcdm returns nan or inf here)",
                matrix.alternatives()[i],
                preferences[i]
            ),
        }),
    }
}

/// A ranking method with its parameters. [`Method::from_name`] parses the `--method` syntax;
/// [`fmt::Display`] writes it back with every parameter explicit.
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    /// Weighted sum model.
    Wsm(Wsm),
    /// Weighted product model.
    Wpm(Wpm),
    /// TOPSIS: closeness to the ideal solution.
    Topsis(Topsis),
    /// VIKOR: compromise ranking; lower `Q` is better.
    Vikor(Vikor),
    /// PROMETHEE II: net outranking flow.
    Promethee2(Promethee2),
    /// WASPAS: blend of WSM and WPM.
    Waspas(Waspas),
    /// COPRAS: complex proportional assessment.
    Copras(Copras),
    /// EDAS: distance from the average solution.
    Edas(Edas),
}

impl Method {
    /// The canonical names, in the order of [`Method::all`].
    pub const NAMES: [&'static str; 8] = [
        "wsm",
        "wpm",
        "topsis",
        "vikor",
        "promethee",
        "waspas",
        "copras",
        "edas",
    ];

    /// Every method with its default parameters (pymcdm 1.4's; PROMETHEE II with the `usual`
    /// preference function, which pymcdm leaves to the caller), in the order of
    /// [`Method::NAMES`].
    pub fn all() -> Vec<Method> {
        vec![
            Method::Wsm(Wsm::default()),
            Method::Wpm(Wpm::default()),
            Method::Topsis(Topsis::default()),
            Method::Vikor(Vikor::default()),
            Method::Promethee2(Promethee2::default()),
            Method::Waspas(Waspas::default()),
            Method::Copras(Copras),
            Method::Edas(Edas),
        ]
    }

    /// The canonical name (`wsm`, `wpm`, `topsis`, `vikor`, `promethee`, `waspas`, `copras`,
    /// `edas`).
    pub fn name(&self) -> &'static str {
        match self {
            Method::Wsm(_) => "wsm",
            Method::Wpm(_) => "wpm",
            Method::Topsis(_) => "topsis",
            Method::Vikor(_) => "vikor",
            Method::Promethee2(_) => "promethee",
            Method::Waspas(_) => "waspas",
            Method::Copras(_) => "copras",
            Method::Edas(_) => "edas",
        }
    }

    /// The preference value of each alternative (pymcdm's `method(matrix, weights, types)`).
    pub fn preferences(
        &self,
        matrix: &DecisionMatrix,
        weights: &[f64],
    ) -> Result<Vec<f64>, McdmError> {
        match self {
            Method::Wsm(m) => m.preferences(matrix, weights),
            Method::Wpm(m) => m.preferences(matrix, weights),
            Method::Topsis(m) => m.preferences(matrix, weights),
            Method::Vikor(m) => m.preferences(matrix, weights),
            Method::Promethee2(m) => m.preferences(matrix, weights),
            Method::Waspas(m) => m.preferences(matrix, weights),
            Method::Copras(m) => m.preferences(matrix, weights),
            Method::Edas(m) => m.preferences(matrix, weights),
        }
    }

    /// Refuses a matrix too large for the method before any work is done: PROMETHEE II (the one
    /// method that compares every pair of alternatives) above [`PROMETHEE_MAX_EVALUATIONS`]
    /// pairwise evaluations. Every other method accepts any size; their work is linear in the
    /// alternatives. [`Method::preferences`] checks this too; callers check it first to refuse
    /// before reading weights or building the matrix.
    pub fn check_size(&self, alternatives: usize, criteria: usize) -> Result<(), McdmError> {
        match self {
            Method::Promethee2(_) => {
                promethee::check_size(alternatives, criteria, PROMETHEE_MAX_EVALUATIONS)
            }
            _ => Ok(()),
        }
    }

    /// Whether a larger preference is better: false only for VIKOR (pymcdm's
    /// `_reverse_ranking = False`).
    pub fn higher_is_better(&self) -> bool {
        !matches!(self, Method::Vikor(_))
    }

    /// The preferences and their competition ranks ([`ranks_from_preferences`] in this method's
    /// direction; 1 = best).
    pub fn rank(
        &self,
        matrix: &DecisionMatrix,
        weights: &[f64],
    ) -> Result<(Vec<f64>, Vec<usize>), McdmError> {
        let preferences = self.preferences(matrix, weights)?;
        let ranks = ranks_from_preferences(&preferences, self.higher_is_better());
        Ok((preferences, ranks))
    }

    /// Parses `NAME[:PARAM]...`, ASCII case ignored. Parameters are `key=value`, or for
    /// PROMETHEE II a bare preference-function name:
    ///
    /// - `wsm`, `wpm`, `topsis`: `norm=NORMALISATION` (a [`Normalization::from_name`] name);
    /// - `vikor`: `norm=NORMALISATION` or `norm=none` (pymcdm's default: `x` for a benefit,
    ///   `max − x` for a cost), `v=0..1`;
    /// - `waspas`: `norm=NORMALISATION`, `l=0..1` (alias `lambda`);
    /// - `promethee` (aliases `promethee2`, `promethee_ii`): `usual`, `ushape`, `vshape`,
    ///   `level`, `vshape_2` (alias `linear`) or `gaussian`, bare or as `pf=...`, with `q=`,
    ///   `p=` (or `s=` for `gaussian`): one number for every criterion, or a comma-separated
    ///   list with one per criterion, in the criteria's own units;
    /// - `copras`, `edas`: no parameter.
    ///
    /// Examples: `topsis:norm=vector`, `vikor:v=0.3`, `promethee:vshape_2:q=0.1:p=0.5`,
    /// `promethee:gaussian:s=0.3`, `waspas:l=0.7:norm=minmax`.
    pub fn from_name(spec: &str) -> Result<Method, McdmError> {
        let mut parts = spec.split(':');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let mut params = Params::parse(spec, parts)?;
        let method = match name.as_str() {
            "wsm" => Method::Wsm(Wsm {
                normalization: params.normalization(Wsm::default().normalization)?,
            }),
            "wpm" => Method::Wpm(Wpm {
                normalization: params.normalization(Wpm::default().normalization)?,
            }),
            "topsis" => Method::Topsis(Topsis {
                normalization: params.normalization(Topsis::default().normalization)?,
            }),
            "vikor" => {
                let d = Vikor::default();
                let normalization = match params.take("norm") {
                    None => d.normalization,
                    Some(v) if v.eq_ignore_ascii_case("none") => None,
                    Some(v) => Some(Normalization::from_name(&v)?),
                };
                let v = params.unit_number("v", d.v)?;
                Method::Vikor(Vikor { normalization, v })
            }
            "waspas" => {
                let d = Waspas::default();
                Method::Waspas(Waspas {
                    normalization: params.normalization(d.normalization)?,
                    lambda: params.unit_number("l", d.lambda)?,
                })
            }
            "promethee" | "promethee2" | "promethee_ii" | "promethee-ii" => {
                let function = match (params.bare.take(), params.take("pf")) {
                    (Some(_), Some(_)) => {
                        return Err(spec_error(format!(
                            "{spec:?} names the preference function twice"
                        )))
                    }
                    (Some(f), None) | (None, Some(f)) => f,
                    (None, None) => "usual".to_string(),
                };
                let q = params.threshold("q")?;
                let p = params.threshold("p")?;
                let s = params.threshold("s")?;
                Method::Promethee2(Promethee2 {
                    function: PreferenceFunction::from_parts(&function, q, p, s)?,
                })
            }
            "copras" => Method::Copras(Copras),
            "edas" => Method::Edas(Edas),
            _ => {
                return Err(spec_error(format!(
                    "unknown method {name:?} in {spec:?}; expected one of {}",
                    Method::NAMES.join(", ")
                )))
            }
        };
        params.finish(spec, &method)?;
        Ok(method)
    }
}

impl fmt::Display for Method {
    /// The `--method` specification with every parameter explicit, which
    /// [`Method::from_name`] reads back to the same method.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Method::Wsm(m) => write!(f, "wsm:norm={}", m.normalization),
            Method::Wpm(m) => write!(f, "wpm:norm={}", m.normalization),
            Method::Topsis(m) => write!(f, "topsis:norm={}", m.normalization),
            Method::Vikor(m) => match m.normalization {
                None => write!(f, "vikor:norm=none:v={}", m.v),
                Some(n) => write!(f, "vikor:norm={n}:v={}", m.v),
            },
            Method::Promethee2(m) => write!(f, "promethee:{}", m.function),
            Method::Waspas(m) => write!(f, "waspas:norm={}:l={}", m.normalization, m.lambda),
            Method::Copras(_) => f.write_str("copras"),
            Method::Edas(_) => f.write_str("edas"),
        }
    }
}

impl std::str::FromStr for Method {
    type Err = McdmError;

    fn from_str(s: &str) -> Result<Method, McdmError> {
        Method::from_name(s)
    }
}

fn spec_error(message: String) -> McdmError {
    McdmError::Unsupported {
        method: "method specification",
        message,
    }
}

/// The parameters of a specification, consumed by the parser; what is left over is an error.
struct Params {
    pairs: Vec<(String, String)>,
    bare: Option<String>,
}

impl Params {
    fn parse<'a>(spec: &str, parts: impl Iterator<Item = &'a str>) -> Result<Params, McdmError> {
        let mut params = Params {
            pairs: Vec::new(),
            bare: None,
        };
        for part in parts {
            let part = part.trim();
            match part.split_once('=') {
                Some((key, value)) => {
                    let key = match key.trim().to_ascii_lowercase().as_str() {
                        "normalization" | "normalisation" | "normalize" | "normalise" => {
                            "norm".to_string()
                        }
                        "lambda" => "l".to_string(),
                        "preference_function" => "pf".to_string(),
                        k => k.to_string(),
                    };
                    if params.pairs.iter().any(|(k, _)| *k == key) {
                        return Err(spec_error(format!("{spec:?} gives {key} twice")));
                    }
                    params.pairs.push((key, value.trim().to_string()));
                }
                None if part.is_empty() => {
                    return Err(spec_error(format!("{spec:?} has an empty parameter")))
                }
                None if params.bare.is_none() => params.bare = Some(part.to_string()),
                None => {
                    return Err(spec_error(format!(
                        "{spec:?} has more than one parameter without a name"
                    )))
                }
            }
        }
        Ok(params)
    }

    fn take(&mut self, key: &str) -> Option<String> {
        self.pairs
            .iter()
            .position(|(k, _)| k == key)
            .map(|i| self.pairs.remove(i).1)
    }

    fn normalization(&mut self, default: Normalization) -> Result<Normalization, McdmError> {
        match self.take("norm") {
            None => Ok(default),
            Some(v) => Normalization::from_name(&v),
        }
    }

    fn unit_number(&mut self, key: &str, default: f64) -> Result<f64, McdmError> {
        match self.take(key) {
            None => Ok(default),
            Some(v) => {
                let x = parse_number(key, &v)?;
                check_unit_parameter("method specification", key, x)?;
                Ok(x)
            }
        }
    }

    fn threshold(&mut self, key: &str) -> Result<Option<Threshold>, McdmError> {
        let Some(v) = self.take(key) else {
            return Ok(None);
        };
        let values = v
            .split(',')
            .map(|x| parse_number(key, x))
            .collect::<Result<Vec<f64>, _>>()?;
        Ok(Some(if values.len() == 1 {
            Threshold::Same(values[0])
        } else {
            Threshold::PerCriterion(values)
        }))
    }

    fn finish(self, spec: &str, method: &Method) -> Result<(), McdmError> {
        let mut left: Vec<String> = self
            .pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        left.extend(self.bare);
        if left.is_empty() {
            Ok(())
        } else {
            Err(spec_error(format!(
                "{spec:?}: {} does not take {}",
                method.name(),
                left.join(", ")
            )))
        }
    }
}

fn parse_number(key: &str, text: &str) -> Result<f64, McdmError> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(spec_error(format!("{key}={text:?} is not a finite number"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_round_trips() {
        for m in Method::all() {
            assert_eq!(Method::from_name(&m.to_string()).unwrap(), m, "{m}");
            assert_eq!(Method::from_name(m.name()).unwrap(), m);
        }
        assert_eq!(
            Method::all().iter().map(Method::name).collect::<Vec<_>>(),
            Method::NAMES
        );
    }

    #[test]
    fn parses_parameters_and_aliases() {
        let m = Method::from_name("PROMETHEE2:Gaussian:s=0.3").unwrap();
        assert_eq!(
            m,
            Method::Promethee2(Promethee2 {
                function: PreferenceFunction::Gaussian {
                    s: Threshold::Same(0.3)
                }
            })
        );
        let m = Method::from_name("promethee:pf=linear:q=0.1:p=1,2").unwrap();
        assert_eq!(
            m.to_string(),
            "promethee:vshape_2:q=0.1:p=1,2",
            "linear is pymcdm's vshape_2"
        );
        let m = Method::from_name("waspas:lambda=0.25:normalisation=vector").unwrap();
        assert_eq!(
            m,
            Method::Waspas(Waspas {
                normalization: Normalization::Vector,
                lambda: 0.25
            })
        );
        assert_eq!(
            Method::from_name("vikor:norm=none:v=0")
                .unwrap()
                .to_string(),
            "vikor:norm=none:v=0"
        );
        assert!(!Method::from_name("vikor").unwrap().higher_is_better());
    }

    #[test]
    fn refuses_bad_specifications() {
        for bad in [
            "electre",
            "topsis:norm=zscore",
            "topsis:v=0.3",
            "vikor:v=1.5",
            "waspas:l=nan",
            "copras:norm=sum",
            "edas:x",
            "promethee:vshape",
            "promethee:gaussian:p=0.3:q=0.1",
            "promethee:level:q=0.5:p=0.1",
            "promethee:usual:pf=usual",
            "promethee:ushape:q=-1",
            "topsis:norm=sum:norm=max",
            "wsm:",
        ] {
            assert!(Method::from_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn weights_must_be_a_distribution() {
        assert!(check_weights("t", &[0.5, 0.5], 2).is_ok());
        assert!(check_weights("t", &[1.0, 0.0], 2).is_ok());
        assert!(matches!(
            check_weights("t", &[0.5], 2),
            Err(McdmError::Shape { .. })
        ));
        assert!(matches!(
            check_weights("t", &[0.5, f64::NAN], 2),
            Err(McdmError::NotFinite { column: 1, .. })
        ));
        assert!(check_weights("t", &[1.5, -0.5], 2).is_err());
        assert!(check_weights("t", &[0.5, 0.49], 2).is_err());
    }

    /// PROMETHEE II, quadratic by nature, refuses a matrix past its limit before any work, with
    /// a message naming the method, the size and the limit; the same check admits the largest
    /// size it names, and every other method admits any size.
    #[test]
    fn promethee_refuses_past_its_limit_and_no_other_method_does() {
        let promethee = Method::from_name("promethee").unwrap();
        let e = promethee.check_size(20_000, 10).unwrap_err();
        let McdmError::TooLarge {
            max_alternatives,
            evaluations,
            ..
        } = e.clone()
        else {
            panic!("{e:?}");
        };
        assert_eq!(evaluations, 20_000 * 19_999 * 10);
        let admitted = |m: usize| m * (m - 1) * 10 <= PROMETHEE_MAX_EVALUATIONS as usize;
        assert!(admitted(max_alternatives) && !admitted(max_alternatives + 1));
        assert!(promethee.check_size(max_alternatives, 10).is_ok());
        assert!(promethee.check_size(max_alternatives + 1, 10).is_err());
        let text = e.to_string();
        for part in [
            "PROMETHEE II",
            "20000 alternatives x 10 criteria",
            &evaluations.to_string(),
            &PROMETHEE_MAX_EVALUATIONS.to_string(),
            &format!("at most {max_alternatives} alternatives with 10 criteria"),
            "topsis",
        ] {
            assert!(text.contains(part), "{part:?} not in {text}");
        }
        // Sizes whose product overflows usize are counted exactly, and refused.
        assert!(promethee.check_size(usize::MAX, usize::MAX).is_err());
        for m in Method::all() {
            if m.name() != "promethee" {
                assert!(m.check_size(usize::MAX, usize::MAX).is_ok(), "{m}");
            }
        }
    }

    /// The refusal comes from `preferences` itself (what `decide`, `rank --method`, `compare`
    /// and the HTTP API all call), before the pairwise loop: a matrix of 8,000 alternatives by
    /// 10 criteria (640 million evaluations, seconds of work) is refused at once.
    #[test]
    fn promethee_preferences_refuse_a_matrix_past_the_limit() {
        let (m, n) = (8_000, 10);
        let matrix = DecisionMatrix::new(
            (0..m).map(|i| format!("a{i}")).collect(),
            (0..n).map(|j| format!("c{j}")).collect(),
            vec![super::super::matrix::CriterionType::Benefit; n],
            (0..m)
                .map(|i| (0..n).map(|j| (i * n + j) as f64).collect())
                .collect(),
        )
        .unwrap();
        let weights = vec![0.1; n];
        for spec in [
            "promethee",
            "promethee:gaussian:s=2",
            "promethee:vshape:p=3",
        ] {
            let method = Method::from_name(spec).unwrap();
            assert!(
                matches!(
                    method.preferences(&matrix, &weights),
                    Err(McdmError::TooLarge {
                        method: "PROMETHEE II",
                        alternatives: 8_000,
                        criteria: 10,
                        ..
                    })
                ),
                "{spec}"
            );
        }
        assert!(Method::from_name("topsis")
            .unwrap()
            .preferences(&matrix, &weights)
            .is_ok());
    }
}
