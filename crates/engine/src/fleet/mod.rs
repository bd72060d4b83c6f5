//! Fleet scoring: one inventory row mapped by the fleet rules to a scene vector and
//! requirements, and scored exactly as the single-row verbs score the same input.
//!
//! # Definitions
//!
//! - **Row checks.** Each column of the rules is read from its cell: empty is *missing* (an
//!   error for a required column); a number must parse as a finite decimal, an integer as a
//!   whole number (`3` or `3.0`), both within the column's `[min, max]`; a bool is `true/false/yes/no/1/0` in any
//!   case; a text must be one of the column's `values` when they are given.
//! - **Matched rules.** A rule matches when every condition holds; a condition on a missing
//!   value does not hold. The matched rules of a row are a set ([`RuleSet`], one bit per rule).
//! - **Scene vector.** `v = base + Σ_{matched r, in file order} weigh_r` (scene weights as
//!   given; the scoring normalises `v / Σ v`, as `stackmatrix rank --vector` does). A row whose
//!   vector is all zero cannot be scored and is rejected.
//! - **Requirements.** The union of the matched rules' `require` (first-named first), and the
//!   smallest `budget_mb` among the matched rules that set one.
//! - **Scores.** The vector is prepared by [`ScenarioInput::prepare`] from
//!   [`ScenarioInput::from_vector`] (concept weights 1, the static slice, Θ of the knowledge
//!   base): the one constructor `rank --vector V` uses too. The best chains are
//!   [`rank_technologies`] of the knowledge base's chains in it (the first `k` entries: what
//!   `rank --vector V` lists first); the best stack is the first stack of [`recommend_stack`]
//!   with the requirements and `recommend`'s defaults (at most 4 members, 5 stacks kept): what
//!   `recommend --vector V --require ... [--budget-mb B]` answers. Requirements do not apply to
//!   the chain ranking, as `rank` takes none.
//!
//! Rules add discrete contributions, so a fleet has few distinct rule sets; a caller scores each
//! distinct set once with [`score_rule_set`] and looks the rest up. Everything a score depends
//! on (weights, Θ, time slice) is settled in that per-set preparation, so the per-row work
//! (match, look up, count) does not change with Θ.

mod columnar;
mod distribution;
mod summary;

pub use columnar::{
    columnar_cell, has_avx512, match_rules_columnar, widen, ColumnarMatcher, SimdLevel,
    TypedColumn, COLUMNAR_CHUNK, EMPTY_BOOL, EMPTY_CODE,
};
pub use distribution::{
    ScoreDistribution, ScoreHistogramBin, ScoreQuantile, HISTOGRAM_BINS, QUANTILES,
};
pub use summary::{fleet_summary, FleetSummary, RowCounts, RunNames, Share};

use crate::input::{InputError, ScenarioInput};
use crate::ranking::rank_technologies;
use crate::recommend::{recommend_stack, Constraints};
use serde::{Deserialize, Serialize};
use stackmatrix_model::untrusted::{self, shown};
use stackmatrix_model::{
    ColumnKind, ColumnSpec, CompareOp, ConditionValue, FleetRules, KnowledgeBase, Technology,
    SCENE_COUNT,
};

/// The matched rules of a row: bit `i` is rule `i` of the rules file.
pub type RuleSet = u128;

/// One cell of an inventory row, as a reader found it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// No value (an empty CSV field, a Parquet null, or no such column).
    Missing,
    /// Text to be parsed by the column's type (CSV).
    Text(&'a str),
    /// A typed number (Parquet).
    Number(f64),
    /// A typed integer (Parquet).
    Integer(i64),
    /// A typed boolean (Parquet).
    Bool(bool),
}

/// Why a row cannot be mapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RowError {
    /// The column at fault, or empty for the row as a whole.
    pub column: String,
    /// What is wrong and what was expected.
    pub reason: String,
}

/// A checked cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Typed<'a> {
    /// Missing (optional column).
    Missing,
    /// A number or integer.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// A text.
    Text(&'a str),
}

/// Checks one cell against its column: see the module documentation.
pub fn check_cell<'a>(spec: &ColumnSpec, cell: Cell<'a>) -> Result<Typed<'a>, RowError> {
    let err = |reason: String| RowError {
        column: spec.name.clone(),
        reason,
    };
    let cell = match cell {
        Cell::Text(t) => match trim(t) {
            "" => Cell::Missing,
            t => Cell::Text(t),
        },
        other => other,
    };
    let typed = match (spec.kind, cell) {
        (_, Cell::Missing) => {
            return if spec.required {
                Err(err("missing; the column is required".into()))
            } else {
                Ok(Typed::Missing)
            }
        }
        (ColumnKind::Number, Cell::Text(t)) => match t.parse::<f64>() {
            Ok(x) if x.is_finite() => Typed::Number(x),
            _ => {
                return Err(err(format!(
                    "'{}' is not a number; expected a finite decimal",
                    shown(t)
                )))
            }
        },
        (ColumnKind::Number, Cell::Number(x)) if x.is_finite() => Typed::Number(x),
        (ColumnKind::Number | ColumnKind::Integer, Cell::Integer(i)) => Typed::Number(i as f64),
        // A whole number, also written with a zero fraction (`2.0`, as pandas writes an integer
        // column that has empty cells).
        (ColumnKind::Integer, Cell::Text(t)) => match t.parse::<i64>() {
            Ok(i) => Typed::Number(i as f64),
            Err(_)
                if t.parse::<f64>()
                    .is_ok_and(|x| x.is_finite() && x.fract() == 0.0) =>
            {
                Typed::Number(t.parse::<f64>().unwrap_or_default())
            }
            Err(_) => {
                return Err(err(format!(
                    "'{}' is not an integer; expected a whole number such as 3",
                    shown(t)
                )))
            }
        },
        (ColumnKind::Integer, Cell::Number(x)) if x.is_finite() && x.fract() == 0.0 => {
            Typed::Number(x)
        }
        (ColumnKind::Bool, Cell::Bool(b)) => Typed::Bool(b),
        (ColumnKind::Bool, Cell::Text(t)) => match t {
            _ if ["true", "yes", "1"]
                .iter()
                .any(|w| t.eq_ignore_ascii_case(w)) =>
            {
                Typed::Bool(true)
            }
            _ if ["false", "no", "0"]
                .iter()
                .any(|w| t.eq_ignore_ascii_case(w)) =>
            {
                Typed::Bool(false)
            }
            _ => {
                return Err(err(format!(
                    "'{}' is not a boolean; expected true, false, yes, no, 1 or 0",
                    shown(t)
                )))
            }
        },
        (ColumnKind::Text, Cell::Text(t)) => {
            if !spec.values.is_empty() && !spec.values.iter().any(|v| v == t) {
                return Err(err(format!(
                    "'{}' is not an allowed value; expected one of {}",
                    shown(t),
                    untrusted::message(&spec.values.join(", "))
                )));
            }
            Typed::Text(t)
        }
        (kind, other) => {
            return Err(err(format!(
                "{} is not a value of a {} column",
                describe(other),
                kind.key()
            )))
        }
    };
    if let Typed::Number(x) = typed {
        if let Some(lo) = spec.min.filter(|lo| x < *lo) {
            return Err(err(format!("{x} is below the minimum {lo}")));
        }
        if let Some(hi) = spec.max.filter(|hi| x > *hi) {
            return Err(err(format!("{x} is above the maximum {hi}")));
        }
    }
    Ok(typed)
}

/// `t` without surrounding white space; the common case (none) costs two byte tests.
fn trim(t: &str) -> &str {
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(a), Some(b)) if !a.is_ascii_whitespace() && !b.is_ascii_whitespace() => t,
        _ => t.trim(),
    }
}

fn describe(cell: Cell) -> String {
    match cell {
        Cell::Missing => "nothing".into(),
        Cell::Text(t) => format!("'{}'", shown(t)),
        Cell::Number(x) => format!("the number {x}"),
        Cell::Integer(i) => format!("the integer {i}"),
        Cell::Bool(b) => format!("the boolean {b}"),
    }
}

fn holds(op: CompareOp, value: &ConditionValue, cell: Typed) -> bool {
    match (cell, value) {
        (Typed::Missing, _) => false,
        (Typed::Number(x), ConditionValue::Numbers(v)) => match op {
            CompareOp::Lt => x < v[0],
            CompareOp::Le => x <= v[0],
            CompareOp::Gt => x > v[0],
            CompareOp::Ge => x >= v[0],
            CompareOp::Eq => x == v[0],
            CompareOp::Ne => x != v[0],
            CompareOp::In => v.contains(&x),
        },
        (Typed::Bool(b), ConditionValue::Bool(v)) => match op {
            CompareOp::Ne => b != *v,
            _ => b == *v,
        },
        (Typed::Text(t), ConditionValue::Texts(v)) => match op {
            CompareOp::Ne => t != v[0],
            CompareOp::In => v.iter().any(|x| x == t),
            _ => t == v[0],
        },
        _ => false,
    }
}

/// Maps a row's cells (in the order of `rules.columns`) to its matched rules: every cell is
/// checked by [`check_cell`] (the first bad one is the error), then every rule is evaluated.
pub fn match_rules(rules: &FleetRules, cells: &[Cell]) -> Result<RuleSet, RowError> {
    const STACK: usize = 32;
    let n = rules.columns.len();
    let mut on_stack = [Typed::Missing; STACK];
    let mut on_heap = Vec::new();
    let typed: &mut [Typed] = if n <= STACK {
        &mut on_stack[..n]
    } else {
        on_heap.resize(n, Typed::Missing);
        &mut on_heap
    };
    for ((t, spec), cell) in typed.iter_mut().zip(&rules.columns).zip(cells) {
        *t = check_cell(spec, *cell)?;
    }
    let mut set: RuleSet = 0;
    for (i, rule) in rules.rules.iter().enumerate() {
        if rule
            .when
            .iter()
            .all(|c| holds(c.op, &c.value, typed[c.column]))
        {
            set |= 1 << i;
        }
    }
    Ok(set)
}

/// The scenario input of a set of matched rules.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MappedRow {
    /// Scene weights as summed (not normalised), in scene order.
    pub vector: [f64; SCENE_COUNT],
    /// Required capabilities.
    pub require: Vec<String>,
    /// Memory budget per node, MB.
    pub budget_mb: Option<f64>,
}

/// The scene vector and requirements of a rule set: see the module documentation.
pub fn mapped_row(rules: &FleetRules, set: RuleSet) -> MappedRow {
    let mut vector = rules.base;
    let mut require: Vec<String> = Vec::new();
    let mut budget_mb: Option<f64> = None;
    for (i, rule) in rules.rules.iter().enumerate() {
        if set & (1 << i) == 0 {
            continue;
        }
        for (v, w) in vector.iter_mut().zip(rule.weigh) {
            *v += w;
        }
        for r in &rule.require {
            if !require.contains(r) {
                require.push(r.clone());
            }
        }
        if let Some(b) = rule.budget_mb {
            budget_mb = Some(budget_mb.map_or(b, |x: f64| x.min(b)));
        }
    }
    MappedRow {
        vector,
        require,
        budget_mb,
    }
}

/// What fleet scoring computes for each distinct input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FleetOptions {
    /// How many best chains to keep (at least 1).
    pub top: usize,
    /// Whether to search the best stack too.
    pub stacks: bool,
}

/// A chain or stack with its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Scored {
    /// Chain id, or stack id (members joined by `+`).
    pub id: String,
    /// Score on the 0 to 10 scale, full precision.
    pub score: f64,
}

/// The answer for one distinct input.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetOutcome {
    /// The input.
    pub mapped: MappedRow,
    /// The best chains, best first (`top` of them, fewer when the knowledge base has fewer).
    pub top: Vec<Scored>,
    /// The best stack; `None` when no stack meets the requirements (or stacks were not asked).
    pub stack: Option<Scored>,
}

/// Scores a mapped row in `kb` exactly as `rank --vector` and `recommend --vector --require`
/// do: the same constructor ([`ScenarioInput::prepare`]), so the same weights, Θ and time slice.
pub fn score_mapped(
    kb: &KnowledgeBase,
    mapped: &MappedRow,
    options: FleetOptions,
) -> Result<FleetOutcome, InputError> {
    let scenario = ScenarioInput::from_vector(mapped.vector).prepare(kb)?;
    let params = &kb.tables.parameters;
    let ranking = rank_technologies(kb.chains(), &scenario, params);
    let top = ranking
        .entries
        .iter()
        .take(options.top.max(1))
        .map(|e| Scored {
            id: e.id.clone(),
            score: e.score,
        })
        .collect();
    let stack = if options.stacks {
        let constraints = Constraints {
            budget_mb: mapped.budget_mb,
            require: mapped.require.clone(),
            ..Constraints::default()
        };
        let technologies: Vec<&Technology> = kb.technologies.iter().collect();
        recommend_stack(&technologies, &scenario, params, &constraints)
            .ok()
            .and_then(|r| r.stacks.into_iter().next())
            .map(|s| Scored {
                id: s.id(),
                score: s.score,
            })
    } else {
        None
    };
    Ok(FleetOutcome {
        mapped: mapped.clone(),
        top,
        stack,
    })
}

/// Maps and scores a rule set: [`mapped_row`] then [`score_mapped`].
pub fn score_rule_set(
    rules: &FleetRules,
    kb: &KnowledgeBase,
    set: RuleSet,
    options: FleetOptions,
) -> Result<FleetOutcome, InputError> {
    score_mapped(kb, &mapped_row(rules, set), options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackmatrix_model::{Scene, TechKind};

    fn cells(v: &[&'static str]) -> Vec<Cell<'static>> {
        v.iter()
            .map(|s| {
                if s.is_empty() {
                    Cell::Missing
                } else {
                    Cell::Text(s)
                }
            })
            .collect()
    }

    // Columns of the built-in rules: cpu_cores memory_gb network offline gpus tenants
    // latency_ms workload.
    #[test]
    fn a_small_offline_gpu_node_maps_to_edge_with_requirements() {
        let rules = FleetRules::builtin();
        let row = cells(&["2", "0.5", "offline", "yes", "1", "1", "10", "service"]);
        let set = match_rules(&rules, &row).unwrap();
        let m = mapped_row(&rules, set);
        // base prod 1; tiny-memory +2, no-network +2, low-latency +1 edge.
        assert_eq!(m.vector[Scene::Prod.index()], 1.0);
        assert_eq!(m.vector[Scene::Edge.index()], 5.0);
        assert_eq!(m.require, vec!["offline".to_string(), "gpu".to_string()]);
        assert_eq!(m.budget_mb, None);
    }

    #[test]
    fn bad_cells_say_which_column_and_why() {
        let rules = FleetRules::builtin();
        let e = match_rules(
            &rules,
            &cells(&["2", "lots", "stable", "", "", "1", "", "service"]),
        )
        .unwrap_err();
        assert_eq!(e.column, "memory_gb");
        assert!(e.reason.contains("'lots' is not a number"), "{e:?}");
        let e =
            match_rules(&rules, &cells(&["2", "1", "", "", "", "1", "", "service"])).unwrap_err();
        assert_eq!(e.column, "network");
        assert!(e.reason.contains("missing"));
        let e = match_rules(
            &rules,
            &cells(&["2", "1", "stable", "", "", "0", "", "service"]),
        )
        .unwrap_err();
        assert_eq!(e.column, "tenants");
        assert!(e.reason.contains("below the minimum 1"), "{e:?}");
        let e = match_rules(
            &rules,
            &cells(&["2", "1", "wifi", "", "", "1", "", "service"]),
        )
        .unwrap_err();
        assert!(e.reason.contains("expected one of stable"), "{e:?}");
        let e = match_rules(
            &rules,
            &cells(&["2", "1", "stable", "maybe", "", "1", "", "service"]),
        )
        .unwrap_err();
        assert_eq!(e.column, "offline");
        let e = match_rules(
            &rules,
            &cells(&["2", "1", "stable", "", "1.5", "1", "", "service"]),
        )
        .unwrap_err();
        assert_eq!(e.column, "gpus");
    }

    #[test]
    fn a_rule_set_scores_as_rank_and_recommend_do() {
        let kb = stackmatrix_model::builtin().unwrap();
        let rules = FleetRules::builtin();
        let techs: Vec<&Technology> = kb.technologies.iter().collect();
        let params = &kb.tables.parameters;
        let row = cells(&["2", "0.5", "intermittent", "", "", "1", "", "service"]);
        let set = match_rules(&rules, &row).unwrap();
        let out = score_rule_set(
            &rules,
            &kb,
            set,
            FleetOptions {
                top: 3,
                stacks: true,
            },
        )
        .unwrap();
        let scenario = ScenarioInput::from_vector(out.mapped.vector)
            .prepare(&kb)
            .unwrap();
        let ranking = rank_technologies(kb.chains(), &scenario, params);
        assert_eq!(out.top.len(), 3);
        for (o, e) in out.top.iter().zip(&ranking.entries) {
            assert_eq!(o.id, e.id);
            assert_eq!(o.score, e.score);
        }
        let best = recommend_stack(&techs, &scenario, params, &Constraints::default()).unwrap();
        let stack = out.stack.unwrap();
        assert_eq!(stack.id, best.stacks[0].id());
        assert_eq!(stack.score, best.stacks[0].score);
        assert!(kb.chains().all(|t| t.kind == TechKind::Chain));
    }

    #[test]
    fn an_all_zero_vector_is_an_input_error() {
        let rules = stackmatrix_model::parse_fleet_rules(
            "r.toml",
            "[[column]]\nname = \"x\"\ntype = \"number\"\n[[rule]]\nid = \"a\"\nwhen = [{ column = \"x\", op = \">\", value = 0 }]\nweigh = { edge = 1 }\n",
        )
        .unwrap();
        let kb = stackmatrix_model::builtin().unwrap();
        let opts = FleetOptions {
            top: 1,
            stacks: false,
        };
        let e = score_rule_set(&rules, &kb, 0, opts).unwrap_err();
        assert_eq!(e, InputError::SceneAllZero);
        let ok = score_rule_set(&rules, &kb, 1, opts).unwrap();
        assert_eq!(ok.top[0].id, "k3s");
    }

    /// Defect 14 of issue 13: fleet scored without the knowledge base's Θ (OPA 9.125 where
    /// `rank --vector 0,0,1,1,0,0` says 7.9375 with θ_I = 0.2, θ_C = 0.3).
    #[test]
    fn a_rule_set_scores_with_the_knowledge_bases_theta() {
        let mut kb = stackmatrix_model::builtin().unwrap();
        kb.tables.theta.value[0] = 0.2;
        kb.tables.theta.value[1] = 0.3;
        let mapped = MappedRow {
            vector: [0.0, 0.0, 1.0, 1.0, 0.0, 0.0],
            require: Vec::new(),
            budget_mb: None,
        };
        let opts = FleetOptions {
            top: 1,
            stacks: true,
        };
        let out = score_mapped(&kb, &mapped, opts).unwrap();
        assert_eq!(out.top[0].id, "opa");
        assert!((out.top[0].score - 7.9375).abs() < 1e-12, "{:?}", out.top);
        let scenario = ScenarioInput::from_vector(mapped.vector).prepare(&kb);
        let scenario = scenario.unwrap();
        let ranking = rank_technologies(kb.chains(), &scenario, &kb.tables.parameters);
        assert_eq!(out.top[0].score, ranking.entries[0].score);
        let techs: Vec<&Technology> = kb.technologies.iter().collect();
        let best = recommend_stack(
            &techs,
            &scenario,
            &kb.tables.parameters,
            &Constraints::default(),
        );
        let best = best.unwrap();
        let stack = out.stack.unwrap();
        assert_eq!(
            (stack.id, stack.score),
            (best.stacks[0].id(), best.stacks[0].score)
        );
    }
}
