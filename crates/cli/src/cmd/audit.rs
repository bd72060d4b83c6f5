//! `stackmatrix audit`: every documented claim beside what the model computes.

use crate::args::Format;
use crate::cmd::cases::{report_text, verdict_table};
use crate::context::{fixed, Ctx};
use crate::error::{CliError, CliResult};
use crate::render::{Align, Table};
use crate::views::*;
use stackmatrix_engine::{audit, ScenarioAudit};
use std::fmt::Write;

pub fn run(ctx: &Ctx) -> CliResult<String> {
    let result = audit(&ctx.kb).map_err(|e| CliError::Usage(e.to_string()))?;
    let scenarios: Vec<ScenarioAuditView> = result.scenarios.iter().map(scenario_view).collect();
    let cases: Vec<CaseReportView> = result
        .cases
        .iter()
        .map(|c| CaseReportView::new(c, &ctx.kb, ctx.lang))
        .collect();
    let mut verdicts = VerdictCounts::default();
    for c in &cases {
        for m in &c.maturity {
            match m.verdict {
                "agrees" => verdicts.maturity_agrees += 1,
                "model lower" => verdicts.maturity_model_lower += 1,
                "model higher" => verdicts.maturity_model_higher += 1,
                _ => verdicts.maturity_no_data += 1,
            }
        }
        for i in &c.indicators {
            match i.verdict {
                "supported" => verdicts.indicators_supported += 1,
                "contradicted" => verdicts.indicators_contradicted += 1,
                _ => verdicts.indicators_no_data += 1,
            }
        }
    }
    let top1 = scenarios
        .iter()
        .filter(|s| s.top1_agrees == Some(true))
        .count();
    let ranked = scenarios.iter().filter(|s| s.top1_agrees.is_some()).count();
    let same_stack = scenarios
        .iter()
        .filter(|s| s.stack.as_ref().is_some_and(|k| k.jaccard == 1.0))
        .count();
    let with_stack = scenarios.iter().filter(|s| s.stack.is_some()).count();
    let summary = format!(
        "{} scenarios audited: top-1 agrees in {top1} of {ranked} documented rankings; the documented stack equals the recommended one in {same_stack} of {with_stack}. {} cases: maturity claims {} agree, {} model lower, {} model higher, {} no data; performance claims {} supported, {} contradicted, {} no data.",
        scenarios.len(),
        cases.len(),
        verdicts.maturity_agrees,
        verdicts.maturity_model_lower,
        verdicts.maturity_model_higher,
        verdicts.maturity_no_data,
        verdicts.indicators_supported,
        verdicts.indicators_contradicted,
        verdicts.indicators_no_data
    );
    let view = AuditView {
        scenarios,
        cases,
        verdicts,
        summary,
    };
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv => Ok(ctx.table(&lines_table(&view))),
        Format::Md => Ok(markdown(ctx, &view)),
        Format::Table => Ok(text(ctx, &view)),
    }
}

fn scenario_view(s: &ScenarioAudit) -> ScenarioAuditView {
    let ranking: Vec<ClaimLineView> = s.lines.iter().map(ClaimLineView::new).collect();
    let stack = s.stack.as_ref().map(|k| StackAuditView {
        claimed_labels: k.claimed_labels.clone(),
        claimed_members: k.claimed_members.clone(),
        not_in_knowledge_base: k.not_in_knowledge_base.clone(),
        claimed_score: k.claimed_score,
        claimed_problems: k
            .claimed_infeasible
            .iter()
            .flat_map(|i| i.problems.iter().map(|p| p.to_string()))
            .collect(),
        recommended_members: k.recommended_members.clone(),
        recommended_score: k.recommended_score,
        jaccard: k.jaccard,
    });
    let mut parts = Vec::new();
    match s.top1_agrees {
        Some(true) => parts.push("top-1 agrees".to_string()),
        Some(false) => parts.push("top-1 differs".to_string()),
        None => parts.push("no documented ranking the model can compare".to_string()),
    }
    if let Some(t) = s.kendall_tau {
        parts.push(format!(
            "Kendall tau {} over {} lines",
            fixed(t, 3),
            s.compared
        ));
    }
    if let Some((label, d)) = &s.largest_gap {
        parts.push(format!(
            "largest gap {label} {}{}",
            if *d > 0.0 { "+" } else { "" },
            fixed(*d, 2)
        ));
    }
    if let Some(k) = &stack {
        let verdict = if k.jaccard == 1.0 {
            "documented stack = recommended".to_string()
        } else if !k.claimed_problems.is_empty() {
            format!(
                "documented stack is not a stack here ({})",
                k.claimed_problems.join("; ")
            )
        } else {
            format!(
                "documented stack differs (overlap {}; scores {} vs recommended {})",
                fixed(k.jaccard, 2),
                k.claimed_score
                    .map(|x| fixed(x, 4))
                    .unwrap_or_else(|| "-".into()),
                k.recommended_score
                    .map(|x| fixed(x, 4))
                    .unwrap_or_else(|| "-".into())
            )
        };
        parts.push(verdict);
    }
    ScenarioAuditView {
        scenario: s.scenario.clone(),
        source: s.source.clone(),
        ranking,
        kendall_tau: s.kendall_tau,
        compared: s.compared,
        top1_agrees: s.top1_agrees,
        largest_gap: s.largest_gap.as_ref().map(|(label, d)| GapView {
            label: label.clone(),
            difference: *d,
        }),
        stack,
        summary: format!("{}: {}", s.scenario, parts.join("; ")),
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
fn markdown(ctx: &Ctx, view: &AuditView) -> String {
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
    let _ = ctx;
    out
}
