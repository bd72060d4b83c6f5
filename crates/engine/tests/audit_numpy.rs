//! The audit of documented claims computes exactly what numpy and scipy compute.
//!
//! `tests/fixtures/audit.json` is written by `tests/fixtures/make_audit.py`, which reads `data/`
//! on its own and computes, for every scenario with claims, each claimed ranking line's score and
//! competition rank among the chains, Kendall's tau-b (`scipy.stats.kendalltau`, variant `b`)
//! between claimed and computed ranks, top-1 agreement, the largest score gap and the documented
//! stack's composed score; and for every practice case without environments, each maturity
//! claim's model value and verdict. Regenerate it with
//! `python3 crates/engine/tests/fixtures/make_audit.py` after changing the knowledge base.

use serde::Deserialize;
use stackmatrix_engine::{
    audit, kendall_tau_b, rank_technologies, stack_fit_and_score, validate_case, Audit,
    ScenarioAudit, ScenarioInput,
};
use stackmatrix_model::{builtin, KnowledgeBase, Technology};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Agreement required with numpy on scores (0 to 10), gaps and fits (0 to 1).
const NUMPY_TOLERANCE: f64 = 1e-9;
/// Agreement required with scipy on Kendall's tau-b.
const TAU_TOLERANCE: f64 = 1e-12;

#[derive(Debug, Deserialize)]
struct Fixture {
    scenarios: Vec<ScenarioFixture>,
    cases: Vec<CaseFixture>,
}

#[derive(Debug, Deserialize)]
struct ScenarioFixture {
    scenario: String,
    source: String,
    chain_scores: BTreeMap<String, f64>,
    chain_ranks: BTreeMap<String, usize>,
    lines: Vec<LineFixture>,
    compared: usize,
    claimed_ranks: Vec<u32>,
    computed_ranks: Vec<usize>,
    kendall_tau_b: Option<f64>,
    top1_agrees: Option<bool>,
    largest_gap: Option<GapFixture>,
    stack: Option<StackFixture>,
}

#[derive(Debug, Deserialize)]
struct LineFixture {
    label: String,
    tech: Option<String>,
    claimed_rank: Option<u32>,
    claimed_score: Option<f64>,
    computed_rank: Option<usize>,
    computed_score: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct GapFixture {
    label: String,
    gap: f64,
}

#[derive(Debug, Deserialize)]
struct StackFixture {
    labels: Vec<String>,
    members: Vec<String>,
    not_in_knowledge_base: Vec<String>,
    composed_score: Option<f64>,
    composed_fit: Option<Vec<f64>>,
    problems: Vec<String>,
    feasible: bool,
}

#[derive(Debug, Deserialize)]
struct CaseFixture {
    case: String,
    scenario: String,
    members: Vec<String>,
    not_in_knowledge_base: Vec<String>,
    score: Option<f64>,
    maturity: Vec<MaturityFixture>,
}

#[derive(Debug, Deserialize)]
struct MaturityFixture {
    concept: String,
    claim: f64,
    model: Option<f64>,
    verdict: String,
}

fn fixture() -> Fixture {
    serde_json::from_str(include_str!("fixtures/audit.json"))
        .expect("tests/fixtures/audit.json holds scenarios and cases")
}

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| match builtin() {
        Ok(kb) => kb,
        Err(e) => panic!("the built-in knowledge base does not load:\n{e}"),
    })
}

/// The audit of the built-in knowledge base, run once for every test (it searches stacks).
fn built_in_audit() -> &'static Audit {
    static AUDIT: OnceLock<Audit> = OnceLock::new();
    AUDIT.get_or_init(|| audit(kb()).expect("every built-in case names a known scenario"))
}

fn assert_close(what: &str, got: f64, want: f64, tolerance: f64) {
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: engine {got}, numpy {want} (difference {:e})",
        (got - want).abs()
    );
}

fn assert_close_opt(what: &str, got: Option<f64>, want: Option<f64>, tolerance: f64) {
    match (got, want) {
        (Some(g), Some(w)) => assert_close(what, g, w, tolerance),
        (None, None) => {}
        _ => panic!("{what}: engine {got:?}, numpy {want:?}"),
    }
}

fn scenario_audit<'a>(audit: &'a Audit, id: &str) -> &'a ScenarioAudit {
    audit
        .scenarios
        .iter()
        .find(|s| s.scenario == id)
        .unwrap_or_else(|| panic!("the audit has no scenario {id}"))
}

#[test]
fn the_fixture_covers_every_scenario_with_claims_and_every_single_environment_case() {
    let kb = kb();
    let fixture = fixture();
    let audit = built_in_audit();
    let audited: Vec<&str> = audit
        .scenarios
        .iter()
        .map(|s| s.scenario.as_str())
        .collect();
    let with_claims: Vec<&str> = kb
        .scenarios
        .iter()
        .filter(|s| s.claims.is_some())
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(
        audited, with_claims,
        "the audit covers the scenarios with claims"
    );
    let fixed: BTreeSet<&str> = fixture
        .scenarios
        .iter()
        .map(|s| s.scenario.as_str())
        .collect();
    assert_eq!(
        fixed,
        with_claims.iter().copied().collect(),
        "the fixture covers the scenarios with claims (regenerate it with make_audit.py)"
    );
    let single: BTreeSet<&str> = kb
        .cases
        .iter()
        .filter(|c| c.stack.iter().all(|m| m.environment.is_none()))
        .map(|c| c.id.as_str())
        .collect();
    let fixed: BTreeSet<&str> = fixture.cases.iter().map(|c| c.case.as_str()).collect();
    assert_eq!(
        fixed, single,
        "the fixture covers every case without environments (regenerate it with make_audit.py)"
    );
    assert_eq!(
        audit.cases.len(),
        kb.cases.len(),
        "the audit checks every case"
    );
}

#[test]
fn computed_rankings_equal_numpy() {
    let kb = kb();
    for f in &fixture().scenarios {
        let scenario = kb.scenario(&f.scenario).expect("a built-in scenario");
        let prepared = ScenarioInput::from_scenario(scenario).prepare(kb).unwrap();
        let ranking = rank_technologies(kb.chains(), &prepared, &kb.tables.parameters);
        let ids: BTreeSet<&str> = ranking.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            f.chain_scores.keys().map(String::as_str).collect(),
            "{}: every chain is ranked",
            f.scenario
        );
        for e in &ranking.entries {
            let what = format!("{}: chain {}", f.scenario, e.id);
            assert_close(&what, e.score, f.chain_scores[&e.id], NUMPY_TOLERANCE);
            assert_eq!(e.rank, f.chain_ranks[&e.id], "{what}: rank");
        }
    }
}

#[test]
fn ranking_lines_tau_top1_and_largest_gap_equal_numpy() {
    let audit = built_in_audit();
    for f in &fixture().scenarios {
        let a = scenario_audit(audit, &f.scenario);
        let sid = &f.scenario;
        assert_eq!(a.source, f.source, "{sid}: source");
        assert_eq!(a.lines.len(), f.lines.len(), "{sid}: every claimed line");
        for (got, want) in a.lines.iter().zip(&f.lines) {
            let what = format!("{sid}: line {}", want.label);
            assert_eq!(got.label, want.label, "{what}: label");
            assert_eq!(got.tech, want.tech, "{what}: tech");
            assert_eq!(got.claimed_rank, want.claimed_rank, "{what}: claimed rank");
            assert_close_opt(
                &format!("{what}: claimed score"),
                got.claimed_score,
                want.claimed_score,
                0.0,
            );
            assert_eq!(
                got.computed_rank, want.computed_rank,
                "{what}: computed rank"
            );
            assert_close_opt(
                &format!("{what}: computed score"),
                got.computed_score,
                want.computed_score,
                NUMPY_TOLERANCE,
            );
        }
        assert_eq!(a.compared, f.compared, "{sid}: lines compared");
        assert_eq!(f.claimed_ranks.len(), f.compared, "{sid}: fixture ranks");
        assert_close_opt(
            &format!("{sid}: Kendall tau-b"),
            a.kendall_tau,
            f.kendall_tau_b,
            TAU_TOLERANCE,
        );
        // The engine's tau-b on scipy's inputs is scipy's tau-b.
        let x: Vec<f64> = f.claimed_ranks.iter().map(|&r| f64::from(r)).collect();
        let y: Vec<f64> = f.computed_ranks.iter().map(|&r| r as f64).collect();
        assert_close_opt(
            &format!("{sid}: kendall_tau_b on the fixture's ranks"),
            kendall_tau_b(&x, &y),
            f.kendall_tau_b,
            TAU_TOLERANCE,
        );
        assert_eq!(a.top1_agrees, f.top1_agrees, "{sid}: top-1 agreement");
        match (&a.largest_gap, &f.largest_gap) {
            (Some((label, gap)), Some(want)) => {
                assert_eq!(label, &want.label, "{sid}: largest-gap label");
                assert_close(
                    &format!("{sid}: largest gap"),
                    *gap,
                    want.gap,
                    NUMPY_TOLERANCE,
                );
            }
            (None, None) => {}
            (got, want) => panic!("{sid}: largest gap: engine {got:?}, numpy {want:?}"),
        }
    }
}

#[test]
fn documented_stack_scores_equal_numpy() {
    let kb = kb();
    let audit = built_in_audit();
    for f in &fixture().scenarios {
        let sid = &f.scenario;
        let a = scenario_audit(audit, sid);
        let (got, want) = match (&a.stack, &f.stack) {
            (Some(g), Some(w)) => (g, w),
            (None, None) => continue,
            (g, w) => panic!("{sid}: documented stack: engine {g:?}, numpy {w:?}"),
        };
        assert_eq!(got.claimed_labels, want.labels, "{sid}: stack labels");
        assert_eq!(got.claimed_members, want.members, "{sid}: stack members");
        assert_eq!(
            got.not_in_knowledge_base, want.not_in_knowledge_base,
            "{sid}: stack labels outside the knowledge base"
        );
        // The composition itself, whether or not the members may form a stack.
        let scenario = kb.scenario(sid).expect("a built-in scenario");
        let prepared = ScenarioInput::from_scenario(scenario).prepare(kb).unwrap();
        let members: Vec<&Technology> = got
            .claimed_members
            .iter()
            .map(|id| {
                kb.technology(id)
                    .expect("a member the knowledge base holds")
            })
            .collect();
        let composed = stack_fit_and_score(&members, &prepared, &kb.tables.parameters);
        assert_close_opt(
            &format!("{sid}: composed score of the documented stack"),
            composed.map(|c| c.1),
            want.composed_score,
            NUMPY_TOLERANCE,
        );
        if let (Some((fit, _)), Some(want_fit)) = (composed, &want.composed_fit) {
            assert_eq!(fit.len(), want_fit.len(), "{sid}: fit length");
            for (i, (g, w)) in fit.iter().zip(want_fit).enumerate() {
                assert_close(&format!("{sid}: composed fit {i}"), *g, *w, NUMPY_TOLERANCE);
            }
        }
        // The audit scores the documented stack only when it breaks no stack rule.
        if want.feasible {
            assert!(
                got.claimed_infeasible.is_none(),
                "{sid}: engine finds the documented stack infeasible: {:?}",
                got.claimed_infeasible
            );
            assert_close_opt(
                &format!("{sid}: documented stack score"),
                got.claimed_score,
                want.composed_score,
                NUMPY_TOLERANCE,
            );
        } else {
            assert_eq!(
                got.claimed_score, None,
                "{sid}: the documented stack breaks {:?} yet is scored",
                want.problems
            );
            let problems = got
                .claimed_infeasible
                .as_ref()
                .map_or(0, |i| i.problems.len());
            assert_eq!(
                problems,
                want.problems.len(),
                "{sid}: engine {:?}, numpy {:?}",
                got.claimed_infeasible,
                want.problems
            );
        }
    }
}

#[test]
fn case_maturity_claims_equal_numpy() {
    let kb = kb();
    let audit = built_in_audit();
    for f in &fixture().cases {
        let cid = &f.case;
        let case = kb
            .cases
            .iter()
            .find(|c| &c.id == cid)
            .unwrap_or_else(|| panic!("no built-in case {cid}"));
        let report = validate_case(case, kb).expect("a case with a known scenario");
        let in_audit = audit
            .cases
            .iter()
            .find(|r| &r.case == cid)
            .unwrap_or_else(|| panic!("the audit has no case {cid}"));
        assert_eq!(in_audit, &report, "{cid}: the audit reports validate_case");
        assert_eq!(report.scenario, f.scenario, "{cid}: scenario");
        assert_eq!(report.members, f.members, "{cid}: members");
        assert_eq!(
            report.not_in_knowledge_base, f.not_in_knowledge_base,
            "{cid}: labels outside the knowledge base"
        );
        assert_close_opt(
            &format!("{cid}: score"),
            report.score,
            f.score,
            NUMPY_TOLERANCE,
        );
        assert_eq!(
            report.maturity.len(),
            f.maturity.len(),
            "{cid}: every maturity claim"
        );
        for (got, want) in report.maturity.iter().zip(&f.maturity) {
            let what = format!("{cid}: claim {}", want.concept);
            assert_eq!(got.claim.concept.key(), want.concept, "{what}: concept");
            assert_close(&format!("{what}: value"), got.claim.value, want.claim, 0.0);
            assert_close_opt(
                &format!("{what}: model"),
                got.model,
                want.model,
                NUMPY_TOLERANCE,
            );
            assert_eq!(got.verdict.key(), want.verdict, "{what}: verdict");
        }
    }
}
