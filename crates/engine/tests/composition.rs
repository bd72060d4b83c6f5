//! Properties of the composition rule (`compose_stack`) and the feasibility rules
//! (`stack_problems`) that hold for any members, not only for the built-in data.

use proptest::prelude::*;
use stackmatrix_engine::{
    compose_stack, stack_fit_and_score, stack_problems, PreparedScenario, ScenarioInput,
    StackProblem, StackRequirements,
};
use stackmatrix_model::{
    Concept, Enhancement, Figure, MaturityTensor, Names, Parameters, Provenance, ProvenanceKind,
    Row, TechKind, Technology, TimeMode, TimeSlice, CONCEPT_COUNT, SCENE_COUNT,
};
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn params() -> &'static Parameters {
    static PARAMS: OnceLock<Parameters> = OnceLock::new();
    PARAMS.get_or_init(|| {
        stackmatrix_model::builtin()
            .expect("the built-in knowledge base loads")
            .tables
            .parameters
    })
}

/// A technology built directly, with no relations, footprint or capabilities.
fn tech(
    id: &str,
    static_rows: [Option<Row>; CONCEPT_COUNT],
    dynamic_rows: [Option<Row>; CONCEPT_COUNT],
    enhancements: Vec<(Concept, f64)>,
) -> Technology {
    let kind = if static_rows.iter().all(Option::is_some) {
        TechKind::Chain
    } else {
        TechKind::Addon
    };
    Technology {
        id: id.to_string(),
        name: Names {
            en: id.to_string(),
            zh: id.to_string(),
        },
        kind,
        roles: Vec::new(),
        version: None,
        capabilities: Vec::new(),
        requires: Vec::new(),
        conflicts: Vec::new(),
        hosts: Vec::new(),
        enhancements: enhancements
            .into_iter()
            .map(|(concept, delta)| Enhancement {
                concept,
                delta,
                range: None,
                source: "test".to_string(),
            })
            .collect(),
        footprint: BTreeMap::new(),
        maturity: MaturityTensor {
            static_rows,
            dynamic_rows,
        },
        provenance: Provenance {
            kind: ProvenanceKind::Estimated,
            source: "test".to_string(),
            rationale: None,
        },
        row_provenance: BTreeMap::new(),
        rationale: BTreeMap::new(),
    }
}

fn unit() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 2 => Just(1.0), 6 => 0.0..=1.0f64]
}

/// Rows are drawn as vectors and copied into arrays (nested array strategies overflow the test
/// thread's stack in debug builds).
fn row() -> impl Strategy<Value = Row> {
    prop::collection::vec(unit(), SCENE_COUNT).prop_map(|v| std::array::from_fn(|j| v[j]))
}

/// What a member is made of: static and dynamic rows (each possibly absent) and enhancements.
#[derive(Debug, Clone)]
struct Parts {
    static_rows: Vec<Option<Row>>,
    dynamic_rows: Vec<Option<Row>>,
    enhancements: Vec<(usize, f64)>,
}

fn parts(chain: bool) -> impl Strategy<Value = Parts> {
    let static_row = if chain {
        row().prop_map(Some).boxed()
    } else {
        prop::option::weighted(0.3, row()).boxed()
    };
    (
        prop::collection::vec(static_row, CONCEPT_COUNT),
        prop::collection::vec(prop::option::weighted(0.3, row()), CONCEPT_COUNT),
        // Enhancements crowd on L and I, so that several members often lift one concept.
        prop::collection::vec(
            (
                prop_oneof![3 => Just(Concept::LoadBalance.index()), 1 => Just(0), 2 => 0..CONCEPT_COUNT],
                0.0..=0.3f64,
            ),
            0..=2,
        ),
    )
        .prop_map(|(static_rows, dynamic_rows, enhancements)| Parts {
            static_rows,
            dynamic_rows,
            enhancements,
        })
}

fn build(id: &str, p: &Parts) -> Technology {
    tech(
        id,
        std::array::from_fn(|c| p.static_rows[c]),
        // A dynamic row only where a static one exists, as in real files.
        std::array::from_fn(|c| p.static_rows[c].and(p.dynamic_rows[c])),
        p.enhancements
            .iter()
            .map(|(c, d)| (Concept::ALL[*c], *d))
            .collect(),
    )
}

/// One to five members, chains and addons mixed, ids `m0`, `m1`, ...
fn members() -> impl Strategy<Value = Vec<Technology>> {
    prop::collection::vec(prop_oneof![parts(true), parts(false)], 1..=5).prop_map(|ps| {
        ps.iter()
            .enumerate()
            .map(|(i, p)| build(&format!("m{i}"), p))
            .collect()
    })
}

/// One to four chains.
fn chains() -> impl Strategy<Value = Vec<Technology>> {
    prop::collection::vec(parts(true), 1..=4).prop_map(|ps| {
        ps.iter()
            .enumerate()
            .map(|(i, p)| build(&format!("c{i}"), p))
            .collect()
    })
}

fn scenario() -> impl Strategy<Value = PreparedScenario> {
    (
        prop::collection::vec(prop_oneof![1 => Just(0.0), 3 => 0.0..=1.0f64], SCENE_COUNT),
        prop::collection::vec(
            prop_oneof![1 => Just(0.0), 3 => 0.0..=2.0f64],
            CONCEPT_COUNT,
        ),
        prop_oneof![
            Just(TimeMode::Static),
            Just(TimeMode::Dynamic),
            Just(TimeMode::Blend)
        ],
    )
        .prop_filter_map("a non-zero vector and weights", |(v, w, time)| {
            ScenarioInput {
                id: None,
                name: None,
                vector: std::array::from_fn(|j| v[j]),
                weights: std::array::from_fn(|c| w[c]),
                time,
            }
            .prepare(crate::builtin_kb())
            .ok()
        })
}

/// A permutation of `0..len`, drawn as sort keys.
fn permuted<T: Clone>(items: &[T], keys: &[u32]) -> Vec<T> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|i| (keys[*i % keys.len()], *i));
    order.into_iter().map(|i| items[i].clone()).collect()
}

fn refs(techs: &[Technology]) -> Vec<&Technology> {
    techs.iter().collect()
}

/// The problems in a canonical form: conflict pairs in id order, the list sorted.
fn canonical(problems: Vec<StackProblem>) -> Vec<String> {
    let mut out: Vec<String> = problems
        .into_iter()
        .map(|p| match p {
            StackProblem::Conflict(a, b) if b < a => StackProblem::Conflict(b, a),
            other => other,
        })
        .map(|p| format!("{p:?}"))
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Adding a member never lowers an element of the composed matrix, in either slice, and
    /// never uncovers a concept.
    #[test]
    fn adding_a_member_never_lowers_an_element(ms in members(), extra in parts(false)) {
        let before = compose_stack(&refs(&ms));
        let mut more = ms.clone();
        more.push(build("extra", &extra));
        let after = compose_stack(&refs(&more));
        for slice in [TimeSlice::Static, TimeSlice::Dynamic] {
            for c in Concept::ALL {
                if let Some(b) = before.row(slice, c) {
                    let a = after.row(slice, c);
                    prop_assert!(a.is_some(), "{c:?} uncovered by adding a member");
                    let a = a.unwrap();
                    for j in 0..SCENE_COUNT {
                        prop_assert!(a[j] >= b[j], "{slice:?} {c:?} scene {j}: {} < {}", a[j], b[j]);
                    }
                }
            }
        }
    }

    /// Composed values stay in [0, 1], enhancements or not.
    #[test]
    fn composed_values_lie_in_0_to_1(ms in members()) {
        let t = compose_stack(&refs(&ms));
        for slice in [TimeSlice::Static, TimeSlice::Dynamic] {
            for c in Concept::ALL {
                if let Some(r) = t.row(slice, c) {
                    prop_assert!(r.iter().all(|v| (0.0..=1.0).contains(v)), "{slice:?} {c:?}: {r:?}");
                }
            }
        }
    }

    /// An enhancement adds its delta to the best member's value, clamped at 1.
    #[test]
    fn enhancement_adds_and_clamps(chain in parts(true), delta in 0.0..=0.3f64, c in 0..CONCEPT_COUNT) {
        let host = build("host", &Parts { enhancements: Vec::new(), ..chain });
        let lift = build("lift", &Parts {
            static_rows: vec![None; CONCEPT_COUNT],
            dynamic_rows: vec![None; CONCEPT_COUNT],
            enhancements: vec![(c, delta)],
        });
        let t = compose_stack(&[&host, &lift]);
        let base = host.maturity.row(TimeSlice::Static, Concept::ALL[c]).unwrap();
        let got = t.row(TimeSlice::Static, Concept::ALL[c]).unwrap();
        for j in 0..SCENE_COUNT {
            prop_assert_eq!(got[j], (base[j] + delta).min(1.0));
        }
    }

    /// The member order changes nothing: the same rows, the same values. Values agree to 1e-12,
    /// not bit for bit: the uplifts of several members on one concept are added in member order,
    /// and floating-point addition is not associative (0.1 + 0.2 + 0.05 and 0.05 + 0.2 + 0.1 may
    /// differ in the last bit).
    #[test]
    fn composition_is_order_invariant(ms in members(), keys in prop::collection::vec(any::<u32>(), 5)) {
        let shuffled = permuted(&ms, &keys);
        let a = compose_stack(&refs(&ms));
        let b = compose_stack(&refs(&shuffled));
        for slice in [TimeSlice::Static, TimeSlice::Dynamic] {
            for c in Concept::ALL {
                match (a.row(slice, c), b.row(slice, c)) {
                    (None, None) => {}
                    (Some(x), Some(y)) => {
                        for j in 0..SCENE_COUNT {
                            prop_assert!((x[j] - y[j]).abs() <= 1e-12, "{slice:?} {c:?}: {x:?} vs {y:?}");
                        }
                    }
                    (x, y) => prop_assert!(false, "{slice:?} {c:?}: {x:?} vs {y:?}"),
                }
            }
        }
        let score = |t: &[Technology], s: &PreparedScenario| stack_fit_and_score(&refs(t), s, params()).map(|(_, x)| x);
        let s = ScenarioInput {
            id: None,
            name: None,
            vector: [1.0; SCENE_COUNT],
            weights: [1.0; CONCEPT_COUNT],
            time: TimeMode::Blend,
        }
        .prepare(crate::builtin_kb())
        .unwrap();
        match (score(&ms, &s), score(&shuffled, &s)) {
            (Some(x), Some(y)) => prop_assert!((x - y).abs() <= 1e-12),
            (x, y) => prop_assert_eq!(x.is_some(), y.is_some()),
        }
    }

    /// The max rule: a stack of chains scores at least what each of its chains scores alone.
    #[test]
    fn a_stack_of_chains_scores_at_least_each_chain(cs in chains(), s in scenario()) {
        let (_, stack) = stack_fit_and_score(&refs(&cs), &s, params()).expect("chains cover all");
        for c in &cs {
            let (_, alone) = stack_fit_and_score(&[c], &s, params()).expect("a chain covers all");
            prop_assert!(stack >= alone - 1e-12, "{} alone {alone} > stack {stack}", c.id);
        }
    }

    /// Adding any member (chain or addon) to a scorable stack never lowers its score.
    #[test]
    fn adding_a_member_never_lowers_the_score(cs in chains(), extra in parts(false), s in scenario()) {
        let (_, before) = stack_fit_and_score(&refs(&cs), &s, params()).unwrap();
        let mut more = cs.clone();
        more.push(build("extra", &extra));
        let (_, after) = stack_fit_and_score(&refs(&more), &s, params()).unwrap();
        prop_assert!(after >= before - 1e-12, "{after} < {before}");
    }
}

/// A pool of related technologies for the feasibility rules: requires, hosts, conflicts,
/// capabilities and integer memory footprints (so sums are exact in any order).
#[derive(Debug, Clone)]
struct Relations {
    chain: Vec<bool>,
    requires: Vec<Vec<usize>>,
    hosts: Vec<Vec<usize>>,
    conflicts: Vec<Vec<usize>>,
    caps: Vec<Vec<usize>>,
    memory: Vec<Option<u32>>,
}

const POOL: usize = 6;
const CAPS: [&str; 3] = ["gpu", "wasm", "offline"];

fn relations() -> impl Strategy<Value = Relations> {
    let ids = || prop::collection::vec(0..POOL, 0..=2);
    (
        prop::collection::vec(any::<bool>(), POOL),
        prop::collection::vec(ids(), POOL),
        prop::collection::vec(ids(), POOL),
        prop::collection::vec(ids(), POOL),
        prop::collection::vec(prop::collection::vec(0..CAPS.len(), 0..=2), POOL),
        prop::collection::vec(prop::option::of(10u32..2000), POOL),
    )
        .prop_map(
            |(chain, requires, hosts, conflicts, caps, memory)| Relations {
                chain,
                requires,
                hosts,
                conflicts,
                caps,
                memory,
            },
        )
}

fn pool(r: &Relations) -> Vec<Technology> {
    let id = |i: &usize| format!("p{i}");
    (0..POOL)
        .map(|i| {
            let rows: [Option<Row>; CONCEPT_COUNT] = if r.chain[i] {
                [Some([0.5; SCENE_COUNT]); CONCEPT_COUNT]
            } else {
                std::array::from_fn(|c| (c == i).then_some([0.7; SCENE_COUNT]))
            };
            let mut t = tech(&format!("p{i}"), rows, [None; CONCEPT_COUNT], Vec::new());
            t.requires = r.requires[i].iter().filter(|j| **j != i).map(id).collect();
            t.hosts = r.hosts[i].iter().filter(|j| **j != i).map(id).collect();
            t.conflicts = r.conflicts[i].iter().filter(|j| **j != i).map(id).collect();
            t.capabilities = r.caps[i].iter().map(|c| CAPS[*c].to_string()).collect();
            if let Some(mb) = r.memory[i] {
                t.footprint.insert(
                    "memory_mb".to_string(),
                    Figure {
                        value: mb as f64,
                        source: "test".to_string(),
                        note: None,
                    },
                );
            }
            t
        })
        .collect()
}

fn requirements() -> impl Strategy<Value = StackRequirements> {
    (
        prop::collection::vec(0..CAPS.len(), 0..=2),
        prop::option::of(100u32..4000),
        any::<bool>(),
    )
        .prop_map(|(caps, budget, spans)| StackRequirements {
            capabilities: caps.iter().map(|c| CAPS[*c].to_string()).collect(),
            budget_mb: budget.map(f64::from),
            spans_environments: spans,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The problems of a set of members do not depend on their order (conflict pairs compared
    /// as unordered pairs); in particular feasibility does not.
    #[test]
    fn stack_problems_are_order_invariant(
        r in relations(),
        picks in prop::collection::vec(0..POOL, 1..=5),
        keys in prop::collection::vec(any::<u32>(), 5),
        req in requirements(),
    ) {
        let techs = pool(&r);
        let members: Vec<&Technology> = picks.iter().map(|i| &techs[*i]).collect();
        let shuffled = permuted(&members, &keys);
        let a = stack_problems(&members, &req);
        let b = stack_problems(&shuffled, &req);
        prop_assert_eq!(a.is_empty(), b.is_empty());
        prop_assert_eq!(canonical(a), canonical(b));
    }
}

/// The reference's example: a service mesh lifting L by 0.25 on a chain whose L is 0.9 gives 1.0,
/// not 1.15; where L is 0.6 it gives 0.85.
#[test]
fn mesh_uplift_is_clamped_at_one() {
    let mut l = [0.9; SCENE_COUNT];
    l[3] = 0.6;
    let rows: [Option<Row>; CONCEPT_COUNT] = std::array::from_fn(|c| {
        Some(if c == Concept::LoadBalance.index() {
            l
        } else {
            [0.5; SCENE_COUNT]
        })
    });
    let chain = tech("chain", rows, [None; CONCEPT_COUNT], Vec::new());
    let mut mesh_rows = [None; CONCEPT_COUNT];
    mesh_rows[Concept::LoadBalance.index()] = Some([0.3; SCENE_COUNT]);
    let mesh = tech(
        "mesh",
        mesh_rows,
        [None; CONCEPT_COUNT],
        vec![(Concept::LoadBalance, 0.25)],
    );
    let t = compose_stack(&[&chain, &mesh]);
    let got = t.row(TimeSlice::Static, Concept::LoadBalance).unwrap();
    assert_eq!(got[0], 1.0);
    assert!((got[3] - 0.85).abs() < 1e-15);
    // Other concepts are untouched.
    assert_eq!(
        t.row(TimeSlice::Static, Concept::Image).unwrap(),
        [0.5; SCENE_COUNT]
    );
    // The dynamic slice falls back to the static rows and is lifted the same way.
    assert_eq!(
        t.row(TimeSlice::Dynamic, Concept::LoadBalance).unwrap()[0],
        1.0
    );
}
