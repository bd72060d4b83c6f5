//! `stackmatrix cases list|show|validate`.

use crate::args::{CasesCommand, Format};
use crate::context::{fixed, short, Ctx};
use crate::error::CliResult;
use crate::render::{Align, Cell, Table};
use stackmatrix_api::views::{CaseReportView, CaseView};
use std::fmt::Write;

pub fn run(ctx: &Ctx, cmd: &CasesCommand) -> CliResult<String> {
    let (kb, lang) = (&ctx.kb, ctx.lang);
    match cmd {
        CasesCommand::List => {
            let views = stackmatrix_api::list_cases(kb, lang);
            if ctx.format == Format::Json {
                return ctx.json(&views);
            }
            let mut t = Table::new(&[
                ("Id", Align::Left),
                ("Scenario", Align::Left),
                ("Name", Align::Left),
                ("Stack", Align::Left),
                ("Claims", Align::Right),
            ]);
            for v in &views {
                let labels: Vec<&str> = v.stack.iter().map(|m| m.label.as_str()).collect();
                t.push(vec![
                    v.id.as_str().into(),
                    v.scenario.as_str().into(),
                    v.name.as_str().into(),
                    labels.join(" + ").into(),
                    (v.indicators.len() + v.maturity.len()).to_string().into(),
                ]);
            }
            Ok(ctx.table(&t))
        }
        CasesCommand::Show { id } => {
            let v = stackmatrix_api::show_case(kb, lang, id)?;
            if ctx.format == Format::Json {
                return ctx.json(&v);
            }
            Ok(case_text(ctx, &v))
        }
        CasesCommand::Validate { id } => {
            let views = stackmatrix_api::validate_cases(kb, lang, id.as_deref())?;
            match ctx.format {
                Format::Json => ctx.json(&views),
                Format::Csv | Format::Md => Ok(ctx.table(&verdict_table(&views))),
                Format::Table => {
                    let mut out = String::new();
                    for (i, v) in views.iter().enumerate() {
                        if i > 0 {
                            out.push('\n');
                        }
                        out.push_str(&report_text(ctx, v));
                    }
                    Ok(out)
                }
            }
        }
    }
}

/// One case as documented, as text.
fn case_text(ctx: &Ctx, v: &CaseView) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}) · scenario {} · {}",
        v.name, v.id, v.scenario, v.source
    );
    let _ = writeln!(out, "Scale: {}\n", v.scale);
    let mut t = Table::new(&[
        ("Member", Align::Left),
        ("Id", Align::Left),
        ("Version", Align::Left),
        ("Environment", Align::Left),
    ]);
    for m in &v.stack {
        t.push(vec![
            m.label.as_str().into(),
            m.tech.as_deref().unwrap_or("-").into(),
            m.version.as_deref().unwrap_or("-").into(),
            m.environment.as_deref().unwrap_or("-").into(),
        ]);
    }
    out.push_str(&ctx.table(&t));
    if !v.indicators.is_empty() {
        let _ = writeln!(out, "\nPerformance claims:");
        for i in &v.indicators {
            let _ = writeln!(
                out,
                "  {}: {} {} {}   ({})",
                i.name,
                i.comparator,
                short(i.value),
                i.unit,
                i.claim
            );
        }
    }
    if !v.maturity.is_empty() {
        let _ = writeln!(out, "\nMaturity claims:");
        for m in &v.maturity {
            let _ = writeln!(out, "  {} = {}   {}", m.concept, short(m.value), m.note);
        }
    }
    out
}

/// Every claim of every case as one row: the machine-readable form.
pub fn verdict_table(views: &[CaseReportView]) -> Table {
    let mut t = Table::new(&[
        ("case", Align::Left),
        ("kind", Align::Left),
        ("claim", Align::Left),
        ("claimed", Align::Right),
        ("model", Align::Right),
        ("verdict", Align::Left),
    ]);
    for v in views {
        for m in &v.maturity {
            t.push(vec![
                v.case.as_str().into(),
                "maturity".into(),
                m.concept.into(),
                short(m.claimed).into(),
                m.model.map(|x| format!("{x}")).unwrap_or_default().into(),
                m.verdict.into(),
            ]);
        }
        for i in &v.indicators {
            t.push(vec![
                v.case.as_str().into(),
                "indicator".into(),
                i.claim.as_str().into(),
                format!("{} {} {}", i.comparator, short(i.value), i.unit).into(),
                i.figure.map(|x| format!("{x}")).unwrap_or_default().into(),
                i.verdict.into(),
            ]);
        }
    }
    t
}

/// One case's checks as text.
pub fn report_text(ctx: &Ctx, v: &CaseReportView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({}) in scenario {}", v.name, v.case, v.scenario);
    let score = v
        .score
        .map(|s| format!("scores {}", fixed(s, 4)))
        .unwrap_or_else(|| "cannot be scored".into());
    let _ = writeln!(out, "Stack {}: {}", v.members.join(" + "), score);
    if !v.not_in_knowledge_base.is_empty() {
        let _ = writeln!(
            out,
            "  not in the knowledge base: {}",
            v.not_in_knowledge_base.join(", ")
        );
    }
    for p in &v.problems {
        let _ = writeln!(out, "  rule broken: {p}");
    }
    for e in &v.environments {
        let _ = writeln!(
            out,
            "  {:<12} {:<40} {}{}",
            e.scene,
            e.members.join(" + "),
            e.score.map(|s| fixed(s, 4)).unwrap_or_else(|| "-".into()),
            if e.problems.is_empty() {
                String::new()
            } else {
                format!("  ({})", e.problems.join("; "))
            }
        );
    }
    if !v.uncovered_scenes.is_empty() {
        let _ = writeln!(
            out,
            "  the case has no environment for {} (the score is the weighted mean over the environments it has)",
            v.uncovered_scenes.join(", ")
        );
    }
    if !v.maturity.is_empty() {
        let mut t = Table::new(&[
            ("Concept", Align::Left),
            ("Claimed", Align::Right),
            ("Model", Align::Right),
            ("Verdict", Align::Left),
            ("Document's reason", Align::Left),
        ]);
        for m in &v.maturity {
            t.push(vec![
                m.concept.into(),
                short(m.claimed).into(),
                m.model
                    .map(|x| Cell::shaded(fixed(x, 4), x))
                    .unwrap_or_else(|| "-".into()),
                m.verdict.into(),
                m.note.as_str().into(),
            ]);
        }
        out.push('\n');
        out.push_str(&ctx.table(&t));
    }
    if !v.indicators.is_empty() {
        let mut t = Table::new(&[
            ("Indicator", Align::Left),
            ("Claim", Align::Left),
            ("Knowledge base", Align::Right),
            ("Verdict", Align::Left),
            ("Why", Align::Left),
        ]);
        for i in &v.indicators {
            t.push(vec![
                i.name.as_str().into(),
                format!("{} {} {}", i.comparator, short(i.value), i.unit).into(),
                i.figure.map(short).unwrap_or_else(|| "-".into()).into(),
                i.verdict.into(),
                i.reason.as_str().into(),
            ]);
        }
        out.push('\n');
        out.push_str(&ctx.table(&t));
    }
    if v.maturity.is_empty() && v.indicators.is_empty() {
        let _ = writeln!(
            out,
            "  the document makes no maturity or performance claim for this case"
        );
    }
    out
}
