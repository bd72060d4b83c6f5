//! The OpenAPI 3.1 document of the server (`GET /openapi.json`).
//!
//! The schemas are derived from the api's request and view types (`schemars` reads their serde
//! attributes and doc comments), so that the document cannot drift from what the server reads and
//! writes; this file holds only the route table's side: paths, methods, parameters, summaries, and
//! which type each route reads and answers. The tests check it against the router (every route and
//! method is described, nothing else is) and the answers against its schemas (every member an
//! answer has is described, every required member is there, with its type).

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};
use serde_json::{json, Map, Value};
use stackmatrix_api::request::{
    CompareRequest, DecideRequest, ExplainRequest, MethodRankRequest, RankRequest,
    RecommendRequest, RobustnessRequest,
};
use stackmatrix_api::views::{
    AuditView, AxisView, CaseReportView, CaseView, CompareView, DecideView, ExplainView,
    MethodRankView, MigrateView, RankView, RecommendView, RobustnessView, ScenarioListView,
    ShowView, TechView,
};
use stackmatrix_api::{
    AdaptRequest, AdaptView, CostRequest, CostView, MigrateRequest, RiskRequest, RiskView,
    TransitionComparisonView,
};
use std::sync::OnceLock;

// The paths of /v1/deps and /v1/ops.
mod deps_ops;
// The path of /v1/fleet.
mod fleet;
// The paths of /v1/learn and /v1/calibrate.
mod learning;

fn string() -> Value {
    json!({"type": "string"})
}
fn boolean() -> Value {
    json!({"type": "boolean"})
}
fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}
fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

const SCENES: [&str; 6] = ["dev", "ci", "prod", "edge", "serverless", "multitenant"];

/// Where the schemas live in the document.
const SCHEMAS_PATH: &str = "/components/schemas";

/// Marks every object schema with members as closed (`additionalProperties: false`) unless it
/// says otherwise: the views have no other members, and the request bodies refuse unknown ones.
fn close_objects(schema: &mut Schema) {
    if let Some(members) = schema.as_object_mut() {
        if members.contains_key("properties") && !members.contains_key("additionalProperties") {
            members.insert("additionalProperties".into(), Value::Bool(false));
        }
    }
}

fn generator(settings: SchemaSettings) -> SchemaGenerator {
    settings
        .with(|s| {
            s.definitions_path = SCHEMAS_PATH.into();
            s.meta_schema = None;
        })
        .with_transform(RecursiveTransform(close_objects))
        .into_generator()
}

/// The components' schemas, gathered from the types the routes name: views as they are
/// serialised, requests as they are deserialised.
pub(crate) struct Schemas {
    views: SchemaGenerator,
    requests: SchemaGenerator,
}

impl Schemas {
    fn new() -> Schemas {
        Schemas {
            views: generator(SchemaSettings::draft2020_12().for_serialize()),
            requests: generator(SchemaSettings::draft2020_12().for_deserialize()),
        }
    }

    /// The schema of an answer of type `T` (a `$ref` to its component).
    pub(crate) fn view<T: JsonSchema>(&mut self) -> Value {
        self.views.subschema_for::<T>().to_value()
    }

    /// The schema of a request body of type `T` (a `$ref` to its component).
    pub(crate) fn request<T: JsonSchema>(&mut self) -> Value {
        self.requests.subschema_for::<T>().to_value()
    }

    /// Every component schema. A type named on both sides must have one shape; the document's
    /// test (`derived_schemas_agree_on_shared_types`) checks that it does.
    fn into_components(mut self) -> (Map<String, Value>, Vec<String>) {
        let mut map = self.views.take_definitions(true);
        let mut conflicts = Vec::new();
        for (name, schema) in self.requests.take_definitions(true) {
            match map.get(&name) {
                Some(seen) if *seen != schema => conflicts.push(name),
                Some(_) => {}
                None => {
                    map.insert(name, schema);
                }
            }
        }
        map.extend(server_schemas());
        (map, conflicts)
    }
}

/// The two answers the server writes itself, not an api type: the health check and errors.
fn server_schemas() -> Map<String, Value> {
    let described = |description: &str| json!({"type": "string", "description": description});
    let error = json!({
        "description": "Every error answer.",
        "type": "object",
        "properties": {
            "error": {"type": "string", "enum": [
                "bad_input", "not_found", "failure", "method_not_allowed", "payload_too_large",
                "uri_too_long", "unsupported_media_type", "timeout", "bad_request", "headers_too_large"
            ]},
            "message": string(),
            "field": described("The request field (query parameter or JSON member) that is wrong."),
            "what": described("not_found: what kind of id (scenario, technology, case, chain, scene)."),
            "id": described("not_found: the id as given."),
            "known": {"type": "array", "items": string(), "description": "not_found: every id of that kind."},
        },
        "required": ["error", "message"],
        "additionalProperties": false,
    });
    let health = json!({
        "type": "object",
        "properties": {"status": {"type": "string", "enum": ["ok"]}},
        "required": ["status"],
        "additionalProperties": false,
    });
    [("Error".to_string(), error), ("Health".to_string(), health)]
        .into_iter()
        .collect()
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

fn with_body(mut operation: Value, request: Value) -> Value {
    operation["requestBody"] = json!({
        "required": true,
        "content": {"application/json": {"schema": request}},
    });
    operation
}

const BAD: (&str, &str) = ("400", "BadInput");
const NOT_FOUND: (&str, &str) = ("404", "NotFound");
const TOO_LARGE: (&str, &str) = ("413", "PayloadTooLarge");
const MEDIA: (&str, &str) = ("415", "UnsupportedMediaType");

/// A verb that answers GET with query parameters and POST with a JSON body.
/// `view` and `request` are the schemas of the answer and of the body ([`Schemas`]).
fn verb(name: &str, summary: &str, params: Vec<Value>, view: Value, request: Value) -> Value {
    let ok = json_ok(view, "The view, as `stackmatrix ... -o json` prints it.");
    json!({
        "get": op(&format!("{name}Get"), summary, params, ok.clone(), &[BAD]),
        "post": with_body(
            op(&format!("{name}Post"), &format!("{summary} (JSON body)"), vec![], ok, &[BAD, TOO_LARGE, MEDIA]),
            request,
        ),
    })
}

/// `rank`: the model's ranking, or with a `method` the ranking by that method.
fn rank_verb(s: &mut Schemas, params: Vec<Value>) -> Value {
    let (rank, method_rank) = (s.view::<RankView>(), s.view::<MethodRankView>());
    let body = json!({"anyOf": [s.request::<RankRequest>(), s.request::<MethodRankRequest>()]});
    let mut v = verb(
        "rank",
        "The chains (or named stacks) ranked in a scenario (stackmatrix rank), or with method ranked by a multi-criteria method (stackmatrix rank --method).",
        params,
        rank.clone(),
        body,
    );
    let ok = json_ok(
        json!({"anyOf": [rank, method_rank]}),
        "The view, as `stackmatrix rank ... -o json` prints it: a Rank, or with method a MethodRank.",
    );
    v["get"]["responses"]["200"] = ok.clone();
    v["post"]["responses"]["200"] = ok;
    v
}

fn paths(s: &mut Schemas) -> Map<String, Value> {
    let list_of = |schema: Value| {
        json_ok(
            array(schema),
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
        ("/v1/techs", json!({"get": op("listTechs", "Every technology (stackmatrix list techs).", vec![], list_of(s.view::<TechView>()), &[BAD])})),
        ("/v1/techs/{id}", json!({"get": op("showTech", "A technology's maturity matrix (stackmatrix show ID).",
            vec![path_param("id", "A technology id."), query("time", "static (default), dynamic or blend.", json!({"type": "string", "enum": ["static", "dynamic", "blend"]}))],
            json_ok(s.view::<ShowView>(), "The matrix."), &[BAD, NOT_FOUND])})),
        ("/v1/scenarios", json!({"get": op("listScenarios", "Every scenario (stackmatrix list scenarios).", vec![], list_of(s.view::<ScenarioListView>()), &[BAD])})),
        ("/v1/concepts", json!({"get": op("listConcepts", "The 12 concepts (stackmatrix list concepts).", vec![], list_of(s.view::<AxisView>()), &[BAD])})),
        ("/v1/scenes", json!({"get": op("listScenes", "The 6 scenes (stackmatrix list scenes).", vec![], list_of(s.view::<AxisView>()), &[BAD])})),
        ("/v1/rank", rank_verb(s, rank_params)),
        ("/v1/explain", verb("explain", "One chain's score, concept by concept (stackmatrix explain).", explain_params, s.view::<ExplainView>(), s.request::<ExplainRequest>())),
        ("/v1/recommend", verb("recommend", "The best stack under constraints, proven optimal (stackmatrix recommend); with min_cost, the cheapest stack whose score reaches min_score.", recommend_params, s.view::<RecommendView>(), s.request::<RecommendRequest>())),
        ("/v1/risk", verb("risk", "The risk of a chain or stack, whole and scenario-aware, or every chain ranked by risk (stackmatrix risk).", risk_params, s.view::<RiskView>(), s.request::<RiskRequest>())),
        ("/v1/cost", verb("cost", "The memory cost of a chain or stack under each weighting, the normalised attribute score and the footprint (stackmatrix cost).", cost_params, s.view::<CostView>(), s.request::<CostRequest>())),
        ("/v1/cases", json!({"get": op("listCases", "The practice cases (stackmatrix cases list).", vec![], list_of(s.view::<CaseView>()), &[BAD])})),
        ("/v1/cases/validate", json!({"get": op("validateCases", "Every case checked against the model (stackmatrix cases validate).", vec![], json_ok(array(s.view::<CaseReportView>()), "One report per case."), &[BAD])})),
        ("/v1/cases/{id}", json!({"get": op("showCase", "One case as documented (stackmatrix cases show ID).", vec![case_id()], json_ok(s.view::<CaseView>(), "The case."), &[BAD, NOT_FOUND])})),
        ("/v1/cases/{id}/validate", json!({"get": op("validateCase", "One case checked against the model (stackmatrix cases validate ID).", vec![case_id()], json_ok(array(s.view::<CaseReportView>()), "A list of one report."), &[BAD, NOT_FOUND])})),
        ("/v1/audit", json!({"get": op("audit", "Every documented claim beside what the model computes (stackmatrix audit).", vec![], json_ok(s.view::<AuditView>(), "The audit."), &[BAD])})),
        ("/v1/migrate", {
            let mut v = verb("migrate", "The cheapest migration path between two chains or two scenes, and the next cheapest (stackmatrix migrate); with compare, the published and derived chain tables side by side (stackmatrix migrate --compare).", migrate_params, s.view::<MigrateView>(), s.request::<MigrateRequest>());
            let ok = json_ok(
                json!({"anyOf": [s.view::<MigrateView>(), s.view::<TransitionComparisonView>()]}),
                "The view, as `stackmatrix migrate ... -o json` prints it: a Migrate, or with compare a TransitionComparison.",
            );
            v["get"]["responses"]["200"] = ok.clone();
            v["post"]["responses"]["200"] = ok;
            v
        }),
        ("/v1/adapt", verb("adapt", "How well a chain or stack carries each concept when a workload moves from one scene to another, or every other scene ranked (stackmatrix adapt).", adapt_params, s.view::<AdaptView>(), s.request::<AdaptRequest>())),
        ("/v1/decide", json!({"post": with_body(
            op("decide", "A decision matrix of your own, given inline, ranked by a multi-criteria method (stackmatrix decide).", vec![],
               json_ok(s.view::<DecideView>(), "The view, as `stackmatrix decide ... -o json` prints it."), &[BAD, TOO_LARGE, MEDIA]),
            s.request::<DecideRequest>(),
        )})),
        ("/v1/compare", verb("compare", "The scenario's decision matrix ranked by several methods side by side, with Spearman's rho, Kendall's tau and the WS similarity between each pair (stackmatrix compare).", compare_params, s.view::<CompareView>(), s.request::<CompareRequest>())),
        ("/v1/robustness", verb("robustness", "SMAA-2 rank acceptability, central weights and confidence factors of the scenario's chains, and the weight stability of the leader (stackmatrix robustness).", robustness_params, s.view::<RobustnessView>(), s.request::<RobustnessRequest>())),
    ];
    entries
        .into_iter()
        .chain(deps_ops::paths(s))
        .chain(learning::paths(s))
        .chain(fleet::paths(s))
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
    let mut s = Schemas::new();
    let paths = paths(&mut s);
    let (schemas, _) = s.into_components();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "stackmatrix",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Choose cloud-native technology stacks with the matrix perspective. Every /v1 answer is the document `stackmatrix VERB ... -o json` prints (docs/json.md). Every route takes ?lang=en|zh. Errors: {\"error\", \"message\", \"field\"}. See docs/http.md.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A type read in a body and written in an answer gets one component: both derived shapes
    /// must then be the same, or the document would describe one side wrongly.
    #[test]
    fn derived_schemas_agree_on_shared_types() {
        let mut s = Schemas::new();
        paths(&mut s);
        let (schemas, conflicts) = s.into_components();
        assert!(conflicts.is_empty(), "{conflicts:?}");
        assert!(schemas.contains_key("RankView") && schemas.contains_key("Error"));
    }
}
