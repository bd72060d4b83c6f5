//! `stackmatrix cost`: the reference's memory cost of a chain or stack under each weighting, the
//! normalised attribute score and the measured footprint.

use crate::args::{Format, ScenarioArgs, TimeArg};
use crate::cmd::rank::header_text;
use crate::cmd::scenario_input::optional_scenario_request;
use crate::context::{fixed, short, Ctx};
use crate::error::{subject_error, CliResult};
use crate::render::{Align, Table};
use clap::{ArgGroup, Args};
use stackmatrix_api::{AttributeWeightsSpec, CostRequest, CostView};
use stackmatrix_model::Lang;
use std::fmt::Write;

/// `cost`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("subject").args(["tech", "stack"]).required(true).multiple(false)))]
#[command(group(ArgGroup::new("input").args(["scenario", "vector"]).multiple(false)))]
pub struct CostArgs {
    /// A chain id (see `stackmatrix list techs`); an addon needs --stack.
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty)]
    pub tech: Option<String>,

    /// A stack: member ids separated by ',' (k8s,istio), composed by the composition rule.
    #[arg(long, value_name = "A,B,..", value_parser = crate::args::non_empty, value_delimiter = ',')]
    pub stack: Option<Vec<String>>,

    /// A scenario id: W_ij = w_i · s_j weighs the concepts and scenes it weighs [default: all ones].
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty)]
    pub scenario: Option<String>,

    /// A scene vector instead of a scenario: 6 numbers or SCENE=VALUE pairs; normalised to sum 1.
    #[arg(long, value_name = "V1,..,V6", allow_hyphen_values = true)]
    pub vector: Option<String>,

    /// Concept weights (12 numbers or KEY=VALUE pairs).
    #[arg(long, value_name = "W", allow_hyphen_values = true, requires = "input")]
    pub weights: Option<String>,

    /// Time slice of the maturity matrix [default: the scenario's, else static].
    #[arg(long, value_enum, requires = "input")]
    pub time: Option<TimeArg>,

    /// Weights of the attribute score: 4 numbers (maturity, latency, memory, compatibility) or KEY=VALUE pairs [default: 0.4,0.2,0.2,0.2].
    #[arg(long, value_name = "W1,..,W4", allow_hyphen_values = true)]
    pub attribute_weights: Option<String>,
}

struct Words {
    cost_of: &'static str,
    no_scenario: &'static str,
    weighting: &'static str,
    formula: &'static str,
    cost_mb: &'static str,
    headline: &'static str,
    attribute: &'static str,
    term: &'static str,
    weight: &'static str,
    mean: &'static str,
    terms: [&'static str; 4],
    footprint: &'static str,
    unknown: &'static str,
    score: &'static str,
    latency_missing: &'static str,
    mesh: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        cost_of: "Cost of",
        no_scenario: "No scenario: every concept and scene weighs 1.",
        weighting: "Weighting",
        formula: "W_ij",
        cost_mb: "Cost (MB)",
        headline: "headline",
        attribute: "Attribute score (each term rescaled to [0, 1])",
        term: "Term",
        weight: "Weight",
        mean: "Mean",
        terms: [
            "maturity",
            "latency (lower is better)",
            "memory (lower is better)",
            "compatibility",
        ],
        footprint: "Measured footprint",
        unknown: "memory unknown for",
        score: "Score",
        latency_missing:
            "weighed cell(s) with latency n/a (term dropped there, weights renormalised)",
        mesh: "L compatibility from the \"L + Service Mesh\" row",
    };
    const ZH: Words = Words {
        cost_of: "成本",
        no_scenario: "未指定场景：每个概念与场景的权重均为 1。",
        weighting: "加权方式",
        formula: "W_ij",
        cost_mb: "成本 (MB)",
        headline: "主指标",
        attribute: "属性得分（各项先归一化到 [0, 1]）",
        term: "项",
        weight: "权重",
        mean: "均值",
        terms: ["成熟度", "延迟（越低越好）", "内存（越低越好）", "兼容性"],
        footprint: "实测资源占用",
        unknown: "内存未知：",
        score: "得分",
        latency_missing: "个延迟为 n/a 的单元（该项略去，权重重新归一）",
        mesh: "L 的兼容性取自 \"L + Service Mesh\" 行",
    };
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

fn formula(weighting: &str) -> &'static str {
    match weighting {
        "reference" => "1",
        "scenario" => "w_i · s_j",
        _ => "A_ij · w_i · s_j",
    }
}

pub fn run(ctx: &Ctx, args: &CostArgs) -> CliResult<String> {
    let scenario = optional_scenario_request(
        ctx,
        &ScenarioArgs {
            scenario: args.scenario.clone(),
            vector: args.vector.clone(),
            weights: args.weights.clone(),
            time: args.time,
        },
    )?;
    let attribute_weights = args
        .attribute_weights
        .as_deref()
        .map(AttributeWeightsSpec::parse_list)
        .transpose()?;
    let req = CostRequest {
        scenario,
        tech: args.tech.clone(),
        stack: args.stack.clone(),
        attribute_weights,
    };
    let view = stackmatrix_api::cost(&ctx.kb, ctx.lang, &req)
        .map_err(|e| subject_error(e, args.tech.is_some()))?;
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv | Format::Md => Ok(ctx.table(&summary_table(&view))),
        Format::Table => Ok(text(ctx, &view)),
    }
}

/// One row per figure: the three weighted costs, the attribute score and the footprint.
fn summary_table(view: &CostView) -> Table {
    let mut t = Table::new(&[
        ("figure", Align::Left),
        ("value", Align::Right),
        ("unit", Align::Left),
    ]);
    for w in &view.weightings {
        t.push(vec![
            format!("cost_{}", w.weighting).into(),
            format!("{}", w.cost_mb).into(),
            "MB".into(),
        ]);
    }
    t.push(vec![
        "attribute_score".into(),
        format!("{}", view.attribute.score).into(),
        "0..1".into(),
    ]);
    t.push(vec![
        "footprint_memory".into(),
        format!("{}", view.footprint.memory_mb).into(),
        "MB/node".into(),
    ]);
    if !view.footprint.memory_unknown.is_empty() {
        t.push(vec![
            "footprint_memory_unknown".into(),
            view.footprint.memory_unknown.join(" ").into(),
            "ids".into(),
        ]);
    }
    if let Some(s) = view.score {
        t.push(vec!["score".into(), format!("{s}").into(), "0..10".into()]);
    }
    t
}

fn text(ctx: &Ctx, view: &CostView) -> String {
    let w = words(ctx.lang);
    let mut out = match &view.scenario {
        Some(s) => header_text(ctx, s),
        None => format!("{}\n\n", w.no_scenario),
    };
    let _ = write!(
        out,
        "{} {}: {} · {} MB",
        w.cost_of,
        view.id,
        view.name,
        fixed(view.cost_mb, 2)
    );
    if let Some(s) = view.score {
        let _ = write!(out, " · {} {}", w.score, fixed(s, 4));
    }
    let _ = writeln!(out, "\n");
    let mut t = Table::new(&[
        (w.weighting, Align::Left),
        (w.formula, Align::Left),
        (w.cost_mb, Align::Right),
        ("", Align::Left),
    ]);
    for c in &view.weightings {
        t.push(vec![
            c.weighting.into(),
            formula(c.weighting).into(),
            fixed(c.cost_mb, 2).into(),
            if c.headline { w.headline } else { "" }.into(),
        ]);
    }
    out.push_str(&ctx.table(&t));
    let a = &view.attribute;
    let _ = writeln!(out, "\n{}: {}", w.attribute, fixed(a.score, 4));
    let mut t = Table::new(&[
        (w.term, Align::Left),
        (w.weight, Align::Right),
        (w.mean, Align::Right),
    ]);
    let weights = [
        a.weights.maturity,
        a.weights.latency,
        a.weights.memory,
        a.weights.compatibility,
    ];
    let means = [
        a.terms.maturity,
        a.terms.latency,
        a.terms.memory,
        a.terms.compatibility,
    ];
    for k in 0..4 {
        t.push(vec![
            w.terms[k].into(),
            short(weights[k]).into(),
            fixed(means[k], 4).into(),
        ]);
    }
    out.push_str(&ctx.table(&t));
    if a.latency_missing > 0 {
        let _ = writeln!(out, "  {} {}", a.latency_missing, w.latency_missing);
    }
    if a.mesh_compatibility {
        let _ = writeln!(out, "  {}", w.mesh);
    }
    let f = &view.footprint;
    let _ = write!(out, "\n{}: {} MB/node", w.footprint, short(f.memory_mb));
    if !f.memory_unknown.is_empty() {
        let _ = write!(out, " ({} {})", w.unknown, f.memory_unknown.join(", "));
    }
    let _ = writeln!(out);
    for n in &view.notes {
        let _ = writeln!(out, "note: {n}");
    }
    out
}
