//! The catalog of addons: the technologies the seed names without a published matrix.
//!
//! Every addon of `data/technologies/` is checked for the shape the product relies on when it
//! composes stacks: its kind, roles, capabilities, hosts and requirements; estimated provenance with
//! a one-line rationale for every row it gives; the published service-mesh uplift of L on each mesh;
//! the conflicts that keep two meshes or two orchestrators out of one environment; and a source for
//! every footprint figure. `docs/catalog.md` describes the catalog.

use stackmatrix_model::{
    builtin, Concept, KnowledgeBase, ProvenanceKind, TechKind, Technology, TimeSlice,
};

fn kb() -> KnowledgeBase {
    match builtin() {
        Ok(kb) => kb,
        Err(e) => panic!("the built-in knowledge base does not load:\n{e}"),
    }
}

fn tech<'a>(kb: &'a KnowledgeBase, id: &str) -> &'a Technology {
    kb.technology(id)
        .unwrap_or_else(|| panic!("the built-in knowledge base has no technology '{id}'"))
}

/// One catalog entry as the brief fixes it: id, roles, capabilities, hosts, requires.
struct Entry {
    id: &'static str,
    roles: &'static [&'static str],
    capabilities: &'static [&'static str],
    hosts: &'static [&'static str],
    requires: &'static [&'static str],
}

const ORCHESTRATORS: &[&str] = &["k8s", "k3s", "multitenant"];
const MESHES: [&str; 3] = ["istio", "linkerd", "cilium-mesh"];

const CATALOG: &[Entry] = &[
    Entry {
        id: "keda",
        roles: &["autoscaler"],
        capabilities: &["event-autoscaling"],
        hosts: ORCHESTRATORS,
        requires: &[],
    },
    Entry {
        id: "opa-wasm",
        roles: &["policy"],
        capabilities: &["policy", "wasm"],
        hosts: &["wasmedge", "k8s", "k3s", "multitenant"],
        requires: &[],
    },
    Entry {
        id: "capsule",
        roles: &["tenancy"],
        capabilities: &["tenant-isolation"],
        hosts: &["k8s", "k3s"],
        requires: &[],
    },
    Entry {
        id: "prometheus",
        roles: &["observability"],
        capabilities: &["monitoring"],
        hosts: &[],
        requires: &[],
    },
    Entry {
        id: "prometheus-tenant",
        roles: &["observability"],
        capabilities: &["monitoring", "tenant-monitoring"],
        hosts: ORCHESTRATORS,
        requires: &[],
    },
    Entry {
        id: "wasmedge-gpu",
        roles: &["accelerator"],
        capabilities: &["gpu"],
        hosts: &[],
        requires: &["wasmedge"],
    },
    Entry {
        id: "rook-ceph",
        roles: &["storage"],
        capabilities: &["storage"],
        hosts: &["k8s", "k3s"],
        requires: &[],
    },
    Entry {
        id: "argocd",
        roles: &["delivery"],
        capabilities: &["gitops"],
        hosts: ORCHESTRATORS,
        requires: &[],
    },
    Entry {
        id: "grafana",
        roles: &["dashboards"],
        capabilities: &["dashboards"],
        hosts: &[],
        requires: &[],
    },
    Entry {
        id: "grafana-alloy",
        roles: &["observability"],
        capabilities: &["monitoring", "offline"],
        hosts: &[],
        requires: &[],
    },
    Entry {
        id: "openfaas",
        roles: &["functions"],
        capabilities: &["functions"],
        hosts: &["k8s", "k3s", "docker-desktop"],
        requires: &[],
    },
    Entry {
        id: "docker-desktop",
        roles: &["dev-environment", "runtime"],
        capabilities: &["wasm"],
        hosts: &[],
        requires: &[],
    },
    Entry {
        id: "istio",
        roles: &["mesh"],
        capabilities: &["service-mesh"],
        hosts: ORCHESTRATORS,
        requires: &[],
    },
    Entry {
        id: "linkerd",
        roles: &["mesh"],
        capabilities: &["service-mesh"],
        hosts: ORCHESTRATORS,
        requires: &[],
    },
    Entry {
        id: "cilium-mesh",
        roles: &["mesh"],
        capabilities: &["service-mesh"],
        hosts: ORCHESTRATORS,
        requires: &[],
    },
];

fn sorted(list: &[impl AsRef<str>]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.as_ref().to_string()).collect();
    v.sort();
    v
}

#[test]
fn every_catalog_entry_exists_as_an_addon_with_its_roles_capabilities_and_hosts() {
    let kb = kb();
    for e in CATALOG {
        let t = tech(&kb, e.id);
        assert_eq!(t.kind, TechKind::Addon, "{}: kind", e.id);
        assert_eq!(sorted(&t.roles), sorted(e.roles), "{}: roles", e.id);
        assert_eq!(
            sorted(&t.capabilities),
            sorted(e.capabilities),
            "{}: capabilities",
            e.id
        );
        assert_eq!(sorted(&t.hosts), sorted(e.hosts), "{}: hosts", e.id);
        assert_eq!(
            sorted(&t.requires),
            sorted(e.requires),
            "{}: requires",
            e.id
        );
        assert!(!t.name.en.trim().is_empty(), "{}: English name", e.id);
        assert!(!t.name.zh.trim().is_empty(), "{}: Chinese name", e.id);
    }
}

#[test]
fn every_addon_row_is_estimated_and_explained() {
    let kb = kb();
    for e in CATALOG {
        let t = tech(&kb, e.id);
        assert_eq!(
            t.provenance.kind,
            ProvenanceKind::Estimated,
            "{}: default provenance",
            e.id
        );
        let given: Vec<Concept> = Concept::ALL
            .into_iter()
            .filter(|&c| t.maturity.row(TimeSlice::Static, c).is_some())
            .collect();
        assert!(
            !given.is_empty(),
            "{}: an addon gives at least one row",
            e.id
        );
        assert!(
            given.len() < Concept::ALL.len(),
            "{}: an addon gives only the concepts it affects",
            e.id
        );
        for c in given {
            let row = t.maturity.row(TimeSlice::Static, c).unwrap();
            assert!(
                row.iter().all(|v| (0.0..=1.0).contains(v)),
                "{}: {} row {row:?} outside [0, 1]",
                e.id,
                c.key()
            );
            assert_eq!(
                t.provenance_of(TimeSlice::Static, c).kind,
                ProvenanceKind::Estimated,
                "{}: provenance of row {}",
                e.id,
                c.key()
            );
            let why = t
                .rationale
                .get(&c)
                .unwrap_or_else(|| panic!("{}: row {} has no [rationale] entry", e.id, c.key()));
            assert!(
                !why.trim().is_empty() && !why.contains('\n'),
                "{}: rationale of {} must be one non-empty line",
                e.id,
                c.key()
            );
        }
    }
    // The chains stay published: the catalog estimates only addons.
    for chain in kb.chains() {
        assert_eq!(
            chain.provenance.kind,
            ProvenanceKind::Published,
            "{}",
            chain.id
        );
    }
}

#[test]
fn every_mesh_lifts_load_balance_by_the_published_uplift() {
    let kb = kb();
    let [lo, hi] = kb.tables.parameters.mesh_uplift_range;
    assert_eq!(
        [lo, hi],
        [0.2, 0.3],
        "the reference's published uplift range"
    );
    for id in MESHES {
        let t = tech(&kb, id);
        assert_eq!(t.enhancements.len(), 1, "{id}: one enhancement");
        let e = &t.enhancements[0];
        assert_eq!(e.concept, Concept::LoadBalance, "{id}: enhancement concept");
        assert_eq!(e.delta, 0.25, "{id}: enhancement delta");
        assert_eq!(e.range, Some([0.2, 0.3]), "{id}: enhancement range");
        assert!(
            (lo..=hi).contains(&e.delta),
            "{id}: delta within the published range"
        );
        assert!(
            e.source.contains("service_mesh_loadbalance_uplift"),
            "{id}: the enhancement names its source"
        );
    }
    // Nothing but a mesh claims the uplift.
    for t in &kb.technologies {
        if !MESHES.contains(&t.id.as_str()) {
            assert!(
                t.enhancements.is_empty(),
                "{}: unexpected enhancement",
                t.id
            );
        }
    }
}

#[test]
fn meshes_conflict_pairwise_and_so_do_the_two_orchestrators() {
    let kb = kb();
    for a in MESHES {
        for b in MESHES {
            let (ta, tb) = (tech(&kb, a), tech(&kb, b));
            if a == b {
                assert!(!ta.conflicts_with(tb), "{a} conflicts with itself");
            } else {
                assert!(ta.conflicts.iter().any(|c| c == b), "{a} names {b}");
                assert!(ta.conflicts_with(tb), "{a} and {b} must conflict");
            }
        }
    }
    let (k8s, k3s) = (tech(&kb, "k8s"), tech(&kb, "k3s"));
    assert_eq!(k8s.conflicts, vec!["k3s".to_string()]);
    assert_eq!(k3s.conflicts, vec!["k8s".to_string()]);
    assert!(k8s.conflicts_with(k3s) && k3s.conflicts_with(k8s));
    // No other technology declares a conflict.
    for t in &kb.technologies {
        if !MESHES.contains(&t.id.as_str()) && t.id != "k8s" && t.id != "k3s" {
            assert!(t.conflicts.is_empty(), "{}: unexpected conflicts", t.id);
        }
    }
}

#[test]
fn every_footprint_figure_has_a_source_and_a_note() {
    let kb = kb();
    let mut figures = 0;
    for t in &kb.technologies {
        for (key, f) in &t.footprint {
            figures += 1;
            assert!(
                f.value.is_finite() && f.value > 0.0,
                "{}: footprint.{key} = {}",
                t.id,
                f.value
            );
            assert!(
                !f.source.trim().is_empty(),
                "{}: footprint.{key} has no source",
                t.id
            );
            assert!(
                f.source.starts_with("https://"),
                "{}: footprint.{key} source should be the URL of a public document: {}",
                t.id,
                f.source
            );
            let note = f.note.as_deref().unwrap_or("");
            assert!(
                !note.trim().is_empty(),
                "{}: footprint.{key} needs a note saying what the figure is",
                t.id
            );
        }
    }
    assert!(figures > 0, "the catalog documents some footprints");
}

#[test]
fn the_gpu_plugin_needs_wasmedge_and_brings_the_gpu() {
    let kb = kb();
    let gpu = tech(&kb, "wasmedge-gpu");
    assert!(gpu.has_capability("gpu"));
    assert_eq!(gpu.requires, vec!["wasmedge".to_string()]);
    assert_eq!(
        gpu.version.as_deref(),
        Some("0.14"),
        "the seed's WasmEdge 0.14"
    );
    assert_eq!(tech(&kb, "wasmedge").kind, TechKind::Chain);
    // The AI-inference scenario requires the capability; the catalog must offer it.
    let ai = kb
        .scenario("ai-inference")
        .expect("the ai-inference scenario");
    assert!(ai.requirements.capabilities.iter().any(|c| c == "gpu"));
}

#[test]
fn every_host_names_a_technology_and_no_addon_is_ranked_alone() {
    let kb = kb();
    for e in CATALOG {
        let t = tech(&kb, e.id);
        for h in t.hosts.iter().chain(&t.requires) {
            assert!(kb.technology(h).is_some(), "{}: unknown host '{h}'", e.id);
            assert_ne!(h, &t.id, "{}: hosts itself", e.id);
        }
        assert!(
            t.maturity.matrix(TimeSlice::Static).is_none(),
            "{}: an addon must not cover all 12 concepts",
            e.id
        );
    }
    let chains: Vec<&str> = kb.chains().map(|t| t.id.as_str()).collect();
    assert_eq!(
        chains,
        vec!["docker", "k3s", "k8s", "multitenant", "opa", "wasmedge"],
        "the catalog adds addons only"
    );
}
