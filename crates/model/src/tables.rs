//! The relation, attribute, transition, operation and parameter tables of the reference.

use crate::axes::{CONCEPT_COUNT, SCENE_COUNT};
use crate::names::Names;
use crate::technology::Row;

/// A 12 x 12 concept-to-concept table, rows and columns in concept order.
pub type ConceptMatrix = [[f64; CONCEPT_COUNT]; CONCEPT_COUNT];

/// A 6 x 6 scene-to-scene table, rows and columns in scene order.
pub type SceneMatrix = [[f64; SCENE_COUNT]; SCENE_COUNT];

/// Concept relations (`tables/relations.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Relations {
    /// 1 where the row concept and the column concept are linked by dependency.
    pub dependency: ConceptMatrix,
    /// Difficulty of turning the column concept into the row concept (0 seamless, 1 impossible).
    pub transformation: ConceptMatrix,
    /// How well two concepts combine (symmetric, 1 perfect).
    pub combination: ConceptMatrix,
}

/// Per-concept, per-scene attributes (`tables/attributes.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Attributes {
    /// Typical latency in milliseconds; `None` where not applicable.
    pub latency_ms: [[Option<f64>; SCENE_COUNT]; CONCEPT_COUNT],
    /// Typical memory cost in MB.
    pub memory_mb: [Row; CONCEPT_COUNT],
    /// Compatibility in [0, 1].
    pub compatibility: [Row; CONCEPT_COUNT],
    /// Compatibility of L (load balance) when a service mesh is present.
    pub compatibility_l_mesh: Row,
}

/// Difficulty of moving between chains (`tables/transitions.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct ChainTransitions {
    /// Chain ids in row and column order.
    pub ids: Vec<String>,
    /// `difficulty[i][j]`: moving from `ids[i]` to `ids[j]`, in [0, 1].
    pub difficulty: Vec<Vec<f64>>,
}

/// Transition tables (`tables/transitions.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Transitions {
    /// Between chains.
    pub chains: ChainTransitions,
    /// Difficulty of moving a workload from scene (row) to scene (column).
    pub scene_migration: SceneMatrix,
}

/// A named operation and its impact on each concept (`tables/operations.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Stable id (`build-image`).
    pub id: String,
    /// Group: build, deploy, scale or upgrade.
    pub group: String,
    /// Display names.
    pub name: Names,
    /// Impact on each concept, in concept order, in [0, 1].
    pub impact: [f64; CONCEPT_COUNT],
}

/// Scalar parameters (`tables/parameters.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Parameters {
    /// Weight of the static slice in the time blend.
    pub time_blend_static: f64,
    /// Weight of the dynamic slice in the time blend.
    pub time_blend_dynamic: f64,
    /// Risk weight of the static drop.
    pub risk_static_drop: f64,
    /// Risk weight of the dynamic jitter.
    pub risk_dynamic_jitter: f64,
    /// Risk weight of the AI uncertainty.
    pub risk_ai_uncertainty: f64,
    /// Weight of maturity in scene adaptation.
    pub adaptation_alpha_maturity: f64,
    /// Weight of compatibility in scene adaptation.
    pub adaptation_beta_compatibility: f64,
    /// Published range of the service-mesh uplift of L: `[low, high]`.
    pub mesh_uplift_range: [f64; 2],
}

/// The diagonal AI-parameter matrix Θ = diag(θ_1..θ_12) and how fast each θ_c learns
/// (`tables/theta.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct ThetaTable {
    /// Learning rate of each θ_c, in concept order (published).
    pub learning_rate: [f64; CONCEPT_COUNT],
    /// The value of each θ_c in [0, 1], in concept order: the confidence the model places in a
    /// concept's maturity. 1 (the default when the file gives no `[value]` table) leaves every
    /// score as the seed computes it; `stackmatrix learn` writes learned values.
    pub value: [f64; CONCEPT_COUNT],
}

impl ThetaTable {
    /// True when every θ_c is exactly 1, so Θ changes no score.
    pub fn is_identity(&self) -> bool {
        self.value.iter().all(|&v| v == 1.0)
    }
}

/// All tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    /// Concept relations.
    pub relations: Relations,
    /// Attributes.
    pub attributes: Attributes,
    /// Transitions.
    pub transitions: Transitions,
    /// Operations, in file order.
    pub operations: Vec<Operation>,
    /// The diagonal AI parameters θ_c and their learning rates.
    pub theta: ThetaTable,
    /// Scalar parameters.
    pub parameters: Parameters,
}
