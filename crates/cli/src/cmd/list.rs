//! `stackmatrix list techs|scenarios|concepts|scenes`.

use crate::args::{Format, ListArgs, ListWhat};
use crate::context::{short, Ctx};
use crate::error::CliResult;
use crate::i18n::words;
use crate::render::{Align, Table};
use serde::Serialize;
use stackmatrix_model::{Concept, Scene, TimeSlice};

#[derive(Serialize)]
struct TechView<'a> {
    id: &'a str,
    kind: &'static str,
    name: &'a str,
    roles: &'a [String],
    version: Option<&'a str>,
    capabilities: &'a [String],
    requires: &'a [String],
    conflicts: &'a [String],
    provenance: &'static str,
    source: &'a str,
}

#[derive(Serialize)]
struct ScenarioListView<'a> {
    id: &'a str,
    name: &'a str,
    vector: [f64; 6],
    weights: [f64; 12],
    time: Option<&'static str>,
    required_capabilities: &'a [String],
    features: Vec<&'a str>,
    has_claims: bool,
}

#[derive(Serialize)]
struct AxisView<'a> {
    index: usize,
    key: &'static str,
    symbol: &'static str,
    name: &'a str,
}

pub fn run(ctx: &Ctx, args: &ListArgs) -> CliResult<String> {
    let w = words(ctx.lang);
    let lang = ctx.lang;
    match args.what {
        ListWhat::Techs => {
            let views: Vec<TechView> = ctx
                .kb
                .technologies
                .iter()
                .map(|t| TechView {
                    id: &t.id,
                    kind: t.kind.key(),
                    name: t.name.get(lang),
                    roles: &t.roles,
                    version: t.version.as_deref(),
                    capabilities: &t.capabilities,
                    requires: &t.requires,
                    conflicts: &t.conflicts,
                    provenance: provenance_summary(t),
                    source: &t.provenance.source,
                })
                .collect();
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
                    v.id.into(),
                    v.kind.into(),
                    v.name.into(),
                    v.roles.join(", ").into(),
                    v.provenance.into(),
                ]);
            }
            Ok(ctx.table(&t))
        }
        ListWhat::Scenarios => {
            let views: Vec<ScenarioListView> = ctx
                .kb
                .scenarios
                .iter()
                .map(|s| ScenarioListView {
                    id: &s.id,
                    name: s.name.get(lang),
                    vector: s.vector,
                    weights: s.weights,
                    time: s.time.map(|t| t.key()),
                    required_capabilities: &s.requirements.capabilities,
                    features: s.features.iter().map(|f| f.get(lang)).collect(),
                    has_claims: s.claims.is_some(),
                })
                .collect();
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
                    v.id.into(),
                    v.name.into(),
                    format!("[{}]", vector.join(", ")).into(),
                    if v.has_claims { "✓" } else { "" }.into(),
                ]);
            }
            Ok(ctx.table(&t))
        }
        ListWhat::Concepts => {
            let views: Vec<AxisView> = Concept::ALL
                .iter()
                .map(|c| AxisView {
                    index: c.index(),
                    key: c.key(),
                    symbol: c.symbol(),
                    name: ctx.kb.concept_names(*c).get(lang),
                })
                .collect();
            axis_output(ctx, &views)
        }
        ListWhat::Scenes => {
            let views: Vec<AxisView> = Scene::ALL
                .iter()
                .map(|s| AxisView {
                    index: s.index(),
                    key: s.key(),
                    symbol: s.key(),
                    name: ctx.kb.scene_names(*s).get(lang),
                })
                .collect();
            axis_output(ctx, &views)
        }
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
            v.name.into(),
        ]);
    }
    Ok(ctx.table(&t))
}

/// `published`, `estimated`, `measured`, or `mixed` when rows differ.
fn provenance_summary(t: &stackmatrix_model::Technology) -> &'static str {
    let kinds: std::collections::BTreeSet<_> = Concept::ALL
        .iter()
        .flat_map(|c| [TimeSlice::Static, TimeSlice::Dynamic].map(|s| t.provenance_of(s, *c).kind))
        .collect();
    match kinds.len() {
        1 => kinds.into_iter().next().map_or("mixed", |k| k.key()),
        _ => "mixed",
    }
}
