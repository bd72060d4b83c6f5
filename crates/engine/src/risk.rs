//! Risk of a technology or stack: how far its maturity drops, how much it jitters across scenes,
//! and how unsure the learned AI parameters are, squashed into (0, 1).
//!
//! # Definition
//!
//! Reference formula (`reference/README.md`, λ from `tables/parameters.toml` `[risk_lambda]`):
//!
//! ```text
//! risk = sigmoid(λ1 · StaticDrop + λ2 · DynamicJitter + λ3 · AIUncertainty)
//! StaticDrop     = 1 − min_{i,j} A_static[i][j]
//! DynamicJitter  = max_i std_j(A_dynamic[i][j])       (population std of each concept row)
//! AIUncertainty  = 1 − min_c θ_c                       (Θ = diag(θ), tables/theta.toml [value])
//! ```
//!
//! The dynamic slice of a row that is not published equals the static row
//! ([`stackmatrix_model::MaturityTensor::row`]); a stack's tensor is [`crate::compose_stack`]'s,
//! whose dynamic slice is composed by the same rule from the members' dynamic rows (each falling
//! back to the member's static row).
//!
//! **Scenario-aware risk** ([`RiskFocus::scenario`]) looks only at what the scenario weighs: the
//! scenes `J = {j : s_j > 0}` and the concepts `C = {c : w_c > 0}`:
//!
//! ```text
//! StaticDrop_s    = 1 − min_{c ∈ C, j ∈ J} A_static[c][j]
//! DynamicJitter_s = max_{c ∈ C} sqrt(Σ_{j ∈ J} s_j (A_dyn[c][j] − μ_c)²),  μ_c = Σ_{j ∈ J} s_j A_dyn[c][j]
//! AIUncertainty_s = 1 − min_{c ∈ C} θ_c
//! ```
//!
//! with `s` normalised to sum 1. The jitter is the standard deviation of the row under the
//! scenario's scene distribution: a scene the scenario does not weigh cannot make a deployment
//! that never runs there unstable, and a scene weighed twice as much counts twice as much. With
//! the uniform vector (1/6 each) and every concept weighed, every line equals the whole-matrix
//! definition above, so [`RiskFocus::whole`] is that special case and one function computes both.
//! A one-hot scenario has no spread across scenes: its jitter is 0.

use crate::scoring::compensated_sum;
use stackmatrix_model::{
    Concept, MaturityTensor, Parameters, Scene, TimeSlice, CONCEPT_COUNT, SCENE_COUNT,
};

/// The logistic function `1 / (1 + e^(−x))`.
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// What a risk looks at: a distribution over scenes and the concepts that count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskFocus {
    /// Scene weights, non-negative (divided by their sum when used).
    pub scenes: [f64; SCENE_COUNT],
    /// Concepts that count.
    pub concepts: [bool; CONCEPT_COUNT],
}

impl RiskFocus {
    /// Every scene equally and every concept: the reference's whole-matrix risk.
    pub fn whole() -> RiskFocus {
        RiskFocus {
            scenes: [1.0; SCENE_COUNT],
            concepts: [true; CONCEPT_COUNT],
        }
    }

    /// The scenes and concepts a scenario weighs (weight > 0), scenes weighted by the scenario's
    /// scene vector.
    pub fn scenario(
        vector: &[f64; SCENE_COUNT],
        concept_weights: &[f64; CONCEPT_COUNT],
    ) -> RiskFocus {
        RiskFocus {
            scenes: vector.map(|v| if v > 0.0 { v } else { 0.0 }),
            concepts: concept_weights.map(|w| w > 0.0),
        }
    }

    fn scene_set(&self) -> impl Iterator<Item = usize> + '_ {
        (0..SCENE_COUNT).filter(|j| self.scenes[*j] > 0.0)
    }

    fn concept_set(&self) -> impl Iterator<Item = usize> + '_ {
        (0..CONCEPT_COUNT).filter(|c| self.concepts[*c])
    }
}

/// The three components of a risk, their weighted contributions and the risk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Risk {
    /// `1 − min A_static` over the focus.
    pub static_drop: f64,
    /// Where the minimum is (first in concept, then scene order).
    pub static_min_at: (Concept, Scene),
    /// The largest (scene-weighted) population std of a dynamic row over the focus.
    pub dynamic_jitter: f64,
    /// The concept whose row jitters most (first in concept order).
    pub jitter_concept: Concept,
    /// `1 − min θ_c` over the focus.
    pub ai_uncertainty: f64,
    /// The concept with the smallest θ_c (first in concept order).
    pub theta_min_concept: Concept,
    /// `λ1 · StaticDrop`, `λ2 · DynamicJitter`, `λ3 · AIUncertainty`.
    pub contributions: [f64; 3],
    /// The sum of the contributions (the sigmoid's argument).
    pub linear: f64,
    /// `sigmoid(linear)`, in (0, 1).
    pub risk: f64,
}

/// The risk of a maturity tensor under a focus, with Θ = diag(`theta`) and the λ of `params`.
///
/// Returns `None` when the tensor lacks a static row (an addon: it cannot be assessed alone) or
/// the focus weighs no scene or no concept.
pub fn risk(
    tensor: &MaturityTensor,
    theta: &[f64; CONCEPT_COUNT],
    params: &Parameters,
    focus: &RiskFocus,
) -> Option<Risk> {
    let st = tensor.matrix(TimeSlice::Static)?;
    let dy = tensor.matrix(TimeSlice::Dynamic)?;
    let scenes: Vec<usize> = focus.scene_set().collect();
    let concepts: Vec<usize> = focus.concept_set().collect();
    if scenes.is_empty() || concepts.is_empty() {
        return None;
    }
    let mut min = (f64::INFINITY, 0, 0);
    for &c in &concepts {
        for &j in &scenes {
            if st[c][j] < min.0 {
                min = (st[c][j], c, j);
            }
        }
    }
    let total = compensated_sum(scenes.iter().map(|&j| focus.scenes[j]));
    let mut jitter = (f64::NEG_INFINITY, 0);
    for &c in &concepts {
        let mean = compensated_sum(scenes.iter().map(|&j| focus.scenes[j] * dy[c][j])) / total;
        let var = compensated_sum(
            scenes
                .iter()
                .map(|&j| focus.scenes[j] * (dy[c][j] - mean).powi(2)),
        ) / total;
        let std = var.max(0.0).sqrt();
        if std > jitter.0 {
            jitter = (std, c);
        }
    }
    let mut theta_min = (f64::INFINITY, 0);
    for &c in &concepts {
        if theta[c] < theta_min.0 {
            theta_min = (theta[c], c);
        }
    }
    let static_drop = 1.0 - min.0;
    let dynamic_jitter = jitter.0;
    let ai_uncertainty = 1.0 - theta_min.0;
    let contributions = [
        params.risk_static_drop * static_drop,
        params.risk_dynamic_jitter * dynamic_jitter,
        params.risk_ai_uncertainty * ai_uncertainty,
    ];
    let linear = contributions.iter().sum();
    Some(Risk {
        static_drop,
        static_min_at: (Concept::ALL[min.1], Scene::ALL[min.2]),
        dynamic_jitter,
        jitter_concept: Concept::ALL[jitter.1],
        ai_uncertainty,
        theta_min_concept: Concept::ALL[theta_min.1],
        contributions,
        linear,
        risk: sigmoid(linear),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackmatrix_model::Row;

    fn params() -> Parameters {
        stackmatrix_model::builtin().unwrap().tables.parameters
    }

    fn tensor(rows: [Row; CONCEPT_COUNT]) -> MaturityTensor {
        MaturityTensor {
            static_rows: rows.map(Some),
            dynamic_rows: [None; CONCEPT_COUNT],
        }
    }

    #[test]
    fn a_perfect_matrix_with_full_confidence_is_one_half() {
        let t = tensor([[1.0; SCENE_COUNT]; CONCEPT_COUNT]);
        let r = risk(&t, &[1.0; CONCEPT_COUNT], &params(), &RiskFocus::whole()).unwrap();
        assert_eq!(
            (r.static_drop, r.dynamic_jitter, r.ai_uncertainty),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(r.risk, 0.5);
    }

    #[test]
    fn the_whole_focus_is_the_population_std() {
        let mut rows = [[1.0; SCENE_COUNT]; CONCEPT_COUNT];
        rows[4] = [0.0, 1.0, 0.0, 1.0, 0.0, 1.0];
        rows[2][3] = 0.25;
        let t = tensor(rows);
        let mut theta = [1.0; CONCEPT_COUNT];
        theta[7] = 0.6;
        let p = params();
        let r = risk(&t, &theta, &p, &RiskFocus::whole()).unwrap();
        assert!((r.dynamic_jitter - 0.5).abs() < 1e-12);
        assert_eq!(r.jitter_concept, Concept::Monitor);
        assert_eq!(r.static_drop, 1.0);
        assert_eq!(r.static_min_at, (Concept::Monitor, Scene::Dev));
        assert!((r.ai_uncertainty - 0.4).abs() < 1e-12);
        assert_eq!(r.theta_min_concept, Concept::Scale);
        let linear: f64 = 0.3 * 1.0 + 0.7 * 0.5 + 0.2 * 0.4;
        assert!((r.risk - 1.0 / (1.0 + (-linear).exp())).abs() < 1e-12);
        // A scenario on the scenes where M is 1 and concept weights that skip Q and S.
        let mut w = [1.0; CONCEPT_COUNT];
        w[7] = 0.0;
        let focus = RiskFocus::scenario(&[0.0, 2.0, 0.0, 1.0, 0.0, 1.0], &w);
        let r = risk(&t, &theta, &p, &focus).unwrap();
        // Only Q varies there: 1, 0.25, 1 with scene weights 0.5, 0.25, 0.25.
        let mean = 0.5 + 0.25 * 0.25 + 0.25;
        let var = 0.5 * (1.0 - mean) * (1.0 - mean)
            + 0.25 * (0.25 - mean) * (0.25 - mean)
            + 0.25 * (1.0 - mean) * (1.0 - mean);
        assert!((r.dynamic_jitter - f64::sqrt(var)).abs() < 1e-12);
        assert_eq!(r.jitter_concept, Concept::Quota);
        assert!((r.static_drop - 0.75).abs() < 1e-12);
        assert_eq!(r.ai_uncertainty, 0.0);
    }

    #[test]
    fn an_addon_or_an_empty_focus_cannot_be_assessed() {
        let mut t = tensor([[1.0; SCENE_COUNT]; CONCEPT_COUNT]);
        t.static_rows[3] = None;
        let p = params();
        assert!(risk(&t, &[1.0; CONCEPT_COUNT], &p, &RiskFocus::whole()).is_none());
        let t = tensor([[1.0; SCENE_COUNT]; CONCEPT_COUNT]);
        let none = RiskFocus::scenario(&[1.0; SCENE_COUNT], &[0.0; CONCEPT_COUNT]);
        assert!(risk(&t, &[1.0; CONCEPT_COUNT], &p, &none).is_none());
    }
}
