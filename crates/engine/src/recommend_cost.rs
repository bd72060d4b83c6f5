//! Cost-constrained choice: the cheapest stack whose score reaches a threshold, found by an exact
//! branch-and-bound search.
//!
//! Reference formula: "minimise cost subject to score ≥ threshold". The cost of a stack is its
//! memory footprint per node, [`crate::stack_memory_mb`] (the figure `--budget-mb` limits); the
//! score is [`crate::stack_fit_and_score`]'s. A score reaches `X` when it is at least `X − 1e-9`
//! ([`crate::TIE_TOLERANCE`]).
//!
//! # Order
//!
//! Less memory first (memories within `1e-9` MB are equal), then the higher score (within the tie
//! tolerance), then fewer members, then member ids.
//!
//! # Members of unknown memory
//!
//! They cannot be priced, so they are never silently free. By default they are left out of the
//! candidates (and named). With `allow_unknown_memory` they are admitted, counting 0 MB, but every
//! stack with such a member ranks after every fully priced stack: the search first runs without
//! them and only when no fully priced stack reaches the threshold runs again with them. An
//! *included* member of unknown memory is always admitted: it is in every answer, so it cannot
//! make one answer look cheaper than another.
//!
//! # Why the search is exact
//!
//! Depth first over sets of candidates sorted by memory (ascending), with three cuts, each of
//! which removes only subtrees that cannot hold a better answer:
//!
//! - **Cost.** Memory never decreases as members are added (footprints are non-negative). A
//!   child whose memory exceeds the best answer's, or the budget, cannot lead to a better or a
//!   feasible stack, and neither can the later children (they cost at least as much).
//! - **Score.** The relaxed value (uncovered concepts count 0, uplifts apply) satisfies
//!   `value(S ∪ T) ≤ value(S) + Σ_{t ∈ T} gain(t | S)`: the submodular bound proven in
//!   [`crate::recommend_stack`]'s documentation (`recommend.rs`). With at most `r` more members
//!   from the candidates after position `p`, the best score below is at most `value(S)` plus the
//!   `r` largest gains among them. A subtree whose bound is below the threshold (minus the tie
//!   tolerance and a rounding slack) holds no stack that reaches it; a subtree whose memory ties
//!   the best answer's and whose bound cannot beat its score (or tie it with no more members)
//!   holds no better answer. The bound never grows and the memory never shrinks with `p`, so the
//!   first child that fails either test ends the loop.
//! - **Rules.** A child whose remaining candidates cannot complete the coverage of every concept
//!   or the required capabilities, or that conflicts with a member, is cut.
//!
//! Every stack not cut is checked by [`crate::stack_problems`] and scored by
//! [`crate::stack_fit_and_score`], the same rules and score every other verb uses. The test
//! `crates/engine/tests/recommend_cost_optimality.rs` checks the answer against
//! [`exhaustive_min_cost`] on random synthetic catalogs.

use crate::bnb::{
    check_constraints, scored, top_gains, Candidate, Objective, Partial, Reach, SLACK,
};
use crate::input::PreparedScenario;
use crate::ranking::TIE_TOLERANCE;
use crate::recommend::{recommend_stack, Constraints, ScoredStack, SearchError, SearchStats};
use crate::stack::{stack_fit_and_score, stack_problems, StackRequirements};
use stackmatrix_model::{Parameters, Technology};
use std::cmp::Ordering;

/// Memories within this many MB are equal.
pub const COST_TOLERANCE: f64 = 1e-9;

/// The answer of [`recommend_min_cost`].
#[derive(Debug, Clone, PartialEq)]
pub struct MinCostResult {
    /// The threshold the score had to reach.
    pub min_score: f64,
    /// The cheapest stack whose score reaches it, `None` when no stack does.
    pub stack: Option<ScoredStack>,
    /// When no stack reaches the threshold: the best stack under the same constraints and
    /// candidates (its score is the best reachable), `None` when no stack is feasible at all.
    pub best_reachable: Option<ScoredStack>,
    /// Candidates left out because their memory is unknown.
    pub unknown_memory_excluded: Vec<String>,
    /// True when the answer needed a member of unknown memory (only with
    /// `allow_unknown_memory`): no fully priced stack reaches the threshold.
    pub unknown_memory_used: bool,
    /// What the search did (both passes together).
    pub stats: SearchStats,
}

/// The documented order of cost-constrained answers: less memory, then higher score, then fewer
/// members, then ids.
pub fn cost_order(a: &ScoredStack, b: &ScoredStack) -> Ordering {
    if (a.memory_mb - b.memory_mb).abs() > COST_TOLERANCE {
        return a.memory_mb.total_cmp(&b.memory_mb);
    }
    if (a.score - b.score).abs() > TIE_TOLERANCE {
        return b.score.total_cmp(&a.score);
    }
    a.members
        .len()
        .cmp(&b.members.len())
        .then_with(|| a.members.cmp(&b.members))
}

/// The cheapest stack whose score reaches `min_score` under `constraints` (its `alternatives`
/// is not used), exactly; see the module documentation.
pub fn recommend_min_cost(
    technologies: &[&Technology],
    scenario: &PreparedScenario,
    params: &Parameters,
    constraints: &Constraints,
    min_score: f64,
    allow_unknown_memory: bool,
) -> Result<MinCostResult, SearchError> {
    // The checks of the ordinary search (unknown ids, include and exclude) first.
    check_constraints(technologies, constraints)?;
    let priced = |t: &Technology| t.memory_mb().is_some() || constraints.include.contains(&t.id);
    let known: Vec<&Technology> = technologies.iter().filter(|t| priced(t)).copied().collect();
    let unknown: Vec<String> = technologies
        .iter()
        .filter(|t| !priced(t) && !constraints.exclude.contains(&t.id))
        .map(|t| t.id.clone())
        .collect();
    let mut stats = SearchStats::default();
    let first = search(&known, scenario, params, constraints, min_score, &mut stats);
    let (stack, pool, excluded, used) = match first {
        Some(s) => (Some(s), known, unknown, false),
        None if allow_unknown_memory && !unknown.is_empty() => {
            let all: Vec<&Technology> = technologies.to_vec();
            let second = search(&all, scenario, params, constraints, min_score, &mut stats);
            let used = second.is_some();
            (second, all, Vec::new(), used)
        }
        None => (None, known, unknown, false),
    };
    let best_reachable = if stack.is_none() {
        let best = recommend_stack(
            &pool,
            scenario,
            params,
            &Constraints {
                alternatives: 1,
                ..constraints.clone()
            },
        )?;
        best.stacks.into_iter().next()
    } else {
        None
    };
    Ok(MinCostResult {
        min_score,
        stack,
        best_reachable,
        unknown_memory_excluded: excluded,
        unknown_memory_used: used,
        stats,
    })
}

struct Search<'s, 'a> {
    objective: &'s Objective,
    pool: &'s [Candidate<'a>],
    requirements: &'s StackRequirements,
    scenario: &'s PreparedScenario,
    params: &'s Parameters,
    max_size: usize,
    min_score: f64,
    all_caps: u64,
    best: Option<ScoredStack>,
    stats: &'s mut SearchStats,
}

impl<'a> Search<'_, 'a> {
    /// False when no stack of at least `size` members, memory at least `cost` and score at most
    /// `bound` can come before the best answer so far.
    fn could_beat(&self, cost: f64, bound: f64, size: usize) -> bool {
        let Some(best) = &self.best else {
            return true;
        };
        if cost > best.memory_mb + COST_TOLERANCE {
            return false;
        }
        if cost < best.memory_mb - COST_TOLERANCE {
            return true;
        }
        let bound = bound + SLACK;
        bound > best.score + TIE_TOLERANCE
            || (bound >= best.score - TIE_TOLERANCE && size <= best.members.len())
    }

    fn reaches(&self, bound: f64) -> bool {
        bound + SLACK >= self.min_score - TIE_TOLERANCE
    }

    fn consider(&mut self, members: &[&'a Technology]) {
        if !stack_problems(members, self.requirements).is_empty() {
            return;
        }
        self.stats.feasible += 1;
        let Some((fit, score)) = stack_fit_and_score(members, self.scenario, self.params) else {
            return;
        };
        if score < self.min_score - TIE_TOLERANCE {
            return;
        }
        let entry = scored(members, fit, score);
        if self
            .best
            .as_ref()
            .is_none_or(|b| cost_order(&entry, b) == Ordering::Less)
        {
            self.best = Some(entry);
        }
    }

    /// Visits the partial stack `node` (of `members`), whose children may add `list`.
    fn visit(&mut self, members: &mut Vec<&'a Technology>, node: &Partial, list: &[usize]) {
        self.stats.nodes += 1;
        let size = members.len();
        let value = self.objective.value(&node.cur, &node.up);
        if node.complete(self.all_caps)
            && self.reaches(value)
            && self.could_beat(node.memory, value, size)
        {
            self.consider(members);
        }
        let room = self.max_size.saturating_sub(size);
        if room == 0 || list.is_empty() {
            return;
        }
        let budget = self.requirements.budget_mb;
        let open: Vec<usize> = list
            .iter()
            .copied()
            .filter(|&i| {
                let c = &self.pool[i];
                (self.requirements.spans_environments
                    || !members.iter().any(|m| m.conflicts_with(c.tech)))
                    && budget.is_none_or(|b| node.memory + c.memory <= b + COST_TOLERANCE)
            })
            .collect();
        let gains: Vec<f64> = open
            .iter()
            .map(|&i| self.objective.gain(&node.cur, &node.up, &self.pool[i]))
            .collect();
        let mut reach = Reach::with_capacity(open.len());
        reach.fill(self.pool, &open);
        if !reach.can_complete(node.covered, node.caps, 0, self.all_caps) {
            self.stats.pruned += 1;
            return;
        }
        let mut child = Partial::new(node.cur.len());
        for p in 0..open.len() {
            let c = &self.pool[open[p]];
            let bound = value + top_gains(&gains[p..], room);
            if !self.reaches(bound) || !self.could_beat(node.memory + c.memory, bound, size + 1) {
                self.stats.pruned += 1;
                break;
            }
            if !reach.can_complete(
                node.covered | c.covered,
                node.caps | c.caps,
                p + 1,
                self.all_caps,
            ) {
                self.stats.pruned += 1;
                continue;
            }
            child.extend(node, c);
            members.push(c.tech);
            self.visit(members, &child, &open[p + 1..]);
            members.pop();
        }
    }
}

/// One pass of the search over `technologies` (the unknown-memory rule already applied).
fn search(
    technologies: &[&Technology],
    scenario: &PreparedScenario,
    params: &Parameters,
    constraints: &Constraints,
    min_score: f64,
    stats: &mut SearchStats,
) -> Option<ScoredStack> {
    let objective = Objective::new(scenario, params);
    let requirements = constraints.requirements();
    let forced: Vec<&Technology> = constraints
        .include
        .iter()
        .filter_map(|i| technologies.iter().find(|t| &t.id == i).copied())
        .collect();
    let mut pool: Vec<Candidate> = technologies
        .iter()
        .filter(|t| {
            !constraints.exclude.contains(&t.id)
                && !constraints.include.contains(&t.id)
                && (constraints.spans_environments || !forced.iter().any(|f| f.conflicts_with(t)))
        })
        .map(|t| objective.candidate(t, &constraints.require))
        .collect();
    pool.sort_by(|a, b| {
        a.memory
            .total_cmp(&b.memory)
            .then_with(|| a.tech.id.cmp(&b.tech.id))
    });
    stats.candidates = stats.candidates.max(pool.len());
    let mut root = Partial::new(objective.len());
    for f in &forced {
        root.add(&objective.candidate(f, &constraints.require));
    }
    let all_caps = constraints.capability_mask();
    let list: Vec<usize> = (0..pool.len()).collect();
    let mut s = Search {
        objective: &objective,
        pool: &pool,
        requirements: &requirements,
        scenario,
        params,
        max_size: constraints.max_size,
        min_score,
        all_caps,
        best: None,
        stats,
    };
    let mut members = forced.clone();
    s.visit(&mut members, &root, &list);
    s.best
}

/// The cheapest stack whose score reaches `min_score`, by enumerating every set of at most
/// `constraints.max_size` members: the reference [`recommend_min_cost`] is tested against.
/// Applies the unknown-memory rule independently: without `allow_unknown_memory` members of
/// unknown memory (other than included ones) are never candidates; with it, every stack with
/// such a member ranks after every fully priced one. Exponential; for small catalogs.
pub fn exhaustive_min_cost(
    technologies: &[&Technology],
    scenario: &PreparedScenario,
    params: &Parameters,
    constraints: &Constraints,
    min_score: f64,
    allow_unknown_memory: bool,
) -> Option<ScoredStack> {
    let requirements = constraints.requirements();
    let pool: Vec<&Technology> = technologies
        .iter()
        .filter(|t| !constraints.exclude.contains(&t.id))
        .copied()
        .collect();
    let unpriced = |m: &Technology| m.memory_mb().is_none() && !constraints.include.contains(&m.id);
    let mut best: Option<(bool, ScoredStack)> = None;
    let n = pool.len();
    let mut chosen: Vec<usize> = Vec::new();
    fn next(chosen: &mut Vec<usize>, n: usize, k: usize) -> bool {
        // Subsets in lexicographic order of index lists, sizes 0..=k.
        if chosen.len() < k {
            let start = chosen.last().map_or(0, |l| l + 1);
            if start < n {
                chosen.push(start);
                return true;
            }
        }
        while let Some(last) = chosen.pop() {
            if last + 1 < n {
                chosen.push(last + 1);
                return true;
            }
        }
        false
    }
    loop {
        let members: Vec<&Technology> = chosen.iter().map(|i| pool[*i]).collect();
        let ok = constraints
            .include
            .iter()
            .all(|i| members.iter().any(|m| &m.id == i))
            && (allow_unknown_memory || !members.iter().any(|m| unpriced(m)))
            && stack_problems(&members, &requirements).is_empty();
        if ok {
            if let Some((fit, score)) = stack_fit_and_score(&members, scenario, params) {
                if score >= min_score - TIE_TOLERANCE {
                    let flag = members.iter().any(|m| unpriced(m));
                    let entry = scored(&members, fit, score);
                    let better = match &best {
                        None => true,
                        Some((bf, b)) => {
                            (flag, Ordering::Equal) < (*bf, Ordering::Equal)
                                || (flag == *bf && cost_order(&entry, b) == Ordering::Less)
                        }
                    };
                    if better {
                        best = Some((flag, entry));
                    }
                }
            }
        }
        if !next(&mut chosen, n, constraints.max_size) {
            break;
        }
    }
    best.map(|(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackmatrix_model::CONCEPT_COUNT;

    fn stack(members: &[&str], score: f64, memory_mb: f64) -> ScoredStack {
        ScoredStack {
            members: members.iter().map(|m| m.to_string()).collect(),
            score,
            fit: [0.0; CONCEPT_COUNT],
            memory_mb,
            memory_unknown: Vec::new(),
        }
    }

    #[test]
    fn less_memory_then_higher_score_then_fewer_members_then_ids() {
        let a = stack(&["k3s"], 8.0, 275.0);
        let b = stack(&["k8s"], 9.9, 2048.0);
        assert_eq!(cost_order(&a, &b), Ordering::Less);
        let c = stack(&["k3s", "x"], 8.5, 275.0 + 1e-12);
        assert_eq!(
            cost_order(&c, &a),
            Ordering::Less,
            "equal memory: higher score"
        );
        let d = stack(&["a", "b"], 8.0 + 1e-12, 275.0);
        assert_eq!(cost_order(&a, &d), Ordering::Less, "then fewer members");
        let e = stack(&["a"], 8.0, 275.0);
        assert_eq!(cost_order(&e, &a), Ordering::Less, "then ids");
    }
}
