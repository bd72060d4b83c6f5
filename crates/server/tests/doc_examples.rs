//! Every JSON example in docs/json.md and docs/http.md checked against the schema the server
//! derives from the api's types (`/openapi.json`): each member an example shows must be a member
//! of its type, with its type. The docs keep the prose and the examples; the types keep the
//! shapes; this test keeps them together.
//!
//! The examples are annotated for readers, so the check reads them as they are written: `//`
//! comments are dropped, a bare `...` is an elision, a string starting with `...` and a `"..."`
//! member stand for values left out, and `{ }` stands for "as shown elsewhere". Members an
//! example leaves out are not missing (the examples abbreviate); members it shows must exist.

use serde_json::Value;

/// The type of each JSON example, in the order of the file: a component schema's name, or
/// `[Name]` for a list of them. A fragment (an example that is a run of members) is checked as
/// members of the named type.
const JSON_MD: &[&str] = &[
    "RankView",
    "ExplainView",
    "RecommendView",
    "CaseReportView",
    "AuditView",
    "DecideView",
    "MethodRankView",
    "CompareView",
    "RobustnessView",
    "MigrateView",
    "MigrateView",
    "TransitionComparisonView",
    "AdaptView",
    "DepsView",
    "DepsConceptView",
    "DepsCoverageView",
    "OpsListView",
    "OpsApplyView",
    "RiskView",
    "CostView",
    "RecommendView",
    "LearnView",
    "CalibrateView",
    "FleetSummary",
    "FleetRowView",
];

const HTTP_MD: &[&str] = &["MigrateView", "[FleetRowView]", "Error", "Error"];

/// The ```json blocks of a Markdown file.
fn json_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim_start() == "```json" => current = Some(String::new()),
            None => {}
            Some(_) if line.trim_start() == "```" => blocks.extend(current.take()),
            Some(text) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    blocks
}

/// The example as JSON: comments and bare elisions dropped, trailing commas removed, and a run
/// of members wrapped in braces.
fn as_json(example: &str) -> Value {
    let mut out = String::new();
    let mut chars = example.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '.' if chars.peek() == Some(&'.') => {
                while chars.peek() == Some(&'.') {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    // Trailing commas (outside strings: an elision or a fragment leaves them).
    let mut text = String::new();
    let mut in_string = false;
    let bytes: Vec<char> = out.trim().trim_end_matches(',').chars().collect();
    for (i, &c) in bytes.iter().enumerate() {
        if c == '"' && (i == 0 || bytes[i - 1] != '\\') {
            in_string = !in_string;
        }
        if c == ',' && !in_string {
            let next = bytes[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']') | Some(',')) || next.is_none() {
                continue;
            }
        }
        text.push(c);
    }
    let text = if text.starts_with('{') || text.starts_with('[') {
        text
    } else {
        format!("{{{text}}}")
    };
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn elided(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.starts_with("..."))
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.strip_prefix("#/components/schemas/").expect(r);
            let target = &doc["components"]["schemas"][name];
            assert!(!target.is_null(), "$ref {r} does not resolve");
            resolve(doc, target)
        }
        None => schema,
    }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_u64() || v.is_i64(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        other => panic!("unknown type {other}"),
    }
}

/// Checks what the example shows against the schema: types, enums and that every member shown
/// is described.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    if elided(value) || value.as_object().is_some_and(|m| m.is_empty()) {
        return Ok(());
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alternatives) = schema.get(key).and_then(Value::as_array) {
            let errors: Vec<String> = alternatives
                .iter()
                .filter_map(|a| check(doc, a, value, at).err())
                .collect();
            if errors.len() < alternatives.len() {
                return Ok(());
            }
            return Err(format!(
                "{at}: no alternative matches: {}",
                errors.join(" | ")
            ));
        }
    }
    if let Some(t) = schema.get("type") {
        let ok = match t {
            Value::String(t) => type_matches(t, value),
            Value::Array(ts) => ts.iter().any(|t| type_matches(t.as_str().unwrap(), value)),
            _ => panic!("bad type {t}"),
        };
        if !ok {
            return Err(format!("{at}: expected {t}, got {value}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(value) {
            return Err(format!("{at}: {value} is not one of {e:?}"));
        }
    }
    if let (Some(items), Some(item_schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(doc, item_schema, item, &format!("{at}[{i}]"))?;
        }
    }
    if let Some(members) = value.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, v) in members.iter().filter(|(k, _)| !k.starts_with("...")) {
            match props.and_then(|p| p.get(k)) {
                Some(s) => check(doc, s, v, &format!("{at}.{k}"))?,
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        return Err(format!("{at}: member '{k}' is not in the type"))
                    }
                    Some(s @ Value::Object(_)) => check(doc, s, v, &format!("{at}.{k}"))?,
                    _ => {}
                },
            }
        }
    }
    Ok(())
}

fn check_file(file: &str, types: &[&str]) {
    let doc = stackmatrix_server::openapi_document();
    let path = format!("{}/../../docs/{file}", env!("CARGO_MANIFEST_DIR"));
    let blocks = json_blocks(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(
        blocks.len(),
        types.len(),
        "docs/{file} has {} JSON examples; name the type of each in this test",
        blocks.len()
    );
    let mut failures = Vec::new();
    for (i, (block, ty)) in blocks.iter().zip(types).enumerate() {
        let schema = match ty.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            Some(item) => {
                serde_json::json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}})
            }
            None => serde_json::json!({"$ref": format!("#/components/schemas/{ty}")}),
        };
        if let Err(e) = check(&doc, &schema, &as_json(block), "$") {
            failures.push(format!("docs/{file} example {} ({ty}): {e}", i + 1));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_json_example_in_json_md_matches_its_type() {
    check_file("json.md", JSON_MD);
}

#[test]
fn every_json_example_in_http_md_matches_its_type() {
    check_file("http.md", HTTP_MD);
}
