//! Multi-criteria decision analysis on a generic decision matrix: normalisations, weighting
//! methods, ranking methods and rank correlations, with the defaults of pymcdm 1.4 (the
//! independent reference the tests are checked against; see `docs/decision-methods.md`).
//!
//! A [`DecisionMatrix`] holds `m` alternatives (rows) by `n` criteria (columns), each criterion a
//! benefit (more is better) or a cost (less is better). Methods turn it and a weight vector into
//! preference values; [`ranks_from_preferences`] turns those into ranks.

mod matrix;

pub use matrix::{ranks_from_preferences, CriterionType, DecisionMatrix, McdmError};
