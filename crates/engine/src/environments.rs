//! Scenarios that span environments (the seed's hybrid): one sub-stack per weighted scene, plus
//! shared layers every environment uses.

use crate::input::PreparedScenario;
use crate::recommend::{recommend_stack, stack_order, Constraints, SearchError, SearchResult};
use crate::stack::stack_fit_and_score;
use stackmatrix_model::{Parameters, Scene, Technology, CONCEPT_COUNT};

/// One environment's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvironmentStack {
    /// The scene this environment is.
    pub scene: Scene,
    /// Its weight in the scenario's vector (sum 1 over environments).
    pub weight: f64,
    /// The scenario restricted to this scene (a basis vector).
    pub scenario: PreparedScenario,
    /// The best sub-stacks for this scene alone, best first.
    pub result: SearchResult,
    /// Score of the best sub-stack with the shared layers added.
    pub score_with_shared: Option<f64>,
}

/// Shared layers: technologies every environment uses (delivery, monitoring, dashboards).
#[derive(Debug, Clone, PartialEq)]
pub struct SharedLayers {
    /// Member ids.
    pub members: Vec<String>,
    /// The capabilities they had to bring.
    pub required: Vec<String>,
    /// How many candidate sets were compared.
    pub compared: usize,
}

/// A per-environment plan.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvironmentPlan {
    /// One entry per scene with weight > 0, in scene order.
    pub environments: Vec<EnvironmentStack>,
    /// The shared layers, `None` when none were asked for or none can bring what was asked.
    pub shared: Option<SharedLayers>,
    /// Why no shared layer could be chosen, when shared capabilities were asked for.
    pub shared_missing: Vec<String>,
    /// Weighted score: `Σ_j s_j · score_j`, each environment's best sub-stack with the shared
    /// layers, in its own scene.
    pub score: f64,
    /// Weighted fit: `Σ_j s_j · fit_j` of the same stacks (its weighted score is `score`).
    pub fit: [f64; CONCEPT_COUNT],
    /// Every member of every environment and of the shared layers, chains first, then by id.
    pub members: Vec<String>,
}

/// Answers a scenario that spans environments: each scene with weight > 0 gets the best sub-stack
/// for that scene alone (same constraints and requirements), then the shared layers are the
/// smallest set of at most `max_shared` technologies that brings every `shared_capabilities`
/// entry and maximises the weighted score `Σ_j s_j · score(sub_j ∪ shared, e_j)` (ties: fewer
/// members, then ids). Enumerating the shared sets is exact: only technologies that bring at
/// least one of the asked capabilities are candidates.
pub fn recommend_per_environment(
    technologies: &[&Technology],
    scenario: &PreparedScenario,
    params: &Parameters,
    constraints: &Constraints,
    shared_capabilities: &[String],
    max_shared: usize,
) -> Result<EnvironmentPlan, SearchError> {
    let mut environments = Vec::new();
    for scene in Scene::ALL {
        let weight = scenario.vector[scene.index()];
        if weight <= 0.0 {
            continue;
        }
        let basis = scenario.basis(scene);
        let per_env = Constraints {
            spans_environments: false,
            ..constraints.clone()
        };
        let result = recommend_stack(technologies, &basis, params, &per_env)?;
        environments.push(EnvironmentStack {
            scene,
            weight,
            scenario: basis,
            result,
            score_with_shared: None,
        });
    }
    let by_id = |id: &str| technologies.iter().find(|t| t.id == id).copied();
    let best_members = |e: &EnvironmentStack| -> Vec<&Technology> {
        e.result
            .stacks
            .first()
            .map(|s| s.members.iter().filter_map(|m| by_id(m)).collect())
            .unwrap_or_default()
    };
    let weighted = |layer: &[&Technology]| -> f64 {
        environments
            .iter()
            .map(|e| {
                let mut members = best_members(e);
                for l in layer {
                    if !members.iter().any(|m| m.id == l.id) {
                        members.push(l);
                    }
                }
                let s = stack_fit_and_score(&members, &e.scenario, params).map_or(0.0, |x| x.1);
                e.weight * s
            })
            .sum()
    };
    let mut shared = None;
    let mut shared_missing = Vec::new();
    let mut chosen: Vec<&Technology> = Vec::new();
    if !shared_capabilities.is_empty() {
        let pool: Vec<&Technology> = technologies
            .iter()
            .filter(|t| !constraints.exclude.contains(&t.id))
            .filter(|t| shared_capabilities.iter().any(|c| t.has_capability(c)))
            .copied()
            .collect();
        let everywhere: Vec<&Technology> = environments.iter().flat_map(best_members).collect();
        let mut best: Option<(f64, Vec<&Technology>)> = None;
        let mut compared = 0;
        let mut subset: Vec<&Technology> = Vec::new();
        let mut stack_of_subsets = Vec::new();
        subsets(&pool, 0, max_shared, &mut subset, &mut stack_of_subsets);
        for layer in stack_of_subsets {
            let covers = shared_capabilities
                .iter()
                .all(|c| layer.iter().any(|t| t.has_capability(c)));
            let hosted = layer.iter().all(|t| {
                (t.hosts.is_empty()
                    || t.hosts
                        .iter()
                        .any(|h| everywhere.iter().chain(&layer).any(|m| &m.id == h)))
                    && t.requires
                        .iter()
                        .all(|r| everywhere.iter().chain(&layer).any(|m| &m.id == r))
            });
            let peaceful = layer
                .iter()
                .enumerate()
                .all(|(i, a)| layer[i + 1..].iter().all(|b| !a.conflicts_with(b)));
            if !(covers && hosted && peaceful) {
                continue;
            }
            compared += 1;
            let value = weighted(&layer);
            let better = match &best {
                None => true,
                Some((v, l)) => {
                    let a = crate::recommend::ScoredStack {
                        members: ids(&layer),
                        score: value,
                        fit: [0.0; 12],
                        memory_mb: 0.0,
                        memory_unknown: Vec::new(),
                    };
                    let b = crate::recommend::ScoredStack {
                        members: ids(l),
                        score: *v,
                        ..a.clone()
                    };
                    stack_order(&a, &b) == std::cmp::Ordering::Less
                }
            };
            if better {
                best = Some((value, layer));
            }
        }
        match best {
            Some((_, layer)) => {
                chosen = layer;
                shared = Some(SharedLayers {
                    members: ids(&chosen),
                    required: shared_capabilities.to_vec(),
                    compared,
                });
            }
            None => {
                shared_missing = shared_capabilities
                    .iter()
                    .filter(|c| !pool.iter().any(|t| t.has_capability(c)))
                    .cloned()
                    .collect();
                if shared_missing.is_empty() {
                    shared_missing.push(format!(
                        "no set of at most {max_shared} technologies brings all of {} with its hosts present",
                        shared_capabilities.join(", ")
                    ));
                }
            }
        }
    }
    let score = weighted(&chosen);
    let mut fit = [0.0; CONCEPT_COUNT];
    let mut all: Vec<&Technology> = Vec::new();
    for e in &mut environments {
        let mut members = best_members(e);
        for l in &chosen {
            if !members.iter().any(|m| m.id == l.id) {
                members.push(l);
            }
        }
        let scored = stack_fit_and_score(&members, &e.scenario, params);
        if let Some((f, _)) = scored {
            for (x, y) in fit.iter_mut().zip(f) {
                *x += e.weight * y;
            }
        }
        e.score_with_shared = scored.map(|x| x.1);
        for m in members {
            if !all.iter().any(|a| a.id == m.id) {
                all.push(m);
            }
        }
    }
    all.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.id.cmp(&b.id)));
    Ok(EnvironmentPlan {
        environments,
        shared,
        shared_missing,
        score,
        fit,
        members: all.iter().map(|t| t.id.clone()).collect(),
    })
}

fn ids(ts: &[&Technology]) -> Vec<String> {
    let mut v: Vec<String> = ts.iter().map(|t| t.id.clone()).collect();
    v.sort();
    v
}

fn subsets<'a>(
    pool: &[&'a Technology],
    start: usize,
    k: usize,
    cur: &mut Vec<&'a Technology>,
    out: &mut Vec<Vec<&'a Technology>>,
) {
    if !cur.is_empty() {
        out.push(cur.clone());
    }
    if cur.len() == k {
        return;
    }
    for i in start..pool.len() {
        cur.push(pool[i]);
        subsets(pool, i + 1, k, cur, out);
        cur.pop();
    }
}
