//! The schemas and paths of `/v1/deps` and `/v1/ops`.

use super::{
    array, boolean, count, described, fixed_array, nullable, number, object, object_with_optional,
    query, r, scenario_query, string, strings, verb,
};
use serde_json::{json, Map, Value};

fn kind(k: &str) -> Value {
    json!({"type": "string", "enum": [k]})
}

fn scenario_members() -> Vec<(&'static str, Value)> {
    vec![
        (
            "scenario",
            described(nullable(string()), "A scenario id. Give this or vector."),
        ),
        ("vector", nullable(r("SceneVector"))),
        ("weights", nullable(r("ConceptWeights"))),
        (
            "time",
            nullable(json!({"type": "string", "enum": ["static", "dynamic", "blend"]})),
        ),
    ]
}

/// Adds the schemas of the answers and requests.
pub(super) fn add_schemas(map: &mut Map<String, Value>) {
    let direction = || described(string(), "How the table is read: row depends on column.");
    let square = || fixed_array(fixed_array(count(), 12), 12);
    let list: Vec<(&str, Value)> = vec![
        ("ConceptRef", object(&[("key", string()), ("symbol", string()), ("name", string())])),
        ("DepsGroup", object(&[
            ("concepts", strings()),
            ("cyclic", boolean()),
            ("level", count()),
            ("depends_on", array(count())),
        ])),
        ("DepsDepth", object(&[("concept", string()), ("depth", count()), ("chain", strings())])),
        ("DepsRelation", object(&[
            ("kind", kind("relation")),
            ("direction", direction()),
            ("concepts", array(r("ConceptRef"))),
            ("relation", described(square(), "relation[i][j] = 1: concept i depends on concept j.")),
            ("closure", described(square(), "The transitive closure (Warshall).")),
            ("links", count()),
            ("closure_links", count()),
            ("mutual", array(fixed_array(string(), 2))),
            ("groups", array(r("DepsGroup"))),
            ("group_chain", array(count())),
            ("depths", array(r("DepsDepth"))),
            ("critical", object(&[("depth", count()), ("chains", array(strings()))])),
            ("summary", string()),
        ])),
        ("DepsLink", object(&[
            ("concept", string()),
            ("name", string()),
            ("distance", count()),
            ("chain", strings()),
        ])),
        ("DepsConcept", object(&[
            ("kind", kind("concept")),
            ("direction", direction()),
            ("concept", r("ConceptRef")),
            ("depends_on", array(r("DepsLink"))),
            ("required_by", array(r("DepsLink"))),
            ("cyclic", boolean()),
            ("group", strings()),
            ("critical", r("DepsDepth")),
            ("summary", string()),
        ])),
        ("DepsCoverage", object(&[
            ("kind", kind("coverage")),
            ("direction", direction()),
            ("scenario", r("Scenario")),
            ("stack", object(&[("id", string()), ("name", string()), ("members", strings())])),
            ("min_fit", number()),
            ("fit", r("ConceptValues")),
            ("weighed", strings()),
            ("required", strings()),
            ("covered", boolean()),
            ("uncovered", array(object(&[
                ("concept", string()),
                ("name", string()),
                ("fit", number()),
                ("needed_by", array(object(&[("concept", string()), ("chain", strings())]))),
            ]))),
            ("stack_problems", strings()),
            ("summary", string()),
        ])),
        ("Deps", described(
            json!({"anyOf": [r("DepsRelation"), r("DepsConcept"), r("DepsCoverage")]}),
            "The whole analysis (kind relation), one concept (kind concept) or the coverage check (kind coverage).",
        )),
        ("Operation", object(&[
            ("id", string()),
            ("group", json!({"type": "string", "enum": ["build", "deploy", "scale", "upgrade"]})),
            ("name", string()),
            ("names", object(&[("en", string()), ("zh", string())])),
            ("impact", r("ConceptValues")),
        ])),
        ("OpsList", object(&[
            ("kind", kind("list")),
            ("semantics", string()),
            ("operations", array(r("Operation"))),
        ])),
        ("OpsStep", object(&[
            ("operation", string()),
            ("name", string()),
            ("impact", r("ConceptValues")),
            ("vector", r("ConceptValues")),
        ])),
        ("OpsApply", object(&[
            ("kind", kind("apply")),
            ("semantics", string()),
            ("chain", strings()),
            ("input", object(&[
                ("source", json!({"type": "string", "enum": ["vector", "fit", "unit"]})),
                ("stack", nullable(string())),
                ("scenario", nullable(r("Scenario"))),
                ("vector", r("ConceptValues")),
            ])),
            ("steps", array(r("OpsStep"))),
            ("combined", r("ConceptValues")),
            ("result", r("ConceptValues")),
            ("readiness", nullable(number())),
            ("exercised", strings()),
            ("summary", string()),
        ])),
        ("Ops", described(
            json!({"anyOf": [r("OpsList"), r("OpsApply")]}),
            "The list (kind list) or a chain applied (kind apply).",
        )),
    ];
    for (k, v) in list {
        map.insert(k.to_string(), v);
    }
    let stack = || {
        described(
            nullable(json!({"type": "array", "maxItems": 16, "items": string()})),
            "Technology ids, composed by the composition rule. Not with tech.",
        )
    };
    let mut deps = scenario_members();
    deps.extend([
        (
            "concept",
            described(
                nullable(string()),
                "A concept key (C, Theta or Θ): its dependencies. Not with a scenario.",
            ),
        ),
        (
            "tech",
            described(nullable(string()), "The technology of the coverage check."),
        ),
        ("stack", stack()),
        (
            "min_fit",
            json!({"type": "number", "minimum": 0, "maximum": 1, "default": 0.5}),
        ),
    ]);
    let mut ops = scenario_members();
    ops.extend([
        ("apply", described(nullable(json!({"type": "array", "maxItems": 64, "items": string()})), "Operation ids in the order performed; without it the answer is the list.")),
        ("to", described(nullable(json!({"oneOf": [
            fixed_array(number(), 12),
            {"type": "object", "additionalProperties": number()},
        ]})), "The vector to act on, in [0, 1]: 12 numbers in concept order or an object keyed by concept (others 1). Not with tech, stack or a scenario.")),
        ("tech", described(nullable(string()), "Act on this technology's fit in the scenario.")),
        ("stack", stack()),
    ]);
    map.insert("DepsRequest".into(), object_with_optional(&[], &deps));
    map.insert("OpsRequest".into(), object_with_optional(&[], &ops));
}

/// The two paths.
pub(super) fn paths() -> Vec<(&'static str, Value)> {
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
        ("/v1/deps", verb("deps", "Concept dependencies (row depends on column): the relation, its closure, cyclic groups and critical chains; one concept with concept; a stack's coverage of a scenario with scenario and tech or stack (stackmatrix deps).", deps_params, "Deps", "DepsRequest")),
        ("/v1/ops", verb("ops", "The named operations (stackmatrix ops list), or with apply a chain of them applied to a concept vector, T = diag(impact) products (stackmatrix ops apply).", ops_params, "Ops", "OpsRequest")),
    ]
}
