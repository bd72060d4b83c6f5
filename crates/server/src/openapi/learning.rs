//! The schemas and paths of `/v1/learn` and `/v1/calibrate`.

use super::{
    array, boolean, count, described, fixed_array, json_ok, nullable, number, object,
    object_with_optional, op, r, string, strings, verb, with_body, BAD, MEDIA, TOO_LARGE,
};
use serde_json::{json, Map, Value};

/// Adds the schemas of the answers and requests.
pub(super) fn add_schemas(map: &mut Map<String, Value>) {
    let theta = || fixed_array(number(), 12);
    let list: Vec<(&str, Value)> = vec![
        ("FeedbackRow", object_with_optional(&[], &[
            ("kind", described(json!({"type": "string", "enum": ["observation", "preference"]}), "Inferred when left out: a row with preferred or other is a preference.")),
            ("tech", described(string(), "Observation: a technology id or a stack a+b.")),
            ("scenario", described(string(), "A scenario id. Give this or vector.")),
            ("vector", r("SceneVector")),
            ("concept", described(string(), "Observation: a concept key (I ... Theta, or Θ).")),
            ("observed", described(json!({"type": "number", "minimum": 0, "maximum": 1}), "Observation: the outcome; the model predicts θ_c · fit_c.")),
            ("preferred", described(string(), "Preference: the technology or stack that should score higher.")),
            ("other", described(string(), "Preference: the one it should score above.")),
        ])),
        ("LearnRequest", object_with_optional(
            &[("rows", described(array(r("FeedbackRow")), "At most 10,000 rows; rows × epochs at most 50,000,000."))],
            &[
                ("loss", json!({"type": "string", "enum": ["mse", "mae", "cross-entropy", "ranking"], "default": "mse"})),
                ("optimizer", json!({"type": "string", "enum": ["gd", "sgd", "adam"], "default": "gd"})),
                ("epochs", json!({"type": "integer", "minimum": 1, "maximum": 1000000, "default": 20000})),
                ("lr_scale", described(nullable(number()), "Multiplier K of the published per-concept learning rates; default 500 for gd and sgd, 100 for adam.")),
                ("tolerance", json!({"type": "number", "minimum": 0, "default": 1e-12})),
                ("seed", json!({"type": "integer", "minimum": 0, "default": 1})),
                ("every", described(nullable(count()), "Report the loss of every k-th epoch; default about 20 lines.")),
            ],
        )),
        ("Learn", object(&[
            ("loss", string()),
            ("optimizer", string()),
            ("lr_scale", number()),
            ("max_epochs", count()),
            ("tolerance", number()),
            ("seed", count()),
            ("observations", count()),
            ("preferences", count()),
            ("rows_used", count()),
            ("epochs", count()),
            ("stop", json!({"type": "string", "enum": ["converged", "max_epochs", "not_finite"]})),
            ("initial_loss", number()),
            ("final_loss", number()),
            ("history", array(object(&[("epoch", count()), ("loss", number())]))),
            ("every", count()),
            ("initial_theta", theta()),
            ("theta", described(theta(), "The learned Θ, concept order.")),
            ("concepts", array(object(&[
                ("concept", string()),
                ("name", string()),
                ("initial", number()),
                ("learned", number()),
                ("change", number()),
                ("step_size", number()),
                ("informed", boolean()),
            ]))),
            ("uninformed", strings()),
            ("notes", strings()),
        ])),
        ("CalibrateRequest", object(&[])),
        ("Calibrate", object(&[
            ("figures", array(object(&[
                ("scenario", string()),
                ("tech", string()),
                ("label", string()),
                ("claimed", number()),
                ("computed_default", number()),
                ("computed_calibrated", number()),
                ("residual_default", number()),
                ("residual_calibrated", number()),
            ]))),
            ("skipped", array(object(&[("scenario", string()), ("label", string()), ("reason", string())]))),
            ("weights", array(object(&[("concept", string()), ("name", string()), ("weight", number())]))),
            ("weight_sum", number()),
            ("rms_default", number()),
            ("rms_calibrated", number()),
            ("kkt_verified", boolean()),
            ("interchangeable", array(strings())),
            ("note", string()),
        ])),
    ];
    for (k, v) in list {
        map.insert(k.to_string(), v);
    }
}

/// The two paths.
pub(super) fn paths() -> Vec<(&'static str, Value)> {
    vec![
        ("/v1/learn", json!({"post": with_body(
            op("learn", "Θ learned from feedback rows by projected gradient descent (stackmatrix learn --dry-run): the convergence report and the learned Θ. Nothing is written; the server is read-only.", vec![],
               json_ok(r("Learn"), "The view, as `stackmatrix learn ... -o json` prints it."), &[BAD, TOO_LARGE, MEDIA]),
            "LearnRequest",
        )})),
        ("/v1/calibrate", verb("calibrate", "Non-negative concept weights (summing to 12) fitted in least squares to the seed's documented scores, with the residuals before and after (stackmatrix calibrate). Changes no default.", vec![], "Calibrate", "CalibrateRequest")),
    ]
}
