//! `stackmatrix migrate`: the cheapest path through the published transition table, and the
//! next cheapest ones.

use crate::args::{Format, MigrateArgs};
use crate::context::{short, Ctx};
use crate::error::{CliError, CliResult};
use crate::render::{Align, Table};
use stackmatrix_api::views::{MigrateView, MigrationPathView};
use stackmatrix_api::MigrateRequest;
use std::fmt::Write;

pub fn run(ctx: &Ctx, args: &MigrateArgs) -> CliResult<String> {
    if args.from.is_none() && args.from_scene.is_none() {
        return Err(CliError::Usage(
            "give --from ID --to ID (chains) or --from-scene SCENE --to-scene SCENE".into(),
        ));
    }
    let req = MigrateRequest {
        from: args.from.clone(),
        to: args.to.clone(),
        from_scene: args.from_scene.clone(),
        to_scene: args.to_scene.clone(),
        alternatives: args.alternatives,
    };
    let view = stackmatrix_api::migrate(&ctx.kb, ctx.lang, &req)?;
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
    let table = if view.kind == "scene" {
        "scene migrations"
    } else {
        "chain transitions"
    };
    let _ = writeln!(
        out,
        "Migration over the published {table}: {} → {}",
        view.from.name, view.to.name
    );
    if let Some(d) = view.direct {
        let _ = writeln!(out, "Directly: {}", short(d));
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
                short(p.total)
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
                    short(s.difficulty).into(),
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
                short(p.total).into(),
            ]);
        }
        out.push_str(&ctx.table(&t));
    }
    out
}
