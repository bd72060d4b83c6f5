//! The built-in knowledge base holds exactly the published figures of the reference.
//!
//! `tests/fixtures/reference-data.json` is a verbatim copy of `shared/reference/reference-data.json`;
//! every number in it is compared with `==` to the value the built-in knowledge base loads, so a
//! transcription slip (or a rounding introduced by an import tool) fails here.

use serde_json::Value;
use stackmatrix_model::{
    builtin, Concept, KnowledgeBase, ProvenanceKind, Scene, TechKind, TimeMode, TimeSlice,
    CONCEPT_COUNT, SCENE_COUNT,
};

const CHAINS: [&str; 6] = ["docker", "k8s", "k3s", "wasmedge", "opa", "multitenant"];

fn reference() -> Value {
    let text = include_str!("fixtures/reference-data.json");
    serde_json::from_str(text).expect("the reference fixture is valid JSON")
}

fn kb() -> KnowledgeBase {
    match builtin() {
        Ok(kb) => kb,
        Err(e) => panic!("the built-in knowledge base does not load:\n{e}"),
    }
}

fn num(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what}: {v} is not a number"))
}

fn vector(v: &Value, what: &str) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what}: not an array"))
        .iter()
        .enumerate()
        .map(|(i, x)| num(x, &format!("{what}[{i}]")))
        .collect()
}

fn matrix(v: &Value, what: &str) -> Vec<Vec<f64>> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what}: not an array"))
        .iter()
        .enumerate()
        .map(|(i, row)| vector(row, &format!("{what}[{i}]")))
        .collect()
}

/// Compares two matrices cell by cell with exact equality, naming the first differing cell.
fn assert_matrix_eq<R: AsRef<[f64]>>(what: &str, actual: &[R], expected: &[Vec<f64>]) {
    assert_eq!(actual.len(), expected.len(), "{what}: number of rows");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        let a = a.as_ref();
        assert_eq!(a.len(), e.len(), "{what}[{i}]: number of values");
        for (j, (x, y)) in a.iter().zip(e).enumerate() {
            assert!(x == y, "{what}[{i}][{j}]: loaded {x}, published {y}");
        }
    }
}

#[test]
fn the_fixture_is_the_shared_reference_verbatim() {
    // The fixture is a copy so the test runs without the shared folder; when the shared folder
    // is there, the copy must not have drifted from it.
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reference/reference-data.json"
    );
    if let Ok(text) = std::fs::read_to_string(shared) {
        assert_eq!(text, include_str!("fixtures/reference-data.json"));
    }
}

#[test]
fn axes_keys_follow_the_reference_order() {
    let r = reference();
    let concepts: Vec<&str> = r["concepts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let scenes: Vec<&str> = r["scenes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(concepts, Concept::KEYS);
    assert_eq!(scenes, Scene::KEYS);
}

#[test]
fn twelve_concepts_and_six_scenes_carry_their_names() {
    let kb = kb();
    let concepts: Vec<(&str, &str)> = kb
        .concepts
        .iter()
        .map(|n| (n.en.as_str(), n.zh.as_str()))
        .collect();
    assert_eq!(
        concepts,
        [
            ("Image", "镜像"),
            ("Container", "容器"),
            ("Quota", "配额"),
            ("RuntimeTransform", "运行时切换"),
            ("Monitor", "观测"),
            ("VersionUpgrade", "版本变更"),
            ("LoadBalance", "负载均衡"),
            ("Scale", "扩缩容"),
            ("BackupRestore", "灾备"),
            ("Policy", "策略"),
            ("Tenant", "租户隔离"),
            ("AI-Parameter", "AI 可学习参数"),
        ]
    );
    assert_eq!(kb.scenes.len(), SCENE_COUNT);
    for (s, names) in Scene::ALL.iter().zip(&kb.scenes) {
        assert!(!names.en.trim().is_empty(), "scene {s} has no English name");
        assert!(!names.zh.trim().is_empty(), "scene {s} has no Chinese name");
    }
    assert_eq!(kb.scene_names(Scene::Dev).zh, "本地开发");
    assert_eq!(kb.concept_names(Concept::Theta).en, "AI-Parameter");
}

#[test]
fn six_chain_static_matrices_equal_the_published_ones() {
    let r = reference();
    let kb = kb();
    for id in CHAINS {
        let t = kb
            .technology(id)
            .unwrap_or_else(|| panic!("chain {id} is missing"));
        assert_eq!(t.kind, TechKind::Chain, "{id} is a chain");
        let expected = matrix(&r["chain_maturity"][id], &format!("chain_maturity.{id}"));
        assert_eq!(expected.len(), CONCEPT_COUNT);
        let actual = t
            .maturity
            .matrix(TimeSlice::Static)
            .unwrap_or_else(|| panic!("{id} has a row missing"));
        assert_matrix_eq(&format!("{id} static"), &actual, &expected);
    }
    let ids: Vec<&str> = kb.chains().map(|t| t.id.as_str()).collect();
    let mut sorted = CHAINS.to_vec();
    sorted.sort_unstable();
    assert_eq!(
        ids, sorted,
        "the built-in chains are exactly the six published ones"
    );
}

#[test]
fn k8s_dynamic_rows_i_c_q_are_published_and_the_rest_default_to_static() {
    let r = reference();
    let kb = kb();
    let k8s = kb.technology("k8s").unwrap();
    let published = matrix(
        &r["k8s_dynamic_example_rows_I_C_Q"],
        "k8s_dynamic_example_rows_I_C_Q",
    );
    let given = [Concept::Image, Concept::Container, Concept::Quota];
    for (c, row) in given.iter().zip(&published) {
        assert!(k8s.maturity.has_dynamic_row(*c), "k8s dynamic {c} is given");
        let loaded = k8s.maturity.row(TimeSlice::Dynamic, *c).unwrap();
        assert_matrix_eq(
            &format!("k8s dynamic {c}"),
            &[loaded],
            std::slice::from_ref(row),
        );
    }
    for c in Concept::ALL.iter().filter(|c| !given.contains(c)) {
        assert!(
            !k8s.maturity.has_dynamic_row(*c),
            "k8s dynamic {c} is not given"
        );
        assert_eq!(
            k8s.maturity.row(TimeSlice::Dynamic, *c),
            k8s.maturity.row(TimeSlice::Static, *c),
            "k8s dynamic {c} defaults to static"
        );
    }
    // The static rows I, C, Q stay the static ones: the dynamic slice does not overwrite them.
    let static_k8s = matrix(&r["chain_maturity"]["k8s"], "chain_maturity.k8s");
    for c in given {
        let loaded = k8s.maturity.row(TimeSlice::Static, c).unwrap();
        assert_eq!(loaded.to_vec(), static_k8s[c.index()]);
    }
}

#[test]
fn other_chains_have_no_dynamic_rows() {
    let kb = kb();
    for id in CHAINS.iter().filter(|id| **id != "k8s") {
        let t = kb.technology(id).unwrap();
        for c in Concept::ALL {
            assert!(!t.maturity.has_dynamic_row(c), "{id} has a dynamic {c} row");
        }
        assert_eq!(
            t.maturity.matrix(TimeSlice::Dynamic),
            t.maturity.matrix(TimeSlice::Static),
            "{id}: dynamic slice equals static"
        );
    }
}

#[test]
fn all_six_chains_are_published_row_by_row() {
    let kb = kb();
    for id in CHAINS {
        let t = kb.technology(id).unwrap();
        assert_eq!(t.provenance.kind, ProvenanceKind::Published, "{id}");
        assert!(
            !t.provenance.source.trim().is_empty(),
            "{id} names a source"
        );
        for slice in [TimeSlice::Static, TimeSlice::Dynamic] {
            for c in Concept::ALL {
                assert_eq!(
                    t.provenance_of(slice, c).kind,
                    ProvenanceKind::Published,
                    "{id} {} {c}",
                    slice.key()
                );
            }
        }
    }
}

#[test]
fn attribute_maturity_k8s_example_equals_the_k8s_static_matrix() {
    let r = reference();
    let kb = kb();
    let example = matrix(
        &r["attribute_maturity_k8s_example"],
        "attribute_maturity_k8s_example",
    );
    let k8s = kb
        .technology("k8s")
        .unwrap()
        .maturity
        .matrix(TimeSlice::Static)
        .unwrap();
    assert_matrix_eq("attribute_maturity_k8s_example", &k8s, &example);
}

#[test]
fn relations_equal_the_published_tables() {
    let r = reference();
    let rel = &kb().tables.relations;
    let dep = matrix(&r["relation_dependency"], "relation_dependency");
    let tra = matrix(
        &r["relation_transformation_difficulty"],
        "relation_transformation_difficulty",
    );
    let com = matrix(&r["relation_combination"], "relation_combination");
    assert_matrix_eq("dependency", &rel.dependency, &dep);
    assert_matrix_eq("transformation", &rel.transformation, &tra);
    assert_matrix_eq("combination", &rel.combination, &com);
}

#[test]
fn latency_equals_the_published_table_with_null_as_none() {
    let r = reference();
    let kb = kb();
    let published = r["attribute_latency_ms"].as_array().unwrap();
    assert_eq!(published.len(), CONCEPT_COUNT);
    let mut nulls = 0;
    for (i, row) in published.iter().enumerate() {
        let row = row.as_array().unwrap();
        assert_eq!(row.len(), SCENE_COUNT);
        for (j, cell) in row.iter().enumerate() {
            let loaded = kb.tables.attributes.latency_ms[i][j];
            let expected = if cell.is_null() {
                nulls += 1;
                None
            } else {
                Some(num(cell, "latency"))
            };
            assert_eq!(loaded, expected, "latency_ms[{i}][{j}]");
        }
    }
    assert!(nulls > 0, "the published latency table has n/a cells");
}

#[test]
fn memory_equals_the_published_table() {
    let r = reference();
    let kb = kb();
    let memory = matrix(&r["attribute_memory_mb"], "attribute_memory_mb");
    assert_matrix_eq("memory_mb", &kb.tables.attributes.memory_mb, &memory);
}

#[test]
fn compatibility_equals_the_published_table_with_the_mesh_row_apart() {
    let r = reference();
    let kb = kb();
    let attrs = &kb.tables.attributes;
    let labels: Vec<&str> = r["attribute_compatibility"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let values = matrix(
        &r["attribute_compatibility"]["values"],
        "attribute_compatibility.values",
    );
    assert_eq!(labels.len(), CONCEPT_COUNT + 1);
    assert_eq!(values.len(), CONCEPT_COUNT + 1);
    let mut concept = 0;
    for (label, row) in labels.iter().zip(&values) {
        if *label == "L + Service Mesh" {
            assert_matrix_eq(
                "compatibility L_mesh",
                &[attrs.compatibility_l_mesh],
                std::slice::from_ref(row),
            );
        } else {
            // Labels are "<symbol> <Chinese name>"; check the row lands on that concept.
            let symbol = label.split_whitespace().next().unwrap();
            assert_eq!(symbol, Concept::ALL[concept].symbol(), "row label {label}");
            assert_matrix_eq(
                &format!("compatibility {symbol}"),
                &[attrs.compatibility[concept]],
                std::slice::from_ref(row),
            );
            concept += 1;
        }
    }
    assert_eq!(concept, CONCEPT_COUNT);
}

#[test]
fn chain_transitions_equal_the_published_table_in_id_order() {
    let r = reference();
    let kb = kb();
    let ct = &kb.tables.transitions.chains;
    let order: Vec<&str> = r["chain_transition_difficulty"]["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let published = matrix(
        &r["chain_transition_difficulty"]["from_row_to_col"],
        "chain_transition_difficulty",
    );
    assert_eq!(order, CHAINS);
    // Look every cell up by id, so the test holds whatever order the file keeps.
    let index = |id: &str| {
        ct.ids
            .iter()
            .position(|x| x == id)
            .unwrap_or_else(|| panic!("{id} is not in the chain transition table"))
    };
    assert_eq!(ct.ids.len(), order.len());
    assert_eq!(ct.difficulty.len(), order.len());
    for (i, from) in order.iter().enumerate() {
        assert_eq!(ct.difficulty[index(from)].len(), order.len());
        for (j, to) in order.iter().enumerate() {
            let loaded = ct.difficulty[index(from)][index(to)];
            let expected = published[i][j];
            assert!(
                loaded == expected,
                "{from} -> {to}: loaded {loaded}, published {expected}"
            );
        }
    }
    // The reference's own example: Docker to MultiTenant costs 0.8 directly.
    assert_eq!(ct.difficulty[index("docker")][index("multitenant")], 0.8);
}

#[test]
fn scene_migration_equals_the_published_table() {
    let r = reference();
    let kb = kb();
    let published = matrix(
        &r["scene_migration_difficulty"],
        "scene_migration_difficulty",
    );
    assert_matrix_eq(
        "scene_migration",
        &kb.tables.transitions.scene_migration,
        &published,
    );
}

#[test]
fn operations_equal_the_published_impacts_by_group_and_order() {
    let r = reference();
    let kb = kb();
    let ops = &kb.tables.operations;
    let groups = ["build", "deploy", "scale", "upgrade"];
    let published = r["operations"].as_object().unwrap();
    assert_eq!(published.len(), groups.len());
    let mut total = 0;
    for g in groups {
        let names: Vec<&str> = published[g]["ops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let impacts = matrix(&published[g]["impact"], &format!("operations.{g}.impact"));
        let loaded: Vec<_> = ops.iter().filter(|o| o.group == g).collect();
        let loaded_names: Vec<&str> = loaded.iter().map(|o| o.name.zh.as_str()).collect();
        assert_eq!(loaded_names, names, "operations of group {g} in order");
        let loaded_impacts: Vec<_> = loaded.iter().map(|o| o.impact).collect();
        assert_matrix_eq(&format!("operations.{g}"), &loaded_impacts, &impacts);
        for o in &loaded {
            assert!(!o.name.en.trim().is_empty(), "{} has an English name", o.id);
        }
        total += names.len();
    }
    assert_eq!(ops.len(), total, "no operation beyond the published ones");
}

#[test]
fn theta_learning_rates_equal_the_published_ones() {
    let r = reference();
    let kb = kb();
    let published = r["theta_learning_rate"].as_object().unwrap();
    assert_eq!(published.len(), CONCEPT_COUNT);
    for c in Concept::ALL {
        let expected = num(&published[c.key()], c.key());
        let loaded = kb.tables.theta.learning_rate[c.index()];
        assert!(
            loaded == expected,
            "θ_{c}: loaded {loaded}, published {expected}"
        );
    }
}

#[test]
fn parameters_equal_the_published_ones() {
    let r = reference();
    let p = &kb().tables.parameters;
    let q = &r["parameters"];
    let pairs = [
        (p.time_blend_static, &q["time_blend"]["static"]),
        (p.time_blend_dynamic, &q["time_blend"]["dynamic"]),
        (p.risk_static_drop, &q["risk_lambda"]["static_drop"]),
        (p.risk_dynamic_jitter, &q["risk_lambda"]["dynamic_jitter"]),
        (p.risk_ai_uncertainty, &q["risk_lambda"]["ai_uncertainty"]),
        (
            p.adaptation_alpha_maturity,
            &q["scene_adaptation"]["alpha_maturity"],
        ),
        (
            p.adaptation_beta_compatibility,
            &q["scene_adaptation"]["beta_compatibility"],
        ),
    ];
    for (i, (loaded, published)) in pairs.iter().enumerate() {
        assert_eq!(*loaded, num(published, "parameter"), "parameter #{i}");
    }
    assert_eq!(
        p.mesh_uplift_range.to_vec(),
        vector(
            &q["service_mesh_loadbalance_uplift"],
            "service_mesh_loadbalance_uplift"
        )
    );
}

/// The seed's scene vectors (`S_edge = [0, 0, 0, 1, 0, 0]`, ...) and the three basis scenarios.
#[test]
fn scenarios_exist_with_the_seed_vectors() {
    let kb = kb();
    let expected: [(&str, [f64; SCENE_COUNT]); 8] = [
        ("edge", [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]),
        ("serverless", [0.0, 0.0, 0.0, 0.0, 1.0, 0.0]),
        ("ai-inference", [0.0, 0.0, 0.0, 0.0, 1.0, 0.0]),
        ("multitenant", [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
        ("hybrid", [0.1, 0.1, 0.3, 0.2, 0.2, 0.1]),
        ("dev", [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
        ("ci", [0.0, 1.0, 0.0, 0.0, 0.0, 0.0]),
        ("prod", [0.0, 0.0, 1.0, 0.0, 0.0, 0.0]),
    ];
    for (id, vector) in expected {
        let s = kb
            .scenario(id)
            .unwrap_or_else(|| panic!("scenario {id} is missing"));
        assert_eq!(s.vector, vector, "scenario {id} vector");
        assert!(!s.name.en.is_empty() && !s.name.zh.is_empty(), "{id} names");
        // None of the seed scenarios asks for concept weights or a time mode.
        assert_eq!(s.weights, [1.0; CONCEPT_COUNT], "scenario {id} weights");
        assert!(matches!(s.time, None | Some(TimeMode::Static)), "{id} time");
    }
}

#[test]
fn ai_inference_requires_gpu_and_others_require_nothing() {
    let kb = kb();
    let ai = kb.scenario("ai-inference").unwrap();
    assert_eq!(ai.requirements.capabilities, ["gpu"]);
    for id in ["edge", "serverless", "multitenant", "hybrid"] {
        assert!(
            kb.scenario(id)
                .unwrap()
                .requirements
                .capabilities
                .is_empty(),
            "{id}"
        );
    }
}

/// The five seed scenarios keep the seed's claims: its ranking tables and optimal stacks.
#[test]
fn claims_are_present_for_the_five_seed_scenarios() {
    let kb = kb();
    type Ranking<'a> = &'a [(&'a str, Option<&'a str>, f64)];
    type Stack<'a> = &'a [(&'a str, Option<&'a str>)];
    let seed: [(&str, &str, Ranking, Stack); 5] = [
        (
            "edge",
            "§37.9.1",
            &[
                ("K3s", Some("k3s"), 9.2),
                ("WasmEdge", Some("wasmedge"), 9.1),
                ("K8s", Some("k8s"), 7.8),
                ("OPA", Some("opa"), 7.6),
                ("Docker", Some("docker"), 7.2),
                ("MultiTenant", Some("multitenant"), 6.5),
            ],
            &[
                ("K3s", Some("k3s")),
                ("WasmEdge", Some("wasmedge")),
                ("OPA-Wasm", Some("opa-wasm")),
            ],
        ),
        (
            "serverless",
            "§37.9.2",
            &[
                ("WasmEdge", Some("wasmedge"), 9.8),
                ("OPA", Some("opa"), 9.5),
                ("KEDA", Some("keda"), 9.2),
                ("K8s", Some("k8s"), 8.5),
                ("K3s", Some("k3s"), 8.3),
            ],
            &[
                ("WasmEdge", Some("wasmedge")),
                ("KEDA", Some("keda")),
                ("OPA-Wasm", Some("opa-wasm")),
            ],
        ),
        (
            "ai-inference",
            "§37.9.3",
            &[
                ("WasmEdge", Some("wasmedge"), 10.0),
                ("KEDA", Some("keda"), 9.5),
                ("OPA", Some("opa"), 9.3),
                ("K8s", Some("k8s"), 8.8),
            ],
            &[
                ("WasmEdge", Some("wasmedge")),
                ("KEDA", Some("keda")),
                ("OPA-Wasm", Some("opa-wasm")),
                ("GPU 插件", Some("wasmedge-gpu")),
            ],
        ),
        (
            "multitenant",
            "§37.9.4",
            &[
                ("MultiTenant", Some("multitenant"), 10.0),
                ("K8s", Some("k8s"), 9.8),
                ("OPA", Some("opa"), 9.5),
                ("K3s", Some("k3s"), 8.9),
            ],
            &[
                ("K8s", Some("k8s")),
                ("Capsule", Some("capsule")),
                ("OPA", Some("opa")),
                ("Prometheus Tenant", Some("prometheus-tenant")),
            ],
        ),
        (
            "hybrid",
            "§37.9.5",
            &[],
            &[
                ("K8s", Some("k8s")),
                ("K3s", Some("k3s")),
                ("WasmEdge", Some("wasmedge")),
                ("OPA", Some("opa")),
                ("Capsule", Some("capsule")),
            ],
        ),
    ];
    for (id, section, ranking, stack) in seed {
        let claims = kb
            .scenario(id)
            .unwrap()
            .claims
            .as_ref()
            .unwrap_or_else(|| panic!("scenario {id} has no claims"));
        assert!(claims.source.contains(section), "{id}: {}", claims.source);
        let loaded: Vec<_> = claims
            .ranking
            .iter()
            .map(|c| (c.label.as_str(), c.tech.as_deref(), c.score.unwrap()))
            .collect();
        assert_eq!(loaded, ranking, "{id} claimed ranking");
        let ranks: Vec<_> = claims.ranking.iter().map(|c| c.rank).collect();
        let expected_ranks: Vec<_> = (1..=ranking.len() as u32).map(Some).collect();
        assert_eq!(ranks, expected_ranks, "{id} claimed ranks");
        let members: Vec<_> = claims
            .stack
            .iter()
            .map(|c| (c.label.as_str(), c.tech.as_deref()))
            .collect();
        assert_eq!(members, stack, "{id} claimed stack");
        for c in &claims.stack {
            if let Some(t) = &c.tech {
                assert!(kb.technology(t).is_some(), "{id} stack names {t}");
            }
        }
    }
    for id in ["dev", "ci", "prod"] {
        assert!(kb.scenario(id).unwrap().claims.is_none(), "{id} claims");
    }
}
