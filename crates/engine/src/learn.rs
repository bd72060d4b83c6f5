//! Learning Θ = diag(θ_1..θ_12) from feedback: projected gradient descent (batch, stochastic or
//! Adam) on a point loss over observations or a pairwise ranking loss over preferences.
//!
//! # The model and the data
//!
//! - An **observation** says that a technology (or stack), in a scenario, showed outcome `y ∈ [0,
//!   1]` on concept `c`. The model predicts `θ_c · f_c`, where `f_c` is the technology's fit for
//!   `c` in the scenario's scene vector ([`crate::scenario_fit`]).
//! - A **preference** says that in a scenario stack `a` should score above stack `b`. With fits
//!   `f` (of `a`) and `g` (of `b`) and the scenario's concept weights `w`, the Θ-score
//!   difference is `d = score_Θ(f) − score_Θ(g) = 10 · Σ_c w_c θ_c (f_c − g_c) / Σ_c w_c`
//!   ([`crate::theta_weighted_score`]).
//!
//! # Losses (the mean over the rows the loss uses)
//!
//! | loss | rows | per-row loss | ∂/∂θ_c |
//! |---|---|---|---|
//! | `mse` | observations | `(θ_c f − y)²` | `2 (θ_c f − y) f` |
//! | `mae` | observations | `\|θ_c f − y\|` | `sign(θ_c f − y) f` (subgradient, sign(0) = 0) |
//! | `cross-entropy` | observations | `−y ln p − (1 − y) ln(1 − p)`, `p = clamp(θ_c f, ε, 1 − ε)` | `(p − y) / (p (1 − p)) · f` |
//! | `ranking` | preferences | `ln(1 + e^{−d})` | `−σ(−d) · 10 w_c (f_c − g_c) / Σ w` |
//!
//! The cross-entropy gradient is taken at the clamped prediction and passed through the clamp
//! unchanged (a straight-through clamp): the clamp's own derivative, 0 outside (ε, 1 − ε), would
//! freeze any θ_c that reached 0. ε = [`CROSS_ENTROPY_EPSILON`].
//!
//! # Optimisers (each step is followed by the projection onto [0, 1]^12)
//!
//! With `η_c = K · lr_c` (`lr_c` the published per-concept learning rate of
//! `tables/theta.toml`, `K` the `lr_scale`):
//!
//! - `gd`: one step per epoch on the full mean gradient, `θ_c ← clamp(θ_c − η_c ∂L/∂θ_c, 0, 1)`;
//! - `sgd`: one step per row, in an order shuffled every epoch by a seeded SplitMix64, on that
//!   row's own gradient;
//! - `adam`: one step per epoch on the full gradient, Adam (Kingma and Ba, 2015) with β1 = 0.9,
//!   β2 = 0.999, ε = 1e-8 and bias correction, step `η_c m̂_c / (√v̂_c + ε)`.
//!
//! The loss is recorded before the first epoch and after each epoch (on all rows). Learning
//! stops when the loss changes by no more than the tolerance from one epoch to the next
//! (converged), after the epoch limit, or when the loss is not finite. A concept no row informs
//! (every observation of it has `f_c = 0`, or it appears in none; for the ranking loss, every
//! preference has `w_c (f_c − g_c) = 0`) has gradient 0 and keeps its θ; the report lists it.

use crate::synthetic::SplitMix64;
use stackmatrix_model::{Concept, CONCEPT_COUNT};

/// The clamp of the cross-entropy loss: predictions are kept in [ε, 1 − ε].
pub const CROSS_ENTROPY_EPSILON: f64 = 1e-7;

/// One observation: on concept `concept`, fit `fit` (f_c in [0, 1]) showed outcome `observed`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// The concept observed.
    pub concept: Concept,
    /// The technology's fit for that concept in the scenario, `f_c`.
    pub fit: f64,
    /// The observed outcome in [0, 1].
    pub observed: f64,
}

/// One preference: the stack with fits `preferred` should score above the one with `other`, under
/// the concept weights `weights`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preference {
    /// Fits of the preferred stack.
    pub preferred: [f64; CONCEPT_COUNT],
    /// Fits of the other stack.
    pub other: [f64; CONCEPT_COUNT],
    /// The scenario's concept weights (non-negative, positive sum).
    pub weights: [f64; CONCEPT_COUNT],
}

/// A loss function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// Mean squared error over observations.
    Mse,
    /// Mean absolute error over observations (subgradient).
    Mae,
    /// Binary cross-entropy over observations (observed as a probability).
    CrossEntropy,
    /// Logistic pairwise ranking loss over preferences.
    Ranking,
}

impl Loss {
    /// Every loss, in the order the documentation lists them.
    pub const ALL: [Loss; 4] = [Loss::Mse, Loss::Mae, Loss::CrossEntropy, Loss::Ranking];

    /// The key: `mse`, `mae`, `cross-entropy`, `ranking`.
    pub fn key(self) -> &'static str {
        match self {
            Loss::Mse => "mse",
            Loss::Mae => "mae",
            Loss::CrossEntropy => "cross-entropy",
            Loss::Ranking => "ranking",
        }
    }

    /// The loss with this key.
    pub fn from_key(key: &str) -> Option<Loss> {
        Loss::ALL.into_iter().find(|l| l.key() == key)
    }

    /// True for the losses over observations; false for the ranking loss (over preferences).
    pub fn uses_observations(self) -> bool {
        self != Loss::Ranking
    }
}

/// An optimiser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Optimizer {
    /// Batch gradient descent.
    Gd,
    /// Stochastic gradient descent (seeded shuffles).
    Sgd,
    /// Adam on the batch gradient.
    Adam,
}

impl Optimizer {
    /// Every optimiser.
    pub const ALL: [Optimizer; 3] = [Optimizer::Gd, Optimizer::Sgd, Optimizer::Adam];

    /// The key: `gd`, `sgd`, `adam`.
    pub fn key(self) -> &'static str {
        match self {
            Optimizer::Gd => "gd",
            Optimizer::Sgd => "sgd",
            Optimizer::Adam => "adam",
        }
    }

    /// The optimiser with this key.
    pub fn from_key(key: &str) -> Option<Optimizer> {
        Optimizer::ALL.into_iter().find(|o| o.key() == key)
    }

    /// The default `lr_scale` K of this optimiser (see [`LearnOptions::lr_scale`]).
    ///
    /// The published rates (1e-3 for I, C, R, L, S; 1e-4 for Q, M, V, B, P, T; 1e-5 for Θ) are
    /// far too small to move θ within any practical number of epochs on their own; K keeps their
    /// ratios. `gd` and `sgd`: K = 500 makes the largest step size 0.5, and since every fit is at
    /// most 1 the MSE curvature per concept is at most 2, so each step contracts the error
    /// (`η · 2 f² ≤ 1`) and never overshoots. `adam` moves each θ_c by about `η_c` per epoch
    /// whatever the gradient's size; K = 100 gives Θ (1e-5) steps of 1e-3.
    pub fn default_lr_scale(self) -> f64 {
        match self {
            Optimizer::Gd | Optimizer::Sgd => 500.0,
            Optimizer::Adam => 100.0,
        }
    }
}

/// How to learn.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnOptions {
    /// The loss.
    pub loss: Loss,
    /// The optimiser.
    pub optimizer: Optimizer,
    /// Relative per-concept learning rates `lr_c` (the published ones), each positive.
    pub learning_rate: [f64; CONCEPT_COUNT],
    /// The global multiplier K: the step size of concept c is `K · lr_c`.
    pub lr_scale: f64,
    /// Most epochs.
    pub epochs: usize,
    /// Stop when the loss changes by no more than this from one epoch to the next.
    pub tolerance: f64,
    /// Seed of the SGD shuffles.
    pub seed: u64,
}

/// Why learning stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The loss changed by no more than the tolerance.
    Converged,
    /// The epoch limit was reached.
    MaxEpochs,
    /// The loss became NaN or infinite (the step sizes are too large).
    NotFinite,
}

impl StopReason {
    /// The key: `converged`, `max_epochs`, `not_finite`.
    pub fn key(self) -> &'static str {
        match self {
            StopReason::Converged => "converged",
            StopReason::MaxEpochs => "max_epochs",
            StopReason::NotFinite => "not_finite",
        }
    }
}

/// What learning did.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnReport {
    /// Θ before learning.
    pub initial: [f64; CONCEPT_COUNT],
    /// Θ after learning (the last finite iterate).
    pub learned: [f64; CONCEPT_COUNT],
    /// Concepts some row informs (the others kept their θ).
    pub informed: [bool; CONCEPT_COUNT],
    /// The loss before the first epoch (index 0) and after each epoch.
    pub losses: Vec<f64>,
    /// Epochs run.
    pub epochs: usize,
    /// Why it stopped.
    pub stop: StopReason,
    /// Rows the loss used.
    pub rows: usize,
}

/// Why learning cannot start.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LearnError {
    /// The loss needs rows of a kind the feedback does not have.
    #[error("the {loss} loss needs {needs} rows and the feedback has none")]
    NoRows {
        /// The loss key.
        loss: &'static str,
        /// `observation` or `preference`.
        needs: &'static str,
    },
    /// An option is out of range.
    #[error("{0}")]
    BadOption(String),
}

/// The loss and its gradient at `theta`, averaged over the rows the loss uses.
///
/// See the module documentation for each formula.
pub fn loss_and_gradient(
    loss: Loss,
    observations: &[Observation],
    preferences: &[Preference],
    theta: &[f64; CONCEPT_COUNT],
) -> (f64, [f64; CONCEPT_COUNT]) {
    let mut total = 0.0;
    let mut grad = [0.0; CONCEPT_COUNT];
    let n = if loss.uses_observations() {
        for o in observations {
            let (l, g) = observation_term(loss, o, theta[o.concept.index()]);
            total += l;
            grad[o.concept.index()] += g;
        }
        observations.len()
    } else {
        for p in preferences {
            let (l, g) = preference_term(p, theta);
            total += l;
            for (a, b) in grad.iter_mut().zip(g) {
                *a += b;
            }
        }
        preferences.len()
    };
    let n = n.max(1) as f64;
    (total / n, grad.map(|g| g / n))
}

/// One observation's loss and its derivative in θ_c.
fn observation_term(loss: Loss, o: &Observation, theta: f64) -> (f64, f64) {
    let (f, y) = (o.fit, o.observed);
    let pred = theta * f;
    match loss {
        Loss::Mse => ((pred - y).powi(2), 2.0 * (pred - y) * f),
        Loss::Mae => {
            let r = pred - y;
            let sign = if r > 0.0 {
                1.0
            } else if r < 0.0 {
                -1.0
            } else {
                0.0
            };
            (r.abs(), sign * f)
        }
        Loss::CrossEntropy => {
            let e = CROSS_ENTROPY_EPSILON;
            let p = pred.clamp(e, 1.0 - e);
            let l = -(y * p.ln() + (1.0 - y) * (1.0 - p).ln());
            (l, (p - y) / (p * (1.0 - p)) * f)
        }
        Loss::Ranking => (0.0, 0.0),
    }
}

/// The Θ-score difference of a preference, `10 · Σ w_c θ_c (f_c − g_c) / Σ w`, and its
/// derivative in each θ_c.
fn preference_difference(
    p: &Preference,
    theta: &[f64; CONCEPT_COUNT],
) -> (f64, [f64; CONCEPT_COUNT]) {
    let total: f64 = p.weights.iter().sum();
    let dd: [f64; CONCEPT_COUNT] =
        std::array::from_fn(|c| 10.0 * p.weights[c] * (p.preferred[c] - p.other[c]) / total);
    let d = dd.iter().zip(theta).map(|(a, t)| a * t).sum();
    (d, dd)
}

/// A preference's logistic loss `ln(1 + e^{−d})` and its gradient.
fn preference_term(p: &Preference, theta: &[f64; CONCEPT_COUNT]) -> (f64, [f64; CONCEPT_COUNT]) {
    let (d, dd) = preference_difference(p, theta);
    // ln(1 + e^{−d}) without overflow, and σ(−d) = 1 / (1 + e^{d}).
    let l = if d > 0.0 {
        (-d).exp().ln_1p()
    } else {
        -d + d.exp().ln_1p()
    };
    let s = 1.0 / (1.0 + d.exp());
    (l, dd.map(|x| -s * x))
}

/// Which concepts the rows the loss uses inform.
pub fn informed_concepts(
    loss: Loss,
    observations: &[Observation],
    preferences: &[Preference],
) -> [bool; CONCEPT_COUNT] {
    let mut informed = [false; CONCEPT_COUNT];
    if loss.uses_observations() {
        for o in observations {
            if o.fit != 0.0 {
                informed[o.concept.index()] = true;
            }
        }
    } else {
        let ones = [1.0; CONCEPT_COUNT];
        for p in preferences {
            let (_, dd) = preference_difference(p, &ones);
            for (i, x) in informed.iter_mut().zip(dd) {
                *i |= x != 0.0;
            }
        }
    }
    informed
}

/// Learns Θ from feedback, starting from `initial` (see the module documentation).
pub fn learn_theta(
    observations: &[Observation],
    preferences: &[Preference],
    initial: [f64; CONCEPT_COUNT],
    options: &LearnOptions,
) -> Result<LearnReport, LearnError> {
    let rows = if options.loss.uses_observations() {
        observations.len()
    } else {
        preferences.len()
    };
    if rows == 0 {
        return Err(LearnError::NoRows {
            loss: options.loss.key(),
            needs: if options.loss.uses_observations() {
                "observation"
            } else {
                "preference"
            },
        });
    }
    if !(options.lr_scale.is_finite() && options.lr_scale > 0.0) {
        return Err(LearnError::BadOption(format!(
            "lr_scale = {} is not a positive number",
            options.lr_scale
        )));
    }
    if !(options.tolerance.is_finite() && options.tolerance >= 0.0) {
        return Err(LearnError::BadOption(format!(
            "tolerance = {} is not a number 0 or more",
            options.tolerance
        )));
    }
    if let Some((c, r)) = Concept::ALL
        .iter()
        .zip(options.learning_rate)
        .find(|(_, r)| !(r.is_finite() && *r > 0.0))
    {
        return Err(LearnError::BadOption(format!(
            "the learning rate of {} = {r} is not a positive number",
            c.key()
        )));
    }
    let step: [f64; CONCEPT_COUNT] = options.learning_rate.map(|r| r * options.lr_scale);
    let informed = informed_concepts(options.loss, observations, preferences);
    let project = |t: f64| t.clamp(0.0, 1.0);
    let loss_at =
        |t: &[f64; CONCEPT_COUNT]| loss_and_gradient(options.loss, observations, preferences, t).0;

    let mut theta = initial.map(project);
    let mut losses = vec![loss_at(&theta)];
    let mut rng = SplitMix64::new(options.seed);
    let mut order: Vec<usize> = (0..rows).collect();
    let (mut m, mut v) = ([0.0; CONCEPT_COUNT], [0.0; CONCEPT_COUNT]);
    let (beta1, beta2, eps) = (0.9f64, 0.999f64, 1e-8);
    let mut stop = StopReason::MaxEpochs;
    let mut epochs = 0;
    if !losses[0].is_finite() {
        stop = StopReason::NotFinite;
    }
    while stop != StopReason::NotFinite && epochs < options.epochs {
        let before = theta;
        match options.optimizer {
            Optimizer::Gd => {
                let (_, g) = loss_and_gradient(options.loss, observations, preferences, &theta);
                for c in 0..CONCEPT_COUNT {
                    theta[c] = project(theta[c] - step[c] * g[c]);
                }
            }
            Optimizer::Sgd => {
                rng.shuffle(&mut order);
                for &i in &order {
                    if options.loss.uses_observations() {
                        let o = &observations[i];
                        let c = o.concept.index();
                        let (_, g) = observation_term(options.loss, o, theta[c]);
                        theta[c] = project(theta[c] - step[c] * g);
                    } else {
                        let (_, g) = preference_term(&preferences[i], &theta);
                        for c in 0..CONCEPT_COUNT {
                            theta[c] = project(theta[c] - step[c] * g[c]);
                        }
                    }
                }
            }
            Optimizer::Adam => {
                let (_, g) = loss_and_gradient(options.loss, observations, preferences, &theta);
                let t = (epochs + 1) as i32;
                for c in 0..CONCEPT_COUNT {
                    m[c] = beta1 * m[c] + (1.0 - beta1) * g[c];
                    v[c] = beta2 * v[c] + (1.0 - beta2) * g[c] * g[c];
                    let mh = m[c] / (1.0 - beta1.powi(t));
                    let vh = v[c] / (1.0 - beta2.powi(t));
                    theta[c] = project(theta[c] - step[c] * mh / (vh.sqrt() + eps));
                }
            }
        }
        epochs += 1;
        let l = loss_at(&theta);
        if !l.is_finite() || theta.iter().any(|t| !t.is_finite()) {
            theta = before;
            losses.push(l);
            stop = StopReason::NotFinite;
            break;
        }
        let prev = *losses.last().expect("the initial loss is recorded");
        losses.push(l);
        if (prev - l).abs() <= options.tolerance {
            stop = StopReason::Converged;
            break;
        }
    }
    Ok(LearnReport {
        initial,
        learned: theta,
        informed,
        losses,
        epochs,
        stop,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(loss: Loss, optimizer: Optimizer) -> LearnOptions {
        LearnOptions {
            loss,
            optimizer,
            learning_rate: [1e-3; CONCEPT_COUNT],
            lr_scale: optimizer.default_lr_scale(),
            epochs: 100,
            tolerance: 0.0,
            seed: 1,
        }
    }

    #[test]
    fn gradients_match_central_differences() {
        let obs: Vec<Observation> = (0..24)
            .map(|i| Observation {
                concept: Concept::ALL[i % CONCEPT_COUNT],
                fit: 0.3 + 0.025 * i as f64,
                observed: 0.1 + 0.03 * i as f64,
            })
            .collect();
        let prefs: Vec<Preference> = (0..5)
            .map(|i| Preference {
                preferred: std::array::from_fn(|c| ((c * 7 + i * 3) % 10) as f64 / 10.0),
                other: std::array::from_fn(|c| ((c * 5 + i) % 10) as f64 / 10.0),
                weights: std::array::from_fn(|c| 1.0 + (c % 3) as f64),
            })
            .collect();
        let theta: [f64; CONCEPT_COUNT] = std::array::from_fn(|c| 0.3 + 0.05 * c as f64);
        for loss in [Loss::Mse, Loss::CrossEntropy, Loss::Ranking, Loss::Mae] {
            let (_, g) = loss_and_gradient(loss, &obs, &prefs, &theta);
            for c in 0..CONCEPT_COUNT {
                let h = 1e-6;
                let (mut a, mut b) = (theta, theta);
                a[c] += h;
                b[c] -= h;
                let num = (loss_and_gradient(loss, &obs, &prefs, &a).0
                    - loss_and_gradient(loss, &obs, &prefs, &b).0)
                    / (2.0 * h);
                assert!((num - g[c]).abs() < 1e-5, "{loss:?} {c}: {num} vs {}", g[c]);
            }
        }
    }

    #[test]
    fn uninformed_concepts_keep_theta_and_no_rows_is_an_error() {
        let obs = vec![Observation {
            concept: Concept::ALL[0],
            fit: 0.8,
            observed: 0.4,
        }];
        let mut initial = [1.0; CONCEPT_COUNT];
        initial[3] = 0.7;
        let r = learn_theta(&obs, &[], initial, &options(Loss::Mse, Optimizer::Gd)).unwrap();
        assert!(r.informed[0] && !r.informed[3]);
        assert_eq!(r.learned[3], 0.7);
        assert!((r.learned[0] - 0.5).abs() < 1e-6);
        assert_eq!(
            learn_theta(&obs, &[], initial, &options(Loss::Ranking, Optimizer::Gd)),
            Err(LearnError::NoRows {
                loss: "ranking",
                needs: "preference"
            })
        );
    }

    #[test]
    fn too_large_steps_stop_as_not_finite_or_stay_projected() {
        let obs = vec![Observation {
            concept: Concept::ALL[1],
            fit: 1.0,
            observed: 0.2,
        }];
        let mut o = options(Loss::Mse, Optimizer::Gd);
        o.lr_scale = 1e300;
        let r = learn_theta(&obs, &[], [1.0; CONCEPT_COUNT], &o).unwrap();
        assert!(r.learned.iter().all(|t| (0.0..=1.0).contains(t)));
    }
}
