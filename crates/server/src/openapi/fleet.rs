//! The path of `/v1/fleet`.

use super::{json_ok, op, with_body, Schemas, BAD, MEDIA, TOO_LARGE};
use serde_json::{json, Value};
use stackmatrix_api::{FleetRequest, FleetView};

/// The path.
pub(super) fn paths(s: &mut Schemas) -> Vec<(&'static str, Value)> {
    vec![(
        "/v1/fleet",
        json!({"post": with_body(
            op("fleet", "Inventory rows given inline, mapped by the built-in fleet rules to a scene vector and requirements and scored as stackmatrix fleet score scores a file's rows (best chains, best stack), with the fleet summary. Bad rows are answered with their column and reason.", vec![],
               json_ok(s.view::<FleetView>(), "Every row's answer and the summary."), &[BAD, TOO_LARGE, MEDIA]),
            s.request::<FleetRequest>(),
        )}),
    )]
}
