//! Practice cases: documented deployments with their stack, indicators and maturity claims.

use crate::axes::Concept;
use crate::names::Names;

/// How a performance claim compares its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparator {
    /// At most the value (`≤`).
    AtMost,
    /// Below the value (`<`).
    Below,
    /// About the value (`=`, within 10 %).
    About,
    /// At least the value (`≥`).
    AtLeast,
    /// Above the value (`>`).
    Above,
}

impl Comparator {
    /// The symbols accepted in files: `<=`, `<`, `=`, `>=`, `>`.
    pub const SYMBOLS: [&'static str; 5] = ["<=", "<", "=", ">=", ">"];

    /// Parses a symbol (`≤` and `≥` also accepted).
    pub fn from_symbol(s: &str) -> Option<Comparator> {
        match s {
            "<=" | "≤" => Some(Comparator::AtMost),
            "<" => Some(Comparator::Below),
            "=" | "~" => Some(Comparator::About),
            ">=" | "≥" => Some(Comparator::AtLeast),
            ">" => Some(Comparator::Above),
            _ => None,
        }
    }

    /// The symbol as written in JSON and tables.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::AtMost => "<=",
            Comparator::Below => "<",
            Comparator::About => "=",
            Comparator::AtLeast => ">=",
            Comparator::Above => ">",
        }
    }
}

/// A member of a case's stack as the document names it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseMember {
    /// The name as the document writes it.
    pub label: String,
    /// The knowledge-base id, when the knowledge base holds it.
    pub tech: Option<String>,
    /// The version the document names.
    pub version: Option<String>,
    /// For a case that spans environments: the scene key of the member's environment, or
    /// `shared` for a layer every environment uses. `None` for a single-environment case.
    pub environment: Option<String>,
}

/// A performance indicator the document claims.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// What is measured.
    pub name: Names,
    /// The claim as the document writes it.
    pub claim: String,
    /// How the value compares.
    pub comparator: Comparator,
    /// The claimed value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// The footprint key of the knowledge base the claim can be checked against, when there is one.
    pub metric: Option<String>,
    /// What a relative claim compares with (\"PyTorch container\"), when it is relative.
    pub baseline: Option<String>,
}

/// A per-concept maturity the document claims for the case's stack.
#[derive(Debug, Clone, PartialEq)]
pub struct MaturityClaim {
    /// The concept.
    pub concept: Concept,
    /// The claimed maturity in [0, 1].
    pub value: f64,
    /// The document's reason.
    pub note: Names,
}

/// A practice case.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeCase {
    /// Stable id.
    pub id: String,
    /// The scenario the case illustrates.
    pub scenario: String,
    /// Display names.
    pub name: Names,
    /// Where the case is documented.
    pub source: String,
    /// Its scale, as the document states it.
    pub scale: Names,
    /// Its stack.
    pub stack: Vec<CaseMember>,
    /// Performance indicators.
    pub indicators: Vec<Indicator>,
    /// Per-concept maturity claims.
    pub maturity: Vec<MaturityClaim>,
}
