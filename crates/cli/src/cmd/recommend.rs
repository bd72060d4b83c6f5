//! `stackmatrix recommend`: the best stack under constraints, proven optimal, with its reasons.

use crate::args::{Format, RecommendArgs};
use crate::cmd::rank::header_text;
use crate::cmd::scenario_input::{note_normalisation, scenario_request};
use crate::context::{fixed, short, Ctx};
use crate::error::{CliError, CliResult};
use crate::render::{Align, Cell, Table};
use stackmatrix_api::request::RecommendRequest;
use stackmatrix_api::views::*;
use stackmatrix_api::ApiError;
use stackmatrix_model::Concept;
use std::fmt::Write;

pub fn run(ctx: &Ctx, args: &RecommendArgs) -> CliResult<String> {
    let scenario = scenario_request(&ctx.kb, &args.scenario)?;
    note_normalisation(ctx, &scenario)?;
    let req = RecommendRequest {
        scenario,
        max_size: args.max_size,
        budget_mb: args.budget_mb,
        require: args.require.clone(),
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        alternatives: args.alternatives,
        per_environment: args.per_environment,
        max_shared: args.max_shared,
        min_cost: args.min_cost,
        min_score: args.min_score,
        allow_unknown_memory: args.allow_unknown_memory,
    };
    let view = stackmatrix_api::recommend(&ctx.kb, ctx.lang, &req).map_err(|e| match e {
        // An unknown id can only come from --include or --exclude; the search's other
        // complaints about them say so in their own words.
        ApiError::NotFound {
            what: "technology", ..
        } => CliError::api(e, Some("--include/--exclude")),
        ApiError::BadInput {
            field: "include" | "exclude",
            ..
        } => CliError::api(e, None),
        e => e.into(),
    })?;
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv | Format::Md => Ok(ctx.table(&stacks_table(&view))),
        Format::Table => Ok(text(ctx, &view)),
    }
}

/// The best stack and the alternatives as one table (CSV, Markdown).
fn stacks_table(view: &RecommendView) -> Table {
    let mut t = Table::new(&[
        ("rank", Align::Right),
        ("stack", Align::Left),
        ("score", Align::Right),
        ("members", Align::Right),
        ("memory_mb", Align::Right),
    ]);
    let rows = view.stack.iter().chain(&view.alternatives);
    for (i, s) in rows.enumerate() {
        t.push(vec![
            (i + 1).to_string().into(),
            s.id.as_str().into(),
            format!("{}", s.score).into(),
            s.members.len().to_string().into(),
            short(s.memory_mb).into(),
        ]);
    }
    if let Some(envs) = &view.environments {
        for e in envs {
            if let Some(s) = &e.stack {
                t.push(vec![
                    e.scene.into(),
                    s.id.as_str().into(),
                    format!("{}", s.score).into(),
                    s.members.len().to_string().into(),
                    short(s.memory_mb).into(),
                ]);
            }
        }
    }
    t
}

/// The recommendation as text. Member names are the knowledge base's, in the chosen language.
fn text(ctx: &Ctx, view: &RecommendView) -> String {
    let mut out = header_text(ctx, &view.scenario);
    let c = &view.constraints;
    let mut cons = vec![format!("max-size {}", c.max_size)];
    if let Some(b) = c.budget_mb {
        cons.push(format!("budget {} MB/node", short(b)));
    }
    if !c.require.is_empty() {
        cons.push(format!("require {}", c.require.join(", ")));
    }
    if !c.include.is_empty() {
        cons.push(format!("include {}", c.include.join(", ")));
    }
    if !c.exclude.is_empty() {
        cons.push(format!("exclude {}", c.exclude.join(", ")));
    }
    let _ = writeln!(out, "Constraints: {}\n", cons.join(" · "));
    if let Some(m) = &view.min_cost {
        out.push_str(&crate::cmd::recommend_cost::text(ctx, view, m));
        return out;
    }
    let name_of = |id: &str| {
        ctx.kb
            .technology(id)
            .map(|t| t.name.get(ctx.lang).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    let stack_line = |s: &StackView| {
        let names: Vec<String> = s.members.iter().map(|m| name_of(m)).collect();
        let mut mem = format!("{} MB/node", short(s.memory_mb));
        if !s.memory_unknown.is_empty() {
            let _ = write!(mem, ", memory unknown for {}", s.memory_unknown.join(", "));
        }
        format!(
            "{}  score {}  ({mem})",
            names.join(" + "),
            fixed(s.score, 4)
        )
    };
    if let Some(envs) = &view.environments {
        let _ = writeln!(
            out,
            "Per environment (each weighted scene is its own environment):"
        );
        let mut t = Table::new(&[
            ("Scene", Align::Left),
            ("Weight", Align::Right),
            ("Sub-stack", Align::Left),
            ("Score", Align::Right),
            ("With shared", Align::Right),
        ]);
        for e in envs {
            t.push(vec![
                e.scene.into(),
                short(e.weight).into(),
                e.stack
                    .as_ref()
                    .map(|s| s.members.join(" + "))
                    .unwrap_or_else(|| "(none feasible)".into())
                    .into(),
                e.stack
                    .as_ref()
                    .map(|s| fixed(s.score, 4))
                    .unwrap_or_else(|| "-".into())
                    .into(),
                e.score_with_shared
                    .map(|x| fixed(x, 4))
                    .unwrap_or_else(|| "-".into())
                    .into(),
            ]);
        }
        out.push_str(&ctx.table(&t));
        match &view.shared {
            Some(s) => {
                let _ = writeln!(
                    out,
                    "\nShared layers: {}  (bring {}; best of {} sets compared)",
                    s.members
                        .iter()
                        .map(|m| name_of(m))
                        .collect::<Vec<_>>()
                        .join(" + "),
                    s.required.join(", "),
                    s.compared
                );
            }
            None => {
                let _ = writeln!(out, "\nShared layers: none");
            }
        }
        if let Some(s) = &view.stack {
            let _ = writeln!(
                out,
                "Whole plan: {} members, weighted score {}",
                s.members.len(),
                fixed(s.score, 4)
            );
        }
    } else {
        match &view.stack {
            Some(s) => {
                let _ = writeln!(out, "Best stack: {}", stack_line(s));
                // Equal scores are ordered by size, memory and ids; say so rather than imply a
                // winner.
                let tied: Vec<String> = view
                    .alternatives
                    .iter()
                    .filter(|a| view.tied_with_best.contains(&a.id))
                    .map(|a| a.members.join(" + "))
                    .collect();
                if !tied.is_empty() {
                    let _ = writeln!(
                        out,
                        "Tied at the same score (ordered by fewer members, less memory, then ids): {}",
                        tied.join("; ")
                    );
                }
            }
            None => {
                let _ = writeln!(out, "Best stack: none meets the constraints");
            }
        }
        if let Some(sv) = &view.search {
            let _ = writeln!(
                out,
                "Proven optimal: exact search over {} candidates, {} partial stacks visited, {} branches cut by the bound or the stack rules, {} feasible stacks scored.",
                sv.candidates, sv.nodes, sv.pruned, sv.feasible
            );
        }
        if !view.gains.is_empty() {
            let _ = writeln!(
                out,
                "\nWhat each member adds (score lost without it, by concept):"
            );
            let mut cols = vec![("Member", Align::Left), ("Total", Align::Right)];
            cols.extend(Concept::ALL.iter().map(|c| (c.symbol(), Align::Right)));
            cols.push(("Needed for", Align::Left));
            let mut t = Table::new(&cols);
            for g in &view.gains {
                let mut row: Vec<Cell> = vec![
                    g.id.as_str().into(),
                    g.total
                        .map(|x| fixed(x, 4))
                        .unwrap_or_else(|| "-".into())
                        .into(),
                ];
                for c in Concept::ALL {
                    row.push(
                        g.per_concept
                            .as_ref()
                            .map(|p| {
                                let x = p.0[c.index()];
                                if x.abs() < 5e-5 {
                                    ".".to_string()
                                } else {
                                    fixed(x, 3)
                                }
                            })
                            .unwrap_or_else(|| "-".into())
                            .into(),
                    );
                }
                row.push(g.needed_for.join("; ").into());
                t.push(row);
            }
            out.push_str(&ctx.table(&t));
        }
        if !view.alternatives.is_empty() {
            let _ = writeln!(out, "\nNext best:");
            let mut t = Table::new(&[
                ("#", Align::Right),
                ("Stack", Align::Left),
                ("Score", Align::Right),
                ("Behind", Align::Right),
                ("MB/node", Align::Right),
            ]);
            let best = view.stack.as_ref().map_or(0.0, |s| s.score);
            for (i, s) in view.alternatives.iter().enumerate() {
                t.push(vec![
                    (i + 2).to_string().into(),
                    s.members.join(" + ").into(),
                    fixed(s.score, 4).into(),
                    fixed(best - s.score, 4).into(),
                    short(s.memory_mb).into(),
                ]);
            }
            out.push_str(&ctx.table(&t));
        }
        if !view.constraint_effects.is_empty() {
            let _ = writeln!(out, "\nConstraints:");
            for e in &view.constraint_effects {
                let what = match (&e.relaxed_best, e.binds) {
                    (Some(r), true) => format!(
                        "binds: without it {} scores {}",
                        r.members.join(" + "),
                        fixed(r.score, 4)
                    ),
                    (_, false) => "does not bind".to_string(),
                    (None, true) => "binds".to_string(),
                };
                let _ = writeln!(out, "  {:<22} {what}", e.constraint);
            }
        }
    }
    if let Some(c) = &view.claims {
        let labels: Vec<&str> = c.members.iter().map(|m| m.label.as_str()).collect();
        let _ = writeln!(
            out,
            "\nThe seed's stack ({}): {}",
            c.source,
            labels.join(" + ")
        );
        if !c.not_in_knowledge_base.is_empty() {
            let _ = writeln!(
                out,
                "  not in the knowledge base: {}",
                c.not_in_knowledge_base.join(", ")
            );
        }
        match (c.score, c.problems.is_empty()) {
            (Some(s), true) => {
                let _ = write!(out, "  scores {} as a stack here", fixed(s, 4));
                if let Some(d) = c.difference {
                    let _ = write!(out, "; the recommendation is {} higher", fixed(d, 4));
                }
                let _ = writeln!(
                    out,
                    "{}",
                    if c.same_as_recommended {
                        " (same members)"
                    } else {
                        ""
                    }
                );
            }
            _ => {
                let _ = writeln!(out, "  is not a stack here: {}", c.problems.join("; "));
            }
        }
    }
    for n in &view.notes {
        let _ = writeln!(out, "note: {n}");
    }
    out
}
