//! Fleet rules: the user-editable file that turns one row of a node or workload inventory into
//! a scene vector and requirements (`stackmatrix fleet score --rules FILE`).
//!
//! The format is TOML (the built-in default, `data/fleet/rules.toml`, documents it in its
//! comments; `docs/fleet.md` has the definitions):
//!
//! ```toml
//! id_column = "id"
//! [[column]]
//! name = "memory_gb"
//! type = "number"        # number, integer, bool or text
//! required = true
//! min = 0
//! [base]
//! prod = 1
//! [[rule]]
//! id = "tiny-memory"
//! when = [{ column = "memory_gb", op = "<", value = 1 }]
//! weigh = { edge = 2 }
//! require = []
//! ```
//!
//! Every problem is reported as `file:line:column: field: message; expected ...`, like the
//! knowledge base's. Capabilities named in `require` are checked against a knowledge base by
//! [`FleetRules::check_capabilities`], since the rules file does not know which one is used.

use crate::axes::{Scene, SCENE_COUNT};
use crate::diagnostic::{Diagnostic, Diagnostics, FileReporter};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The built-in fleet rules, `data/fleet/rules.toml`, as text (comments included).
pub const BUILTIN_FLEET_RULES: &str = include_str!("../../../data/fleet/rules.toml");

/// Most rules a file may have: a row's matched rules are kept as a 128-bit set.
pub const MAX_FLEET_RULES: usize = 128;

/// The type of an inventory column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// A finite decimal number.
    Number,
    /// A whole number (written without a fraction, `3`, not `3.5`).
    Integer,
    /// `true`/`false` (also `yes`/`no`, `1`/`0`, any case).
    Bool,
    /// Any text; one of `values` when they are given.
    Text,
}

impl ColumnKind {
    /// The key used in the file.
    pub fn key(self) -> &'static str {
        match self {
            ColumnKind::Number => "number",
            ColumnKind::Integer => "integer",
            ColumnKind::Bool => "bool",
            ColumnKind::Text => "text",
        }
    }

    fn from_key(key: &str) -> Option<ColumnKind> {
        Some(match key {
            "number" => ColumnKind::Number,
            "integer" => ColumnKind::Integer,
            "bool" => ColumnKind::Bool,
            "text" => ColumnKind::Text,
            _ => return None,
        })
    }

    /// True for number and integer columns.
    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnKind::Number | ColumnKind::Integer)
    }
}

/// One column of the inventory the rules read.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    /// The header name.
    pub name: String,
    /// Its type.
    pub kind: ColumnKind,
    /// True when every row must have a value.
    pub required: bool,
    /// Smallest allowed value (numeric columns).
    pub min: Option<f64>,
    /// Largest allowed value (numeric columns).
    pub max: Option<f64>,
    /// Allowed values (text columns); empty means any text.
    pub values: Vec<String>,
}

/// A comparison of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `in`: equal to one of a list.
    In,
}

impl CompareOp {
    /// The operator as written in the file.
    pub fn key(self) -> &'static str {
        match self {
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::In => "in",
        }
    }

    fn from_key(key: &str) -> Option<CompareOp> {
        Some(match key {
            "<" => CompareOp::Lt,
            "<=" => CompareOp::Le,
            ">" => CompareOp::Gt,
            ">=" => CompareOp::Ge,
            "==" => CompareOp::Eq,
            "!=" => CompareOp::Ne,
            "in" => CompareOp::In,
            _ => return None,
        })
    }
}

/// The value a condition compares with, of its column's type.
#[derive(Debug, Clone, PartialEq)]
pub enum ConditionValue {
    /// Numbers (one, or several for `in`).
    Numbers(Vec<f64>),
    /// A boolean (`==`, `!=`).
    Bool(bool),
    /// Texts (one, or several for `in`).
    Texts(Vec<String>),
}

/// One condition of a rule: `column op value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// Index of the column in [`FleetRules::columns`].
    pub column: usize,
    /// The comparison.
    pub op: CompareOp,
    /// What it compares with.
    pub value: ConditionValue,
}

/// A rule: when all its conditions hold, it adds scene weights, capabilities and a budget.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetRule {
    /// The rule's id.
    pub id: String,
    /// What it means, for people.
    pub description: String,
    /// Conditions, all of which must hold (none: the rule always holds).
    pub when: Vec<Condition>,
    /// Scene weights it adds, in scene order.
    pub weigh: [f64; SCENE_COUNT],
    /// Capabilities it requires.
    pub require: Vec<String>,
    /// Memory budget per node it sets, MB (the smallest of the matched rules wins).
    pub budget_mb: Option<f64>,
}

/// Where a capability was named, to report an unknown one at its place.
#[derive(Debug, Clone, PartialEq)]
struct CapabilityPlace {
    capability: String,
    field: String,
    line: usize,
    column: usize,
}

/// A checked fleet rules file.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetRules {
    /// The file as named in messages (`(built-in)/fleet/rules.toml` for the default).
    pub file: String,
    /// The column that names a row.
    pub id_column: String,
    /// Columns read, in file order.
    pub columns: Vec<ColumnSpec>,
    /// Scene weights every row starts from, in scene order.
    pub base: [f64; SCENE_COUNT],
    /// Rules, in file order (at most [`MAX_FLEET_RULES`]).
    pub rules: Vec<FleetRule>,
    places: Vec<CapabilityPlace>,
}

impl FleetRules {
    /// The built-in default rules.
    pub fn builtin() -> FleetRules {
        parse_fleet_rules("(built-in)/fleet/rules.toml", BUILTIN_FLEET_RULES)
            .expect("the built-in fleet rules are checked by the test suite")
    }

    /// Every capability a rule requires that is not in `known`, reported where it is named.
    pub fn check_capabilities(&self, known: &[&str]) -> Result<(), Diagnostics> {
        let problems: Vec<Diagnostic> = self
            .places
            .iter()
            .filter(|p| !known.contains(&p.capability.as_str()))
            .map(|p| Diagnostic {
                file: self.file.clone(),
                line: Some(p.line),
                column: Some(p.column),
                field: p.field.clone(),
                message: format!("no technology brings '{}'", p.capability),
                expected: format!("a capability of the knowledge base: {}", known.join(", ")),
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Diagnostics(problems))
        }
    }

    /// The index of a column by name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    id_column: Option<Spanned<String>>,
    #[serde(default)]
    column: Vec<Spanned<RawColumn>>,
    base: Option<Spanned<BTreeMap<Spanned<String>, Spanned<f64>>>>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    name: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    #[serde(default)]
    required: bool,
    min: Option<Spanned<f64>>,
    max: Option<Spanned<f64>>,
    values: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    when: Vec<Spanned<RawCondition>>,
    weigh: Option<Spanned<BTreeMap<Spanned<String>, Spanned<f64>>>>,
    #[serde(default)]
    require: Vec<Spanned<String>>,
    budget_mb: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    column: Spanned<String>,
    op: Spanned<String>,
    value: Spanned<toml::Value>,
}

/// Parses and checks a fleet rules file; every problem is reported with its place.
pub fn parse_fleet_rules(file: &str, text: &str) -> Result<FleetRules, Diagnostics> {
    let mut out = Vec::new();
    let rules = {
        let mut r = FileReporter::new(file, text, &mut out);
        match toml::from_str::<RawRules>(text) {
            Ok(raw) => check(&mut r, raw),
            Err(e) => {
                r.toml_error(&e);
                None
            }
        }
    };
    match rules {
        Some(rules) if out.is_empty() => Ok(rules),
        _ => Err(Diagnostics(out)),
    }
}

const SCENE_KEYS: &str = "a scene: dev, ci, prod, edge, serverless or multitenant";

fn scene_weights(
    r: &mut FileReporter,
    field: &str,
    map: &BTreeMap<Spanned<String>, Spanned<f64>>,
) -> [f64; SCENE_COUNT] {
    let mut out = [0.0; SCENE_COUNT];
    for (key, value) in map {
        let Some(scene) = Scene::ALL.iter().find(|s| s.key() == key.get_ref()) else {
            r.at(
                key.span(),
                &format!("{field}.{}", key.get_ref()),
                format!("unknown scene '{}'", key.get_ref()),
                SCENE_KEYS,
            );
            continue;
        };
        // A quantity, as every scene weight of the knowledge base and of `--vector`: the
        // weights of the rules a row matches are added, and 1e308 + 1e308 overflowed.
        let field = format!("{field}.{}", scene.key());
        if let Some(v) = r.number(&field, value, crate::check::NON_NEGATIVE) {
            out[scene.index()] = v;
        }
    }
    out
}

fn check(r: &mut FileReporter, raw: RawRules) -> Option<FleetRules> {
    let id_column = match &raw.id_column {
        Some(s) if !s.get_ref().trim().is_empty() => s.get_ref().clone(),
        Some(s) => {
            r.at(
                s.span(),
                "id_column",
                "is empty".into(),
                "the name of the column that names a row",
            );
            String::new()
        }
        None => "id".to_string(),
    };
    let mut columns: Vec<ColumnSpec> = Vec::new();
    for (i, c) in raw.column.iter().enumerate() {
        let c = c.get_ref();
        let field = format!("column[{i}]");
        let name = c.name.get_ref().trim().to_string();
        if name.is_empty() {
            r.at(
                c.name.span(),
                &format!("{field}.name"),
                "is empty".into(),
                "a column name",
            );
        } else if name == id_column {
            r.at(
                c.name.span(),
                &format!("{field}.name"),
                format!("'{name}' is the id column"),
                "a column other than id_column",
            );
        } else if columns.iter().any(|x| x.name == name) {
            r.at(
                c.name.span(),
                &format!("{field}.name"),
                format!("column '{name}' is declared twice"),
                "each column once",
            );
        }
        let Some(kind) = ColumnKind::from_key(c.kind.get_ref()) else {
            r.at(
                c.kind.span(),
                &format!("{field}.type"),
                format!("unknown type '{}'", c.kind.get_ref()),
                "number, integer, bool or text",
            );
            continue;
        };
        for (key, bound) in [("min", &c.min), ("max", &c.max)] {
            if let Some(b) = bound {
                if !kind.is_numeric() {
                    r.at(
                        b.span(),
                        &format!("{field}.{key}"),
                        format!("a {} column has no {key}", kind.key()),
                        "min and max only on number and integer columns",
                    );
                } else if !b.get_ref().is_finite() {
                    r.at(
                        b.span(),
                        &format!("{field}.{key}"),
                        format!("{} is not a bound", b.get_ref()),
                        "a finite number",
                    );
                }
            }
        }
        if let (Some(lo), Some(hi)) = (&c.min, &c.max) {
            if lo.get_ref() > hi.get_ref() {
                r.at(
                    hi.span(),
                    &format!("{field}.max"),
                    format!("max {} is below min {}", hi.get_ref(), lo.get_ref()),
                    "max at least min",
                );
            }
        }
        let mut values = Vec::new();
        if let Some(v) = &c.values {
            if kind != ColumnKind::Text {
                r.at(
                    v.span(),
                    &format!("{field}.values"),
                    format!("a {} column has no values list", kind.key()),
                    "values only on text columns",
                );
            } else if v.get_ref().is_empty() {
                r.at(
                    v.span(),
                    &format!("{field}.values"),
                    "is empty".into(),
                    "at least one allowed value, or no values key for any text",
                );
            }
            values = v.get_ref().iter().map(|s| s.get_ref().clone()).collect();
        }
        columns.push(ColumnSpec {
            name,
            kind,
            required: c.required,
            min: c.min.as_ref().map(|m| *m.get_ref()),
            max: c.max.as_ref().map(|m| *m.get_ref()),
            values,
        });
    }
    let base = raw
        .base
        .as_ref()
        .map(|b| scene_weights(r, "base", b.get_ref()))
        .unwrap_or([0.0; SCENE_COUNT]);
    if raw.rule.len() > MAX_FLEET_RULES {
        let span = raw.rule[MAX_FLEET_RULES].span();
        r.at(
            span,
            &format!("rule[{MAX_FLEET_RULES}]"),
            format!("{} rules", raw.rule.len()),
            "at most 128 rules",
        );
    }
    let mut rules: Vec<FleetRule> = Vec::new();
    let mut places = Vec::new();
    for (i, rule) in raw.rule.iter().enumerate() {
        let rule = rule.get_ref();
        let field = format!("rule[{i}]");
        let id = rule.id.get_ref().clone();
        if !is_id(&id) {
            r.at(
                rule.id.span(),
                &format!("{field}.id"),
                format!("'{id}' is not an id"),
                "an id of lowercase letters, digits and '-', starting with a letter",
            );
        } else if rules.iter().any(|x| x.id == id) {
            r.at(
                rule.id.span(),
                &format!("{field}.id"),
                format!("rule '{id}' is defined twice"),
                "each rule id once",
            );
        }
        let mut when = Vec::new();
        for (j, cond) in rule.when.iter().enumerate() {
            let cond = cond.get_ref();
            let cfield = format!("{field}.when[{j}]");
            if let Some(c) = condition(r, &cfield, cond, &columns, &id_column) {
                when.push(c);
            }
        }
        let weigh = rule
            .weigh
            .as_ref()
            .map(|w| scene_weights(r, &format!("{field}.weigh"), w.get_ref()))
            .unwrap_or([0.0; SCENE_COUNT]);
        let mut require: Vec<String> = Vec::new();
        for (j, cap) in rule.require.iter().enumerate() {
            let (line, column) = r.position(cap.span().start);
            if !require.contains(cap.get_ref()) {
                require.push(cap.get_ref().clone());
            }
            places.push(CapabilityPlace {
                capability: cap.get_ref().clone(),
                field: format!("{field}.require[{j}]"),
                line,
                column,
            });
        }
        if let Some(b) = &rule.budget_mb {
            if !b.get_ref().is_finite() || *b.get_ref() < 0.0 {
                r.at(
                    b.span(),
                    &format!("{field}.budget_mb"),
                    format!("{} is not a memory budget", b.get_ref()),
                    "megabytes, 0 or more",
                );
            }
        }
        rules.push(FleetRule {
            id,
            description: rule.description.clone(),
            when,
            weigh,
            require,
            budget_mb: rule.budget_mb.as_ref().map(|b| *b.get_ref()),
        });
    }
    Some(FleetRules {
        file: r.file_name().to_string(),
        id_column,
        columns,
        base,
        rules,
        places,
    })
}

fn is_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn condition(
    r: &mut FileReporter,
    field: &str,
    cond: &RawCondition,
    columns: &[ColumnSpec],
    id_column: &str,
) -> Option<Condition> {
    let name = cond.column.get_ref();
    let Some(index) = columns.iter().position(|c| &c.name == name) else {
        let known: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        let message = if name == id_column {
            format!("'{name}' is the id column; rules cannot test it")
        } else {
            format!("unknown column '{name}'")
        };
        r.at(
            cond.column.span(),
            &format!("{field}.column"),
            message,
            &format!("a declared column: {}", known.join(", ")),
        );
        return None;
    };
    let spec = &columns[index];
    let Some(op) = CompareOp::from_key(cond.op.get_ref()) else {
        r.at(
            cond.op.span(),
            &format!("{field}.op"),
            format!("unknown operator '{}'", cond.op.get_ref()),
            "one of < <= > >= == != in",
        );
        return None;
    };
    let ordering = matches!(
        op,
        CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge
    );
    if ordering && !spec.kind.is_numeric() {
        r.at(
            cond.op.span(),
            &format!("{field}.op"),
            format!(
                "'{}' on the {} column '{}'",
                op.key(),
                spec.kind.key(),
                spec.name
            ),
            "== != or in on bool and text columns",
        );
        return None;
    }
    let vfield = format!("{field}.value");
    let span = cond.value.span();
    let items: Vec<&toml::Value> = match (op, cond.value.get_ref()) {
        (CompareOp::In, toml::Value::Array(a)) if !a.is_empty() => a.iter().collect(),
        (CompareOp::In, _) => {
            r.at(
                span,
                &vfield,
                "'in' needs a list".into(),
                "a non-empty list such as [\"a\", \"b\"]",
            );
            return None;
        }
        (_, toml::Value::Array(_)) => {
            r.at(
                span,
                &vfield,
                format!("a list after '{}'", op.key()),
                "one value (lists only with 'in')",
            );
            return None;
        }
        (_, v) => vec![v],
    };
    let value = match spec.kind {
        ColumnKind::Number | ColumnKind::Integer => {
            let mut numbers = Vec::new();
            for v in items {
                match v {
                    toml::Value::Integer(i) => numbers.push(*i as f64),
                    toml::Value::Float(f) if f.is_finite() => numbers.push(*f),
                    other => {
                        r.at(
                            span.clone(),
                            &vfield,
                            format!("{other} for the {} column '{}'", spec.kind.key(), spec.name),
                            "a finite number",
                        );
                        return None;
                    }
                }
            }
            ConditionValue::Numbers(numbers)
        }
        ColumnKind::Bool => match (op, items.as_slice()) {
            (CompareOp::Eq | CompareOp::Ne, [toml::Value::Boolean(b)]) => ConditionValue::Bool(*b),
            _ => {
                r.at(
                    span,
                    &vfield,
                    format!("not a boolean test of the bool column '{}'", spec.name),
                    "op == or != with value true or false",
                );
                return None;
            }
        },
        ColumnKind::Text => {
            let mut texts = Vec::new();
            for v in items {
                let toml::Value::String(s) = v else {
                    r.at(
                        span.clone(),
                        &vfield,
                        format!("{v} for the text column '{}'", spec.name),
                        "a quoted text",
                    );
                    return None;
                };
                if !spec.values.is_empty() && !spec.values.contains(s) {
                    r.at(
                        span.clone(),
                        &vfield,
                        format!("'{s}' is not a value of column '{}'", spec.name),
                        &format!("one of {}", spec.values.join(", ")),
                    );
                    return None;
                }
                texts.push(s.clone());
            }
            ConditionValue::Texts(texts)
        }
    };
    Some(Condition {
        column: index,
        op,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        parse_fleet_rules("r.toml", text)
            .unwrap_err()
            .0
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn the_builtin_rules_parse() {
        let rules = FleetRules::builtin();
        assert_eq!(rules.id_column, "id");
        assert!(rules.rules.len() >= 10);
        assert_eq!(rules.base[Scene::Prod.index()], 1.0);
        let gpu = rules.rules.iter().find(|r| r.id == "gpu").unwrap();
        assert_eq!(gpu.require, vec!["gpu".to_string()]);
        assert!(rules.check_capabilities(&["gpu", "offline"]).is_ok());
        let e = rules.check_capabilities(&["gpu"]).unwrap_err();
        assert!(e.0[0]
            .to_string()
            .contains("no technology brings 'offline'"));
        assert!(e.0[0].line.is_some());
    }

    #[test]
    fn problems_have_places() {
        let text = "[[column]]\nname = \"mem\"\ntype = \"number\"\n\n[[rule]]\nid = \"x\"\nwhen = [{ column = \"memo\", op = \"<\", value = 1 }]\n";
        let e = errors(text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("r.toml:7:20: rule[0].when[0].column: unknown column 'memo'"),
            "{e:?}"
        );
        let e = errors("[[column]]\nname = \"n\"\ntype = \"decimal\"\n");
        assert!(
            e[0].starts_with("r.toml:3:8: column[0].type: unknown type"),
            "{e:?}"
        );
        let e = errors("[base]\ncloud = 1\n");
        assert!(e[0].contains("base.cloud: unknown scene 'cloud'"), "{e:?}");
        let e = errors("[base]\nedge = -1\n");
        assert!(e[0].contains("base.edge: -1 is negative"), "{e:?}");
        // Issue 13: the weights of the matched rules are added; 1e308 each overflowed.
        let e = errors(
            "[base]
edge = 1e308
",
        );
        assert!(
            e[0].starts_with("r.toml:2:8: base.edge: 1e308 is too large; expected a finite number of 0 or more, at most 1e12"),
            "{e:?}"
        );
        let e = errors("[[column]]\nname = \"t\"\ntype = \"text\"\n[[rule]]\nid = \"a\"\nwhen = [{ column = \"t\", op = \"<\", value = \"x\" }]\n");
        assert!(e[0].contains("'<' on the text column 't'"), "{e:?}");
        let e = errors("[[rule]]\nid = \"a\"\n[[rule]]\nid = \"a\"\n");
        assert!(e[0].contains("rule 'a' is defined twice"), "{e:?}");
        let e = errors("bogus = 1\n");
        assert!(e[0].contains("bogus"), "{e:?}");
        let e = errors("[[column]]\nname = \"b\"\ntype = \"bool\"\n[[rule]]\nid = \"a\"\nwhen = [{ column = \"b\", op = \"==\", value = 3 }]\n");
        assert!(e[0].contains("bool column 'b'"), "{e:?}");
    }
}
