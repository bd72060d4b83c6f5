//! Technologies: chains and addons with their maturity tensors and provenance.

use crate::axes::{Concept, CONCEPT_COUNT, SCENE_COUNT};
use crate::names::Names;
use std::collections::BTreeMap;

/// A row of a maturity matrix: one value per scene, in scene order.
pub type Row = [f64; SCENE_COUNT];

/// A full concept x scene matrix (12 x 6), rows in concept order.
pub type Matrix = [Row; CONCEPT_COUNT];

/// Whether a technology stands alone or extends one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TechKind {
    /// Covers all 12 concepts and can be ranked alone (K8s, K3s, WasmEdge, ...).
    Chain,
    /// Covers some concepts and needs a chain (KEDA, Capsule, ...).
    Addon,
}

impl TechKind {
    /// The key used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            TechKind::Chain => "chain",
            TechKind::Addon => "addon",
        }
    }
}

/// A slice of the time axis of a maturity tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimeSlice {
    /// Maturity of a settled deployment.
    Static,
    /// Maturity under change (upgrades, scaling, churn).
    Dynamic,
}

impl TimeSlice {
    /// The key used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            TimeSlice::Static => "static",
            TimeSlice::Dynamic => "dynamic",
        }
    }
}

/// Where a number comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProvenanceKind {
    /// Transcribed from a published source.
    Published,
    /// Estimated by the knowledge base's maintainers, with a rationale.
    Estimated,
    /// Measured by someone, with the measurement as source.
    Measured,
}

impl ProvenanceKind {
    /// The key used in files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            ProvenanceKind::Published => "published",
            ProvenanceKind::Estimated => "estimated",
            ProvenanceKind::Measured => "measured",
        }
    }
}

/// The provenance of one matrix row (or the default of a whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// Published, estimated or measured.
    pub kind: ProvenanceKind,
    /// Where the figure comes from.
    pub source: String,
    /// Why the figure is what it is, when it is not simply transcribed.
    pub rationale: Option<String>,
}

/// The maturity tensor of a technology: concept x scene x time.
///
/// Rows may be absent (an addon covers only some concepts). A dynamic row that is not given
/// equals the static row, as the reference prescribes.
#[derive(Debug, Clone, PartialEq)]
pub struct MaturityTensor {
    /// Static rows in concept order.
    pub static_rows: [Option<Row>; CONCEPT_COUNT],
    /// Dynamic rows in concept order; `None` falls back to the static row.
    pub dynamic_rows: [Option<Row>; CONCEPT_COUNT],
}

impl MaturityTensor {
    /// The row of `concept` in `slice`, falling back from dynamic to static.
    pub fn row(&self, slice: TimeSlice, concept: Concept) -> Option<Row> {
        let i = concept.index();
        match slice {
            TimeSlice::Static => self.static_rows[i],
            TimeSlice::Dynamic => self.dynamic_rows[i].or(self.static_rows[i]),
        }
    }

    /// The full matrix of `slice`, or `None` when some concept has no row.
    pub fn matrix(&self, slice: TimeSlice) -> Option<Matrix> {
        let mut m = [[0.0; SCENE_COUNT]; CONCEPT_COUNT];
        for c in Concept::ALL {
            m[c.index()] = self.row(slice, c)?;
        }
        Some(m)
    }

    /// True when the dynamic row of `concept` was given rather than defaulted.
    pub fn has_dynamic_row(&self, concept: Concept) -> bool {
        self.dynamic_rows[concept.index()].is_some()
    }
}

/// A technology of the knowledge base.
#[derive(Debug, Clone, PartialEq)]
pub struct Technology {
    /// Stable id (`k3s`).
    pub id: String,
    /// Display names.
    pub name: Names,
    /// Chain or addon.
    pub kind: TechKind,
    /// Roles it plays in a stack (orchestrator, runtime, policy, ...).
    pub roles: Vec<String>,
    /// Version the figures describe, when stated.
    pub version: Option<String>,
    /// Capabilities it brings (gpu, wasm, offline, ...).
    pub capabilities: Vec<String>,
    /// Ids of technologies it needs.
    pub requires: Vec<String>,
    /// Ids of technologies it cannot be combined with.
    pub conflicts: Vec<String>,
    /// Maturity in [0, 1].
    pub maturity: MaturityTensor,
    /// Default provenance of every row.
    pub provenance: Provenance,
    /// Per-row provenance overrides, by slice and concept.
    pub row_provenance: BTreeMap<(TimeSlice, Concept), Provenance>,
}

impl Technology {
    /// The provenance of one row: its override, or the file's default.
    pub fn provenance_of(&self, slice: TimeSlice, concept: Concept) -> &Provenance {
        self.row_provenance
            .get(&(slice, concept))
            .unwrap_or(&self.provenance)
    }
}
