//! The branch-and-bound core both exact stack searches share: the best stacks under constraints
//! ([`crate::recommend_stack`]) and the cheapest stack reaching a score
//! ([`crate::recommend_min_cost`]).
//!
//! What is shared is what the proofs of both rest on, so that it is written, and proven, once:
//!
//! - the checks of the constraints before a search starts ([`check_constraints`]);
//! - the candidates in the search's flat layout ([`Objective::candidate`], [`link`]);
//! - the relaxed value of a partial stack and the gain of one more member
//!   ([`Objective::value`], [`Objective::gain`]), whose bound `recommend.rs` proves;
//! - the bound on what a partial stack can still reach ([`Objective`] values plus
//!   [`top_gains`]) and whether its remaining candidates can still complete the coverage and the
//!   required capabilities ([`Reach`]);
//! - the scored stack a search keeps ([`scored`]).
//!
//! Each search keeps its own walk: the order of the children is part of its proof (gains
//! descending for the best stacks, memory ascending for the cheapest) and its node counts are
//! part of its answer.

use crate::input::PreparedScenario;
use crate::ranking::TIE_TOLERANCE;
use crate::recommend::{Constraints, ScoredStack, SearchError};
use crate::stack::{stack_fit_and_score, stack_memory_mb, stack_problems, StackRequirements};
use stackmatrix_model::{Concept, Parameters, Technology, TimeMode, TimeSlice, CONCEPT_COUNT};

/// Coverage of every concept.
pub(crate) const ALL_COVERED: u16 = (1 << CONCEPT_COUNT) - 1;

/// Rounding slack of relaxed values (sums of at most 144 non-negative terms on a 0 to 10 scale
/// differ from the composed score by far less). Added to every bound before it is compared, so
/// that a bound computed a few ulps low never cuts a stack that ties within the tolerance.
pub(crate) const SLACK: f64 = 1e-11;

/// The checks both searches make before they start: unknown ids, an id both included and
/// excluded, more included members than the size allows.
pub(crate) fn check_constraints(
    technologies: &[&Technology],
    constraints: &Constraints,
) -> Result<(), SearchError> {
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
    Ok(())
}

impl Constraints {
    /// The rules a stack of these constraints must meet, for [`crate::stack_problems`].
    pub(crate) fn requirements(&self) -> StackRequirements {
        StackRequirements {
            capabilities: self.require.clone(),
            budget_mb: self.budget_mb,
            spans_environments: self.spans_environments,
        }
    }

    /// One bit per required capability (the 64th stands for the rest).
    pub(crate) fn capability_mask(&self) -> u64 {
        (0..self.require.len().min(64)).fold(0, |a, i| a | (1 << i))
    }
}

/// A stack as the searches return it: members sorted (chains first, then by id), with its
/// memory.
pub(crate) fn scored(
    members: &[&Technology],
    fit: [f64; CONCEPT_COUNT],
    score: f64,
) -> ScoredStack {
    let mut sorted = members.to_vec();
    sorted.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.id.cmp(&b.id)));
    let (memory_mb, memory_unknown) = stack_memory_mb(&sorted);
    ScoredStack {
        members: sorted.iter().map(|m| m.id.clone()).collect(),
        score,
        fit,
        memory_mb,
        memory_unknown,
    }
}

/// True when the `skip`-th of `members` (a feasible stack scoring `score`) is redundant: without
/// it the stack still meets `rules` and scores as much within the tie tolerance. The best-stack
/// search never reports such a stack, and its brute-force reference neither.
pub(crate) fn redundant(
    members: &[&Technology],
    skip: usize,
    score: f64,
    rules: &StackRequirements,
    scenario: &PreparedScenario,
    params: &Parameters,
) -> bool {
    let rest: Vec<&Technology> = members
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != skip)
        .map(|(_, m)| *m)
        .collect();
    stack_problems(&rest, rules).is_empty()
        && stack_fit_and_score(&rest, scenario, params)
            .is_some_and(|(_, s)| s >= score - TIE_TOLERANCE)
}

/// A candidate, in the search's flat layout (see [`Objective`]).
pub(crate) struct Candidate<'a> {
    pub tech: &'a Technology,
    /// Maturity per element `(slice, concept, active scene)`, 0 where the candidate has no row.
    pub values: Vec<f64>,
    /// Concepts the candidate can change: those it has a row for or lifts. Gains only look there.
    pub active: Vec<usize>,
    pub covered: u16,
    pub uplift: [f64; CONCEPT_COUNT],
    /// Memory per node, MB (unknown counts 0).
    pub memory: f64,
    pub caps: u64,
    /// Its identity: the first index (pool `0..P`, then forced members `P..P+F`) with its id.
    pub ident: usize,
    /// Identities of the candidates it conflicts with (empty when environments are spanned).
    pub conflicts: Vec<usize>,
    /// Identities of the technologies it requires.
    pub requires: Vec<usize>,
    /// Identities of the technologies that can host it.
    pub hosts: Vec<usize>,
    /// True when it declares hosts (and so needs one of `hosts`).
    pub needs_host: bool,
    /// True when it can never be in a feasible stack: it requires a technology that is not a
    /// candidate, or none of its hosts is one.
    pub never: bool,
    /// True when some candidate or forced member requires it or may be hosted by it.
    pub enabler: bool,
}

/// Fills in the identities, conflicts, requirements and hosts of the candidates (`pool`, then
/// the `forced` members). Technologies are known by index: pool `0..P`, then the forced members.
/// A technology's identity is the first index with its id (ids are unique in a knowledge base;
/// should one repeat, its copies stand for each other, as they do for `stack_problems`).
pub(crate) fn link<'a>(
    pool: &mut [Candidate<'a>],
    forced: &mut [Candidate<'a>],
    spans_environments: bool,
) {
    let p = pool.len();
    let idents: std::collections::HashMap<&'a str, usize> = {
        let mut m = std::collections::HashMap::new();
        for (i, c) in pool.iter().chain(forced.iter()).enumerate() {
            let tech: &'a Technology = c.tech;
            m.entry(tech.id.as_str()).or_insert(i);
        }
        m
    };
    let ident = |id: &str| idents.get(id).copied();
    let mut conflicts: Vec<Vec<usize>> = vec![Vec::new(); p + forced.len()];
    if !spans_environments {
        for c in pool.iter() {
            let a = ident(&c.tech.id).expect("every candidate has an identity");
            for b in c.tech.conflicts.iter().filter_map(|o| ident(o)) {
                if a != b && b < p {
                    for (x, y) in [(a, b), (b, a)] {
                        if !conflicts[x].contains(&y) {
                            conflicts[x].push(y);
                        }
                    }
                }
            }
        }
    }
    let mut enablers = vec![false; p + forced.len()];
    for c in pool.iter_mut().chain(forced.iter_mut()) {
        let own = ident(&c.tech.id).expect("every candidate has an identity");
        let requires: Vec<Option<usize>> = c.tech.requires.iter().map(|r| ident(r)).collect();
        let hosts: Vec<usize> = c.tech.hosts.iter().filter_map(|h| ident(h)).collect();
        c.never = requires.iter().any(Option::is_none) || (c.needs_host && hosts.is_empty());
        c.requires = requires.into_iter().flatten().collect();
        c.hosts = hosts;
        c.conflicts = conflicts[own].clone();
        c.ident = own;
        for k in c.requires.iter().chain(&c.hosts) {
            enablers[*k] = true;
        }
    }
    for c in pool.iter_mut().chain(forced.iter_mut()) {
        c.enabler = enablers[c.ident];
    }
}

/// The search's view of the scenario, flattened: one weight per matrix element that counts.
///
/// Elements are indexed `e = (slice · 12 + c) · n + a` over the used time slices, the 12
/// concepts and the `n` scenes the scenario weighs (a one-hot scenario has 12 elements per slice,
/// the hybrid one 72). The relaxed value of maxima `cur` with uplifts `up` is
/// `Σ_e ω_e · min(1, cur_e + up_{c(e)})` with `ω_e = β_slice · score(unit_c) · s_j`:
/// `score(unit_c)` is the scenario's own score of a fit that is 1 on concept `c` and 0
/// elsewhere (`10 w_c θ_c / Σ w`), so the relaxation follows the score's weighting whatever it
/// is, provided it is linear with non-negative coefficients (θ_c ∈ [0, 1] keeps every `ω_e`
/// non-negative, which is all the bound of `recommend.rs` needs).
pub(crate) struct Objective {
    /// Scenes the scenario weighs.
    scenes: Vec<usize>,
    /// Slices used.
    slices: Vec<TimeSlice>,
    /// Weight of each element.
    weights: Vec<f64>,
}

impl Objective {
    pub fn new(s: &PreparedScenario, params: &Parameters) -> Objective {
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
        let mut weights = Vec::with_capacity(slices.len() * CONCEPT_COUNT * scenes.len());
        for (_, beta) in &slices {
            for k in &per_concept {
                for j in &scenes {
                    weights.push(beta * k * s.vector[*j]);
                }
            }
        }
        Objective {
            scenes,
            slices: slices.into_iter().map(|(slice, _)| slice).collect(),
            weights,
        }
    }

    /// How many elements there are.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// The elements of concept `c`, per slice: `(start, end)` ranges.
    fn ranges(&self, c: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let n = self.scenes.len();
        (0..self.slices.len()).map(move |s| {
            let start = (s * CONCEPT_COUNT + c) * n;
            (start, start + n)
        })
    }

    /// Relaxed value of maxima `cur` with uplifts `up`: uncovered elements count as 0.
    pub fn value(&self, cur: &[f64], up: &[f64; CONCEPT_COUNT]) -> f64 {
        let mut total = 0.0;
        for (c, u) in up.iter().enumerate() {
            for (start, end) in self.ranges(c) {
                for (w, x) in self.weights[start..end].iter().zip(&cur[start..end]) {
                    total += w * (x + u).min(1.0);
                }
            }
        }
        total
    }

    /// What adding `t` to maxima `cur` with uplifts `up` adds to the relaxed value. Every term is
    /// non-negative exactly (max, `+` and `min` are monotone in floating point too).
    pub fn gain(&self, cur: &[f64], up: &[f64; CONCEPT_COUNT], t: &Candidate) -> f64 {
        let mut total = 0.0;
        for &c in &t.active {
            let (u, tu) = (up[c], t.uplift[c]);
            for (start, end) in self.ranges(c) {
                let elements = self.weights[start..end]
                    .iter()
                    .zip(&cur[start..end])
                    .zip(&t.values[start..end]);
                for ((w, x), v) in elements {
                    let before = (x + u).min(1.0);
                    let after = (x.max(*v) + u + tu).min(1.0);
                    total += w * (after - before);
                }
            }
        }
        total
    }

    /// `t` in the flat layout, its capabilities as bits of `require`. Identities, conflicts,
    /// requirements and hosts are left empty: [`link`] fills them in.
    pub fn candidate<'a>(&self, t: &'a Technology, require: &[String]) -> Candidate<'a> {
        let n = self.scenes.len();
        let mut values = vec![0.0; self.len()];
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
        Candidate {
            tech: t,
            values,
            active: (0..CONCEPT_COUNT)
                .filter(|c| covered & (1 << c) != 0 || uplift[*c] != 0.0)
                .collect(),
            covered,
            uplift,
            memory: t.memory_mb().unwrap_or(0.0),
            caps: require
                .iter()
                .enumerate()
                .filter(|(_, c)| t.has_capability(c))
                .fold(0, |acc, (i, _)| acc | (1 << i.min(63))),
            ident: 0,
            conflicts: Vec::new(),
            requires: Vec::new(),
            hosts: Vec::new(),
            needs_host: !t.hosts.is_empty(),
            never: false,
            enabler: false,
        }
    }
}

/// A partial stack in the flat layout: element-wise maxima, summed uplifts, coverage,
/// capabilities and memory.
#[derive(Clone)]
pub(crate) struct Partial {
    /// Element-wise maxima of the members' values.
    pub cur: Vec<f64>,
    /// Summed uplifts per concept.
    pub up: [f64; CONCEPT_COUNT],
    pub covered: u16,
    pub caps: u64,
    pub memory: f64,
}

impl Partial {
    /// The empty stack over `width` elements.
    pub fn new(width: usize) -> Partial {
        Partial {
            cur: vec![0.0; width],
            up: [0.0; CONCEPT_COUNT],
            covered: 0,
            caps: 0,
            memory: 0.0,
        }
    }

    /// Adds a member's values, uplifts, coverage, capabilities and memory.
    pub fn add(&mut self, c: &Candidate) {
        for (x, y) in self.cur.iter_mut().zip(&c.values) {
            *x = x.max(*y);
        }
        for (u, d) in self.up.iter_mut().zip(&c.uplift) {
            *u += d;
        }
        self.covered |= c.covered;
        self.caps |= c.caps;
        self.memory += c.memory;
    }

    /// `parent` plus `c`, written over `self` (no allocation).
    pub fn extend(&mut self, parent: &Partial, c: &Candidate) {
        self.cur.copy_from_slice(&parent.cur);
        self.up = parent.up;
        self.covered = parent.covered;
        self.caps = parent.caps;
        self.memory = parent.memory;
        self.add(c);
    }

    /// True when it covers every concept and brings every capability of `all_caps`.
    pub fn complete(&self, all_caps: u64) -> bool {
        self.covered == ALL_COVERED && self.caps & all_caps == all_caps
    }
}

/// The sum of the `room` largest of `gains`: with the relaxed value of a partial stack, the
/// bound on what it can reach with at most `room` more members taken from these candidates.
pub(crate) fn top_gains(gains: &[f64], room: usize) -> f64 {
    let mut top: Vec<f64> = gains.to_vec();
    top.sort_unstable_by(|a, b| b.total_cmp(a));
    top.iter().take(room).sum::<f64>()
}

/// What the candidates of a node can still bring: `covered[p]` and `caps[p]` are the coverage
/// and capabilities of the candidates from position `p` on.
#[derive(Default)]
pub(crate) struct Reach {
    covered: Vec<u16>,
    caps: Vec<u64>,
}

impl Reach {
    /// An empty one with room for `len` candidates.
    pub fn with_capacity(len: usize) -> Reach {
        Reach {
            covered: Vec::with_capacity(len + 1),
            caps: Vec::with_capacity(len + 1),
        }
    }

    /// Recomputes the suffixes for the candidates `list` (indices into `pool`).
    pub fn fill(&mut self, pool: &[Candidate], list: &[usize]) {
        let len = list.len();
        self.covered.clear();
        self.covered.resize(len + 1, 0);
        self.caps.clear();
        self.caps.resize(len + 1, 0);
        for p in (0..len).rev() {
            let c = &pool[list[p]];
            self.covered[p] = self.covered[p + 1] | c.covered;
            self.caps[p] = self.caps[p + 1] | c.caps;
        }
    }

    /// True when a stack with `covered` and `caps` can still cover every concept and bring
    /// every capability of `all_caps` with the candidates from position `p` on.
    pub fn can_complete(&self, covered: u16, caps: u64, p: usize, all_caps: u64) -> bool {
        (covered | self.covered[p]) == ALL_COVERED && (caps | self.caps[p]) & all_caps == all_caps
    }
}
