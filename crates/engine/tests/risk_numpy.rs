//! The risk against an independent numpy computation (`fixtures/risk/make_risk.py`): every chain
//! and a few stacks, whole and scenario-aware, with Θ all ones and a random Θ; and its
//! properties: in (0, 1), non-increasing in every θ_c, invariant to the scale of the scene vector.

use proptest::prelude::*;
use serde_json::Value;
use stackmatrix_engine::{compose_stack, risk, RiskFocus};
use stackmatrix_model::{MaturityTensor, Technology, CONCEPT_COUNT, SCENE_COUNT};

fn array<const N: usize>(v: &Value) -> [f64; N] {
    let a = v.as_array().expect("an array");
    assert_eq!(a.len(), N);
    std::array::from_fn(|i| a[i].as_f64().unwrap())
}

#[test]
fn risk_matches_numpy() {
    let kb = stackmatrix_model::builtin().unwrap();
    let params = &kb.tables.parameters;
    let text = include_str!("fixtures/risk/risk.json");
    let fixture: Value = serde_json::from_str(text).unwrap();
    let lambda = array::<3>(&fixture["lambda"]);
    assert_eq!(
        lambda,
        [
            params.risk_static_drop,
            params.risk_dynamic_jitter,
            params.risk_ai_uncertainty
        ]
    );
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= 500);
    for case in cases {
        let members: Vec<&Technology> = case["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| kb.technology(m.as_str().unwrap()).unwrap())
            .collect();
        let tensor = compose_stack(&members);
        let theta = array::<CONCEPT_COUNT>(&case["theta"]);
        let focus = if case["vector"].is_null() {
            RiskFocus::whole()
        } else {
            RiskFocus::scenario(
                &array::<SCENE_COUNT>(&case["vector"]),
                &array::<CONCEPT_COUNT>(&case["weights"]),
            )
        };
        let r = risk(&tensor, &theta, params, &focus).unwrap();
        let what = format!("{} in {}", case["members"], case["scenario"]);
        for (got, key) in [
            (r.static_drop, "static_drop"),
            (r.dynamic_jitter, "dynamic_jitter"),
            (r.ai_uncertainty, "ai_uncertainty"),
            (r.linear, "linear"),
            (r.risk, "risk"),
        ] {
            let want = case[key].as_f64().unwrap();
            assert!((got - want).abs() < 1e-9, "{what}: {key} {got} vs {want}");
        }
    }
}

fn chains() -> Vec<MaturityTensor> {
    stackmatrix_model::builtin()
        .unwrap()
        .chains()
        .map(|t| t.maturity.clone())
        .collect()
}

proptest! {
    #[test]
    fn risk_is_in_the_open_unit_interval_and_falls_as_theta_rises(
        chain in 0usize..6,
        theta in prop::array::uniform12(0.0f64..=1.0),
        concept in 0usize..CONCEPT_COUNT,
        raise in 0.0f64..=1.0,
        vector in prop::array::uniform6(0.0f64..=3.0),
        weights in prop::array::uniform12(0.0f64..=2.0),
        scale in 0.1f64..10.0,
    ) {
        let params = stackmatrix_model::builtin().unwrap().tables.parameters;
        let tensors = chains();
        let t = &tensors[chain % tensors.len()];
        let mut higher = theta;
        higher[concept] = theta[concept] + (1.0 - theta[concept]) * raise;
        let mut foci = vec![RiskFocus::whole()];
        if vector.iter().any(|v| *v > 0.0) && weights.iter().any(|w| *w > 0.0) {
            foci.push(RiskFocus::scenario(&vector, &weights));
        }
        for focus in &foci {
            let r = risk(t, &theta, &params, focus).unwrap();
            prop_assert!(r.risk > 0.0 && r.risk < 1.0);
            prop_assert!(r.static_drop >= 0.0 && r.dynamic_jitter >= 0.0 && r.ai_uncertainty >= 0.0);
            let h = risk(t, &higher, &params, focus).unwrap();
            prop_assert!(h.risk <= r.risk + 1e-15, "{} > {}", h.risk, r.risk);
        }
        if foci.len() == 2 {
            let scaled = vector.map(|v| v * scale);
            let a = risk(t, &theta, &params, &foci[1]).unwrap();
            let b = risk(t, &theta, &params, &RiskFocus::scenario(&scaled, &weights)).unwrap();
            prop_assert!((a.risk - b.risk).abs() < 1e-12);
        }
    }
}
