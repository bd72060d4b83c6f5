//! `stackmatrix show TECH`: a technology's maturity matrix, shaded by value on a colour terminal.

use crate::args::{Format, ShowArgs};
use crate::cmd::scenario_input::time_mode;
use crate::context::{fixed, Ctx};
use crate::error::{CliError, CliResult};
use crate::i18n::words;
use crate::render::{Align, Cell, Table};
use serde::Serialize;
use stackmatrix_engine::time_matrix;
use stackmatrix_model::{Concept, Scene, TimeSlice};
use std::fmt::Write;

#[derive(Serialize)]
struct RowView<'a> {
    concept: &'static str,
    name: &'a str,
    /// Values in scene order; `null` where the technology does not cover the concept.
    values: Option<[f64; 6]>,
    provenance: &'static str,
    source: &'a str,
    rationale: Option<&'a str>,
    /// True when the dynamic row is given (false: it defaults to the static row).
    dynamic_given: bool,
}

#[derive(Serialize)]
struct ShowView<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    time: &'static str,
    scenes: [&'static str; 6],
    rows: Vec<RowView<'a>>,
}

pub fn run(ctx: &Ctx, args: &ShowArgs) -> CliResult<String> {
    let lang = ctx.lang;
    let t = ctx.kb.technology(&args.tech).ok_or_else(|| {
        let ids: Vec<&str> = ctx.kb.technologies.iter().map(|t| t.id.as_str()).collect();
        CliError::Usage(format!(
            "unknown technology '{}'; expected one of: {}",
            args.tech,
            ids.join(", ")
        ))
    })?;
    let mode = time_mode(args.time);
    // Addons have partial rows; a full matrix exists only for chains, so rows are read one by one
    // through the engine's time rule where possible.
    let full = time_matrix(&t.maturity, mode, &ctx.kb.tables.parameters);
    let slice = match args.time {
        crate::args::TimeArg::Dynamic => TimeSlice::Dynamic,
        _ => TimeSlice::Static,
    };
    let rows: Vec<RowView> = Concept::ALL
        .iter()
        .map(|&c| {
            let p = t.provenance_of(slice, c);
            RowView {
                concept: c.key(),
                name: ctx.kb.concept_names(c).get(lang),
                values: full
                    .map(|m| m[c.index()])
                    .or_else(|| t.maturity.row(slice, c)),
                provenance: p.kind.key(),
                source: &p.source,
                rationale: p.rationale.as_deref(),
                dynamic_given: t.maturity.has_dynamic_row(c),
            }
        })
        .collect();
    let view = ShowView {
        id: &t.id,
        name: t.name.get(lang),
        kind: t.kind.key(),
        time: mode.key(),
        scenes: Scene::KEYS,
        rows,
    };
    if ctx.format == Format::Json {
        return ctx.json(&view);
    }
    let w = words(lang);
    let mut columns = vec![(w.concept, Align::Left), (w.name, Align::Left)];
    columns.extend(Scene::KEYS.iter().map(|k| (*k, Align::Right)));
    columns.push((w.provenance, Align::Left));
    let mut table = Table::new(&columns);
    for r in &view.rows {
        let c = Concept::from_key(r.concept).unwrap_or(Concept::Theta);
        let mut row: Vec<Cell> = vec![c.symbol().into(), r.name.into()];
        match r.values {
            Some(v) => row.extend(v.iter().map(|x| Cell::shaded(fixed(*x, 2), *x))),
            None => row.extend((0..6).map(|_| Cell::from("-"))),
        }
        let mut prov = r.provenance.to_string();
        if r.dynamic_given && mode != stackmatrix_model::TimeMode::Static {
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
    let _ = writeln!(out, "\n{}: {}", w.source, t.provenance.source);
    Ok(out)
}
