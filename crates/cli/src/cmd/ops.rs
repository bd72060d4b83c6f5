//! `stackmatrix ops list|apply`: the named operations as impact vectors, and a chain of them
//! applied to a concept vector (`T_o = diag(impact_o)`, `y = T_ok ⋯ T_o1 x`; docs/operations.md).

use crate::args::{Format, ScenarioArgs, TimeArg};
use crate::cmd::rank::header_text;
use crate::cmd::scenario_input::{note_normalisation, scenario_request};
use crate::context::{fixed, Ctx};
use crate::error::{CliError, CliResult};
use crate::i18n::{relation_words, words};
use crate::render::{Align, Cell, Table};
use clap::{Args, Subcommand};
use stackmatrix_api::request::MaturityVector;
use stackmatrix_api::{ApiError, OpsAnswer, OpsApplyView, OpsListView, OpsRequest};
use stackmatrix_model::Concept;
use std::fmt::Write;

/// `ops`.
#[derive(Debug, Subcommand)]
pub enum OpsCommand {
    /// Every operation: id, group, English and Chinese names, impact on each concept.
    List,
    /// Apply a chain of operations to a concept vector, step by step.
    Apply(OpsApplyArgs),
}

/// `ops apply`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").args(["scenario", "vector"]).multiple(false)))]
pub struct OpsApplyArgs {
    /// Operation ids in the order performed, separated by ',' (build-image,deploy-container; see `ops list`).
    #[arg(value_name = "OPERATIONS")]
    pub operations: String,

    /// The vector to act on: 12 values in [0, 1] (I,C,Q,R,M,V,L,S,B,P,T,Theta) or KEY=VALUE pairs (others are 1) [default: all 1].
    #[arg(long, value_name = "VECTOR", allow_hyphen_values = true, conflicts_with_all = ["tech", "stack", "scenario", "vector"])]
    pub to: Option<String>,

    /// Act on this technology's fit in the scenario.
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty, conflicts_with = "stack")]
    pub tech: Option<String>,

    /// Act on this stack's fit in the scenario: technology ids separated by ','.
    #[arg(long, value_name = "IDS", value_parser = crate::args::non_empty)]
    pub stack: Option<String>,

    /// The scenario of --tech or --stack.
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty)]
    pub scenario: Option<String>,

    /// A scene vector instead of --scenario: 6 numbers or SCENE=VALUE pairs.
    #[arg(long = "vector", value_name = "V1,..,V6", allow_hyphen_values = true)]
    pub vector: Option<String>,

    /// Concept weights of the scenario (they do not change a fit).
    #[arg(long, value_name = "W", allow_hyphen_values = true)]
    pub weights: Option<String>,

    /// Time slice of the fit [default: the scenario's, else static].
    #[arg(long, value_enum)]
    pub time: Option<TimeArg>,
}

pub fn run(ctx: &Ctx, cmd: &OpsCommand) -> CliResult<String> {
    let req = match cmd {
        OpsCommand::List => OpsRequest::default(),
        OpsCommand::Apply(a) => apply_request(ctx, a)?,
    };
    let answer = stackmatrix_api::ops(&ctx.kb, ctx.lang, &req).map_err(|e| match e {
        // The operations are the positional argument.
        ApiError::BadInput { field: "apply", .. } => CliError::api(e, Some("OPERATIONS")),
        e => e.into(),
    })?;
    if ctx.format == Format::Json {
        return ctx.json(&answer);
    }
    Ok(match &answer {
        OpsAnswer::List(v) => list(ctx, v),
        OpsAnswer::Apply(v) => apply(ctx, v),
    })
}

fn apply_request(ctx: &Ctx, a: &OpsApplyArgs) -> CliResult<OpsRequest> {
    let to =
        a.to.as_deref()
            .map(MaturityVector::parse_list)
            .transpose()?;
    let has_scenario = a.scenario.is_some() || a.vector.is_some();
    if !has_scenario && (a.tech.is_some() || a.stack.is_some()) {
        return Err(CliError::Usage(
            "--tech and --stack act on a fit in a scenario: add --scenario ID or --vector V".into(),
        ));
    }
    let scenario = if has_scenario {
        let req = scenario_request(
            &ctx.kb,
            &ScenarioArgs {
                scenario: a.scenario.clone(),
                vector: a.vector.clone(),
                weights: a.weights.clone(),
                time: a.time,
            },
        )?;
        note_normalisation(ctx, &req)?;
        req
    } else {
        if a.weights.is_some() || a.time.is_some() {
            return Err(CliError::Usage(
                "--weights and --time belong to a scenario: add --tech ID --scenario X".into(),
            ));
        }
        Default::default()
    };
    Ok(OpsRequest {
        apply: Some(
            a.operations
                .split(',')
                .map(|s| s.trim().to_string())
                .collect(),
        ),
        to,
        tech: a.tech.clone(),
        stack: a
            .stack
            .as_deref()
            .map(|s| s.split(',').map(|m| m.trim().to_string()).collect()),
        scenario,
    })
}

fn symbol(key: &str) -> &'static str {
    Concept::from_key(key).map_or("?", Concept::symbol)
}

fn list(ctx: &Ctx, v: &OpsListView) -> String {
    let w = words(ctx.lang);
    let r = relation_words(ctx.lang);
    let plain = ctx.format != Format::Table;
    let mut columns: Vec<(&str, Align)> = vec![
        (if plain { "id" } else { w.id }, Align::Left),
        (if plain { "group" } else { r.group }, Align::Left),
        (if plain { "name_en" } else { r.english }, Align::Left),
        (if plain { "name_zh" } else { r.chinese }, Align::Left),
    ];
    columns.extend(
        Concept::ALL
            .iter()
            .map(|c| (if plain { c.key() } else { c.symbol() }, Align::Right)),
    );
    let mut t = Table::new(&columns);
    for o in &v.operations {
        let mut row: Vec<Cell> = vec![
            o.id.as_str().into(),
            o.group.as_str().into(),
            o.names.en.as_str().into(),
            o.names.zh.as_str().into(),
        ];
        row.extend(o.impact.0.iter().map(|x| Cell::shaded(format!("{x}"), *x)));
        t.push(row);
    }
    if plain {
        return ctx.table(&t);
    }
    let mut out = format!("{}\n\n", r.operations);
    out.push_str(&ctx.table(&t));
    let _ = writeln!(out, "\n{}: {}", r.semantics, r.semantics_text);
    out
}

fn apply(ctx: &Ctx, v: &OpsApplyView) -> String {
    let w = words(ctx.lang);
    let r = relation_words(ctx.lang);
    let plain = ctx.format != Format::Table;
    // One row per concept: input, each step, combined impact, result.
    let step_headers: Vec<String> = v
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if plain {
                format!("after_{}_{}", i + 1, s.operation)
            } else {
                format!("{}. {}", i + 1, s.operation)
            }
        })
        .collect();
    let mut columns: Vec<(&str, Align)> = vec![
        (if plain { "concept" } else { w.concept }, Align::Left),
        (if plain { "name" } else { w.name }, Align::Left),
        (if plain { "input" } else { r.input }, Align::Right),
    ];
    columns.extend(step_headers.iter().map(|h| (h.as_str(), Align::Right)));
    columns.push((if plain { "combined" } else { r.combined }, Align::Right));
    columns.push((if plain { "result" } else { r.result }, Align::Right));
    let mut t = Table::new(&columns);
    for c in Concept::ALL {
        let i = c.index();
        let mut row: Vec<Cell> = vec![
            if plain { c.key() } else { c.symbol() }.into(),
            ctx.kb.concept_names(c).get(ctx.lang).into(),
            num(v.input.vector.0[i], plain),
        ];
        row.extend(v.steps.iter().map(|s| num(s.vector.0[i], plain)));
        row.push(num(v.combined.0[i], plain));
        row.push(num(v.result.0[i], plain));
        t.push(row);
    }
    if plain {
        return ctx.table(&t);
    }
    let mut out = String::new();
    if let Some(s) = &v.input.scenario {
        out.push_str(&header_text(ctx, s));
    }
    let chain: Vec<String> = v
        .steps
        .iter()
        .map(|s| format!("{} ({})", s.operation, s.name))
        .collect();
    let _ = writeln!(out, "{}: {}", r.chain, chain.join(" → "));
    let input = match v.input.source {
        "fit" => r
            .input_fit
            .replace("{stack}", v.input.stack.as_deref().unwrap_or("")),
        "vector" => r.input_vector.to_string(),
        _ => r.input_unit.to_string(),
    };
    let _ = writeln!(out, "{}: {}\n", r.input, input);
    out.push_str(&ctx.table(&t));
    let exercised: Vec<&str> = v.exercised.iter().map(|k| symbol(k)).collect();
    let _ = writeln!(
        out,
        "\n{}: {} · {}",
        r.readiness,
        v.readiness.map_or("—".to_string(), |x| fixed(x, 4)),
        exercised.join(" ")
    );
    let _ = writeln!(out, "{}\n{}: {}", v.summary, r.semantics, r.semantics_text);
    out
}

fn num(x: f64, plain: bool) -> Cell {
    if plain {
        format!("{x}").into()
    } else {
        Cell::shaded(fixed(x, 4), x)
    }
}
