//! Stacks: several technologies composed into one maturity tensor, and the rules that decide
//! whether a set of technologies can form a stack at all.

use crate::input::PreparedScenario;
use crate::scoring::{scenario_fit, time_matrix};
use stackmatrix_model::{
    Concept, MaturityTensor, Parameters, Row, Technology, TimeSlice, CONCEPT_COUNT, SCENE_COUNT,
};
use std::collections::BTreeSet;

/// The total uplift the members give each concept: `Σ_m Σ_{e ∈ m.enhancements, e.concept = c} e.delta`.
///
/// The deltas of each concept are added in ascending order, so the total does not depend on the
/// order the members were named in, to the last bit.
pub fn enhancement_totals(members: &[&Technology]) -> [f64; CONCEPT_COUNT] {
    let mut deltas: [Vec<f64>; CONCEPT_COUNT] = Default::default();
    for m in members {
        for e in &m.enhancements {
            deltas[e.concept.index()].push(e.delta);
        }
    }
    deltas.map(|mut d| {
        d.sort_by(f64::total_cmp);
        d.iter().sum()
    })
}

/// The maturity tensor of a stack.
///
/// Composition rule (one function, used by ranking, recommending and serving):
/// `A_stack[c][j] = min(1, max_{m ∈ stack, m has row c} A_m[c][j] + Σ_m enh_m[c])` in each time
/// slice, where `enh_m[c]` is the uplift member `m` gives concept `c` in every scene (a service
/// mesh lifts L by 0.25). A concept no member covers has no row: such a stack cannot be scored,
/// which is why an addon needs a chain. Members' dynamic rows fall back to their static rows.
pub fn compose_stack(members: &[&Technology]) -> MaturityTensor {
    let uplift = enhancement_totals(members);
    let slice_rows = |slice: TimeSlice| -> [Option<Row>; CONCEPT_COUNT] {
        std::array::from_fn(|i| {
            let c = Concept::ALL[i];
            let mut best: Option<Row> = None;
            for m in members {
                if let Some(row) = m.maturity.row(slice, c) {
                    let b = best.get_or_insert([0.0; SCENE_COUNT]);
                    for (x, v) in b.iter_mut().zip(row) {
                        *x = x.max(v);
                    }
                }
            }
            best.map(|row| row.map(|v| (v + uplift[i]).clamp(0.0, 1.0)))
        })
    };
    let static_rows = slice_rows(TimeSlice::Static);
    let any_dynamic = members
        .iter()
        .any(|m| Concept::ALL.iter().any(|c| m.maturity.has_dynamic_row(*c)));
    let dynamic_rows = if any_dynamic {
        slice_rows(TimeSlice::Dynamic)
    } else {
        [None; CONCEPT_COUNT]
    };
    MaturityTensor {
        static_rows,
        dynamic_rows,
    }
}

/// Why a set of technologies cannot be a stack (in one environment, or at all).
#[derive(Debug, Clone, PartialEq)]
pub enum StackProblem {
    /// The same technology twice.
    Duplicate(String),
    /// No member covers these concepts: the stack needs a chain.
    Uncovered(Vec<Concept>),
    /// `member` requires `required`, which is not in the stack.
    MissingRequirement {
        /// The member that requires.
        member: String,
        /// What it requires.
        required: String,
    },
    /// `member` needs one of `hosts`, and none is in the stack.
    MissingHost {
        /// The member that needs a host.
        member: String,
        /// The technologies that could host it.
        hosts: Vec<String>,
    },
    /// Two members conflict in one environment.
    Conflict(String, String),
    /// The stack lacks a capability the scenario or the user requires.
    MissingCapability(String),
    /// The stack needs more memory per node than the budget allows.
    OverBudget {
        /// Memory the stack needs, MB per node (members of unknown memory count 0).
        memory_mb: f64,
        /// The budget, MB per node.
        budget_mb: f64,
    },
}

impl std::fmt::Display for StackProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StackProblem::Duplicate(id) => write!(f, "'{id}' appears twice"),
            StackProblem::Uncovered(cs) => {
                let keys: Vec<&str> = cs.iter().map(|c| c.key()).collect();
                write!(
                    f,
                    "no member covers {}: a stack needs a chain",
                    keys.join(", ")
                )
            }
            StackProblem::MissingRequirement { member, required } => {
                write!(f, "'{member}' requires '{required}'")
            }
            StackProblem::MissingHost { member, hosts } => {
                write!(f, "'{member}' needs a host: one of {}", hosts.join(", "))
            }
            StackProblem::Conflict(a, b) => {
                write!(f, "'{a}' and '{b}' conflict in one environment")
            }
            StackProblem::MissingCapability(c) => write!(f, "no member brings '{c}'"),
            StackProblem::OverBudget {
                memory_mb,
                budget_mb,
            } => write!(
                f,
                "needs {memory_mb} MB per node, over the budget of {budget_mb} MB"
            ),
        }
    }
}

/// Requirements a stack must meet beyond its own rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StackRequirements {
    /// Capabilities the members together must bring.
    pub capabilities: Vec<String>,
    /// Memory per node the members together may use, MB.
    pub budget_mb: Option<f64>,
    /// True when members live in different environments, so per-environment conflicts are waived.
    pub spans_environments: bool,
}

/// Memory per node a stack needs: the sum of its members' `memory_mb` footprints. Members whose
/// footprint is unknown count 0 and are listed, so the figure never hides a gap.
pub fn stack_memory_mb(members: &[&Technology]) -> (f64, Vec<String>) {
    let mut total = 0.0;
    let mut unknown = Vec::new();
    for m in members {
        match m.memory_mb() {
            Some(x) => total += x,
            None => unknown.push(m.id.clone()),
        }
    }
    (total, unknown)
}

/// Every reason `members` cannot form a stack under `req`; empty when it can.
///
/// Rules: no duplicates; every concept covered (a chain is present); every `requires` present;
/// an addon with `hosts` has one of them; no two members conflict (waived when the scenario spans
/// environments, since conflicting orchestrators then run in different places); the required
/// capabilities are brought; the memory budget holds.
pub fn stack_problems(members: &[&Technology], req: &StackRequirements) -> Vec<StackProblem> {
    let mut problems = Vec::new();
    let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    for id in &ids {
        if !seen.insert(*id) {
            problems.push(StackProblem::Duplicate(id.to_string()));
        }
    }
    let uncovered: Vec<Concept> = Concept::ALL
        .iter()
        .copied()
        .filter(|c| {
            members
                .iter()
                .all(|m| m.maturity.row(TimeSlice::Static, *c).is_none())
        })
        .collect();
    if !uncovered.is_empty() {
        problems.push(StackProblem::Uncovered(uncovered));
    }
    for m in members {
        for r in &m.requires {
            if !ids.contains(&r.as_str()) {
                problems.push(StackProblem::MissingRequirement {
                    member: m.id.clone(),
                    required: r.clone(),
                });
            }
        }
        if !m.hosts.is_empty() && !m.hosts.iter().any(|h| ids.contains(&h.as_str())) {
            problems.push(StackProblem::MissingHost {
                member: m.id.clone(),
                hosts: m.hosts.clone(),
            });
        }
    }
    if !req.spans_environments {
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                if a.conflicts_with(b) {
                    problems.push(StackProblem::Conflict(a.id.clone(), b.id.clone()));
                }
            }
        }
    }
    for cap in &req.capabilities {
        if !members.iter().any(|m| m.has_capability(cap)) {
            problems.push(StackProblem::MissingCapability(cap.clone()));
        }
    }
    if let Some(budget_mb) = req.budget_mb {
        let (memory_mb, _) = stack_memory_mb(members);
        if memory_mb > budget_mb {
            problems.push(StackProblem::OverBudget {
                memory_mb,
                budget_mb,
            });
        }
    }
    problems
}

/// The fit and score of a stack in a scenario, or `None` when some concept is uncovered. The
/// score is Θ-weighted with the scenario's Θ ([`PreparedScenario::score`]).
pub fn stack_fit_and_score(
    members: &[&Technology],
    scenario: &PreparedScenario,
    params: &Parameters,
) -> Option<([f64; CONCEPT_COUNT], f64)> {
    let tensor = compose_stack(members);
    let matrix = time_matrix(&tensor, scenario.time_mode(), params)?;
    let fit = scenario_fit(&scenario.vector, &matrix);
    Some((fit, scenario.score(&fit)))
}
