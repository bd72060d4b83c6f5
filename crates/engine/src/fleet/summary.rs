//! The fleet summary: counts that reconcile, rows per best chain, per best stack and per rule,
//! and the score distributions.

use super::{FleetOutcome, RuleSet, ScoreDistribution};
use serde::{Deserialize, Serialize};
use stackmatrix_model::FleetRules;
use std::collections::BTreeMap;

/// Rows read, scored and rejected: `read = scored + rejected` always (the header is not a row).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct RowCounts {
    /// Data rows read (records after the header).
    pub read: u64,
    /// Rows scored and written.
    pub scored: u64,
    /// Rows rejected (missing or malformed fields, or nothing to score).
    pub rejected: u64,
}

/// How many rows share a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Share {
    /// The value: a chain id, a stack id, a rule id, or a column name.
    pub id: String,
    /// Rows with it.
    pub rows: u64,
    /// `rows / scored` (for rejections: `rows / rejected`).
    pub share: f64,
}

/// The summary of a fleet run (`fleet score --summary`), rendered by `report --fleet-summary`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FleetSummary {
    /// The inventory file as named.
    pub input: String,
    /// The output file as named.
    pub output: String,
    /// The rules file as named.
    pub rules: String,
    /// Rows read, scored and rejected.
    pub rows: RowCounts,
    /// Distinct rule sets among the scored rows (each was scored once).
    pub distinct_inputs: u64,
    /// Best chains kept per row.
    pub top: usize,
    /// Whether stacks were searched.
    pub stacks: bool,
    /// Scored rows per best chain, most rows first (ties by id).
    pub best_chain: Vec<Share>,
    /// Distribution of the best chain's score over the scored rows.
    pub chain_score: Option<ScoreDistribution>,
    /// Scored rows per best stack, most rows first; empty when stacks were not searched.
    pub best_stack: Vec<Share>,
    /// Scored rows for which no stack meets the requirements.
    pub no_stack: u64,
    /// Distribution of the best stack's score over the rows that have one.
    pub stack_score: Option<ScoreDistribution>,
    /// Scored rows per matched rule, in rules-file order (rules that matched no row included).
    pub rules_matched: Vec<Share>,
    /// Rejected rows per column at fault (`(row)` for problems of the whole row), most first.
    pub rejected_by_column: Vec<Share>,
}

fn shares(counts: BTreeMap<String, u64>, total: u64) -> Vec<Share> {
    let mut v: Vec<Share> = counts
        .into_iter()
        .map(|(id, rows)| Share {
            share: if total == 0 {
                0.0
            } else {
                rows as f64 / total as f64
            },
            id,
            rows,
        })
        .collect();
    v.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.id.cmp(&b.id)));
    v
}

/// Where a run read and wrote, for the summary.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunNames {
    /// The inventory file.
    pub input: String,
    /// The output file.
    pub output: String,
}

/// Builds the summary from each distinct rule set's outcome and row count, and the rejections
/// per column. `rows.scored` must equal the sum of the counts.
pub fn fleet_summary(
    rules: &FleetRules,
    names: &RunNames,
    keys: &[(RuleSet, &FleetOutcome, u64)],
    rejected_by_column: &BTreeMap<String, u64>,
    rows: RowCounts,
    stacks: bool,
    top: usize,
) -> FleetSummary {
    let mut chain: BTreeMap<String, u64> = BTreeMap::new();
    let mut stack: BTreeMap<String, u64> = BTreeMap::new();
    let mut no_stack = 0;
    let mut chain_scores = Vec::new();
    let mut stack_scores = Vec::new();
    let mut per_rule = vec![0u64; rules.rules.len()];
    for (set, outcome, n) in keys {
        if let Some(best) = outcome.top.first() {
            *chain.entry(best.id.clone()).or_default() += n;
            chain_scores.push((best.score, *n));
        }
        if stacks {
            match &outcome.stack {
                Some(s) => {
                    *stack.entry(s.id.clone()).or_default() += n;
                    stack_scores.push((s.score, *n));
                }
                None => no_stack += n,
            }
        }
        for (i, count) in per_rule.iter_mut().enumerate() {
            if set & (1 << i) != 0 {
                *count += n;
            }
        }
    }
    let rules_matched = rules
        .rules
        .iter()
        .zip(per_rule)
        .map(|(r, n)| Share {
            id: r.id.clone(),
            rows: n,
            share: if rows.scored == 0 {
                0.0
            } else {
                n as f64 / rows.scored as f64
            },
        })
        .collect();
    FleetSummary {
        input: names.input.clone(),
        output: names.output.clone(),
        rules: rules.file.clone(),
        rows,
        distinct_inputs: keys.len() as u64,
        top,
        stacks,
        best_chain: shares(chain, rows.scored),
        chain_score: ScoreDistribution::from_counts(&chain_scores),
        best_stack: shares(stack, rows.scored),
        no_stack,
        stack_score: ScoreDistribution::from_counts(&stack_scores),
        rules_matched,
        rejected_by_column: shares(rejected_by_column.clone(), rows.rejected),
    }
}
