//! The schemas and path of `/v1/fleet`.

use super::{
    array, boolean, count, described, fixed_array, json_ok, nullable, number, object,
    object_with_optional, op, r, string, strings, with_body, BAD, MEDIA, TOO_LARGE,
};
use serde_json::{json, Map, Value};

/// Adds the schemas of the answer and the request.
pub(super) fn add_schemas(map: &mut Map<String, Value>) {
    let share = || array(r("FleetShare"));
    let list: Vec<(&str, Value)> = vec![
        ("FleetScored", object(&[("id", string()), ("score", number())])),
        ("FleetRowError", object(&[
            ("column", described(string(), "The column at fault; empty for the row as a whole.")),
            ("reason", string()),
        ])),
        ("FleetRow", object(&[
            ("index", count()),
            ("id", nullable(string())),
            ("vector", described(nullable(fixed_array(number(), 6)), "Scene weights as summed by the rules, in scene order (not normalised); null for a rejected row.")),
            ("require", strings()),
            ("budget_mb", nullable(number())),
            ("chains", array(r("FleetScored"))),
            ("stack", nullable(r("FleetScored"))),
            ("error", nullable(r("FleetRowError"))),
        ])),
        ("FleetShare", object(&[("id", string()), ("rows", count()), ("share", number())])),
        ("FleetScoreDistribution", object(&[
            ("rows", count()),
            ("min", number()),
            ("max", number()),
            ("mean", number()),
            ("quantiles", array(object(&[("q", number()), ("score", number())]))),
            ("histogram", array(object(&[("from", number()), ("to", number()), ("rows", count())]))),
        ])),
        ("FleetSummary", object(&[
            ("input", string()),
            ("output", string()),
            ("rules", string()),
            ("rows", object(&[("read", count()), ("scored", count()), ("rejected", count())])),
            ("distinct_inputs", count()),
            ("top", count()),
            ("stacks", boolean()),
            ("best_chain", share()),
            ("chain_score", nullable(r("FleetScoreDistribution"))),
            ("best_stack", share()),
            ("no_stack", count()),
            ("stack_score", nullable(r("FleetScoreDistribution"))),
            ("rules_matched", share()),
            ("rejected_by_column", share()),
        ])),
        ("Fleet", object(&[
            ("rows", array(r("FleetRow"))),
            ("summary", r("FleetSummary")),
        ])),
        ("FleetRequest", object_with_optional(
            &[("rows", described(
                array(json!({"type": "object", "additionalProperties": {"type": ["string", "number", "boolean", "null"]}})),
                "At most 10,000 rows, each an object of column name to value: the id column and the columns of the built-in fleet rules (stackmatrix fleet rules); null or a missing member is an empty cell.",
            ))],
            &[
                ("top", json!({"type": "integer", "minimum": 1, "maximum": 64, "default": 1})),
                ("stacks", json!({"type": "boolean", "default": false})),
            ],
        )),
    ];
    for (k, v) in list {
        map.insert(k.to_string(), v);
    }
}

/// The path.
pub(super) fn paths() -> Vec<(&'static str, Value)> {
    vec![(
        "/v1/fleet",
        json!({"post": with_body(
            op("fleet", "Inventory rows given inline, mapped by the built-in fleet rules to a scene vector and requirements and scored as stackmatrix fleet score scores a file's rows (best chains, best stack), with the fleet summary. Bad rows are answered with their column and reason.", vec![],
               json_ok(r("Fleet"), "Every row's answer and the summary."), &[BAD, TOO_LARGE, MEDIA]),
            "FleetRequest",
        )}),
    )]
}
