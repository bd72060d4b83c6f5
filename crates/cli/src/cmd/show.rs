//! `stackmatrix show TECH`: a technology's maturity matrix, shaded by value on a colour terminal.

use crate::args::{Format, ShowArgs};
use crate::cmd::scenario_input::time_mode;
use crate::context::{fixed, Ctx};
use crate::error::CliResult;
use crate::i18n::words;
use crate::render::{Align, Cell, Table};
use stackmatrix_api::request::ShowRequest;
use stackmatrix_model::{Concept, Scene};
use std::fmt::Write;

pub fn run(ctx: &Ctx, args: &ShowArgs) -> CliResult<String> {
    let req = ShowRequest {
        tech: args.tech.clone(),
        time: Some(time_mode(args.time).key().to_string()),
    };
    let view = stackmatrix_api::show_tech(&ctx.kb, ctx.lang, &req)?;
    if ctx.format == Format::Json {
        return ctx.json(&view);
    }
    let w = words(ctx.lang);
    let mut columns = vec![(w.concept, Align::Left), (w.name, Align::Left)];
    columns.extend(Scene::KEYS.iter().map(|k| (*k, Align::Right)));
    columns.push((w.provenance, Align::Left));
    let mut table = Table::new(&columns);
    for r in &view.rows {
        let c = Concept::from_key(r.concept).unwrap_or(Concept::Theta);
        let mut row: Vec<Cell> = vec![c.symbol().into(), r.name.as_str().into()];
        match r.values {
            Some(v) => row.extend(v.iter().map(|x| Cell::shaded(fixed(*x, 2), *x))),
            None => row.extend((0..6).map(|_| Cell::from("-"))),
        }
        let mut prov = r.provenance.to_string();
        if r.dynamic_given && view.time != "static" {
            prov.push_str(" (dynamic)");
        }
        row.push(prov.into());
        table.push(row);
    }
    if ctx.format != Format::Table {
        return Ok(ctx.table(&table));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}) · {} · {} {}\n",
        view.name, view.id, view.kind, w.time, view.time
    );
    out.push_str(&ctx.table(&table));
    // The technology's own source line is not part of the view's rows; the knowledge base has it.
    let source = ctx
        .kb
        .technology(&view.id)
        .map_or("", |t| t.provenance.source.as_str());
    let _ = writeln!(out, "\n{}: {}", w.source, source);
    Ok(out)
}
