//! Dependencies between concepts: the published 0/1 relation read as "row depends on column",
//! its transitive closure, the groups of mutually dependent concepts, the critical dependency
//! chains, and whether a stack covers what a scenario's concepts depend on.
//!
//! Direction (reference defect 5): `D[i][j] = 1` means concept `i` depends on concept `j`. Row C
//! has a 1 in column I, so "the container depends on the image", as the reference's text says;
//! where the table also has the transposed 1 (row I, column C) the two concepts depend on each
//! other. Every function here reads the table that way.

use stackmatrix_model::{ConceptMatrix, CONCEPT_COUNT};
use std::collections::VecDeque;

/// A 0/1 relation on the 12 concepts: `r[i][j]` is true when `i` depends on `j`.
pub type ConceptRelation = [[bool; CONCEPT_COUNT]; CONCEPT_COUNT];

/// The relation of a published dependency table: `D[i][j] ≠ 0` is "concept `i` depends on
/// concept `j`" (the table holds only 0 and 1; the model refuses anything else).
pub fn dependency_relation(table: &ConceptMatrix) -> ConceptRelation {
    std::array::from_fn(|i| std::array::from_fn(|j| table[i][j] != 0.0))
}

/// The transitive closure `D⁺` of a relation by Warshall's algorithm: `D⁺[i][j]` is true when a
/// chain of one or more dependencies leads from `i` to `j`.
///
/// Reference: `D⁺ = D ∨ D² ∨ … ∨ D¹²` (boolean powers); Warshall computes it as
/// `for k: for i: for j: D[i][j] |= D[i][k] ∧ D[k][j]`. The closure is not reflexive:
/// `D⁺[i][i]` is true exactly when `i` lies on a cycle (depends on itself through others).
pub fn transitive_closure(relation: &ConceptRelation) -> ConceptRelation {
    let mut c = *relation;
    for k in 0..CONCEPT_COUNT {
        let through = c[k];
        for row in c.iter_mut() {
            if row[k] {
                for (x, t) in row.iter_mut().zip(through) {
                    *x |= t;
                }
            }
        }
    }
    c
}

/// The pairs `(i, j)`, `i < j`, that depend on each other directly: `D[i][j] = D[j][i] = 1`.
pub fn mutual_dependencies(relation: &ConceptRelation) -> Vec<(usize, usize)> {
    (0..CONCEPT_COUNT)
        .flat_map(|i| (i + 1..CONCEPT_COUNT).map(move |j| (i, j)))
        .filter(|&(i, j)| relation[i][j] && relation[j][i])
        .collect()
}

/// A strongly connected group of concepts: each depends, transitively, on every other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencyGroup {
    /// Concept indices, ascending.
    pub members: Vec<usize>,
    /// True when the group is a cycle of dependencies: more than one member, or one member that
    /// depends on itself.
    pub cyclic: bool,
    /// The length of the longest chain of groups this group depends on (0 when it depends on no
    /// other group): its level in the condensation DAG.
    pub level: usize,
    /// Indices (into the list of groups) of the groups this one depends on directly.
    pub depends_on: Vec<usize>,
}

/// The strongly connected groups of a relation, read from its closure: `i` and `j` share a group
/// when `i = j` or `D⁺[i][j] ∧ D⁺[j][i]`.
///
/// The groups are listed in topological order, dependencies first (a group comes after every
/// group it depends on; among groups free to come next, the one with the smallest concept index
/// first), so the list is the condensation DAG in a deterministic order.
pub fn dependency_groups(relation: &ConceptRelation) -> Vec<DependencyGroup> {
    let closure = transitive_closure(relation);
    let mut group_of = [usize::MAX; CONCEPT_COUNT];
    let mut members: Vec<Vec<usize>> = Vec::new();
    for i in 0..CONCEPT_COUNT {
        if group_of[i] != usize::MAX {
            continue;
        }
        let g: Vec<usize> = (0..CONCEPT_COUNT)
            .filter(|&j| j == i || (closure[i][j] && closure[j][i]))
            .collect();
        for &j in &g {
            group_of[j] = members.len();
        }
        members.push(g);
    }
    let n = members.len();
    // Direct edges between groups.
    let mut needs = vec![vec![false; n]; n];
    for i in 0..CONCEPT_COUNT {
        for j in 0..CONCEPT_COUNT {
            if relation[i][j] && group_of[i] != group_of[j] {
                needs[group_of[i]][group_of[j]] = true;
            }
        }
    }
    // Topological order, dependencies first; members[g][0] is the group's smallest index and the
    // groups are already numbered by it, so the smallest free group number is the tie-break.
    let mut order = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    while order.len() < n {
        let next = (0..n)
            .find(|&g| !placed[g] && (0..n).all(|h| !needs[g][h] || placed[h]))
            .expect("the condensation of a relation is acyclic");
        placed[next] = true;
        order.push(next);
    }
    let mut position = vec![0; n];
    for (p, &g) in order.iter().enumerate() {
        position[g] = p;
    }
    let mut out: Vec<DependencyGroup> = Vec::with_capacity(n);
    for &g in &order {
        let depends_on: Vec<usize> = {
            let mut d: Vec<usize> = (0..n)
                .filter(|&h| needs[g][h])
                .map(|h| position[h])
                .collect();
            d.sort_unstable();
            d
        };
        let level = depends_on
            .iter()
            .map(|&h| out[h].level + 1)
            .max()
            .unwrap_or(0);
        let m = members[g].clone();
        let cyclic = m.len() > 1 || closure[m[0]][m[0]];
        out.push(DependencyGroup {
            members: m,
            cyclic,
            level,
            depends_on,
        });
    }
    out
}

/// The longest chain of groups in the condensation DAG, from a group of the highest level down to
/// a group of level 0, as indices into `groups`: at each step the group with the smallest index
/// among those one level lower. One group when there is only one level.
pub fn longest_group_chain(groups: &[DependencyGroup]) -> Vec<usize> {
    let Some(top) = groups
        .iter()
        .enumerate()
        .max_by(|(a, x), (b, y)| x.level.cmp(&y.level).then(b.cmp(a)))
        .map(|(i, _)| i)
    else {
        return Vec::new();
    };
    let mut chain = vec![top];
    let mut g = top;
    while groups[g].level > 0 {
        let next = groups[g]
            .depends_on
            .iter()
            .copied()
            .find(|&h| groups[h].level + 1 == groups[g].level)
            .expect("a group above level 0 depends on one a level lower");
        chain.push(next);
        g = next;
    }
    chain
}

/// The length of the shortest dependency chain from each concept to each other one (breadth-first
/// search): `dist[i][j]` is the fewest links `i → … → j`, `None` when `j` is not reachable, and
/// `Some(0)` for `i = j`.
pub fn dependency_distances(
    relation: &ConceptRelation,
) -> [[Option<usize>; CONCEPT_COUNT]; CONCEPT_COUNT] {
    std::array::from_fn(|from| {
        let mut dist = [None; CONCEPT_COUNT];
        dist[from] = Some(0);
        let mut queue = VecDeque::from([from]);
        while let Some(u) = queue.pop_front() {
            let d = dist[u].expect("queued nodes have a distance");
            for v in 0..CONCEPT_COUNT {
                if relation[u][v] && dist[v].is_none() {
                    dist[v] = Some(d + 1);
                    queue.push_back(v);
                }
            }
        }
        dist
    })
}

/// The shortest dependency chain from `from` to `to` (`[from, …, to]`), the lexicographically
/// smallest in concept order among the shortest ones: from each concept the next link is the
/// first concept in concept order that it depends on and that is one link closer to `to`.
/// `None` when `to` is not reachable; `[from]` when `from = to`.
pub fn shortest_dependency_chain(
    relation: &ConceptRelation,
    distances: &[[Option<usize>; CONCEPT_COUNT]; CONCEPT_COUNT],
    from: usize,
    to: usize,
) -> Option<Vec<usize>> {
    let mut left = distances[from][to]?;
    let mut chain = vec![from];
    let mut u = from;
    while left > 0 {
        let v = (0..CONCEPT_COUNT)
            .find(|&v| relation[u][v] && distances[v][to] == Some(left - 1))
            .expect("a node at distance d > 0 has a neighbour at distance d - 1");
        chain.push(v);
        u = v;
        left -= 1;
    }
    Some(chain)
}

/// A concept's deepest prerequisite and the chain that reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConceptDepth {
    /// The concept.
    pub concept: usize,
    /// `max_{j ≠ i reachable} dist(i, j)`: how many links separate the concept from its farthest
    /// prerequisite (0 when it depends on nothing).
    pub depth: usize,
    /// The shortest chain from the concept to its farthest prerequisite (the first one in concept
    /// order among equally far ones): `depth + 1` concepts, `[concept]` when the depth is 0.
    pub chain: Vec<usize>,
}

/// Each concept's critical dependency chain: the shortest chain to its farthest transitive
/// prerequisite. "Shortest" because a longer chain to the same prerequisite only revisits links
/// a shorter one already needs; "farthest" because that prerequisite is the last to be reached,
/// so its chain is the one that decides how deep the concept's dependencies go (its eccentricity
/// in the dependency graph).
pub fn dependency_depths(relation: &ConceptRelation) -> [ConceptDepth; CONCEPT_COUNT] {
    let dist = dependency_distances(relation);
    std::array::from_fn(|i| {
        let mut best: Option<(usize, usize)> = None;
        for (j, d) in dist[i].iter().enumerate() {
            if let (true, Some(d)) = (j != i, *d) {
                if best.is_none_or(|(bd, _)| d > bd) {
                    best = Some((d, j));
                }
            }
        }
        match best {
            None => ConceptDepth {
                concept: i,
                depth: 0,
                chain: vec![i],
            },
            Some((depth, j)) => ConceptDepth {
                concept: i,
                depth,
                chain: shortest_dependency_chain(relation, &dist, i, j)
                    .expect("a reachable concept has a chain"),
            },
        }
    })
}

/// The critical dependency chains of the relation: the concepts' critical chains of the greatest
/// depth (the diameter of the dependency graph), in concept order. Empty when no concept depends
/// on another.
pub fn critical_dependency_chains(depths: &[ConceptDepth]) -> (usize, Vec<Vec<usize>>) {
    let max = depths.iter().map(|d| d.depth).max().unwrap_or(0);
    if max == 0 {
        return (0, Vec::new());
    }
    let chains = depths
        .iter()
        .filter(|d| d.depth == max)
        .map(|d| d.chain.clone())
        .collect();
    (max, chains)
}

/// The whole dependency analysis of a relation.
#[derive(Debug, Clone, PartialEq)]
pub struct DependencyAnalysis {
    /// The relation, row depends on column.
    pub relation: ConceptRelation,
    /// Its transitive closure.
    pub closure: ConceptRelation,
    /// Pairs that depend on each other directly.
    pub mutual: Vec<(usize, usize)>,
    /// Strongly connected groups in topological order, dependencies first.
    pub groups: Vec<DependencyGroup>,
    /// The longest chain of groups of the condensation DAG (indices into `groups`).
    pub group_chain: Vec<usize>,
    /// Shortest chain lengths between concepts.
    pub distances: [[Option<usize>; CONCEPT_COUNT]; CONCEPT_COUNT],
    /// Each concept's critical chain.
    pub depths: [ConceptDepth; CONCEPT_COUNT],
    /// The greatest depth.
    pub critical_depth: usize,
    /// The critical chains of that depth.
    pub critical_chains: Vec<Vec<usize>>,
}

/// Analyses a relation: closure, mutual pairs, groups, condensation chain, depths and critical
/// chains.
pub fn analyse_dependencies(relation: &ConceptRelation) -> DependencyAnalysis {
    let closure = transitive_closure(relation);
    let groups = dependency_groups(relation);
    let group_chain = longest_group_chain(&groups);
    let depths = dependency_depths(relation);
    let (critical_depth, critical_chains) = critical_dependency_chains(&depths);
    DependencyAnalysis {
        relation: *relation,
        closure,
        mutual: mutual_dependencies(relation),
        groups,
        group_chain,
        distances: dependency_distances(relation),
        depths,
        critical_depth,
        critical_chains,
    }
}

/// Tolerance of the coverage threshold: a fit within 1e-9 below it still covers (a fit of 0.5
/// computed as 0.49999999999999994 is 0.5).
pub const COVERAGE_TOLERANCE: f64 = 1e-9;

/// A dependency the stack does not cover, and the weighed concepts that need it.
#[derive(Debug, Clone, PartialEq)]
pub struct UncoveredDependency {
    /// The concept depended on.
    pub concept: usize,
    /// Its fit in the scenario.
    pub fit: f64,
    /// Each weighed concept that depends on it (transitively), with the shortest chain
    /// `[needing concept, …, concept]`, in concept order.
    pub needed_by: Vec<(usize, Vec<usize>)>,
}

/// Whether a stack covers what a scenario's weighed concepts depend on.
#[derive(Debug, Clone, PartialEq)]
pub struct DependencyCoverage {
    /// The weighed concepts (weight > 0), in concept order.
    pub weighed: Vec<usize>,
    /// The concepts some weighed concept depends on (transitively, other than itself), in
    /// concept order.
    pub required: Vec<usize>,
    /// The required concepts whose fit is below the threshold, in concept order.
    pub uncovered: Vec<UncoveredDependency>,
}

impl DependencyCoverage {
    /// True when every required concept is covered.
    pub fn covered(&self) -> bool {
        self.uncovered.is_empty()
    }
}

/// The coverage check: every concept `c` with `weights[c] > 0` needs each concept `d ≠ c` with
/// `D⁺[c][d]` covered, where `d` is covered when `fit[d] ≥ min_fit` (within
/// [`COVERAGE_TOLERANCE`]). Each uncovered `d` is reported with every weighed concept that needs
/// it and the shortest chain through which it does.
pub fn dependency_coverage(
    relation: &ConceptRelation,
    fit: &[f64; CONCEPT_COUNT],
    weights: &[f64; CONCEPT_COUNT],
    min_fit: f64,
) -> DependencyCoverage {
    let closure = transitive_closure(relation);
    let dist = dependency_distances(relation);
    let weighed: Vec<usize> = (0..CONCEPT_COUNT).filter(|&c| weights[c] > 0.0).collect();
    let required: Vec<usize> = (0..CONCEPT_COUNT)
        .filter(|&d| weighed.iter().any(|&c| c != d && closure[c][d]))
        .collect();
    let uncovered = required
        .iter()
        .copied()
        .filter(|&d| fit[d] < min_fit - COVERAGE_TOLERANCE)
        .map(|d| UncoveredDependency {
            concept: d,
            fit: fit[d],
            needed_by: weighed
                .iter()
                .copied()
                .filter(|&c| c != d && closure[c][d])
                .map(|c| {
                    let chain = shortest_dependency_chain(relation, &dist, c, d)
                        .expect("a concept in the closure is reachable");
                    (c, chain)
                })
                .collect(),
        })
        .collect();
    DependencyCoverage {
        weighed,
        required,
        uncovered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relation(edges: &[(usize, usize)]) -> ConceptRelation {
        let mut r = [[false; CONCEPT_COUNT]; CONCEPT_COUNT];
        for &(i, j) in edges {
            r[i][j] = true;
        }
        r
    }

    fn published() -> ConceptRelation {
        let kb = stackmatrix_model::builtin().unwrap();
        dependency_relation(&kb.tables.relations.dependency)
    }

    #[test]
    fn the_container_depends_on_the_image() {
        let r = published();
        // Row C (1), column I (0).
        assert!(r[1][0]);
        // And the published table has the transposed 1 too: a mutual pair.
        assert!(mutual_dependencies(&r).contains(&(0, 1)));
    }

    #[test]
    fn a_chain_closes_and_a_cycle_is_one_group() {
        // 0 → 1 → 2, and 3 ↔ 4.
        let r = relation(&[(0, 1), (1, 2), (3, 4), (4, 3)]);
        let c = transitive_closure(&r);
        assert!(c[0][2] && !c[2][0] && !c[0][0]);
        assert!(c[3][3] && c[4][4]);
        let groups = dependency_groups(&r);
        // Singletons 2, then 1, then 0 (dependencies first), 3+4 cyclic, the rest free.
        let g34 = groups.iter().find(|g| g.members == vec![3, 4]).unwrap();
        assert!(g34.cyclic && g34.level == 0);
        let pos = |m: usize| groups.iter().position(|g| g.members.contains(&m)).unwrap();
        assert!(pos(2) < pos(1) && pos(1) < pos(0));
        assert_eq!(groups[pos(0)].level, 2);
        assert!(!groups[pos(0)].cyclic);
        let chain: Vec<Vec<usize>> = longest_group_chain(&groups)
            .iter()
            .map(|&g| groups[g].members.clone())
            .collect();
        assert_eq!(chain, vec![vec![0], vec![1], vec![2]]);
        let depths = dependency_depths(&r);
        assert_eq!(depths[0].depth, 2);
        assert_eq!(depths[0].chain, vec![0, 1, 2]);
        assert_eq!(depths[2].chain, vec![2]);
        assert_eq!(
            critical_dependency_chains(&depths),
            (2, vec![vec![0, 1, 2]])
        );
    }

    #[test]
    fn ties_go_to_the_first_concept_in_order() {
        // 0 → 2 → 5 and 0 → 1 → 5: both shortest; the chain goes through 1.
        let r = relation(&[(0, 2), (2, 5), (0, 1), (1, 5)]);
        let dist = dependency_distances(&r);
        assert_eq!(
            shortest_dependency_chain(&r, &dist, 0, 5),
            Some(vec![0, 1, 5])
        );
        assert_eq!(shortest_dependency_chain(&r, &dist, 5, 0), None);
    }

    #[test]
    fn the_published_relation_is_one_group() {
        let a = analyse_dependencies(&published());
        assert_eq!(a.groups.len(), 1);
        assert!(a.groups[0].cyclic);
        assert!(a.closure.iter().all(|row| row.iter().all(|&x| x)));
        assert!(a.critical_depth >= 2);
    }

    #[test]
    fn coverage_names_the_chain() {
        // 0 → 1 → 2; only 0 weighed; 2 is weak.
        let r = relation(&[(0, 1), (1, 2)]);
        let mut fit = [1.0; CONCEPT_COUNT];
        fit[2] = 0.3;
        let mut w = [0.0; CONCEPT_COUNT];
        w[0] = 1.0;
        let cov = dependency_coverage(&r, &fit, &w, 0.5);
        assert_eq!(cov.weighed, vec![0]);
        assert_eq!(cov.required, vec![1, 2]);
        assert_eq!(cov.uncovered.len(), 1);
        assert_eq!(cov.uncovered[0].concept, 2);
        assert_eq!(cov.uncovered[0].needed_by, vec![(0, vec![0, 1, 2])]);
        assert!(!cov.covered());
        // Just under the threshold by a rounding error still covers.
        fit[2] = 0.5 - 1e-15;
        assert!(dependency_coverage(&r, &fit, &w, 0.5).covered());
    }
}
