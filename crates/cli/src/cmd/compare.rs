//! `stackmatrix compare`: a scenario's chains (or named stacks) ranked by several multi-criteria
//! methods side by side, then Spearman's rho, Kendall's tau and the WS rank similarity between
//! each pair of methods.

use crate::args::{CompareArgs, Format};
use crate::cmd::rank::{header_text, method_words, stack_specs};
use crate::cmd::scenario_input::{note_normalisation, scenario_request};
use crate::context::{fixed, Ctx};
use crate::error::CliResult;
use crate::i18n::words;
use crate::render::{Align, Cell, Table};
use stackmatrix_api::request::{parse_cost_criteria, CompareRequest};
use stackmatrix_api::views::CompareView;
use stackmatrix_model::Lang;
use std::fmt::Write;

/// Words of `compare`'s text.
struct Words {
    methods: &'static str,
    pair: &'static str,
    refused: &'static str,
    higher: &'static str,
    lower: &'static str,
    correlations: &'static str,
}

fn compare_words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        methods: "Methods",
        pair: "Pair",
        refused: "cannot rank this matrix",
        higher: "higher is better",
        lower: "lower is better",
        correlations: "Rank correlations (ties at their average position; WS takes the first method as the reference, WS rev. the second; – undefined)",
    };
    const ZH: Words = Words {
        methods: "方法",
        pair: "方法对",
        refused: "无法对该矩阵排序",
        higher: "越大越好",
        lower: "越小越好",
        correlations:
            "秩相关（并列取平均位次；WS 以第一个方法为参照，WS rev. 以第二个为参照；– 表示无定义）",
    };
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

pub fn run(ctx: &Ctx, args: &CompareArgs) -> CliResult<String> {
    let scenario = scenario_request(&ctx.kb, &args.scenario)?;
    note_normalisation(ctx, &scenario)?;
    let req = CompareRequest {
        scenario,
        stacks: args.stacks.as_deref().map(stack_specs),
        methods: args.methods.as_deref().map(|m| {
            m.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        }),
        cost_criteria: args
            .cost_criteria
            .as_deref()
            .map(parse_cost_criteria)
            .unwrap_or_default(),
    };
    let view = stackmatrix_api::compare(&ctx.kb, ctx.lang, &req)?;
    let cw = compare_words(ctx.lang);
    let mw = method_words(ctx.lang);
    // The table says these itself; machine output stays clean and the notes go to stderr.
    if ctx.format != Format::Table {
        for r in &view.refused {
            say!("note: {}: {}: {}", r.method, cw.refused, r.reason);
        }
        for l in &view.left_out {
            say!("note: {}: {}: {}", mw.left_out, l.id, l.reason);
        }
    }
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv => Ok(ctx.table(&ranks_table(ctx, &view))),
        Format::Md => Ok(format!(
            "{}\n{}",
            ctx.table(&ranks_table(ctx, &view)),
            ctx.table(&pairs_table(ctx, &view))
        )),
        Format::Table => {
            let mut out = header_text(ctx, &view.scenario);
            let _ = writeln!(out, "{}:", cw.methods);
            for m in &view.methods {
                let direction = if m.higher_is_better {
                    cw.higher
                } else {
                    cw.lower
                };
                let _ = writeln!(out, "  {} ({direction})", m.method);
            }
            for r in &view.refused {
                let _ = writeln!(out, "  {}: {}: {}", r.method, cw.refused, r.reason);
            }
            out.push('\n');
            out.push_str(&ctx.table(&ranks_table(ctx, &view)));
            for l in &view.left_out {
                let _ = writeln!(out, "{}: {}: {}", mw.left_out, l.id, l.reason);
            }
            for i in view.infeasible.iter().flatten() {
                let _ = writeln!(out, "not a stack here: {}: {}", i.id, i.problems.join("; "));
            }
            let _ = writeln!(out, "\n{}:\n", cw.correlations);
            out.push_str(&ctx.table(&pairs_table(ctx, &view)));
            Ok(out)
        }
    }
}

/// How a method is labelled in a column: its short name, or its full specification when two
/// compared methods share the name.
fn labels(view: &CompareView) -> Vec<String> {
    view.methods
        .iter()
        .map(|m| {
            if view.methods.iter().filter(|o| o.name == m.name).count() > 1 {
                m.method.clone()
            } else {
                m.name.to_string()
            }
        })
        .collect()
}

/// The alternatives with their rank under each method.
fn ranks_table(ctx: &Ctx, view: &CompareView) -> Table {
    let w = words(ctx.lang);
    let labels = labels(view);
    let machine = ctx.format == Format::Csv;
    let mut columns: Vec<(&str, Align)> = if machine {
        vec![("id", Align::Left), ("name", Align::Left)]
    } else {
        vec![(w.id, Align::Left), (w.technology, Align::Left)]
    };
    columns.extend(labels.iter().map(|l| (l.as_str(), Align::Right)));
    let mut t = Table::new(&columns);
    for a in &view.alternatives {
        let mut row: Vec<Cell> = vec![a.id.as_str().into(), a.name.as_str().into()];
        for (k, r) in a.ranks.iter().enumerate() {
            let tied = view
                .alternatives
                .iter()
                .filter(|o| o.ranks[k] == *r)
                .count()
                > 1;
            row.push(if tied && !machine {
                format!("={r}").into()
            } else {
                r.to_string().into()
            });
        }
        t.push(row);
    }
    t
}

/// Every pair of methods with its three coefficients.
fn pairs_table(ctx: &Ctx, view: &CompareView) -> Table {
    let cw = compare_words(ctx.lang);
    let labels = labels(view);
    let label_of = |spec: &str| {
        view.methods
            .iter()
            .position(|m| m.method == spec)
            .map(|i| labels[i].clone())
            .unwrap_or_else(|| spec.to_string())
    };
    let mut t = Table::new(&[
        (cw.pair, Align::Left),
        ("Spearman", Align::Right),
        ("Kendall τ", Align::Right),
        ("WS", Align::Right),
        ("WS rev.", Align::Right),
    ]);
    let value = |x: Option<f64>| x.map(|v| fixed(v, 3)).unwrap_or_else(|| "–".into());
    for p in &view.pairs {
        t.push(vec![
            format!("{} – {}", label_of(&p.first), label_of(&p.second)).into(),
            value(p.spearman).into(),
            value(p.kendall_tau).into(),
            value(p.rank_similarity).into(),
            value(p.rank_similarity_reversed).into(),
        ]);
    }
    t
}
