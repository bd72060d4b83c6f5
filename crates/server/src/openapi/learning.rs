//! The paths of `/v1/learn` and `/v1/calibrate`.

use super::{json_ok, op, verb, with_body, Schemas, BAD, MEDIA, TOO_LARGE};
use serde_json::{json, Value};
use stackmatrix_api::{CalibrateRequest, CalibrateView, LearnRequest, LearnView};

/// The two paths.
pub(super) fn paths(s: &mut Schemas) -> Vec<(&'static str, Value)> {
    vec![
        ("/v1/learn", json!({"post": with_body(
            op("learn", "Θ learned from feedback rows by projected gradient descent (stackmatrix learn --dry-run): the convergence report and the learned Θ. Nothing is written; the server is read-only.", vec![],
               json_ok(s.view::<LearnView>(), "The view, as `stackmatrix learn ... -o json` prints it."), &[BAD, TOO_LARGE, MEDIA]),
            s.request::<LearnRequest>(),
        )})),
        ("/v1/calibrate", verb("calibrate", "Non-negative concept weights (summing to 12) fitted in least squares to the seed's documented scores, with the residuals before and after (stackmatrix calibrate). Changes no default.", vec![], s.view::<CalibrateView>(), s.request::<CalibrateRequest>())),
    ]
}
