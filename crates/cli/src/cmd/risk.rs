//! `stackmatrix risk`: the reference's risk of a chain or stack, whole and scenario-aware, or
//! every chain ranked by risk.

use crate::args::{Format, ScenarioArgs, TimeArg};
use crate::cmd::rank::header_text;
use crate::cmd::scenario_input::optional_scenario_request;
use crate::context::{fixed, short, Ctx};
use crate::error::{subject_error, CliResult};
use crate::render::{Align, Cell, Table};
use clap::{ArgGroup, Args};
use stackmatrix_api::{RiskComponentsView, RiskRequest, RiskView, ThetaValues};
use stackmatrix_model::Lang;
use std::fmt::Write;

/// `risk`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("subject").args(["tech", "stack"]).multiple(false)))]
#[command(group(ArgGroup::new("input").args(["scenario", "vector"]).multiple(false)))]
pub struct RiskArgs {
    /// A chain id (see `stackmatrix list techs`); an addon needs --stack. Without --tech and --stack, every chain is ranked by risk.
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty)]
    pub tech: Option<String>,

    /// A stack: member ids separated by ',' (k8s,istio), composed by the composition rule.
    #[arg(long, value_name = "A,B,..", value_parser = crate::args::non_empty, value_delimiter = ',')]
    pub stack: Option<Vec<String>>,

    /// A scenario id: the risk then looks only at the scenes and concepts it weighs, and the score is shown beside.
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty)]
    pub scenario: Option<String>,

    /// A scene vector instead of a scenario: 6 numbers or SCENE=VALUE pairs; normalised to sum 1.
    #[arg(long, value_name = "V1,..,V6", allow_hyphen_values = true)]
    pub vector: Option<String>,

    /// Concept weights (12 numbers or KEY=VALUE pairs); concepts of weight 0 are left out of the scenario-aware risk.
    #[arg(long, value_name = "W", allow_hyphen_values = true, requires = "input")]
    pub weights: Option<String>,

    /// Time slice of the score beside the risk [default: the scenario's, else static].
    #[arg(long, value_enum, requires = "input")]
    pub time: Option<TimeArg>,

    /// Θ: one number in [0, 1] for every θ_c (0.8), 12 comma-separated numbers, or KEY=VALUE pairs (I=0.9,C=0.8; others keep tables/theta.toml) [default: tables/theta.toml].
    #[arg(long, value_name = "THETA", allow_hyphen_values = true)]
    pub theta: Option<String>,
}

struct Words {
    risk_of: &'static str,
    ranking: &'static str,
    whole_matrix: &'static str,
    component: &'static str,
    whole: &'static str,
    aware: &'static str,
    lambda: &'static str,
    contribution: &'static str,
    at: &'static str,
    static_drop: &'static str,
    dynamic_jitter: &'static str,
    ai_uncertainty: &'static str,
    sum: &'static str,
    risk: &'static str,
    score: &'static str,
    theta_kb: &'static str,
    theta_given: &'static str,
    rank: &'static str,
    id: &'static str,
    technology: &'static str,
    whole_risk: &'static str,
    no_scenario: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        risk_of: "Risk of",
        ranking: "Chains by risk, lowest first",
        whole_matrix: "whole matrix (every scene and concept)",
        component: "Component",
        whole: "Whole",
        aware: "Scenario-aware",
        lambda: "λ",
        contribution: "Contribution",
        at: "At",
        static_drop: "Static drop",
        dynamic_jitter: "Dynamic jitter",
        ai_uncertainty: "AI uncertainty",
        sum: "Sum (sigmoid argument)",
        risk: "Risk",
        score: "Score",
        theta_kb: "Θ from tables/theta.toml",
        theta_given: "Θ as given",
        rank: "Rank",
        id: "Id",
        technology: "Technology",
        whole_risk: "Whole risk",
        no_scenario: "No scenario: the reference's whole-matrix risk.",
    };
    const ZH: Words = Words {
        risk_of: "风险",
        ranking: "技术链按风险排序（低者在前）",
        whole_matrix: "整个矩阵（全部场景与概念）",
        component: "分量",
        whole: "整体",
        aware: "场景感知",
        lambda: "λ",
        contribution: "贡献",
        at: "位置",
        static_drop: "静态落差",
        dynamic_jitter: "动态抖动",
        ai_uncertainty: "AI 不确定性",
        sum: "合计（sigmoid 自变量）",
        risk: "风险",
        score: "得分",
        theta_kb: "Θ 取自 tables/theta.toml",
        theta_given: "Θ 为给定值",
        rank: "排名",
        id: "标识",
        technology: "技术链",
        whole_risk: "整体风险",
        no_scenario: "未指定场景：参考文档的整体矩阵风险。",
    };
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

pub fn run(ctx: &Ctx, args: &RiskArgs) -> CliResult<String> {
    let scenario = optional_scenario_request(
        ctx,
        &ScenarioArgs {
            scenario: args.scenario.clone(),
            vector: args.vector.clone(),
            weights: args.weights.clone(),
            time: args.time,
        },
    )?;
    let theta = args
        .theta
        .as_deref()
        .map(ThetaValues::parse_list)
        .transpose()?;
    let req = RiskRequest {
        scenario,
        tech: args.tech.clone(),
        stack: args.stack.clone(),
        theta,
    };
    let view = stackmatrix_api::risk(&ctx.kb, ctx.lang, &req)
        .map_err(|e| subject_error(e, args.tech.is_some()))?;
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv | Format::Md => Ok(ctx.table(&if view.subject.is_some() {
            components_table(ctx, &view)
        } else {
            ranking_table(ctx, &view)
        })),
        Format::Table => Ok(text(ctx, &view)),
    }
}

fn at(r: &RiskComponentsView, k: usize) -> String {
    let a = match k {
        0 => &r.static_min_at,
        1 => &r.jitter_at,
        _ => &r.theta_min_at,
    };
    match a.scene {
        Some(s) => format!("{} · {s}", a.concept),
        None => a.concept.to_string(),
    }
}

fn value(r: &RiskComponentsView, k: usize) -> f64 {
    [r.static_drop, r.dynamic_jitter, r.ai_uncertainty][k]
}

fn contribution(r: &RiskComponentsView, k: usize) -> f64 {
    let c = &r.contributions;
    [c.static_drop, c.dynamic_jitter, c.ai_uncertainty][k]
}

/// One row per component, then the sum and the risk; the scenario-aware columns with a scenario.
fn components_table(ctx: &Ctx, view: &RiskView) -> Table {
    let w = words(ctx.lang);
    let s = view.subject.as_ref().expect("a subject");
    let aware = s.scenario_aware.as_ref();
    let mut cols = vec![
        (w.component, Align::Left),
        (w.lambda, Align::Right),
        (w.whole, Align::Right),
        (w.contribution, Align::Right),
        (w.at, Align::Left),
    ];
    if aware.is_some() {
        cols.extend([
            (w.aware, Align::Right),
            (w.contribution, Align::Right),
            (w.at, Align::Left),
        ]);
    }
    let mut t = Table::new(&cols);
    let lambda = [
        view.lambda.static_drop,
        view.lambda.dynamic_jitter,
        view.lambda.ai_uncertainty,
    ];
    let names = [w.static_drop, w.dynamic_jitter, w.ai_uncertainty];
    for k in 0..3 {
        let mut row: Vec<Cell> = vec![
            names[k].into(),
            short(lambda[k]).into(),
            fixed(value(&s.whole, k), 4).into(),
            fixed(contribution(&s.whole, k), 4).into(),
            at(&s.whole, k).into(),
        ];
        if let Some(a) = aware {
            row.extend([
                fixed(value(a, k), 4).into(),
                fixed(contribution(a, k), 4).into(),
                at(a, k).into(),
            ]);
        }
        t.push(row);
    }
    for (label, get) in [
        (
            w.sum,
            (|r: &RiskComponentsView| r.linear) as fn(&RiskComponentsView) -> f64,
        ),
        (w.risk, |r: &RiskComponentsView| r.risk),
    ] {
        let mut row: Vec<Cell> = vec![
            label.into(),
            "".into(),
            "".into(),
            fixed(get(&s.whole), 4).into(),
            "".into(),
        ];
        if let Some(a) = aware {
            row.extend(["".into(), fixed(get(a), 4).into(), "".into()]);
        }
        t.push(row);
    }
    t
}

fn ranking_table(ctx: &Ctx, view: &RiskView) -> Table {
    let w = words(ctx.lang);
    let mut t = Table::new(&[
        (w.rank, Align::Right),
        (w.id, Align::Left),
        (w.technology, Align::Left),
        (w.risk, Align::Right),
        (w.static_drop, Align::Right),
        (w.dynamic_jitter, Align::Right),
        (w.ai_uncertainty, Align::Right),
        (w.whole_risk, Align::Right),
        (w.score, Align::Right),
    ]);
    for r in &view.ranking {
        t.push(vec![
            if r.tied {
                format!("={}", r.rank)
            } else {
                r.rank.to_string()
            }
            .into(),
            r.id.as_str().into(),
            r.name.as_str().into(),
            fixed(r.risk, 4).into(),
            fixed(r.components.static_drop, 4).into(),
            fixed(r.components.dynamic_jitter, 4).into(),
            fixed(r.components.ai_uncertainty, 4).into(),
            fixed(r.whole_risk, 4).into(),
            r.score
                .map(|x| fixed(x, 4))
                .unwrap_or_else(|| "-".into())
                .into(),
        ]);
    }
    t
}

fn text(ctx: &Ctx, view: &RiskView) -> String {
    let w = words(ctx.lang);
    let mut out = match &view.scenario {
        Some(s) => header_text(ctx, s),
        None => format!("{}\n\n", w.no_scenario),
    };
    let theta_min = view.theta.0.iter().copied().fold(f64::INFINITY, f64::min);
    let _ = writeln!(
        out,
        "λ: {} {} · {} {} · {} {} · {} (min θ {})\n",
        w.static_drop,
        short(view.lambda.static_drop),
        w.dynamic_jitter,
        short(view.lambda.dynamic_jitter),
        w.ai_uncertainty,
        short(view.lambda.ai_uncertainty),
        if view.theta_given {
            w.theta_given
        } else {
            w.theta_kb
        },
        short(theta_min)
    );
    match &view.subject {
        Some(s) => {
            let _ = writeln!(out, "{} {}: {}", w.risk_of, s.id, s.name);
            let _ = write!(out, "{}: {}", w.whole, fixed(s.whole.risk, 4));
            if let Some(a) = &s.scenario_aware {
                let _ = write!(out, " · {}: {}", w.aware, fixed(a.risk, 4));
            } else {
                let _ = write!(out, " — {}", w.whole_matrix);
            }
            if let Some(score) = s.score {
                let _ = write!(out, " · {} {}", w.score, fixed(score, 4));
            }
            let _ = writeln!(out, "\n");
            out.push_str(&ctx.table(&components_table(ctx, view)));
        }
        None => {
            let _ = writeln!(out, "{}:", w.ranking);
            out.push_str(&ctx.table(&ranking_table(ctx, view)));
        }
    }
    for n in &view.notes {
        let _ = writeln!(out, "note: {n}");
    }
    out
}
