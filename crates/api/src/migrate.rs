//! `migrate`: the cheapest way from one chain to another (or from one scene to another) over the
//! knowledge base's transition table, and the next cheapest ways.

use crate::error::{ApiError, ApiResult};
use crate::views::{MigrateView, MigrationNodeView, MigrationPathView, MigrationStepView};
use serde::{Deserialize, Serialize};
use stackmatrix_engine::{k_cheapest_paths, MigrationPath};
use stackmatrix_model::{KnowledgeBase, Lang, Scene};

/// `migrate`: from one chain to another (`from`, `to`: ids of the chain-transition table), or
/// from one scene to another (`from_scene`, `to_scene`: scene keys). Give one pair, not both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MigrateRequest {
    /// The chain to move from.
    #[serde(default)]
    pub from: Option<String>,
    /// The chain to move to.
    #[serde(default)]
    pub to: Option<String>,
    /// The scene to move a workload from.
    #[serde(default)]
    pub from_scene: Option<String>,
    /// The scene to move a workload to.
    #[serde(default)]
    pub to_scene: Option<String>,
    /// How many paths to answer besides the cheapest one [default: 3].
    #[serde(default = "default_alternatives")]
    pub alternatives: usize,
}

/// `migrate`'s default `alternatives`.
pub const DEFAULT_MIGRATE_ALTERNATIVES: usize = 3;

fn default_alternatives() -> usize {
    DEFAULT_MIGRATE_ALTERNATIVES
}

impl Default for MigrateRequest {
    fn default() -> Self {
        MigrateRequest {
            from: None,
            to: None,
            from_scene: None,
            to_scene: None,
            alternatives: DEFAULT_MIGRATE_ALTERNATIVES,
        }
    }
}

impl MigrateRequest {
    /// A request from one chain to another.
    pub fn chains(from: impl Into<String>, to: impl Into<String>) -> MigrateRequest {
        MigrateRequest {
            from: Some(from.into()),
            to: Some(to.into()),
            ..MigrateRequest::default()
        }
    }

    /// A request from one scene to another.
    pub fn scenes(from: impl Into<String>, to: impl Into<String>) -> MigrateRequest {
        MigrateRequest {
            from_scene: Some(from.into()),
            to_scene: Some(to.into()),
            ..MigrateRequest::default()
        }
    }
}

/// The graph a request walks: node ids and names, and the difficulty of each direct move.
struct Graph {
    kind: &'static str,
    ids: Vec<String>,
    names: Vec<String>,
    difficulty: Vec<Vec<f64>>,
}

/// `migrate`: the cheapest path (Dijkstra over the published difficulties) from `from` to `to`,
/// with the next cheapest loop-free paths (Yen's algorithm), cheapest first; among paths of
/// equal cost the one with fewer steps comes first. Chains follow the chain-transition table,
/// scenes the scene-migration table of `tables/transitions.toml`. The reference's example:
/// Docker to MultiTenant costs 0.8 directly but 0.3 + 0.3 = 0.6 through K8s.
///
/// ```
/// use stackmatrix_api::{migrate, MigrateRequest};
/// let kb = stackmatrix_model::builtin().unwrap();
/// let view = migrate(&kb, stackmatrix_model::Lang::En, &MigrateRequest::chains("docker", "multitenant")).unwrap();
/// let path = view.path.unwrap();
/// let ids: Vec<&str> = path.nodes.iter().map(|n| n.id.as_str()).collect();
/// assert_eq!(ids, ["docker", "k8s", "multitenant"]);
/// assert!((path.total - 0.6).abs() < 1e-12);
/// assert_eq!(view.direct, Some(0.8));
/// ```
pub fn migrate(kb: &KnowledgeBase, lang: Lang, req: &MigrateRequest) -> ApiResult<MigrateView> {
    let chains = req.from.is_some() || req.to.is_some();
    let scenes = req.from_scene.is_some() || req.to_scene.is_some();
    let (graph, from, to) = match (chains, scenes) {
        (true, true) => {
            return Err(ApiError::bad_input(
                "from_scene",
                "chains (from, to) and scenes (from_scene, to_scene) are both given; expected one pair",
            ))
        }
        (false, false) => {
            return Err(ApiError::bad_input(
                "from",
                "no chains and no scenes; expected from and to (chain ids) or from_scene and to_scene (scene keys)",
            ))
        }
        (true, false) => {
            let (from, to) = pair(&req.from, &req.to, "from", "to")?;
            (chain_graph(kb, lang), from, to)
        }
        (false, true) => {
            let (from, to) = pair(&req.from_scene, &req.to_scene, "from_scene", "to_scene")?;
            (scene_graph(kb, lang), from, to)
        }
    };
    let from = graph.index(from)?;
    let to = graph.index(to)?;
    let paths = k_cheapest_paths(
        &graph.difficulty,
        from,
        to,
        req.alternatives.saturating_add(1),
    );
    let mut paths = paths.iter().map(|p| graph.path_view(p));
    let path = paths.next();
    Ok(MigrateView {
        kind: graph.kind,
        from: graph.node(from),
        to: graph.node(to),
        direct: (from != to)
            .then(|| graph.difficulty[from][to])
            .filter(|d| d.is_finite()),
        path,
        alternatives: paths.collect(),
    })
}

/// Both ends of a pair, or which one is missing.
fn pair<'a>(
    from: &'a Option<String>,
    to: &'a Option<String>,
    from_field: &'static str,
    to_field: &'static str,
) -> ApiResult<(&'a str, &'a str)> {
    match (from, to) {
        (Some(f), Some(t)) => Ok((f.trim(), t.trim())),
        (Some(_), None) => Err(ApiError::bad_input(
            to_field,
            format!("{from_field} is given without {to_field}; expected both"),
        )),
        _ => Err(ApiError::bad_input(
            from_field,
            format!("{to_field} is given without {from_field}; expected both"),
        )),
    }
}

fn chain_graph(kb: &KnowledgeBase, lang: Lang) -> Graph {
    let t = &kb.tables.transitions.chains;
    Graph {
        kind: "chain",
        ids: t.ids.clone(),
        names: t
            .ids
            .iter()
            .map(|id| {
                kb.technology(id)
                    .map_or_else(|| id.clone(), |tech| tech.name.get(lang).to_string())
            })
            .collect(),
        difficulty: t.difficulty.clone(),
    }
}

fn scene_graph(kb: &KnowledgeBase, lang: Lang) -> Graph {
    Graph {
        kind: "scene",
        ids: Scene::KEYS.iter().map(|k| k.to_string()).collect(),
        names: Scene::ALL
            .iter()
            .map(|s| kb.scene_names(*s).get(lang).to_string())
            .collect(),
        difficulty: kb
            .tables
            .transitions
            .scene_migration
            .iter()
            .map(|row| row.to_vec())
            .collect(),
    }
}

impl Graph {
    fn index(&self, id: &str) -> ApiResult<usize> {
        self.ids
            .iter()
            .position(|i| i == id)
            .ok_or_else(|| ApiError::NotFound {
                what: self.kind,
                id: id.to_string(),
                known: self.ids.clone(),
            })
    }

    fn node(&self, i: usize) -> MigrationNodeView {
        MigrationNodeView {
            id: self.ids[i].clone(),
            name: self.names[i].clone(),
        }
    }

    fn path_view(&self, p: &MigrationPath) -> MigrationPathView {
        MigrationPathView {
            nodes: p.nodes.iter().map(|&i| self.node(i)).collect(),
            steps: p
                .nodes
                .windows(2)
                .zip(&p.steps)
                .map(|(w, d)| MigrationStepView {
                    from: self.ids[w[0]].clone(),
                    to: self.ids[w[1]].clone(),
                    difficulty: *d,
                })
                .collect(),
            total: p.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> KnowledgeBase {
        stackmatrix_model::builtin().unwrap()
    }

    fn ids(p: &MigrationPathView) -> Vec<&str> {
        p.nodes.iter().map(|n| n.id.as_str()).collect()
    }

    #[test]
    fn docker_to_multitenant_goes_through_k8s_and_lists_the_direct_route() {
        let req = MigrateRequest::chains("docker", "multitenant");
        let view = migrate(&kb(), Lang::En, &req).unwrap();
        assert_eq!(view.kind, "chain");
        assert_eq!(
            (view.from.id.as_str(), view.to.id.as_str()),
            ("docker", "multitenant")
        );
        let path = view.path.as_ref().unwrap();
        assert_eq!(ids(path), ["docker", "k8s", "multitenant"]);
        assert_eq!(path.nodes[1].name, "Kubernetes (K8s)");
        let steps: Vec<f64> = path.steps.iter().map(|s| s.difficulty).collect();
        assert_eq!(steps, [0.3, 0.3]);
        assert_eq!(
            (path.steps[0].from.as_str(), path.steps[0].to.as_str()),
            ("docker", "k8s")
        );
        assert!((path.total - 0.6).abs() < 1e-12);
        assert_eq!(view.alternatives.len(), 3);
        // Ties at 0.8 go to fewer steps: the direct move is the first alternative.
        assert_eq!(ids(&view.alternatives[0]), ["docker", "multitenant"]);
        assert!((view.alternatives[0].total - 0.8).abs() < 1e-12);
        assert_eq!(view.direct, Some(0.8));
        for w in view.alternatives.windows(2) {
            assert!(w[0].total <= w[1].total + 1e-12);
        }
    }

    #[test]
    fn scenes_walk_the_scene_migration_table() {
        let view = migrate(&kb(), Lang::En, &MigrateRequest::scenes("dev", "prod")).unwrap();
        assert_eq!(view.kind, "scene");
        let path = view.path.unwrap();
        // dev -> ci -> prod costs 0.2 + 0.5 = 0.7, less than the direct 0.8.
        assert_eq!(ids(&path), ["dev", "ci", "prod"]);
        assert!((path.total - 0.7).abs() < 1e-12);
        assert_eq!(view.direct, Some(0.8));
    }

    #[test]
    fn alternatives_are_capped_by_the_paths_there_are() {
        let req = MigrateRequest {
            alternatives: 1000,
            ..MigrateRequest::chains("docker", "multitenant")
        };
        let view = migrate(&kb(), Lang::En, &req).unwrap();
        // Loop-free paths between two of six nodes: 1 + 4 + 12 + 24 + 24 = 65.
        assert_eq!(view.alternatives.len() + 1, 65);
        let none = MigrateRequest {
            alternatives: 0,
            ..MigrateRequest::chains("docker", "multitenant")
        };
        assert!(migrate(&kb(), Lang::En, &none)
            .unwrap()
            .alternatives
            .is_empty());
    }

    #[test]
    fn the_same_node_is_a_path_of_no_steps() {
        let view = migrate(&kb(), Lang::En, &MigrateRequest::chains("k8s", "k8s")).unwrap();
        let path = view.path.unwrap();
        assert_eq!(ids(&path), ["k8s"]);
        assert!(path.steps.is_empty());
        assert_eq!(path.total, 0.0);
        assert_eq!(view.direct, None);
    }

    #[test]
    fn errors_name_the_field_or_the_unknown_id() {
        let kb = kb();
        let err = |req: MigrateRequest| migrate(&kb, Lang::En, &req).unwrap_err();
        let e = err(MigrateRequest::chains("docker", "istio"));
        assert!(matches!(&e, ApiError::NotFound { what: "chain", id, .. } if id == "istio"));
        assert!(e.to_string().contains("expected one of: docker, k8s, k3s"));
        let e = err(MigrateRequest::scenes("dev", "moon"));
        assert!(matches!(&e, ApiError::NotFound { what: "scene", id, .. } if id == "moon"));
        let e = err(MigrateRequest::default());
        assert!(matches!(e, ApiError::BadInput { field: "from", .. }));
        let e = err(MigrateRequest {
            from: Some("docker".into()),
            ..MigrateRequest::default()
        });
        assert!(matches!(e, ApiError::BadInput { field: "to", .. }));
        let e = err(MigrateRequest {
            from_scene: Some("dev".into()),
            ..MigrateRequest::chains("docker", "k8s")
        });
        assert!(matches!(
            e,
            ApiError::BadInput {
                field: "from_scene",
                ..
            }
        ));
    }

    #[test]
    fn requests_take_their_defaults_from_json() {
        let r: MigrateRequest =
            serde_json::from_str(r#"{"from": "docker", "to": "multitenant"}"#).unwrap();
        assert_eq!(r, MigrateRequest::chains("docker", "multitenant"));
        assert_eq!(r.alternatives, DEFAULT_MIGRATE_ALTERNATIVES);
    }

    #[test]
    fn names_follow_the_language() {
        let view = migrate(&kb(), Lang::Zh, &MigrateRequest::chains("docker", "k8s")).unwrap();
        assert_ne!(view.to.name, "Kubernetes (K8s)");
    }
}
