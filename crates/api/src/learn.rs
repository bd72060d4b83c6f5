//! `learn`: Θ fitted to feedback, with a convergence report; and the text of the
//! `tables/theta.toml` that holds the learned Θ. Nothing here writes a file.

use crate::error::{ApiError, ApiResult};
use crate::feedback::{resolve_feedback, FeedbackRow};
use serde::{Deserialize, Serialize};
use stackmatrix_engine::{learn_theta, LearnError, LearnOptions, LearnReport, Loss, Optimizer};
use stackmatrix_model::{Concept, KnowledgeBase, Lang, CONCEPT_COUNT};

/// `learn`'s default epoch limit.
pub const DEFAULT_LEARN_EPOCHS: usize = 20_000;
/// `learn`'s default tolerance: stop when the loss changes by no more than this in an epoch.
pub const DEFAULT_LEARN_TOLERANCE: f64 = 1e-12;

/// `learn`: feedback rows and how to learn from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LearnRequest {
    /// The feedback rows (observations and preferences).
    pub rows: Vec<FeedbackRow>,
    /// `mse`, `mae`, `cross-entropy` or `ranking` [default: `mse`].
    #[serde(default = "default_loss")]
    pub loss: String,
    /// `gd`, `sgd` or `adam` [default: `gd`].
    #[serde(default = "default_optimizer")]
    pub optimizer: String,
    /// Most epochs [default: 20000].
    #[serde(default = "default_epochs")]
    pub epochs: usize,
    /// The multiplier K of the published per-concept learning rates [default: 500 for gd and
    /// sgd, 100 for adam].
    #[serde(default)]
    pub lr_scale: Option<f64>,
    /// Stop when the loss changes by no more than this in an epoch [default: 1e-12].
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
    /// Seed of the SGD shuffles [default: 1].
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Report the loss of every k-th epoch (and the first and last) [default: about 20 lines].
    #[serde(default)]
    pub every: Option<usize>,
}

fn default_loss() -> String {
    "mse".into()
}
fn default_optimizer() -> String {
    "gd".into()
}
fn default_epochs() -> usize {
    DEFAULT_LEARN_EPOCHS
}
fn default_tolerance() -> f64 {
    DEFAULT_LEARN_TOLERANCE
}
fn default_seed() -> u64 {
    1
}

impl Default for LearnRequest {
    fn default() -> Self {
        LearnRequest {
            rows: Vec::new(),
            loss: default_loss(),
            optimizer: default_optimizer(),
            epochs: DEFAULT_LEARN_EPOCHS,
            lr_scale: None,
            tolerance: DEFAULT_LEARN_TOLERANCE,
            seed: 1,
            every: None,
        }
    }
}

/// The loss after an epoch.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EpochLossView {
    /// The epoch (0: before the first).
    pub epoch: usize,
    /// The mean loss over the rows used.
    pub loss: f64,
}

/// One concept's θ before and after.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ThetaChangeView {
    /// Concept key.
    pub concept: &'static str,
    /// Concept name in the chosen language.
    pub name: String,
    /// θ_c before learning.
    pub initial: f64,
    /// θ_c after learning.
    pub learned: f64,
    /// learned − initial.
    pub change: f64,
    /// The step size used, `lr_scale · lr_c`.
    pub step_size: f64,
    /// False when no row informs the concept: its θ was kept.
    pub informed: bool,
}

/// `learn`'s answer: the convergence report and the learned Θ.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LearnView {
    /// The loss.
    pub loss: &'static str,
    /// The optimiser.
    pub optimizer: &'static str,
    /// The multiplier K of the published learning rates.
    pub lr_scale: f64,
    /// The epoch limit.
    pub max_epochs: usize,
    /// The tolerance.
    pub tolerance: f64,
    /// The SGD seed.
    pub seed: u64,
    /// Observation rows in the feedback.
    pub observations: usize,
    /// Preference rows in the feedback.
    pub preferences: usize,
    /// Rows the loss used (the others are of the other kind and were not used).
    pub rows_used: usize,
    /// Epochs run.
    pub epochs: usize,
    /// `converged`, `max_epochs` or `not_finite`.
    pub stop: &'static str,
    /// The loss before learning.
    pub initial_loss: f64,
    /// The loss after the last epoch.
    pub final_loss: f64,
    /// The loss every `every` epochs, with the first and the last.
    pub history: Vec<EpochLossView>,
    /// The interval of `history`.
    pub every: usize,
    /// Θ before learning, concept order.
    pub initial_theta: [f64; CONCEPT_COUNT],
    /// Θ after learning, concept order.
    pub theta: [f64; CONCEPT_COUNT],
    /// Per concept: before, after, change, step size, informed.
    pub concepts: Vec<ThetaChangeView>,
    /// Keys of the concepts no row informs (their θ was kept).
    pub uninformed: Vec<&'static str>,
    /// Notes (rows not used, how the learned Θ is used).
    pub notes: Vec<String>,
}

fn bad_option(e: LearnError) -> ApiError {
    match e {
        LearnError::NoRows { .. } => ApiError::bad_input("rows", e.to_string()),
        LearnError::BadOption(m) => ApiError::bad_input("lr_scale", m),
    }
}

/// `learn`: Θ fitted to the feedback rows from the knowledge base's current Θ, with the
/// knowledge base's per-concept learning rates (see `stackmatrix_engine::learn_theta`).
pub fn learn(kb: &KnowledgeBase, lang: Lang, req: &LearnRequest) -> ApiResult<LearnView> {
    let loss = Loss::from_key(&req.loss).ok_or_else(|| {
        ApiError::bad_input(
            "loss",
            format!(
                "unknown loss '{}'; expected mse, mae, cross-entropy or ranking",
                req.loss
            ),
        )
    })?;
    let optimizer = Optimizer::from_key(&req.optimizer).ok_or_else(|| {
        ApiError::bad_input(
            "optimizer",
            format!(
                "unknown optimizer '{}'; expected gd, sgd or adam",
                req.optimizer
            ),
        )
    })?;
    if req.epochs == 0 || req.epochs > 1_000_000 {
        return Err(ApiError::bad_input(
            "epochs",
            format!("{} epochs; expected 1 to 1000000", req.epochs),
        ));
    }
    if !(req.tolerance.is_finite() && req.tolerance >= 0.0) {
        return Err(ApiError::bad_input(
            "tolerance",
            format!("{}; expected a number 0 or more", req.tolerance),
        ));
    }
    let lr_scale = req.lr_scale.unwrap_or(optimizer.default_lr_scale());
    if !(lr_scale.is_finite() && lr_scale > 0.0) {
        return Err(ApiError::bad_input(
            "lr_scale",
            format!("{lr_scale}; expected a positive number"),
        ));
    }
    if req.every == Some(0) {
        return Err(ApiError::bad_input("every", "0; expected 1 or more"));
    }
    if req.rows.is_empty() {
        return Err(ApiError::bad_input(
            "rows",
            "no feedback rows; expected at least one observation or preference",
        ));
    }
    // Rows from a JSON body are named `rows[i]`, so the field is `rows`; rows from a file name
    // their file and line.
    let from_file = req.rows.first().is_some_and(|r| r.origin.is_some());
    let feedback = resolve_feedback(kb, &req.rows).map_err(|e| match e {
        ApiError::BadInput { message, .. } if !from_file => ApiError::bad_input("rows", message),
        e => e,
    })?;
    let theta = &kb.tables.theta;
    let options = LearnOptions {
        loss,
        optimizer,
        learning_rate: theta.learning_rate,
        lr_scale,
        epochs: req.epochs,
        tolerance: req.tolerance,
        seed: req.seed,
    };
    let report = learn_theta(
        &feedback.observations,
        &feedback.preferences,
        theta.value,
        &options,
    )
    .map_err(bad_option)?;
    Ok(view(kb, &report, &options, &feedback, req, lang))
}

fn view(
    kb: &KnowledgeBase,
    r: &LearnReport,
    o: &LearnOptions,
    feedback: &crate::feedback::ResolvedFeedback,
    req: &LearnRequest,
    lang: Lang,
) -> LearnView {
    let every = req.every.unwrap_or_else(|| (r.epochs / 20).max(1));
    let last = r.losses.len() - 1;
    let history = r
        .losses
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0 || *i == last)
        .map(|(epoch, loss)| EpochLossView { epoch, loss: *loss })
        .collect();
    let concepts: Vec<ThetaChangeView> = Concept::ALL
        .iter()
        .map(|c| {
            let i = c.index();
            ThetaChangeView {
                concept: c.key(),
                name: kb.concept_names(*c).get(lang).to_string(),
                initial: r.initial[i],
                learned: r.learned[i],
                change: r.learned[i] - r.initial[i],
                step_size: o.learning_rate[i] * o.lr_scale,
                informed: r.informed[i],
            }
        })
        .collect();
    let uninformed: Vec<&'static str> = Concept::ALL
        .iter()
        .filter(|c| !r.informed[c.index()])
        .map(|c| c.key())
        .collect();
    let mut notes = Vec::new();
    let (unused, kind) = if o.loss.uses_observations() {
        (feedback.preferences.len(), "preference")
    } else {
        (feedback.observations.len(), "observation")
    };
    if unused > 0 {
        notes.push(format!(
            "{unused} {kind} row(s) not used: the {} loss uses only {} rows",
            o.loss.key(),
            if o.loss.uses_observations() {
                "observation"
            } else {
                "preference"
            }
        ));
    }
    if !uninformed.is_empty() {
        notes.push(format!(
            "no row informs {}: their θ is kept",
            uninformed.join(", ")
        ));
    }
    LearnView {
        loss: o.loss.key(),
        optimizer: o.optimizer.key(),
        lr_scale: o.lr_scale,
        max_epochs: o.epochs,
        tolerance: o.tolerance,
        seed: o.seed,
        observations: feedback.observations.len(),
        preferences: feedback.preferences.len(),
        rows_used: r.rows,
        epochs: r.epochs,
        stop: r.stop.key(),
        initial_loss: r.losses[0],
        final_loss: r.losses[last],
        history,
        every,
        initial_theta: r.initial,
        theta: r.learned,
        concepts,
        uninformed,
        notes,
    }
}

/// The text of a `tables/theta.toml` holding the learned Θ: the knowledge base's learning
/// rates kept, `[value]` learned, and a header comment saying how it was made.
pub fn theta_toml(kb: &KnowledgeBase, view: &LearnView, feedback_name: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `stackmatrix learn` from {feedback_name}: loss {}, optimizer {}, lr-scale {}, \
         {} epoch(s) (stop: {}), seed {}.",
        view.loss, view.optimizer, view.lr_scale, view.epochs, view.stop, view.seed
    );
    let _ = writeln!(
        out,
        "# Loss {} -> {}. [learning_rate] is kept as loaded; [value] is learned.",
        view.initial_loss, view.final_loss
    );
    if !view.uninformed.is_empty() {
        let _ = writeln!(
            out,
            "# No feedback row informs {}: their values are kept.",
            view.uninformed.join(", ")
        );
    }
    let _ = writeln!(out, "\n[learning_rate]");
    for c in Concept::ALL {
        let _ = writeln!(
            out,
            "{:<5} = {:?}",
            c.key(),
            kb.tables.theta.learning_rate[c.index()]
        );
    }
    let _ = writeln!(out, "\n[value]");
    for c in Concept::ALL {
        let _ = writeln!(out, "{:<5} = {:?}", c.key(), view.theta[c.index()]);
    }
    out
}
