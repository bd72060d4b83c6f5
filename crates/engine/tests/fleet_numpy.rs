//! Fleet mapping, chain scores and score distributions against numpy
//! (fixtures/fleet/make_fleet.py), within 1e-9; and properties of the distribution.

use proptest::prelude::*;
use serde_json::Value;
use stackmatrix_engine::fleet::{
    mapped_row, match_rules, score_rule_set, Cell, FleetOptions, ScoreDistribution,
};
use stackmatrix_model::FleetRules;

fn fixture() -> Value {
    let text = include_str!("fixtures/fleet/fleet.json");
    serde_json::from_str(text).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9
}

#[test]
fn rows_map_and_score_as_numpy_computes_them() {
    let kb = stackmatrix_model::builtin().unwrap();
    let rules = FleetRules::builtin();
    let doc = fixture();
    let cases = doc["rows"].as_array().unwrap();
    assert_eq!(cases.len(), 300);
    for case in cases {
        let row = &case["row"];
        let texts: Vec<String> = rules
            .columns
            .iter()
            .map(|c| row[&c.name].as_str().unwrap_or("").to_string())
            .collect();
        let cells: Vec<Cell> = texts.iter().map(|t| Cell::Text(t)).collect();
        let set = match_rules(&rules, &cells).unwrap();
        let matched: Vec<u64> = (0..rules.rules.len() as u64)
            .filter(|i| set & (1 << i) != 0)
            .collect();
        let expected: Vec<u64> = case["matched"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(matched, expected, "{row}");
        let mapped = mapped_row(&rules, set);
        for (a, b) in mapped.vector.iter().zip(case["vector"].as_array().unwrap()) {
            assert!(close(*a, b.as_f64().unwrap()), "{row}");
        }
        let require: Vec<&str> = case["require"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(mapped.require, require, "{row}");
        let out = score_rule_set(
            &rules,
            &kb,
            set,
            FleetOptions {
                top: 1,
                stacks: false,
            },
        )
        .unwrap();
        assert_eq!(out.top[0].id, case["best_chain"].as_str().unwrap(), "{row}");
        assert!(
            close(out.top[0].score, case["best_score"].as_f64().unwrap()),
            "{row}: {} vs {}",
            out.top[0].score,
            case["best_score"]
        );
    }
}

#[test]
fn distributions_match_numpy() {
    let doc = fixture();
    for d in doc["distributions"].as_array().unwrap() {
        let pairs: Vec<(f64, u64)> = d["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_u64().unwrap()))
            .collect();
        let got = ScoreDistribution::from_counts(&pairs).unwrap();
        assert_eq!(got.rows, d["rows"].as_u64().unwrap());
        assert!(close(got.min, d["min"].as_f64().unwrap()));
        assert!(close(got.max, d["max"].as_f64().unwrap()));
        assert!(
            close(got.mean, d["mean"].as_f64().unwrap()),
            "{} {}",
            got.mean,
            d["mean"]
        );
        for (q, e) in got.quantiles.iter().zip(d["quantiles"].as_array().unwrap()) {
            assert!(
                close(q.score, e.as_f64().unwrap()),
                "q{} {} vs {e}",
                q.q,
                q.score
            );
        }
        let hist: Vec<u64> = got.histogram.iter().map(|b| b.rows).collect();
        let expected: Vec<u64> = d["histogram"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(hist, expected);
    }
}

proptest! {
    /// Quantiles are ordered and within [min, max]; the histogram counts every row; the result
    /// does not depend on the order of the pairs.
    #[test]
    fn distributions_are_consistent(
        pairs in prop::collection::vec((0.0f64..=10.0, 0u64..50), 1..30),
        rotate in 0usize..30,
    ) {
        let got = ScoreDistribution::from_counts(&pairs);
        let rows: u64 = pairs.iter().map(|p| p.1).sum();
        prop_assume!(rows > 0);
        let got = got.unwrap();
        prop_assert_eq!(got.rows, rows);
        prop_assert_eq!(got.histogram.iter().map(|b| b.rows).sum::<u64>(), rows);
        let mut last = got.min;
        for q in &got.quantiles {
            prop_assert!(q.score >= last && q.score <= got.max);
            last = q.score;
        }
        prop_assert!(got.mean >= got.min - 1e-9 && got.mean <= got.max + 1e-9);
        let mut turned = pairs.clone();
        let k = rotate % turned.len();
        turned.rotate_left(k);
        let again = ScoreDistribution::from_counts(&turned).unwrap();
        prop_assert_eq!(again.quantiles, got.quantiles);
        prop_assert_eq!(again.histogram, got.histogram);
    }

    /// Any text in any cell maps to a rule set or to an error naming a column of the rules;
    /// never a panic.
    #[test]
    fn any_row_maps_or_says_which_column(cells in prop::collection::vec(".{0,8}", 8)) {
        let rules = FleetRules::builtin();
        let cells: Vec<Cell> = cells.iter().map(|t| Cell::Text(t)).collect();
        match match_rules(&rules, &cells) {
            Ok(set) => prop_assert!(set < (1u128 << rules.rules.len())),
            Err(e) => prop_assert!(rules.columns.iter().any(|c| c.name == e.column)),
        }
    }
}

proptest! {
    /// The columnar kernel gives the row path's rule set for every row it does not flag, and
    /// flags every row the row path rejects.
    #[test]
    fn columns_match_as_rows_do(
        rows in prop::collection::vec(
            (
                prop_oneof![Just(f64::NAN), -1.0f64..100.0],
                prop_oneof![Just(f64::NAN), Just(1.0f64), Just(4.0f64), 0.0f64..8.0],
                0u8..5,
                0u8..3,
                prop_oneof![Just(i64::MIN), -1i64..9],
                prop_oneof![Just(i64::MIN), 0i64..40],
                prop_oneof![Just(f64::NAN), Just(20.0f64), 0.0f64..100.0],
                prop_oneof![Just(255u8), 0u8..7],
            ),
            1..300,
        )
    ) {
        use stackmatrix_engine::fleet::{columnar_cell, match_rules_columnar, widen, TypedColumn};
        let rules = FleetRules::builtin();
        let net_values: Vec<String> = ["stable", "intermittent", "offline", " stable", "wifi"]
            .iter().map(|s| s.to_string()).collect();
        let wl_values: Vec<String> = ["service", "batch", "inference", "function", "ci", "dev", ""]
            .iter().map(|s| s.to_string()).collect();
        let cpu: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let mem: Vec<f64> = rows.iter().map(|r| r.1).collect();
        let net: Vec<u8> = rows.iter().map(|r| if r.2 == 4 { 255 } else { r.2 }).collect();
        let off: Vec<u8> = rows.iter().map(|r| r.3).collect();
        let gpus: Vec<i64> = rows.iter().map(|r| r.4).collect();
        let ten: Vec<i64> = rows.iter().map(|r| r.5).collect();
        let lat: Vec<f64> = rows.iter().map(|r| r.6).collect();
        let wl: Vec<u8> = rows.iter().map(|r| r.7).collect();
        let cols = [
            TypedColumn::F64(&cpu),
            TypedColumn::F64(&mem),
            TypedColumn::Text(&net, &net_values),
            TypedColumn::Bool(&off),
            TypedColumn::I64(&gpus),
            TypedColumn::I64(&ten),
            TypedColumn::F64(&lat),
            TypedColumn::Text(&wl, &wl_values),
        ];
        let mut sets = vec![0u32; rows.len()];
        let mut bad = vec![false; rows.len()];
        match_rules_columnar(&rules, &cols, &mut sets, &mut bad);
        for r in 0..rows.len() {
            let cells: Vec<Cell> = cols.iter().map(|c| columnar_cell(c, r)).collect();
            match match_rules(&rules, &cells) {
                Ok(set) => prop_assert!(bad[r] || widen(sets[r]) == set, "row {}", r),
                Err(_) => prop_assert!(bad[r], "row {} not flagged", r),
            }
        }
    }
}
