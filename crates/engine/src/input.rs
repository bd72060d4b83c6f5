//! What a user asks about: a scene vector, concept weights and a time mode, checked and normalised.
//!
//! # One scoring path
//!
//! Every path that scores a scene vector (`rank`, `explain`, `recommend`, `rank --method`,
//! `robustness`, reports, `fleet score` on CSV or Parquet, `POST /v1/fleet`, the audits) gets
//! its [`PreparedScenario`] from one constructor, [`ScenarioInput::prepare`]: the input checked,
//! the scene vector normalised, the concept weights, the time slice and Θ of the knowledge base
//! (`tables/theta.toml [value]`) settled together. No other public function turns a
//! [`ScenarioInput`] into a [`PreparedScenario`], so a path cannot score without Θ (as fleet
//! once did: defect 14 of issue 13). A prepared scenario can then only be derived from
//! ([`PreparedScenario::basis`], [`PreparedScenario::with_theta`]), keeping its checked parts.

use serde::Serialize;
use stackmatrix_model::{
    Concept, KnowledgeBase, Names, Scenario, Scene, TimeMode, ValueProblem, WeightsProblem,
    CONCEPT_COUNT, SCENE_COUNT,
};

/// A scenario as the user gave it: from the knowledge base or from flags.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioInput {
    /// The scenario id, when it comes from the knowledge base.
    pub id: Option<String>,
    /// Display names, when known.
    pub name: Option<Names>,
    /// Scene weights as given (any positive scale).
    pub vector: [f64; SCENE_COUNT],
    /// Concept weights as given.
    pub weights: [f64; CONCEPT_COUNT],
    /// Time mode.
    pub time: TimeMode,
}

/// A scenario ready for scoring: scene vector normalised to sum 1, weights checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreparedScenario {
    /// The scenario id, or `null` for a vector given on the command line.
    pub id: Option<String>,
    /// The scene vector as used, summing to 1, in scene order.
    pub vector: [f64; SCENE_COUNT],
    /// What the input vector summed to (1 when it needed no normalisation).
    pub input_sum: f64,
    /// Concept weights as used, in concept order.
    pub weights: [f64; CONCEPT_COUNT],
    /// `static`, `dynamic` or `blend`.
    pub time: &'static str,
    /// Θ = diag(θ): each concept's learned confidence θ_c in [0, 1], in concept order; every
    /// score is `10 · Σ w_c θ_c f_c / Σ w_c` ([`crate::theta_weighted_score`]). All ones (the
    /// default) changes no score, and is then left out of JSON.
    #[serde(skip_serializing_if = "theta_is_identity")]
    pub theta: [f64; CONCEPT_COUNT],
    #[serde(skip)]
    pub(crate) time_mode: TimeMode,
    #[serde(skip)]
    pub(crate) name: Option<Names>,
}

impl PreparedScenario {
    /// The same scenario with the one-hot vector of `scene` (weights, time slice and Θ kept):
    /// the per-environment scenarios of a stack that spans environments.
    pub fn basis(&self, scene: Scene) -> PreparedScenario {
        let mut vector = [0.0; SCENE_COUNT];
        vector[scene.index()] = 1.0;
        PreparedScenario {
            vector,
            input_sum: 1.0,
            ..self.clone()
        }
    }

    /// The time mode.
    pub fn time_mode(&self) -> TimeMode {
        self.time_mode
    }

    /// Display names, when known.
    pub fn name(&self) -> Option<&Names> {
        self.name.as_ref()
    }

    /// True when Θ is not the identity, so scores differ from the seed's formula.
    pub fn theta_applied(&self) -> bool {
        !theta_is_identity(&self.theta)
    }

    /// The same scenario scored with Θ = diag(`theta`) instead of the knowledge base's: a
    /// candidate Θ (`learn`) or a what-if. Each θ_c must be a number in [0, 1].
    pub fn with_theta(mut self, theta: [f64; CONCEPT_COUNT]) -> Result<Self, InputError> {
        for (c, t) in Concept::ALL.iter().zip(theta) {
            if !(0.0..=1.0).contains(&t) {
                return Err(InputError::ThetaOutOfRange {
                    concept: c.key(),
                    value: t,
                });
            }
        }
        self.theta = theta;
        Ok(self)
    }

    /// The Θ-weighted score of a fit vector in this scenario: [`crate::theta_weighted_score`]
    /// with the scenario's weights and Θ.
    pub fn score(&self, fit: &[f64; CONCEPT_COUNT]) -> f64 {
        crate::scoring::theta_weighted_score(fit, &self.weights, &self.theta)
    }

    /// Each concept's share of [`PreparedScenario::score`]: `10 · w_c θ_c f_c / Σ w`.
    pub fn contributions(&self, fit: &[f64; CONCEPT_COUNT]) -> [f64; CONCEPT_COUNT] {
        crate::scoring::theta_score_contributions(fit, &self.weights, &self.theta)
    }

    /// True when the input vector did not sum to 1 and was rescaled.
    pub fn was_normalised(&self) -> bool {
        (self.input_sum - 1.0).abs() > 1e-12
    }
}

fn theta_is_identity(theta: &[f64; CONCEPT_COUNT]) -> bool {
    theta.iter().all(|&t| t == 1.0)
}

/// Why a scenario input cannot be scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    /// A scene weight is not a quantity (NaN, infinite, negative or above 10¹²).
    #[error("scene weight {scene}: {problem}; expected {}", ValueProblem::EXPECTED)]
    SceneValue {
        /// Scene key.
        scene: &'static str,
        /// What is wrong with it.
        problem: ValueProblem,
    },
    /// Every scene weight is zero.
    #[error("every scene weight is zero; at least one scene must weigh more than 0")]
    SceneAllZero,
    /// A concept weight is not a quantity (NaN, infinite, negative or above 10¹²).
    #[error(
        "concept weight {concept}: {problem}; expected {}",
        ValueProblem::EXPECTED
    )]
    WeightValue {
        /// Concept key.
        concept: &'static str,
        /// What is wrong with it.
        problem: ValueProblem,
    },
    /// Every concept weight is zero.
    #[error("every concept weight is zero; at least one concept must weigh more than 0")]
    WeightAllZero,
    /// A θ_c is outside [0, 1] or not a number.
    #[error("θ of concept {concept} = {value} is not in [0, 1]")]
    ThetaOutOfRange {
        /// Concept key.
        concept: &'static str,
        /// The value.
        value: f64,
    },
}

impl ScenarioInput {
    /// The input for a knowledge-base scenario, with its own time mode or static.
    pub fn from_scenario(s: &Scenario) -> ScenarioInput {
        ScenarioInput {
            id: Some(s.id.clone()),
            name: Some(s.name.clone()),
            vector: s.vector,
            weights: s.weights,
            time: s.time.unwrap_or_default(),
        }
    }

    /// A scene vector given alone, as `--vector`, a `vector` field or a fleet row gives it: no
    /// id, every concept weight 1, the static time slice.
    pub fn from_vector(vector: [f64; SCENE_COUNT]) -> ScenarioInput {
        ScenarioInput {
            id: None,
            name: None,
            vector,
            weights: [1.0; CONCEPT_COUNT],
            time: TimeMode::Static,
        }
    }

    /// The scenario to score for this input in `kb`: the one constructor every scoring path
    /// uses (see the module documentation).
    ///
    /// Scene weights and concept weights must be quantities ([`stackmatrix_model::quantity`]:
    /// finite, 0 to 10¹², so no sum of them overflows) and not all zero. The scene vector is
    /// normalised to sum 1; the concept weights are kept as given (the score does not depend on
    /// their scale); Θ is the knowledge base's, each θ_c in [0, 1] (the model checks this when
    /// it loads; it is checked again here because the tables are public fields). The work is
    /// per scenario, never per fleet row: fleet scoring prepares each distinct rule set once.
    pub fn prepare(&self, kb: &KnowledgeBase) -> Result<PreparedScenario, InputError> {
        self.checked()?.with_theta(kb.tables.theta.value)
    }

    /// The input checked and its scene vector normalised to sum 1, with Θ the identity.
    fn checked(&self) -> Result<PreparedScenario, InputError> {
        // The rules of `stackmatrix_model::weights`, which `model check` applies to the
        // scenario files: what one refuses, the other refuses.
        stackmatrix_model::weights(&self.vector).map_err(|e| match e {
            WeightsProblem::Value { index, problem } => InputError::SceneValue {
                scene: Scene::ALL[index].key(),
                problem,
            },
            WeightsProblem::AllZero => InputError::SceneAllZero,
        })?;
        stackmatrix_model::weights(&self.weights).map_err(|e| match e {
            WeightsProblem::Value { index, problem } => InputError::WeightValue {
                concept: Concept::ALL[index].key(),
                problem,
            },
            WeightsProblem::AllZero => InputError::WeightAllZero,
        })?;
        // Compensated, so a vector that sums to 1 on paper is left unchanged bit for bit.
        let sum = crate::scoring::compensated_sum(self.vector);
        Ok(PreparedScenario {
            id: self.id.clone(),
            vector: normalise_scene_vector(&self.vector, sum),
            input_sum: sum,
            weights: self.weights,
            time: self.time.key(),
            theta: [1.0; CONCEPT_COUNT],
            time_mode: self.time,
            name: self.name.clone(),
        })
    }
}

/// Scales a non-negative scene vector to sum 1: `s / Σ s`.
///
/// A vector that already sums to 1 is returned unchanged, bit for bit, so the seed's one-hot
/// vectors score exactly as numpy scores them.
pub fn normalise_scene_vector(v: &[f64; SCENE_COUNT], sum: f64) -> [f64; SCENE_COUNT] {
    if sum == 1.0 {
        *v
    } else {
        v.map(|x| x / sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(vector: [f64; SCENE_COUNT]) -> ScenarioInput {
        ScenarioInput {
            id: None,
            name: None,
            vector,
            weights: [1.0; CONCEPT_COUNT],
            time: TimeMode::Static,
        }
    }

    #[test]
    fn normalises_and_remembers_the_input_sum() {
        let p = input([0.0, 0.0, 0.0, 2.0, 2.0, 0.0]).checked().unwrap();
        assert_eq!(p.vector, [0.0, 0.0, 0.0, 0.5, 0.5, 0.0]);
        assert_eq!(p.input_sum, 4.0);
        assert!(p.was_normalised());
        let q = input([0.0, 0.0, 0.0, 1.0, 0.0, 0.0]).checked().unwrap();
        assert!(!q.was_normalised());
    }

    #[test]
    fn refuses_bad_vectors_and_weights() {
        assert_eq!(input([0.0; 6]).checked(), Err(InputError::SceneAllZero));
        assert!(matches!(
            input([0.0, -1.0, 0.0, 1.0, 0.0, 0.0]).checked(),
            Err(InputError::SceneValue {
                scene: "ci",
                problem: ValueProblem::Negative(_)
            })
        ));
        assert!(matches!(
            input([f64::NAN, 0.0, 0.0, 1.0, 0.0, 0.0]).checked(),
            Err(InputError::SceneValue {
                scene: "dev",
                problem: ValueProblem::NotFinite(_)
            })
        ));
        let mut i = input([1.0; 6]);
        i.weights = [0.0; CONCEPT_COUNT];
        assert_eq!(i.checked(), Err(InputError::WeightAllZero));
        i.weights[11] = f64::INFINITY;
        assert!(matches!(
            i.checked(),
            Err(InputError::WeightValue {
                concept: "Theta",
                problem: ValueProblem::NotFinite(_)
            })
        ));
        i.weights[11] = -2.0;
        assert!(matches!(
            i.checked(),
            Err(InputError::WeightValue {
                problem: ValueProblem::Negative(_),
                ..
            })
        ));
    }

    /// Issue 13, defect 9: finite values whose sum overflows made every score NaN; they are
    /// refused by the rule `model check` applies to scenario files.
    #[test]
    fn refuses_values_whose_sum_would_overflow() {
        let e = input([1e308, 1e308, 0.0, 0.0, 0.0, 0.0])
            .checked()
            .unwrap_err();
        assert_eq!(
            e,
            InputError::SceneValue {
                scene: "dev",
                problem: ValueProblem::TooLarge(1e308)
            }
        );
        assert_eq!(
            e.to_string(),
            "scene weight dev: 1e308 is too large; expected a finite number of 0 or more, at most 1e12"
        );
        let mut i = input([1.0; 6]);
        i.weights[0] = 1e13;
        assert!(matches!(
            i.checked(),
            Err(InputError::WeightValue {
                concept: "I",
                problem: ValueProblem::TooLarge(_)
            })
        ));
    }

    #[test]
    fn the_constructor_lays_the_knowledge_bases_theta_over_the_checked_input() {
        let mut kb = stackmatrix_model::builtin().unwrap();
        let plain = ScenarioInput::from_vector([0.0, 0.0, 1.0, 1.0, 0.0, 0.0])
            .prepare(&kb)
            .unwrap();
        assert!(!plain.theta_applied());
        assert_eq!(plain.vector, [0.0, 0.0, 0.5, 0.5, 0.0, 0.0]);
        assert_eq!(
            (plain.weights, plain.time),
            ([1.0; CONCEPT_COUNT], "static")
        );
        kb.tables.theta.value[1] = 0.3;
        let p = ScenarioInput::from_vector([1.0; 6]).prepare(&kb).unwrap();
        assert_eq!(p.theta, kb.tables.theta.value);
        kb.tables.theta.value[1] = 1.5;
        assert!(matches!(
            ScenarioInput::from_vector([1.0; 6]).prepare(&kb),
            Err(InputError::ThetaOutOfRange { concept: "C", .. })
        ));
    }

    #[test]
    fn values_the_model_refuses_are_refused_by_the_constructor() {
        let kb = stackmatrix_model::builtin().unwrap();
        let big = ScenarioInput::from_vector([f64::MAX; 6]);
        assert!(matches!(
            big.prepare(&kb),
            Err(InputError::SceneValue { scene: "dev", .. })
        ));
        let mut heavy = ScenarioInput::from_vector([1.0; 6]);
        heavy.weights = [1e308; CONCEPT_COUNT];
        assert!(matches!(
            heavy.prepare(&kb),
            Err(InputError::WeightValue { concept: "I", .. })
        ));
    }

    #[test]
    fn a_basis_keeps_weights_time_and_theta() {
        let mut kb = stackmatrix_model::builtin().unwrap();
        kb.tables.theta.value[4] = 0.5;
        let mut input = ScenarioInput::from_vector([1.0, 2.0, 0.0, 0.0, 0.0, 3.0]);
        input.weights[2] = 4.0;
        input.time = TimeMode::Blend;
        let p = input.prepare(&kb).unwrap();
        let b = p.basis(Scene::Edge);
        assert_eq!(b.vector, [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        assert!(!b.was_normalised());
        assert_eq!(
            (b.weights, b.theta, b.time_mode()),
            (p.weights, p.theta, p.time_mode())
        );
    }
}
