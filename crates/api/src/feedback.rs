//! Feedback for `learn`: rows read from CSV or JSON Lines (or a JSON body), each checked against
//! the knowledge base and resolved to what the learner needs (fits, weights).
//!
//! The format is documented in `docs/learning.md`. Every malformed row is reported with where it
//! is (`file:line`, the column or field) and what was expected; one bad row rejects the whole
//! feedback, so learning is never partial.

use crate::error::{ApiError, ApiResult};
use crate::request::SceneVector;
use serde::{Deserialize, Serialize};
use stackmatrix_engine::{
    scenario_fit, stack_fit_and_score, time_matrix, Observation, Preference, PreparedScenario,
    ScenarioInput,
};
use stackmatrix_model::{csv, untrusted, Concept, KnowledgeBase, TechKind, CONCEPT_COUNT};

/// One feedback row, as written in a file or a JSON body.
///
/// An observation has `tech`, `scenario` or `vector`, `concept` and `observed`; a preference has
/// `scenario` or `vector`, `preferred` and `other`. `kind` (`observation` or `preference`) may be
/// left out when the fields say which it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRow {
    /// `observation` or `preference`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Observation: a technology id or a stack `a+b`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tech: Option<String>,
    /// A scenario id of the knowledge base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// Or a scene vector (6 numbers, or numbers by scene key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector: Option<SceneVector>,
    /// Observation: the concept key (`I` ... `Theta`, or `Θ`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<String>,
    /// Observation: the outcome in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<f64>,
    /// Preference: the stack that should score higher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred: Option<String>,
    /// Preference: the stack it should score above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    /// Where the row came from (`feedback.csv:3`); `rows[i]` when not set.
    #[serde(skip)]
    pub origin: Option<String>,
    /// Fields whose text could not be read (already reported); the row's other fields are still
    /// checked, and these are not reported again as missing.
    #[serde(skip)]
    pub unparsed: Vec<&'static str>,
}

/// The format of a feedback file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

impl FeedbackFormat {
    /// The format a file name implies: `.csv`, or `.jsonl` / `.ndjson` / `.json`.
    pub fn from_file_name(name: &str) -> Option<FeedbackFormat> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(FeedbackFormat::Csv)
        } else if [".jsonl", ".ndjson", ".json"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            Some(FeedbackFormat::JsonLines)
        } else {
            None
        }
    }

    /// The format with this key: `csv` or `jsonl`.
    pub fn from_key(key: &str) -> Option<FeedbackFormat> {
        match key {
            "csv" => Some(FeedbackFormat::Csv),
            "jsonl" | "ndjson" => Some(FeedbackFormat::JsonLines),
            _ => None,
        }
    }
}

const COLUMNS: [&str; 8] = [
    "kind",
    "tech",
    "scenario",
    "vector",
    "concept",
    "observed",
    "preferred",
    "other",
];

fn bad(problems: Vec<String>) -> ApiError {
    ApiError::bad_input(
        "feedback",
        format!(
            "{} problem{} in the feedback, nothing learned:\n  {}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            problems.join("\n  ")
        ),
    )
}

/// Reads feedback text (`name` is the file name used in messages; `format` defaults to the
/// one its extension implies). Blank lines and lines starting with `#` are skipped. Every
/// malformed line is reported, with its line number, column and what was expected.
///
/// This checks the file's syntax only; [`check_feedback`] also checks every row against the
/// knowledge base, so that one run reports every problem of the file.
pub fn parse_feedback(
    text: &str,
    name: &str,
    format: Option<FeedbackFormat>,
) -> ApiResult<Vec<FeedbackRow>> {
    let (rows, problems) = parse_partial(text, name, format)?;
    if !problems.is_empty() {
        return Err(bad(problems));
    }
    Ok(rows)
}

/// Reads feedback text as [`parse_feedback`] does and checks every row that parsed against the
/// knowledge base: all problems of the file, syntax and meaning, are reported together, in line
/// order.
pub fn check_feedback(
    kb: &KnowledgeBase,
    text: &str,
    name: &str,
    format: Option<FeedbackFormat>,
) -> ApiResult<Vec<FeedbackRow>> {
    let (rows, mut problems) = parse_partial(text, name, format)?;
    problems.extend(row_problems(kb, &rows));
    if !problems.is_empty() {
        // Messages start with `name:line:`; order them by line, syntax before meaning.
        let line = |m: &String| -> usize {
            m[name.len().min(m.len())..]
                .trim_start_matches(':')
                .split(':')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        problems.sort_by_key(line);
        return Err(bad(problems));
    }
    Ok(rows)
}

fn parse_partial(
    text: &str,
    name: &str,
    format: Option<FeedbackFormat>,
) -> ApiResult<(Vec<FeedbackRow>, Vec<String>)> {
    let format = format
        .or_else(|| FeedbackFormat::from_file_name(name))
        .ok_or_else(|| {
            ApiError::bad_input(
                "format",
                format!(
                    "cannot tell the format of '{name}' from its extension; expected a .csv, .jsonl or .ndjson file, or give the format (csv or jsonl)"
                ),
            )
        })?;
    // A byte-order mark is invisible in an editor: it is not part of the first column's name
    // (CSV) or of the first object (JSON Lines).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (rows, mut problems) = match format {
        FeedbackFormat::Csv => parse_csv(text, name),
        FeedbackFormat::JsonLines => parse_jsonl(text, name),
    };
    if rows.is_empty() && problems.is_empty() {
        problems.push(format!(
            "{name}: no feedback rows; expected at least one observation or preference"
        ));
    }
    Ok((rows, problems))
}

/// The lines of a feedback file that hold rows (by the shared CSV rules: LF or CRLF line ends),
/// blank lines and `#` comments left out.
fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    csv::lines(text.as_bytes())
        // Split at ASCII line feeds, each line is as much UTF-8 as the text.
        .map(|(n, l)| (n, std::str::from_utf8(l).unwrap_or_default()))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// A line over the record length limit, as a problem of the file.
fn too_long(name: &str, n: usize) -> String {
    format!(
        "{name}:{n}: the line is longer than {} bytes (the record length limit); expected one feedback row a line",
        csv::MAX_RECORD_BYTES
    )
}

fn parse_jsonl(text: &str, name: &str) -> (Vec<FeedbackRow>, Vec<String>) {
    let (mut rows, mut problems) = (Vec::new(), Vec::new());
    for (n, line) in content_lines(text) {
        if line.len() > csv::MAX_RECORD_BYTES {
            problems.push(too_long(name, n));
            continue;
        }
        match serde_json::from_str::<FeedbackRow>(line) {
            Ok(mut row) => {
                row.origin = Some(format!("{name}:{n}"));
                rows.push(row);
            }
            Err(e) => {
                let message = e.to_string();
                let message = strip_position(&message);
                let expected = if message.contains("expected") {
                    String::new()
                } else {
                    format!(
                        "; expected a JSON object with fields among {}",
                        COLUMNS.join(", ")
                    )
                };
                problems.push(format!(
                    "{name}:{n}: column {}: {message}{expected}",
                    e.column()
                ))
            }
        }
    }
    (rows, problems)
}

/// serde_json's message without its trailing ` at line L column C` (the caller says where).
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
}

/// Splits a CSV line into trimmed fields by the shared rules.
fn split_csv(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    csv::split_fields(line.as_bytes(), &mut fields)
        .map_err(|e| format!("column {}: {e}", e.field))?;
    Ok(fields
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_string())
        .collect())
}

fn parse_csv(text: &str, name: &str) -> (Vec<FeedbackRow>, Vec<String>) {
    let (mut rows, mut problems) = (Vec::new(), Vec::new());
    let mut lines = content_lines(text);
    let Some((hn, header)) = lines.next() else {
        return (rows, problems);
    };
    let header: Vec<String> = match csv::read_header(header.as_bytes()) {
        Ok(h) => h.into_iter().map(|c| c.name).collect(),
        Err(e) => {
            let at = e
                .column()
                .map(|c| format!(" column {c}:"))
                .unwrap_or_default();
            return (rows, vec![format!("{name}:{hn}:{at} {e}")]);
        }
    };
    let mut ok = true;
    for (i, h) in header.iter().enumerate() {
        if !COLUMNS.contains(&h.as_str()) {
            problems.push(format!(
                "{name}:{hn}: column {} ('{}'): unknown column; expected a header row of columns among {}",
                i + 1,
                untrusted::shown(h),
                COLUMNS.join(", ")
            ));
            ok = false;
        }
    }
    if !ok {
        return (rows, problems);
    }
    for (n, line) in lines {
        if line.len() > csv::MAX_RECORD_BYTES {
            problems.push(too_long(name, n));
            continue;
        }
        let fields = match split_csv(line) {
            Ok(f) => f,
            Err(e) => {
                problems.push(format!("{name}:{n}: {e}"));
                continue;
            }
        };
        if fields.len() != header.len() {
            problems.push(format!(
                "{name}:{n}: {} fields; expected {} as in the header ({})",
                fields.len(),
                header.len(),
                header.join(",")
            ));
            continue;
        }
        let mut row = FeedbackRow {
            origin: Some(format!("{name}:{n}")),
            ..FeedbackRow::default()
        };
        let before = problems.len();
        for (col, (h, v)) in header.iter().zip(&fields).enumerate() {
            if v.is_empty() {
                continue;
            }
            let at = format!("{name}:{n}: column {} ({h})", col + 1);
            let text = Some(v.clone());
            match h.as_str() {
                "kind" => row.kind = text,
                "tech" => row.tech = text,
                "scenario" => row.scenario = text,
                "concept" => row.concept = text,
                "preferred" => row.preferred = text,
                "other" => row.other = text,
                "vector" => match SceneVector::parse_list(v) {
                    Ok(x) => row.vector = Some(x),
                    Err(e) => problems.push(format!("{at}: {}", e.message())),
                },
                "observed" => match v.parse::<f64>() {
                    Ok(x) => row.observed = Some(x),
                    Err(_) => problems.push(format!(
                        "{at}: '{}' is not a number; expected a number from 0 to 1",
                        untrusted::shown(v)
                    )),
                },
                _ => unreachable!("the header was checked"),
            }
        }
        if problems.len() > before {
            for (h, v) in header.iter().zip(&fields) {
                let unread = match h.as_str() {
                    "vector" => !v.is_empty() && row.vector.is_none(),
                    "observed" => !v.is_empty() && row.observed.is_none(),
                    _ => false,
                };
                if unread {
                    row.unparsed
                        .push(if h == "vector" { "vector" } else { "observed" });
                }
            }
        }
        rows.push(row);
    }
    (rows, problems)
}

/// Feedback resolved against the knowledge base.
#[derive(Debug, Clone, Default)]
pub struct ResolvedFeedback {
    /// The observations.
    pub observations: Vec<Observation>,
    /// The preferences.
    pub preferences: Vec<Preference>,
}

/// Checks every row against the knowledge base and resolves it: the fit of the technology or
/// stack in the scenario (its scene vector and time slice; a vector is scored in the static
/// slice with equal weights). Every problem is reported, with where it is.
pub fn resolve_feedback(kb: &KnowledgeBase, rows: &[FeedbackRow]) -> ApiResult<ResolvedFeedback> {
    let mut problems = row_problems(kb, rows);
    for (i, row) in rows.iter().enumerate() {
        for f in &row.unparsed {
            let at = row.origin.clone().unwrap_or_else(|| format!("rows[{i}]"));
            problems.push(format!("{at}: {f} could not be read"));
        }
    }
    if !problems.is_empty() {
        return Err(bad(problems));
    }
    let mut out = ResolvedFeedback::default();
    for row in rows {
        match resolve_row(kb, row) {
            Ok(Resolved::Observation(o)) => out.observations.push(o),
            Ok(Resolved::Preference(p)) => out.preferences.push(*p),
            Err(_) => unreachable!("every row was checked"),
        }
    }
    Ok(out)
}

/// Every problem of the rows, each with where it is.
fn row_problems(kb: &KnowledgeBase, rows: &[FeedbackRow]) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let at = row.origin.clone().unwrap_or_else(|| format!("rows[{i}]"));
        if let Err(list) = resolve_row(kb, row) {
            // An unreadable vector leaves the row without a scenario: not a second problem.
            let unread = |f: &str| {
                row.unparsed.contains(&f) || (f == "scenario" && row.unparsed.contains(&"vector"))
            };
            let list = list.into_iter().filter(|(f, _)| !unread(f));
            problems.extend(list.map(|(field, m)| {
                if row.origin.is_some() {
                    format!("{at}: column {field}: {m}")
                } else {
                    format!("{at}.{field}: {m}")
                }
            }));
        }
    }
    problems
}

enum Resolved {
    Observation(Observation),
    Preference(Box<Preference>),
}

type RowProblems = Vec<(&'static str, String)>;

fn resolve_row(kb: &KnowledgeBase, row: &FeedbackRow) -> Result<Resolved, RowProblems> {
    let mut problems: RowProblems = Vec::new();
    let kind = match row.kind.as_deref() {
        Some("observation") => "observation",
        Some("preference") => "preference",
        Some(other) => {
            problems.push((
                "kind",
                format!(
                    "unknown kind '{}'; expected observation or preference",
                    untrusted::shown(other)
                ),
            ));
            return Err(problems);
        }
        None if row.preferred.is_some() || row.other.is_some() => "preference",
        None => "observation",
    };
    let scenario = match scenario_of(kb, row) {
        Ok(s) => Some(s),
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let mut fit_of = |field: &'static str, spec: Option<&str>| -> Option<[f64; CONCEPT_COUNT]> {
        let Some(spec) = spec else {
            problems.push((
                field,
                format!("missing; a {kind} needs a technology id or a stack such as k3s+istio"),
            ));
            return None;
        };
        match stack_fit(kb, spec, scenario.as_ref()?) {
            Ok(f) => Some(f),
            Err(m) => {
                problems.push((field, m));
                None
            }
        }
    };
    if kind == "observation" {
        let fit = fit_of("tech", row.tech.as_deref());
        let concept = match row.concept.as_deref() {
            None => {
                problems.push((
                    "concept",
                    "missing; expected a concept key (I, C, Q, R, M, V, L, S, B, P, T, Theta)"
                        .into(),
                ));
                None
            }
            Some(k) => {
                let c = Concept::from_key(k);
                if c.is_none() {
                    problems.push((
                        "concept",
                        format!(
                            "unknown concept '{}'; expected one of I, C, Q, R, M, V, L, S, B, P, T, Theta",
                            untrusted::shown(k)
                        ),
                    ));
                }
                c
            }
        };
        let observed = match row.observed {
            None => {
                problems.push(("observed", "missing; expected a number from 0 to 1".into()));
                None
            }
            Some(y) if !(0.0..=1.0).contains(&y) => {
                problems.push((
                    "observed",
                    format!("{y} is not in [0, 1]; expected a number from 0 to 1"),
                ));
                None
            }
            Some(y) => Some(y),
        };
        for (f, present) in [
            ("preferred", row.preferred.is_some()),
            ("other", row.other.is_some()),
        ] {
            if present {
                problems.push((f, "is for preference rows; an observation has none".into()));
            }
        }
        if let (Some(fit), Some(concept), Some(observed), true) =
            (fit, concept, observed, problems.is_empty())
        {
            return Ok(Resolved::Observation(Observation {
                concept,
                fit: fit[concept.index()],
                observed,
            }));
        }
    } else {
        let preferred = fit_of("preferred", row.preferred.as_deref());
        let other = fit_of("other", row.other.as_deref());
        for (f, present) in [
            ("tech", row.tech.is_some()),
            ("concept", row.concept.is_some()),
            ("observed", row.observed.is_some()),
        ] {
            if present {
                problems.push((f, "is for observation rows; a preference has none".into()));
            }
        }
        if let (Some(preferred), Some(other), Some(s), true) =
            (preferred, other, &scenario, problems.is_empty())
        {
            return Ok(Resolved::Preference(Box::new(Preference {
                preferred,
                other,
                weights: s.weights,
            })));
        }
    }
    Err(problems)
}

fn scenario_of(
    kb: &KnowledgeBase,
    row: &FeedbackRow,
) -> Result<PreparedScenario, (&'static str, String)> {
    let input = match (&row.scenario, &row.vector) {
        (Some(_), Some(_)) => {
            return Err((
                "vector",
                "a scenario and a vector are both given; expected one of them".into(),
            ))
        }
        (Some(id), None) => {
            let s = kb.scenario(id).ok_or_else(|| {
                (
                    "scenario",
                    format!(
                        "unknown scenario '{}'; expected one of: {}",
                        untrusted::shown(id),
                        kb.scenarios
                            .iter()
                            .map(|s| s.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            ScenarioInput::from_scenario(s)
        }
        (None, Some(v)) => {
            ScenarioInput::from_vector(v.resolve().map_err(|e| ("vector", e.message()))?)
        }
        (None, None) => {
            return Err((
                "scenario",
                "missing; expected a scenario id or a scene vector".into(),
            ))
        }
    };
    input.prepare(kb).map_err(|e| ("vector", e.to_string()))
}

/// The fits of a technology or a stack (`a+b`) in a scenario: a chain alone as `rank` scores it,
/// a stack by the composition rule.
fn stack_fit(
    kb: &KnowledgeBase,
    spec: &str,
    scenario: &PreparedScenario,
) -> Result<[f64; CONCEPT_COUNT], String> {
    let mut members = Vec::new();
    for id in spec.split('+').map(str::trim) {
        let t = kb.technology(id).ok_or_else(|| {
            format!(
                "unknown technology '{}'; expected an id of `stackmatrix list techs`, or a stack such as k3s+istio",
                untrusted::shown(id)
            )
        })?;
        members.push(t);
    }
    let params = &kb.tables.parameters;
    if let [t] = members.as_slice() {
        if t.kind == TechKind::Chain {
            if let Some(m) = time_matrix(&t.maturity, scenario.time_mode(), params) {
                return Ok(scenario_fit(&scenario.vector, &m));
            }
        }
    }
    stack_fit_and_score(&members, scenario, params)
        .map(|(f, _)| f)
        .ok_or_else(|| {
            format!(
                "'{}' does not cover every concept; expected a chain, or a stack with a chain",
                untrusted::shown(spec)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_with_quotes_and_every_problem_reported() {
        let kb = stackmatrix_model::builtin().unwrap();
        let text = "kind,tech,scenario,vector,concept,observed,preferred,other\n\
                    observation,k3s,edge,,I,0.9,,\n\
                    observation,k3s,,\"0,0,0,1,0,0\",C,0.8,,\n\
                    preference,,edge,,,,k3s,k8s\n";
        let rows = parse_feedback(text, "f.csv", None).unwrap();
        let r = resolve_feedback(&kb, &rows).unwrap();
        assert_eq!((r.observations.len(), r.preferences.len()), (2, 1));
        let bad_text = "kind,tech,scenario,concept,observed\n\
                        observation,k3s,edge,I,1.5\n\
                        observation,nope,edge,X,0.5\n";
        let rows = parse_feedback(bad_text, "f.csv", None).unwrap();
        let e = resolve_feedback(&kb, &rows).unwrap_err().to_string();
        assert!(
            e.contains("f.csv:2: column observed: 1.5 is not in [0, 1]"),
            "{e}"
        );
        assert!(
            e.contains("f.csv:3: column tech: unknown technology 'nope'"),
            "{e}"
        );
        assert!(
            e.contains("f.csv:3: column concept: unknown concept 'X'"),
            "{e}"
        );
        let e = parse_feedback("kind,bogus\n", "f.csv", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("f.csv:1: column 2 ('bogus'): unknown column"),
            "{e}"
        );
        let e = parse_feedback("tech,observed\nk3s,abc\n", "f.csv", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("f.csv:2: column 2 (observed): 'abc' is not a number"),
            "{e}"
        );
    }

    #[test]
    fn jsonl_rows_and_errors_with_line_and_column() {
        let text = "{\"tech\":\"k3s\",\"scenario\":\"edge\",\"concept\":\"I\",\"observed\":0.9}\n\
                    # a comment\n\
                    {\"tech\":\"k3s\",\"scenario\":\"edge\",\"concept\":\"I\",\"observed\":\"high\"}\n";
        let e = parse_feedback(text, "f.jsonl", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("f.jsonl:3: column"), "{e}");
        assert!(e.contains("invalid type"), "{e}");
        assert!(parse_feedback("", "f.txt", None).is_err());
    }
}
