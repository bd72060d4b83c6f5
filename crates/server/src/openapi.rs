//! The OpenAPI 3.1 document of the server (`GET /openapi.json`), written by hand.
//!
//! The tests check it against the router (every route and method is described, nothing else is)
//! and the answers against its schemas (every member an answer has is described, every
//! required member is there, with its type).

use serde_json::{json, Map, Value};
use std::sync::OnceLock;

// The paths and schemas of /v1/deps and /v1/ops.
mod deps_ops;
mod fleet;
// The paths and schemas of /v1/learn and /v1/calibrate.
mod learning;

fn string() -> Value {
    json!({"type": "string"})
}
fn number() -> Value {
    json!({"type": "number"})
}
fn count() -> Value {
    json!({"type": "integer", "minimum": 0})
}
fn boolean() -> Value {
    json!({"type": "boolean"})
}
fn strings() -> Value {
    array(string())
}
fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}
fn fixed_array(items: Value, n: usize) -> Value {
    json!({"type": "array", "items": items, "minItems": n, "maxItems": n})
}
fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}
/// `null` or the schema.
fn nullable(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
}
fn described(mut schema: Value, description: &str) -> Value {
    schema["description"] = description.into();
    schema
}

/// An object whose members are all required, and no others.
fn object(members: &[(&str, Value)]) -> Value {
    object_with_optional(members, &[])
}

/// An object with required and optional members, and no others.
fn object_with_optional(required: &[(&str, Value)], optional: &[(&str, Value)]) -> Value {
    let mut props = Map::new();
    for (k, v) in required.iter().chain(optional) {
        props.insert(k.to_string(), v.clone());
    }
    json!({
        "type": "object",
        "properties": props,
        "required": required.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        "additionalProperties": false,
    })
}

const SCENES: [&str; 6] = ["dev", "ci", "prod", "edge", "serverless", "multitenant"];
const CONCEPTS: [&str; 12] = [
    "I", "C", "Q", "R", "M", "V", "L", "S", "B", "P", "T", "Theta",
];

fn schemas() -> Map<String, Value> {
    let concept_values = object(&CONCEPTS.iter().map(|c| (*c, number())).collect::<Vec<_>>());
    let time = json!({"type": "string", "enum": ["static", "dynamic", "blend"]});
    let list: Vec<(&str, Value)> = vec![
        ("ConceptValues", described(concept_values, "Per-concept values keyed by concept key, in concept order.")),
        ("Scenario", object_with_optional(&[
            ("id", nullable(string())),
            ("name", nullable(string())),
            ("vector", fixed_array(number(), 6)),
            ("input_sum", number()),
            ("normalised", boolean()),
            ("weights", fixed_array(number(), 12)),
            ("time", time.clone()),
        ], &[
            ("theta", described(fixed_array(number(), 12), "Θ as scored, when it is not all ones (a learned tables/theta.toml): scores are 10 · Σ w θ f / Σ w.")),
            ("theta_note", string()),
        ])),
        ("RankEntry", object(&[
            ("rank", count()),
            ("tied", boolean()),
            ("id", string()),
            ("name", string()),
            ("members", strings()),
            ("score", number()),
            ("fit", r("ConceptValues")),
        ])),
        ("ClaimLine", object(&[
            ("label", string()),
            ("tech", nullable(string())),
            ("claimed_rank", nullable(count())),
            ("claimed_score", nullable(number())),
            ("computed_rank", nullable(count())),
            ("computed_score", nullable(number())),
            ("difference", nullable(number())),
        ])),
        ("StackMember", object(&[("label", string()), ("tech", nullable(string()))])),
        ("Claims", object(&[
            ("source", string()),
            ("ranking", array(r("ClaimLine"))),
            ("stack", array(r("StackMember"))),
        ])),
        ("Infeasible", object(&[("id", string()), ("problems", strings())])),
        ("Rank", object_with_optional(
            &[
                ("scenario", r("Scenario")),
                ("ranking", array(r("RankEntry"))),
                ("claims", nullable(r("Claims"))),
            ],
            &[
                ("explanation", r("Explain")),
                ("infeasible", array(r("Infeasible"))),
            ],
        )),
        ("Place", object(&[
            ("id", string()),
            ("name", string()),
            ("rank", count()),
            ("tied", boolean()),
            ("score", number()),
        ])),
        ("ConceptShare", object(&[
            ("concept", string()),
            ("name", string()),
            ("fit", number()),
            ("weight", number()),
            ("contribution", number()),
            ("alternative_fit", nullable(number())),
            ("score_delta", nullable(number())),
        ])),
        ("Explain", object(&[
            ("scenario", r("Scenario")),
            ("tech", r("Place")),
            ("of", count()),
            ("alternative", nullable(r("Place"))),
            ("concepts", array(r("ConceptShare"))),
            ("leads", strings()),
            ("trails", strings()),
        ])),
        ("Stack", object(&[
            ("id", string()),
            ("members", strings()),
            ("score", number()),
            ("fit", r("ConceptValues")),
            ("memory_mb", number()),
            ("memory_unknown", strings()),
        ])),
        ("Search", object(&[
            ("optimal", boolean()),
            ("candidates", count()),
            ("nodes", count()),
            ("pruned", count()),
            ("feasible", count()),
        ])),
        ("Gain", object(&[
            ("id", string()),
            ("total", nullable(number())),
            ("per_concept", nullable(r("ConceptValues"))),
            ("needed_for", strings()),
        ])),
        ("ConstraintEffect", object(&[
            ("constraint", string()),
            ("binds", boolean()),
            ("relaxed_best", nullable(r("Stack"))),
        ])),
        ("Constraints", object(&[
            ("max_size", count()),
            ("budget_mb", nullable(number())),
            ("require", strings()),
            ("include", strings()),
            ("exclude", strings()),
            ("alternatives", count()),
        ])),
        ("ClaimedStack", object(&[
            ("source", string()),
            ("members", array(r("StackMember"))),
            ("not_in_knowledge_base", strings()),
            ("score", nullable(number())),
            ("problems", strings()),
            ("difference", nullable(number())),
            ("same_as_recommended", boolean()),
        ])),
        ("Environment", object(&[
            ("scene", string()),
            ("weight", number()),
            ("stack", nullable(r("Stack"))),
            ("score_with_shared", nullable(number())),
            ("alternatives", array(r("Stack"))),
            ("search", r("Search")),
        ])),
        ("Shared", object(&[
            ("members", strings()),
            ("required", strings()),
            ("compared", count()),
        ])),
        ("Recommend", object_with_optional(
            &[
                ("scenario", r("Scenario")),
                ("constraints", r("Constraints")),
                ("stack", nullable(r("Stack"))),
                ("search", nullable(r("Search"))),
                ("alternatives", array(r("Stack"))),
                ("gains", array(r("Gain"))),
                ("constraint_effects", array(r("ConstraintEffect"))),
                ("claims", nullable(r("ClaimedStack"))),
                ("tied_with_best", described(strings(), "Ids of the alternatives that score the same as the best stack (within 1e-9).")),
                ("notes", strings()),
            ],
            &[
                ("environments", array(r("Environment"))),
                ("shared", r("Shared")),
                ("min_cost", r("MinCost")),
            ],
        )),
        // recommend with min_cost, risk and cost.
        ("MinCost", object(&[
            ("min_score", number()),
            ("reached", boolean()),
            ("cost_mb", nullable(number())),
            ("best_reachable", nullable(r("Stack"))),
            ("allow_unknown_memory", boolean()),
            ("unknown_memory_excluded", strings()),
            ("unknown_memory_used", boolean()),
            ("message", string()),
        ])),
        ("RiskTerms", object(&[
            ("static_drop", number()),
            ("dynamic_jitter", number()),
            ("ai_uncertainty", number()),
        ])),
        ("RiskAt", object(&[("concept", string()), ("scene", nullable(string()))])),
        ("RiskComponents", object(&[
            ("static_drop", number()),
            ("static_min_at", r("RiskAt")),
            ("dynamic_jitter", number()),
            ("jitter_at", r("RiskAt")),
            ("ai_uncertainty", number()),
            ("theta_min_at", r("RiskAt")),
            ("contributions", r("RiskTerms")),
            ("linear", number()),
            ("risk", number()),
        ])),
        ("RiskSubject", object(&[
            ("id", string()),
            ("name", string()),
            ("members", strings()),
            ("score", nullable(number())),
            ("whole", r("RiskComponents")),
            ("scenario_aware", nullable(r("RiskComponents"))),
        ])),
        ("RiskRankEntry", object(&[
            ("rank", count()),
            ("tied", boolean()),
            ("id", string()),
            ("name", string()),
            ("risk", number()),
            ("score", nullable(number())),
            ("components", r("RiskComponents")),
            ("whole_risk", number()),
        ])),
        ("Risk", object(&[
            ("scenario", nullable(r("Scenario"))),
            ("lambda", r("RiskTerms")),
            ("theta", r("ConceptValues")),
            ("theta_given", boolean()),
            ("subject", nullable(r("RiskSubject"))),
            ("ranking", array(r("RiskRankEntry"))),
            ("notes", strings()),
        ])),
        ("CostWeighting", object(&[
            ("weighting", json!({"type": "string", "enum": ["reference", "scenario", "technology"]})),
            ("cost_mb", number()),
            ("headline", boolean()),
        ])),
        ("AttributeTerms", object(&[
            ("maturity", number()),
            ("latency", number()),
            ("memory", number()),
            ("compatibility", number()),
        ])),
        ("AttributeScore", object(&[
            ("score", number()),
            ("weights", r("AttributeTerms")),
            ("terms", r("AttributeTerms")),
            ("latency_missing", count()),
            ("mesh_compatibility", boolean()),
        ])),
        ("Footprint", object(&[
            ("memory_mb", number()),
            ("memory_unknown", strings()),
            ("complete", boolean()),
        ])),
        ("Cost", object(&[
            ("scenario", nullable(r("Scenario"))),
            ("id", string()),
            ("name", string()),
            ("members", strings()),
            ("score", nullable(number())),
            ("cost_mb", number()),
            ("weightings", array(r("CostWeighting"))),
            ("attribute", r("AttributeScore")),
            ("footprint", r("Footprint")),
            ("notes", strings()),
        ])),
        ("Tech", object(&[
            ("id", string()),
            ("kind", json!({"type": "string", "enum": ["chain", "addon"]})),
            ("name", string()),
            ("roles", strings()),
            ("version", nullable(string())),
            ("capabilities", strings()),
            ("requires", strings()),
            ("conflicts", strings()),
            ("provenance", json!({"type": "string", "enum": ["published", "estimated", "measured", "mixed"]})),
            ("source", string()),
        ])),
        ("ShowRow", object(&[
            ("concept", string()),
            ("name", string()),
            ("values", nullable(fixed_array(number(), 6))),
            ("provenance", string()),
            ("source", string()),
            ("rationale", nullable(string())),
            ("dynamic_given", boolean()),
        ])),
        ("Show", object(&[
            ("id", string()),
            ("name", string()),
            ("kind", string()),
            ("time", time.clone()),
            ("scenes", fixed_array(string(), 6)),
            ("rows", array(r("ShowRow"))),
        ])),
        ("ScenarioListEntry", object(&[
            ("id", string()),
            ("name", string()),
            ("vector", fixed_array(number(), 6)),
            ("weights", fixed_array(number(), 12)),
            ("time", nullable(time)),
            ("required_capabilities", strings()),
            ("features", strings()),
            ("has_claims", boolean()),
        ])),
        ("Axis", object(&[
            ("index", count()),
            ("key", string()),
            ("symbol", string()),
            ("name", string()),
        ])),
        ("CaseMember", object(&[
            ("label", string()),
            ("tech", nullable(string())),
            ("version", nullable(string())),
            ("environment", nullable(string())),
        ])),
        ("IndicatorClaim", object(&[
            ("name", string()),
            ("claim", string()),
            ("comparator", string()),
            ("value", number()),
            ("unit", string()),
            ("metric", nullable(string())),
            ("baseline", nullable(string())),
        ])),
        ("MaturityClaim", object(&[
            ("concept", string()),
            ("value", number()),
            ("note", string()),
        ])),
        ("Case", object(&[
            ("id", string()),
            ("name", string()),
            ("scenario", string()),
            ("source", string()),
            ("scale", string()),
            ("stack", array(r("CaseMember"))),
            ("indicators", array(r("IndicatorClaim"))),
            ("maturity", array(r("MaturityClaim"))),
        ])),
        ("MaturityCheck", object(&[
            ("concept", string()),
            ("claimed", number()),
            ("model", nullable(number())),
            ("verdict", json!({"type": "string", "enum": ["agrees", "model lower", "model higher", "no data"]})),
            ("note", string()),
        ])),
        ("FigureUse", object(&[
            ("tech", string()),
            ("value", number()),
            ("source", string()),
        ])),
        ("IndicatorCheck", object(&[
            ("name", string()),
            ("claim", string()),
            ("comparator", string()),
            ("value", number()),
            ("unit", string()),
            ("metric", nullable(string())),
            ("baseline", nullable(string())),
            ("figure", nullable(number())),
            ("rests_on", array(r("FigureUse"))),
            ("unknown", strings()),
            ("verdict", json!({"type": "string", "enum": ["supported", "contradicted", "no data"]})),
            ("reason", string()),
        ])),
        ("CaseEnvironment", object(&[
            ("scene", string()),
            ("members", strings()),
            ("score", nullable(number())),
            ("problems", strings()),
        ])),
        ("CaseReport", object(&[
            ("case", string()),
            ("name", string()),
            ("scenario", string()),
            ("members", strings()),
            ("not_in_knowledge_base", strings()),
            ("problems", strings()),
            ("score", nullable(number())),
            ("environments", array(r("CaseEnvironment"))),
            ("uncovered_scenes", strings()),
            ("maturity", array(r("MaturityCheck"))),
            ("indicators", array(r("IndicatorCheck"))),
        ])),
        ("StackAudit", object(&[
            ("claimed_labels", strings()),
            ("claimed_members", strings()),
            ("not_in_knowledge_base", strings()),
            ("claimed_score", nullable(number())),
            ("claimed_problems", strings()),
            ("recommended_members", strings()),
            ("recommended_score", nullable(number())),
            ("jaccard", number()),
        ])),
        ("Gap", object(&[("label", string()), ("difference", number())])),
        ("ScenarioAudit", object(&[
            ("scenario", string()),
            ("source", string()),
            ("ranking", array(r("ClaimLine"))),
            ("kendall_tau", nullable(number())),
            ("compared", count()),
            ("top1_agrees", nullable(boolean())),
            ("largest_gap", nullable(r("Gap"))),
            ("stack", nullable(r("StackAudit"))),
            ("summary", string()),
        ])),
        ("VerdictCounts", object(&[
            ("maturity_agrees", count()),
            ("maturity_model_lower", count()),
            ("maturity_model_higher", count()),
            ("maturity_no_data", count()),
            ("indicators_supported", count()),
            ("indicators_contradicted", count()),
            ("indicators_no_data", count()),
        ])),
        ("Audit", object(&[
            ("scenarios", array(r("ScenarioAudit"))),
            ("cases", array(r("CaseReport"))),
            ("verdicts", r("VerdictCounts")),
            ("summary", string()),
        ])),
        ("MigrationNode", object(&[("id", string()), ("name", string())])),
        ("MigrationStep", object(&[
            ("from", string()),
            ("to", string()),
            ("difficulty", number()),
        ])),
        ("MigrationPath", object(&[
            ("nodes", array(r("MigrationNode"))),
            ("steps", array(r("MigrationStep"))),
            ("total", number()),
        ])),
        ("TransitionMatrix", object(&[
            ("nodes", array(r("MigrationNode"))),
            ("difficulty", array(array(number()))),
        ])),
        ("TransitionComparison", object(&[
            ("chains", array(r("MigrationNode"))),
            ("slice", json!({"type": "string", "enum": ["static"]})),
            ("theta", fixed_array(number(), 12)),
            ("rule", string()),
            ("published", array(array(number()))),
            ("derived", array(array(number()))),
            ("pairs", count()),
            ("kendall_tau_b", nullable(number())),
            ("spearman", nullable(number())),
        ])),
        ("AdaptScene", object(&[("key", json!({"type": "string", "enum": SCENES})), ("name", string())])),
        ("AdaptMember", object(&[("id", string()), ("name", string())])),
        ("AdaptSubject", object(&[
            ("kind", json!({"type": "string", "enum": ["chain", "stack"]})),
            ("id", string()),
            ("name", string()),
            ("members", array(r("AdaptMember"))),
        ])),
        ("ConceptAdaptation", object(&[
            ("key", json!({"type": "string", "enum": CONCEPTS})),
            ("symbol", string()),
            ("name", string()),
            ("maturity", fixed_array(number(), 2)),
            ("compatibility", fixed_array(number(), 2)),
            ("adaptation", number()),
            ("weight", number()),
        ])),
        ("WeakestConcept", object(&[
            ("key", json!({"type": "string", "enum": CONCEPTS})),
            ("symbol", string()),
            ("name", string()),
            ("adaptation", number()),
        ])),
        ("AdaptTarget", object(&[
            ("rank", count()),
            ("scene", r("AdaptScene")),
            ("overall", number()),
            ("weakest", r("WeakestConcept")),
        ])),
        ("Adapt", object(&[
            ("subject", r("AdaptSubject")),
            ("from_scene", r("AdaptScene")),
            ("to_scene", nullable(r("AdaptScene"))),
            ("slice", json!({"type": "string", "enum": ["static"]})),
            ("alpha", number()),
            ("beta", number()),
            ("service_mesh", boolean()),
            ("scenario", nullable(string())),
            ("concepts", array(r("ConceptAdaptation"))),
            ("overall", nullable(number())),
            ("weakest", nullable(r("WeakestConcept"))),
            ("targets", array(r("AdaptTarget"))),
        ])),
        ("Migrate", object(&[
            ("kind", json!({"type": "string", "enum": ["chain", "scene"]})),
            ("source", json!({"type": "string", "enum": ["published", "derived"]})),
            ("matrix", r("TransitionMatrix")),
            ("from", r("MigrationNode")),
            ("to", r("MigrationNode")),
            ("direct", nullable(number())),
            ("path", nullable(r("MigrationPath"))),
            ("alternatives", array(r("MigrationPath"))),
        ])),
        // Decision methods and robustness.
        ("Criterion", object(&[
            ("name", string()),
            ("type", json!({"type": "string", "enum": ["benefit", "cost"]})),
            ("weight", number()),
        ])),
        ("DecisionEntry", object(&[
            ("rank", count()),
            ("tied", boolean()),
            ("index", count()),
            ("alternative", string()),
            ("preference", number()),
        ])),
        ("Judgement", object(&[
            ("row", string()),
            ("column", string()),
            ("said", number()),
            ("implied", number()),
            ("deviation", number()),
        ])),
        ("Ahp", object(&[
            ("labels", strings()),
            ("weights", array(number())),
            ("lambda_max", number()),
            ("consistency_index", number()),
            ("random_index", number()),
            ("random_index_table", string()),
            ("consistency_ratio", number()),
            ("threshold", number()),
            ("least_consistent", array(r("Judgement"))),
        ])),
        ("Weighting", object(&[
            ("source", string()),
            ("input_sum", nullable(number())),
            ("normalised", boolean()),
            ("ahp", nullable(r("Ahp"))),
        ])),
        ("Decide", object(&[
            ("method", string()),
            ("higher_is_better", boolean()),
            ("criteria", array(r("Criterion"))),
            ("weighting", r("Weighting")),
            ("ranking", array(r("DecisionEntry"))),
            ("notes", strings()),
        ])),
        ("MethodRankEntry", object_with_optional(
            &[
                ("rank", count()),
                ("tied", boolean()),
                ("id", string()),
                ("name", string()),
                ("members", strings()),
                ("score", described(number(), "The method's preference value, not the model's 0 to 10 score.")),
                ("fit", r("ConceptValues")),
            ],
            &[("memory_mb", described(number(), "With the memory cost criterion."))],
        )),
        ("LeftOut", object(&[("id", string()), ("reason", string())])),
        ("MethodRank", object_with_optional(
            &[
                ("scenario", r("Scenario")),
                ("method", described(string(), "The method with every parameter spelt out (topsis:norm=minmax).")),
                ("higher_is_better", boolean()),
                ("criteria", array(r("Criterion"))),
                ("ranking", array(r("MethodRankEntry"))),
                ("left_out", array(r("LeftOut"))),
            ],
            &[("infeasible", array(r("Infeasible")))],
        )),
        ("ComparedMethod", object(&[
            ("method", string()),
            ("name", string()),
            ("higher_is_better", boolean()),
        ])),
        ("ComparedAlternative", object(&[
            ("id", string()),
            ("name", string()),
            ("ranks", array(count())),
            ("preferences", array(number())),
        ])),
        ("MethodPair", object(&[
            ("first", string()),
            ("second", string()),
            ("spearman", nullable(number())),
            ("kendall_tau", nullable(number())),
            ("rank_similarity", nullable(number())),
            ("rank_similarity_reversed", nullable(number())),
        ])),
        ("RefusedMethod", object(&[("method", string()), ("reason", string())])),
        ("Compare", object_with_optional(
            &[
                ("scenario", r("Scenario")),
                ("criteria", array(r("Criterion"))),
                ("methods", array(r("ComparedMethod"))),
                ("alternatives", array(r("ComparedAlternative"))),
                ("pairs", array(r("MethodPair"))),
                ("left_out", array(r("LeftOut"))),
                ("refused", array(r("RefusedMethod"))),
            ],
            &[("infeasible", array(r("Infeasible")))],
        )),
        ("Spread", object(&[
            ("published", number()),
            ("estimated", number()),
            ("measured", number()),
        ])),
        ("WeightModel", object(&[
            ("model", json!({"type": "string", "enum": ["uniform", "around", "fixed"]})),
            ("concentration", nullable(number())),
            ("weights", nullable(r("ConceptValues"))),
        ])),
        ("Acceptability", object(&[
            ("id", string()),
            ("name", string()),
            ("rank", count()),
            ("score", number()),
            ("acceptability_percent", described(array(number()), "Rank acceptability in percent for ranks 1, 2, ...; each row and each column sums to 100.")),
            ("standard_error_percent", array(number())),
            ("expected_rank", number()),
            ("central_weights", nullable(r("ConceptValues"))),
            ("confidence_percent", nullable(number())),
        ])),
        ("FirstPlace", object(&[
            ("id", string()),
            ("name", string()),
            ("acceptability_percent", number()),
        ])),
        ("SmaaSummary", object(&[
            ("most_likely_first", r("FirstPlace")),
            ("standard_error_percent", number()),
            ("confidence_percent", nullable(number())),
            ("runner_up", nullable(r("FirstPlace"))),
            ("contenders", count()),
            ("of", count()),
            ("text", string()),
        ])),
        ("WeightInterval", object(&[
            ("concept", json!({"type": "string", "enum": CONCEPTS})),
            ("weight", number()),
            ("share", number()),
            ("lo", number()),
            ("hi", nullable(number())),
            ("lo_share", number()),
            ("hi_share", number()),
            ("below", nullable(string())),
            ("above", nullable(string())),
            ("text", string()),
        ])),
        ("Stability", object(&[
            ("leader", string()),
            ("intervals", array(r("WeightInterval"))),
        ])),
        ("Robustness", object_with_optional(
            &[
                ("scenario", r("Scenario")),
                ("samples", count()),
                ("seed", count()),
                ("spread", r("Spread")),
                ("weights_model", r("WeightModel")),
                ("alternatives", array(r("Acceptability"))),
                ("summary", r("SmaaSummary")),
                ("stability", r("Stability")),
            ],
            &[("infeasible", array(r("Infeasible")))],
        )),
        ("Health", object(&[("status", json!({"type": "string", "enum": ["ok"]}))])),
        ("Error", described(object_with_optional(
            &[
                ("error", json!({"type": "string", "enum": [
                    "bad_input", "not_found", "failure", "method_not_allowed", "payload_too_large",
                    "uri_too_long", "unsupported_media_type", "timeout", "bad_request", "headers_too_large"
                ]})),
                ("message", string()),
            ],
            &[
                ("field", described(string(), "The request field (query parameter or JSON member) that is wrong.")),
                ("what", described(string(), "not_found: what kind of id (scenario, technology, case, chain, scene).")),
                ("id", described(string(), "not_found: the id as given.")),
                ("known", described(strings(), "not_found: every id of that kind.")),
            ],
        ), "Every error answer.")),
        // Requests.
        ("SceneVector", described(json!({"oneOf": [
            fixed_array(number(), 6),
            {"type": "object", "properties": SCENES.iter().map(|s| (s.to_string(), number())).collect::<Map<_, _>>(), "additionalProperties": false},
        ]}), "6 numbers in scene order (dev, ci, prod, edge, serverless, multitenant), or an object keyed by scene (others 0); finite, not negative, not all 0; normalised to sum 1.")),
        ("ConceptWeights", described(json!({"oneOf": [
            fixed_array(number(), 12),
            {"type": "object", "additionalProperties": number()},
        ]}), "12 numbers in concept order (I, C, Q, R, M, V, L, S, B, P, T, Theta), or an object keyed by concept key or symbol (others 1).")),
    ];
    let mut map: Map<String, Value> = list.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let scenario_members = || -> Vec<(&'static str, Value)> {
        vec![
            (
                "scenario",
                described(
                    nullable(string()),
                    "A scenario id (GET /v1/scenarios). Give this or vector.",
                ),
            ),
            ("vector", nullable(r("SceneVector"))),
            ("weights", nullable(r("ConceptWeights"))),
            (
                "time",
                described(
                    nullable(json!({"type": "string", "enum": ["static", "dynamic", "blend"]})),
                    "Default: the scenario's, else static.",
                ),
            ),
        ]
    };
    let mut rank = scenario_members();
    rank.push((
        "explain",
        described(boolean(), "Also explain the top-ranked chain."),
    ));
    rank.push((
        "stacks",
        described(
            nullable(json!({"type": "array", "maxItems": 64, "items": {"type": "array", "maxItems": 16, "items": string()}})),
            "Rank these stacks (member ids) instead of the chains; at most 64 stacks of 16 members.",
        ),
    ));
    rank.push((
        "method",
        described(
            nullable(string()),
            "Rank by a multi-criteria method on the 12 concept fits instead of the model's score (as rank --method): wsm, wpm, topsis, vikor, promethee, waspas, copras, edas, with parameters (topsis:norm=vector, vikor:v=0.3). The answer is then a MethodRank. Not with explain.",
        ),
    ));
    rank.push((
        "cost_criteria",
        described(
            json!({"type": "array", "maxItems": 64, "items": string()}),
            "With method: cost criteria added to the fits, memory or memory=W (memory per node, MB, with its weight on the concept weights' scale).",
        ),
    ));
    let stacks_member = || {
        (
            "stacks",
            described(
                nullable(json!({"type": "array", "maxItems": 64, "items": {"type": "array", "maxItems": 16, "items": string()}})),
                "Use these stacks (member ids) as the alternatives instead of the chains; at most 64 stacks of 16 members.",
            ),
        )
    };
    let mut compare = scenario_members();
    compare.extend([
        stacks_member(),
        (
            "methods",
            described(
                nullable(json!({"type": "array", "minItems": 1, "maxItems": 16, "items": string()})),
                "The methods, each NAME[:PARAM]...; default: every method with its defaults (those that cannot rank the matrix are listed in refused).",
            ),
        ),
        (
            "cost_criteria",
            described(
                json!({"type": "array", "maxItems": 64, "items": string()}),
                "memory or memory=W, as for rank with a method.",
            ),
        ),
    ]);
    let spread =
        |default: f64| json!({"type": "number", "minimum": 0, "maximum": 1, "default": default});
    let mut robustness = scenario_members();
    robustness.extend([
        stacks_member(),
        (
            "samples",
            described(
                json!({"type": "integer", "minimum": 1, "maximum": 200000, "default": 100000}),
                "Monte Carlo samples of each pass (acceptability, confidence); this server answers at most 200,000.",
            ),
        ),
        (
            "seed",
            described(
                json!({"type": "integer", "minimum": 0, "default": 1}),
                "The same seed gives the same answer.",
            ),
        ),
        ("spread_published", spread(0.05)),
        ("spread_estimated", spread(0.15)),
        ("spread_measured", spread(0.05)),
        (
            "weights_model",
            described(
                nullable(json!({"type": "string", "enum": ["uniform", "around", "fixed"]})),
                "How the concept weights are drawn; default uniform.",
            ),
        ),
        (
            "concentration",
            described(
                nullable(json!({"type": "number", "exclusiveMinimum": 0})),
                "The Dirichlet concentration of around (default 30).",
            ),
        ),
    ]);
    let mut explain = scenario_members();
    explain.push((
        "tech",
        described(
            nullable(string()),
            "The chain to explain; default: the top-ranked one.",
        ),
    ));
    let mut recommend = scenario_members();
    recommend.extend([
        (
            "max_size",
            json!({"type": "integer", "minimum": 1, "maximum": 8, "default": 4}),
        ),
        (
            "budget_mb",
            nullable(json!({"type": "number", "minimum": 0})),
        ),
        (
            "require",
            json!({"type": "array", "maxItems": 64, "items": string()}),
        ),
        (
            "include",
            json!({"type": "array", "maxItems": 64, "items": string()}),
        ),
        (
            "exclude",
            json!({"type": "array", "maxItems": 64, "items": string()}),
        ),
        (
            "alternatives",
            json!({"type": "integer", "minimum": 0, "maximum": 50, "default": 5}),
        ),
        ("per_environment", boolean()),
        (
            "max_shared",
            json!({"type": "integer", "minimum": 0, "maximum": 5, "default": 3}),
        ),
        ("min_cost", described(boolean(), "Answer the cheapest stack (memory per node) whose score reaches min_score.")),
        ("min_score", described(nullable(json!({"type": "number", "minimum": 0, "maximum": 10})), "With min_cost: the score the stack must reach.")),
        ("allow_unknown_memory", described(boolean(), "With min_cost: admit members of unknown memory (0 MB; ranked after every fully priced stack).")),
    ]);
    let mut risk = scenario_members();
    risk.extend([
        ("tech", described(nullable(string()), "A chain id; with neither tech nor stack every chain is ranked by risk.")),
        ("stack", described(nullable(json!({"type": "array", "maxItems": 16, "items": string()})), "Technology ids composed into a stack.")),
        ("theta", described(nullable(json!({"oneOf": [number(), array(number()), {"type": "object", "additionalProperties": number()}]})), "Θ for the AI uncertainty: one number in [0, 1], 12 numbers, or numbers by concept key; default: tables/theta.toml.")),
    ]);
    let mut cost = scenario_members();
    cost.extend([
        ("tech", described(nullable(string()), "A chain id. Give this or stack.")),
        ("stack", described(nullable(json!({"type": "array", "maxItems": 16, "items": string()})), "Technology ids composed into a stack.")),
        ("attribute_weights", described(nullable(json!({"oneOf": [array(number()), {"type": "object", "additionalProperties": number()}]})), "Weights of maturity, latency, memory, compatibility: 4 numbers or an object; default 0.4, 0.2, 0.2, 0.2.")),
    ]);
    let migrate = vec![
        (
            "from",
            described(
                nullable(string()),
                "A chain id of the chain-transition table.",
            ),
        ),
        ("to", nullable(string())),
        ("from_scene", described(nullable(string()), "A scene key.")),
        ("to_scene", nullable(string())),
        (
            "alternatives",
            json!({"type": "integer", "minimum": 0, "maximum": 50, "default": 3}),
        ),
        (
            "source",
            described(
                nullable(json!({"type": "string", "enum": ["published", "derived"]})),
                "The chain-transition table to walk; default published. derived: from the maturity matrices and Θ (chains only).",
            ),
        ),
        (
            "compare",
            described(
                json!({"type": "boolean", "default": false}),
                "Answer the published and derived chain tables side by side (a TransitionComparison) instead of a path; give no other field.",
            ),
        ),
    ];
    let adapt = vec![
        ("tech", described(nullable(string()), "A chain id.")),
        (
            "stack",
            described(
                nullable(json!({"type": "array", "maxItems": 16, "items": string()})),
                "The member ids of a stack (instead of tech).",
            ),
        ),
        (
            "from_scene",
            described(nullable(string()), "The scene moved from (required)."),
        ),
        (
            "to_scene",
            described(
                nullable(string()),
                "The scene moved to; every other scene is ranked when absent.",
            ),
        ),
        (
            "scenario",
            described(
                nullable(string()),
                "A scenario whose concept weights weigh the overall figure.",
            ),
        ),
    ];
    for (name, members) in [
        ("AdaptRequest", adapt),
        ("RankRequest", rank),
        ("ExplainRequest", explain),
        ("RecommendRequest", recommend),
        ("RiskRequest", risk),
        ("CostRequest", cost),
        ("MigrateRequest", migrate),
        ("CompareRequest", compare),
        ("RobustnessRequest", robustness),
    ] {
        map.insert(name.into(), object_with_optional(&[], &members));
    }
    map.insert(
        "PairwiseRequest".into(),
        described(
            object_with_optional(
                &[(
                    "matrix",
                    described(array(array(number())), "Saaty's judgements (1/9 to 9), reciprocal, ones on the diagonal; one row per criterion."),
                )],
                &[(
                    "labels",
                    described(nullable(strings()), "The criteria compared, in the order of the rows; default: the decision matrix's criteria."),
                )],
            ),
            "A pairwise comparison matrix of the criteria: AHP weights, refused when the consistency ratio exceeds 0.1.",
        ),
    );
    map.insert(
        "DecideRequest".into(),
        object_with_optional(
            &[
                ("alternatives", described(json!({"type": "array", "minItems": 1, "maxItems": 500, "items": string()}), "One name per row of matrix.")),
                ("criteria", described(json!({"type": "array", "minItems": 1, "maxItems": 64, "items": string()}), "One name per column of matrix.")),
                ("matrix", described(array(array(number())), "One row per alternative, one finite value per criterion; at most 500 rows of 64 values.")),
            ],
            &[
                ("types", described(nullable(strings()), "One per criterion: + or benefit, - or cost; default: every criterion a benefit.")),
                ("weights", described(nullable(json!({"oneOf": [array(number()), string()]})), "One number per criterion (divided by their sum), or a weighting method: equal, entropy, std, merec, critic, cilos, idocriw, angle, gini, variance, lopcow; default: equal. Not with ahp.")),
                ("ahp", nullable(r("PairwiseRequest"))),
                ("method", described(nullable(string()), "wsm, wpm, topsis, vikor, promethee, waspas, copras, edas, with parameters (vikor:v=0.3); default: topsis.")),
            ],
        ),
    );
    deps_ops::add_schemas(&mut map);
    learning::add_schemas(&mut map);
    fleet::add_schemas(&mut map);
    map
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn path_param(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "description": description, "schema": string()})
}

fn lang() -> Value {
    json!({"$ref": "#/components/parameters/lang"})
}

fn scenario_query() -> Vec<Value> {
    vec![
        query("scenario", "A scenario id. Give this or vector.", string()),
        query("vector", "A scene vector in the command line's text form: 6 numbers (0,0,0,1,0,0) or SCENE=VALUE pairs (edge=1,prod=0.5).", string()),
        query("weights", "Concept weights: 12 numbers or KEY=VALUE pairs (R=2,Theta=0); others weigh 1.", string()),
        query("time", "static, dynamic or blend.", json!({"type": "string", "enum": ["static", "dynamic", "blend"]})),
    ]
}

fn json_ok(schema: Value, description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn error_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/responses/{name}")})
}

/// An operation: summary, parameters, the 200 answer and the error answers by status.
fn op(
    id: &str,
    summary: &str,
    mut params: Vec<Value>,
    ok: Value,
    errors: &[(&str, &str)],
) -> Value {
    params.push(lang());
    let mut responses = Map::new();
    responses.insert("200".into(), ok);
    for (status, name) in errors
        .iter()
        .chain(&[("500", "Failure"), ("503", "Timeout")])
    {
        responses.insert(status.to_string(), error_ref(name));
    }
    json!({"operationId": id, "summary": summary, "parameters": params, "responses": responses})
}

fn with_body(mut operation: Value, request: &str) -> Value {
    operation["requestBody"] = json!({
        "required": true,
        "content": {"application/json": {"schema": r(request)}},
    });
    operation
}

const BAD: (&str, &str) = ("400", "BadInput");
const NOT_FOUND: (&str, &str) = ("404", "NotFound");
const TOO_LARGE: (&str, &str) = ("413", "PayloadTooLarge");
const MEDIA: (&str, &str) = ("415", "UnsupportedMediaType");

/// A verb that answers GET with query parameters and POST with a JSON body.
fn verb(name: &str, summary: &str, params: Vec<Value>, view: &str, request: &str) -> Value {
    let ok = json_ok(r(view), "The view, as `stackmatrix ... -o json` prints it.");
    json!({
        "get": op(&format!("{name}Get"), summary, params, ok.clone(), &[BAD]),
        "post": with_body(
            op(&format!("{name}Post"), &format!("{summary} (JSON body)"), vec![], ok, &[BAD, TOO_LARGE, MEDIA]),
            request,
        ),
    })
}

/// `rank`: the model's ranking, or with a `method` the ranking by that method.
fn rank_verb(params: Vec<Value>) -> Value {
    let mut v = verb(
        "rank",
        "The chains (or named stacks) ranked in a scenario (stackmatrix rank), or with method ranked by a multi-criteria method (stackmatrix rank --method).",
        params,
        "Rank",
        "RankRequest",
    );
    let ok = json_ok(
        json!({"anyOf": [r("Rank"), r("MethodRank")]}),
        "The view, as `stackmatrix rank ... -o json` prints it: a Rank, or with method a MethodRank.",
    );
    v["get"]["responses"]["200"] = ok.clone();
    v["post"]["responses"]["200"] = ok;
    v
}

fn paths() -> Map<String, Value> {
    let list_of = |schema: &str| {
        json_ok(
            array(r(schema)),
            "The list, as `stackmatrix list ... -o json` prints it.",
        )
    };
    let mut rank_params = scenario_query();
    rank_params.push(query(
        "explain",
        "Also explain the top-ranked chain (true or false; no value is true).",
        boolean(),
    ));
    rank_params.push(query("stacks", "Rank these stacks instead: stacks separated by ',', members by '+' (write %2B; a raw + reads as a space, which is also accepted): k8s%2Bistio,k3s. At most 64 stacks of 16 members.", string()));
    rank_params.push(query("method", "Rank by a multi-criteria method instead of the model's score (as rank --method): wsm, wpm, topsis, vikor, promethee, waspas, copras, edas, with parameters (topsis:norm=vector). The answer is then a MethodRank. Not with explain.", string()));
    rank_params.push(query(
        "cost_criteria",
        "With method: memory or memory=W, comma-separated or repeated.",
        string(),
    ));
    let stacks_query = || {
        query("stacks", "Use these stacks as the alternatives instead of the chains: stacks separated by ',', members by '+' (write %2B). At most 64 stacks of 16 members.", string())
    };
    let mut compare_params = scenario_query();
    compare_params.extend([
        stacks_query(),
        query("methods", "The methods, comma-separated or repeated (topsis,vikor:v=0.3); default: every method. At most 16.", string()),
        query("cost_criteria", "memory or memory=W.", string()),
    ]);
    let mut robustness_params = scenario_query();
    robustness_params.extend([
        stacks_query(),
        query(
            "samples",
            "Monte Carlo samples of each pass (1 to 200,000 on this server; default 100,000).",
            json!({"type": "integer", "minimum": 1, "maximum": 200000}),
        ),
        query(
            "seed",
            "The seed (default 1): the same seed gives the same answer.",
            json!({"type": "integer", "minimum": 0}),
        ),
        query(
            "spread_published",
            "Half-width of the draw of a published matrix entry (default 0.05).",
            json!({"type": "number", "minimum": 0, "maximum": 1}),
        ),
        query(
            "spread_estimated",
            "Half-width for an estimated entry (default 0.15).",
            json!({"type": "number", "minimum": 0, "maximum": 1}),
        ),
        query(
            "spread_measured",
            "Half-width for a measured entry (default 0.05).",
            json!({"type": "number", "minimum": 0, "maximum": 1}),
        ),
        query(
            "weights_model",
            "uniform (default), around or fixed.",
            json!({"type": "string", "enum": ["uniform", "around", "fixed"]}),
        ),
        query(
            "concentration",
            "The Dirichlet concentration of around (default 30).",
            json!({"type": "number", "exclusiveMinimum": 0}),
        ),
    ]);
    let mut explain_params = scenario_query();
    explain_params.push(query(
        "tech",
        "The chain to explain; default: the top-ranked one.",
        string(),
    ));
    let mut recommend_params = scenario_query();
    recommend_params.extend([
        query(
            "max_size",
            "Most members of a stack (1 to 8; default 4).",
            json!({"type": "integer", "minimum": 1, "maximum": 8}),
        ),
        query(
            "budget_mb",
            "Memory per node the stack may use, in MB.",
            json!({"type": "number", "minimum": 0}),
        ),
        query(
            "require",
            "Capabilities the stack must bring, comma-separated or repeated.",
            string(),
        ),
        query(
            "include",
            "Technologies the stack must contain, comma-separated or repeated.",
            string(),
        ),
        query(
            "exclude",
            "Technologies the stack may not contain, comma-separated or repeated.",
            string(),
        ),
        query(
            "alternatives",
            "How many stacks (0 to 50; default 5).",
            json!({"type": "integer", "minimum": 0, "maximum": 50}),
        ),
        query(
            "per_environment",
            "Answer each weighted scene as its own environment.",
            boolean(),
        ),
        query(
            "max_shared",
            "Most members of the shared layers (0 to 5; default 3).",
            json!({"type": "integer", "minimum": 0, "maximum": 5}),
        ),
        query(
            "min_cost",
            "Answer the cheapest stack (memory per node) whose score reaches min_score.",
            boolean(),
        ),
        query(
            "min_score",
            "With min_cost: the score, 0 to 10, the stack must reach.",
            json!({"type": "number", "minimum": 0, "maximum": 10}),
        ),
        query(
            "allow_unknown_memory",
            "With min_cost: admit members of unknown memory (0 MB; ranked after every fully priced stack).",
            boolean(),
        ),
    ]);
    let mut risk_params = scenario_query();
    risk_params.extend([
        query(
            "tech",
            "A chain id; with neither tech nor stack every chain is ranked by risk.",
            string(),
        ),
        query(
            "stack",
            "Technology ids separated by , or + (k8s,istio).",
            string(),
        ),
        query(
            "theta",
            "Θ for the AI uncertainty: 0.8, 12 numbers, or KEY=VALUE pairs (I=0.9,C=0.8).",
            string(),
        ),
    ]);
    let mut cost_params = scenario_query();
    cost_params.extend([
        query("tech", "A chain id. Give this or stack.", string()),
        query(
            "stack",
            "Technology ids separated by , or + (k8s,istio).",
            string(),
        ),
        query(
            "attribute_weights",
            "Weights of maturity, latency, memory, compatibility: 4 numbers or KEY=VALUE pairs.",
            string(),
        ),
    ]);
    let migrate_params = vec![
        query(
            "from",
            "The chain to move from (an id of the chain-transition table).",
            string(),
        ),
        query("to", "The chain to move to.", string()),
        query(
            "from_scene",
            "The scene to move a workload from (instead of chains).",
            string(),
        ),
        query("to_scene", "The scene to move it to.", string()),
        query(
            "alternatives",
            "How many paths besides the cheapest (0 to 50; default 3).",
            json!({"type": "integer", "minimum": 0, "maximum": 50}),
        ),
        query(
            "source",
            "The chain-transition table: published (default) or derived from the maturity matrices and Θ.",
            json!({"type": "string", "enum": ["published", "derived"]}),
        ),
        query(
            "compare",
            "Answer the published and derived chain tables side by side with Kendall's tau-b and Spearman's rho (give no other parameter).",
            boolean(),
        ),
    ];
    let adapt_params = vec![
        query("tech", "A chain id (or stack).", string()),
        query("stack", "A stack: member ids separated by ','.", string()),
        query(
            "from_scene",
            "The scene the workload moves from (required).",
            json!({"type": "string", "enum": SCENES}),
        ),
        query(
            "to_scene",
            "The scene it moves to; every other scene is ranked when absent.",
            json!({"type": "string", "enum": SCENES}),
        ),
        query(
            "scenario",
            "A scenario whose concept weights weigh the overall figure.",
            string(),
        ),
    ];
    let case_id = || path_param("id", "A case id (GET /v1/cases).");
    let entries: Vec<(&str, Value)> = vec![
        ("/", json!({"get": {
            "operationId": "page", "summary": "The web page.",
            "responses": {"200": {"description": "index.html", "content": {"text/html": {"schema": string()}}}},
        }})),
        ("/assets/{path}", json!({"get": {
            "operationId": "asset", "summary": "The web page's scripts, styles and images.",
            "parameters": [path_param("path", "The file, e.g. app.js.")],
            "responses": {
                "200": {"description": "The file, with its content type.", "content": {"*/*": {"schema": string()}}},
                "404": error_ref("NotFound"),
            },
        }})),
        ("/healthz", json!({"get": op("health", "Liveness: the server answers.", vec![], json_ok(r("Health"), "Always {\"status\": \"ok\"}."), &[])})),
        ("/metrics", json!({"get": op("metrics", "Request counters and latency histograms (Prometheus text format 0.0.4).", vec![],
            json!({"description": "stackmatrix_http_requests_total{route,method,status}, stackmatrix_http_request_duration_seconds{route}, stackmatrix_http_requests_in_flight.", "content": {"text/plain": {"schema": string()}}}), &[])})),
        ("/openapi.json", json!({"get": op("openapi", "This document.", vec![], json!({"description": "OpenAPI 3.1.", "content": {"application/json": {"schema": {"type": "object"}}}}), &[])})),
        ("/v1/techs", json!({"get": op("listTechs", "Every technology (stackmatrix list techs).", vec![], list_of("Tech"), &[BAD])})),
        ("/v1/techs/{id}", json!({"get": op("showTech", "A technology's maturity matrix (stackmatrix show ID).",
            vec![path_param("id", "A technology id."), query("time", "static (default), dynamic or blend.", json!({"type": "string", "enum": ["static", "dynamic", "blend"]}))],
            json_ok(r("Show"), "The matrix."), &[BAD, NOT_FOUND])})),
        ("/v1/scenarios", json!({"get": op("listScenarios", "Every scenario (stackmatrix list scenarios).", vec![], list_of("ScenarioListEntry"), &[BAD])})),
        ("/v1/concepts", json!({"get": op("listConcepts", "The 12 concepts (stackmatrix list concepts).", vec![], list_of("Axis"), &[BAD])})),
        ("/v1/scenes", json!({"get": op("listScenes", "The 6 scenes (stackmatrix list scenes).", vec![], list_of("Axis"), &[BAD])})),
        ("/v1/rank", rank_verb(rank_params)),
        ("/v1/explain", verb("explain", "One chain's score, concept by concept (stackmatrix explain).", explain_params, "Explain", "ExplainRequest")),
        ("/v1/recommend", verb("recommend", "The best stack under constraints, proven optimal (stackmatrix recommend); with min_cost, the cheapest stack whose score reaches min_score.", recommend_params, "Recommend", "RecommendRequest")),
        ("/v1/risk", verb("risk", "The risk of a chain or stack, whole and scenario-aware, or every chain ranked by risk (stackmatrix risk).", risk_params, "Risk", "RiskRequest")),
        ("/v1/cost", verb("cost", "The memory cost of a chain or stack under each weighting, the normalised attribute score and the footprint (stackmatrix cost).", cost_params, "Cost", "CostRequest")),
        ("/v1/cases", json!({"get": op("listCases", "The practice cases (stackmatrix cases list).", vec![], list_of("Case"), &[BAD])})),
        ("/v1/cases/validate", json!({"get": op("validateCases", "Every case checked against the model (stackmatrix cases validate).", vec![], json_ok(array(r("CaseReport")), "One report per case."), &[BAD])})),
        ("/v1/cases/{id}", json!({"get": op("showCase", "One case as documented (stackmatrix cases show ID).", vec![case_id()], json_ok(r("Case"), "The case."), &[BAD, NOT_FOUND])})),
        ("/v1/cases/{id}/validate", json!({"get": op("validateCase", "One case checked against the model (stackmatrix cases validate ID).", vec![case_id()], json_ok(array(r("CaseReport")), "A list of one report."), &[BAD, NOT_FOUND])})),
        ("/v1/audit", json!({"get": op("audit", "Every documented claim beside what the model computes (stackmatrix audit).", vec![], json_ok(r("Audit"), "The audit."), &[BAD])})),
        ("/v1/migrate", {
            let mut v = verb("migrate", "The cheapest migration path between two chains or two scenes, and the next cheapest (stackmatrix migrate); with compare, the published and derived chain tables side by side (stackmatrix migrate --compare).", migrate_params, "Migrate", "MigrateRequest");
            let ok = json_ok(
                json!({"anyOf": [r("Migrate"), r("TransitionComparison")]}),
                "The view, as `stackmatrix migrate ... -o json` prints it: a Migrate, or with compare a TransitionComparison.",
            );
            v["get"]["responses"]["200"] = ok.clone();
            v["post"]["responses"]["200"] = ok;
            v
        }),
        ("/v1/adapt", verb("adapt", "How well a chain or stack carries each concept when a workload moves from one scene to another, or every other scene ranked (stackmatrix adapt).", adapt_params, "Adapt", "AdaptRequest")),
        ("/v1/decide", json!({"post": with_body(
            op("decide", "A decision matrix of your own, given inline, ranked by a multi-criteria method (stackmatrix decide).", vec![],
               json_ok(r("Decide"), "The view, as `stackmatrix decide ... -o json` prints it."), &[BAD, TOO_LARGE, MEDIA]),
            "DecideRequest",
        )})),
        ("/v1/compare", verb("compare", "The scenario's decision matrix ranked by several methods side by side, with Spearman's rho, Kendall's tau and the WS similarity between each pair (stackmatrix compare).", compare_params, "Compare", "CompareRequest")),
        ("/v1/robustness", verb("robustness", "SMAA-2 rank acceptability, central weights and confidence factors of the scenario's chains, and the weight stability of the leader (stackmatrix robustness).", robustness_params, "Robustness", "RobustnessRequest")),
    ];
    entries
        .into_iter()
        .chain(deps_ops::paths())
        .chain(learning::paths())
        .chain(fleet::paths())
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

fn responses() -> Value {
    let error = |description: &str| json!({"description": description, "content": {"application/json": {"schema": r("Error")}}});
    json!({
        "BadInput": error("bad_input: a parameter or body member is wrong or asks more than the limits (field names it; robustness answers at most 200,000 samples, decide at most 500 alternatives by 64 criteria); not_found: an id named in the query or body is unknown; uri_too_long (414) is answered the same way."),
        "NotFound": error("not_found: an id in the path is unknown, or there is no such route."),
        "PayloadTooLarge": error("payload_too_large: the body is larger than 64 KiB."),
        "UnsupportedMediaType": error("unsupported_media_type: the body is not Content-Type: application/json."),
        "Failure": error("failure: the server failed (a bug)."),
        "Timeout": error("timeout: the request was not answered within 10 s."),
    })
}

/// The document.
pub fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "stackmatrix",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Choose cloud-native technology stacks with the matrix perspective. Every /v1 answer is the document `stackmatrix VERB ... -o json` prints (docs/json.md). Every route takes ?lang=en|zh. Errors: {\"error\", \"message\", \"field\"}. See docs/http.md.",
        },
        "paths": paths(),
        "components": {
            "schemas": schemas(),
            "parameters": {"lang": {
                "name": "lang", "in": "query", "required": false,
                "description": "Language of names: en (default) or zh.",
                "schema": {"type": "string", "enum": ["en", "zh"]},
            }},
            "responses": responses(),
        },
    })
}

/// The document, serialised once.
pub fn document_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| serde_json::to_vec(&document()).unwrap_or_default())
}
