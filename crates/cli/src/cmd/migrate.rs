//! `stackmatrix migrate`: the cheapest path through the published (or derived) transition
//! table, and the next cheapest ones; `--compare` sets the published and the derived chain tables
//! side by side.

use crate::args::{Format, MigrateArgs};
use crate::context::{fixed, short, Ctx};
use crate::error::{CliError, CliResult};
use crate::render::{Align, Table};
use stackmatrix_api::views::{MigrateView, MigrationPathView};
use stackmatrix_api::{ApiError, MigrateRequest, TransitionComparisonView};
use stackmatrix_model::Lang;
use std::fmt::Write;

/// Words of the comparison's text.
struct Words {
    title: &'static str,
    slice: &'static str,
    theta_ones: &'static str,
    theta: &'static str,
    rule: &'static str,
    legend: &'static str,
    from_to: &'static str,
    agreement: &'static str,
    pairs: &'static str,
    undefined: &'static str,
}

fn compare_words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        title: "Chain transitions: the published table beside the derived one",
        slice: "static slice",
        theta_ones: "Θ = all 1",
        theta: "Θ",
        rule: "Derived",
        legend: "Each cell: published / derived difficulty of moving from the row chain to the column chain.",
        from_to: "From \\ to",
        agreement: "Rank agreement of the off-diagonal entries",
        pairs: "pairs",
        undefined: "undefined",
    };
    const ZH: Words = Words {
        title: "技术链迁移难度：发布表与推导表对照",
        slice: "静态切片",
        theta_ones: "Θ 全为 1",
        theta: "Θ",
        rule: "推导规则",
        legend: "每格：从行技术链迁移到列技术链的难度，发布值 / 推导值。",
        from_to: "从 \\ 到",
        agreement: "非对角元素的秩相关",
        pairs: "对",
        undefined: "无定义",
    };
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

pub fn run(ctx: &Ctx, args: &MigrateArgs) -> CliResult<String> {
    if args.compare {
        let req = MigrateRequest {
            compare: true,
            ..MigrateRequest::default()
        };
        let view = stackmatrix_api::migrate_compare(&ctx.kb, ctx.lang, &req)?;
        return match ctx.format {
            Format::Json => ctx.json(&view),
            Format::Csv | Format::Md => Ok(ctx.table(&pairs_table(&view))),
            Format::Table => Ok(comparison_text(ctx, &view)),
        };
    }
    if args.from.is_none() && args.from_scene.is_none() {
        return Err(CliError::Usage(
            "give --from ID --to ID (chains) or --from-scene SCENE --to-scene SCENE, or --compare"
                .into(),
        ));
    }
    let req = MigrateRequest {
        from: args.from.clone(),
        to: args.to.clone(),
        from_scene: args.from_scene.clone(),
        to_scene: args.to_scene.clone(),
        alternatives: args.alternatives,
        source: args.source.clone(),
        compare: false,
    };
    let view = stackmatrix_api::migrate(&ctx.kb, ctx.lang, &req).map_err(|e| {
        // An unknown chain or scene follows the flag that named it.
        let flag = match &e {
            ApiError::NotFound { id, .. } => [
                ("--from", &args.from),
                ("--to", &args.to),
                ("--from-scene", &args.from_scene),
                ("--to-scene", &args.to_scene),
            ]
            .into_iter()
            .find(|(_, given)| given.as_deref() == Some(id.as_str()))
            .map(|(flag, _)| flag),
            _ => None,
        };
        match flag {
            Some(flag) => CliError::api(e, Some(flag)),
            None => e.into(),
        }
    })?;
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv | Format::Md => Ok(ctx.table(&paths_table(&view))),
        Format::Table => Ok(text(ctx, &view)),
    }
}

fn joined(p: &MigrationPathView, names: bool) -> String {
    p.nodes
        .iter()
        .map(|n| {
            if names {
                n.name.as_str()
            } else {
                n.id.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

/// Every path, cheapest first: the form for CSV and Markdown.
fn paths_table(view: &MigrateView) -> Table {
    let mut t = Table::new(&[
        ("rank", Align::Right),
        ("path", Align::Left),
        ("steps", Align::Right),
        ("total", Align::Right),
    ]);
    for (i, p) in view.path.iter().chain(&view.alternatives).enumerate() {
        t.push(vec![
            (i + 1).to_string().into(),
            joined(p, false).into(),
            p.steps.len().to_string().into(),
            format!("{}", p.total).into(),
        ]);
    }
    t
}

fn text(ctx: &Ctx, view: &MigrateView) -> String {
    let mut out = String::new();
    // Derived difficulties are not decimal figures: four decimals, as in `--compare`.
    let num = |x: f64| {
        if view.source == "derived" {
            fixed(x, 4)
        } else {
            short(x)
        }
    };
    let table = if view.kind == "scene" {
        "scene migrations"
    } else {
        "chain transitions"
    };
    let _ = writeln!(
        out,
        "Migration over the {} {table}: {} → {}",
        view.source, view.from.name, view.to.name
    );
    if let Some(d) = view.direct {
        let _ = writeln!(out, "Directly: {}", num(d));
    }
    match &view.path {
        None => {
            let _ = writeln!(out, "No path reaches {}.", view.to.id);
        }
        Some(p) => {
            let _ = writeln!(
                out,
                "Cheapest: {}  total {}\n",
                joined(p, true),
                num(p.total)
            );
            let mut t = Table::new(&[
                ("From", Align::Left),
                ("To", Align::Left),
                ("Difficulty", Align::Right),
            ]);
            for s in &p.steps {
                t.push(vec![
                    s.from.as_str().into(),
                    s.to.as_str().into(),
                    num(s.difficulty).into(),
                ]);
            }
            out.push_str(&ctx.table(&t));
        }
    }
    if !view.alternatives.is_empty() {
        let _ = writeln!(out, "\nNext cheapest:");
        let mut t = Table::new(&[
            ("#", Align::Right),
            ("Path", Align::Left),
            ("Steps", Align::Right),
            ("Total", Align::Right),
        ]);
        for (i, p) in view.alternatives.iter().enumerate() {
            t.push(vec![
                (i + 2).to_string().into(),
                joined(p, false).into(),
                p.steps.len().to_string().into(),
                num(p.total).into(),
            ]);
        }
        out.push_str(&ctx.table(&t));
    }
    out
}

/// Every ordered pair of chains with both difficulties: the form for CSV and Markdown.
fn pairs_table(view: &TransitionComparisonView) -> Table {
    let mut t = Table::new(&[
        ("from", Align::Left),
        ("to", Align::Left),
        ("published", Align::Right),
        ("derived", Align::Right),
    ]);
    for (i, from) in view.chains.iter().enumerate() {
        for (j, to) in view.chains.iter().enumerate() {
            t.push(vec![
                from.id.as_str().into(),
                to.id.as_str().into(),
                format!("{}", view.published[i][j]).into(),
                format!("{}", view.derived[i][j]).into(),
            ]);
        }
    }
    t
}

fn comparison_text(ctx: &Ctx, view: &TransitionComparisonView) -> String {
    let w = compare_words(ctx.lang);
    let mut out = String::new();
    let theta = if view.theta.iter().all(|&t| t == 1.0) {
        w.theta_ones.to_string()
    } else {
        let values: Vec<String> = view.theta.iter().map(|t| short(*t)).collect();
        format!("{} = diag({})", w.theta, values.join(", "))
    };
    let _ = writeln!(out, "{} ({}, {theta})", w.title, w.slice);
    let _ = writeln!(out, "{}: {}", w.rule, view.rule);
    let _ = writeln!(out, "{}\n", w.legend);
    let mut columns: Vec<(&str, Align)> = vec![(w.from_to, Align::Left)];
    columns.extend(view.chains.iter().map(|c| (c.id.as_str(), Align::Right)));
    let mut t = Table::new(&columns);
    for (i, from) in view.chains.iter().enumerate() {
        let mut row = vec![from.id.as_str().into()];
        for j in 0..view.chains.len() {
            row.push(
                format!(
                    "{} / {}",
                    short(view.published[i][j]),
                    fixed(view.derived[i][j], 4)
                )
                .into(),
            );
        }
        t.push(row);
    }
    out.push_str(&ctx.table(&t));
    let coefficient = |c: Option<f64>| c.map_or_else(|| w.undefined.to_string(), |v| fixed(v, 4));
    let _ = writeln!(
        out,
        "\n{} ({} {}): Kendall tau-b {}, Spearman rho {}",
        w.agreement,
        view.pairs,
        w.pairs,
        coefficient(view.kendall_tau_b),
        coefficient(view.spearman)
    );
    out
}
