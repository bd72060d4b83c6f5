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
//!
//! The same argument with a single `t` shows that gains only shrink as the stack grows
//! (`gain(t | S ∪ T) ≤ gain(t | S)`: the max rises by less from a higher base, and `h` is
//! concave). The search uses it twice:
//!
//! - **Sorted children.** At a node the remaining candidates are sorted by `gain(t | S)`, largest
//!   first, and the child that adds the `p`-th may only add later ones. Its subtree is worth at
//!   most `value(S) + g_p + … + g_{p+r−1}`, which never grows with `p`: the first child whose
//!   bound cannot reach the list ends the loop, and the later ones are cut with it.
//! - **Members that add nothing.** If `gain(t | S)` is 0, `t` adds nothing to any stack above
//!   `S` either. Unless a rule needs `t` (it covers a concept `S` lacks, brings a missing required
//!   capability, or some candidate requires it or may be hosted by it), every stack above
//!   `S ∪ {t}` stays feasible without `t` at the same score, so it is redundant and never
//!   reported: the child is cut.
//!
//! Cuts that follow from the rules alone: a node whose remaining candidates cannot complete the
//! coverage or the required capabilities; a last member that leaves a requirement or a host
//! missing; a candidate that requires a technology that cannot be a member (excluded, or in
//! conflict with an included one), or none of whose hosts can be. A subtree that could at best
//! tie the last stack of a full list is cut when all its stacks have more members than that
//! stack, since ties go to fewer members. Every bound is compared with a slack of `1e-11` above
//! its floating-point value, so rounding never cuts a stack that ties within the tolerance.

use crate::bnb::{
    check_constraints, link, redundant, scored, Candidate, Objective, Partial, Reach, SLACK,
};
use crate::input::PreparedScenario;
use crate::ranking::TIE_TOLERANCE;
use crate::stack::{stack_fit_and_score, stack_problems, StackRequirements};
use stackmatrix_model::{Parameters, Technology, CONCEPT_COUNT};

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
    /// Branches cut by the bound or by the rules (a cut at a node counts once, however many of
    /// its children it removes).
    pub pruned: u64,
    /// Feasible stacks scored (stacks whose relaxed value could not enter the list are neither
    /// checked nor scored).
    pub feasible: u64,
}

/// The answer of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult {
    /// Best stacks, best first: score descending, then fewer members, then less memory, then ids.
    /// Every stack is
    /// irredundant: removing any member not forced by `include` either breaks a rule or lowers the
    /// score by more than the tie tolerance.
    pub stacks: Vec<ScoredStack>,
    /// Search statistics.
    pub stats: SearchStats,
}

impl SearchResult {
    /// The stacks after the best that score the same within the tie tolerance: they are listed
    /// after it only by the documented order (fewer members, less memory, ids).
    pub fn tied_with_best(&self) -> &[ScoredStack] {
        let Some(best) = self.stacks.first() else {
            return &[];
        };
        let n = self.stacks[1..]
            .iter()
            .take_while(|s| (s.score - best.score).abs() <= TIE_TOLERANCE)
            .count();
        &self.stacks[1..1 + n]
    }
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

/// Finds the best stacks among `technologies` for a scenario under constraints, exactly.
///
/// The result is optimal: every stack the search did not score lies in a branch whose proven
/// bound (see the module documentation) is below the stacks returned, or whose stacks all break
/// a rule or are redundant. Scores are recomputed with
/// [`stack_fit_and_score`], the same composition rule every other verb uses.
///
/// # How the search runs
///
/// Depth first over sets of candidates, children sorted by gain, with the cuts of the module
/// documentation. Partial stacks are kept per depth in preallocated buffers (no allocation per
/// node), conflicts, requirements and hosts as index lists, and a stack is only checked and
/// composed when its relaxed value could enter the list and its rules are met.
pub fn recommend_stack<'a>(
    technologies: &[&'a Technology],
    scenario: &PreparedScenario,
    params: &Parameters,
    constraints: &Constraints,
) -> Result<SearchResult, SearchError> {
    let by_id = |id: &str| technologies.iter().find(|t| t.id == id).copied();
    check_constraints(technologies, constraints)?;
    let objective = Objective::new(scenario, params);
    let requirements = constraints.requirements();
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
    let all_caps = constraints.capability_mask();
    let make = |t: &'a Technology| objective.candidate(t, &constraints.require);
    let mut forced: Vec<Candidate> = included.iter().map(|t| make(t)).collect();
    let mut pool: Vec<Candidate> = technologies
        .iter()
        .filter(|t| !constraints.exclude.contains(&t.id) && !constraints.include.contains(&t.id))
        .filter(|t| constraints.spans_environments || !included.iter().any(|i| i.conflicts_with(t)))
        .map(|t| make(t))
        .collect();
    link(&mut pool, &mut forced, constraints.spans_environments);

    let depth = constraints.max_size.min(pool.len() + forced.len()) + 1;
    let width = (objective.len(), pool.len(), forced.len());
    let mut root = Level::new(width);
    let mut members = Vec::new();
    for f in &forced {
        root.at.add(f);
        root.in_stack[f.ident] = true;
        members.push(f.tech);
    }
    root.pending = (pool.len()..pool.len() + forced.len())
        .filter(|k| !needs_met(&forced[k - pool.len()], &root.in_stack))
        .collect();
    root.list = (0..pool.len()).filter(|i| !pool[*i].never).collect();
    let mut levels = vec![root];
    levels.resize_with(depth, || Level::new(width));

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
        all_caps,
        levels,
        members,
        forced: &forced,
        scratch: Vec::new(),
    };
    search.visit(0);
    let stats = search.stats;
    Ok(SearchResult {
        stacks: search.best,
        stats,
    })
}

/// A partial stack at one depth of the search, and the candidates its children may add.
struct Level {
    /// The members' values, coverage, capabilities and memory.
    at: Partial,
    /// Identities a member conflicts with.
    blocked: Vec<bool>,
    /// Identities of the members.
    in_stack: Vec<bool>,
    /// Members (pool, then forced indices) whose requirements or hosts are not all members yet.
    pending: Vec<usize>,
    /// Pool indices the node may still add (sorted by gain when the node is expanded).
    list: Vec<usize>,
    /// Gains of `list`, in the same order.
    gains: Vec<f64>,
    /// What `list[p..]` can still bring.
    reach: Reach,
}

impl Level {
    fn new((width, pool, forced): (usize, usize, usize)) -> Level {
        Level {
            in_stack: vec![false; pool + forced],
            pending: Vec::new(),
            at: Partial::new(width),
            blocked: vec![false; pool + forced],
            list: Vec::with_capacity(pool),
            gains: Vec::with_capacity(pool),
            reach: Reach::with_capacity(pool),
        }
    }
}

/// True when every technology `c` requires is a member, and one of its hosts when it has any.
fn needs_met(c: &Candidate, in_stack: &[bool]) -> bool {
    c.requires.iter().all(|r| in_stack[*r])
        && (!c.needs_host || c.hosts.iter().any(|h| in_stack[*h]))
}

/// Gains below this are zero: a member that adds less changes no score by the tie tolerance.
const ZERO_GAIN: f64 = 1e-10;

struct Search<'s, 'a> {
    objective: &'s Objective,
    pool: &'s [Candidate<'a>],
    requirements: &'s StackRequirements,
    constraints: &'s Constraints,
    scenario: &'s PreparedScenario,
    params: &'s Parameters,
    best: Vec<ScoredStack>,
    stats: SearchStats,
    all_caps: u64,
    /// One partial stack per depth; `levels[d]` is the node being visited at depth `d`.
    levels: Vec<Level>,
    /// Members of the node being visited: the forced ones first.
    members: Vec<&'a Technology>,
    forced: &'s [Candidate<'a>],
    /// Reused buffer for sorting candidates by gain.
    scratch: Vec<(f64, usize)>,
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

    /// False when no stack of `size` members or more worth at most `bound` can enter the list:
    /// the bound is below the last stack by more than the tolerance, or it could at best tie
    /// the last stack, which has fewer members (ties go to fewer members).
    fn may_enter(&self, bound: f64, size: usize) -> bool {
        let threshold = self.threshold();
        if !threshold.is_finite() {
            return true;
        }
        let bound = bound + SLACK;
        if bound < threshold - TIE_TOLERANCE {
            return false;
        }
        let last = self.best.last().map_or(usize::MAX, |s| s.members.len());
        !(bound < threshold + TIE_TOLERANCE && size > last)
    }

    fn visit(&mut self, d: usize) {
        self.stats.nodes += 1;
        let size = self.members.len();
        {
            let level = &self.levels[d];
            if level.at.complete(self.all_caps) && level.pending.is_empty() {
                let value = self.objective.value(&level.at.cur, &level.at.up);
                if self.may_enter(value, size) {
                    let members = std::mem::take(&mut self.members);
                    self.consider(&members);
                    self.members = members;
                }
            }
        }
        let room = self.constraints.max_size.saturating_sub(size);
        if room == 0 || self.levels[d].list.is_empty() {
            return;
        }

        // Addable candidates and their gains, largest first.
        let budget = self.constraints.budget_mb;
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        {
            let level = &self.levels[d];
            for &i in &level.list {
                let c = &self.pool[i];
                if level.blocked[c.ident] || budget.is_some_and(|b| level.at.memory + c.memory > b)
                {
                    continue;
                }
                scratch.push((self.objective.gain(&level.at.cur, &level.at.up, c), i));
            }
        }
        scratch.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let level = &mut self.levels[d];
        level.list.clear();
        level.gains.clear();
        for &(g, i) in &scratch {
            level.list.push(i);
            level.gains.push(g);
        }
        self.scratch = scratch;
        let len = level.list.len();
        level.reach.fill(self.pool, &level.list);
        // Coverage and capabilities the node can still reach.
        if !level
            .reach
            .can_complete(level.at.covered, level.at.caps, 0, self.all_caps)
        {
            self.stats.pruned += 1;
            return;
        }
        let value = self.objective.value(&level.at.cur, &level.at.up);
        // window = g_p + … + g_{p+room−1}, slid along the sorted gains.
        let mut window: f64 = level.gains.iter().take(room).sum();
        for p in 0..len {
            if p > 0 {
                let level = &self.levels[d];
                window -= level.gains[p - 1];
                if p + room - 1 < len {
                    window += level.gains[p + room - 1];
                }
            }
            if !self.may_enter(value + window, size + 1) {
                self.stats.pruned += 1;
                break;
            }
            let (parent, child) = {
                let (a, b) = self.levels.split_at_mut(d + 1);
                (&a[d], &mut b[0])
            };
            let i = parent.list[p];
            let c = &self.pool[i];
            let covered = parent.at.covered | c.covered;
            let caps = parent.at.caps | c.caps;
            if !parent
                .reach
                .can_complete(covered, caps, p + 1, self.all_caps)
            {
                self.stats.pruned += 1;
                continue;
            }
            // A member that adds nothing (now, hence in any larger stack) and that no rule
            // needs (it covers no new concept, brings no missing capability, hosts or is
            // required by nothing) makes every stack below redundant or infeasible.
            if parent.gains[p] < ZERO_GAIN
                && covered == parent.at.covered
                && (c.caps & !parent.at.caps & self.all_caps) == 0
                && !c.enabler
            {
                self.stats.pruned += 1;
                continue;
            }
            child.at.extend(&parent.at, c);
            child.blocked.copy_from_slice(&parent.blocked);
            for &j in &c.conflicts {
                child.blocked[j] = true;
            }
            child.in_stack.copy_from_slice(&parent.in_stack);
            child.in_stack[c.ident] = true;
            child.pending.clear();
            let pool = self.pool;
            let forced = self.forced;
            let cand = |k: usize| {
                if k < pool.len() {
                    &pool[k]
                } else {
                    &forced[k - pool.len()]
                }
            };
            for &k in parent.pending.iter().chain(std::iter::once(&i)) {
                if !needs_met(cand(k), &child.in_stack) {
                    child.pending.push(k);
                }
            }
            // A stack with unmet requirements and no room left is not a stack.
            if room == 1 && !child.pending.is_empty() {
                self.stats.pruned += 1;
                continue;
            }
            child.list.clear();
            child.list.extend_from_slice(&parent.list[p + 1..]);
            self.members.push(c.tech);
            self.visit(d + 1);
            self.members.pop();
        }
    }

    /// Scores a complete candidate stack and keeps it when it is feasible, irredundant and among
    /// the best.
    fn consider(&mut self, members: &[&'a Technology]) {
        let forced = self.forced.len();
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
        let (rules, scenario, params) = (self.requirements, self.scenario, self.params);
        if (forced..members.len())
            .any(|skip| redundant(members, skip, score, rules, scenario, params))
        {
            return;
        }
        let entry = scored(members, fit, score);
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
/// members, then less memory per node (unknown memory counts 0), then member ids.
pub fn stack_order(a: &ScoredStack, b: &ScoredStack) -> std::cmp::Ordering {
    if (a.score - b.score).abs() > TIE_TOLERANCE {
        return b.score.total_cmp(&a.score);
    }
    a.members
        .len()
        .cmp(&b.members.len())
        .then_with(|| a.memory_mb.total_cmp(&b.memory_mb))
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
    let requirements = constraints.requirements();
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
            redundant(&members, skip, score, &requirements, scenario, params)
        });
        if redundant {
            continue;
        }
        all.push(scored(&members, fit, score));
    }
    all.sort_by(stack_order);
    all
}
