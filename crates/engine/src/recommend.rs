//! Recommending a stack: the best feasible set of technologies under constraints, found by an
//! exact branch-and-bound search whose bound is proven, so the answer is optimal, not a guess.
//!
//! # Why the bound holds
//!
//! Relax a stack's value by letting an uncovered concept count with maturity 0 (a feasible stack
//! covers every concept, so for it the relaxed value is the true score). Per matrix element the
//! relaxed value is `h(max_m a_m + Σ_m e_m)` with `h(x) = min(1, x)` concave and non-decreasing,
//! and the score is a non-negative combination of elements. Adding a set `T` to a stack `S` raises
//! the element by at most the sum of what each `t ∈ T` raises it by alone (the max gains at most
//! the sum of single gains, the uplifts add up, and a concave `h` makes joint increments no larger
//! than the sum of single ones). Hence `value(S ∪ T) ≤ value(S) + Σ_{t ∈ T} gain(t | S)`, and with
//! at most `r` more members the best completion of `S` is bounded by `value(S)` plus the `r` largest
//! single gains among the remaining candidates. A branch whose bound is below the k-th best stack
//! found so far cannot hold a better one and is cut.

use crate::input::PreparedScenario;
use crate::ranking::TIE_TOLERANCE;
use crate::stack::{stack_fit_and_score, stack_memory_mb, stack_problems, StackRequirements};
use stackmatrix_model::{Concept, Parameters, Technology, TimeMode, TimeSlice, CONCEPT_COUNT};

/// Constraints of a recommendation.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraints {
    /// Most members a stack may have.
    pub max_size: usize,
    /// Memory per node the stack may use, MB.
    pub budget_mb: Option<f64>,
    /// Capabilities the stack must bring (the scenario's and the user's).
    pub require: Vec<String>,
    /// Ids that must be members.
    pub include: Vec<String>,
    /// Ids that may not be members.
    pub exclude: Vec<String>,
    /// True when members may live in different environments (conflicts waived).
    pub spans_environments: bool,
    /// How many stacks to return: the best and the next best.
    pub alternatives: usize,
}

impl Default for Constraints {
    fn default() -> Self {
        Constraints {
            max_size: 4,
            budget_mb: None,
            require: Vec::new(),
            include: Vec::new(),
            exclude: Vec::new(),
            spans_environments: false,
            alternatives: 5,
        }
    }
}

/// A stack with its score.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredStack {
    /// Member ids, chains first, then by id.
    pub members: Vec<String>,
    /// Score on the 0 to 10 scale (computed by the composition rule, full precision).
    pub score: f64,
    /// Per-concept fit of the composed stack.
    pub fit: [f64; CONCEPT_COUNT],
    /// Memory per node, MB (members of unknown memory count 0).
    pub memory_mb: f64,
    /// Members whose memory is unknown.
    pub memory_unknown: Vec<String>,
}

impl ScoredStack {
    /// The stack's id: member ids joined by `+`.
    pub fn id(&self) -> String {
        self.members.join("+")
    }
}

/// How much the search did, to show that the answer was proven rather than sampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SearchStats {
    /// Candidates after exclusions.
    pub candidates: usize,
    /// Search nodes visited (partial stacks).
    pub nodes: u64,
    /// Branches cut by the bound.
    pub pruned: u64,
    /// Feasible stacks scored.
    pub feasible: u64,
}

/// The answer of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult {
    /// Best stacks, best first: score descending, then fewer members, then ids. Every stack is
    /// irredundant: removing any member not forced by `include` either breaks a rule or lowers the
    /// score by more than the tie tolerance.
    pub stacks: Vec<ScoredStack>,
    /// Search statistics.
    pub stats: SearchStats,
}

/// Why a search could not start.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SearchError {
    /// An id in include or exclude is unknown.
    #[error("unknown technology '{0}'")]
    UnknownId(String),
    /// An id is both included and excluded.
    #[error("'{0}' is both included and excluded")]
    IncludedAndExcluded(String),
    /// The included members alone break a rule that more members cannot mend.
    #[error("the included members cannot form a stack: {0}")]
    IncludeInfeasible(String),
    /// More members are included than the size allows.
    #[error("{included} members are included but --max-size is {max_size}")]
    TooManyIncluded {
        /// Included members.
        included: usize,
        /// The size limit.
        max_size: usize,
    },
}

/// A candidate's values restricted to the scenes the scenario weighs.
struct Candidate<'a> {
    tech: &'a Technology,
    /// `values[slice][c * n + a]`: maturity in active scene `a`, 0 where no row.
    values: Vec<Vec<f64>>,
    covered: u16,
    uplift: [f64; CONCEPT_COUNT],
    memory: f64,
    caps: u64,
}

/// The search's view of the scenario: active scenes, slice weights, concept weights.
struct Objective {
    /// Weights of the active scenes (sum 1).
    scene_weights: Vec<f64>,
    /// Indices of the active scenes.
    scenes: Vec<usize>,
    /// Slices used and their weights (static 1; dynamic 1; blend 0.6 / 0.4).
    slices: Vec<(TimeSlice, f64)>,
    /// `10 · w_c / Σ w`.
    concept_weights: [f64; CONCEPT_COUNT],
}

impl Objective {
    fn new(s: &PreparedScenario, params: &Parameters) -> Objective {
        let scenes: Vec<usize> = (0..s.vector.len()).filter(|j| s.vector[*j] > 0.0).collect();
        let total: f64 = s.weights.iter().sum();
        let slices = match s.time_mode() {
            TimeMode::Static => vec![(TimeSlice::Static, 1.0)],
            TimeMode::Dynamic => vec![(TimeSlice::Dynamic, 1.0)],
            TimeMode::Blend => vec![
                (TimeSlice::Static, params.time_blend_static),
                (TimeSlice::Dynamic, params.time_blend_dynamic),
            ],
        };
        Objective {
            scene_weights: scenes.iter().map(|j| s.vector[*j]).collect(),
            scenes,
            slices,
            concept_weights: s.weights.map(|w| 10.0 * w / total),
        }
    }

    fn width(&self) -> usize {
        CONCEPT_COUNT * self.scenes.len()
    }

    /// Relaxed value of maxima `cur` with uplifts `up`: uncovered elements count as 0.
    fn value(&self, cur: &[Vec<f64>], up: &[f64; CONCEPT_COUNT]) -> f64 {
        let n = self.scenes.len();
        let mut total = 0.0;
        for ((_, beta), vals) in self.slices.iter().zip(cur) {
            for (c, uplift) in up.iter().enumerate() {
                let mut fit = 0.0;
                for (a, s) in self.scene_weights.iter().enumerate() {
                    fit += s * (vals[c * n + a] + uplift).min(1.0);
                }
                total += beta * self.concept_weights[c] * fit;
            }
        }
        total
    }

    /// What adding `t` to maxima `cur` with uplifts `up` adds to the relaxed value.
    fn gain(&self, cur: &[Vec<f64>], up: &[f64; CONCEPT_COUNT], t: &Candidate) -> f64 {
        let n = self.scenes.len();
        let mut total = 0.0;
        for (((_, beta), vals), tv) in self.slices.iter().zip(cur).zip(&t.values) {
            for (c, (u, tu)) in up.iter().zip(&t.uplift).enumerate() {
                if *tu == 0.0 && t.covered & (1 << c) == 0 {
                    continue;
                }
                let mut d = 0.0;
                for (a, s) in self.scene_weights.iter().enumerate() {
                    let i = c * n + a;
                    let before = (vals[i] + u).min(1.0);
                    let after = (vals[i].max(tv[i]) + u + tu).min(1.0);
                    d += s * (after - before);
                }
                total += beta * self.concept_weights[c] * d;
            }
        }
        total
    }
}

const ALL_COVERED: u16 = (1 << CONCEPT_COUNT) - 1;

/// Finds the best stacks among `technologies` for a scenario under constraints, exactly.
///
/// The result is optimal: every stack the search did not score lies in a branch whose proven
/// bound (see the module documentation) is below the stacks returned. Scores are recomputed with
/// [`stack_fit_and_score`], the same composition rule every other verb uses.
pub fn recommend_stack<'a>(
    technologies: &[&'a Technology],
    scenario: &PreparedScenario,
    params: &Parameters,
    constraints: &Constraints,
) -> Result<SearchResult, SearchError> {
    let by_id = |id: &str| technologies.iter().find(|t| t.id == id).copied();
    for id in constraints.include.iter().chain(&constraints.exclude) {
        if by_id(id).is_none() {
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
    let objective = Objective::new(scenario, params);
    let requirements = StackRequirements {
        capabilities: constraints.require.clone(),
        budget_mb: constraints.budget_mb,
        spans_environments: constraints.spans_environments,
    };
    let included: Vec<&Technology> = constraints
        .include
        .iter()
        .filter_map(|i| by_id(i))
        .collect();
    // Conflicts and the budget only get worse with more members: if the included set breaks
    // them, nothing can mend it.
    let hard = StackRequirements {
        capabilities: Vec::new(),
        budget_mb: constraints.budget_mb,
        spans_environments: constraints.spans_environments,
    };
    if let Some(p) = stack_problems(&included, &hard).into_iter().find(|p| {
        matches!(
            p,
            crate::stack::StackProblem::Conflict(..)
                | crate::stack::StackProblem::OverBudget { .. }
                | crate::stack::StackProblem::Duplicate(_)
        )
    }) {
        return Err(SearchError::IncludeInfeasible(p.to_string()));
    }
    let cap_bit = |t: &Technology| -> u64 {
        constraints
            .require
            .iter()
            .enumerate()
            .filter(|(_, c)| t.has_capability(c))
            .fold(0, |acc, (i, _)| acc | (1 << i.min(63)))
    };
    let all_caps: u64 = (0..constraints.require.len().min(64)).fold(0, |a, i| a | (1 << i));
    let make = |t: &'a Technology| -> Candidate<'a> {
        let n = objective.scenes.len();
        let values = objective
            .slices
            .iter()
            .map(|(slice, _)| {
                let mut v = vec![0.0; objective.width()];
                for c in Concept::ALL {
                    if let Some(row) = t.maturity.row(*slice, c) {
                        for (a, j) in objective.scenes.iter().enumerate() {
                            v[c.index() * n + a] = row[*j];
                        }
                    }
                }
                v
            })
            .collect();
        let covered = Concept::ALL
            .iter()
            .filter(|c| t.maturity.row(TimeSlice::Static, **c).is_some())
            .fold(0u16, |acc, c| acc | (1 << c.index()));
        let mut uplift = [0.0; CONCEPT_COUNT];
        for e in &t.enhancements {
            uplift[e.concept.index()] += e.delta;
        }
        Candidate {
            tech: t,
            values,
            covered,
            uplift,
            memory: t.memory_mb().unwrap_or(0.0),
            caps: cap_bit(t),
        }
    };
    let forced: Vec<Candidate> = included.iter().map(|t| make(t)).collect();
    let mut pool: Vec<Candidate> = technologies
        .iter()
        .filter(|t| !constraints.exclude.contains(&t.id) && !constraints.include.contains(&t.id))
        .filter(|t| constraints.spans_environments || !included.iter().any(|i| i.conflicts_with(t)))
        .map(|t| make(t))
        .collect();
    // Strong candidates first, so good stacks are found early and the bound cuts more.
    let empty: Vec<Vec<f64>> = vec![vec![0.0; objective.width()]; objective.slices.len()];
    let zero = [0.0; CONCEPT_COUNT];
    let mut keyed: Vec<(f64, Candidate)> = pool
        .drain(..)
        .map(|c| (objective.gain(&empty, &zero, &c), c))
        .collect();
    keyed.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1.tech.id.cmp(&b.1.tech.id))
    });
    let pool: Vec<Candidate> = keyed.into_iter().map(|(_, c)| c).collect();

    let mut search = Search {
        objective: &objective,
        pool: &pool,
        requirements: &requirements,
        constraints,
        scenario,
        params,
        best: Vec::new(),
        stats: SearchStats {
            candidates: pool.len(),
            ..SearchStats::default()
        },
        suffix_covered: suffix_or(&pool, |c| c.covered as u64),
        suffix_caps: suffix_or(&pool, |c| c.caps),
        all_caps,
    };
    let mut state = State {
        cur: empty.clone(),
        up: zero,
        covered: 0,
        caps: 0,
        memory: 0.0,
        members: Vec::new(),
    };
    for f in &forced {
        state.add(f);
    }
    search.visit(&mut state, &forced, 0);
    let stats = search.stats;
    Ok(SearchResult {
        stacks: search.best,
        stats,
    })
}

fn suffix_or(pool: &[Candidate], f: impl Fn(&Candidate) -> u64) -> Vec<u64> {
    let mut out = vec![0u64; pool.len() + 1];
    for i in (0..pool.len()).rev() {
        out[i] = out[i + 1] | f(&pool[i]);
    }
    out
}

struct State<'a> {
    cur: Vec<Vec<f64>>,
    up: [f64; CONCEPT_COUNT],
    covered: u16,
    caps: u64,
    memory: f64,
    members: Vec<&'a Technology>,
}

impl<'a> State<'a> {
    fn add(&mut self, c: &Candidate<'a>) {
        for (cur, v) in self.cur.iter_mut().zip(&c.values) {
            for (x, y) in cur.iter_mut().zip(v) {
                *x = x.max(*y);
            }
        }
        for (u, d) in self.up.iter_mut().zip(&c.uplift) {
            *u += d;
        }
        self.covered |= c.covered;
        self.caps |= c.caps;
        self.memory += c.memory;
        self.members.push(c.tech);
    }
}

struct Search<'s, 'a> {
    objective: &'s Objective,
    pool: &'s [Candidate<'a>],
    requirements: &'s StackRequirements,
    constraints: &'s Constraints,
    scenario: &'s PreparedScenario,
    params: &'s Parameters,
    best: Vec<ScoredStack>,
    stats: SearchStats,
    suffix_covered: Vec<u64>,
    suffix_caps: Vec<u64>,
    all_caps: u64,
}

impl<'a> Search<'_, 'a> {
    /// The score a new stack must reach to enter the list (−∞ while the list is not full).
    fn threshold(&self) -> f64 {
        if self.best.len() < self.constraints.alternatives.max(1) {
            f64::NEG_INFINITY
        } else {
            self.best.last().map_or(f64::NEG_INFINITY, |s| s.score)
        }
    }

    fn visit(&mut self, state: &mut State<'a>, forced: &[Candidate<'a>], next: usize) {
        self.stats.nodes += 1;
        if state.covered == ALL_COVERED && state.caps & self.all_caps == self.all_caps {
            self.consider(&state.members, forced.len());
        }
        let room = self
            .constraints
            .max_size
            .saturating_sub(state.members.len());
        if room == 0 || next >= self.pool.len() {
            return;
        }
        // Coverage and capabilities the rest of the pool can still bring.
        let reachable = state.covered as u64 | self.suffix_covered[next];
        let caps = state.caps | self.suffix_caps[next];
        if reachable & ALL_COVERED as u64 != ALL_COVERED as u64
            || caps & self.all_caps != self.all_caps
        {
            self.stats.pruned += 1;
            return;
        }
        let threshold = self.threshold();
        if threshold.is_finite() {
            let value = self.objective.value(&state.cur, &state.up);
            let mut gains: Vec<f64> = self.pool[next..]
                .iter()
                .filter(|c| self.addable(state, c))
                .map(|c| self.objective.gain(&state.cur, &state.up, c))
                .collect();
            gains.sort_by(|a, b| b.total_cmp(a));
            let bound = value + gains.iter().take(room).sum::<f64>();
            if bound < threshold - TIE_TOLERANCE {
                self.stats.pruned += 1;
                return;
            }
        }
        for i in next..self.pool.len() {
            let c = &self.pool[i];
            if !self.addable(state, c) {
                continue;
            }
            let saved = (
                state.cur.clone(),
                state.up,
                state.covered,
                state.caps,
                state.memory,
            );
            state.add(c);
            self.visit(state, forced, i + 1);
            state.members.pop();
            (state.cur, state.up, state.covered, state.caps, state.memory) = saved;
        }
    }

    fn addable(&self, state: &State, c: &Candidate) -> bool {
        if let Some(budget) = self.constraints.budget_mb {
            if state.memory + c.memory > budget {
                return false;
            }
        }
        self.constraints.spans_environments
            || !state.members.iter().any(|m| m.conflicts_with(c.tech))
    }

    /// Scores a complete candidate stack and keeps it when it is feasible, irredundant and among
    /// the best.
    fn consider(&mut self, members: &[&'a Technology], forced: usize) {
        if !stack_problems(members, self.requirements).is_empty() {
            return;
        }
        self.stats.feasible += 1;
        let Some((fit, score)) = stack_fit_and_score(members, self.scenario, self.params) else {
            return;
        };
        if score < self.threshold() - TIE_TOLERANCE {
            return;
        }
        // Irredundant: dropping any non-forced member must break a rule or cost score.
        for skip in forced..members.len() {
            let rest: Vec<&Technology> = members
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, m)| *m)
                .collect();
            if stack_problems(&rest, self.requirements).is_empty() {
                if let Some((_, s)) = stack_fit_and_score(&rest, self.scenario, self.params) {
                    if s >= score - TIE_TOLERANCE {
                        return;
                    }
                }
            }
        }
        let mut sorted: Vec<&Technology> = members.to_vec();
        sorted.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.id.cmp(&b.id)));
        let (memory_mb, memory_unknown) = stack_memory_mb(&sorted);
        let entry = ScoredStack {
            members: sorted.iter().map(|m| m.id.clone()).collect(),
            score,
            fit,
            memory_mb,
            memory_unknown,
        };
        let pos = self
            .best
            .iter()
            .position(|s| stack_order(&entry, s) == std::cmp::Ordering::Less)
            .unwrap_or(self.best.len());
        self.best.insert(pos, entry);
        self.best.truncate(self.constraints.alternatives.max(1));
    }
}

/// The documented order of stacks: score descending (ties within the tolerance), then fewer
/// members, then member ids.
pub fn stack_order(a: &ScoredStack, b: &ScoredStack) -> std::cmp::Ordering {
    if (a.score - b.score).abs() > TIE_TOLERANCE {
        return b.score.total_cmp(&a.score);
    }
    a.members
        .len()
        .cmp(&b.members.len())
        .then_with(|| a.members.cmp(&b.members))
}

/// Every feasible, irredundant stack of at most `constraints.max_size` members, by enumeration:
/// the reference the search is tested and benchmarked against. Exponential; for small catalogs.
pub fn exhaustive_stacks(
    technologies: &[&Technology],
    scenario: &PreparedScenario,
    params: &Parameters,
    constraints: &Constraints,
) -> Vec<ScoredStack> {
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
    let mut all: Vec<ScoredStack> = Vec::new();
    let mut chosen: Vec<&Technology> = Vec::new();
    fn walk<'a>(
        pool: &[&'a Technology],
        start: usize,
        chosen: &mut Vec<&'a Technology>,
        k: usize,
        out: &mut Vec<Vec<&'a Technology>>,
    ) {
        out.push(chosen.clone());
        if chosen.len() == k {
            return;
        }
        for i in start..pool.len() {
            chosen.push(pool[i]);
            walk(pool, i + 1, chosen, k, out);
            chosen.pop();
        }
    }
    let mut subsets = Vec::new();
    walk(&pool, 0, &mut chosen, constraints.max_size, &mut subsets);
    for members in subsets {
        if !constraints
            .include
            .iter()
            .all(|i| members.iter().any(|m| &m.id == i))
        {
            continue;
        }
        if !stack_problems(&members, &requirements).is_empty() {
            continue;
        }
        let Some((fit, score)) = stack_fit_and_score(&members, scenario, params) else {
            continue;
        };
        let redundant = (0..members.len()).any(|skip| {
            if constraints.include.contains(&members[skip].id) {
                return false;
            }
            let rest: Vec<&Technology> = members
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, m)| *m)
                .collect();
            stack_problems(&rest, &requirements).is_empty()
                && stack_fit_and_score(&rest, scenario, params)
                    .is_some_and(|(_, s)| s >= score - TIE_TOLERANCE)
        });
        if redundant {
            continue;
        }
        let mut sorted = members.clone();
        sorted.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.id.cmp(&b.id)));
        let (memory_mb, memory_unknown) = stack_memory_mb(&sorted);
        all.push(ScoredStack {
            members: sorted.iter().map(|m| m.id.clone()).collect(),
            score,
            fit,
            memory_mb,
            memory_unknown,
        });
    }
    all.sort_by(stack_order);
    all
}
