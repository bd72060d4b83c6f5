//! `calibrate`: the non-negative concept weights (summing to 12) that bring the computed scores
//! closest, in least squares, to the source document's scores. Changes no default.

use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};
use stackmatrix_engine::{calibrate_weights, CalibrationError, CALIBRATION_WEIGHT_SUM};
use stackmatrix_model::{Concept, KnowledgeBase, Lang, CONCEPT_COUNT};

/// `calibrate` takes no parameters; the request exists so that the verb looks like the others
/// (a JSON body `{}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalibrateRequest {}

/// One documented score: claimed, computed with the default weights and with the calibrated
/// ones.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CalibrationFigureView {
    /// Scenario id.
    pub scenario: String,
    /// Chain id.
    pub tech: String,
    /// The name as the document writes it.
    pub label: String,
    /// The documented score.
    pub claimed: f64,
    /// Computed with the default weights (the scenario's own; what `rank` shows).
    pub computed_default: f64,
    /// Computed with the calibrated weights.
    pub computed_calibrated: f64,
    /// computed_default − claimed.
    pub residual_default: f64,
    /// computed_calibrated − claimed.
    pub residual_calibrated: f64,
}

/// One calibrated weight.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CalibratedWeightView {
    /// Concept key.
    pub concept: &'static str,
    /// Concept name in the chosen language.
    pub name: String,
    /// The calibrated weight (the weights sum to 12; the default is 1 each).
    pub weight: f64,
}

/// A documented line calibration could not use.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CalibrationSkipView {
    /// Scenario id.
    pub scenario: String,
    /// The name as the document writes it.
    pub label: String,
    /// Why it was left out.
    pub reason: String,
}

/// `calibrate`'s answer.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CalibrateView {
    /// Every documented score used.
    pub figures: Vec<CalibrationFigureView>,
    /// Documented lines left out, with why.
    pub skipped: Vec<CalibrationSkipView>,
    /// The calibrated weights, concept order.
    pub weights: Vec<CalibratedWeightView>,
    /// What the weights sum to (12).
    pub weight_sum: f64,
    /// Root mean square residual with the default weights.
    pub rms_default: f64,
    /// Root mean square residual with the calibrated weights.
    pub rms_calibrated: f64,
    /// True when the solution was checked against the KKT conditions of the problem.
    pub kkt_verified: bool,
    /// Groups of concept keys whose fits are equal in every figure: only each group's total
    /// weight is determined, and it is split equally among them.
    pub interchangeable: Vec<Vec<&'static str>>,
    /// What this is and is not.
    pub note: String,
}

/// `calibrate`: see `stackmatrix_engine::calibrate_weights`.
pub fn calibrate(
    kb: &KnowledgeBase,
    lang: Lang,
    _req: &CalibrateRequest,
) -> ApiResult<CalibrateView> {
    let c =
        calibrate_weights(kb).map_err(|e: CalibrationError| ApiError::failure(e.to_string()))?;
    let weights = Concept::ALL
        .iter()
        .map(|k| CalibratedWeightView {
            concept: k.key(),
            name: kb.concept_names(*k).get(lang).to_string(),
            weight: c.weights[k.index()],
        })
        .collect();
    let note = match lang {
        Lang::En => "Calibration shows how close any non-negative concept weighting (summing to 12) can bring the computed scores to the seed's; it changes no default: scenarios keep their weights, and rank computes as before.",
        Lang::Zh => "校准显示任意非负概念权重（总和为 12）能让计算得分多接近种子文档的得分；它不改变任何默认值：场景保留原权重，rank 的计算不变。",
    }
    .to_string();
    Ok(CalibrateView {
        figures: c
            .figures
            .iter()
            .map(|f| CalibrationFigureView {
                scenario: f.scenario.clone(),
                tech: f.tech.clone(),
                label: f.label.clone(),
                claimed: f.claimed,
                computed_default: f.computed_default,
                computed_calibrated: f.computed_calibrated,
                residual_default: f.computed_default - f.claimed,
                residual_calibrated: f.computed_calibrated - f.claimed,
            })
            .collect(),
        skipped: c
            .skipped
            .iter()
            .map(|(s, l, r)| CalibrationSkipView {
                scenario: s.clone(),
                label: l.clone(),
                reason: r.clone(),
            })
            .collect(),
        weights,
        weight_sum: CALIBRATION_WEIGHT_SUM,
        rms_default: c.rms_default,
        rms_calibrated: c.rms_calibrated,
        kkt_verified: c.kkt_verified,
        interchangeable: c
            .interchangeable
            .iter()
            .map(|g| g.iter().map(|k| k.key()).collect())
            .collect(),
        note,
    })
}

const _: () = assert!(CONCEPT_COUNT == 12);
