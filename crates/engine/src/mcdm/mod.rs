//! Multi-criteria decision analysis on a generic decision matrix: normalisations, weighting
//! methods, ranking methods and rank correlations, with the defaults of pymcdm 1.4 (the
//! independent reference the tests are checked against; see `docs/decision-methods.md`).
//!
//! A [`DecisionMatrix`] holds `m` alternatives (rows) by `n` criteria (columns), each criterion a
//! benefit (more is better) or a cost (less is better). Methods turn it and a weight vector into
//! preference values; [`ranks_from_preferences`] turns those into ranks.

mod ahp;
mod correlation;
mod matrix;
pub mod methods;
mod normalize;
mod weights;

pub use ahp::{
    ahp, ahp_with, analyse, AhpAnalysis, AhpError, AhpOptions, Cell, Judgement,
    PairwiseComparisons, RandomIndex, CONSISTENCY_THRESHOLD, POWER_ITERATION_LIMIT,
    POWER_ITERATION_TOLERANCE, RECIPROCAL_TOLERANCE, RI_SAATY_1980, RI_TUMMALA_LING_1998,
    SAATY_SCALE,
};
pub use correlation::{
    goodman_kruskal_gamma, kendall_tau, pearson, rank_similarity, spearman, weighted_spearman,
    weights_similarity, weights_similarity_symmetric, RankCorrelation,
};
pub use matrix::{
    order_by_rank, rank_group_sizes, ranks_from_preferences, tied_ranks, CriterionType,
    DecisionMatrix, McdmError,
};
pub use methods::{check_weights, Method, PROMETHEE_MAX_EVALUATIONS};
pub use normalize::Normalization;
pub use weights::{
    angle_weights, cilos_weights, critic_weights, entropy_weights, equal_weights, gini_weights,
    idocriw_weights, lopcow_weights, merec_weights, rancom_weights, standard_deviation_weights,
    variance_weights, WeightingMethod,
};
