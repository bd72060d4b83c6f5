//! The cost-constrained search agrees with brute force: on many small random catalogs,
//! scenarios, thresholds and constraints, `recommend_min_cost` returns exactly the stack
//! `exhaustive_min_cost` finds (same members, memory and score), including when no stack
//! reaches the threshold, with and without members of unknown memory.

use stackmatrix_engine::synthetic::{synthetic_catalog, SplitMix64, SYNTHETIC_CAPABILITIES};
use stackmatrix_engine::{
    exhaustive_min_cost, exhaustive_stacks, recommend_min_cost, Constraints, PreparedScenario,
    ScenarioInput, SearchError,
};
use stackmatrix_model::{Technology, TimeMode, CONCEPT_COUNT, SCENE_COUNT};

fn random_scenario(rng: &mut SplitMix64) -> PreparedScenario {
    let vector: [f64; SCENE_COUNT] = if rng.chance(0.3) {
        let hot = rng.int(0, SCENE_COUNT - 1);
        std::array::from_fn(|j| if j == hot { 1.0 } else { 0.0 })
    } else {
        let mut v: [f64; SCENE_COUNT] =
            std::array::from_fn(|_| if rng.chance(0.3) { 0.0 } else { rng.unit() });
        if v.iter().all(|x| *x == 0.0) {
            v[rng.int(0, SCENE_COUNT - 1)] = 1.0;
        }
        v
    };
    let weights: [f64; CONCEPT_COUNT] = if rng.chance(0.4) {
        [1.0; CONCEPT_COUNT]
    } else {
        std::array::from_fn(|_| rng.range(0.1, 2.0))
    };
    let time = *rng.pick(&[TimeMode::Static, TimeMode::Dynamic, TimeMode::Blend]);
    ScenarioInput {
        id: None,
        name: None,
        vector,
        weights,
        time,
    }
    .prepare(crate::builtin_kb())
    .expect("a valid random scenario")
}

fn random_constraints(rng: &mut SplitMix64, techs: &[Technology]) -> Constraints {
    let mut c = Constraints {
        max_size: rng.int(1, 4),
        budget_mb: rng.chance(0.2).then(|| rng.range(300.0, 4000.0).round()),
        spans_environments: rng.chance(0.1),
        alternatives: 1,
        ..Constraints::default()
    };
    if rng.chance(0.2) {
        c.require
            .push(rng.pick(&SYNTHETIC_CAPABILITIES).to_string());
    }
    if rng.chance(0.15) {
        c.include.push(rng.pick(techs).id.clone());
    }
    if rng.chance(0.15) {
        let id = rng.pick(techs).id.clone();
        if !c.include.contains(&id) {
            c.exclude.push(id);
        }
    }
    c
}

#[test]
fn min_cost_search_returns_the_brute_force_optimum() {
    let params = stackmatrix_model::builtin().unwrap().tables.parameters;
    let mut rng = SplitMix64::new(0xC057);
    let (mut found, mut none, mut unknown_used) = (0, 0, 0);
    for case in 0..260u64 {
        let n = 5 + (case as usize % 8);
        let techs = synthetic_catalog(n, 7000 + case);
        let refs: Vec<&Technology> = techs.iter().collect();
        let scenario = random_scenario(&mut rng);
        let constraints = random_constraints(&mut rng, &techs);
        // Thresholds around the reachable scores: a quantile of every feasible stack's score.
        let all = exhaustive_stacks(
            &refs,
            &scenario,
            &params,
            &Constraints {
                alternatives: usize::MAX,
                ..constraints.clone()
            },
        );
        let min_score = if all.is_empty() || rng.chance(0.1) {
            rng.range(0.0, 10.0)
        } else {
            all[rng.int(0, all.len() - 1)].score
        };
        let allow = rng.chance(0.5);
        let context = format!(
            "n = {n}, seed = {}, vector = {:?}, weights = {:?}, time = {}, X = {min_score}, allow = {allow}, {constraints:?}",
            7000 + case,
            scenario.vector,
            scenario.weights,
            scenario.time
        );
        let want = exhaustive_min_cost(&refs, &scenario, &params, &constraints, min_score, allow);
        let got =
            match recommend_min_cost(&refs, &scenario, &params, &constraints, min_score, allow) {
                Ok(r) => r,
                Err(SearchError::IncludeInfeasible(_)) => {
                    assert!(want.is_none(), "{context}: include refused but {want:?}");
                    continue;
                }
                Err(e) => panic!("{context}: {e}"),
            };
        match (&got.stack, &want) {
            (Some(g), Some(w)) => {
                assert_eq!(g.members, w.members, "{context}");
                assert!((g.memory_mb - w.memory_mb).abs() < 1e-9, "{context}");
                assert!((g.score - w.score).abs() < 1e-12, "{context}");
                assert!(g.score >= min_score - 1e-9, "{context}");
                found += 1;
                if got.unknown_memory_used {
                    unknown_used += 1;
                    assert!(allow, "{context}");
                }
            }
            (None, None) => {
                none += 1;
                if let Some(b) = &got.best_reachable {
                    assert!(b.score < min_score - 1e-9, "{context}: {b:?}");
                }
            }
            _ => panic!("{context}: search {:?} but brute force {want:?}", got.stack),
        }
    }
    assert!(found >= 100, "only {found} cases with an answer");
    assert!(none >= 10, "only {none} cases without an answer");
    assert!(
        unknown_used >= 1,
        "no case needed a member of unknown memory"
    );
}
