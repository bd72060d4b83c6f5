//! Learning Θ: recovery of a known Θ from synthetic feedback (seeded), each loss decreasing on its
//! own problem, and one batch gradient-descent epoch against numpy.

use stackmatrix_engine::synthetic::SplitMix64;
use stackmatrix_engine::{
    learn_theta, loss_and_gradient, LearnOptions, Loss, Observation, Optimizer, Preference,
    StopReason,
};
use stackmatrix_model::{Concept, CONCEPT_COUNT};

/// A known Θ, away from the bounds.
fn true_theta() -> [f64; CONCEPT_COUNT] {
    std::array::from_fn(|c| 0.35 + 0.05 * c as f64)
}

/// Observations `y = θ*_c f` (no noise), fits uniform in [0.3, 1], concepts round robin.
fn synthetic_observations(n: usize, seed: u64) -> Vec<Observation> {
    let mut rng = SplitMix64::new(seed);
    let theta = true_theta();
    (0..n)
        .map(|i| {
            let c = i % CONCEPT_COUNT;
            let fit = rng.range(0.3, 1.0);
            Observation {
                concept: Concept::ALL[c],
                fit,
                observed: theta[c] * fit,
            }
        })
        .collect()
}

fn published_rates() -> [f64; CONCEPT_COUNT] {
    stackmatrix_model::builtin()
        .unwrap()
        .tables
        .theta
        .learning_rate
}

fn options(loss: Loss, optimizer: Optimizer, epochs: usize) -> LearnOptions {
    LearnOptions {
        loss,
        optimizer,
        learning_rate: published_rates(),
        lr_scale: optimizer.default_lr_scale(),
        epochs,
        tolerance: 0.0,
        seed: 7,
    }
}

/// Tolerance of recovery: every θ_c within 1e-3 of the truth.
const RECOVERY_TOLERANCE: f64 = 1e-3;

#[test]
fn mse_recovers_a_known_theta_with_gd_sgd_and_adam() {
    let obs = synthetic_observations(600, 42);
    for (optimizer, epochs) in [
        (Optimizer::Gd, 20_000),
        (Optimizer::Sgd, 2_000),
        (Optimizer::Adam, 5_000),
    ] {
        let mut o = options(Loss::Mse, optimizer, epochs);
        o.tolerance = 1e-16;
        let r = learn_theta(&obs, &[], [1.0; CONCEPT_COUNT], &o).unwrap();
        let worst = r
            .learned
            .iter()
            .zip(true_theta())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(
            worst < RECOVERY_TOLERANCE,
            "{optimizer:?}: worst error {worst} after {} epochs ({:?}): {:?}",
            r.epochs,
            r.stop,
            r.learned
        );
        assert!(r.informed.iter().all(|x| *x));
        assert_ne!(r.stop, StopReason::NotFinite);
    }
}

#[test]
fn sgd_is_deterministic_for_a_seed() {
    let obs = synthetic_observations(120, 3);
    let o = options(Loss::Mse, Optimizer::Sgd, 50);
    let a = learn_theta(&obs, &[], [1.0; CONCEPT_COUNT], &o).unwrap();
    let b = learn_theta(&obs, &[], [1.0; CONCEPT_COUNT], &o).unwrap();
    assert_eq!(a, b);
}

/// Preferences generated from the true Θ: of two random fit vectors, the one scoring higher
/// under Θ* is preferred.
fn synthetic_preferences(n: usize, seed: u64) -> Vec<Preference> {
    let mut rng = SplitMix64::new(seed);
    let theta = true_theta();
    (0..n)
        .map(|_| {
            let f: [f64; CONCEPT_COUNT] = std::array::from_fn(|_| rng.range(0.2, 1.0));
            let g: [f64; CONCEPT_COUNT] = std::array::from_fn(|_| rng.range(0.2, 1.0));
            let w = [1.0; CONCEPT_COUNT];
            let s =
                |x: &[f64; CONCEPT_COUNT]| stackmatrix_engine::theta_weighted_score(x, &w, &theta);
            let (preferred, other) = if s(&f) >= s(&g) { (f, g) } else { (g, f) };
            Preference {
                preferred,
                other,
                weights: w,
            }
        })
        .collect()
}

#[test]
fn each_loss_decreases_on_its_own_problem() {
    let mut rng = SplitMix64::new(11);
    let theta = true_theta();
    // Noisy observations for MAE; probabilities for cross-entropy.
    let noisy: Vec<Observation> = synthetic_observations(240, 5)
        .into_iter()
        .map(|mut o| {
            o.observed = (o.observed + rng.range(-0.05, 0.05)).clamp(0.0, 1.0);
            o
        })
        .collect();
    let probabilities: Vec<Observation> = (0..240)
        .map(|i| {
            let c = i % CONCEPT_COUNT;
            let fit = rng.range(0.3, 1.0);
            Observation {
                concept: Concept::ALL[c],
                fit,
                observed: theta[c] * fit,
            }
        })
        .collect();
    let prefs = synthetic_preferences(200, 9);
    let cases: [(Loss, &[Observation], &[Preference]); 4] = [
        (Loss::Mse, &noisy, &[]),
        (Loss::Mae, &noisy, &[]),
        (Loss::CrossEntropy, &probabilities, &[]),
        (Loss::Ranking, &[], &prefs),
    ];
    for (loss, obs, prefs) in cases {
        for optimizer in [Optimizer::Gd, Optimizer::Sgd, Optimizer::Adam] {
            let o = options(loss, optimizer, 300);
            // The ranking loss falls as Θ grows along correctly ordered pairs; from all ones the
            // projection would hold it at the bound, so it starts from one half.
            let start = if loss == Loss::Ranking { 0.5 } else { 1.0 };
            let r = learn_theta(obs, prefs, [start; CONCEPT_COUNT], &o).unwrap();
            let (first, last) = (r.losses[0], *r.losses.last().unwrap());
            assert!(
                last < first,
                "{loss:?} {optimizer:?}: loss {first} -> {last}"
            );
            // The learned Θ's loss is what the report says.
            let (again, _) = loss_and_gradient(loss, obs, prefs, &r.learned);
            assert!((again - last).abs() < 1e-12);
        }
    }
    // Batch GD on MSE never increases the loss (step sizes at most 0.5, curvature at most 2).
    let r = learn_theta(
        &noisy,
        &[],
        [1.0; CONCEPT_COUNT],
        &options(Loss::Mse, Optimizer::Gd, 500),
    )
    .unwrap();
    assert!(r.losses.windows(2).all(|w| w[1] <= w[0] + 1e-15));
}

/// One batch gradient-descent epoch of every loss against numpy
/// (`fixtures/learn/make_gd_epoch.py`): the loss, the gradient and the projected update.
#[test]
fn one_gd_epoch_matches_numpy() {
    let text = include_str!("fixtures/learn/gd_epoch.json");
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let arr = |x: &serde_json::Value| -> [f64; CONCEPT_COUNT] {
        let a: Vec<f64> = x
            .as_array()
            .unwrap()
            .iter()
            .map(|y| y.as_f64().unwrap())
            .collect();
        a.try_into().unwrap()
    };
    let theta = arr(&v["theta"]);
    let obs: Vec<Observation> = v["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| Observation {
            concept: Concept::ALL[o["concept"].as_u64().unwrap() as usize],
            fit: o["fit"].as_f64().unwrap(),
            observed: o["observed"].as_f64().unwrap(),
        })
        .collect();
    let prefs: Vec<Preference> = v["preferences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Preference {
            preferred: arr(&p["preferred"]),
            other: arr(&p["other"]),
            weights: arr(&p["weights"]),
        })
        .collect();
    for loss in Loss::ALL {
        let case = &v["cases"][loss.key()];
        let (value, grad) = loss_and_gradient(loss, &obs, &prefs, &theta);
        assert!(
            (value - case["loss"].as_f64().unwrap()).abs() < 1e-9,
            "{loss:?} loss"
        );
        for (a, b) in grad.iter().zip(arr(&case["gradient"])) {
            assert!((a - b).abs() < 1e-9, "{loss:?} gradient {a} vs {b}");
        }
        let o = LearnOptions {
            loss,
            optimizer: Optimizer::Gd,
            learning_rate: arr(&v["learning_rate"]),
            lr_scale: v["lr_scale"].as_f64().unwrap(),
            epochs: 1,
            tolerance: 0.0,
            seed: 1,
        };
        let r = learn_theta(&obs, &prefs, theta, &o).unwrap();
        assert_eq!(r.epochs, 1);
        for (a, b) in r.learned.iter().zip(arr(&case["updated"])) {
            assert!((a - b).abs() < 1e-9, "{loss:?} update {a} vs {b}");
        }
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the feedback and the step sizes: Θ stays in [0, 1]^12, uninformed concepts
        /// keep their θ, and batch GD on MSE with the default scale never raises the loss.
        #[test]
        fn theta_stays_projected_and_uninformed_concepts_are_kept(
            rows in prop::collection::vec((0usize..6, 0.0f64..=1.0, 0.0f64..=1.0), 1..40),
            start in prop::array::uniform12(0.0f64..=1.0),
            loss_i in 0usize..3,
            opt_i in 0usize..3,
            scale in 1.0f64..5000.0,
        ) {
            // Only the first six concepts are observed.
            let obs: Vec<Observation> = rows
                .iter()
                .map(|(c, f, y)| Observation { concept: Concept::ALL[*c], fit: *f, observed: *y })
                .collect();
            let loss = [Loss::Mse, Loss::Mae, Loss::CrossEntropy][loss_i];
            let optimizer = [Optimizer::Gd, Optimizer::Sgd, Optimizer::Adam][opt_i];
            let mut o = options(loss, optimizer, 60);
            o.lr_scale = scale;
            let r = learn_theta(&obs, &[], start, &o).unwrap();
            prop_assert!(r.learned.iter().all(|t| (0.0..=1.0).contains(t)));
            for ((learned, informed), first) in r.learned.iter().zip(r.informed).zip(start) {
                if !informed {
                    prop_assert_eq!(*learned, first);
                }
            }
            prop_assert!(r.losses.iter().all(|l| l.is_finite()));
            let gd = learn_theta(&obs, &[], start, &options(Loss::Mse, Optimizer::Gd, 60)).unwrap();
            prop_assert!(gd.losses.windows(2).all(|w| w[1] <= w[0] + 1e-12));
        }
    }
}
