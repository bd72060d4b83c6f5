//! `fleet`: inventory rows given inline (JSON), mapped by the built-in fleet rules and scored as
//! `stackmatrix fleet score` scores a file's rows, with the fleet summary. For files of millions
//! of rows use the command line; this answers a service that asks about a few nodes at a time.

use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};
use stackmatrix_engine::fleet::{
    fleet_summary, mapped_row, match_rules, score_mapped, Cell, FleetOptions, FleetSummary,
    RowCounts, RowError, RuleSet, RunNames, Scored,
};
use stackmatrix_model::{FleetRules, KnowledgeBase, SCENE_COUNT};
use std::collections::{BTreeMap, HashMap};

/// `fleet`: rows to score.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FleetRequest {
    /// The rows: objects of column name to value (text, number, boolean or null for empty), with
    /// the columns of the built-in rules (`stackmatrix fleet rules`) and the id column.
    pub rows: Vec<BTreeMap<String, serde_json::Value>>,
    /// Best chains per row [default: 1].
    #[serde(default = "default_top")]
    pub top: usize,
    /// Search the best stack per row too.
    #[serde(default)]
    pub stacks: bool,
}

fn default_top() -> usize {
    1
}

/// One row's answer.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FleetRowView {
    /// Position of the row in the request, from 0.
    pub index: usize,
    /// The row's id, when it has one.
    pub id: Option<String>,
    /// The scene vector as summed by the rules (not normalised), in scene order; `null` for a
    /// rejected row.
    pub vector: Option<[f64; SCENE_COUNT]>,
    /// Required capabilities.
    pub require: Vec<String>,
    /// Memory budget per node, MB.
    pub budget_mb: Option<f64>,
    /// The best chains, best first.
    pub chains: Vec<Scored>,
    /// The best stack (with `stacks`), `null` when none meets the requirements.
    pub stack: Option<Scored>,
    /// Why the row was rejected, `null` when it was scored.
    pub error: Option<RowError>,
}

/// `fleet`: every row's answer and the summary of the rows.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FleetView {
    /// The rows, in request order.
    pub rows: Vec<FleetRowView>,
    /// Counts, shares and score distributions, as `fleet score --summary` writes them.
    pub summary: FleetSummary,
}

fn cell(v: Option<&serde_json::Value>) -> Result<Cell<'_>, &'static str> {
    use serde_json::Value as V;
    Ok(match v {
        None | Some(V::Null) => Cell::Missing,
        Some(V::String(s)) => Cell::Text(s),
        Some(V::Bool(b)) => Cell::Bool(*b),
        Some(V::Number(n)) => match n.as_i64() {
            Some(i) => Cell::Integer(i),
            None => Cell::Number(n.as_f64().unwrap_or(f64::NAN)),
        },
        Some(V::Array(_)) | Some(V::Object(_)) => return Err("a list or an object"),
    })
}

/// `fleet`: see [`FleetRequest`].
pub fn fleet(kb: &KnowledgeBase, req: &FleetRequest) -> ApiResult<FleetView> {
    if req.top == 0 {
        return Err(ApiError::bad_input(
            "top",
            "0 keeps no chain; expected 1 or more",
        ));
    }
    let rules = FleetRules::builtin();
    let options = FleetOptions {
        top: req.top,
        stacks: req.stacks,
    };
    let mut cache: HashMap<RuleSet, Result<stackmatrix_engine::fleet::FleetOutcome, String>> =
        HashMap::new();
    let mut counts = RowCounts::default();
    let mut per_set: BTreeMap<RuleSet, u64> = BTreeMap::new();
    let mut by_column: BTreeMap<String, u64> = BTreeMap::new();
    let mut rows = Vec::with_capacity(req.rows.len());
    for (index, row) in req.rows.iter().enumerate() {
        counts.read += 1;
        let id = row.get(&rules.id_column).and_then(|v| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        });
        let mut view = FleetRowView {
            index,
            id: id.clone(),
            vector: None,
            require: Vec::new(),
            budget_mb: None,
            chains: Vec::new(),
            stack: None,
            error: None,
        };
        let fail = |column: &str, reason: String| RowError {
            column: column.to_string(),
            reason,
        };
        let result = (|| {
            if id.is_none() {
                return Err(fail(
                    &rules.id_column,
                    "missing; every row needs an id".into(),
                ));
            }
            if let Some(k) = row
                .keys()
                .find(|k| **k != rules.id_column && rules.column_index(k).is_none())
            {
                return Err(fail(
                    k,
                    format!(
                        "unknown column; expected the id column '{}' or a column of the rules: {}",
                        rules.id_column,
                        rules
                            .columns
                            .iter()
                            .map(|c| c.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            let mut cells = Vec::with_capacity(rules.columns.len());
            for spec in &rules.columns {
                cells.push(
                    cell(row.get(&spec.name))
                        .map_err(|what| fail(&spec.name, format!("{what} is not a value")))?,
                );
            }
            let set = match_rules(&rules, &cells)?;
            let outcome = cache
                .entry(set)
                .or_insert_with(|| {
                    score_mapped(kb, &mapped_row(&rules, set), options)
                        .map_err(|e| format!("cannot be scored: {e}"))
                })
                .clone()
                .map_err(|reason| fail("", reason))?;
            Ok((set, outcome))
        })();
        match result {
            Ok((set, outcome)) => {
                counts.scored += 1;
                *per_set.entry(set).or_default() += 1;
                view.vector = Some(outcome.mapped.vector);
                view.require = outcome.mapped.require;
                view.budget_mb = outcome.mapped.budget_mb;
                view.chains = outcome.top;
                view.stack = outcome.stack;
            }
            Err(e) => {
                counts.rejected += 1;
                let column = if e.column.is_empty() {
                    "(row)".to_string()
                } else {
                    e.column.clone()
                };
                *by_column.entry(column).or_default() += 1;
                view.error = Some(e);
            }
        }
        rows.push(view);
    }
    let keys: Vec<(RuleSet, &stackmatrix_engine::fleet::FleetOutcome, u64)> = per_set
        .iter()
        .filter_map(|(set, n)| {
            cache
                .get(set)
                .and_then(|o| o.as_ref().ok())
                .map(|o| (*set, o, *n))
        })
        .collect();
    let summary = fleet_summary(
        &rules,
        &RunNames {
            input: "(request)".into(),
            output: "(response)".into(),
        },
        &keys,
        &by_column,
        counts,
        req.stacks,
        req.top,
    );
    Ok(FleetView { rows, summary })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(v: serde_json::Value) -> BTreeMap<String, serde_json::Value> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn rows_are_scored_or_rejected_with_their_reason() {
        let kb = stackmatrix_model::builtin().unwrap();
        let req = FleetRequest {
            rows: vec![
                row(
                    serde_json::json!({"id": "a", "cpu_cores": 2, "memory_gb": 0.5,
                    "network": "intermittent", "tenants": 1, "workload": "service"}),
                ),
                row(
                    serde_json::json!({"id": "b", "cpu_cores": 2, "memory_gb": "lots",
                    "network": "stable", "tenants": 1, "workload": "service"}),
                ),
                row(serde_json::json!({"cpu_cores": 2})),
                row(serde_json::json!({"id": "d", "ram": 2})),
            ],
            top: 2,
            stacks: true,
        };
        let v = fleet(&kb, &req).unwrap();
        assert_eq!(v.rows[0].vector.unwrap()[3], 3.0);
        assert_eq!(v.rows[0].chains.len(), 2);
        assert!(v.rows[0].stack.is_some());
        let e = v.rows[1].error.as_ref().unwrap();
        assert_eq!(e.column, "memory_gb");
        assert_eq!(v.rows[2].error.as_ref().unwrap().column, "id");
        assert_eq!(v.rows[3].error.as_ref().unwrap().column, "ram");
        assert_eq!(v.summary.rows.read, 4);
        assert_eq!(v.summary.rows.scored, 1);
        assert_eq!(v.summary.rows.rejected, 3);
        assert!(fleet(&kb, &FleetRequest { top: 0, ..req }).is_err());
    }
}
