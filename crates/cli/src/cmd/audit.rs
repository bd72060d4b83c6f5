//! `stackmatrix audit`: every documented claim beside what the model computes.

use crate::args::Format;
use crate::cmd::cases::{report_text, verdict_table};
use crate::context::{fixed, Ctx};
use crate::error::CliResult;
use crate::render::{Align, Table};
use stackmatrix_api::views::*;
use std::fmt::Write;

pub fn run(ctx: &Ctx) -> CliResult<String> {
    let view = stackmatrix_api::audit(&ctx.kb, ctx.lang)?;
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv => Ok(ctx.table(&lines_table(&view))),
        Format::Md => Ok(markdown(&view)),
        Format::Table => Ok(text(ctx, &view)),
    }
}

fn lines_table(view: &AuditView) -> Table {
    let mut t = Table::new(&[
        ("scenario", Align::Left),
        ("label", Align::Left),
        ("tech", Align::Left),
        ("claimed_rank", Align::Right),
        ("claimed_score", Align::Right),
        ("computed_rank", Align::Right),
        ("computed_score", Align::Right),
        ("difference", Align::Right),
    ]);
    let opt = |x: Option<f64>| x.map(|v| format!("{v}")).unwrap_or_default();
    for s in &view.scenarios {
        for l in &s.ranking {
            t.push(vec![
                s.scenario.as_str().into(),
                l.label.as_str().into(),
                l.tech.clone().unwrap_or_default().into(),
                l.claimed_rank
                    .map(|r| r.to_string())
                    .unwrap_or_default()
                    .into(),
                opt(l.claimed_score).into(),
                l.computed_rank
                    .map(|r| r.to_string())
                    .unwrap_or_default()
                    .into(),
                opt(l.computed_score).into(),
                opt(l.difference).into(),
            ]);
        }
    }
    t
}

fn ranking_table(s: &ScenarioAuditView) -> Table {
    let mut t = Table::new(&[
        ("Documented", Align::Left),
        ("Rank", Align::Right),
        ("Score", Align::Right),
        ("Computed rank", Align::Right),
        ("Computed score", Align::Right),
        ("Gap", Align::Right),
    ]);
    for l in &s.ranking {
        t.push(vec![
            l.label.as_str().into(),
            l.claimed_rank
                .map(|r| r.to_string())
                .unwrap_or_else(|| "-".into())
                .into(),
            l.claimed_score
                .map(|x| format!("{x:.1}"))
                .unwrap_or_else(|| "-".into())
                .into(),
            l.computed_rank
                .map(|r| r.to_string())
                .unwrap_or_else(|| "not a chain".into())
                .into(),
            l.computed_score
                .map(|x| fixed(x, 4))
                .unwrap_or_else(|| "-".into())
                .into(),
            l.difference
                .map(|d| format!("{}{}", if d > 0.0 { "+" } else { "" }, fixed(d, 4)))
                .unwrap_or_else(|| "-".into())
                .into(),
        ]);
    }
    t
}

fn stack_lines(s: &ScenarioAuditView) -> String {
    let mut out = String::new();
    if let Some(k) = &s.stack {
        let _ = writeln!(out, "Documented stack:  {}", k.claimed_labels.join(" + "));
        let _ = writeln!(
            out,
            "  as scored here:  {}",
            match (k.claimed_score, k.claimed_problems.is_empty()) {
                (Some(x), true) => fixed(x, 4),
                _ => format!("not a stack ({})", k.claimed_problems.join("; ")),
            }
        );
        let _ = writeln!(
            out,
            "Recommended stack: {}  {}",
            k.recommended_members.join(" + "),
            k.recommended_score
                .map(|x| fixed(x, 4))
                .unwrap_or_else(|| "-".into())
        );
    }
    out
}

fn text(ctx: &Ctx, view: &AuditView) -> String {
    let mut out = String::new();
    for s in &view.scenarios {
        let _ = writeln!(out, "== {} ({})", s.scenario, s.source);
        if !s.ranking.is_empty() {
            out.push_str(&ctx.table(&ranking_table(s)));
        }
        out.push_str(&stack_lines(s));
        let _ = writeln!(out, "{}\n", s.summary);
    }
    let _ = writeln!(out, "== Practice cases");
    for c in &view.cases {
        out.push_str(&report_text(ctx, c));
        out.push('\n');
    }
    let _ = writeln!(out, "{}", view.summary);
    out
}

/// A report fit for a wiki: headings, the same tables in Markdown, the summary first.
fn markdown(view: &AuditView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# stackmatrix audit of documented claims\n");
    let _ = writeln!(out, "{}\n", view.summary);
    let _ = writeln!(
        out,
        "Scores are computed with the seed's rule on the knowledge base; documented figures are shown beside them, never used as answers.\n"
    );
    for s in &view.scenarios {
        let _ = writeln!(out, "## Scenario `{}`\n", s.scenario);
        let _ = writeln!(out, "Source: {}. {}\n", s.source, s.summary);
        if !s.ranking.is_empty() {
            out.push_str(&ranking_table(s).to_markdown());
            out.push('\n');
        }
        let lines = stack_lines(s);
        if !lines.is_empty() {
            for l in lines.lines() {
                let _ = writeln!(out, "- {}", l.trim());
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "## Practice cases\n");
    out.push_str(&verdict_table(&view.cases).to_markdown());
    out
}
