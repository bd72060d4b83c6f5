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

/// An uplift a technology gives a concept of the stack it joins, in every scene.
///
/// The reference's example is the service mesh: a stack that contains one gains 0.2 to 0.3 on L.
#[derive(Debug, Clone, PartialEq)]
pub struct Enhancement {
    /// The concept lifted.
    pub concept: Concept,
    /// The uplift added to the stack's maturity of that concept in every scene (then clamped to 1).
    pub delta: f64,
    /// The published range of the uplift, when one is published.
    pub range: Option<[f64; 2]>,
    /// Where the figure comes from.
    pub source: String,
}

/// A measured or documented figure with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The value, in the unit of its key (`memory_mb`: MB, `cold_start_ms`: ms, ...).
    pub value: f64,
    /// Where the figure comes from (a URL or a document).
    pub source: String,
    /// What the figure measures exactly, when that needs saying.
    pub note: Option<String>,
}

/// Footprint keys a technology file may use, with their units.
pub const FOOTPRINT_KEYS: [(&str, &str); 5] = [
    ("memory_mb", "memory per node, MB"),
    ("cold_start_ms", "cold start, ms"),
    ("disk_mb", "disk or image size, MB"),
    ("binary_mb", "binary size, MB"),
    ("pods_per_node", "workloads per node"),
];

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
    /// Ids of technologies it cannot be combined with in one environment.
    pub conflicts: Vec<String>,
    /// Ids of technologies that can host it: a stack with this member needs at least one of them.
    /// Empty when it needs no host.
    pub hosts: Vec<String>,
    /// What it adds to other members' maturity when it is part of a stack.
    pub enhancements: Vec<Enhancement>,
    /// Footprint figures (memory per node, cold start, ...) by key, each with its source.
    pub footprint: BTreeMap<String, Figure>,
    /// Maturity in [0, 1].
    pub maturity: MaturityTensor,
    /// Default provenance of every row.
    pub provenance: Provenance,
    /// Per-row provenance overrides, by slice and concept.
    pub row_provenance: BTreeMap<(TimeSlice, Concept), Provenance>,
    /// One-line rationale of each estimated static row, by concept (`[rationale]` in the file).
    pub rationale: BTreeMap<Concept, String>,
}

impl Technology {
    /// True when `other` may not share an environment with this technology (either side says so).
    pub fn conflicts_with(&self, other: &Technology) -> bool {
        self.conflicts.contains(&other.id) || other.conflicts.contains(&self.id)
    }

    /// The memory per node it needs, when the knowledge base knows it.
    pub fn memory_mb(&self) -> Option<f64> {
        self.footprint.get("memory_mb").map(|f| f.value)
    }

    /// True when it brings the capability.
    pub fn has_capability(&self, capability: &str) -> bool {
        self.capabilities.iter().any(|c| c == capability)
    }

    /// The provenance of one row: its override, or the file's default.
    pub fn provenance_of(&self, slice: TimeSlice, concept: Concept) -> &Provenance {
        self.row_provenance
            .get(&(slice, concept))
            .unwrap_or(&self.provenance)
    }
}
