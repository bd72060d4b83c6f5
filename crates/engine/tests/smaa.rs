//! SMAA-2 and weight stability.
//!
//! * Cross-check: `tests/fixtures/smaa/smaa.json` is written by
//!   `tests/fixtures/smaa/smaa_numpy.py`, an independent vectorised numpy SMAA-2 of the same
//!   definition with its own random numbers (numpy's PCG64). The acceptability indices, central
//!   weights and confidence factors must agree within 4 combined standard errors. Regenerate
//!   with `python3 crates/engine/tests/fixtures/smaa/smaa_numpy.py` after changing the
//!   knowledge base or the definition.
//! * Properties: identical results on 1, 2 and 4 threads; rows and columns of the acceptability
//!   matrix sum to 1; a dominant alternative is first in every sample; with no spread and fixed
//!   weights SMAA is the deterministic ranking, ties shared.
//! * Weight stability against a brute-force sweep of each weight.

use serde::Deserialize;
use stackmatrix_engine::{
    rank_technologies, ranking_weight_stability, smaa_rank, smaa_values, weight_stability,
    weighted_score, ScenarioInput, SmaaAlternative, SmaaError, SmaaOptions, SmaaResult, Spread,
    ValueMatrix, WeightModel, TIE_TOLERANCE,
};
use stackmatrix_model::{
    builtin, KnowledgeBase, ProvenanceKind, Technology, TimeMode, CONCEPT_COUNT,
};
use std::sync::{Mutex, OnceLock};

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| builtin().expect("the built-in knowledge base loads"))
}

#[derive(Debug, Deserialize)]
struct Fixture {
    tie_tolerance: f64,
    spread: FixtureSpread,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct FixtureSpread {
    published: f64,
    estimated: f64,
    measured: f64,
}

#[derive(Debug, Deserialize)]
struct FixtureWeights {
    model: String,
    weights: Option<Vec<f64>>,
    concentration: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    scenario: String,
    alternatives: Vec<String>,
    weights: FixtureWeights,
    vector: Vec<f64>,
    matrices: Vec<Vec<Vec<f64>>>,
    row_kinds: Vec<Vec<String>>,
    samples: u64,
    confidence_samples: u64,
    acceptability: Vec<Vec<f64>>,
    central_weights: Vec<Option<Vec<f64>>>,
    central_weight_sd: Vec<Option<Vec<f64>>>,
    confidence: Vec<Option<f64>>,
}

fn fixture() -> Fixture {
    serde_json::from_str(include_str!("fixtures/smaa/smaa.json"))
        .expect("tests/fixtures/smaa/smaa.json holds the numpy cases")
}

/// The alternatives of a case, built by the engine from the knowledge base.
fn alternatives(ids: &[String], mode: TimeMode) -> Vec<SmaaAlternative> {
    let kb = kb();
    ids.iter()
        .map(|id| {
            let members: Vec<&Technology> = id
                .split('+')
                .map(|m| kb.technology(m).expect("a known technology"))
                .collect();
            if members.len() == 1 {
                SmaaAlternative::from_technology(members[0], mode, &kb.tables.parameters)
            } else {
                SmaaAlternative::from_stack(id.clone(), &members, mode, &kb.tables.parameters)
            }
            .expect("every concept covered")
        })
        .collect()
}

fn scene_vector(scenario: &str) -> ([f64; 6], TimeMode) {
    let s = kb().scenario(scenario).expect("a known scenario");
    let p = ScenarioInput::from_scenario(s)
        .prepare(kb())
        .expect("valid");
    (p.vector, p.time_mode())
}

/// Samples of the engine's run in the cross-check (debug builds are slow; the numpy side has
/// 200,000).
const RUST_SAMPLES: u64 = 100_000;
/// Agreement required, in combined standard errors.
const SIGMAS: f64 = 4.0;

#[test]
fn agrees_with_the_numpy_reference_within_monte_carlo_error() {
    let fx = fixture();
    assert_eq!(fx.tie_tolerance, TIE_TOLERANCE);
    let spread = Spread::default();
    assert_eq!(
        (spread.published, spread.estimated, spread.measured),
        (fx.spread.published, fx.spread.estimated, fx.spread.measured),
        "the fixture uses the default spreads"
    );
    let mut report = Vec::new();
    for (k, case) in fx.cases.iter().enumerate() {
        let (vector, mode) = scene_vector(&case.scenario);
        for (a, b) in vector.iter().zip(&case.vector) {
            assert!((a - b).abs() < 1e-15, "{}: scene vector", case.name);
        }
        let alts = alternatives(&case.alternatives, mode);
        // The same problem: matrices and row kinds.
        for (alt, (m, kinds)) in alts.iter().zip(case.matrices.iter().zip(&case.row_kinds)) {
            for (row, want) in alt.matrix.iter().zip(m) {
                for (a, b) in row.iter().zip(want) {
                    assert!((a - b).abs() < 1e-12, "{}: matrix of {}", case.name, alt.id);
                }
            }
            let got: Vec<&str> = alt.row_kinds.iter().map(|k| k.key()).collect();
            assert_eq!(got, *kinds, "{}: row kinds of {}", case.name, alt.id);
        }
        let weights = match case.weights.model.as_str() {
            "uniform" => WeightModel::Uniform,
            "dirichlet" => WeightModel::Dirichlet {
                weights: case.weights.weights.clone().expect("weights"),
                concentration: case.weights.concentration.expect("concentration"),
            },
            other => panic!("unknown weight model {other}"),
        };
        let options = SmaaOptions {
            samples: RUST_SAMPLES,
            confidence_samples: RUST_SAMPLES,
            seed: 1000 + k as u64,
            weights,
        };
        let r = smaa_rank(&alts, &vector, &spread, &options, &|_| {}).expect("runs");
        let (nr, np) = (r.samples as f64, case.samples as f64);

        // Acceptability: binomial standard errors of both estimates, with the pooled p.
        let mut worst_b = (0.0f64, String::new());
        for (i, (got, want)) in r.acceptability.iter().zip(&case.acceptability).enumerate() {
            for (rank, (g, w)) in got.iter().zip(want).enumerate() {
                let p = (g * nr + w * np) / (nr + np);
                let se = (p * (1.0 - p) * (1.0 / nr + 1.0 / np)).sqrt();
                let dev = if se > 0.0 { (g - w).abs() / se } else { 0.0 };
                assert!(
                    (g - w).abs() <= SIGMAS * se,
                    "{}: b[{}][{}] engine {g}, numpy {w} ({dev:.2} standard errors)",
                    case.name,
                    case.alternatives[i],
                    rank + 1
                );
                if dev > worst_b.0 {
                    worst_b = (dev, format!("b[{}][{}]", case.alternatives[i], rank + 1));
                }
            }
        }

        // Central weights: standard error of a conditional mean, sd / √(N b¹), from both runs.
        let mut worst_w = (0.0f64, String::new());
        for i in 0..alts.len() {
            let (Some(g), Some(w), Some(sd)) = (
                &r.central_weights[i],
                &case.central_weights[i],
                &case.central_weight_sd[i],
            ) else {
                continue;
            };
            let (cr, cn) = (r.acceptability[i][0] * nr, case.acceptability[i][0] * np);
            if cr < 1000.0 || cn < 1000.0 {
                continue; // too few first places for a normal approximation
            }
            for c in 0..CONCEPT_COUNT {
                let se = sd[c] * (1.0 / cr + 1.0 / cn).sqrt();
                let dev = (g[c] - w[c]).abs() / se;
                assert!(
                    dev <= SIGMAS,
                    "{}: central weight {} of {}: engine {}, numpy {} ({dev:.2} standard errors)",
                    case.name,
                    c,
                    case.alternatives[i],
                    g[c],
                    w[c]
                );
                if dev > worst_w.0 {
                    worst_w = (dev, format!("w_c[{}][{c}]", case.alternatives[i]));
                }
            }
        }

        // Confidence factors: binomial standard errors. (Each side evaluates at its own central
        // weights, which differ by their own Monte Carlo error; only well-estimated ones count.)
        let mut worst_p = (0.0f64, String::new());
        let nc = (r.confidence_samples as f64, case.confidence_samples as f64);
        for i in 0..alts.len() {
            let (Some(g), Some(w)) = (r.confidence[i], case.confidence[i]) else {
                continue;
            };
            if r.acceptability[i][0] * nr < 1000.0 || case.acceptability[i][0] * np < 1000.0 {
                continue;
            }
            let p = (g * nc.0 + w * nc.1) / (nc.0 + nc.1);
            let se = (p * (1.0 - p) * (1.0 / nc.0 + 1.0 / nc.1)).sqrt();
            let dev = if se > 0.0 { (g - w).abs() / se } else { 0.0 };
            assert!(
                dev <= SIGMAS,
                "{}: confidence of {}: engine {g}, numpy {w} ({dev:.2} standard errors)",
                case.name,
                case.alternatives[i]
            );
            if dev > worst_p.0 {
                worst_p = (dev, case.alternatives[i].clone());
            }
        }
        report.push(format!(
            "{}: max deviation acceptability {:.2} SE ({}), central weights {:.2} SE ({}), \
             confidence {:.2} SE ({})",
            case.name, worst_b.0, worst_b.1, worst_w.0, worst_w.1, worst_p.0, worst_p.1
        ));
    }
    eprintln!("{}", report.join("\n"));
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let (vector, mode) = scene_vector("hybrid");
    let ids: Vec<String> = ["docker", "k3s", "k8s", "multitenant", "opa", "wasmedge"]
        .iter()
        .map(|s| s.to_string())
        .chain(["k3s+capsule+keda".to_string()])
        .collect();
    let alts = alternatives(&ids, mode);
    let mut weights = vec![1.0; CONCEPT_COUNT];
    weights[10] = 3.0;
    for model in [
        WeightModel::Uniform,
        WeightModel::Dirichlet {
            weights,
            concentration: 6.0,
        },
    ] {
        // Not a multiple of the chunk size: the last chunk is short.
        let options = SmaaOptions {
            samples: 3 * 4096 + 123,
            confidence_samples: 2 * 4096 + 7,
            seed: 42,
            weights: model,
        };
        let run = |threads: usize| -> (SmaaResult, Vec<u64>) {
            let seen = Mutex::new(Vec::new());
            let r = pool(threads).install(|| {
                smaa_rank(&alts, &vector, &Spread::default(), &options, &|done| {
                    seen.lock().unwrap().push(done)
                })
                .expect("runs")
            });
            (r, seen.into_inner().unwrap())
        };
        let (one, progress) = run(1);
        for threads in [2, 4] {
            let (r, p) = run(threads);
            assert_eq!(r, one, "{threads} threads");
            assert_eq!(p.last(), progress.last());
            assert!(p.windows(2).all(|w| w[0] < w[1]), "progress increases");
        }
        assert_eq!(progress.len(), 4 + 3, "one report per chunk");
        assert_eq!(*progress.last().unwrap(), options.total_samples());
        // A different seed gives a different result.
        let other = smaa_rank(
            &alts,
            &vector,
            &Spread::default(),
            &SmaaOptions {
                seed: 43,
                ..options
            },
            &|_| {},
        )
        .unwrap();
        assert_ne!(other.acceptability, one.acceptability);
    }
}

#[test]
fn acceptability_rows_and_columns_sum_to_one() {
    for scenario in ["edge", "hybrid", "prod"] {
        let (vector, mode) = scene_vector(scenario);
        let alts = SmaaAlternative::from_chains(kb().chains(), mode, &kb().tables.parameters);
        let r = smaa_rank(
            &alts,
            &vector,
            &Spread::default(),
            &SmaaOptions::new(20_000, 5),
            &|_| {},
        )
        .unwrap();
        let n = alts.len();
        for i in 0..n {
            let row: f64 = r.acceptability[i].iter().sum();
            let col: f64 = (0..n).map(|k| r.acceptability[k][i]).sum();
            assert!(
                (row - 1.0).abs() < 1e-12,
                "{scenario}: row {i} sums to {row}"
            );
            assert!(
                (col - 1.0).abs() < 1e-12,
                "{scenario}: column {i} sums to {col}"
            );
        }
        // Central weights sum to 1; every alternative with b¹ > 0 has one and a confidence.
        for i in 0..n {
            match &r.central_weights[i] {
                Some(w) => {
                    assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-9);
                    assert!(r.confidence[i].is_some());
                }
                None => assert_eq!(r.acceptability[i][0], 0.0),
            }
        }
        let s = r.summary();
        assert_eq!(
            s.first_acceptability,
            r.acceptability[s.most_likely_first][0]
        );
        assert!(r
            .acceptability
            .iter()
            .all(|b| b[0] <= s.first_acceptability));
    }
}

#[test]
fn a_dominant_alternative_is_always_first() {
    let m = ValueMatrix {
        ids: vec!["weak".into(), "strong".into(), "middle".into()],
        values: vec![vec![0.3; 4], vec![0.9; 4], vec![0.6; 4]],
        spreads: vec![vec![0.1; 4], vec![0.05; 4], vec![0.1; 4]],
        bounds: [0.0, 1.0],
    };
    let r = smaa_values(&m, &SmaaOptions::new(30_000, 9), &|_| {}).unwrap();
    assert_eq!(r.acceptability[1][0], 1.0);
    assert_eq!(
        r.acceptability[0][2], 1.0,
        "weak is dominated by middle too"
    );
    assert_eq!(r.acceptability[2][1], 1.0);
    assert_eq!(r.confidence[1], Some(1.0));
    assert_eq!(r.central_weights[0], None);
    assert_eq!(r.confidence[0], None);
    // The central weights of a sure winner are the mean of the uniform simplex: 1/4 each.
    for w in r.central_weights[1].as_ref().unwrap() {
        assert!((w - 0.25).abs() < 0.01, "{w}");
    }
    assert_eq!(r.summary().most_likely_first, 1);
    assert_eq!(r.summary().contenders, 1);
}

#[test]
fn without_spread_and_with_fixed_weights_smaa_is_the_deterministic_ranking() {
    let kb = kb();
    for scenario in &kb.scenarios {
        let prepared = ScenarioInput::from_scenario(scenario).prepare(kb).unwrap();
        let ranking = rank_technologies(kb.chains(), &prepared, &kb.tables.parameters);
        let alts =
            SmaaAlternative::from_chains(kb.chains(), prepared.time_mode(), &kb.tables.parameters);
        let options = SmaaOptions {
            samples: 500,
            confidence_samples: 100,
            seed: 1,
            weights: WeightModel::Fixed(prepared.weights.to_vec()),
        };
        let r = smaa_rank(&alts, &prepared.vector, &Spread::ZERO, &options, &|_| {}).unwrap();
        for (i, id) in r.ids.iter().enumerate() {
            let entry = ranking.entry(id).unwrap();
            let tied = ranking
                .entries
                .iter()
                .filter(|e| e.rank == entry.rank)
                .count();
            for (rank, b) in r.acceptability[i].iter().enumerate() {
                let inside = rank + 1 >= entry.rank && rank + 1 < entry.rank + tied;
                let want = if inside { 1.0 / tied as f64 } else { 0.0 };
                assert!(
                    (b - want).abs() < 1e-12,
                    "{}: {id} at rank {} has b = {b}, ranking rank {} (tied {tied})",
                    scenario.id,
                    rank + 1,
                    entry.rank
                );
            }
            if entry.rank == 1 {
                let w = r.central_weights[i].as_ref().unwrap();
                let total: f64 = prepared.weights.iter().sum();
                for (a, b) in w.iter().zip(&prepared.weights) {
                    assert!((a - b / total).abs() < 1e-12);
                }
                assert!((r.confidence[i].unwrap() - 1.0 / tied as f64).abs() < 1e-12);
            }
        }
    }
}

#[test]
fn identical_alternatives_share_their_ranks() {
    let m = ValueMatrix {
        ids: vec!["a".into(), "b".into(), "c".into()],
        values: vec![vec![0.5, 0.5], vec![0.5, 0.5], vec![0.1, 0.1]],
        spreads: vec![vec![0.0; 2]; 3],
        bounds: [0.0, 1.0],
    };
    let r = smaa_values(&m, &SmaaOptions::new(1000, 3), &|_| {}).unwrap();
    assert_eq!(r.acceptability[0], vec![0.5, 0.5, 0.0]);
    assert_eq!(r.acceptability[1], vec![0.5, 0.5, 0.0]);
    assert_eq!(r.acceptability[2], vec![0.0, 0.0, 1.0]);
    assert_eq!(r.confidence[0], Some(0.5));
}

#[test]
fn row_kinds_follow_provenance() {
    let kb = kb();
    let p = &kb.tables.parameters;
    let k3s = kb.technology("k3s").unwrap();
    let alt = SmaaAlternative::from_technology(k3s, TimeMode::Static, p).unwrap();
    assert!(alt
        .row_kinds
        .iter()
        .all(|k| *k == ProvenanceKind::Published));
    assert!(SmaaAlternative::from_technology(
        kb.technology("capsule").unwrap(),
        TimeMode::Static,
        p
    )
    .is_none());
    // K3s + OPA-Wasm: OPA-Wasm's estimated P row ties K3s's at the edge (0.9): estimated.
    let members = [k3s, kb.technology("opa-wasm").unwrap()];
    let stack = SmaaAlternative::from_stack("k3s+opa-wasm", &members, TimeMode::Static, p).unwrap();
    assert_eq!(stack.row_kinds[9], ProvenanceKind::Estimated);
    assert_eq!(stack.row_kinds[0], ProvenanceKind::Published);
}

#[test]
fn bad_input_is_refused() {
    let (vector, mode) = scene_vector("edge");
    let alts = SmaaAlternative::from_chains(kb().chains(), mode, &kb().tables.parameters);
    let run =
        |alts: &[SmaaAlternative], vector: &[f64; 6], spread: Spread, options: SmaaOptions| {
            smaa_rank(alts, vector, &spread, &options, &|_| {})
        };
    assert_eq!(
        run(&[], &vector, Spread::default(), SmaaOptions::new(10, 1)),
        Err(SmaaError::NoAlternatives)
    );
    assert_eq!(
        run(&alts, &vector, Spread::default(), SmaaOptions::new(0, 1)),
        Err(SmaaError::NoSamples)
    );
    assert_eq!(
        run(&alts, &[0.0; 6], Spread::default(), SmaaOptions::new(10, 1)),
        Err(SmaaError::AllZero("scene weight"))
    );
    let negative = Spread {
        estimated: -0.1,
        ..Spread::default()
    };
    assert!(matches!(
        run(&alts, &vector, negative, SmaaOptions::new(10, 1)),
        Err(SmaaError::Negative { .. })
    ));
    let mut options = SmaaOptions::new(10, 1);
    options.weights = WeightModel::Fixed(vec![1.0; 3]);
    assert!(matches!(
        run(&alts, &vector, Spread::default(), options.clone()),
        Err(SmaaError::Shape { .. })
    ));
    options.weights = WeightModel::Dirichlet {
        weights: vec![1.0; CONCEPT_COUNT],
        concentration: 0.0,
    };
    assert_eq!(
        run(&alts, &vector, Spread::default(), options),
        Err(SmaaError::Concentration(0.0))
    );
    let mut bad = alts.clone();
    bad[0].matrix[0][0] = 1.5;
    assert!(matches!(
        run(&bad, &vector, Spread::default(), SmaaOptions::new(10, 1)),
        Err(SmaaError::OutOfBounds { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Weight stability

/// A tiny deterministic generator for random instances (SplitMix64).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The leader by brute force: the first alternative within the tolerance of the best score.
fn leader(fits: &[[f64; CONCEPT_COUNT]], weights: &[f64; CONCEPT_COUNT]) -> (usize, Vec<f64>) {
    let scores: Vec<f64> = fits.iter().map(|f| weighted_score(f, weights)).collect();
    let best = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (
        scores
            .iter()
            .position(|s| best - s <= TIE_TOLERANCE)
            .unwrap(),
        scores,
    )
}

/// Sweeps each weight over a grid of shares and checks the intervals and who takes over.
fn check_by_sweep(fits: &[[f64; CONCEPT_COUNT]], weights: &[f64; CONCEPT_COUNT], what: &str) {
    let s = weight_stability(fits, weights).unwrap();
    let (a, _) = leader(fits, weights);
    assert_eq!(s.leader, a, "{what}");
    let total: f64 = weights.iter().sum();
    for (c, iv) in s.intervals.iter().enumerate() {
        let rest = total - weights[c];
        assert!(
            iv.lo_share <= iv.share && iv.share <= iv.hi_share,
            "{what}: {iv:?}"
        );
        assert!(iv.lo <= iv.weight && iv.weight <= iv.hi, "{what}: {iv:?}");
        if rest <= 0.0 {
            continue;
        }
        let at = |sigma: f64| {
            let mut w = *weights;
            // The other weights rescaled proportionally, the total fixed.
            for (k, x) in w.iter_mut().enumerate() {
                *x = if k == c {
                    sigma * total
                } else {
                    *x * (1.0 - sigma) * total / rest
                };
            }
            w
        };
        let on_top = |sigma: f64| {
            let (_, scores) = leader(fits, &at(sigma));
            let best = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            best - scores[a] <= TIE_TOLERANCE
        };
        const STEPS: usize = 4000;
        const MARGIN: f64 = 1e-6;
        for k in 0..=STEPS {
            let sigma = k as f64 / STEPS as f64;
            if (sigma - iv.lo_share).abs() < MARGIN || (sigma - iv.hi_share).abs() < MARGIN {
                continue;
            }
            let inside = sigma > iv.lo_share && sigma < iv.hi_share;
            assert_eq!(
                on_top(sigma),
                inside,
                "{what}: criterion {c} share {sigma}: interval [{}, {}]",
                iv.lo_share,
                iv.hi_share
            );
        }
        // Own units: t = σ R / (1 − σ) with the others as given.
        let own = |sigma: f64| sigma * rest / (1.0 - sigma);
        if iv.hi_share < 1.0 {
            assert!((iv.hi - own(iv.hi_share)).abs() <= 1e-9 * iv.hi.max(1.0));
        } else {
            assert_eq!(iv.hi, f64::INFINITY);
        }
        // Who takes over just beyond each end.
        match iv.below {
            Some(j) => {
                assert!(iv.lo_share > 0.0);
                let (l, _) = leader(fits, &at((iv.lo_share - MARGIN).max(0.0)));
                assert_eq!(l, j, "{what}: criterion {c} below {}", iv.lo_share);
            }
            None => assert!(iv.lo_share == 0.0 && on_top(0.0), "{what}: {iv:?}"),
        }
        match iv.above {
            Some(j) => {
                assert!(iv.hi_share < 1.0);
                let (l, _) = leader(fits, &at((iv.hi_share + MARGIN).min(1.0)));
                assert_eq!(l, j, "{what}: criterion {c} above {}", iv.hi_share);
            }
            None => assert!(iv.hi_share == 1.0 && on_top(1.0 - 1e-9), "{what}: {iv:?}"),
        }
    }
}

#[test]
fn weight_stability_matches_a_brute_force_sweep_on_the_knowledge_base() {
    let kb = kb();
    for scenario in &kb.scenarios {
        let prepared = ScenarioInput::from_scenario(scenario).prepare(kb).unwrap();
        let ranking = rank_technologies(kb.chains(), &prepared, &kb.tables.parameters);
        let s = ranking_weight_stability(&ranking).unwrap();
        assert_eq!(s.leader, 0);
        let fits: Vec<[f64; CONCEPT_COUNT]> = ranking.entries.iter().map(|e| e.fit).collect();
        check_by_sweep(&fits, &prepared.weights, &scenario.id);
        // Non-equal weights too.
        let mut w = prepared.weights;
        w[10] *= 3.0;
        w[3] *= 0.5;
        check_by_sweep(&fits, &w, &format!("{} reweighted", scenario.id));
    }
}

#[test]
fn weight_stability_matches_a_brute_force_sweep_on_random_instances() {
    let mut rng = Lcg(17);
    for case in 0..40 {
        let n = 2 + (rng.next() * 6.0) as usize;
        let fits: Vec<[f64; CONCEPT_COUNT]> = (0..n)
            .map(|_| std::array::from_fn(|_| (rng.next() * 10.0).round() / 10.0))
            .collect();
        let weights: [f64; CONCEPT_COUNT] = std::array::from_fn(|_| {
            if rng.next() < 0.15 {
                0.0
            } else {
                0.1 + rng.next() * 3.0
            }
        });
        check_by_sweep(&fits, &weights, &format!("random case {case}"));
    }
}

#[test]
fn edge_stability_reads_as_expected() {
    // In the edge scenario K3s leads WasmEdge by 8.75 to 8.67 with equal weights.
    let kb = kb();
    let prepared = ScenarioInput::from_scenario(kb.scenario("edge").unwrap())
        .prepare(kb)
        .unwrap();
    let ranking = rank_technologies(kb.chains(), &prepared, &kb.tables.parameters);
    let s = ranking_weight_stability(&ranking).unwrap();
    assert_eq!(ranking.entries[s.leader].id, "k3s");
    for iv in &s.intervals {
        assert!(iv.lo <= 1.0 && 1.0 <= iv.hi);
        assert!((iv.share - 1.0 / 12.0).abs() < 1e-12);
    }
}

/// Prints the worked example of `docs/robustness.md` (edge and hybrid, six chains, N = 10⁶,
/// seed 1): `cargo test --release -p stackmatrix-engine --test integration smaa:: -- --ignored --nocapture`.
#[test]
#[ignore = "prints the documentation's example; slow in a debug build"]
fn print_documentation_example() {
    let kb = kb();
    for scenario in ["edge", "hybrid"] {
        let prepared = ScenarioInput::from_scenario(kb.scenario(scenario).unwrap())
            .prepare(kb)
            .unwrap();
        let alts =
            SmaaAlternative::from_chains(kb.chains(), prepared.time_mode(), &kb.tables.parameters);
        let r = smaa_rank(
            &alts,
            &prepared.vector,
            &Spread::default(),
            &SmaaOptions::new(1_000_000, 1),
            &|_| {},
        )
        .unwrap();
        println!("\n{scenario}: N = {}", r.samples);
        println!("| alternative | b¹ | b² | b³ | b⁴ | b⁵ | b⁶ | confidence |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
        for i in r.by_first_acceptability() {
            let b: Vec<String> = r.acceptability[i]
                .iter()
                .map(|x| format!("{x:.3}"))
                .collect();
            let p = r.confidence[i].map_or("–".to_string(), |p| format!("{p:.3}"));
            println!("| {} | {} | {p} |", r.ids[i], b.join(" | "));
        }
        let s = r.summary();
        let w = r.central_weights[s.most_likely_first].as_ref().unwrap();
        let keys = stackmatrix_model::Concept::KEYS;
        println!(
            "central weights of {}: {}",
            r.ids[s.most_likely_first],
            w.iter()
                .zip(keys)
                .map(|(x, k)| format!("{k} {x:.3}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!("summary: {s:?}");
        let ranking = rank_technologies(kb.chains(), &prepared, &kb.tables.parameters);
        let st = ranking_weight_stability(&ranking).unwrap();
        println!("stability of {}:", ranking.entries[st.leader].id);
        println!("| concept | weight | lo | hi | share lo | share hi | below | above |");
        println!("|---|---:|---:|---:|---:|---:|---|---|");
        for iv in &st.intervals {
            let who =
                |j: Option<usize>| j.map_or("none".to_string(), |j| ranking.entries[j].id.clone());
            println!(
                "| {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {} | {} |",
                keys[iv.criterion],
                iv.weight,
                iv.lo,
                iv.hi,
                iv.lo_share,
                iv.hi_share,
                who(iv.below),
                who(iv.above)
            );
        }
    }
}
