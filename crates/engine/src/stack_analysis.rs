//! What a recommended stack rests on: each member's gain, and which constraint binds.

use crate::input::PreparedScenario;
use crate::recommend::{recommend_stack, Constraints, ScoredStack, SearchError};
use crate::stack::{stack_fit_and_score, stack_problems, StackProblem, StackRequirements};
use stackmatrix_model::{Parameters, Technology, CONCEPT_COUNT};

/// What one member adds to its stack.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberGain {
    /// The member.
    pub id: String,
    /// Per concept: the stack's score contribution minus that of the stack without this member
    /// (`10 · w_c · θ_c · (f_c(S) − f_c(S∖m)) / Σ w`), where the rest can still be scored.
    pub per_concept: Option<[f64; CONCEPT_COUNT]>,
    /// Score of the stack minus score of the stack without the member, where the rest can still
    /// be scored.
    pub total: Option<f64>,
    /// Rules the stack would break without the member (it hosts another member, brings a required
    /// capability, or is the only chain).
    pub needed_for: Vec<StackProblem>,
}

/// Each member's gain: what the stack loses, per concept and in total, when the member leaves.
pub fn member_gains(
    members: &[&Technology],
    scenario: &PreparedScenario,
    params: &Parameters,
    requirements: &StackRequirements,
) -> Vec<MemberGain> {
    let full = stack_fit_and_score(members, scenario, params);
    members
        .iter()
        .enumerate()
        .map(|(skip, m)| {
            let rest: Vec<&Technology> = members
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, t)| *t)
                .collect();
            let without = stack_fit_and_score(&rest, scenario, params);
            let (per_concept, total) = match (full, without) {
                (Some((f, s)), Some((g, t))) => {
                    let a = scenario.contributions(&f);
                    let b = scenario.contributions(&g);
                    (Some(std::array::from_fn(|i| a[i] - b[i])), Some(s - t))
                }
                _ => (None, None),
            };
            let before = stack_problems(members, requirements);
            let needed_for = stack_problems(&rest, requirements)
                .into_iter()
                .filter(|p| !before.contains(p))
                .collect();
            MemberGain {
                id: m.id.clone(),
                per_concept,
                total,
                needed_for,
            }
        })
        .collect()
}

/// A constraint of a recommendation, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintKind {
    /// `--max-size K`.
    MaxSize(usize),
    /// `--budget-mb N`.
    Budget(f64),
    /// A required capability (the scenario's or `--require`).
    Require(String),
    /// `--include ID`.
    Include(String),
    /// `--exclude ID`.
    Exclude(String),
}

/// What a constraint costs: the best stack with the constraint relaxed.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintEffect {
    /// The constraint.
    pub constraint: ConstraintKind,
    /// The best stack without it (for max-size: with one more member).
    pub relaxed_best: Option<ScoredStack>,
    /// True when relaxing it would raise the best score by more than the tie tolerance.
    pub binds: bool,
}

/// For each active constraint, the best stack with that constraint relaxed, and whether it binds.
///
/// Relaxing means: one more member for `max_size`, no budget, dropping one required capability,
/// one include or one exclude. The search is exact each time, so "binds" is a proof, not an
/// estimate.
pub fn constraint_effects(
    technologies: &[&Technology],
    scenario: &PreparedScenario,
    params: &Parameters,
    constraints: &Constraints,
    best_score: Option<f64>,
) -> Result<Vec<ConstraintEffect>, SearchError> {
    let single = Constraints {
        alternatives: 1,
        ..constraints.clone()
    };
    let mut relaxations: Vec<(ConstraintKind, Constraints)> = Vec::new();
    relaxations.push((
        ConstraintKind::MaxSize(constraints.max_size),
        Constraints {
            max_size: constraints.max_size + 1,
            ..single.clone()
        },
    ));
    if let Some(b) = constraints.budget_mb {
        relaxations.push((
            ConstraintKind::Budget(b),
            Constraints {
                budget_mb: None,
                ..single.clone()
            },
        ));
    }
    for (field, make) in [
        (
            &constraints.require,
            ConstraintKind::Require as fn(String) -> ConstraintKind,
        ),
        (&constraints.include, ConstraintKind::Include),
        (&constraints.exclude, ConstraintKind::Exclude),
    ] {
        for (i, id) in field.iter().enumerate() {
            let mut c = single.clone();
            let list = match make(String::new()) {
                ConstraintKind::Require(_) => &mut c.require,
                ConstraintKind::Include(_) => &mut c.include,
                _ => &mut c.exclude,
            };
            list.remove(i);
            relaxations.push((make(id.clone()), c));
        }
    }
    relaxations
        .into_iter()
        .map(|(constraint, relaxed)| {
            let result = recommend_stack(technologies, scenario, params, &relaxed)?;
            let relaxed_best = result.stacks.into_iter().next();
            let binds = match (&relaxed_best, best_score) {
                (Some(r), Some(b)) => r.score > b + crate::ranking::TIE_TOLERANCE,
                (Some(_), None) => true,
                _ => false,
            };
            Ok(ConstraintEffect {
                constraint,
                relaxed_best,
                binds,
            })
        })
        .collect()
}
