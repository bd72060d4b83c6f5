//! The value rules shared by the knowledge-base checker and every verb.
//!
//! `model check` and the verbs must refuse the same values: when a verb accepted a file that the
//! checker passed and then failed on it at run time, the user got an error without a file or a
//! line (issue 13, defect 9). So the rules live here, once: the checker (`check.rs`) applies them
//! to each value with its place in the file, and the engine applies the same functions to the
//! vectors and weights a user gives on the command line or in a request.
//!
//! Every quantity of the model that is "0 or more" (scene and concept weights, memory in MB,
//! latency in ms, footprints, risk coefficients, learning rates) is also at most
//! [`MAX_QUANTITY`]. Finite values alone are not enough: `1e308 + 1e308` is infinite, and a
//! weight of `1e307` times a memory of 2000 MB is too, which turned scores and costs into NaN.
//! With every quantity at most 10¹² and every weight or maturity factor at most that, each sum
//! and product the engine forms (at most a few hundred terms of two or three factors) stays far
//! below `f64::MAX`, so no verb can overflow on a value this module accepted.

use std::fmt;

/// The largest quantity accepted anywhere a number is "0 or more": 10¹², far above any real
/// memory (1 EB in MB), latency (31 years in ms) or relative weight, far below overflow.
pub const MAX_QUANTITY: f64 = 1e12;

/// Why one number is not a quantity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueProblem {
    /// NaN or an infinity.
    NotFinite(f64),
    /// Below 0.
    Negative(f64),
    /// Above [`MAX_QUANTITY`].
    TooLarge(f64),
}

impl fmt::Display for ValueProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueProblem::NotFinite(x) => write!(f, "{x} is not a finite number"),
            ValueProblem::Negative(x) => write!(f, "{x} is negative"),
            ValueProblem::TooLarge(x) => write!(f, "{x:e} is too large"),
        }
    }
}

impl ValueProblem {
    /// What would have been accepted, for the `expected ...` part of a message.
    pub const EXPECTED: &'static str = "a finite number of 0 or more, at most 1e12";
}

/// Checks a quantity: finite, 0 or more, at most [`MAX_QUANTITY`].
pub fn quantity(x: f64) -> Result<f64, ValueProblem> {
    if !x.is_finite() {
        Err(ValueProblem::NotFinite(x))
    } else if x < 0.0 {
        Err(ValueProblem::Negative(x))
    } else if x > MAX_QUANTITY {
        Err(ValueProblem::TooLarge(x))
    } else {
        Ok(x)
    }
}

/// Why a set of relative weights (a scene vector, concept weights, attribute weights) cannot be
/// used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WeightsProblem {
    /// The weight at this index is not a quantity.
    Value {
        /// Index of the weight in the set.
        index: usize,
        /// What is wrong with it.
        problem: ValueProblem,
    },
    /// Every weight is 0.
    AllZero,
}

impl fmt::Display for WeightsProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WeightsProblem::Value { problem, .. } => problem.fmt(f),
            WeightsProblem::AllZero => f.write_str("every weight is zero"),
        }
    }
}

/// Checks a set of relative weights: each a [`quantity`], not all zero. Returns their sum,
/// which is then finite and positive.
pub fn weights(values: &[f64]) -> Result<f64, WeightsProblem> {
    for (index, &x) in values.iter().enumerate() {
        quantity(x).map_err(|problem| WeightsProblem::Value { index, problem })?;
    }
    let sum: f64 = values.iter().sum();
    if sum > 0.0 {
        Ok(sum)
    } else {
        Err(WeightsProblem::AllZero)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quantity_is_finite_non_negative_and_bounded() {
        assert_eq!(quantity(0.0), Ok(0.0));
        assert_eq!(quantity(MAX_QUANTITY), Ok(MAX_QUANTITY));
        assert!(matches!(
            quantity(f64::NAN),
            Err(ValueProblem::NotFinite(_))
        ));
        assert_eq!(
            quantity(f64::INFINITY),
            Err(ValueProblem::NotFinite(f64::INFINITY))
        );
        assert_eq!(quantity(-1.0), Err(ValueProblem::Negative(-1.0)));
        assert_eq!(ValueProblem::Negative(-1.0).to_string(), "-1 is negative");
        assert_eq!(quantity(1e308), Err(ValueProblem::TooLarge(1e308)));
        assert_eq!(
            ValueProblem::TooLarge(1e308).to_string(),
            "1e308 is too large"
        );
    }

    #[test]
    fn weights_whose_sum_would_overflow_are_refused_by_their_first_large_value() {
        assert_eq!(
            weights(&[0.0, 1e308, 1e308]),
            Err(WeightsProblem::Value {
                index: 1,
                problem: ValueProblem::TooLarge(1e308)
            })
        );
        assert_eq!(weights(&[0.0, 0.0]), Err(WeightsProblem::AllZero));
        assert_eq!(weights(&[0.5, 1.5]), Ok(2.0));
        // The largest accepted weights still add up to a finite sum many times over.
        assert!(weights(&[MAX_QUANTITY; 72]).unwrap().is_finite());
    }
}
