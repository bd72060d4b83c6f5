//! Reading requests: query parameters in the command line's text forms, JSON bodies as the api's
//! request types, and the limits every request must keep.

use crate::error::HttpError;
use crate::limits::{Limits, MAX_QUERY_BYTES};
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::{DeserializeOwned, IgnoredAny};
use stackmatrix_api::request::{
    ConceptWeights, ExplainRequest, RankRequest, RecommendRequest, ScenarioRequest, SceneVector,
};
use stackmatrix_api::{ApiError, MigrateRequest};
use stackmatrix_model::Lang;
use std::collections::BTreeMap;

/// The fields of a scenario in a request.
pub const SCENARIO_FIELDS: &[&str] = &["scenario", "vector", "weights", "time"];
/// The fields of `rank`, besides the scenario's.
pub const RANK_FIELDS: &[&str] = &["explain", "stacks"];
/// The fields of `explain`, besides the scenario's.
pub const EXPLAIN_FIELDS: &[&str] = &["tech"];
/// The fields of `recommend`, besides the scenario's.
pub const RECOMMEND_FIELDS: &[&str] = &[
    "max_size",
    "budget_mb",
    "require",
    "include",
    "exclude",
    "alternatives",
    "per_environment",
    "max_shared",
];
/// The fields of `migrate`.
pub const MIGRATE_FIELDS: &[&str] = &["from", "to", "from_scene", "to_scene", "alternatives"];

/// The query parameters of a request, each taken once by the handler.
#[derive(Debug, Default)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Reads the query string and refuses parameters not in `allowed` (besides `lang`, which
    /// every route takes), so that a misspelt parameter is an error, not a silent default.
    pub fn parse(raw: Option<&str>, allowed: &[&[&str]]) -> Result<Query, HttpError> {
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
            let known = key == "lang" || allowed.iter().any(|set| set.contains(&key.as_str()));
            if !known {
                let mut names: Vec<&str> = allowed.iter().flat_map(|s| s.iter().copied()).collect();
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
    fields: &[&[&'static str]],
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
    let all: Vec<&'static str> = fields.iter().flat_map(|s| s.iter().copied()).collect();
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
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let top = path.split(['.', '[']).next().unwrap_or("");
        if let Some(field) = all.iter().find(|f| **f == top) {
            return HttpError::bad_input(*field, format!("{path}: {}", e.into_inner()));
        }
        // A flattened field hides its path: find the member that fails on its own.
        match culprit::<T>(body) {
            Some((field, message)) => {
                let message = format!("{field}: {message}");
                HttpError::bad_input(field, message)
            }
            None => HttpError::bad_input("body", e.into_inner().to_string()),
        }
    })
}

/// The first member of a JSON object that cannot be read as a member of `T` on its own, with
/// the reason.
fn culprit<T: DeserializeOwned>(body: &[u8]) -> Option<(String, String)> {
    let members: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body).ok()?;
    members.into_iter().find_map(|(key, value)| {
        let one = serde_json::Value::Object([(key.clone(), value)].into_iter().collect());
        serde_json::from_value::<T>(one)
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

impl WithinLimits for RankRequest {
    fn check(&self, limits: &Limits) -> Result<(), HttpError> {
        if let Some(stacks) = &self.stacks {
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn json_headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        h
    }

    /// The field lists are the request types' own fields: a field added to a request must be
    /// added here too, or the server would refuse it.
    #[test]
    fn field_lists_match_the_request_types() {
        fn keys<T: serde::Serialize>(value: T) -> Vec<String> {
            let mut k: Vec<String> = serde_json::to_value(value)
                .unwrap()
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            k.sort();
            k
        }
        fn fields(sets: &[&[&str]]) -> Vec<String> {
            let mut k: Vec<String> = sets
                .iter()
                .flat_map(|s| s.iter().map(|f| f.to_string()))
                .collect();
            k.sort();
            k
        }
        assert_eq!(
            keys(RankRequest::default()),
            fields(&[SCENARIO_FIELDS, RANK_FIELDS])
        );
        assert_eq!(
            keys(ExplainRequest::default()),
            fields(&[SCENARIO_FIELDS, EXPLAIN_FIELDS])
        );
        assert_eq!(
            keys(RecommendRequest::default()),
            fields(&[SCENARIO_FIELDS, RECOMMEND_FIELDS])
        );
        assert_eq!(keys(MigrateRequest::default()), fields(&[MIGRATE_FIELDS]));
    }

    #[test]
    fn stacks_read_as_on_the_command_line() {
        assert_eq!(
            stack_specs("k8s+istio,k3s"),
            vec![vec!["k8s", "istio"], vec!["k3s"]]
        );
        // A raw + in a query string arrives as a space.
        assert_eq!(stack_specs("k8s istio, k3s"), stack_specs("k8s+istio,k3s"));
        assert_eq!(stack_specs("k8s,,k3s")[1], Vec::<String>::new());
        assert_eq!(stack_specs("k8s+"), vec![vec!["k8s", ""]]);
    }

    #[test]
    fn queries_refuse_unknown_and_repeated_parameters() {
        let q = Query::parse(Some("scenaro=edge"), &[SCENARIO_FIELDS]).unwrap_err();
        assert_eq!(q.body["field"], "scenaro");
        let q = Query::parse(Some("scenario=edge&scenario=dev"), &[SCENARIO_FIELDS]).unwrap();
        assert_eq!(q.one("scenario").unwrap_err().body["field"], "scenario");
        let q = Query::parse(
            Some("require=gpu,offline&require=wasm,"),
            &[RECOMMEND_FIELDS],
        )
        .unwrap();
        assert_eq!(q.list("require"), ["gpu", "offline", "wasm"]);
        let q = Query::parse(
            Some("vector=edge%3D1,prod=0.5&explain"),
            &[SCENARIO_FIELDS, RANK_FIELDS],
        )
        .unwrap();
        let r = q.rank().unwrap();
        assert!(r.explain);
        assert_eq!(
            r.scenario.vector.unwrap().resolve().unwrap(),
            [0.0, 0.0, 0.5, 1.0, 0.0, 0.0]
        );
    }

    #[test]
    fn bodies_name_the_field_that_is_wrong() {
        let h = json_headers();
        let rank = &[SCENARIO_FIELDS, RANK_FIELDS][..];
        let e = json_body::<RankRequest>(&h, br#"{"scenario": "edge", "explain": "yes"}"#, rank)
            .unwrap_err();
        assert_eq!(e.body["field"], "explain");
        let e = json_body::<RankRequest>(&h, br#"{"scenario": "edge""#, rank).unwrap_err();
        assert_eq!(e.body["field"], "body");
        assert!(e.body["message"]
            .as_str()
            .unwrap()
            .starts_with("malformed JSON"));
        let e = json_body::<RankRequest>(&h, b"[1, 2]", rank).unwrap_err();
        assert!(e.body["message"]
            .as_str()
            .unwrap()
            .starts_with("expected a JSON object"));
        let e = json_body::<RankRequest>(&h, br#"{"scenaro": "edge"}"#, rank).unwrap_err();
        assert_eq!(e.body["field"], "scenaro");
        let e = json_body::<RankRequest>(&h, br#"{"vector": "edge"}"#, rank).unwrap_err();
        assert_eq!(e.body["field"], "vector");
        let e = json_body::<RecommendRequest>(
            &h,
            br#"{"scenario": "edge", "max_size": -1}"#,
            &[SCENARIO_FIELDS, RECOMMEND_FIELDS],
        )
        .unwrap_err();
        assert_eq!(e.body["field"], "max_size");
        let ok: RankRequest = json_body(&h, br#"{"scenario": "edge"}"#, rank).unwrap();
        assert_eq!(ok.scenario.scenario.as_deref(), Some("edge"));
        let e = json_body::<RankRequest>(&HeaderMap::new(), b"{}", rank).unwrap_err();
        assert_eq!(e.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
}
