//! The paths of `/v1/deps` and `/v1/ops`.

use super::{query, scenario_query, string, verb, Schemas};
use serde_json::{json, Value};
use stackmatrix_api::{DepsAnswer, DepsRequest, OpsAnswer, OpsRequest};

/// The two paths.
pub(super) fn paths(s: &mut Schemas) -> Vec<(&'static str, Value)> {
    let mut deps_params = scenario_query();
    deps_params.extend([
        query("concept", "One concept key: what it depends on and what depends on it. Not with a scenario.", string()),
        query("tech", "With a scenario: the technology whose coverage is checked.", string()),
        query("stack", "With a scenario: the stack whose coverage is checked, ids comma-separated or repeated (at most 16).", string()),
        query("min_fit", "A concept is covered when its fit is at least this (default 0.5).", json!({"type": "number", "minimum": 0, "maximum": 1})),
    ]);
    let mut ops_params = scenario_query();
    ops_params.extend([
        query("apply", "Operation ids in the order performed, comma-separated (build-image,deploy-container); without it the answer is the list.", string()),
        query("to", "The vector to act on: 12 numbers in [0, 1] or KEY=VALUE pairs (I=0.9,C=0.8; others 1).", string()),
        query("tech", "Act on this technology's fit in the scenario.", string()),
        query("stack", "Act on this stack's fit, ids comma-separated or repeated.", string()),
    ]);
    vec![
        ("/v1/deps", verb("deps", "Concept dependencies (row depends on column): the relation, its closure, cyclic groups and critical chains; one concept with concept; a stack's coverage of a scenario with scenario and tech or stack (stackmatrix deps).", deps_params, s.view::<DepsAnswer>(), s.request::<DepsRequest>())),
        ("/v1/ops", verb("ops", "The named operations (stackmatrix ops list), or with apply a chain of them applied to a concept vector, T = diag(impact) products (stackmatrix ops apply).", ops_params, s.view::<OpsAnswer>(), s.request::<OpsRequest>())),
    ]
}
