//! `stackmatrix explain`: one technology's score, concept by concept, against the best alternative.

use crate::args::{ExplainArgs, Format};
use crate::cmd::rank::header_text;
use crate::cmd::scenario_input::{note_normalisation, scenario_request};
use crate::context::{fixed, short, Ctx};
use crate::error::{CliError, CliResult};
use crate::i18n::words;
use crate::render::{Align, Cell, Table};
use stackmatrix_api::request::ExplainRequest;
use stackmatrix_api::views::ExplainView;
use stackmatrix_api::ApiError;
use stackmatrix_model::Concept;
use std::fmt::Write;

pub fn run(ctx: &Ctx, args: &ExplainArgs) -> CliResult<String> {
    let scenario = scenario_request(&ctx.kb, &args.scenario)?;
    note_normalisation(ctx, &scenario)?;
    let req = ExplainRequest {
        scenario,
        tech: args.tech.clone(),
    };
    let view = stackmatrix_api::explain(&ctx.kb, ctx.lang, &req).map_err(|e| match e {
        // The technology explained is named by --tech.
        ApiError::NotFound {
            what: "technology", ..
        } => CliError::api(e, Some("--tech")),
        e => e.into(),
    })?;
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv | Format::Md => Ok(ctx.table(&concept_table(ctx, &view))),
        Format::Table => {
            let mut out = header_text(ctx, &view.scenario);
            out.push_str(&explanation_text(ctx, &view));
            Ok(out)
        }
    }
}

/// A concept's symbol (`Θ` for `Theta`) from its key.
fn symbol(key: &'static str) -> &'static str {
    Concept::from_key(key).map_or(key, Concept::symbol)
}

/// The per-concept table of an explanation.
pub fn concept_table(ctx: &Ctx, x: &ExplainView) -> Table {
    let w = words(ctx.lang);
    let alt_name = x
        .alternative
        .as_ref()
        .map(|a| a.name.clone())
        .unwrap_or_else(|| w.best_alternative.to_string());
    let mut t = Table::new(&[
        (w.concept, Align::Left),
        (w.name, Align::Left),
        (w.fit, Align::Right),
        (w.weight, Align::Right),
        (w.contribution, Align::Right),
        (alt_name.as_str(), Align::Right),
        (w.delta, Align::Right),
    ]);
    for c in &x.concepts {
        let signed = |d: f64| {
            let s = fixed(d, 4);
            if d > 0.0 && s != "0.0000" {
                format!("+{s}")
            } else {
                s
            }
        };
        t.push(vec![
            symbol(c.concept).into(),
            c.name.as_str().into(),
            Cell::shaded(fixed(c.fit, 4), c.fit),
            short(c.weight).into(),
            fixed(c.contribution, 4).into(),
            c.alternative_fit
                .map(|f| fixed(f, 4))
                .unwrap_or_else(|| "-".into())
                .into(),
            c.score_delta
                .map(signed)
                .unwrap_or_else(|| "-".into())
                .into(),
        ]);
    }
    t
}

/// The explanation as text: the headline, the per-concept table, leads and trails.
pub fn explanation_text(ctx: &Ctx, x: &ExplainView) -> String {
    let w = words(ctx.lang);
    let mut out = String::new();
    let e = &x.tech;
    let _ = writeln!(
        out,
        "{} {} ({}): {} {} · {} {}{} / {}",
        w.explanation_of,
        e.name,
        e.id,
        w.score,
        fixed(e.score, 4),
        w.rank_of,
        if e.tied { "=" } else { "" },
        e.rank,
        x.of
    );
    match &x.alternative {
        Some(a) => {
            let _ = writeln!(
                out,
                "{}: {} ({}) {} · {} {}\n",
                w.best_alternative,
                a.name,
                a.id,
                fixed(a.score, 4),
                w.rank_of,
                a.rank
            );
        }
        None => {
            let _ = writeln!(out, "{}: {}\n", w.best_alternative, w.none);
        }
    }
    out.push_str(&ctx.table(&concept_table(ctx, x)));
    if x.alternative.is_some() {
        let list = |keys: &[&'static str]| {
            if keys.is_empty() {
                return w.none.to_string();
            }
            keys.iter()
                .filter_map(|k| x.concepts.iter().find(|c| c.concept == *k))
                .map(|c| {
                    let d = c.score_delta.unwrap_or(0.0);
                    format!(
                        "{} {} ({}{})",
                        symbol(c.concept),
                        c.name,
                        if d > 0.0 { "+" } else { "" },
                        fixed(d, 4)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(out, "\n{}: {}", w.leads_in, list(&x.leads));
        let _ = writeln!(out, "{}: {}", w.trails_in, list(&x.trails));
    }
    out
}
