//! Migration between chains (or scenes) over a published difficulty graph: the cheapest path and
//! the next cheapest ones.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A path through the difficulty graph.
#[derive(Debug, Clone, PartialEq)]
pub struct MigrationPath {
    /// Node indices from start to goal.
    pub nodes: Vec<usize>,
    /// Difficulty of each step (`nodes.len() - 1` values).
    pub steps: Vec<f64>,
    /// Sum of the steps.
    pub total: f64,
}

#[derive(Debug, PartialEq)]
struct Frontier {
    cost: f64,
    node: usize,
}

impl Eq for Frontier {}

impl Ord for Frontier {
    fn cmp(&self, other: &Self) -> Ordering {
        // Min-heap on cost; ties broken by node index for a deterministic order.
        other
            .cost
            .total_cmp(&self.cost)
            .then_with(|| other.node.cmp(&self.node))
    }
}

impl PartialOrd for Frontier {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The cheapest path from `from` to `to` by Dijkstra's algorithm over `difficulty[i][j]`, the cost
/// of moving directly from `i` to `j` (non-negative; a missing edge is `f64::INFINITY`).
///
/// `banned_nodes` and `banned_edges` are left out (Yen's algorithm uses them). The reference's own
/// example: Docker to MultiTenant costs 0.8 directly but 0.3 + 0.3 = 0.6 through K8s. Among paths
/// of equal cost the one with fewer steps wins, then the lexicographically smaller node list.
pub fn cheapest_path(
    difficulty: &[Vec<f64>],
    from: usize,
    to: usize,
    banned_nodes: &[usize],
    banned_edges: &[(usize, usize)],
) -> Option<MigrationPath> {
    let n = difficulty.len();
    if from >= n || to >= n || banned_nodes.contains(&from) {
        return None;
    }
    let mut best: Vec<(f64, usize)> = vec![(f64::INFINITY, usize::MAX); n];
    let mut previous: Vec<Option<usize>> = vec![None; n];
    best[from] = (0.0, 0);
    let mut heap = BinaryHeap::new();
    heap.push(Frontier {
        cost: 0.0,
        node: from,
    });
    while let Some(Frontier { cost, node }) = heap.pop() {
        if cost > best[node].0 {
            continue;
        }
        for next in 0..n {
            let d = difficulty[node][next];
            if next == node || !d.is_finite() || banned_nodes.contains(&next) {
                continue;
            }
            if banned_edges.contains(&(node, next)) {
                continue;
            }
            let candidate = (cost + d, best[node].1 + 1);
            let better = candidate.0 < best[next].0 - 1e-12
                || ((candidate.0 - best[next].0).abs() <= 1e-12 && candidate.1 < best[next].1);
            if better {
                best[next] = candidate;
                previous[next] = Some(node);
                heap.push(Frontier {
                    cost: candidate.0,
                    node: next,
                });
            }
        }
    }
    if !best[to].0.is_finite() {
        return None;
    }
    let mut nodes = vec![to];
    while let Some(p) = previous[*nodes.last().expect("non-empty")] {
        nodes.push(p);
    }
    nodes.reverse();
    Some(path_of(difficulty, nodes))
}

fn path_of(difficulty: &[Vec<f64>], nodes: Vec<usize>) -> MigrationPath {
    let steps: Vec<f64> = nodes.windows(2).map(|w| difficulty[w[0]][w[1]]).collect();
    MigrationPath {
        total: steps.iter().sum(),
        nodes,
        steps,
    }
}

/// The `k` cheapest loop-free paths from `from` to `to` (Yen's algorithm), cheapest first.
pub fn k_cheapest_paths(
    difficulty: &[Vec<f64>],
    from: usize,
    to: usize,
    k: usize,
) -> Vec<MigrationPath> {
    let mut found: Vec<MigrationPath> = Vec::new();
    let Some(first) = cheapest_path(difficulty, from, to, &[], &[]) else {
        return found;
    };
    found.push(first);
    let mut candidates: Vec<MigrationPath> = Vec::new();
    while found.len() < k {
        let last = found.last().expect("non-empty").nodes.clone();
        for spur_index in 0..last.len().saturating_sub(1) {
            let root = &last[..=spur_index];
            let banned_edges: Vec<(usize, usize)> = found
                .iter()
                .filter(|p| p.nodes.len() > spur_index && p.nodes[..=spur_index] == *root)
                .map(|p| (p.nodes[spur_index], p.nodes[spur_index + 1]))
                .collect();
            let banned_nodes: Vec<usize> = root[..spur_index].to_vec();
            if let Some(spur) = cheapest_path(
                difficulty,
                root[spur_index],
                to,
                &banned_nodes,
                &banned_edges,
            ) {
                let mut nodes = root[..spur_index].to_vec();
                nodes.extend(spur.nodes);
                let path = path_of(difficulty, nodes);
                if !candidates.contains(&path) && !found.contains(&path) {
                    candidates.push(path);
                }
            }
        }
        if candidates.is_empty() {
            break;
        }
        candidates.sort_by(|a, b| {
            a.total
                .total_cmp(&b.total)
                .then_with(|| a.nodes.len().cmp(&b.nodes.len()))
                .then_with(|| a.nodes.cmp(&b.nodes))
        });
        found.push(candidates.remove(0));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published chain-transition table, order docker, k8s, k3s, wasmedge, opa, multitenant.
    fn table() -> Vec<Vec<f64>> {
        vec![
            vec![0.0, 0.3, 0.4, 0.5, 0.6, 0.8],
            vec![0.5, 0.0, 0.2, 0.4, 0.3, 0.3],
            vec![0.6, 0.2, 0.0, 0.3, 0.4, 0.5],
            vec![0.7, 0.4, 0.3, 0.0, 0.2, 0.4],
            vec![0.8, 0.3, 0.4, 0.2, 0.0, 0.2],
            vec![0.9, 0.3, 0.5, 0.4, 0.2, 0.0],
        ]
    }

    #[test]
    fn docker_to_multitenant_goes_through_k8s_for_0_6() {
        let p = cheapest_path(&table(), 0, 5, &[], &[]).unwrap();
        assert_eq!(p.nodes, vec![0, 1, 5]);
        assert!((p.total - 0.6).abs() < 1e-12);
    }

    #[test]
    fn yen_lists_the_direct_route_among_the_alternatives() {
        let paths = k_cheapest_paths(&table(), 0, 5, 10);
        assert_eq!(paths[0].nodes, vec![0, 1, 5]);
        assert!(paths
            .iter()
            .any(|p| p.nodes == vec![0, 5] && (p.total - 0.8).abs() < 1e-12));
        for w in paths.windows(2) {
            assert!(w[0].total <= w[1].total + 1e-12);
        }
        // Loop-free and distinct.
        for p in &paths {
            let mut seen = p.nodes.clone();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), p.nodes.len());
        }
    }
}
