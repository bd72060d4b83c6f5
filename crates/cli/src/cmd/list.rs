//! `stackmatrix list techs|scenarios|concepts|scenes`.

use crate::args::{Format, ListArgs, ListWhat};
use crate::context::{short, Ctx};
use crate::error::CliResult;
use crate::i18n::words;
use crate::render::{Align, Table};
use stackmatrix_api::views::AxisView;

pub fn run(ctx: &Ctx, args: &ListArgs) -> CliResult<String> {
    let w = words(ctx.lang);
    let (kb, lang) = (&ctx.kb, ctx.lang);
    match args.what {
        ListWhat::Techs => {
            let views = stackmatrix_api::list_techs(kb, lang);
            if ctx.format == Format::Json {
                return ctx.json(&views);
            }
            let mut t = Table::new(&[
                (w.id, Align::Left),
                (w.kind, Align::Left),
                (w.name, Align::Left),
                (w.roles, Align::Left),
                (w.provenance, Align::Left),
            ]);
            for v in &views {
                t.push(vec![
                    v.id.as_str().into(),
                    v.kind.into(),
                    v.name.as_str().into(),
                    v.roles.join(", ").into(),
                    v.provenance.into(),
                ]);
            }
            Ok(ctx.table(&t))
        }
        ListWhat::Scenarios => {
            let views = stackmatrix_api::list_scenarios(kb, lang);
            if ctx.format == Format::Json {
                return ctx.json(&views);
            }
            let mut t = Table::new(&[
                (w.id, Align::Left),
                (w.name, Align::Left),
                (w.vector, Align::Left),
                (w.claimed, Align::Left),
            ]);
            for v in &views {
                let vector: Vec<String> = v.vector.iter().map(|x| short(*x)).collect();
                t.push(vec![
                    v.id.as_str().into(),
                    v.name.as_str().into(),
                    format!("[{}]", vector.join(", ")).into(),
                    if v.has_claims { "✓" } else { "" }.into(),
                ]);
            }
            Ok(ctx.table(&t))
        }
        ListWhat::Concepts => axis_output(ctx, &stackmatrix_api::list_concepts(kb, lang)),
        ListWhat::Scenes => axis_output(ctx, &stackmatrix_api::list_scenes(kb, lang)),
    }
}

fn axis_output(ctx: &Ctx, views: &[AxisView]) -> CliResult<String> {
    if ctx.format == Format::Json {
        return ctx.json(&views);
    }
    let w = words(ctx.lang);
    let mut t = Table::new(&[
        ("#", Align::Right),
        (w.key, Align::Left),
        (w.symbol, Align::Left),
        (w.name, Align::Left),
    ]);
    for v in views {
        t.push(vec![
            v.index.to_string().into(),
            v.key.into(),
            v.symbol.into(),
            v.name.as_str().into(),
        ]);
    }
    Ok(ctx.table(&t))
}
