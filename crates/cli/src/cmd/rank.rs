//! `stackmatrix rank`: the chains of the knowledge base ranked in a scenario.

use crate::args::{Format, RankArgs};
use crate::cmd::explain::explanation_text;
use crate::cmd::scenario_input::scenario_from_args;
use crate::context::{fixed, short, Ctx};
use crate::error::CliResult;
use crate::i18n::words;
use crate::render::{Align, Cell, Table};
use crate::views::{ExplainView, RankView};
use stackmatrix_engine::{
    check_ranking_claims, explain, rank_technologies, Ranking, RankingClaimCheck,
};
use stackmatrix_model::{Concept, Scene};
use std::fmt::Write;

pub fn run(ctx: &Ctx, args: &RankArgs) -> CliResult<String> {
    let (scenario, source) = scenario_from_args(&ctx.kb, &args.scenario)?;
    let claims = source.and_then(|s| s.claims.as_ref());
    crate::cmd::explain::note_normalisation(ctx, &scenario);
    if let Some(list) = &args.stacks {
        return rank_named_stacks(ctx, list, &scenario, source);
    }
    let ranking = rank_technologies(ctx.kb.chains(), &scenario, &ctx.kb.tables.parameters);
    let checks = claims.map(|c| check_ranking_claims(&ranking, c));
    let top = ranking.entries.first().map(|e| e.id.clone());
    let explanation = match (&top, args.explain) {
        (Some(id), true) => explain(&ranking, id),
        _ => None,
    };
    match ctx.format {
        Format::Json => {
            let mut view = RankView::new(&ranking, claims.zip(checks), ctx.lang);
            view.explanation = explanation
                .as_ref()
                .map(|x| ExplainView::new(&ranking, x, &ctx.kb, ctx.lang));
            ctx.json(&view)
        }
        Format::Csv | Format::Md => {
            let mut out = ctx.table(&machine_table(ctx, &ranking));
            if let Some(x) = &explanation {
                out.push('\n');
                out.push_str(&ctx.table(&crate::cmd::explain::concept_table(ctx, x)));
            }
            Ok(out)
        }
        Format::Table => {
            let mut out = header_text(ctx, &ranking);
            out.push_str(&ctx.table(&ranking_table(ctx, &ranking, checks.as_deref())));
            if let (Some(c), Some(checks)) = (claims, &checks) {
                out.push_str(&claims_text(ctx, c, checks));
            }
            if ranking.entries.iter().any(|e| e.tied) {
                let _ = writeln!(out, "\n= {}", words(ctx.lang).tie_note);
            }
            if let Some(x) = &explanation {
                out.push('\n');
                out.push_str(&explanation_text(ctx, &ranking, x));
            }
            Ok(out)
        }
    }
}

/// The lines above a table: scenario, vector, time and weights.
pub fn header_text(ctx: &Ctx, ranking: &Ranking) -> String {
    let w = words(ctx.lang);
    let s = &ranking.scenario;
    let mut out = String::new();
    let title = match (&s.id, s.name()) {
        (Some(id), Some(n)) => format!("{} {id}: {}", w.scenario, n.get(ctx.lang)),
        _ => format!("{}: --vector", w.scenario),
    };
    let vector: Vec<String> = Scene::ALL
        .iter()
        .filter(|sc| s.vector[sc.index()] > 0.0)
        .map(|sc| format!("{} {}", sc.key(), short(s.vector[sc.index()])))
        .collect();
    let weights = if s.weights.iter().all(|x| *x == s.weights[0]) {
        w.weights_equal.to_string()
    } else {
        let parts: Vec<String> = Concept::ALL
            .iter()
            .map(|c| format!("{}={}", c.key(), short(s.weights[c.index()])))
            .collect();
        format!("{} {}", w.weights, parts.join(" "))
    };
    let _ = writeln!(out, "{title}");
    let _ = writeln!(
        out,
        "{}: {} · {} {} · {}\n",
        w.vector,
        vector.join(", "),
        w.time,
        s.time,
        weights
    );
    out
}

fn ranking_table(ctx: &Ctx, ranking: &Ranking, checks: Option<&[RankingClaimCheck]>) -> Table {
    let w = words(ctx.lang);
    let mut columns = vec![
        (w.rank, Align::Right),
        (w.id, Align::Left),
        (w.technology, Align::Left),
        (w.score, Align::Right),
    ];
    if checks.is_some() {
        columns.push((w.claimed, Align::Left));
    }
    let mut t = Table::new(&columns);
    for e in &ranking.entries {
        let rank = if e.tied {
            format!("={}", e.rank)
        } else {
            e.rank.to_string()
        };
        let mut row: Vec<Cell> = vec![
            rank.into(),
            e.id.as_str().into(),
            e.name.get(ctx.lang).into(),
            Cell::shaded(fixed(e.score, 4), e.score / 10.0),
        ];
        if let Some(checks) = checks {
            let claim = checks
                .iter()
                .find(|c| c.tech.as_deref() == Some(e.id.as_str()))
                .map(claim_text)
                .unwrap_or_else(|| "-".into());
            row.push(claim.into());
        }
        t.push(row);
    }
    t
}

fn claim_text(c: &RankingClaimCheck) -> String {
    match (c.claimed_score, c.claimed_rank) {
        (Some(s), Some(r)) => format!("{s:.1} (#{r})"),
        (Some(s), None) => format!("{s:.1}"),
        (None, Some(r)) => format!("#{r}"),
        (None, None) => "-".into(),
    }
}

/// The claims the ranking table could not show: lines naming technologies the knowledge base does
/// not rank, the claimed stack, and where the claims come from.
fn claims_text(
    ctx: &Ctx,
    claims: &stackmatrix_model::Claims,
    checks: &[RankingClaimCheck],
) -> String {
    let w = words(ctx.lang);
    let mut out = String::new();
    let _ = writeln!(out, "\n{} ({}):", w.seed_claims, claims.source);
    for c in checks.iter().filter(|c| c.computed_rank.is_none()) {
        let _ = writeln!(out, "  {}: {} — {}", c.label, claim_text(c), w.not_in_kb);
    }
    if !claims.stack.is_empty() {
        let labels: Vec<&str> = claims.stack.iter().map(|m| m.label.as_str()).collect();
        let _ = writeln!(out, "  {}: {}", w.stack, labels.join(" + "));
    }
    if !checks.is_empty() {
        let _ = writeln!(out, "  {}", w.claims_note);
    }
    out
}

/// The ranking with every fit value, for CSV and Markdown.
fn machine_table(ctx: &Ctx, ranking: &Ranking) -> Table {
    let w = words(ctx.lang);
    let mut columns = vec![
        ("rank", Align::Right),
        ("tied", Align::Left),
        ("id", Align::Left),
        (w.name, Align::Left),
        ("score", Align::Right),
    ];
    columns.extend(Concept::KEYS.iter().map(|k| (*k, Align::Right)));
    let mut t = Table::new(&columns);
    for e in &ranking.entries {
        let mut row: Vec<Cell> = vec![
            e.rank.to_string().into(),
            e.tied.to_string().into(),
            e.id.as_str().into(),
            e.name.get(ctx.lang).into(),
            format!("{}", e.score).into(),
        ];
        row.extend(e.fit.iter().map(|f| Cell::from(format!("{f}"))));
        t.push(row);
    }
    t
}

/// `rank --stacks "k8s+istio,k8s"`: the named stacks ranked by the composition rule.
fn rank_named_stacks(
    ctx: &Ctx,
    list: &str,
    scenario: &stackmatrix_engine::PreparedScenario,
    source: Option<&stackmatrix_model::Scenario>,
) -> CliResult<String> {
    let mut stacks: Vec<(String, Vec<&stackmatrix_model::Technology>)> = Vec::new();
    for spec in list.split(',').map(str::trim) {
        if spec.is_empty() {
            return Err(crate::error::CliError::Usage(
                "--stacks: an empty stack; expected stacks separated by ',' with members joined by '+', e.g. k8s+istio,k3s".into(),
            ));
        }
        let mut members = Vec::new();
        for id in spec.split('+').map(str::trim) {
            let t = ctx.kb.technology(id).ok_or_else(|| {
                let ids: Vec<&str> = ctx.kb.technologies.iter().map(|t| t.id.as_str()).collect();
                crate::error::CliError::Usage(format!(
                    "--stacks: unknown technology '{id}' in '{spec}'; expected one of: {}",
                    ids.join(", ")
                ))
            })?;
            members.push(t);
        }
        if stacks.iter().any(|(s, _)| s == spec) {
            return Err(crate::error::CliError::Usage(format!(
                "--stacks: '{spec}' is named twice"
            )));
        }
        stacks.push((spec.to_string(), members));
    }
    let requirements = stackmatrix_engine::StackRequirements {
        capabilities: source
            .map(|s| s.requirements.capabilities.clone())
            .unwrap_or_default(),
        budget_mb: source.and_then(|s| s.requirements.memory_mb_per_node),
        spans_environments: source.is_some_and(|s| s.spans_environments),
    };
    let (ranking, infeasible) = stackmatrix_engine::rank_stacks(
        &stacks,
        scenario,
        &ctx.kb.tables.parameters,
        &requirements,
    );
    let infeasible_views: Vec<crate::views::InfeasibleView> = infeasible
        .iter()
        .map(|i| crate::views::InfeasibleView {
            id: i.id.clone(),
            problems: i.problems.iter().map(|p| p.to_string()).collect(),
        })
        .collect();
    match ctx.format {
        Format::Json => {
            let mut view = RankView::new(&ranking, None, ctx.lang);
            view.infeasible = Some(infeasible_views);
            ctx.json(&view)
        }
        Format::Csv | Format::Md => Ok(ctx.table(&machine_table(ctx, &ranking))),
        Format::Table => {
            let mut out = header_text(ctx, &ranking);
            out.push_str(&ctx.table(&ranking_table(ctx, &ranking, None)));
            for i in &infeasible_views {
                let _ = writeln!(out, "not a stack here: {}: {}", i.id, i.problems.join("; "));
            }
            if ranking.entries.iter().any(|e| e.tied) {
                let _ = writeln!(out, "\n= {}", words(ctx.lang).tie_note);
            }
            Ok(out)
        }
    }
}
