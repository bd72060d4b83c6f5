//! Every integration test of this crate, linked into one test binary.
//!
//! One binary per crate instead of one per file: a workspace test build then takes a
//! fraction of the disk and link time (each binary carries its own copy of every
//! dependency). Run one file's tests with `cargo test -p CRATE --test integration FILE::`.

mod adaptation_numpy;
mod audit_numpy;
mod calibrate;
mod composition;
mod cost_numpy;
mod fleet_numpy;
mod golden_scores;
mod learn;
mod mcdm_methods;
mod mcdm_weights;
mod properties;
mod recommend_cost_optimality;
mod recommend_optimality;
mod relations_numpy;
mod relations_properties;
mod risk_numpy;
mod smaa;
mod theta_scores;
mod transition_numpy;
mod transition_properties;

/// The built-in knowledge base, loaded once: the Θ (all ones) that tests on synthetic
/// technologies prepare their scenarios with (`ScenarioInput::prepare` takes a knowledge base).
pub fn builtin_kb() -> &'static stackmatrix_model::KnowledgeBase {
    static KB: std::sync::OnceLock<stackmatrix_model::KnowledgeBase> = std::sync::OnceLock::new();
    KB.get_or_init(|| stackmatrix_model::builtin().expect("the built-in knowledge base loads"))
}
