//! The exact search agrees with brute force: on hundreds of small random catalogs, scenarios and
//! constraints, `recommend_stack` returns exactly the first `alternatives` stacks of
//! `exhaustive_stacks` (same members in the same order, same scores), including when no stack is
//! feasible at all.

use stackmatrix_engine::synthetic::{synthetic_catalog, SplitMix64, SYNTHETIC_CAPABILITIES};
use stackmatrix_engine::{
    exhaustive_stacks, recommend_stack, Constraints, PreparedScenario, ScenarioInput, SearchError,
};
use stackmatrix_model::{Parameters, Technology, TimeMode, CONCEPT_COUNT, SCENE_COUNT};

fn params() -> Parameters {
    stackmatrix_model::builtin()
        .expect("the built-in knowledge base loads")
        .tables
        .parameters
}

/// A random scenario: one-hot vectors, sparse and dense vectors, equal or random (sometimes zero)
/// concept weights, any time mode.
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
    let weights: [f64; CONCEPT_COUNT] = if rng.chance(0.3) {
        [1.0; CONCEPT_COUNT]
    } else {
        let mut w: [f64; CONCEPT_COUNT] = std::array::from_fn(|_| {
            if rng.chance(0.15) {
                0.0
            } else {
                rng.range(0.0, 2.0)
            }
        });
        if w.iter().all(|x| *x == 0.0) {
            w[0] = 1.0;
        }
        w
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

/// Random constraints over a catalog: sizes 1 to 4, sometimes a budget, a required capability,
/// an included or excluded id, environments spanned; 1 to 5 alternatives.
fn random_constraints(rng: &mut SplitMix64, techs: &[Technology]) -> Constraints {
    let mut c = Constraints {
        max_size: rng.int(1, 4),
        budget_mb: rng.chance(0.3).then(|| rng.range(150.0, 3000.0).round()),
        require: Vec::new(),
        include: Vec::new(),
        exclude: Vec::new(),
        spans_environments: rng.chance(0.2),
        alternatives: rng.int(1, 5),
    };
    if rng.chance(0.25) {
        c.require
            .push(rng.pick(&SYNTHETIC_CAPABILITIES).to_string());
    }
    if rng.chance(0.2) {
        c.include.push(rng.pick(techs).id.clone());
    }
    if rng.chance(0.2) {
        let id = rng.pick(techs).id.clone();
        if !c.include.contains(&id) {
            c.exclude.push(id);
        }
    }
    c
}

#[test]
fn search_returns_the_brute_force_optimum() {
    let params = params();
    let mut rng = SplitMix64::new(0x0517_AC4D);
    let (mut cases, mut empty, mut infeasible_include, mut full) = (0, 0, 0, 0);
    for case in 0..320u64 {
        let n = 6 + (case as usize % 9);
        let techs = synthetic_catalog(n, 1000 + case);
        let refs: Vec<&Technology> = techs.iter().collect();
        for _ in 0..2 {
            let scenario = random_scenario(&mut rng);
            let constraints = random_constraints(&mut rng, &techs);
            let all = exhaustive_stacks(&refs, &scenario, &params, &constraints);
            let context = format!(
                "catalog n = {n}, seed = {}, vector = {:?}, weights = {:?}, time = {}, {constraints:?}",
                1000 + case,
                scenario.vector,
                scenario.weights,
                scenario.time
            );
            cases += 1;
            let result = match recommend_stack(&refs, &scenario, &params, &constraints) {
                Ok(r) => r,
                Err(SearchError::IncludeInfeasible(why)) => {
                    assert!(
                        all.is_empty(),
                        "{context}: include refused ({why}) but {all:?}"
                    );
                    infeasible_include += 1;
                    continue;
                }
                Err(e) => panic!("{context}: {e}"),
            };
            let expected = &all[..all.len().min(constraints.alternatives)];
            let got: Vec<&Vec<String>> = result.stacks.iter().map(|s| &s.members).collect();
            let want: Vec<&Vec<String>> = expected.iter().map(|s| &s.members).collect();
            assert_eq!(got, want, "{context}");
            for (g, w) in result.stacks.iter().zip(expected) {
                assert!(
                    (g.score - w.score).abs() <= 1e-12,
                    "{context}: {g:?} vs {w:?}"
                );
                // The fit agrees to rounding: both sides compose the same members, possibly in a
                // different order (uplifts are summed in member order).
                for (a, b) in g.fit.iter().zip(&w.fit) {
                    assert!((a - b).abs() <= 1e-12, "{context}: {g:?} vs {w:?}");
                }
            }
            if all.is_empty() {
                empty += 1;
            }
            if all.len() >= constraints.alternatives {
                full += 1;
            }
        }
    }
    // The random cases exercise every outcome: no stack, fewer than asked, as many as asked.
    assert_eq!(cases, 640);
    assert!(empty >= 20, "only {empty} cases without a feasible stack");
    assert!(full >= 200, "only {full} cases with a full list");
    assert!(infeasible_include >= 1, "no refused include");
}

/// Larger catalogs than brute force affords routinely, with the default size 4: still the same.
#[test]
fn search_agrees_on_medium_catalogs() {
    let params = params();
    let mut rng = SplitMix64::new(99);
    for seed in 0..6u64 {
        let techs = synthetic_catalog(24, seed);
        let refs: Vec<&Technology> = techs.iter().collect();
        let scenario = random_scenario(&mut rng);
        let constraints = Constraints {
            max_size: 3,
            alternatives: 5,
            ..Constraints::default()
        };
        let all = exhaustive_stacks(&refs, &scenario, &params, &constraints);
        let result = recommend_stack(&refs, &scenario, &params, &constraints).unwrap();
        let got: Vec<&Vec<String>> = result.stacks.iter().map(|s| &s.members).collect();
        let want: Vec<&Vec<String>> = all.iter().take(5).map(|s| &s.members).collect();
        assert_eq!(got, want, "seed {seed}");
    }
}

/// A technology with the given static rows (concept index, value in every scene) and nothing else.
fn tech(id: &str, rows: &[(usize, f64)]) -> Technology {
    let mut t = synthetic_catalog(1, 0).remove(0);
    t.id = id.to_string();
    t.kind = if rows.len() == CONCEPT_COUNT {
        stackmatrix_model::TechKind::Chain
    } else {
        stackmatrix_model::TechKind::Addon
    };
    t.maturity.static_rows = [None; CONCEPT_COUNT];
    t.maturity.dynamic_rows = [None; CONCEPT_COUNT];
    for (c, v) in rows {
        t.maturity.static_rows[*c] = Some([*v; SCENE_COUNT]);
    }
    t.capabilities.clear();
    t.requires.clear();
    t.hosts.clear();
    t.conflicts.clear();
    t.enhancements.clear();
    t.footprint.clear();
    t
}

/// Members that add nothing to the score but that a rule needs (coverage, a required capability,
/// a host, a requirement) are still found: the search may skip members that add nothing only
/// when no rule needs them.
#[test]
fn members_that_add_nothing_but_a_rule_needs_are_kept() {
    let params = params();
    let scenario = ScenarioInput {
        id: None,
        name: None,
        vector: [1.0; SCENE_COUNT],
        weights: [1.0; CONCEPT_COUNT],
        time: TimeMode::Static,
    }
    .prepare(crate::builtin_kb())
    .unwrap();
    let half =
        |from: usize, v: f64| -> Vec<(usize, f64)> { (from..from + 6).map(|c| (c, v)).collect() };
    let all = |v: f64| -> Vec<(usize, f64)> { (0..CONCEPT_COUNT).map(|c| (c, v)).collect() };

    // Coverage: `b` covers the second half with zeros.
    let a = tech("a", &half(0, 1.0));
    let b = tech("b", &half(6, 0.0));
    // A capability: `c` brings gpu and adds nothing over the chain `k`.
    let k = tech("k", &all(0.9));
    let mut c = tech("c", &[(0, 0.1)]);
    c.capabilities.push("gpu".into());
    // A host: `m` adds much and needs `h`, a chain that adds nothing over `k`.
    let h = tech("h", &all(0.2));
    let mut m = tech("m", &[(1, 1.0)]);
    m.hosts.push("h".into());
    // A requirement: `r` adds much and requires `q`, which adds nothing.
    let q = tech("q", &[(2, 0.0)]);
    let mut r = tech("r", &[(3, 1.0)]);
    r.requires.push("q".into());

    let catalogs: Vec<(Vec<Technology>, Vec<String>)> = vec![
        (vec![a, b], vec![]),
        (vec![k.clone(), c], vec!["gpu".to_string()]),
        (vec![k.clone(), h, m], vec![]),
        (vec![k, q, r], vec![]),
    ];
    for (techs, require) in catalogs {
        let refs: Vec<&Technology> = techs.iter().collect();
        for max_size in 1..=4 {
            let constraints = Constraints {
                max_size,
                require: require.clone(),
                alternatives: 5,
                ..Constraints::default()
            };
            let want = exhaustive_stacks(&refs, &scenario, &params, &constraints);
            let got = recommend_stack(&refs, &scenario, &params, &constraints).unwrap();
            let got: Vec<&Vec<String>> = got.stacks.iter().map(|s| &s.members).collect();
            let want: Vec<&Vec<String>> = want.iter().take(5).map(|s| &s.members).collect();
            assert_eq!(got, want, "max size {max_size}, require {require:?}");
            if max_size >= 3 {
                assert!(!got.is_empty());
            }
        }
    }
}

/// On the built-in knowledge base, for every scenario with its own requirements (capabilities,
/// memory budget, environments spanned), in every time mode: the same stacks as brute force.
#[test]
fn search_agrees_on_the_built_in_knowledge_base() {
    let kb = stackmatrix_model::builtin().expect("the built-in knowledge base loads");
    let refs: Vec<&Technology> = kb.technologies.iter().collect();
    for s in &kb.scenarios {
        for time in [TimeMode::Static, TimeMode::Dynamic, TimeMode::Blend] {
            let mut input = ScenarioInput::from_scenario(s);
            input.time = time;
            let scenario = input.prepare(&kb).expect("built-in scenarios are valid");
            for max_size in [2, 3] {
                let constraints = Constraints {
                    max_size,
                    budget_mb: s.requirements.memory_mb_per_node,
                    require: s.requirements.capabilities.clone(),
                    spans_environments: s.spans_environments,
                    alternatives: 5,
                    ..Constraints::default()
                };
                let all = exhaustive_stacks(&refs, &scenario, &kb.tables.parameters, &constraints);
                let got = recommend_stack(&refs, &scenario, &kb.tables.parameters, &constraints)
                    .expect("the search starts");
                let got: Vec<&Vec<String>> = got.stacks.iter().map(|x| &x.members).collect();
                let want: Vec<&Vec<String>> = all.iter().take(5).map(|x| &x.members).collect();
                assert_eq!(got, want, "{} {time:?} max size {max_size}", s.id);
            }
        }
    }
}
