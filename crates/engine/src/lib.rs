//! The engine of `stackmatrix`: pure computation on the model. No I/O, no printing; every
//! function returns values or typed errors, and every formula lives here once, named after what
//! it computes, with the reference formula in its doc comment.
//!
//! ```
//! use stackmatrix_engine::{rank_technologies, ScenarioInput};
//! let kb = stackmatrix_model::builtin().unwrap();
//! let edge = ScenarioInput::from_scenario(kb.scenario("edge").unwrap()).prepare(&kb).unwrap();
//! let ranking = rank_technologies(kb.chains(), &edge, &kb.tables.parameters);
//! assert_eq!(ranking.entries[0].id, "k3s");
//! assert!((ranking.entries[0].score - 8.75).abs() < 1e-9);
//! ```

#![deny(missing_docs)]

mod adaptation;
mod audit;
mod bnb;
mod calibrate;
mod case_check;
mod claims;
mod cost;
mod dependency;
mod environments;
mod explain;
pub mod fleet;
mod input;
mod learn;
pub mod mcdm;
mod migration;
mod operations;
mod ranking;
mod recommend;
mod recommend_cost;
mod risk;
mod scoring;
mod smaa;
mod stability;
mod stack;
mod stack_analysis;
pub mod synthetic;
mod transition;

pub use crate::adaptation::{
    adaptation_compatibility, has_service_mesh, overall_adaptation, rank_target_scenes,
    scene_adaptation, weakest_concept, TargetAdaptation, SERVICE_MESH_CAPABILITY,
};
pub use crate::audit::{audit, kendall_tau_b, Audit, ScenarioAudit, StackAudit};
pub use crate::calibrate::{
    calibrate_weights, simplex_least_squares, Calibration, CalibrationError, CalibrationFigure,
    CALIBRATION_WEIGHT_SUM,
};
pub use crate::case_check::{
    check_indicator, stack_figure, validate_case, CaseEnvironment, CaseError, CaseReport,
    FigureUse, IndicatorCheck, IndicatorVerdict, MaturityCheck, MaturityVerdict, CLAIM_TOLERANCE,
};
pub use crate::claims::{check_ranking_claims, resolve_claimed_stack, RankingClaimCheck};
pub use crate::cost::{
    attribute_score, cost_weights, scene_concept_weights, weighted_cost, AttributeScore,
    AttributeWeights, CostWeighting,
};
pub use crate::dependency::{
    analyse_dependencies, critical_dependency_chains, dependency_coverage, dependency_depths,
    dependency_distances, dependency_groups, dependency_relation, longest_group_chain,
    mutual_dependencies, shortest_dependency_chain, transitive_closure, ConceptDepth,
    ConceptRelation, DependencyAnalysis, DependencyCoverage, DependencyGroup, UncoveredDependency,
    COVERAGE_TOLERANCE,
};
pub use crate::environments::{
    recommend_per_environment, EnvironmentPlan, EnvironmentStack, SharedLayers,
};
pub use crate::explain::{explain, ConceptShare, Explanation};
pub use crate::input::{normalise_scene_vector, InputError, PreparedScenario, ScenarioInput};
pub use crate::learn::{
    informed_concepts, learn_theta, loss_and_gradient, LearnError, LearnOptions, LearnReport, Loss,
    Observation, Optimizer, Preference, StopReason, CROSS_ENTROPY_EPSILON,
};
pub use crate::migration::{cheapest_path, k_cheapest_paths, MigrationPath};
pub use crate::operations::{
    apply_operation, apply_operation_chain, chain_impact, ChainApplication, ConceptVector,
};
pub use crate::ranking::{
    competition_ranks, rank_stacks, rank_technologies, InfeasibleStack, RankedTech, Ranking,
    TIE_TOLERANCE,
};
pub use crate::recommend::{
    exhaustive_stacks, recommend_stack, stack_order, Constraints, ScoredStack, SearchError,
    SearchResult, SearchStats,
};
pub use crate::recommend_cost::{
    cost_order, exhaustive_min_cost, recommend_min_cost, MinCostResult, COST_TOLERANCE,
};
pub use crate::risk::{risk, sigmoid, Risk, RiskFocus};
pub use crate::scoring::{
    scenario_fit, score_contributions, theta_score_contributions, theta_weighted_score,
    time_matrix, weighted_score,
};
pub use crate::smaa::{
    less_certain, smaa_rank, smaa_values, SmaaAlternative, SmaaError, SmaaOptions, SmaaResult,
    SmaaSummary, Spread, ValueMatrix, WeightModel, CHUNK_SAMPLES, DEFAULT_SAMPLES,
};
pub use crate::stability::{
    ranking_weight_stability, weight_stability, StabilityError, WeightInterval, WeightStability,
};
pub use crate::stack::{
    compose_stack, enhancement_totals, stack_fit_and_score, stack_memory_mb, stack_problems,
    StackProblem, StackRequirements,
};
pub use crate::stack_analysis::{
    constraint_effects, member_gains, ConstraintEffect, ConstraintKind, MemberGain,
};
pub use crate::transition::{
    derived_chain_transition_difficulty, scene_transfer_matrix, transition_agreement,
    TransitionAgreement,
};
