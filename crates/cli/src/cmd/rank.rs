//! `stackmatrix rank`: the chains of the knowledge base ranked in a scenario.

use crate::args::{Format, RankArgs};
use crate::cmd::explain::{concept_table, explanation_text};
use crate::cmd::scenario_input::{note_normalisation, scenario_request};
use crate::context::{fixed, short, Ctx};
use crate::error::CliResult;
use crate::i18n::words;
use crate::render::{Align, Cell, Table};
use stackmatrix_api::request::{
    parse_cost_criteria, MethodRankRequest, RankRequest, ScenarioRequest,
};
use stackmatrix_api::views::{
    ClaimLineView, ClaimsView, MethodRankView, RankEntryView, RankView, ScenarioView,
};
use stackmatrix_model::{Concept, Lang, Scene};
use std::fmt::Write;

pub fn run(ctx: &Ctx, args: &RankArgs) -> CliResult<String> {
    let scenario = scenario_request(&ctx.kb, &args.scenario)?;
    note_normalisation(ctx, &scenario)?;
    if let Some(method) = &args.method {
        return run_method(ctx, args, scenario, method);
    }
    let req = RankRequest {
        scenario,
        explain: args.explain,
        stacks: args.stacks.as_deref().map(stack_specs),
    };
    let view = stackmatrix_api::rank(&ctx.kb, ctx.lang, &req)?;
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv | Format::Md => {
            let mut out = ctx.table(&machine_table(ctx, &view.ranking));
            if let Some(x) = &view.explanation {
                out.push('\n');
                out.push_str(&ctx.table(&concept_table(ctx, x)));
            }
            Ok(out)
        }
        Format::Table => Ok(text(ctx, &view)),
    }
}

/// `--stacks "k8s+istio,k3s"`: stacks separated by `,`, members joined by `+`. An empty stack
/// stays empty (the api refuses it); members keep their spaces, so a stack's id is its text.
pub fn stack_specs(list: &str) -> Vec<Vec<String>> {
    list.split(',')
        .map(str::trim)
        .map(|spec| {
            if spec.is_empty() {
                Vec::new()
            } else {
                spec.split('+').map(String::from).collect()
            }
        })
        .collect()
}

/// The ranking as text: the header, the table, the claims it could not show, the stacks that
/// are not stacks here, the tie note and the explanation.
fn text(ctx: &Ctx, view: &RankView) -> String {
    let mut out = header_text(ctx, &view.scenario);
    let claims = view.claims.as_ref().map(|c| c.ranking.as_slice());
    out.push_str(&ctx.table(&ranking_table(ctx, &view.ranking, claims)));
    if let Some(c) = &view.claims {
        out.push_str(&claims_text(ctx, c));
    }
    for i in view.infeasible.iter().flatten() {
        let _ = writeln!(out, "not a stack here: {}: {}", i.id, i.problems.join("; "));
    }
    if view.ranking.iter().any(|e| e.tied) {
        let _ = writeln!(out, "\n= {}", words(ctx.lang).tie_note);
    }
    if let Some(x) = &view.explanation {
        out.push('\n');
        out.push_str(&explanation_text(ctx, x));
    }
    out
}

/// The lines above a table: scenario, vector, time and weights.
pub fn header_text(ctx: &Ctx, s: &ScenarioView) -> String {
    let w = words(ctx.lang);
    let mut out = String::new();
    let title = match (&s.id, &s.name) {
        (Some(id), Some(n)) => format!("{} {id}: {n}", w.scenario),
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
    if let Some(note) = &s.theta_note {
        let _ = writeln!(out, "note: {note}\n");
    }
    out
}

fn ranking_table(ctx: &Ctx, entries: &[RankEntryView], claims: Option<&[ClaimLineView]>) -> Table {
    let w = words(ctx.lang);
    let mut columns = vec![
        (w.rank, Align::Right),
        (w.id, Align::Left),
        (w.technology, Align::Left),
        (w.score, Align::Right),
    ];
    if claims.is_some() {
        columns.push((w.claimed, Align::Left));
    }
    let mut t = Table::new(&columns);
    for e in entries {
        let rank = if e.tied {
            format!("={}", e.rank)
        } else {
            e.rank.to_string()
        };
        let mut row: Vec<Cell> = vec![
            rank.into(),
            e.id.as_str().into(),
            e.name.as_str().into(),
            Cell::shaded(fixed(e.score, 4), e.score / 10.0),
        ];
        if let Some(claims) = claims {
            let claim = claims
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

fn claim_text(c: &ClaimLineView) -> String {
    match (c.claimed_score, c.claimed_rank) {
        (Some(s), Some(r)) => format!("{s:.1} (#{r})"),
        (Some(s), None) => format!("{s:.1}"),
        (None, Some(r)) => format!("#{r}"),
        (None, None) => "-".into(),
    }
}

/// The claims the ranking table could not show: lines naming technologies the knowledge base does
/// not rank, the claimed stack, and where the claims come from.
fn claims_text(ctx: &Ctx, claims: &ClaimsView) -> String {
    let w = words(ctx.lang);
    let mut out = String::new();
    let _ = writeln!(out, "\n{} ({}):", w.seed_claims, claims.source);
    for c in claims.ranking.iter().filter(|c| c.computed_rank.is_none()) {
        let _ = writeln!(out, "  {}: {} — {}", c.label, claim_text(c), w.not_in_kb);
    }
    if !claims.stack.is_empty() {
        let labels: Vec<&str> = claims.stack.iter().map(|m| m.label.as_str()).collect();
        let _ = writeln!(out, "  {}: {}", w.stack, labels.join(" + "));
    }
    if !claims.ranking.is_empty() {
        let _ = writeln!(out, "  {}", w.claims_note);
    }
    out
}

/// The ranking with every fit value, for CSV and Markdown.
fn machine_table(ctx: &Ctx, entries: &[RankEntryView]) -> Table {
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
    for e in entries {
        let mut row: Vec<Cell> = vec![
            e.rank.to_string().into(),
            e.tied.to_string().into(),
            e.id.as_str().into(),
            e.name.as_str().into(),
            format!("{}", e.score).into(),
        ];
        row.extend(e.fit.0.iter().map(|f| Cell::from(format!("{f}"))));
        t.push(row);
    }
    t
}

/// Words of `rank --method`.
pub struct MethodWords {
    pub method: &'static str,
    pub higher: &'static str,
    pub lower: &'static str,
    pub left_out: &'static str,
    pub tie_note: &'static str,
    pub memory: &'static str,
}

pub fn method_words(lang: Lang) -> &'static MethodWords {
    const EN: MethodWords = MethodWords {
        method: "Method",
        higher:
            "higher score is better; scores are the method's preferences, not the model's 0 to 10",
        lower:
            "lower score is better; scores are the method's preferences, not the model's 0 to 10",
        left_out: "left out",
        tie_note: "Preferences within 1e-9 share a rank and are listed by id.",
        memory: "MB/node",
    };
    const ZH: MethodWords = MethodWords {
        method: "方法",
        higher: "得分越大越好；得分是该方法的偏好值，不是模型的 0 到 10 分",
        lower: "得分越小越好；得分是该方法的偏好值，不是模型的 0 到 10 分",
        left_out: "未参与排名",
        tie_note: "偏好值相差不超过 1e-9 视为并列，按标识排序。",
        memory: "MB/节点",
    };
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// `rank --method`: the scenario's decision matrix ranked by a multi-criteria method.
fn run_method(
    ctx: &Ctx,
    args: &RankArgs,
    scenario: ScenarioRequest,
    method: &str,
) -> CliResult<String> {
    let req = MethodRankRequest {
        scenario,
        stacks: args.stacks.as_deref().map(stack_specs),
        method: method.to_string(),
        cost_criteria: args
            .cost_criteria
            .as_deref()
            .map(parse_cost_criteria)
            .unwrap_or_default(),
    };
    let view = stackmatrix_api::rank_by_method(&ctx.kb, ctx.lang, &req)?;
    let mw = method_words(ctx.lang);
    // The table says this itself; machine output stays clean and the notes go to stderr.
    if ctx.format != Format::Table {
        for l in &view.left_out {
            say!("note: {}: {}: {}", mw.left_out, l.id, l.reason);
        }
    }
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv | Format::Md => Ok(ctx.table(&method_machine_table(ctx, &view))),
        Format::Table => {
            let w = words(ctx.lang);
            let mut out = header_text(ctx, &view.scenario);
            let direction = if view.higher_is_better {
                mw.higher
            } else {
                mw.lower
            };
            let _ = writeln!(out, "{}: {} ({direction})\n", mw.method, view.method);
            let mut columns = vec![
                (w.rank, Align::Right),
                (w.id, Align::Left),
                (w.technology, Align::Left),
                (w.score, Align::Right),
            ];
            let memory = view.ranking.iter().any(|e| e.memory_mb.is_some());
            if memory {
                columns.push((mw.memory, Align::Right));
            }
            let mut t = Table::new(&columns);
            for e in &view.ranking {
                let rank = if e.tied {
                    format!("={}", e.rank)
                } else {
                    e.rank.to_string()
                };
                let mut row: Vec<Cell> = vec![
                    rank.into(),
                    e.id.as_str().into(),
                    e.name.as_str().into(),
                    fixed(e.score, 4).into(),
                ];
                if let Some(m) = e.memory_mb {
                    row.push(short(m).into());
                }
                t.push(row);
            }
            out.push_str(&ctx.table(&t));
            for l in &view.left_out {
                let _ = writeln!(out, "{}: {}: {}", mw.left_out, l.id, l.reason);
            }
            for i in view.infeasible.iter().flatten() {
                let _ = writeln!(out, "not a stack here: {}: {}", i.id, i.problems.join("; "));
            }
            if view.ranking.iter().any(|e| e.tied) {
                let _ = writeln!(out, "\n= {}", mw.tie_note);
            }
            Ok(out)
        }
    }
}

/// `rank --method` with every fit value, for CSV and Markdown.
fn method_machine_table(ctx: &Ctx, view: &MethodRankView) -> Table {
    let w = words(ctx.lang);
    let memory = view.ranking.iter().any(|e| e.memory_mb.is_some());
    let mut columns = vec![
        ("rank", Align::Right),
        ("tied", Align::Left),
        ("id", Align::Left),
        (w.name, Align::Left),
        ("score", Align::Right),
    ];
    columns.extend(Concept::KEYS.iter().map(|k| (*k, Align::Right)));
    if memory {
        columns.push(("memory_mb", Align::Right));
    }
    let mut t = Table::new(&columns);
    for e in &view.ranking {
        let mut row: Vec<Cell> = vec![
            e.rank.to_string().into(),
            e.tied.to_string().into(),
            e.id.as_str().into(),
            e.name.as_str().into(),
            format!("{}", e.score).into(),
        ];
        row.extend(e.fit.0.iter().map(|f| Cell::from(format!("{f}"))));
        if let Some(m) = e.memory_mb {
            row.push(format!("{m}").into());
        }
        t.push(row);
    }
    t
}
