//! Reading requests: query parameters in the command line's text forms, JSON bodies as the api's
//! request types, and the limits every request must keep.

use crate::error::HttpError;
use crate::limits::{Limits, MAX_QUERY_BYTES};
use axum::http::{header, HeaderMap, StatusCode};
use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use stackmatrix_api::request::{
    CompareRequest, ConceptWeights, DecideRequest, ExplainRequest, MethodRankRequest, RankRequest,
    RecommendRequest, RobustnessRequest, ScenarioRequest, SceneVector,
};
use stackmatrix_api::{AdaptRequest, ApiError, MigrateRequest};
use stackmatrix_model::Lang;
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

/// The members a request type takes, read from its derived JSON Schema as serde deserialises it
/// (flattened parts included): the query parameters and JSON members a route accepts, so that no
/// list is kept beside the type. Computed once per type.
pub fn fields_of<T: JsonSchema>() -> &'static [&'static str] {
    static CACHE: OnceLock<Mutex<BTreeMap<String, &'static [&'static str]>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    cache.entry(T::schema_id().into_owned()).or_insert_with(|| {
        let schema = SchemaSettings::draft2020_12()
            .for_deserialize()
            .into_generator()
            .into_root_schema_for::<T>();
        let names: Vec<&'static str> = schema
            .as_value()
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|p| p.keys())
            .map(|k| &*Box::leak(k.clone().into_boxed_str()))
            .collect();
        Box::leak(names.into_boxed_slice())
    })
}

/// `rank`'s members: those of either kind (the model's ranking, or by a `method`).
pub fn rank_fields() -> &'static [&'static str] {
    static FIELDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let mut all = fields_of::<RankRequest>().to_vec();
        for f in fields_of::<MethodRankRequest>() {
            if !all.contains(f) {
                all.push(f);
            }
        }
        all
    })
}

/// `rank`'s request: the model's ranking, or with `method` the scenario's decision matrix ranked
/// by a multi-criteria method (as `stackmatrix rank --method`). A field of the other kind that
/// was given is remembered, to be refused by name ([`WithinLimits::check`]).
#[derive(Debug, Clone, PartialEq)]
pub enum RankQuery {
    /// No `method`: `stackmatrix_api::rank`.
    Score {
        /// The request.
        req: RankRequest,
        /// `cost_criteria` was given (it is taken only with `method`).
        cost_criteria_given: bool,
    },
    /// With `method`: `stackmatrix_api::rank_by_method`.
    Method {
        /// The request.
        req: MethodRankRequest,
        /// `explain` was asked for (it is not taken with `method`).
        explain_given: bool,
    },
}

impl RankQuery {
    /// True when a JSON object names a method (`"method": null` does not).
    fn names_method(members: &Map<String, Value>) -> bool {
        members.get("method").is_some_and(|m| !m.is_null())
    }
}

/// `rank`'s body: either kind.
impl JsonSchema for RankQuery {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RankQuery".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [g.subschema_for::<RankRequest>(), g.subschema_for::<MethodRankRequest>()]
        })
    }
}

/// Reads a JSON object: with a non-null `method` as a [`MethodRankRequest`], otherwise as a
/// [`RankRequest`]. Used by the per-member search for the wrong field; bodies are read by
/// `Rank`'s own reader, which keeps the path of an error.
impl<'de> Deserialize<'de> for RankQuery {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut members = Map::<String, Value>::deserialize(d)?;
        if RankQuery::names_method(&members) {
            let explain_given = members
                .remove("explain")
                .is_some_and(|e| e != Value::Bool(false) && !e.is_null());
            let req =
                MethodRankRequest::deserialize(Value::Object(members)).map_err(D::Error::custom)?;
            Ok(RankQuery::Method { req, explain_given })
        } else {
            members.remove("method");
            let cost_criteria_given = members
                .remove("cost_criteria")
                .is_some_and(|c| !c.is_null() && c != Value::Array(Vec::new()));
            let req = RankRequest::deserialize(Value::Object(members)).map_err(D::Error::custom)?;
            Ok(RankQuery::Score {
                req,
                cost_criteria_given,
            })
        }
    }
}

/// Reads `rank`'s JSON body: as [`json_body`] does, with the fields of both kinds allowed and
/// the request read as the kind `method` chooses.
pub fn rank_body(headers: &HeaderMap, body: &[u8]) -> Result<RankQuery, HttpError> {
    let fields = rank_fields();
    // The shape and the content type first, with every field of either kind allowed.
    let members: Map<String, Value> = json_body(headers, body, fields)?;
    if RankQuery::names_method(&members) {
        let req: MethodRankRequest = read_members(body, fields, &["method"])?;
        // `explain` is allowed by the shape but not read by this kind.
        let explain_given = members
            .get("explain")
            .is_some_and(|e| *e != Value::Bool(false) && !e.is_null());
        Ok(RankQuery::Method { req, explain_given })
    } else {
        // `method` (null) and `cost_criteria` are not read by this kind. The body is read as
        // sent, so that the api sees a member repeated inside it.
        let cost_criteria_given = members
            .get("cost_criteria")
            .is_some_and(|c| !c.is_null() && *c != Value::Array(Vec::new()));
        let req: RankRequest = read_members(body, fields, &[])?;
        Ok(RankQuery::Score {
            req,
            cost_criteria_given,
        })
    }
}

/// The query parameters of a request, each taken once by the handler.
#[derive(Debug, Default)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Reads the query string and refuses parameters not in `allowed` (besides `lang`, which
    /// every route takes), so that a misspelt parameter is an error, not a silent default.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Query, HttpError> {
        let raw = raw.unwrap_or("");
        if raw.len() > MAX_QUERY_BYTES {
            return Err(HttpError::new(
                StatusCode::URI_TOO_LONG,
                "uri_too_long",
                format!(
                    "the query string has {} bytes; at most {MAX_QUERY_BYTES}",
                    raw.len()
                ),
            ));
        }
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw).map_err(|e| {
            HttpError::bad_input("query", format!("cannot read the query string: {e}"))
        })?;
        for (key, _) in &pairs {
            let known = key == "lang" || allowed.contains(&key.as_str());
            if !known {
                let mut names: Vec<&str> = allowed.to_vec();
                names.push("lang");
                return Err(HttpError::bad_input(
                    key.clone(),
                    format!(
                        "unknown query parameter '{key}'; expected one of: {}",
                        names.join(", ")
                    ),
                ));
            }
        }
        Ok(Query { pairs })
    }

    /// The value of a parameter given at most once.
    pub fn one(&self, key: &'static str) -> Result<Option<&str>, HttpError> {
        let mut values = self.pairs.iter().filter(|(k, _)| k == key);
        let first = values.next().map(|(_, v)| v.as_str());
        if values.next().is_some() {
            return Err(HttpError::bad_input(
                key,
                format!("'{key}' is given twice; give it at most once"),
            ));
        }
        Ok(first)
    }

    /// The items of a list parameter: comma-separated, and the parameter may be repeated
    /// (`require=gpu,offline` or `require=gpu&require=offline`). Empty items are dropped.
    pub fn list(&self, key: &'static str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }

    /// A boolean: `true`, `1` or no value (`?explain`) is true; `false` or `0` is false.
    pub fn flag(&self, key: &'static str) -> Result<bool, HttpError> {
        match self.one(key)? {
            None => Ok(false),
            Some("" | "true" | "1") => Ok(true),
            Some("false" | "0") => Ok(false),
            Some(other) => Err(HttpError::bad_input(
                key,
                format!("'{other}' is not a boolean; expected true or false"),
            )),
        }
    }

    /// A count: a whole number, 0 or more.
    pub fn count(&self, key: &'static str, default: usize) -> Result<usize, HttpError> {
        match self.one(key)? {
            None => Ok(default),
            Some(text) => text.trim().parse().map_err(|_| {
                HttpError::bad_input(
                    key,
                    format!("'{text}' is not a count; expected a whole number, 0 or more"),
                )
            }),
        }
    }

    /// True when the parameter is given at all (perhaps empty).
    pub fn has(&self, key: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == key)
    }

    /// A large count (`samples`, `seed`): a whole number, 0 or more.
    pub fn count_u64(&self, key: &'static str, default: u64) -> Result<u64, HttpError> {
        match self.one(key)? {
            None => Ok(default),
            Some(text) => text.trim().parse().map_err(|_| {
                HttpError::bad_input(
                    key,
                    format!("'{text}' is not a count; expected a whole number, 0 or more"),
                )
            }),
        }
    }

    /// A number (`spread_published`, `concentration`); the api checks its range.
    pub fn real(&self, key: &'static str) -> Result<Option<f64>, HttpError> {
        match self.one(key)? {
            None => Ok(None),
            Some(text) => text
                .trim()
                .parse::<f64>()
                .map(Some)
                .map_err(|_| HttpError::bad_input(key, format!("'{text}' is not a number"))),
        }
    }

    /// `?lang=en|zh`, or the server's default.
    pub fn lang(&self, default: Lang) -> Result<Lang, HttpError> {
        match self.one("lang")? {
            None => Ok(default),
            Some("en") => Ok(Lang::En),
            Some("zh") => Ok(Lang::Zh),
            Some(other) => Err(HttpError::bad_input(
                "lang",
                format!("unknown language '{other}'; expected en or zh"),
            )),
        }
    }

    /// The scenario of a request: `scenario`, `vector` and `weights` in the command line's text
    /// forms (`vector=0,0,0,1,0,0` or `vector=edge=1,prod=0.5`), `time`.
    pub fn scenario(&self) -> Result<ScenarioRequest, HttpError> {
        let vector = self
            .one("vector")?
            .map(SceneVector::parse_list)
            .transpose()
            .map_err(HttpError::from)?;
        let weights = self
            .one("weights")?
            .map(ConceptWeights::parse_list)
            .transpose()
            .map_err(HttpError::from)?;
        Ok(ScenarioRequest {
            scenario: self.one("scenario")?.map(String::from),
            vector,
            weights,
            time: self.one("time")?.map(String::from),
        })
    }

    /// `rank`'s request: the scenario, `explain`, and `stacks` as `k8s+istio,k3s`.
    pub fn rank(&self) -> Result<RankRequest, HttpError> {
        Ok(RankRequest {
            scenario: self.scenario()?,
            explain: self.flag("explain")?,
            stacks: self.one("stacks")?.map(stack_specs),
        })
    }

    /// `rank`'s request, either kind: with `method` (and `cost_criteria`, comma-separated or
    /// repeated: `memory` or `memory=2`) the ranking by a multi-criteria method.
    pub fn rank_query(&self) -> Result<RankQuery, HttpError> {
        let method = self.one("method")?.map(String::from);
        let cost_criteria = self.list("cost_criteria");
        match method {
            Some(method) => Ok(RankQuery::Method {
                req: MethodRankRequest {
                    scenario: self.scenario()?,
                    stacks: self.one("stacks")?.map(stack_specs),
                    method,
                    cost_criteria,
                },
                explain_given: self.flag("explain")?,
            }),
            None => Ok(RankQuery::Score {
                req: self.rank()?,
                cost_criteria_given: !cost_criteria.is_empty(),
            }),
        }
    }

    /// `compare`'s request: the scenario, `stacks`, `methods` (comma-separated or repeated:
    /// `methods=topsis,vikor:v=0.3`; every method when not given) and `cost_criteria`.
    pub fn compare(&self) -> Result<CompareRequest, HttpError> {
        Ok(CompareRequest {
            scenario: self.scenario()?,
            stacks: self.one("stacks")?.map(stack_specs),
            methods: self.has("methods").then(|| self.list("methods")),
            cost_criteria: self.list("cost_criteria"),
        })
    }

    /// `robustness`'s request, with the command line's defaults.
    pub fn robustness(&self) -> Result<RobustnessRequest, HttpError> {
        let d = RobustnessRequest::default();
        Ok(RobustnessRequest {
            scenario: self.scenario()?,
            stacks: self.one("stacks")?.map(stack_specs),
            samples: self.count_u64("samples", d.samples)?,
            seed: self.count_u64("seed", d.seed)?,
            spread_published: self.real("spread_published")?.unwrap_or(d.spread_published),
            spread_estimated: self.real("spread_estimated")?.unwrap_or(d.spread_estimated),
            spread_measured: self.real("spread_measured")?.unwrap_or(d.spread_measured),
            weights_model: self.one("weights_model")?.map(String::from),
            concentration: self.real("concentration")?,
        })
    }

    /// `explain`'s request: the scenario and `tech`.
    pub fn explain(&self) -> Result<ExplainRequest, HttpError> {
        Ok(ExplainRequest {
            scenario: self.scenario()?,
            tech: self.one("tech")?.map(String::from),
        })
    }

    /// `recommend`'s request, with the command line's defaults.
    pub fn recommend(&self) -> Result<RecommendRequest, HttpError> {
        let defaults = RecommendRequest::default();
        let budget_mb = match self.one("budget_mb")? {
            None => None,
            Some(text) => Some(text.trim().parse::<f64>().map_err(|_| {
                HttpError::bad_input(
                    "budget_mb",
                    format!("'{text}' is not a number; expected megabytes, 0 or more"),
                )
            })?),
        };
        Ok(RecommendRequest {
            scenario: self.scenario()?,
            max_size: self.count("max_size", defaults.max_size)?,
            budget_mb,
            require: self.list("require"),
            include: self.list("include"),
            exclude: self.list("exclude"),
            alternatives: self.count("alternatives", defaults.alternatives)?,
            per_environment: self.flag("per_environment")?,
            max_shared: self.count("max_shared", defaults.max_shared)?,
            min_cost: self.flag("min_cost")?,
            min_score: self.real("min_score")?,
            allow_unknown_memory: self.flag("allow_unknown_memory")?,
        })
    }

    /// `migrate`'s request.
    pub fn migrate(&self) -> Result<MigrateRequest, HttpError> {
        let text = |key| Ok::<_, HttpError>(self.one(key)?.map(String::from));
        Ok(MigrateRequest {
            from: text("from")?,
            to: text("to")?,
            from_scene: text("from_scene")?,
            to_scene: text("to_scene")?,
            alternatives: self.count(
                "alternatives",
                stackmatrix_api::DEFAULT_MIGRATE_ALTERNATIVES,
            )?,
            source: text("source")?,
            compare: self.flag("compare")?,
        })
    }

    /// `adapt`'s request: `stack` as member ids separated by `,` (or repeated).
    pub fn adapt(&self) -> Result<AdaptRequest, HttpError> {
        let text = |key| Ok::<_, HttpError>(self.one(key)?.map(String::from));
        Ok(AdaptRequest {
            tech: text("tech")?,
            stack: self.has("stack").then(|| self.list("stack")),
            from_scene: text("from_scene")?,
            to_scene: text("to_scene")?,
            scenario: text("scenario")?,
        })
    }
}

/// `stacks=k8s+istio,k3s`: stacks separated by `,`, members by `+`, as on the command line. In
/// a query string a raw `+` reads as a space, so members may also be separated by spaces
/// (`k8s istio`); `%2B` is a `+`. An empty stack stays empty for the api to refuse.
pub fn stack_specs(list: &str) -> Vec<Vec<String>> {
    list.split(',')
        .map(str::trim)
        .map(|spec| {
            if spec.is_empty() {
                return Vec::new();
            }
            spec.split('+')
                .flat_map(|part| {
                    let words: Vec<&str> = part.split_whitespace().collect();
                    if words.is_empty() {
                        vec![String::new()]
                    } else {
                        words.into_iter().map(String::from).collect()
                    }
                })
                .collect()
        })
        .collect()
}

/// Reads a JSON body as a request of type `T` whose fields are `fields`: the content type must
/// be JSON, the body an object without unknown fields, and every field of the right type. Each
/// failure is a 400 (415 for another content type) that names the field when there is one.
pub fn json_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
    fields: &[&'static str],
) -> Result<T, HttpError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
        .unwrap_or(false);
    if !is_json {
        return Err(HttpError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "expected a JSON body with Content-Type: application/json",
        ));
    }
    // First the shape: an object, and only known fields. A JSON object may repeat a key; the
    // request type then decides (the api refuses a scene given twice).
    let keys: BTreeMap<String, IgnoredAny> = serde_json::from_slice(body).map_err(|e| {
        let message = match e.classify() {
            serde_json::error::Category::Data => format!("expected a JSON object: {e}"),
            _ => format!("malformed JSON: {e}"),
        };
        HttpError::bad_input("body", message)
    })?;
    let all = fields;
    if let Some(unknown) = keys.keys().find(|k| !all.contains(&k.as_str())) {
        return Err(HttpError::bad_input(
            unknown.clone(),
            format!(
                "unknown field '{unknown}'; expected one of: {}",
                all.join(", ")
            ),
        ));
    }
    // Then the types, naming the field that is wrong.
    read_members(body, fields, &[])
}

/// Reads a JSON object already known to have only `fields` as a `T`, naming the field that is
/// wrong: from the error's path, from a missing field's name, or else by reading each member
/// on its own (with the members of `context`, which `T` needs to be read at all).
fn read_members<T: DeserializeOwned>(
    body: &[u8],
    all: &[&'static str],
    context: &[&str],
) -> Result<T, HttpError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let top = path.split(['.', '[']).next().unwrap_or("");
        if let Some(field) = all.iter().find(|f| **f == top) {
            return HttpError::bad_input(*field, format!("{path}: {}", e.into_inner()));
        }
        let inner = e.into_inner().to_string();
        // "missing field `matrix` at line 1 column 30".
        if let Some(name) = inner
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            if let Some(field) = all.iter().find(|f| **f == name) {
                return HttpError::bad_input(
                    *field,
                    format!("{field}: missing; this request needs it"),
                );
            }
        }
        // A flattened field hides its path: find the member that fails on its own.
        match culprit::<T>(body, context) {
            Some((field, message)) => {
                let message = format!("{field}: {message}");
                HttpError::bad_input(field, message)
            }
            None => HttpError::bad_input("body", inner),
        }
    })
}

/// The first member of a JSON object that cannot be read as a member of `T` on its own (with
/// the members named in `context`), with the reason.
fn culprit<T: DeserializeOwned>(body: &[u8], context: &[&str]) -> Option<(String, String)> {
    let members: Map<String, Value> = serde_json::from_slice(body).ok()?;
    let base: Map<String, Value> = members
        .iter()
        .filter(|(k, _)| context.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    members
        .into_iter()
        .filter(|(k, _)| !context.contains(&k.as_str()))
        .find_map(|(key, value)| {
            let mut one = base.clone();
            one.insert(key.clone(), value);
            serde_json::from_value::<T>(Value::Object(one))
                .err()
                .map(|e| (key, e.to_string()))
        })
}

/// Refuses a request that asks for more than the server answers.
pub trait WithinLimits {
    /// `Err` with the field and the limit when the request asks too much.
    fn check(&self, limits: &Limits) -> Result<(), HttpError>;
}

fn at_most(field: &'static str, what: &str, value: usize, max: usize) -> Result<(), HttpError> {
    if value > max {
        return Err(HttpError::bad_input(
            field,
            format!("{value} {what} asked; this server answers at most {max}"),
        ));
    }
    Ok(())
}

/// The named stacks of a request: at most [`Limits::stacks`] of [`Limits::stack_members`].
fn check_stacks(stacks: Option<&Vec<Vec<String>>>, limits: &Limits) -> Result<(), HttpError> {
    if let Some(stacks) = stacks {
        at_most("stacks", "stacks", stacks.len(), limits.stacks)?;
        for s in stacks {
            if s.len() > limits.stack_members {
                return Err(HttpError::bad_input(
                    "stacks",
                    format!(
                        "a stack of {} members asked; this server answers at most {} members per stack",
                        s.len(),
                        limits.stack_members
                    ),
                ));
            }
        }
    }
    Ok(())
}

impl WithinLimits for RankRequest {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        check_stacks(self.stacks.as_ref(), limits)
    }
}

impl WithinLimits for RankQuery {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        match self {
            RankQuery::Score {
                req,
                cost_criteria_given,
            } => {
                if *cost_criteria_given {
                    return Err(HttpError::bad_input(
                        "cost_criteria",
                        "cost_criteria is taken only with method (as rank --cost-criteria needs --method); add method, e.g. method=topsis",
                    ));
                }
                req.check(limits)
            }
            RankQuery::Method { req, explain_given } => {
                if *explain_given {
                    return Err(HttpError::bad_input(
                        "explain",
                        "explain is not taken with method (as rank --explain with --method); leave one of them out",
                    ));
                }
                check_stacks(req.stacks.as_ref(), limits)?;
                at_most(
                    "cost_criteria",
                    "cost criteria",
                    req.cost_criteria.len(),
                    limits.list,
                )
            }
        }
    }
}

impl WithinLimits for CompareRequest {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        check_stacks(self.stacks.as_ref(), limits)?;
        if let Some(methods) = &self.methods {
            at_most("methods", "methods", methods.len(), limits.methods)?;
        }
        at_most(
            "cost_criteria",
            "cost criteria",
            self.cost_criteria.len(),
            limits.list,
        )
    }
}

impl WithinLimits for RobustnessRequest {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        check_stacks(self.stacks.as_ref(), limits)?;
        if self.samples > limits.samples {
            return Err(HttpError::bad_input(
                "samples",
                format!(
                    "{} samples asked; this server answers at most {} samples (for more, run stackmatrix robustness --samples N on your machine)",
                    self.samples, limits.samples
                ),
            ));
        }
        Ok(())
    }
}

impl WithinLimits for DecideRequest {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        let (rows, columns) = (limits.decide_alternatives, limits.decide_criteria);
        at_most(
            "alternatives",
            "alternatives",
            self.alternatives.len(),
            rows,
        )?;
        at_most("criteria", "criteria", self.criteria.len(), columns)?;
        at_most("matrix", "rows", self.matrix.len(), rows)?;
        if let Some(row) = self.matrix.iter().find(|r| r.len() > columns) {
            at_most("matrix", "values in a row", row.len(), columns)?;
        }
        if let Some(types) = &self.types {
            at_most("types", "types", types.len(), columns)?;
        }
        if let Some(stackmatrix_api::request::DecideWeights::Values(w)) = &self.weights {
            at_most("weights", "weights", w.len(), columns)?;
        }
        if let Some(ahp) = &self.ahp {
            at_most("ahp", "rows", ahp.matrix.len(), columns)?;
            if let Some(row) = ahp.matrix.iter().find(|r| r.len() > columns) {
                at_most("ahp", "values in a row", row.len(), columns)?;
            }
            if let Some(labels) = &ahp.labels {
                at_most("ahp", "labels", labels.len(), columns)?;
            }
        }
        Ok(())
    }
}

impl WithinLimits for ExplainRequest {
    fn check(&self, _: &Limits) -> Result<(), HttpError> {
        Ok(())
    }
}

impl WithinLimits for RecommendRequest {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        at_most("max_size", "members", self.max_size, limits.max_size)?;
        at_most(
            "alternatives",
            "alternatives",
            self.alternatives,
            limits.alternatives,
        )?;
        at_most(
            "max_shared",
            "shared members",
            self.max_shared,
            limits.max_shared,
        )?;
        at_most("require", "capabilities", self.require.len(), limits.list)?;
        at_most("include", "technologies", self.include.len(), limits.list)?;
        at_most("exclude", "technologies", self.exclude.len(), limits.list)
    }
}

impl WithinLimits for AdaptRequest {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        let members = self.stack.as_ref().map_or(0, Vec::len);
        at_most("stack", "members", members, limits.stack_members)
    }
}

impl WithinLimits for MigrateRequest {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        at_most(
            "alternatives",
            "alternatives",
            self.alternatives,
            limits.alternatives,
        )
    }
}

/// Which request field named an unknown id: the field whose value it is.
pub fn field_naming(candidates: &[(&'static str, &[String])], id: &str) -> Option<&'static str> {
    candidates
        .iter()
        .find(|(_, values)| values.iter().any(|v| v.trim() == id))
        .map(|(field, _)| *field)
}

/// An api error of a verb whose ids all came from the request.
pub fn request_error(
    e: ApiError,
    locate: &dyn Fn(&str, &str) -> Option<&'static str>,
) -> HttpError {
    HttpError::api(e, crate::error::Origin::Request(locate))
}

// The tests of the readers (kept apart so that this file stays small).
#[cfg(test)]
mod tests;
