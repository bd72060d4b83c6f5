//! The cost model against an independent numpy computation (`fixtures/cost/make_cost.py`): the
//! reference cost under each weighting and the normalised attribute score, for every chain and a
//! few stacks, without a scenario and in many; and its properties: costs non-negative, the
//! technology weighting never above the scenario weighting, the attribute score in [0, 1].

use proptest::prelude::*;
use serde_json::Value;
use stackmatrix_engine::{
    attribute_score, compose_stack, cost_weights, enhancement_totals, scene_concept_weights,
    time_matrix, weighted_cost, AttributeWeights, CostWeighting,
};
use stackmatrix_model::{Concept, Technology, TimeMode, CONCEPT_COUNT, SCENE_COUNT};

fn array<const N: usize>(v: &Value) -> [f64; N] {
    let a = v.as_array().expect("an array");
    assert_eq!(a.len(), N);
    std::array::from_fn(|i| a[i].as_f64().unwrap())
}

#[test]
fn costs_and_attribute_scores_match_numpy() {
    let kb = stackmatrix_model::builtin().unwrap();
    let params = &kb.tables.parameters;
    let attributes = &kb.tables.attributes;
    let fixture: Value = serde_json::from_str(include_str!("fixtures/cost/cost.json")).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= 500);
    for case in cases {
        let members: Vec<&Technology> = case["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| kb.technology(m.as_str().unwrap()).unwrap())
            .collect();
        let mode = TimeMode::from_key(case["mode"].as_str().unwrap()).unwrap();
        let matrix = time_matrix(&compose_stack(&members), mode, params).unwrap();
        let vector = (!case["vector"].is_null()).then(|| array::<SCENE_COUNT>(&case["vector"]));
        let weights =
            (!case["weights"].is_null()).then(|| array::<CONCEPT_COUNT>(&case["weights"]));
        let base = scene_concept_weights(vector.as_ref().zip(weights.as_ref()));
        let what = format!(
            "{} {} in {}",
            case["members"], case["mode"], case["scenario"]
        );
        for w in CostWeighting::ALL {
            let got = weighted_cost(&cost_weights(w, &matrix, &base), &attributes.memory_mb);
            let want = case["costs"][w.key()].as_f64().unwrap();
            assert!(
                (got - want).abs() < 1e-9,
                "{what}: {} {got} vs {want}",
                w.key()
            );
        }
        let mesh = enhancement_totals(&members)[Concept::LoadBalance.index()] > 0.0;
        assert_eq!(mesh, case["mesh"].as_bool().unwrap(), "{what}");
        let omega = AttributeWeights::from_array(array::<4>(&case["omega"]));
        let a = attribute_score(&matrix, attributes, &base, &omega, mesh).unwrap();
        let want = case["attribute_score"].as_f64().unwrap();
        assert!(
            (a.score - want).abs() < 1e-9,
            "{what}: score {} vs {want}",
            a.score
        );
        let terms = array::<4>(&case["terms"]);
        for (k, (got, want)) in a.terms.iter().zip(&terms).enumerate() {
            assert!((got - want).abs() < 1e-9, "{what}: term {k}");
        }
        assert_eq!(
            a.latency_missing as u64,
            case["latency_missing"].as_u64().unwrap(),
            "{what}"
        );
    }
}

proptest! {
    #[test]
    fn costs_are_non_negative_and_the_attribute_score_is_a_fraction(
        chain in 0usize..6,
        vector in prop::array::uniform6(0.0f64..=3.0),
        weights in prop::array::uniform12(0.0f64..=2.0),
        omega in prop::array::uniform4(0.0f64..=1.0),
    ) {
        prop_assume!(vector.iter().any(|v| *v > 0.0));
        prop_assume!(omega.iter().any(|w| *w > 0.0));
        let kb = stackmatrix_model::builtin().unwrap();
        let chains: Vec<&Technology> = kb.chains().collect();
        let t = chains[chain % chains.len()];
        let matrix = time_matrix(&t.maturity, TimeMode::Static, &kb.tables.parameters).unwrap();
        let base = scene_concept_weights(Some((&vector, &weights)));
        let costs: Vec<f64> = CostWeighting::ALL
            .iter()
            .map(|w| weighted_cost(&cost_weights(*w, &matrix, &base), &kb.tables.attributes.memory_mb))
            .collect();
        prop_assert!(costs.iter().all(|c| *c >= 0.0 && c.is_finite()));
        // Maturity is at most 1: the technology weighting never exceeds the scenario's.
        prop_assert!(costs[2] <= costs[1] + 1e-9);
        // `None` only when no weighed cell has a present term of positive weight.
        if let Some(a) = attribute_score(&matrix, &kb.tables.attributes, &base, &AttributeWeights::from_array(omega), false) {
            prop_assert!(a.score >= 0.0 && a.score <= 1.0 + 1e-12);
        }
    }
}
