//! The engine scores exactly what numpy scores with the seed's formula.
//!
//! `tests/fixtures/scores.json` is written by `tests/fixtures/make_scores.py`, which reads the
//! chain matrices from `data/` on its own and computes `fit = s @ A.T`,
//! `score = 10 * np.mean(fit)` (or `10 * (w @ fit) / w.sum()` with concept weights) for every
//! scenario in every time mode and for 250 random vectors. Regenerate it with
//! `python3 crates/engine/tests/fixtures/make_scores.py` after changing the knowledge base.

use serde::Deserialize;
use stackmatrix_engine::{rank_technologies, Ranking, ScenarioInput, TIE_TOLERANCE};
use stackmatrix_model::{builtin, KnowledgeBase, TimeMode, CONCEPT_COUNT, SCENE_COUNT};
use std::collections::{BTreeMap, BTreeSet};

/// Agreement required with numpy, on scores (0 to 10) and fits (0 to 1).
const NUMPY_TOLERANCE: f64 = 1e-9;

/// One fixture case: a scenario input and numpy's score and fit of every chain.
#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    vector: [f64; SCENE_COUNT],
    weights: [f64; CONCEPT_COUNT],
    time: String,
    scores: BTreeMap<String, f64>,
    fit: BTreeMap<String, [f64; CONCEPT_COUNT]>,
}

fn cases() -> Vec<Case> {
    serde_json::from_str(include_str!("fixtures/scores.json"))
        .expect("tests/fixtures/scores.json is a list of cases")
}

fn kb() -> KnowledgeBase {
    match builtin() {
        Ok(kb) => kb,
        Err(e) => panic!("the built-in knowledge base does not load:\n{e}"),
    }
}

fn rank(kb: &KnowledgeBase, input: &ScenarioInput) -> Ranking {
    let scenario = input.prepare(kb).expect("a valid scenario input");
    rank_technologies(kb.chains(), &scenario, &kb.tables.parameters)
}

fn rank_scenario(kb: &KnowledgeBase, id: &str, time: Option<TimeMode>) -> Ranking {
    let mut input = ScenarioInput::from_scenario(kb.scenario(id).expect("a built-in scenario"));
    if let Some(t) = time {
        input.time = t;
    }
    rank(kb, &input)
}

/// Ranks are competition ranks over a non-increasing order of scores. Inside a tie group the
/// entries are ordered by id, so there a score may exceed the one before it by less than the
/// tie tolerance; between groups the scores strictly fall.
fn assert_well_ordered(ranking: &Ranking, what: &str) {
    let entries = &ranking.entries;
    for (i, pair) in entries.windows(2).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        if a.rank == b.rank {
            assert!(
                (a.score - b.score).abs() <= TIE_TOLERANCE && a.id < b.id && a.tied && b.tied,
                "{what}: tied entries {} ({}) and {} ({}) out of order",
                a.id,
                a.score,
                b.id,
                b.score
            );
        } else {
            assert!(
                a.score > b.score + TIE_TOLERANCE,
                "{what}: {} ({}) ranked above {} ({}) without a higher score",
                a.id,
                a.score,
                b.id,
                b.score
            );
            assert_eq!(b.rank, i + 2, "{what}: competition rank of {}", b.id);
        }
    }
    if let Some(first) = entries.first() {
        assert_eq!(first.rank, 1, "{what}: the first entry ranks 1");
    }
    for e in entries {
        let shared = entries.iter().filter(|o| o.rank == e.rank).count();
        assert_eq!(e.tied, shared > 1, "{what}: tied flag of {}", e.id);
    }
}

#[test]
fn every_score_and_fit_equals_numpy() {
    let kb = kb();
    let chain_ids: BTreeSet<String> = kb.chains().map(|t| t.id.clone()).collect();
    let cases = cases();
    assert!(cases.len() >= 250, "only {} fixture cases", cases.len());
    let (mut max_score_diff, mut max_fit_diff) = (0.0f64, 0.0f64);
    for case in &cases {
        let time = TimeMode::from_key(&case.time)
            .unwrap_or_else(|| panic!("{}: unknown time mode {}", case.name, case.time));
        let input = ScenarioInput {
            id: None,
            name: None,
            vector: case.vector,
            weights: case.weights,
            time,
        };
        let ranking = rank(&kb, &input);
        let ranked: BTreeSet<String> = ranking.entries.iter().map(|e| e.id.clone()).collect();
        assert_eq!(ranked, chain_ids, "{}: every chain is ranked", case.name);
        let expected: BTreeSet<String> = case.scores.keys().cloned().collect();
        assert_eq!(
            expected, chain_ids,
            "{}: the fixture scores every chain (regenerate it with make_scores.py)",
            case.name
        );
        for e in &ranking.entries {
            let want = case.scores[&e.id];
            let diff = (e.score - want).abs();
            max_score_diff = max_score_diff.max(diff);
            assert!(
                diff <= NUMPY_TOLERANCE,
                "{}: {} scores {} where numpy scores {want}",
                case.name,
                e.id,
                e.score
            );
            let want_fit = &case.fit[&e.id];
            for (c, (got, want)) in e.fit.iter().zip(want_fit).enumerate() {
                let diff = (got - want).abs();
                max_fit_diff = max_fit_diff.max(diff);
                assert!(
                    diff <= NUMPY_TOLERANCE,
                    "{}: {} fit[{c}] is {got} where numpy gives {want}",
                    case.name,
                    e.id
                );
            }
        }
        assert_well_ordered(&ranking, &case.name);
    }
    eprintln!(
        "{} cases: max |score - numpy| = {max_score_diff:e}, max |fit - numpy| = {max_fit_diff:e}",
        cases.len()
    );
}

#[test]
fn fixture_covers_every_scenario_in_every_time_mode() {
    let kb = kb();
    let names: BTreeSet<String> = cases().into_iter().map(|c| c.name).collect();
    for s in &kb.scenarios {
        for time in [TimeMode::Static, TimeMode::Dynamic, TimeMode::Blend] {
            let name = format!("scenario:{}:{}", s.id, time.key());
            assert!(
                names.contains(&name),
                "fixture lacks {name} (regenerate it with make_scores.py)"
            );
        }
    }
}

#[test]
fn edge_ranks_k3s_first_with_8_75() {
    // The reference README, defect 1: what the published matrices give for S_edge.
    let ranking = rank_scenario(&kb(), "edge", None);
    let expected = [
        ("k3s", 8.75),
        ("wasmedge", 8.6667),
        ("opa", 8.3333),
        ("multitenant", 8.1667),
        ("k8s", 7.6667),
        ("docker", 5.3333),
    ];
    let got: Vec<(&str, f64)> = ranking
        .entries
        .iter()
        .map(|e| (e.id.as_str(), e.score))
        .collect();
    assert_eq!(got.len(), expected.len(), "{got:?}");
    for (i, ((id, score), (want_id, want_score))) in got.iter().zip(expected).enumerate() {
        assert_eq!(*id, want_id, "position {i}: {got:?}");
        assert!(
            (score - want_score).abs() < 1e-4,
            "{id} scores {score}, the README computes {want_score}"
        );
        assert_eq!(ranking.entries[i].rank, i + 1);
        assert!(!ranking.entries[i].tied);
    }
    assert!((ranking.entries[0].score - 8.75).abs() < 1e-12);
}

#[test]
fn multitenant_opa_and_multitenant_tie_at_9_9167() {
    let ranking = rank_scenario(&kb(), "multitenant", None);
    let e = &ranking.entries;
    assert_eq!(e[0].id, "multitenant");
    assert_eq!(e[1].id, "opa");
    for tied in &e[..2] {
        assert_eq!(tied.rank, 1, "{} shares rank 1", tied.id);
        assert!(tied.tied, "{} is marked tied", tied.id);
        assert!(
            (tied.score - 9.9167).abs() < 1e-4,
            "{} scores {}",
            tied.id,
            tied.score
        );
    }
    assert!((e[0].score - e[1].score).abs() <= TIE_TOLERANCE);
    assert_eq!(e[2].id, "k8s");
    assert_eq!(e[2].rank, 3, "the rank after a two-way tie for 1 is 3");
    assert!(!e[2].tied);
    assert!(
        (e[2].score - 9.8333).abs() < 1e-4,
        "k8s scores {}",
        e[2].score
    );
}

#[test]
fn blend_moves_k8s_multitenant_to_9_8_and_leaves_other_chains_alone() {
    let kb = kb();
    let stat = rank_scenario(&kb, "multitenant", Some(TimeMode::Static));
    let blend = rank_scenario(&kb, "multitenant", Some(TimeMode::Blend));
    assert_eq!(blend.scenario.time, "blend");

    let k8s = blend.entry("k8s").expect("k8s is ranked");
    // Q in multitenant: static 1.0, dynamic 0.9, blend 0.6 * 1.0 + 0.4 * 0.9 = 0.96.
    let q = stackmatrix_model::Concept::Quota.index();
    assert!((k8s.fit[q] - 0.96).abs() < 1e-12, "Q fit {}", k8s.fit[q]);
    assert!(
        (k8s.score - 9.8).abs() < 1e-12,
        "k8s blend score {}",
        k8s.score
    );
    let k8s_static = stat.entry("k8s").expect("k8s is ranked");
    assert!((k8s_static.score - 59.0 / 6.0).abs() < 1e-12);

    for s in &stat.entries {
        if s.id == "k8s" {
            continue;
        }
        let b = blend.entry(&s.id).expect("same chains in both modes");
        assert!(
            (b.score - s.score).abs() < 1e-12,
            "{} moved from {} to {} without dynamic rows",
            s.id,
            s.score,
            b.score
        );
        for (x, y) in b.fit.iter().zip(&s.fit) {
            assert!((x - y).abs() < 1e-12, "{}: fit {x} vs {y}", s.id);
        }
    }
    // The order is the same: the tie at the top holds and k8s stays third.
    let order = |r: &Ranking| -> Vec<(String, usize)> {
        r.entries.iter().map(|e| (e.id.clone(), e.rank)).collect()
    };
    assert_eq!(order(&blend), order(&stat));
}
