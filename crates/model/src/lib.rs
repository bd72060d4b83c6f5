//! The model layer of `stackmatrix`: the types of the matrix model, the knowledge-base file
//! format, its validation, and the built-in knowledge base embedded in the binary.
//!
//! A technology is a concept x scene x time maturity tensor ([`Technology`]); a scenario is a
//! weighted scene vector with requirements and the claims of the source document
//! ([`Scenario`]); the relation, attribute, transition and operation tables of the reference
//! sit in [`Tables`]. The format is documented in `docs/knowledge-base.md`.
//!
//! ```
//! let kb = stackmatrix_model::builtin().unwrap();
//! let k3s = kb.technology("k3s").unwrap();
//! let edge = stackmatrix_model::Scene::Edge;
//! let runtime = k3s.maturity.row(stackmatrix_model::TimeSlice::Static,
//!     stackmatrix_model::Concept::RuntimeTransform).unwrap();
//! assert_eq!(runtime[edge.index()], 1.0);
//! ```
//!
//! This crate computes nothing beyond validation. It holds the one reader of input files
//! ([`read`]): every file the product reads goes through it.

#![deny(missing_docs)]

mod axes;
mod builtin;
mod case;
mod check;
pub mod csv;
mod diagnostic;
mod fleet;
mod load;
mod names;
mod raw;
pub mod read;
mod scenario;
mod tables;
mod technology;
pub mod untrusted;
mod values;
mod walk;

pub use crate::axes::{Concept, Scene, CONCEPT_COUNT, SCENE_COUNT};
pub use crate::builtin::{builtin, builtin_files};
pub use crate::case::{CaseMember, Comparator, Indicator, MaturityClaim, PracticeCase};
pub use crate::diagnostic::{Diagnostic, Diagnostics};
pub use crate::fleet::{
    parse_fleet_rules, ColumnKind, ColumnSpec, CompareOp, Condition, ConditionValue, FleetRule,
    FleetRules, BUILTIN_FLEET_RULES, MAX_FLEET_RULES,
};
pub use crate::load::{load, load_overlay, SourceFile, TABLE_FILES};
pub use crate::names::{Lang, Names};
pub use crate::scenario::{Claims, RankingClaim, Requirements, Scenario, StackClaim, TimeMode};
pub use crate::tables::{
    Attributes, ChainTransitions, ConceptMatrix, Operation, Parameters, Relations, SceneMatrix,
    Tables, ThetaTable, Transitions,
};
pub use crate::technology::{
    Enhancement, Figure, Matrix, MaturityTensor, Provenance, ProvenanceKind, Row, TechKind,
    Technology, TimeSlice, FOOTPRINT_KEYS,
};
pub use crate::values::{quantity, weights, ValueProblem, WeightsProblem, MAX_QUANTITY};
pub use crate::walk::{read_dir, read_dir_partial};

/// A loaded, validated knowledge base.
#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeBase {
    /// Names of the 12 concepts, in concept order.
    pub concepts: [Names; CONCEPT_COUNT],
    /// Names of the 6 scenes, in scene order.
    pub scenes: [Names; SCENE_COUNT],
    /// Technologies, sorted by id.
    pub technologies: Vec<Technology>,
    /// Scenarios, sorted by id.
    pub scenarios: Vec<Scenario>,
    /// Practice cases, sorted by id.
    pub cases: Vec<PracticeCase>,
    /// The reference's tables.
    pub tables: Tables,
}

impl KnowledgeBase {
    /// The technology with this id.
    pub fn technology(&self, id: &str) -> Option<&Technology> {
        self.technologies.iter().find(|t| t.id == id)
    }

    /// The scenario with this id.
    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    /// The practice case with this id.
    pub fn case(&self, id: &str) -> Option<&PracticeCase> {
        self.cases.iter().find(|c| c.id == id)
    }

    /// The technologies that can be ranked alone (kind `chain`), sorted by id.
    pub fn chains(&self) -> impl Iterator<Item = &Technology> {
        self.technologies
            .iter()
            .filter(|t| t.kind == TechKind::Chain)
    }

    /// The names of a concept.
    pub fn concept_names(&self, c: Concept) -> &Names {
        &self.concepts[c.index()]
    }

    /// The names of a scene.
    pub fn scene_names(&self, s: Scene) -> &Names {
        &self.scenes[s.index()]
    }
}
