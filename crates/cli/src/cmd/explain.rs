//! `stackmatrix explain`: one technology's score, concept by concept, against the best alternative.

use crate::args::{ExplainArgs, Format};
use crate::cmd::rank::header_text;
use crate::cmd::scenario_input::scenario_from_args;
use crate::context::{fixed, short, Ctx};
use crate::error::{CliError, CliResult};
use crate::i18n::words;
use crate::render::{Align, Cell, Table};
use crate::views::ExplainView;
use stackmatrix_engine::{explain, rank_technologies, Explanation, PreparedScenario, Ranking};
use stackmatrix_model::TechKind;
use std::fmt::Write;

pub fn run(ctx: &Ctx, args: &ExplainArgs) -> CliResult<String> {
    let (scenario, _) = scenario_from_args(&ctx.kb, &args.scenario)?;
    note_normalisation(ctx, &scenario);
    let ranking = rank_technologies(ctx.kb.chains(), &scenario, &ctx.kb.tables.parameters);
    let id = match &args.tech {
        Some(id) => {
            match ctx.kb.technology(id) {
                None => {
                    let ids: Vec<&str> =
                        ctx.kb.technologies.iter().map(|t| t.id.as_str()).collect();
                    return Err(CliError::Usage(format!(
                        "--tech: unknown technology '{id}'; expected one of: {}",
                        ids.join(", ")
                    )));
                }
                Some(t) if t.kind == TechKind::Addon => {
                    return Err(CliError::Usage(format!(
                        "--tech: '{id}' is an addon; it covers only some concepts and is scored as part of a stack, not alone"
                    )));
                }
                Some(_) => {}
            }
            id.clone()
        }
        None => ranking
            .entries
            .first()
            .map(|e| e.id.clone())
            .ok_or_else(|| CliError::Failure("the knowledge base has no chain to rank".into()))?,
    };
    let x = explain(&ranking, &id)
        .ok_or_else(|| CliError::Failure(format!("'{id}' was not ranked")))?;
    match ctx.format {
        Format::Json => ctx.json(&ExplainView::new(&ranking, &x, &ctx.kb, ctx.lang)),
        Format::Csv | Format::Md => Ok(ctx.table(&concept_table(ctx, &x))),
        Format::Table => {
            let mut out = header_text(ctx, &ranking);
            out.push_str(&explanation_text(ctx, &ranking, &x));
            Ok(out)
        }
    }
}

/// Tells the user on stderr that their vector was rescaled; machine output stays clean.
pub fn note_normalisation(ctx: &Ctx, s: &PreparedScenario) {
    if s.was_normalised() {
        let msg = words(ctx.lang)
            .normalised_note
            .replace("{sum}", &short(s.input_sum));
        let parts: Vec<String> = s.vector.iter().map(|x| short(*x)).collect();
        eprintln!("note: {msg}: {}", parts.join(","));
    }
}

/// The per-concept table of an explanation.
pub fn concept_table(ctx: &Ctx, x: &Explanation) -> Table {
    let w = words(ctx.lang);
    let alt_name = x
        .alternative
        .map(|a| a.name.get(ctx.lang).to_string())
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
            c.concept.symbol().into(),
            ctx.kb.concept_names(c.concept).get(ctx.lang).into(),
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
pub fn explanation_text(ctx: &Ctx, ranking: &Ranking, x: &Explanation) -> String {
    let w = words(ctx.lang);
    let mut out = String::new();
    let e = x.entry;
    let _ = writeln!(
        out,
        "{} {} ({}): {} {} · {} {}{} / {}",
        w.explanation_of,
        e.name.get(ctx.lang),
        e.id,
        w.score,
        fixed(e.score, 4),
        w.rank_of,
        if e.tied { "=" } else { "" },
        e.rank,
        ranking.entries.len()
    );
    match x.alternative {
        Some(a) => {
            let _ = writeln!(
                out,
                "{}: {} ({}) {} · {} {}\n",
                w.best_alternative,
                a.name.get(ctx.lang),
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
        let list = |cs: &[stackmatrix_model::Concept]| {
            if cs.is_empty() {
                return w.none.to_string();
            }
            cs.iter()
                .map(|c| {
                    let d = x.concepts[c.index()].score_delta.unwrap_or(0.0);
                    format!(
                        "{} {} ({}{})",
                        c.symbol(),
                        ctx.kb.concept_names(*c).get(ctx.lang),
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
