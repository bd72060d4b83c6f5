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

use crate::input::PreparedScenario;
use crate::ranking::TIE_TOLERANCE;
use crate::recommend::{recommend_stack, Constraints, ScoredStack, SearchError, SearchStats};
use crate::stack::{stack_fit_and_score, stack_memory_mb, stack_problems, StackRequirements};
use stackmatrix_model::{Concept, Parameters, Technology, TimeMode, TimeSlice, CONCEPT_COUNT};
use std::cmp::Ordering;

/// Memories within this many MB are equal.
pub const COST_TOLERANCE: f64 = 1e-9;

/// Rounding slack of relaxed values against composed scores.
const SLACK: f64 = 1e-11;

const ALL_COVERED: u16 = (1 << CONCEPT_COUNT) - 1;

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
    for id in constraints.include.iter().chain(&constraints.exclude) {
        if !technologies.iter().any(|t| &t.id == id) {
            return Err(SearchError::UnknownId(id.clone()));
        }
    }
    if let Some(id) = constraints
        .include
        .iter()
        .find(|i| constraints.exclude.contains(i))
    {
        return Err(SearchError::IncludedAndExcluded(id.clone()));
    }
    if constraints.include.len() > constraints.max_size {
        return Err(SearchError::TooManyIncluded {
            included: constraints.include.len(),
            max_size: constraints.max_size,
        });
    }
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

/// A candidate in the search's flat layout (see [`Relaxation`]).
struct Cand<'a> {
    tech: &'a Technology,
    values: Vec<f64>,
    uplift: [f64; CONCEPT_COUNT],
    active: Vec<usize>,
    covered: u16,
    caps: u64,
    cost: f64,
}

/// The relaxed value of a set of members, element by element: `Σ_e ω_e · min(1, cur_e +
/// up_{c(e)})` over the used time slices, the concepts and the weighted scenes, with
/// `ω_e = β_slice · score(unit_c) · s_j`. `score(unit_c)` is the scenario's own score of a fit
/// that is 1 on concept `c` and 0 elsewhere, so the relaxation follows the score's weighting
/// (concept weights, Θ) whatever it is, provided it is linear with non-negative coefficients.
struct Relaxation {
    scenes: Vec<usize>,
    slices: Vec<TimeSlice>,
    weights: Vec<f64>,
}

impl Relaxation {
    fn new(s: &PreparedScenario, params: &Parameters) -> Relaxation {
        let scenes: Vec<usize> = (0..s.vector.len()).filter(|j| s.vector[*j] > 0.0).collect();
        let slices = match s.time_mode() {
            TimeMode::Static => vec![(TimeSlice::Static, 1.0)],
            TimeMode::Dynamic => vec![(TimeSlice::Dynamic, 1.0)],
            TimeMode::Blend => vec![
                (TimeSlice::Static, params.time_blend_static),
                (TimeSlice::Dynamic, params.time_blend_dynamic),
            ],
        };
        let per_concept: [f64; CONCEPT_COUNT] = std::array::from_fn(|c| {
            let mut unit = [0.0; CONCEPT_COUNT];
            unit[c] = 1.0;
            s.score(&unit)
        });
        let mut weights = Vec::new();
        for (_, beta) in &slices {
            for k in &per_concept {
                for j in &scenes {
                    weights.push(beta * k * s.vector[*j]);
                }
            }
        }
        Relaxation {
            scenes,
            slices: slices.into_iter().map(|(s, _)| s).collect(),
            weights,
        }
    }

    fn range(&self, slice: usize, c: usize) -> (usize, usize) {
        let n = self.scenes.len();
        let start = (slice * CONCEPT_COUNT + c) * n;
        (start, start + n)
    }

    fn value(&self, cur: &[f64], up: &[f64; CONCEPT_COUNT]) -> f64 {
        let mut total = 0.0;
        for (c, u) in up.iter().enumerate() {
            for s in 0..self.slices.len() {
                let (a, b) = self.range(s, c);
                for (w, x) in self.weights[a..b].iter().zip(&cur[a..b]) {
                    total += w * (x + u).min(1.0);
                }
            }
        }
        total
    }

    fn gain(&self, cur: &[f64], up: &[f64; CONCEPT_COUNT], t: &Cand) -> f64 {
        let mut total = 0.0;
        for &c in &t.active {
            let (u, tu) = (up[c], t.uplift[c]);
            for s in 0..self.slices.len() {
                let (a, b) = self.range(s, c);
                for ((w, x), v) in self.weights[a..b]
                    .iter()
                    .zip(&cur[a..b])
                    .zip(&t.values[a..b])
                {
                    total += w * ((x.max(*v) + u + tu).min(1.0) - (x + u).min(1.0));
                }
            }
        }
        total
    }

    fn candidate<'a>(&self, t: &'a Technology, require: &[String]) -> Cand<'a> {
        let n = self.scenes.len();
        let mut values = vec![0.0; self.weights.len()];
        for (s, slice) in self.slices.iter().enumerate() {
            for c in Concept::ALL {
                if let Some(row) = t.maturity.row(*slice, c) {
                    let start = (s * CONCEPT_COUNT + c.index()) * n;
                    for (a, j) in self.scenes.iter().enumerate() {
                        values[start + a] = row[*j];
                    }
                }
            }
        }
        let covered = Concept::ALL
            .iter()
            .filter(|c| t.maturity.row(TimeSlice::Static, **c).is_some())
            .fold(0u16, |acc, c| acc | (1 << c.index()));
        let mut uplift = [0.0; CONCEPT_COUNT];
        for e in &t.enhancements {
            uplift[e.concept.index()] += e.delta;
        }
        Cand {
            tech: t,
            values,
            active: (0..CONCEPT_COUNT)
                .filter(|c| covered & (1 << c) != 0 || uplift[*c] != 0.0)
                .collect(),
            uplift,
            covered,
            caps: require
                .iter()
                .enumerate()
                .filter(|(_, c)| t.has_capability(c))
                .fold(0, |acc, (i, _)| acc | (1 << i.min(63))),
            cost: t.memory_mb().unwrap_or(0.0),
        }
    }
}

struct Search<'s, 'a> {
    relax: &'s Relaxation,
    pool: &'s [Cand<'a>],
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
        let mut sorted = members.to_vec();
        sorted.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.id.cmp(&b.id)));
        let (memory_mb, memory_unknown) = stack_memory_mb(&sorted);
        let entry = ScoredStack {
            members: sorted.iter().map(|m| m.id.clone()).collect(),
            score,
            fit,
            memory_mb,
            memory_unknown,
        };
        if self
            .best
            .as_ref()
            .is_none_or(|b| cost_order(&entry, b) == Ordering::Less)
        {
            self.best = Some(entry);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn visit(
        &mut self,
        members: &mut Vec<&'a Technology>,
        cur: &[f64],
        up: &[f64; CONCEPT_COUNT],
        covered: u16,
        caps: u64,
        cost: f64,
        list: &[usize],
    ) {
        self.stats.nodes += 1;
        let size = members.len();
        let value = self.relax.value(cur, up);
        if covered == ALL_COVERED
            && caps & self.all_caps == self.all_caps
            && self.reaches(value)
            && self.could_beat(cost, value, size)
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
                    && budget.is_none_or(|b| cost + c.cost <= b + COST_TOLERANCE)
            })
            .collect();
        let gains: Vec<f64> = open
            .iter()
            .map(|&i| self.relax.gain(cur, up, &self.pool[i]))
            .collect();
        let len = open.len();
        let mut suffix_covered = vec![0u16; len + 1];
        let mut suffix_caps = vec![0u64; len + 1];
        for p in (0..len).rev() {
            suffix_covered[p] = suffix_covered[p + 1] | self.pool[open[p]].covered;
            suffix_caps[p] = suffix_caps[p + 1] | self.pool[open[p]].caps;
        }
        if (covered | suffix_covered[0]) != ALL_COVERED
            || (caps | suffix_caps[0]) & self.all_caps != self.all_caps
        {
            self.stats.pruned += 1;
            return;
        }
        let mut child_cur = vec![0.0; cur.len()];
        for p in 0..len {
            let c = &self.pool[open[p]];
            let child_cost = cost + c.cost;
            let mut top: Vec<f64> = gains[p..].to_vec();
            top.sort_unstable_by(|a, b| b.total_cmp(a));
            let bound = value + top.iter().take(room).sum::<f64>();
            if !self.reaches(bound) || !self.could_beat(child_cost, bound, size + 1) {
                self.stats.pruned += 1;
                break;
            }
            let child_covered = covered | c.covered;
            let child_caps = caps | c.caps;
            if (child_covered | suffix_covered[p + 1]) != ALL_COVERED
                || (child_caps | suffix_caps[p + 1]) & self.all_caps != self.all_caps
            {
                self.stats.pruned += 1;
                continue;
            }
            for ((o, x), v) in child_cur.iter_mut().zip(cur).zip(&c.values) {
                *o = x.max(*v);
            }
            let mut child_up = *up;
            for (u, d) in child_up.iter_mut().zip(&c.uplift) {
                *u += d;
            }
            members.push(c.tech);
            let rest = open[p + 1..].to_vec();
            let snapshot = child_cur.clone();
            self.visit(
                members,
                &snapshot,
                &child_up,
                child_covered,
                child_caps,
                child_cost,
                &rest,
            );
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
    let relax = Relaxation::new(scenario, params);
    let requirements = StackRequirements {
        capabilities: constraints.require.clone(),
        budget_mb: constraints.budget_mb,
        spans_environments: constraints.spans_environments,
    };
    let forced: Vec<&Technology> = constraints
        .include
        .iter()
        .filter_map(|i| technologies.iter().find(|t| &t.id == i).copied())
        .collect();
    let mut pool: Vec<Cand> = technologies
        .iter()
        .filter(|t| {
            !constraints.exclude.contains(&t.id)
                && !constraints.include.contains(&t.id)
                && (constraints.spans_environments || !forced.iter().any(|f| f.conflicts_with(t)))
        })
        .map(|t| relax.candidate(t, &constraints.require))
        .collect();
    pool.sort_by(|a, b| {
        a.cost
            .total_cmp(&b.cost)
            .then_with(|| a.tech.id.cmp(&b.tech.id))
    });
    stats.candidates = stats.candidates.max(pool.len());
    let mut cur = vec![0.0f64; relax.weights.len()];
    let mut up = [0.0f64; CONCEPT_COUNT];
    let (mut covered, mut caps, mut cost) = (0u16, 0u64, 0.0);
    for f in &forced {
        let c = relax.candidate(f, &constraints.require);
        for (x, v) in cur.iter_mut().zip(&c.values) {
            *x = x.max(*v);
        }
        for (u, d) in up.iter_mut().zip(&c.uplift) {
            *u += d;
        }
        covered |= c.covered;
        caps |= c.caps;
        cost += c.cost;
    }
    let all_caps: u64 = (0..constraints.require.len().min(64)).fold(0, |a, i| a | (1 << i));
    let list: Vec<usize> = (0..pool.len()).collect();
    let mut s = Search {
        relax: &relax,
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
    s.visit(&mut members, &cur, &up, covered, caps, cost, &list);
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
    let requirements = StackRequirements {
        capabilities: constraints.require.clone(),
        budget_mb: constraints.budget_mb,
        spans_environments: constraints.spans_environments,
    };
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
                    let mut sorted = members.clone();
                    sorted.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.id.cmp(&b.id)));
                    let (memory_mb, memory_unknown) = stack_memory_mb(&sorted);
                    let entry = ScoredStack {
                        members: sorted.iter().map(|m| m.id.clone()).collect(),
                        score,
                        fit,
                        memory_mb,
                        memory_unknown,
                    };
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
