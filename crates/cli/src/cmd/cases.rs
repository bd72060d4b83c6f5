//! `stackmatrix cases list|show|validate`.

use crate::args::{CasesCommand, Format};
use crate::context::{fixed, short, Ctx};
use crate::error::{CliError, CliResult};
use crate::render::{Align, Cell, Table};
use crate::views::CaseReportView;
use serde::Serialize;
use stackmatrix_engine::validate_case;
use stackmatrix_model::PracticeCase;
use std::fmt::Write;

#[derive(Serialize)]
struct CaseMemberView<'a> {
    label: &'a str,
    tech: Option<&'a str>,
    version: Option<&'a str>,
    environment: Option<&'a str>,
}

#[derive(Serialize)]
struct CaseView<'a> {
    id: &'a str,
    name: &'a str,
    scenario: &'a str,
    source: &'a str,
    scale: &'a str,
    stack: Vec<CaseMemberView<'a>>,
    indicators: Vec<IndicatorClaimView<'a>>,
    maturity: Vec<MaturityClaimView<'a>>,
}

#[derive(Serialize)]
struct IndicatorClaimView<'a> {
    name: &'a str,
    claim: &'a str,
    comparator: &'static str,
    value: f64,
    unit: &'a str,
    metric: Option<&'a str>,
    baseline: Option<&'a str>,
}

#[derive(Serialize)]
struct MaturityClaimView<'a> {
    concept: &'static str,
    value: f64,
    note: &'a str,
}

fn case_view<'a>(ctx: &Ctx, c: &'a PracticeCase) -> CaseView<'a> {
    let lang = ctx.lang;
    CaseView {
        id: &c.id,
        name: c.name.get(lang),
        scenario: &c.scenario,
        source: &c.source,
        scale: c.scale.get(lang),
        stack: c
            .stack
            .iter()
            .map(|m| CaseMemberView {
                label: &m.label,
                tech: m.tech.as_deref(),
                version: m.version.as_deref(),
                environment: m.environment.as_deref(),
            })
            .collect(),
        indicators: c
            .indicators
            .iter()
            .map(|i| IndicatorClaimView {
                name: i.name.get(lang),
                claim: &i.claim,
                comparator: i.comparator.symbol(),
                value: i.value,
                unit: &i.unit,
                metric: i.metric.as_deref(),
                baseline: i.baseline.as_deref(),
            })
            .collect(),
        maturity: c
            .maturity
            .iter()
            .map(|m| MaturityClaimView {
                concept: m.concept.key(),
                value: m.value,
                note: m.note.get(lang),
            })
            .collect(),
    }
}

fn find<'a>(ctx: &'a Ctx, id: &str) -> CliResult<&'a PracticeCase> {
    ctx.kb.case(id).ok_or_else(|| {
        let ids: Vec<&str> = ctx.kb.cases.iter().map(|c| c.id.as_str()).collect();
        CliError::Usage(format!(
            "unknown case '{id}'; expected one of: {}",
            ids.join(", ")
        ))
    })
}

pub fn run(ctx: &Ctx, cmd: &CasesCommand) -> CliResult<String> {
    match cmd {
        CasesCommand::List => {
            let views: Vec<CaseView> = ctx.kb.cases.iter().map(|c| case_view(ctx, c)).collect();
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
                let labels: Vec<&str> = v.stack.iter().map(|m| m.label).collect();
                t.push(vec![
                    v.id.into(),
                    v.scenario.into(),
                    v.name.into(),
                    labels.join(" + ").into(),
                    (v.indicators.len() + v.maturity.len()).to_string().into(),
                ]);
            }
            Ok(ctx.table(&t))
        }
        CasesCommand::Show { id } => {
            let c = find(ctx, id)?;
            let v = case_view(ctx, c);
            if ctx.format == Format::Json {
                return ctx.json(&v);
            }
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
                    m.label.into(),
                    m.tech.unwrap_or("-").into(),
                    m.version.unwrap_or("-").into(),
                    m.environment.unwrap_or("-").into(),
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
            Ok(out)
        }
        CasesCommand::Validate { id } => {
            let cases: Vec<&PracticeCase> = match id {
                Some(id) => vec![find(ctx, id)?],
                None => ctx.kb.cases.iter().collect(),
            };
            let mut views = Vec::new();
            for c in cases {
                let report =
                    validate_case(c, &ctx.kb).map_err(|e| CliError::Usage(e.to_string()))?;
                views.push(CaseReportView::new(&report, &ctx.kb, ctx.lang));
            }
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
