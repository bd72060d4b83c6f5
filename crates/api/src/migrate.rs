//! `migrate`: the cheapest way from one chain to another (or from one scene to another) over the
//! knowledge base's transition table, and the next cheapest ways.

use crate::error::{ApiError, ApiResult};
use crate::views::{MigrateView, MigrationNodeView, MigrationPathView, MigrationStepView};
use serde::{Deserialize, Serialize};
use stackmatrix_engine::{
    derived_chain_transition_difficulty, k_cheapest_paths, transition_agreement, MigrationPath,
};
use stackmatrix_model::{KnowledgeBase, Lang, Matrix, Scene, TimeSlice, CONCEPT_COUNT};

/// `migrate`: from one chain to another (`from`, `to`: ids of the chain-transition table), or
/// from one scene to another (`from_scene`, `to_scene`: scene keys). Give one pair, not both.
/// `source` chooses the chain table: `published` (default) or `derived` (from the maturity
/// matrices and Θ, [`derived_chain_transition_difficulty`]). With `compare`, no pair is given
/// and the answer is [`migrate_compare`]'s side-by-side view of the two chain tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// The chain-transition table to walk: `published` [default] or `derived`.
    #[serde(default)]
    pub source: Option<String>,
    /// Answer the published and the derived chain tables side by side with their rank
    /// correlations ([`migrate_compare`]) instead of a path.
    #[serde(default)]
    pub compare: bool,
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
            source: None,
            compare: false,
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

/// The sources of the chain-transition table.
pub const TRANSITION_SOURCES: [&str; 2] = ["published", "derived"];

/// Which chain-transition table a request asks for: `published` or `derived`.
fn transition_source(req: &MigrateRequest) -> ApiResult<&'static str> {
    match req.source.as_deref().map(str::trim) {
        None | Some("published") => Ok("published"),
        Some("derived") => Ok("derived"),
        Some(other) => Err(ApiError::bad_input(
            "source",
            format!(
                "'{other}' is not a source; expected one of: {}",
                TRANSITION_SOURCES.join(", ")
            ),
        )),
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
    if req.compare {
        return Err(ApiError::bad_input(
            "compare",
            "the comparison of the chain tables is answered by migrate_compare, not as a path; expected false here",
        ));
    }
    let source = transition_source(req)?;
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
            let mut graph = chain_graph(kb, lang);
            if source == "derived" {
                graph.difficulty = derived_chain_table(kb)?.1;
            }
            (graph, from, to)
        }
        (false, true) => {
            let (from, to) = pair(&req.from_scene, &req.to_scene, "from_scene", "to_scene")?;
            if source == "derived" {
                return Err(ApiError::bad_input(
                    "source",
                    "derived applies to chains only: the scene migrations have no derived table; expected published, or from and to (chains)",
                ));
            }
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
        source,
        matrix: graph.matrix_view(),
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

/// The static maturity matrices of the chains of the transition table, in its order, and the
/// derived difficulty table over them under the knowledge base's Θ.
fn derived_chain_table(kb: &KnowledgeBase) -> ApiResult<(Vec<Matrix>, Vec<Vec<f64>>)> {
    let matrices = kb
        .tables
        .transitions
        .chains
        .ids
        .iter()
        .map(|id| {
            kb.technology(id)
                .and_then(|t| t.maturity.matrix(TimeSlice::Static))
                .ok_or_else(|| {
                    ApiError::failure(format!(
                        "the chain-transition table names '{id}', which has no complete static maturity matrix in the knowledge base"
                    ))
                })
        })
        .collect::<ApiResult<Vec<Matrix>>>()?;
    let derived = derived_chain_transition_difficulty(&matrices, &kb.tables.theta.value);
    Ok((matrices, derived))
}

/// A difficulty table with its nodes.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TransitionMatrixView {
    /// The nodes, in row and column order.
    pub nodes: Vec<MigrationNodeView>,
    /// `difficulty[i][j]`: moving from `nodes[i]` to `nodes[j]`, in [0, 1] (0 on the diagonal).
    pub difficulty: Vec<Vec<f64>>,
}

/// `migrate --compare`: the published and the derived chain-transition tables side by side, and
/// how well they agree in order.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TransitionComparisonView {
    /// The chains, in row and column order (those of `tables/transitions.toml`).
    pub chains: Vec<MigrationNodeView>,
    /// The time slice the derived table uses: `static`.
    pub slice: &'static str,
    /// Θ = diag(θ) used, concept order (`tables/theta.toml`, default all 1).
    pub theta: [f64; CONCEPT_COUNT],
    /// The derivation rule, as a formula.
    pub rule: &'static str,
    /// The published table (`tables/transitions.toml`).
    pub published: Vec<Vec<f64>>,
    /// The derived table ([`derived_chain_transition_difficulty`]).
    pub derived: Vec<Vec<f64>>,
    /// Off-diagonal entries compared, `n (n − 1)`.
    pub pairs: usize,
    /// Kendall's tau-b of the off-diagonal entries, published against derived; `null` when
    /// undefined.
    pub kendall_tau_b: Option<f64>,
    /// Spearman's rho (average ranks for ties) of the same entries; `null` when undefined.
    pub spearman: Option<f64>,
}

/// The derivation rule of the chain-transition difficulty, as printed.
pub const DERIVED_TRANSITION_RULE: &str =
    "difficulty(i→j) = clamp(tr(M(i,i) − M(i,j) − M(j,i) + M(j,j)) / tr(M(j,j)), 0, 1) = ‖A(j) − A(i)‖²_Θ / ‖A(j)‖²_Θ, with M(i,j) = A(j)ᵀ·Θ·A(i) on the static slice";

/// `migrate --compare`: the published chain-transition table beside the one derived from the
/// maturity matrices and Θ ([`derived_chain_transition_difficulty`], static slice), with
/// Kendall's tau-b and Spearman's rho of their off-diagonal entries. The request must give
/// `compare` and nothing else (no pair, no source).
///
/// ```
/// use stackmatrix_api::{migrate_compare, MigrateRequest};
/// let kb = stackmatrix_model::builtin().unwrap();
/// let req = MigrateRequest { compare: true, ..MigrateRequest::default() };
/// let view = migrate_compare(&kb, stackmatrix_model::Lang::En, &req).unwrap();
/// assert_eq!(view.chains[0].id, "docker");
/// assert_eq!(view.derived[0][0], 0.0);
/// assert_eq!(view.pairs, 30);
/// assert!(view.kendall_tau_b.unwrap() > 0.0);
/// ```
pub fn migrate_compare(
    kb: &KnowledgeBase,
    lang: Lang,
    req: &MigrateRequest,
) -> ApiResult<TransitionComparisonView> {
    let given: Vec<&str> = [
        ("from", req.from.is_some()),
        ("to", req.to.is_some()),
        ("from_scene", req.from_scene.is_some()),
        ("to_scene", req.to_scene.is_some()),
        ("source", req.source.is_some()),
    ]
    .iter()
    .filter(|(_, g)| *g)
    .map(|(f, _)| *f)
    .collect();
    if !given.is_empty() {
        return Err(ApiError::bad_input(
            "compare",
            format!(
                "the comparison takes no {}; expected compare alone (it compares the whole chain tables)",
                given.join(", ")
            ),
        ));
    }
    let graph = chain_graph(kb, lang);
    let (_, derived) = derived_chain_table(kb)?;
    let agreement = transition_agreement(&graph.difficulty, &derived);
    Ok(TransitionComparisonView {
        chains: (0..graph.ids.len()).map(|i| graph.node(i)).collect(),
        slice: TimeSlice::Static.key(),
        theta: kb.tables.theta.value,
        rule: DERIVED_TRANSITION_RULE,
        published: graph.difficulty,
        derived,
        pairs: agreement.pairs,
        kendall_tau_b: agreement.kendall_tau_b,
        spearman: agreement.spearman,
    })
}

impl Graph {
    fn matrix_view(&self) -> TransitionMatrixView {
        TransitionMatrixView {
            nodes: (0..self.ids.len()).map(|i| self.node(i)).collect(),
            difficulty: self.difficulty.clone(),
        }
    }

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
    fn the_derived_source_walks_the_derived_table() {
        let kb = kb();
        let req = MigrateRequest {
            source: Some("derived".into()),
            ..MigrateRequest::chains("docker", "multitenant")
        };
        let view = migrate(&kb, Lang::En, &req).unwrap();
        assert_eq!(view.source, "derived");
        let compare = MigrateRequest {
            compare: true,
            ..MigrateRequest::default()
        };
        let cmp = migrate_compare(&kb, Lang::En, &compare).unwrap();
        assert_eq!(view.matrix.difficulty, cmp.derived);
        let ids: Vec<&str> = view.matrix.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, kb.tables.transitions.chains.ids);
        assert_eq!(view.direct, Some(cmp.derived[0][5]));
        let path = view.path.unwrap();
        assert!(path.total <= cmp.derived[0][5] + 1e-12);
        // The published source is the default and carries the published table.
        let published = migrate(&kb, Lang::En, &MigrateRequest::chains("docker", "k8s")).unwrap();
        assert_eq!(published.source, "published");
        assert_eq!(published.matrix.difficulty, cmp.published);
        assert_eq!(cmp.published, kb.tables.transitions.chains.difficulty);
        assert_eq!(cmp.slice, "static");
        assert_eq!(cmp.theta, kb.tables.theta.value);
    }

    #[test]
    fn bad_sources_and_misplaced_comparisons_are_refused_by_field() {
        let kb = kb();
        let e = migrate(
            &kb,
            Lang::En,
            &MigrateRequest {
                source: Some("guessed".into()),
                ..MigrateRequest::chains("docker", "k8s")
            },
        )
        .unwrap_err();
        assert!(matches!(
            &e,
            ApiError::BadInput {
                field: "source",
                ..
            }
        ));
        assert!(
            e.to_string()
                .contains("expected one of: published, derived"),
            "{e}"
        );
        let e = migrate(
            &kb,
            Lang::En,
            &MigrateRequest {
                source: Some("derived".into()),
                ..MigrateRequest::scenes("dev", "prod")
            },
        )
        .unwrap_err();
        assert!(matches!(
            &e,
            ApiError::BadInput {
                field: "source",
                ..
            }
        ));
        let e = migrate(
            &kb,
            Lang::En,
            &MigrateRequest {
                compare: true,
                ..MigrateRequest::default()
            },
        )
        .unwrap_err();
        assert!(matches!(
            &e,
            ApiError::BadInput {
                field: "compare",
                ..
            }
        ));
        let e = migrate_compare(
            &kb,
            Lang::En,
            &MigrateRequest {
                compare: true,
                ..MigrateRequest::chains("docker", "k8s")
            },
        )
        .unwrap_err();
        assert!(matches!(
            &e,
            ApiError::BadInput {
                field: "compare",
                ..
            }
        ));
        assert!(e.to_string().contains("from, to"), "{e}");
    }

    #[test]
    fn names_follow_the_language() {
        let view = migrate(&kb(), Lang::Zh, &MigrateRequest::chains("docker", "k8s")).unwrap();
        assert_ne!(view.to.name, "Kubernetes (K8s)");
    }
}
