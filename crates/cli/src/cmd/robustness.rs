//! `stackmatrix robustness`: SMAA-2 rank acceptability, central weights and confidence factors
//! of a scenario's chains (or named stacks), the verdict in words, and how far each concept
//! weight can move before the leader loses first place.
//!
//! A progress bar is drawn on standard error when it is a terminal, and nothing when it is not;
//! the answer depends only on the flags (the seed), never on the number of threads.

use crate::args::{Format, RobustnessArgs, WeightsModelArg};
use crate::cmd::rank::{header_text, stack_specs};
use crate::cmd::scenario_input::{note_normalisation, scenario_request};
use crate::context::{fixed, short, Ctx};
use crate::error::CliResult;
use crate::i18n::words;
use crate::render::{Align, Cell, Table};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stackmatrix_api::request::RobustnessRequest;
use stackmatrix_api::views::RobustnessView;
use stackmatrix_model::{Concept, Lang};
use std::fmt::Write;
use std::io::IsTerminal;

/// Words of `robustness`'s text.
struct Words {
    smaa: &'static str,
    samples: &'static str,
    seed: &'static str,
    spreads: &'static str,
    weights: &'static str,
    uniform: &'static str,
    around: &'static str,
    fixed: &'static str,
    acceptability: &'static str,
    confidence: &'static str,
    expected: &'static str,
    central: &'static str,
    stability: &'static str,
    progress: &'static str,
}

fn robustness_words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        smaa: "SMAA-2",
        samples: "samples",
        seed: "seed",
        spreads: "spreads published/estimated/measured",
        weights: "weights",
        uniform: "uniform on the simplex (the concept weights above are not used)",
        around: "Dirichlet around the concept weights, concentration",
        fixed: "fixed at the concept weights",
        acceptability: "Rank acceptability, % of samples (rows: deterministic rank order)",
        confidence: "Confidence",
        expected: "E[rank]",
        central: "Central weights (mean weights of the samples where each is first)",
        stability: "Weight stability of the leader",
        progress: "sampling",
    };
    const ZH: Words = Words {
        smaa: "SMAA-2",
        samples: "次抽样",
        seed: "种子",
        spreads: "扩散 已发布/估计/实测",
        weights: "权重",
        uniform: "单纯形上均匀抽取（不使用上面的概念权重）",
        around: "围绕概念权重的 Dirichlet 分布，集中度",
        fixed: "固定为概念权重",
        acceptability: "排名可接受度，占抽样的 %（行按确定性排名排列）",
        confidence: "置信因子",
        expected: "期望排名",
        central: "中心权重（各方案排名第一的抽样中权重的均值）",
        stability: "领先者的权重稳定性",
        progress: "抽样",
    };
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

pub fn run(ctx: &Ctx, args: &RobustnessArgs) -> CliResult<String> {
    let scenario = scenario_request(&ctx.kb, &args.scenario)?;
    note_normalisation(ctx, &scenario)?;
    let req = RobustnessRequest {
        scenario,
        stacks: args.stacks.as_deref().map(stack_specs),
        samples: args.samples,
        seed: args.seed,
        spread_published: args.spread_published,
        spread_estimated: args.spread_estimated,
        spread_measured: args.spread_measured,
        weights_model: Some(
            match args.weights_model {
                WeightsModelArg::Uniform => "uniform",
                WeightsModelArg::Around => "around",
                WeightsModelArg::Fixed => "fixed",
            }
            .to_string(),
        ),
        concentration: args.concentration,
    };
    let rw = robustness_words(ctx.lang);
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(
            Some(args.samples.saturating_mul(2)),
            ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(rw.progress);
        bar
    } else {
        ProgressBar::hidden()
    };
    let result =
        stackmatrix_api::robustness_with_progress(&ctx.kb, ctx.lang, &req, &|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        });
    bar.finish_and_clear();
    let view = result?;
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv => Ok(ctx.table(&acceptability_table(ctx, &view))),
        Format::Md => Ok(format!(
            "{}\n{}\n{}\n\n{}\n",
            ctx.table(&acceptability_table(ctx, &view)),
            ctx.table(&central_table(ctx, &view)),
            view.summary.text,
            view.stability
                .intervals
                .iter()
                .map(|i| format!("- {}", i.text))
                .collect::<Vec<_>>()
                .join("\n")
        )),
        Format::Table => Ok(text(ctx, &view)),
    }
}

fn text(ctx: &Ctx, view: &RobustnessView) -> String {
    let rw = robustness_words(ctx.lang);
    let mut out = header_text(ctx, &view.scenario);
    let model = match view.weights_model.model {
        "around" => format!(
            "{} {}",
            rw.around,
            view.weights_model
                .concentration
                .map(short)
                .unwrap_or_default()
        ),
        "fixed" => rw.fixed.to_string(),
        _ => rw.uniform.to_string(),
    };
    let _ = writeln!(
        out,
        "{}: {} {} · {} {} · {} {}/{}/{} · {}: {model}\n",
        rw.smaa,
        view.samples,
        rw.samples,
        rw.seed,
        view.seed,
        rw.spreads,
        short(view.spread.published),
        short(view.spread.estimated),
        short(view.spread.measured),
        rw.weights
    );
    let _ = writeln!(out, "{}:\n", rw.acceptability);
    out.push_str(&ctx.table(&acceptability_table(ctx, view)));
    let _ = writeln!(out, "\n{}\n", view.summary.text);
    let _ = writeln!(out, "{}:\n", rw.central);
    out.push_str(&ctx.table(&central_table(ctx, view)));
    let leader = view
        .alternatives
        .iter()
        .find(|a| a.id == view.stability.leader)
        .map(|a| a.name.as_str())
        .unwrap_or(view.stability.leader.as_str());
    let _ = writeln!(out, "\n{} ({leader}):", rw.stability);
    for i in &view.stability.intervals {
        let _ = writeln!(out, "  {}", i.text);
    }
    for i in view.infeasible.iter().flatten() {
        let _ = writeln!(out, "not a stack here: {}: {}", i.id, i.problems.join("; "));
    }
    out
}

/// Alternatives by ranks: the acceptability in percent, the expected rank and the confidence
/// factor (full precision in CSV).
fn acceptability_table(ctx: &Ctx, view: &RobustnessView) -> Table {
    let w = words(ctx.lang);
    let rw = robustness_words(ctx.lang);
    let machine = ctx.format == Format::Csv;
    let n = view.alternatives.len();
    let rank_headers: Vec<String> = (1..=n).map(|r| format!("#{r}")).collect();
    let mut columns: Vec<(&str, Align)> = if machine {
        vec![
            ("rank", Align::Right),
            ("id", Align::Left),
            ("name", Align::Left),
        ]
    } else {
        vec![
            (w.rank, Align::Right),
            (w.id, Align::Left),
            (w.technology, Align::Left),
        ]
    };
    columns.extend(rank_headers.iter().map(|h| (h.as_str(), Align::Right)));
    if machine {
        columns.push(("expected_rank", Align::Right));
        columns.push(("confidence_percent", Align::Right));
    } else {
        columns.push((rw.expected, Align::Right));
        columns.push((rw.confidence, Align::Right));
    }
    let mut t = Table::new(&columns);
    for a in &view.alternatives {
        let mut row: Vec<Cell> = vec![
            a.rank.to_string().into(),
            a.id.as_str().into(),
            a.name.as_str().into(),
        ];
        for b in &a.acceptability_percent {
            row.push(if machine {
                format!("{b}").into()
            } else {
                Cell::shaded(fixed(*b, 1), b / 100.0)
            });
        }
        row.push(if machine {
            format!("{}", a.expected_rank).into()
        } else {
            fixed(a.expected_rank, 2).into()
        });
        row.push(match (a.confidence_percent, machine) {
            (Some(c), true) => format!("{c}").into(),
            (Some(c), false) => format!("{}%", fixed(c, 1)).into(),
            (None, true) => "".into(),
            (None, false) => "–".into(),
        });
        t.push(row);
    }
    t
}

/// The central weight vector of every alternative that is ever first.
fn central_table(ctx: &Ctx, view: &RobustnessView) -> Table {
    let w = words(ctx.lang);
    let mut columns = vec![(w.id, Align::Left)];
    columns.extend(Concept::ALL.iter().map(|c| (c.symbol(), Align::Right)));
    let mut t = Table::new(&columns);
    for a in &view.alternatives {
        if let Some(cw) = &a.central_weights {
            let mut row: Vec<Cell> = vec![a.id.as_str().into()];
            row.extend(cw.0.iter().map(|x| Cell::from(fixed(*x, 3))));
            t.push(row);
        }
    }
    t
}
