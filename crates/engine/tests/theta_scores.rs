//! Θ-weighted scores: `10 · Σ w_c θ_c f_c / Σ w_c` everywhere a score is computed. All ones
//! changes nothing (bit for bit); the exact stack search stays optimal under any Θ in [0, 1];
//! explanations add up; scores stay in [0, 10] and never fall when a θ_c rises.

use proptest::prelude::*;
use stackmatrix_engine::synthetic::{synthetic_catalog, SplitMix64};
use stackmatrix_engine::{
    exhaustive_stacks, explain, rank_technologies, recommend_stack, theta_weighted_score,
    weighted_score, Constraints, ScenarioInput, SearchError,
};
use stackmatrix_model::{Technology, TimeMode, CONCEPT_COUNT, SCENE_COUNT};

fn random_theta(rng: &mut SplitMix64) -> [f64; CONCEPT_COUNT] {
    std::array::from_fn(|_| {
        if rng.chance(0.15) {
            0.0
        } else if rng.chance(0.2) {
            1.0
        } else {
            rng.unit()
        }
    })
}

#[test]
fn identity_theta_changes_no_score_to_the_bit() {
    let kb = stackmatrix_model::builtin().unwrap();
    for s in &kb.scenarios {
        let p = ScenarioInput::from_scenario(s).prepare(&kb).unwrap();
        let q = p.clone().with_theta([1.0; CONCEPT_COUNT]).unwrap();
        let a = rank_technologies(kb.chains(), &p, &kb.tables.parameters);
        let b = rank_technologies(kb.chains(), &q, &kb.tables.parameters);
        assert_eq!(a, b);
        for e in &a.entries {
            assert_eq!(
                e.score.to_bits(),
                weighted_score(&e.fit, &p.weights).to_bits()
            );
        }
    }
}

#[test]
fn ranking_and_explanation_use_theta() {
    let kb = stackmatrix_model::builtin().unwrap();
    let mut rng = SplitMix64::new(5);
    for s in &kb.scenarios {
        let theta = random_theta(&mut rng);
        let p = ScenarioInput::from_scenario(s)
            .prepare(&kb)
            .unwrap()
            .with_theta(theta)
            .unwrap();
        let r = rank_technologies(kb.chains(), &p, &kb.tables.parameters);
        for e in &r.entries {
            let expected = 10.0
                * (0..CONCEPT_COUNT)
                    .map(|c| p.weights[c] * theta[c] * e.fit[c])
                    .sum::<f64>()
                / p.weights.iter().sum::<f64>();
            assert!((e.score - expected).abs() < 1e-12);
            let x = explain(&r, &e.id).unwrap();
            let total: f64 = x.concepts.iter().map(|c| c.contribution).sum();
            assert!((total - e.score).abs() < 1e-12);
            if let Some(alt) = x.alternative {
                let delta: f64 = x.concepts.iter().map(|c| c.score_delta.unwrap()).sum();
                assert!((delta - (e.score - alt.score)).abs() < 1e-12);
            }
        }
    }
    assert!(ScenarioInput::from_scenario(&kb.scenarios[0])
        .prepare(&kb)
        .unwrap()
        .with_theta([1.5; CONCEPT_COUNT])
        .is_err());
}

/// The branch-and-bound's element weights carry θ_c; it must still return the brute-force
/// optimum, including with some θ_c = 0.
#[test]
fn search_returns_the_brute_force_optimum_under_theta() {
    let kb = stackmatrix_model::builtin().unwrap();
    let params = kb.tables.parameters.clone();
    let mut rng = SplitMix64::new(0x7E7A);
    for case in 0..120u64 {
        let n = 6 + (case as usize % 7);
        let techs = synthetic_catalog(n, 500 + case);
        let refs: Vec<&Technology> = techs.iter().collect();
        let vector: [f64; SCENE_COUNT] = std::array::from_fn(|_| {
            if rng.chance(0.4) {
                0.0
            } else {
                rng.unit() + 0.01
            }
        });
        let vector = if vector.iter().all(|x| *x == 0.0) {
            [1.0; SCENE_COUNT]
        } else {
            vector
        };
        let time = *rng.pick(&[TimeMode::Static, TimeMode::Dynamic, TimeMode::Blend]);
        let scenario = ScenarioInput {
            id: None,
            name: None,
            vector,
            weights: std::array::from_fn(|_| rng.range(0.1, 2.0)),
            time,
        }
        .prepare(&kb)
        .unwrap()
        .with_theta(random_theta(&mut rng))
        .unwrap();
        let constraints = Constraints {
            max_size: rng.int(1, 4),
            alternatives: rng.int(1, 5),
            ..Constraints::default()
        };
        let all = exhaustive_stacks(&refs, &scenario, &params, &constraints);
        let result = match recommend_stack(&refs, &scenario, &params, &constraints) {
            Ok(r) => r,
            Err(SearchError::IncludeInfeasible(_)) => continue,
            Err(e) => panic!("{e}"),
        };
        let want: Vec<&Vec<String>> = all
            .iter()
            .take(constraints.alternatives)
            .map(|s| &s.members)
            .collect();
        let got: Vec<&Vec<String>> = result.stacks.iter().map(|s| &s.members).collect();
        assert_eq!(got, want, "case {case}, theta {:?}", scenario.theta);
        for (g, w) in result.stacks.iter().zip(&all) {
            assert!((g.score - w.score).abs() <= 1e-12);
        }
    }
}

proptest! {
    #[test]
    fn theta_scores_stay_in_range_and_rise_with_theta(
        fit in prop::array::uniform12(0.0f64..=1.0),
        weights in prop::array::uniform12(0.0f64..=3.0),
        theta in prop::array::uniform12(0.0f64..=1.0),
        c in 0usize..CONCEPT_COUNT,
        bump in 0.0f64..=1.0,
    ) {
        prop_assume!(weights.iter().sum::<f64>() > 1e-6);
        let s = theta_weighted_score(&fit, &weights, &theta);
        prop_assert!((0.0..=10.0).contains(&s));
        prop_assert!(s <= weighted_score(&fit, &weights) + 1e-12);
        let mut higher = theta;
        higher[c] = (theta[c] + bump).min(1.0);
        prop_assert!(theta_weighted_score(&fit, &weights, &higher) >= s - 1e-12);
    }
}
