//! Shared set-up of the stack-recommendation benchmarks: the scenarios and constraints measured.

use stackmatrix_engine::{Constraints, PreparedScenario, ScenarioInput};
use stackmatrix_model::{Parameters, TimeMode, CONCEPT_COUNT, SCENE_COUNT};

/// The hybrid scenario's scene vector: every scene weighs something.
pub const HYBRID: [f64; SCENE_COUNT] = [0.1, 0.1, 0.3, 0.2, 0.2, 0.1];
/// A one-hot vector on the edge scene.
pub const EDGE: [f64; SCENE_COUNT] = [0.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// The scenarios measured, by name.
pub const SCENARIOS: [(&str, [f64; SCENE_COUNT]); 2] = [("hybrid", HYBRID), ("edge", EDGE)];

/// A scenario with this vector, equal concept weights and the static time slice.
pub fn scenario(vector: [f64; SCENE_COUNT]) -> PreparedScenario {
    ScenarioInput {
        id: None,
        name: None,
        vector,
        weights: [1.0; CONCEPT_COUNT],
        time: TimeMode::Static,
    }
    .prepare(&stackmatrix_model::builtin().expect("the built-in knowledge base loads"))
    .expect("a valid scenario")
}

/// The built-in knowledge base's parameters.
pub fn params() -> Parameters {
    stackmatrix_model::builtin()
        .expect("the built-in knowledge base loads")
        .tables
        .parameters
}

/// Stacks of at most `k` members, the 5 best, nothing else required.
pub fn constraints(k: usize) -> Constraints {
    Constraints {
        max_size: k,
        alternatives: 5,
        ..Constraints::default()
    }
}
