//! Weights, AHP and rank correlations agree with pymcdm 1.4.0 within 1e-9.
//!
//! `tests/fixtures/pymcdm/weights.json` is written by `tests/fixtures/pymcdm/make_weights.py`
//! (its docstring says how to regenerate it) from seeded random decision matrices, rankings and
//! pairwise comparison matrices, through every objective weighting method, every rank
//! correlation, AHP (eigenvalues checked against numpy on its own) and RANCOM. A `null` in the
//! fixture is an input pymcdm cannot weigh (it raises, warns or returns NaN): the engine must
//! refuse it.

use serde::Deserialize;
use stackmatrix_engine::mcdm::{
    ahp, analyse, rancom_weights, weights_similarity, weights_similarity_symmetric, AhpError,
    CriterionType, DecisionMatrix, PairwiseComparisons, RandomIndex, RankCorrelation,
    WeightingMethod,
};
use std::collections::BTreeMap;

/// Agreement required with pymcdm.
const TOLERANCE: f64 = 1e-9;

#[derive(Debug, Deserialize)]
struct Fixture {
    pymcdm: String,
    weights: Vec<WeightCase>,
    correlations: Vec<CorrelationCase>,
    weight_similarity: Vec<SimilarityCase>,
    ahp: Vec<AhpCase>,
    ahp_from_ranking: Vec<RankingAhpCase>,
    rancom: Vec<RancomCase>,
}

#[derive(Debug, Deserialize)]
struct WeightCase {
    name: String,
    types: Vec<i32>,
    matrix: Vec<Vec<f64>>,
    weights: BTreeMap<String, Option<Vec<f64>>>,
}

#[derive(Debug, Deserialize)]
struct CorrelationCase {
    name: String,
    x: Vec<f64>,
    y: Vec<f64>,
    values: BTreeMap<String, Option<f64>>,
}

#[derive(Debug, Deserialize)]
struct SimilarityCase {
    w0: Vec<f64>,
    w1: Vec<f64>,
    wsc: f64,
    wsc2: f64,
}

#[derive(Debug, Deserialize)]
struct AhpCase {
    name: String,
    labels: Vec<String>,
    matrix: Vec<Vec<f64>>,
    weights: Vec<f64>,
    lambda_max: f64,
    ci: f64,
    cr: f64,
    cr_saaty: f64,
    least_consistent: Vec<WorstJudgement>,
}

#[derive(Debug, Deserialize)]
struct WorstJudgement {
    row: usize,
    column: usize,
    implied: f64,
    deviation: f64,
}

#[derive(Debug, Deserialize)]
struct RankingAhpCase {
    ranking: Vec<f64>,
    matrix: Vec<Vec<f64>>,
    weights: Vec<f64>,
}

#[derive(Debug, Deserialize)]
struct RancomCase {
    ranking: Vec<f64>,
    weights: Vec<f64>,
}

fn fixture() -> Fixture {
    let f: Fixture = serde_json::from_str(include_str!("fixtures/pymcdm/weights.json"))
        .expect("tests/fixtures/pymcdm/weights.json parses");
    assert_eq!(f.pymcdm, "1.4.0");
    f
}

/// Largest absolute difference seen so far, with where.
#[derive(Default)]
struct Worst {
    diff: f64,
    at: String,
    compared: usize,
}

impl Worst {
    fn check(&mut self, what: &str, got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len(), "{what}: {got:?} vs {want:?}");
        for (g, w) in got.iter().zip(want) {
            let d = (g - w).abs();
            assert!(d <= TOLERANCE, "{what}: got {got:?}, pymcdm {want:?}");
            if d > self.diff {
                self.diff = d;
                self.at = what.to_string();
            }
            self.compared += 1;
        }
    }
}

fn names(k: usize, prefix: &str) -> Vec<String> {
    (0..k).map(|i| format!("{prefix}{i}")).collect()
}

fn decision_matrix(case: &WeightCase) -> DecisionMatrix {
    let types = case
        .types
        .iter()
        .map(|&t| match t {
            1 => CriterionType::Benefit,
            -1 => CriterionType::Cost,
            other => panic!("{}: type {other}", case.name),
        })
        .collect();
    DecisionMatrix::new(
        names(case.matrix.len(), "a"),
        names(case.types.len(), "c"),
        types,
        case.matrix.clone(),
    )
    .expect("a valid fixture matrix")
}

#[test]
fn objective_weights_match_pymcdm() {
    let f = fixture();
    let mut worst = Worst::default();
    let (mut matched, mut refused) = (0, 0);
    for case in &f.weights {
        let m = decision_matrix(case);
        assert_eq!(
            case.weights.len(),
            WeightingMethod::ALL.len(),
            "{}",
            case.name
        );
        for method in WeightingMethod::ALL {
            let want = case
                .weights
                .get(method.name())
                .unwrap_or_else(|| panic!("{}: no {}", case.name, method.name()));
            let what = format!("{} / {}", case.name, method.name());
            match (method.weights(&m), want) {
                (Ok(got), Some(want)) => {
                    worst.check(&what, &got, want);
                    matched += 1;
                }
                (Err(_), None) => refused += 1,
                (Ok(got), None) => panic!("{what}: pymcdm cannot weigh this, got {got:?}"),
                (Err(e), Some(want)) => panic!("{what}: refused ({e}); pymcdm gives {want:?}"),
            }
        }
    }
    assert!(
        matched >= 100 && refused >= 8,
        "{matched} matched, {refused} refused"
    );
    eprintln!(
        "weights: {matched} vectors match, {refused} refusals; max |diff| {:e} at {}",
        worst.diff, worst.at
    );
}

#[test]
fn rank_correlations_match_pymcdm() {
    let f = fixture();
    let mut worst = Worst::default();
    let (mut matched, mut refused) = (0, 0);
    for case in &f.correlations {
        assert_eq!(
            case.values.len(),
            RankCorrelation::ALL.len(),
            "{}",
            case.name
        );
        for c in RankCorrelation::ALL {
            let want = case.values[c.name()];
            let what = format!("{} / {}", case.name, c.name());
            match (c.compute(&case.x, &case.y), want) {
                (Ok(got), Some(want)) => {
                    worst.check(&what, &[got], &[want]);
                    matched += 1;
                }
                (Err(_), None) => refused += 1,
                (Ok(got), None) => panic!("{what}: undefined in pymcdm, got {got}"),
                (Err(e), Some(want)) => panic!("{what}: refused ({e}); pymcdm gives {want}"),
            }
        }
    }
    for (k, case) in f.weight_similarity.iter().enumerate() {
        let got = [
            weights_similarity(&case.w0, &case.w1).unwrap(),
            weights_similarity_symmetric(&case.w0, &case.w1).unwrap(),
        ];
        worst.check(
            &format!("weight similarity #{k}"),
            &got,
            &[case.wsc, case.wsc2],
        );
    }
    assert!(
        matched >= 60 && refused >= 3,
        "{matched} matched, {refused} refused"
    );
    eprintln!(
        "correlations: {matched} values match, {refused} refusals, {} similarities; max |diff| {:e} at {}",
        f.weight_similarity.len(),
        worst.diff,
        worst.at
    );
}

#[test]
fn ahp_matches_pymcdm_and_numpy() {
    let f = fixture();
    let mut worst = Worst::default();
    let mut refused = 0;
    for case in &f.ahp {
        let c = PairwiseComparisons::new(case.labels.clone(), case.matrix.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let a = analyse(&c, RandomIndex::TummalaLing1998).unwrap();
        worst.check(
            &format!("{} / weights", case.name),
            &a.weights,
            &case.weights,
        );
        worst.check(
            &format!("{} / lambda_max, CI, CR", case.name),
            &[a.lambda_max, a.consistency_index, a.consistency_ratio],
            &[case.lambda_max, case.ci, case.cr],
        );
        let saaty = analyse(&c, RandomIndex::Saaty1980).unwrap();
        worst.check(
            &format!("{} / CR (Saaty)", case.name),
            &[saaty.consistency_ratio],
            &[case.cr_saaty],
        );
        match ahp(&c) {
            Ok(_) => assert!(case.cr <= 0.1, "{}: CR {} accepted", case.name, case.cr),
            Err(AhpError::Inconsistent {
                cr,
                least_consistent,
                ..
            }) => {
                refused += 1;
                assert!(case.cr > 0.1, "{}: CR {} refused", case.name, case.cr);
                assert!((cr - case.cr).abs() <= TOLERANCE);
                assert_eq!(least_consistent.len(), 3, "{}", case.name);
                let pair = |r: usize, c: usize| (r.min(c), r.max(c));
                let mut got: Vec<_> = least_consistent
                    .iter()
                    .map(|j| pair(j.row, j.column))
                    .collect();
                let mut want: Vec<_> = case
                    .least_consistent
                    .iter()
                    .map(|j| pair(j.row, j.column))
                    .collect();
                if case.labels.len() == 3 {
                    // Every judgement of a 3x3 matrix deviates by the same amount.
                    got.sort();
                    want.sort();
                }
                assert_eq!(got, want, "{}", case.name);
                for w in &case.least_consistent {
                    let g = least_consistent
                        .iter()
                        .find(|g| pair(g.row, g.column) == pair(w.row, w.column))
                        .expect("the same pair");
                    let implied = if g.row == w.row {
                        g.implied
                    } else {
                        1.0 / g.implied
                    };
                    worst.check(
                        &format!("{} / worst judgements", case.name),
                        &[g.deviation, implied],
                        &[w.deviation, w.implied],
                    );
                }
            }
            Err(e) => panic!("{}: {e}", case.name),
        }
    }
    assert!(
        f.ahp.len() >= 15 && refused >= 5,
        "{} cases, {refused} refused",
        f.ahp.len()
    );
    for case in &f.ahp_from_ranking {
        let labels = names(case.ranking.len(), "k");
        let c = PairwiseComparisons::from_ranking(labels, &case.ranking).unwrap();
        let n = c.size();
        let got: Vec<f64> = (0..n * n).map(|k| c.get(k / n, k % n)).collect();
        let want: Vec<f64> = case.matrix.iter().flatten().copied().collect();
        let what = format!("AHP from ranking {:?}", case.ranking);
        worst.check(&what, &got, &want);
        let a = analyse(&c, RandomIndex::default()).unwrap();
        worst.check(&what, &a.weights, &case.weights);
    }
    for case in &f.rancom {
        let got = rancom_weights(&case.ranking).unwrap();
        worst.check(&format!("RANCOM {:?}", case.ranking), &got, &case.weights);
    }
    eprintln!(
        "AHP: {} matrices ({refused} refused), {} from rankings, {} RANCOM; max |diff| {:e} at {}",
        f.ahp.len(),
        f.ahp_from_ranking.len(),
        f.rancom.len(),
        worst.diff,
        worst.at
    );
}

fn labels(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_inconsistent_matrix_is_refused_with_its_worst_judgements() {
    let f = fixture();
    let case = f.ahp.iter().find(|c| c.name == "inconsistent 4x4").unwrap();
    let c = PairwiseComparisons::new(case.labels.clone(), case.matrix.clone()).unwrap();
    let e = ahp(&c).unwrap_err();
    let text = e.to_string();
    // S is said to be 7 times as important as I, and R to matter a third of C, where the other
    // judgements (I over R over S over C, each by 2) put S only slightly above I.
    assert!(text.contains("CR = 0.966 > 0.1"), "{text}");
    assert!(
        text.contains(
            "the least consistent judgements are S vs I: you said 7, the other judgements imply \
             1.5; R vs S: you said 2, the other judgements imply 1/2.3; I vs C: you said 8, the \
             other judgements imply 2.0"
        ),
        "{text}"
    );
    let AhpError::Inconsistent {
        least_consistent, ..
    } = &e
    else {
        panic!("{e}")
    };
    let named: Vec<String> = least_consistent
        .iter()
        .map(|j| format!("{} vs {}", j.row_label, j.column_label))
        .collect();
    assert_eq!(named, ["S vs I", "R vs S", "I vs C"], "{text}");
    for j in least_consistent {
        assert!(text.contains(&j.to_string()), "{text}");
    }
    // Accepted when the threshold allows it; the analysis itself never refuses.
    let a = analyse(&c, RandomIndex::Saaty1980).unwrap();
    assert!(!a.is_consistent(0.1) && a.consistency_ratio > 0.9);
}

#[test]
fn malformed_matrices_are_refused_naming_the_cell() {
    let abc = || labels(&["cost", "speed", "risk"]);
    let ok = vec![
        vec![1.0, 3.0, 5.0],
        vec![1.0 / 3.0, 1.0, 2.0],
        vec![0.2, 0.5, 1.0],
    ];
    assert!(PairwiseComparisons::new(abc(), ok.clone()).is_ok());
    let refuse = |rows: Vec<Vec<f64>>| PairwiseComparisons::new(abc(), rows).unwrap_err();
    let with = |i: usize, j: usize, v: f64| {
        let mut rows = ok.clone();
        rows[i][j] = v;
        rows
    };

    let e = refuse(ok[..2].to_vec());
    assert!(
        matches!(
            e,
            AhpError::RowCount {
                found: 2,
                expected: 3
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("square"), "{e}");
    let mut short = ok.clone();
    short[1].pop();
    let e = refuse(short);
    assert!(
        e.to_string().contains("row 'speed'") && e.to_string().contains("2 values"),
        "{e}"
    );

    let e = refuse(with(2, 0, -0.2));
    assert!(matches!(e, AhpError::NotPositive(_)), "{e}");
    assert!(
        e.to_string().contains("'risk' vs 'cost' (row 3, column 1)"),
        "{e}"
    );
    let e = refuse(with(0, 1, 0.0));
    assert!(
        matches!(e, AhpError::NotPositive(ref c) if c.row == 0 && c.column == 1),
        "{e}"
    );
    let e = refuse(with(1, 2, f64::NAN));
    assert!(matches!(e, AhpError::NotFinite(_)), "{e}");

    let e = refuse(with(1, 1, 2.0));
    assert!(
        matches!(e, AhpError::Diagonal(ref c) if c.row == 1 && c.column == 1),
        "{e}"
    );
    assert!(e.to_string().contains("'speed' vs 'speed'"), "{e}");

    let e = refuse(with(2, 1, 0.4));
    assert!(
        matches!(e, AhpError::NotReciprocal { ref cell, .. } if cell.row == 1 && cell.column == 2),
        "{e}"
    );
    assert!(
        e.to_string().contains("'speed' vs 'risk'") && e.to_string().contains("should be 0.5"),
        "{e}"
    );
    // Within 1e-9 is reciprocal enough; 1e-6 off is not.
    assert!(PairwiseComparisons::new(abc(), with(2, 1, 0.5 + 1e-12)).is_ok());
    assert!(PairwiseComparisons::new(abc(), with(2, 1, 0.5 + 1e-6)).is_err());

    let mut wide = ok.clone();
    wide[0][2] = 12.0;
    wide[2][0] = 1.0 / 12.0;
    let e = refuse(wide);
    assert!(
        matches!(e, AhpError::OutOfScale(ref c) if c.row == 0 && c.column == 2),
        "{e}"
    );

    assert!(matches!(
        PairwiseComparisons::new(vec![], vec![]),
        Err(AhpError::Empty)
    ));
    let big = 16;
    let ones = vec![vec![1.0; big]; big];
    let c = PairwiseComparisons::new(names(big, "k"), ones).unwrap();
    assert!(matches!(
        ahp(&c),
        Err(AhpError::TooLarge { n: 16, max: 15, .. })
    ));
}

#[test]
fn weights_sum_to_one_and_rank_ties_are_handled() {
    let f = fixture();
    for case in &f.weights {
        let m = decision_matrix(case);
        for method in WeightingMethod::ALL {
            if let Ok(w) = method.weights(&m) {
                assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{}", case.name);
            }
        }
    }
    // Spearman on average ranks is Pearson on them; tau-a keeps tied pairs in the denominator.
    let x = [1.0, 2.5, 2.5, 4.0];
    let y = [1.0, 2.0, 3.0, 4.0];
    let rs = RankCorrelation::Spearman.compute(&x, &y).unwrap();
    let r = RankCorrelation::Pearson.compute(&x, &y).unwrap();
    assert_eq!(rs, r);
    let tau = RankCorrelation::KendallTau.compute(&x, &y).unwrap();
    assert!((tau - 5.0 / 6.0).abs() < 1e-12, "{tau}");
}
