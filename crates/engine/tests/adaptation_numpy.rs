//! Scene adaptation equals what numpy computes, for every chain and stack of the fixture and
//! every ordered pair of scenes.
//!
//! `tests/fixtures/adaptation/adaptation.json` is written by
//! `tests/fixtures/adaptation/make_adaptation.py`, which reads the maturity rows, the
//! compatibility table and α, β from `data/` on its own. Regenerate it after changing them.

use serde::Deserialize;
use stackmatrix_engine::{
    adaptation_compatibility, compose_stack, has_service_mesh, overall_adaptation,
    scene_adaptation, weakest_concept,
};
use stackmatrix_model::{builtin, Scene, Technology, TimeSlice, CONCEPT_COUNT};

const NUMPY_TOLERANCE: f64 = 1e-9;

#[derive(Debug, Deserialize)]
struct Case {
    members: Vec<String>,
    from: String,
    to: String,
    service_mesh: bool,
    adaptation: [f64; CONCEPT_COUNT],
    overall: f64,
    weakest: String,
}

#[test]
fn adaptation_equals_numpy_for_every_chain_stack_and_scene_pair() {
    let kb = builtin().unwrap();
    let cases: Vec<Case> =
        serde_json::from_str(include_str!("fixtures/adaptation/adaptation.json")).unwrap();
    // Every chain times 30 ordered scene pairs, plus the stacks.
    let chains = kb.chains().count();
    assert!(cases.len() >= chains * 30, "{} cases", cases.len());
    for chain in kb.chains() {
        assert_eq!(
            cases
                .iter()
                .filter(|c| c.members == [chain.id.clone()])
                .count(),
            30,
            "{}",
            chain.id
        );
    }
    let p = &kb.tables.parameters;
    let equal = [1.0; CONCEPT_COUNT];
    for case in &cases {
        let members: Vec<&Technology> = case
            .members
            .iter()
            .map(|m| kb.technology(m).unwrap())
            .collect();
        let what = format!("{} {} → {}", case.members.join("+"), case.from, case.to);
        let matrix = compose_stack(&members)
            .matrix(TimeSlice::Static)
            .expect("covered");
        let mesh = has_service_mesh(&members);
        assert_eq!(mesh, case.service_mesh, "{what}");
        let comp = adaptation_compatibility(&kb.tables.attributes, mesh);
        let from = Scene::from_key(&case.from).unwrap();
        let to = Scene::from_key(&case.to).unwrap();
        let adapt = scene_adaptation(
            &matrix,
            &comp,
            from,
            to,
            p.adaptation_alpha_maturity,
            p.adaptation_beta_compatibility,
        );
        for (i, (g, w)) in adapt.iter().zip(&case.adaptation).enumerate() {
            assert!(
                (g - w).abs() <= NUMPY_TOLERANCE,
                "{what} concept {i}: {g} vs {w}"
            );
        }
        let overall = overall_adaptation(&adapt, &equal);
        assert!((overall - case.overall).abs() <= NUMPY_TOLERANCE, "{what}");
        // numpy's argmin takes the first exact minimum; the engine the first within 1e-9.
        let weakest = weakest_concept(&adapt, &equal);
        let min = case
            .adaptation
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        assert!(
            (adapt[weakest.index()] - min).abs() <= NUMPY_TOLERANCE,
            "{what}"
        );
        let first = case
            .adaptation
            .iter()
            .position(|v| (v - min).abs() <= NUMPY_TOLERANCE)
            .unwrap();
        assert_eq!(weakest.index(), first, "{what}");
        if (case.adaptation[first] - min).abs() == 0.0 {
            assert_eq!(weakest.key(), case.weakest, "{what}");
        }
    }
}
