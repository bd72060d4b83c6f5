//! Scenarios: weighted scene vectors with requirements and the claims of the source document.

use crate::axes::{CONCEPT_COUNT, SCENE_COUNT};
use crate::names::Names;

/// Which part of the time axis a score uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum TimeMode {
    /// The static slice: the seed's formula.
    #[default]
    Static,
    /// The dynamic slice (static where no dynamic row is given).
    Dynamic,
    /// The blend `0.6 · static + 0.4 · dynamic` (weights from `parameters.toml`).
    Blend,
}

impl TimeMode {
    /// The key used in files, flags and JSON.
    pub fn key(self) -> &'static str {
        match self {
            TimeMode::Static => "static",
            TimeMode::Dynamic => "dynamic",
            TimeMode::Blend => "blend",
        }
    }

    /// Parses a key.
    pub fn from_key(key: &str) -> Option<TimeMode> {
        match key {
            "static" => Some(TimeMode::Static),
            "dynamic" => Some(TimeMode::Dynamic),
            "blend" => Some(TimeMode::Blend),
            _ => None,
        }
    }
}

/// Requirements of a scenario beyond its scene vector.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Requirements {
    /// Capabilities a stack must bring (gpu, offline, ...).
    pub capabilities: Vec<String>,
    /// Capabilities the shared layers of a scenario that spans environments must bring
    /// (the seed's hybrid case: unified delivery and monitoring).
    pub shared: Vec<String>,
    /// Memory a stack may use per node, in MB.
    pub memory_mb_per_node: Option<f64>,
}

/// One line of a ranking the source document claims.
#[derive(Debug, Clone, PartialEq)]
pub struct RankingClaim {
    /// The name as the document writes it.
    pub label: String,
    /// The knowledge-base id, when the knowledge base holds that technology.
    pub tech: Option<String>,
    /// The claimed score on the 0 to 10 scale, when given.
    pub score: Option<f64>,
    /// The claimed rank.
    pub rank: Option<u32>,
}

/// One member of a stack the source document claims.
#[derive(Debug, Clone, PartialEq)]
pub struct StackClaim {
    /// The name as the document writes it.
    pub label: String,
    /// The knowledge-base id, when the knowledge base holds that technology.
    pub tech: Option<String>,
}

/// What a source document claims about a scenario; kept for the audit, never used as an answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Claims {
    /// Where the claims come from.
    pub source: String,
    /// The documented ranking, in document order.
    pub ranking: Vec<RankingClaim>,
    /// The documented optimal stack.
    pub stack: Vec<StackClaim>,
}

/// A scenario of the knowledge base.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Stable id (`edge`).
    pub id: String,
    /// Display names.
    pub name: Names,
    /// The features the source document lists.
    pub features: Vec<Names>,
    /// Scene weights as written in the file (not yet normalised; non-negative, not all zero).
    pub vector: [f64; SCENE_COUNT],
    /// Concept weights (default 1 each; non-negative, not all zero).
    pub weights: [f64; CONCEPT_COUNT],
    /// The time mode the scenario asks for, when it asks for one.
    pub time: Option<TimeMode>,
    /// True when each weighted scene is a separate environment with its own sub-stack (hybrid).
    pub spans_environments: bool,
    /// Requirements beyond the scene vector.
    pub requirements: Requirements,
    /// The source document's claims, when it makes any.
    pub claims: Option<Claims>,
}
