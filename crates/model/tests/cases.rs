//! The built-in practice cases hold the seed's five "实践案例" exactly.
//!
//! Each case of `data/cases/` transcribes one case of `shared/seed/practice-cases.zh.md` §37.9.N:
//! its scenario, its stack (labels, knowledge-base ids, versions and, for the hybrid case, the
//! environment of each member), its performance indicators and its maturity claims. When the seed
//! file is present, every Chinese text the cases copy from it must appear verbatim in the case's
//! own section of the seed; without the seed file that check is skipped.

use std::path::PathBuf;

use stackmatrix_model::{builtin, Comparator, Concept, KnowledgeBase, PracticeCase};

fn kb() -> KnowledgeBase {
    match builtin() {
        Ok(kb) => kb,
        Err(e) => panic!("the built-in knowledge base does not load:\n{e}"),
    }
}

fn case<'a>(kb: &'a KnowledgeBase, id: &str) -> &'a PracticeCase {
    kb.case(id)
        .unwrap_or_else(|| panic!("the built-in knowledge base has no case '{id}'"))
}

/// One expected stack member: label, tech id, version, environment.
type Member = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

/// A loaded stack member as compared: label, tech id, version, environment.
type MemberView<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);

struct Expected {
    id: &'static str,
    scenario: &'static str,
    section: &'static str,
    stack: &'static [Member],
    indicators: usize,
    maturity: &'static [(Concept, f64)],
}

const EXPECTED: [Expected; 5] = [
    Expected {
        id: "inspur-edge",
        scenario: "edge",
        section: "37.9.1",
        stack: &[
            ("K3s", "k3s", Some("1.30"), None),
            ("WasmEdge", "wasmedge", Some("0.14"), None),
            ("OPA-Wasm", "opa-wasm", None, None),
        ],
        indicators: 3,
        maturity: &[
            (Concept::RuntimeTransform, 1.0),
            (Concept::Scale, 0.9),
            (Concept::Monitor, 0.9),
        ],
    },
    Expected {
        id: "tencent-minigame-serverless",
        scenario: "serverless",
        section: "37.9.2",
        stack: &[
            ("Docker Desktop", "docker-desktop", None, None),
            ("WasmEdge", "wasmedge", None, None),
            ("OpenFaaS", "openfaas", None, None),
        ],
        indicators: 3,
        maturity: &[
            (Concept::Scale, 1.0),
            (Concept::RuntimeTransform, 1.0),
            (Concept::Policy, 1.0),
        ],
    },
    Expected {
        id: "kubecon-2025-ai",
        scenario: "ai-inference",
        section: "37.9.3",
        stack: &[
            ("WasmEdge", "wasmedge", Some("0.14"), None),
            ("K8s", "k8s", Some("1.30"), None),
            ("Llama2 插件", "wasmedge-gpu", None, None),
        ],
        indicators: 3,
        maturity: &[
            (Concept::RuntimeTransform, 1.0),
            (Concept::Theta, 1.0),
            (Concept::Scale, 1.0),
        ],
    },
    Expected {
        id: "enterprise-multitenant",
        scenario: "multitenant",
        section: "37.9.4",
        stack: &[
            ("K8s", "k8s", Some("1.30"), None),
            ("Capsule", "capsule", None, None),
            ("OPA", "opa", None, None),
            ("Prometheus Tenant", "prometheus-tenant", None, None),
        ],
        indicators: 3,
        maturity: &[
            (Concept::Tenant, 1.0),
            (Concept::Quota, 1.0),
            (Concept::Policy, 1.0),
            (Concept::Monitor, 1.0),
        ],
    },
    Expected {
        id: "hybrid-cloud",
        scenario: "hybrid",
        section: "37.9.5",
        stack: &[
            ("K8s", "k8s", None, Some("prod")),
            ("Rook-Ceph", "rook-ceph", None, Some("prod")),
            ("K3s", "k3s", None, Some("edge")),
            ("WasmEdge", "wasmedge", None, Some("edge")),
            ("WasmEdge", "wasmedge", None, Some("serverless")),
            ("KEDA", "keda", None, Some("serverless")),
            ("Capsule", "capsule", None, Some("multitenant")),
            ("OPA", "opa", None, Some("multitenant")),
            ("ArgoCD", "argocd", None, Some("shared")),
            ("Prometheus", "prometheus", None, Some("shared")),
            ("Grafana", "grafana", None, Some("shared")),
        ],
        indicators: 0,
        maturity: &[],
    },
];

#[test]
fn builtin_loads() {
    kb();
}

#[test]
fn the_five_seed_cases_are_present() {
    let kb = kb();
    for e in &EXPECTED {
        let c = case(&kb, e.id);
        assert_eq!(c.scenario, e.scenario, "{}: scenario", e.id);
        assert!(
            kb.scenario(&c.scenario).is_some(),
            "{}: scenario '{}' is not in the knowledge base",
            e.id,
            c.scenario
        );
        assert_eq!(
            c.source,
            format!("practice-cases.zh.md §{}", e.section),
            "{}: source",
            e.id
        );
        assert!(
            !c.name.en.trim().is_empty() && !c.name.zh.trim().is_empty(),
            "{}: name",
            e.id
        );
        assert!(
            !c.scale.en.trim().is_empty() && !c.scale.zh.trim().is_empty(),
            "{}: scale",
            e.id
        );
    }
}

#[test]
fn stacks_match_the_seed() {
    let kb = kb();
    for e in &EXPECTED {
        let c = case(&kb, e.id);
        let actual: Vec<MemberView> = c
            .stack
            .iter()
            .map(|m| {
                (
                    m.label.as_str(),
                    m.tech.as_deref(),
                    m.version.as_deref(),
                    m.environment.as_deref(),
                )
            })
            .collect();
        let expected: Vec<MemberView> = e
            .stack
            .iter()
            .map(|&(label, tech, version, env)| (label, Some(tech), version, env))
            .collect();
        assert_eq!(actual, expected, "{}: stack", e.id);
        for m in &c.stack {
            let tech = m.tech.as_deref().unwrap_or_default();
            assert!(
                kb.technology(tech).is_some(),
                "{}: stack member {} names unknown technology '{tech}'",
                e.id,
                m.label
            );
        }
    }
}

#[test]
fn indicators_and_maturity_claims_match_the_seed() {
    let kb = kb();
    for e in &EXPECTED {
        let c = case(&kb, e.id);
        assert_eq!(
            c.indicators.len(),
            e.indicators,
            "{}: indicator count",
            e.id
        );
        let claims: Vec<(Concept, f64)> = c.maturity.iter().map(|m| (m.concept, m.value)).collect();
        assert_eq!(claims, e.maturity.to_vec(), "{}: maturity claims", e.id);
        for ind in &c.indicators {
            assert!(ind.value.is_finite(), "{}: {}: value", e.id, ind.claim);
            assert!(!ind.unit.trim().is_empty(), "{}: {}: unit", e.id, ind.claim);
        }
    }
}

/// (claim, comparator, value, unit, metric, baseline) of every indicator, in seed order.
#[test]
fn indicator_encodings() {
    type Row = (
        &'static str,
        Comparator,
        f64,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
    );
    let expected: [(&str, &[Row]); 4] = [
        (
            "inspur-edge",
            &[
                (
                    "冷启动：≤6 ms",
                    Comparator::AtMost,
                    6.0,
                    "ms",
                    Some("cold_start_ms"),
                    None,
                ),
                (
                    "单节点 Pod 数：3000 Wasm Pod",
                    Comparator::About,
                    3000.0,
                    "pods",
                    Some("pods_per_node"),
                    None,
                ),
                (
                    "内存占用：<50 MB/node",
                    Comparator::Below,
                    50.0,
                    "MB/node",
                    Some("memory_mb"),
                    None,
                ),
            ],
        ),
        (
            "tencent-minigame-serverless",
            &[
                ("扩容速度：1 ms", Comparator::About, 1.0, "ms", None, None),
                (
                    "CPU 抖动：0→1 核无抖动",
                    Comparator::About,
                    0.0,
                    "jitter events",
                    None,
                    None,
                ),
                (
                    "冷启动：<50 ms",
                    Comparator::Below,
                    50.0,
                    "ms",
                    Some("cold_start_ms"),
                    None,
                ),
            ],
        ),
        (
            "kubecon-2025-ai",
            &[
                (
                    "推理延迟：比 PyTorch 容器 ↓60%",
                    Comparator::About,
                    60.0,
                    "% lower latency",
                    None,
                    Some("PyTorch container"),
                ),
                (
                    "性能提升：300%",
                    Comparator::About,
                    300.0,
                    "% faster",
                    None,
                    Some("not stated in the source"),
                ),
                (
                    "镜像体积：仅为 Python 容器 1/10",
                    Comparator::About,
                    0.1,
                    "× image size",
                    None,
                    Some("Python container"),
                ),
            ],
        ),
        (
            "enterprise-multitenant",
            &[
                (
                    "租户隔离：100% 资源隔离",
                    Comparator::About,
                    100.0,
                    "% isolated",
                    None,
                    None,
                ),
                (
                    "策略隔离：100% 策略隔离",
                    Comparator::About,
                    100.0,
                    "% isolated",
                    None,
                    None,
                ),
                (
                    "租户级监控：实时监控",
                    Comparator::About,
                    1.0,
                    "real-time (yes = 1)",
                    None,
                    None,
                ),
            ],
        ),
    ];
    let kb = kb();
    for (id, rows) in expected {
        let c = case(&kb, id);
        assert_eq!(c.indicators.len(), rows.len(), "{id}: indicator count");
        for (ind, row) in c.indicators.iter().zip(rows) {
            let got = (
                ind.claim.as_str(),
                ind.comparator,
                ind.value,
                ind.unit.as_str(),
                ind.metric.as_deref(),
                ind.baseline.as_deref(),
            );
            assert_eq!(got, *row, "{id}: indicator");
        }
    }
}

fn seed_text() -> Option<String> {
    let candidates = [
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/practice-cases.zh.md"),
        PathBuf::from("/work/shared/seed/practice-cases.zh.md"),
    ];
    candidates
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
}

/// The "实践案例" subsection of seed section §`number` (up to the next `## ` heading).
fn practice_section<'a>(seed: &'a str, number: &str) -> &'a str {
    let heading = format!("\n## {number} ");
    let start = seed
        .find(&heading)
        .unwrap_or_else(|| panic!("the seed has no section {number}"));
    let rest = &seed[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    let section = &rest[..end];
    let sub = section
        .find("### 实践案例")
        .unwrap_or_else(|| panic!("seed section {number} has no 实践案例"));
    &section[sub..]
}

#[test]
fn chinese_texts_are_verbatim_from_the_seed() {
    let Some(seed) = seed_text() else {
        eprintln!("shared/seed/practice-cases.zh.md not found; verbatim check skipped");
        return;
    };
    let kb = kb();
    for e in &EXPECTED {
        let c = case(&kb, e.id);
        let section = practice_section(&seed, e.section);
        let mut texts: Vec<(String, &str)> = vec![("name.zh".into(), c.name.zh.as_str())];
        // The KubeCon case has no scale; its scale text is the "主题" (topic) bullet, whose
        // label is in bold in the seed, so only the quoted title is compared.
        let scale = if e.id == "kubecon-2025-ai" {
            c.scale
                .zh
                .strip_prefix("主题：")
                .expect("the KubeCon scale text starts with 主题：")
        } else {
            c.scale.zh.as_str()
        };
        texts.push(("scale.zh".into(), scale));
        for (i, m) in c.stack.iter().enumerate() {
            texts.push((format!("stack[{i}].label"), m.label.as_str()));
        }
        for (i, ind) in c.indicators.iter().enumerate() {
            texts.push((format!("indicators[{i}].claim"), ind.claim.as_str()));
            texts.push((format!("indicators[{i}].name.zh"), ind.name.zh.as_str()));
        }
        for (i, m) in c.maturity.iter().enumerate() {
            texts.push((format!("maturity[{i}].note.zh"), m.note.zh.as_str()));
        }
        for (field, text) in texts {
            assert!(
                section.contains(text),
                "{}: {field} {text:?} is not verbatim in the seed's §{} 实践案例",
                e.id,
                e.section
            );
        }
        // Each maturity claim's bullet: "<concept>（<key>）：<value>（<note>）".
        for m in &c.maturity {
            let bullet = format!("：{:.1}（{}）", m.value, m.note.zh);
            assert!(
                section.contains(&bullet),
                "{}: maturity claim {:?} = {} ({}) does not match a seed bullet",
                e.id,
                m.concept,
                m.value,
                m.note.zh
            );
        }
    }
}

#[test]
fn every_seed_bullet_of_a_case_is_represented() {
    let Some(seed) = seed_text() else {
        eprintln!("shared/seed/practice-cases.zh.md not found; bullet check skipped");
        return;
    };
    let kb = kb();
    for e in &EXPECTED {
        let c = case(&kb, e.id);
        let section = practice_section(&seed, e.section);
        // Indented bullets are indicators, maturity claims or (hybrid) sub-stacks.
        let nested: Vec<&str> = section
            .lines()
            .filter_map(|l| l.strip_prefix("  - "))
            .collect();
        if e.id == "hybrid-cloud" {
            assert_eq!(nested.len(), 4, "hybrid: four sub-stacks in the seed");
            continue;
        }
        assert_eq!(
            nested.len(),
            c.indicators.len() + c.maturity.len(),
            "{}: the seed's nested bullets are indicators and maturity claims",
            e.id
        );
    }
}

#[test]
fn hybrid_scenario_spans_environments_with_shared_layers() {
    let kb = kb();
    let hybrid = kb.scenario("hybrid").expect("the hybrid scenario exists");
    assert!(hybrid.spans_environments, "hybrid spans environments");
    assert_eq!(
        hybrid.requirements.shared,
        vec!["gitops", "monitoring", "dashboards"],
        "hybrid shared-layer requirements"
    );
    // The hybrid case's shared layers (统一管理) bring what the scenario asks of them.
    let c = case(&kb, "hybrid-cloud");
    let shared_caps: Vec<&str> = c
        .stack
        .iter()
        .filter(|m| m.environment.as_deref() == Some("shared"))
        .filter_map(|m| kb.technology(m.tech.as_deref()?))
        .flat_map(|t| t.capabilities.iter().map(String::as_str))
        .collect();
    for need in &hybrid.requirements.shared {
        assert!(
            shared_caps.contains(&need.as_str()),
            "the hybrid case's shared layers do not bring '{need}' (they bring {shared_caps:?})"
        );
    }
}
