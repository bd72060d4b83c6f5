//! The dependency analysis and the operation chains compute exactly what numpy computes.
//!
//! `tests/fixtures/relations/relations.json` is written by
//! `tests/fixtures/relations/make_relations.py`, which reads `data/` on its own and computes, by
//! boolean matrix products rather than Warshall's loop and breadth-first search, the closure,
//! mutual pairs, groups, condensation chain, distances, depths and critical chains of the
//! published dependency relation and of 60 random ones (some with self-loops, some acyclic); the
//! coverage check for every scenario and several stacks at three thresholds, and for random
//! relations, fits and weights with zeros; and 46 chains of published operations applied to
//! vectors. Relations and chains must be equal, numbers within 1e-9. Regenerate it with
//! `python3 crates/engine/tests/fixtures/relations/make_relations.py` after changing `data/`.

use serde::Deserialize;
use stackmatrix_engine::{
    analyse_dependencies, apply_operation_chain, dependency_coverage, dependency_relation,
    stack_fit_and_score, ConceptRelation, ConceptVector, DependencyAnalysis, ScenarioInput,
};
use stackmatrix_model::{builtin, TimeMode, CONCEPT_COUNT};

const NUMPY_TOLERANCE: f64 = 1e-9;

#[derive(Deserialize)]
struct Fixture {
    published: AnalysisFixture,
    random: Vec<AnalysisFixture>,
    coverage: Vec<CoverageFixture>,
    operations: Vec<OperationsFixture>,
}

#[derive(Deserialize)]
struct GroupFixture {
    members: Vec<usize>,
    cyclic: bool,
    level: usize,
    depends_on: Vec<usize>,
}

#[derive(Deserialize)]
struct DepthFixture {
    depth: usize,
    chain: Vec<usize>,
}

#[derive(Deserialize)]
struct AnalysisFixture {
    relation: Vec<Vec<u8>>,
    closure: Vec<Vec<u8>>,
    mutual: Vec<(usize, usize)>,
    distances: Vec<Vec<i64>>,
    groups: Vec<GroupFixture>,
    group_chain: Vec<usize>,
    depths: Vec<DepthFixture>,
    critical_depth: usize,
    critical_chains: Vec<Vec<usize>>,
}

#[derive(Deserialize)]
struct CoverageFixture {
    scenario: Option<String>,
    stack: Option<Vec<String>>,
    min_fit: f64,
    #[serde(default)]
    relation: Option<Vec<Vec<u8>>>,
    weights: Vec<f64>,
    fit: Vec<f64>,
    weighed: Vec<usize>,
    required: Vec<usize>,
    uncovered: Vec<UncoveredFixture>,
}

#[derive(Deserialize)]
struct UncoveredFixture {
    concept: usize,
    fit: f64,
    needed_by: Vec<(usize, Vec<usize>)>,
}

#[derive(Deserialize)]
struct OperationsFixture {
    chain: Vec<String>,
    input: Vec<f64>,
    steps: Vec<Vec<f64>>,
    combined: Vec<f64>,
    result: Vec<f64>,
    readiness: Option<f64>,
}

fn fixture() -> Fixture {
    let text = include_str!("fixtures/relations/relations.json");
    serde_json::from_str(text).expect("the fixture parses")
}

fn relation_of(rows: &[Vec<u8>]) -> ConceptRelation {
    std::array::from_fn(|i| std::array::from_fn(|j| rows[i][j] != 0))
}

fn vector(v: &[f64]) -> ConceptVector {
    std::array::from_fn(|i| v[i])
}

fn close(a: &[f64], b: &[f64], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= NUMPY_TOLERANCE,
            "{what}[{i}]: {x} vs numpy {y}"
        );
    }
}

fn check_analysis(a: &DependencyAnalysis, f: &AnalysisFixture, what: &str) {
    assert_eq!(a.closure, relation_of(&f.closure), "{what}: closure");
    assert_eq!(a.mutual, f.mutual, "{what}: mutual");
    for i in 0..CONCEPT_COUNT {
        for j in 0..CONCEPT_COUNT {
            let d = a.distances[i][j].map_or(-1, |d| d as i64);
            assert_eq!(d, f.distances[i][j], "{what}: dist[{i}][{j}]");
        }
    }
    assert_eq!(a.groups.len(), f.groups.len(), "{what}: groups");
    for (g, fg) in a.groups.iter().zip(&f.groups) {
        assert_eq!(g.members, fg.members, "{what}: group members");
        assert_eq!(g.cyclic, fg.cyclic, "{what}: group {:?} cyclic", g.members);
        assert_eq!(g.level, fg.level, "{what}: group {:?} level", g.members);
        assert_eq!(g.depends_on, fg.depends_on, "{what}: group {:?}", g.members);
    }
    assert_eq!(a.group_chain, f.group_chain, "{what}: group chain");
    for (d, fd) in a.depths.iter().zip(&f.depths) {
        assert_eq!(
            (d.depth, &d.chain),
            (fd.depth, &fd.chain),
            "{what}: depth of {}",
            d.concept
        );
    }
    assert_eq!(a.critical_depth, f.critical_depth, "{what}: critical depth");
    assert_eq!(
        a.critical_chains, f.critical_chains,
        "{what}: critical chains"
    );
}

#[test]
fn the_published_relation_matches_numpy() {
    let f = fixture();
    let kb = builtin().unwrap();
    let relation = dependency_relation(&kb.tables.relations.dependency);
    assert_eq!(relation, relation_of(&f.published.relation));
    check_analysis(&analyse_dependencies(&relation), &f.published, "published");
}

#[test]
fn random_relations_match_numpy() {
    let f = fixture();
    assert_eq!(f.random.len(), 60);
    // The fixture does hold acyclic relations with several levels, and cyclic groups.
    assert!(f.random.iter().any(|r| r.group_chain.len() > 3));
    assert!(f
        .random
        .iter()
        .any(|r| r.groups.iter().any(|g| g.cyclic && g.members.len() == 1)));
    for (k, r) in f.random.iter().enumerate() {
        let a = analyse_dependencies(&relation_of(&r.relation));
        check_analysis(&a, r, &format!("random {k}"));
    }
}

#[test]
fn coverage_matches_numpy() {
    let f = fixture();
    let kb = builtin().unwrap();
    let published = dependency_relation(&kb.tables.relations.dependency);
    let mut uncovered_seen = 0;
    for (k, c) in f.coverage.iter().enumerate() {
        let what = format!(
            "coverage {k} ({:?} {:?} {})",
            c.scenario, c.stack, c.min_fit
        );
        let fit = vector(&c.fit);
        if let (Some(sid), Some(stack)) = (&c.scenario, &c.stack) {
            // The fit numpy used is the engine's: the stack composed, static slice.
            let mut input = ScenarioInput::from_scenario(kb.scenario(sid).unwrap());
            input.time = TimeMode::Static;
            let prepared = input.prepare(&kb).unwrap();
            let members: Vec<_> = stack.iter().map(|m| kb.technology(m).unwrap()).collect();
            let (engine_fit, _) =
                stack_fit_and_score(&members, &prepared, &kb.tables.parameters).unwrap();
            close(&engine_fit, &c.fit, &format!("{what}: fit"));
            close(&prepared.weights, &c.weights, &format!("{what}: weights"));
        }
        let relation = c.relation.as_deref().map_or(published, relation_of);
        let cov = dependency_coverage(&relation, &fit, &vector(&c.weights), c.min_fit);
        assert_eq!(cov.weighed, c.weighed, "{what}: weighed");
        assert_eq!(cov.required, c.required, "{what}: required");
        assert_eq!(cov.uncovered.len(), c.uncovered.len(), "{what}: uncovered");
        for (u, fu) in cov.uncovered.iter().zip(&c.uncovered) {
            assert_eq!(u.concept, fu.concept, "{what}");
            assert!((u.fit - fu.fit).abs() <= NUMPY_TOLERANCE, "{what}");
            assert_eq!(u.needed_by, fu.needed_by, "{what}: needed by");
        }
        uncovered_seen += c.uncovered.len();
    }
    assert!(
        uncovered_seen > 0,
        "the fixture exercises uncovered dependencies"
    );
}

#[test]
fn operation_chains_match_numpy() {
    let f = fixture();
    let kb = builtin().unwrap();
    let impact = |id: &str| {
        kb.tables
            .operations
            .iter()
            .find(|o| o.id == id)
            .unwrap_or_else(|| panic!("operation {id}"))
            .impact
    };
    for (k, o) in f.operations.iter().enumerate() {
        let what = format!("chain {k} {:?}", o.chain);
        let impacts: Vec<ConceptVector> = o.chain.iter().map(|id| impact(id)).collect();
        let a = apply_operation_chain(&impacts, &vector(&o.input));
        assert_eq!(a.steps.len(), o.steps.len(), "{what}");
        for (i, (s, fs)) in a.steps.iter().zip(&o.steps).enumerate() {
            close(s, fs, &format!("{what}: step {i}"));
        }
        close(&a.combined, &o.combined, &format!("{what}: combined"));
        close(&a.result, &o.result, &format!("{what}: result"));
        match (a.readiness, o.readiness) {
            (Some(x), Some(y)) => assert!((x - y).abs() <= NUMPY_TOLERANCE, "{what}: {x} vs {y}"),
            (x, y) => assert_eq!(x, y, "{what}: readiness"),
        }
    }
}
