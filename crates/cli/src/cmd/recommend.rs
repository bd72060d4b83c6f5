//! `stackmatrix recommend`: the best stack under constraints, proven optimal, with its reasons.

use crate::args::{Format, RecommendArgs};
use crate::cmd::explain::note_normalisation;
use crate::cmd::rank::header_text;
use crate::cmd::scenario_input::scenario_from_args;
use crate::context::{fixed, short, Ctx};
use crate::error::{CliError, CliResult};
use crate::render::{Align, Cell, Table};
use crate::views::*;
use stackmatrix_engine::{
    constraint_effects, member_gains, rank_stacks, recommend_per_environment, recommend_stack,
    ConstraintKind, Constraints, PreparedScenario, ScoredStack, SearchError, StackRequirements,
};
use stackmatrix_model::{Claims, Concept, Technology};
use std::fmt::Write;

pub fn run(ctx: &Ctx, args: &RecommendArgs) -> CliResult<String> {
    let (scenario, source) = scenario_from_args(&ctx.kb, &args.scenario)?;
    note_normalisation(ctx, &scenario);
    if args.max_size == 0 {
        return Err(CliError::Usage(
            "--max-size: 0 allows no member; expected 1 or more".into(),
        ));
    }
    if let Some(b) = args.budget_mb {
        if !b.is_finite() || b < 0.0 {
            return Err(CliError::Usage(format!(
                "--budget-mb: {b} is not a memory budget; expected megabytes, 0 or more"
            )));
        }
    }
    let mut require: Vec<String> = source
        .map(|s| s.requirements.capabilities.clone())
        .unwrap_or_default();
    for r in &args.require {
        if !require.contains(r) {
            require.push(r.clone());
        }
    }
    let known_caps: Vec<&str> = {
        let mut v: Vec<&str> = ctx
            .kb
            .technologies
            .iter()
            .flat_map(|t| t.capabilities.iter().map(String::as_str))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    if let Some(unknown) = args
        .require
        .iter()
        .find(|r| !known_caps.contains(&r.as_str()))
    {
        return Err(CliError::Usage(format!(
            "--require: no technology brings '{unknown}'; capabilities in the knowledge base: {}",
            known_caps.join(", ")
        )));
    }
    let constraints = Constraints {
        max_size: args.max_size,
        budget_mb: args
            .budget_mb
            .or(source.and_then(|s| s.requirements.memory_mb_per_node)),
        require,
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        spans_environments: false,
        alternatives: args.alternatives.max(1),
    };
    let techs: Vec<&Technology> = ctx.kb.technologies.iter().collect();
    let spans = args.per_environment || source.is_some_and(|s| s.spans_environments);
    let claims = source.and_then(|s| s.claims.as_ref());
    let view = if spans {
        let shared = source
            .map(|s| s.requirements.shared.clone())
            .unwrap_or_default();
        per_environment_view(ctx, &techs, &scenario, &constraints, &shared, args, claims)?
    } else {
        single_view(ctx, &techs, &scenario, &constraints, claims)?
    };
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv | Format::Md => Ok(ctx.table(&stacks_table(ctx, &view))),
        Format::Table => Ok(text(ctx, &scenario, &view)),
    }
}

fn search_error(e: SearchError, ctx: &Ctx) -> CliError {
    match e {
        SearchError::UnknownId(id) => {
            let ids: Vec<&str> = ctx.kb.technologies.iter().map(|t| t.id.as_str()).collect();
            CliError::Usage(format!(
                "--include/--exclude: unknown technology '{id}'; expected one of: {}",
                ids.join(", ")
            ))
        }
        other => CliError::Usage(other.to_string()),
    }
}

fn constraints_view(c: &Constraints) -> ConstraintsView {
    ConstraintsView {
        max_size: c.max_size,
        budget_mb: c.budget_mb,
        require: c.require.clone(),
        include: c.include.clone(),
        exclude: c.exclude.clone(),
        alternatives: c.alternatives,
    }
}

fn single_view(
    ctx: &Ctx,
    techs: &[&Technology],
    scenario: &PreparedScenario,
    constraints: &Constraints,
    claims: Option<&Claims>,
) -> CliResult<RecommendView> {
    let params = &ctx.kb.tables.parameters;
    let result =
        recommend_stack(techs, scenario, params, constraints).map_err(|e| search_error(e, ctx))?;
    let best = result.stacks.first();
    let requirements = StackRequirements {
        capabilities: constraints.require.clone(),
        budget_mb: constraints.budget_mb,
        spans_environments: false,
    };
    let members = |s: &ScoredStack| -> Vec<&Technology> {
        s.members
            .iter()
            .filter_map(|m| ctx.kb.technology(m))
            .collect()
    };
    let gains = best
        .map(|b| member_gains(&members(b), scenario, params, &requirements))
        .unwrap_or_default()
        .into_iter()
        .map(|g| GainView {
            id: g.id,
            total: g.total,
            per_concept: g.per_concept.map(ConceptValues),
            needed_for: g.needed_for.iter().map(|p| p.to_string()).collect(),
        })
        .collect();
    let effects = constraint_effects(techs, scenario, params, constraints, best.map(|b| b.score))
        .map_err(|e| search_error(e, ctx))?;
    let mut notes = Vec::new();
    if best.is_none() {
        notes.push(
            "no stack meets the constraints; see constraint_effects for what each one costs".into(),
        );
    }
    Ok(RecommendView {
        scenario: ScenarioView::new(scenario, ctx.lang),
        constraints: constraints_view(constraints),
        stack: best.map(StackView::new),
        search: Some(SearchView::new(&result.stats)),
        alternatives: result.stacks.iter().skip(1).map(StackView::new).collect(),
        gains,
        constraint_effects: effects
            .iter()
            .map(|e| ConstraintView {
                constraint: constraint_label(&e.constraint),
                binds: e.binds,
                relaxed_best: e.relaxed_best.as_ref().map(StackView::new),
            })
            .collect(),
        claims: claims.map(|c| claimed_stack(ctx, c, scenario, &requirements, best)),
        environments: None,
        shared: None,
        notes,
    })
}

fn per_environment_view(
    ctx: &Ctx,
    techs: &[&Technology],
    scenario: &PreparedScenario,
    constraints: &Constraints,
    shared: &[String],
    args: &RecommendArgs,
    claims: Option<&Claims>,
) -> CliResult<RecommendView> {
    let params = &ctx.kb.tables.parameters;
    let plan = recommend_per_environment(
        techs,
        scenario,
        params,
        constraints,
        shared,
        args.max_shared,
    )
    .map_err(|e| search_error(e, ctx))?;
    let mut notes = Vec::new();
    if !plan.shared_missing.is_empty() {
        notes.push(format!(
            "no shared layer: {}",
            plan.shared_missing.join("; ")
        ));
    }
    let environments: Vec<EnvironmentView> = plan
        .environments
        .iter()
        .map(|e| EnvironmentView {
            scene: e.scene.key(),
            weight: e.weight,
            stack: e.result.stacks.first().map(StackView::new),
            score_with_shared: e.score_with_shared,
            alternatives: e.result.stacks.iter().skip(1).map(StackView::new).collect(),
            search: SearchView::new(&e.result.stats),
        })
        .collect();
    let complete = plan
        .environments
        .iter()
        .all(|e| !e.result.stacks.is_empty());
    if !complete {
        notes.push("some environment has no stack that meets the constraints".into());
    }
    let members: Vec<&Technology> = plan
        .members
        .iter()
        .filter_map(|m| ctx.kb.technology(m))
        .collect();
    let (memory_mb, memory_unknown) = stackmatrix_engine::stack_memory_mb(&members);
    let stack = complete.then(|| StackView {
        id: plan.members.join("+"),
        members: plan.members.clone(),
        score: plan.score,
        fit: ConceptValues(plan.fit),
        memory_mb,
        memory_unknown,
    });
    let requirements = StackRequirements {
        capabilities: constraints.require.clone(),
        budget_mb: None,
        spans_environments: true,
    };
    let claims = claims.map(|c| {
        let mut view = claimed_stack(ctx, c, scenario, &requirements, None);
        let claimed: Vec<&str> = c.stack.iter().filter_map(|m| m.tech.as_deref()).collect();
        // A stack's score is linear in the scene vector, so the claimed stack deployed in every
        // environment scores the weighted mean of its per-scene scores: the plan's own measure.
        view.difference = view.score.filter(|_| complete).map(|s| plan.score - s);
        view.same_as_recommended = view.not_in_knowledge_base.is_empty()
            && claimed.len() == plan.members.len()
            && plan.members.iter().all(|m| claimed.contains(&m.as_str()));
        view
    });
    Ok(RecommendView {
        scenario: ScenarioView::new(scenario, ctx.lang),
        constraints: constraints_view(constraints),
        stack,
        search: None,
        alternatives: Vec::new(),
        gains: Vec::new(),
        constraint_effects: Vec::new(),
        claims,
        environments: Some(environments),
        shared: plan.shared.as_ref().map(|s| SharedView {
            members: s.members.clone(),
            required: s.required.clone(),
            compared: s.compared,
        }),
        notes,
    })
}

/// The claimed stack of the source document, scored as a stack the user named.
fn claimed_stack(
    ctx: &Ctx,
    claims: &Claims,
    scenario: &PreparedScenario,
    requirements: &StackRequirements,
    best: Option<&ScoredStack>,
) -> ClaimedStackView {
    let members: Vec<&Technology> = claims
        .stack
        .iter()
        .filter_map(|m| m.tech.as_deref().and_then(|id| ctx.kb.technology(id)))
        .collect();
    let not_in_kb: Vec<String> = claims
        .stack
        .iter()
        .filter(|m| {
            m.tech
                .as_deref()
                .and_then(|id| ctx.kb.technology(id))
                .is_none()
        })
        .map(|m| m.label.clone())
        .collect();
    let id = members
        .iter()
        .map(|m| m.id.as_str())
        .collect::<Vec<_>>()
        .join("+");
    let (ranking, infeasible) = rank_stacks(
        &[(id, members.clone())],
        scenario,
        &ctx.kb.tables.parameters,
        requirements,
    );
    let score = ranking.entries.first().map(|e| e.score);
    let same = best.is_some_and(|b| {
        not_in_kb.is_empty()
            && b.members.len() == members.len()
            && members.iter().all(|m| b.members.contains(&m.id))
    });
    ClaimedStackView {
        source: claims.source.clone(),
        members: claims.stack.iter().map(StackMemberView::new).collect(),
        not_in_knowledge_base: not_in_kb,
        score,
        problems: infeasible
            .iter()
            .flat_map(|i| i.problems.iter().map(|p| p.to_string()))
            .collect(),
        difference: best.zip(score).map(|(b, s)| b.score - s),
        same_as_recommended: same,
    }
}

fn constraint_label(c: &ConstraintKind) -> String {
    match c {
        ConstraintKind::MaxSize(k) => format!("max-size {k}"),
        ConstraintKind::Budget(b) => format!("budget-mb {}", short(*b)),
        ConstraintKind::Require(r) => format!("require {r}"),
        ConstraintKind::Include(i) => format!("include {i}"),
        ConstraintKind::Exclude(e) => format!("exclude {e}"),
    }
}

/// The best stack and the alternatives as one table (CSV, Markdown).
fn stacks_table(ctx: &Ctx, view: &RecommendView) -> Table {
    let _ = ctx;
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

fn text(ctx: &Ctx, scenario: &PreparedScenario, view: &RecommendView) -> String {
    let mut out = String::new();
    let ranking_header = stackmatrix_engine::Ranking {
        scenario: scenario.clone(),
        entries: Vec::new(),
    };
    out.push_str(&header_text(ctx, &ranking_header));
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
            }
            None => {
                let _ = writeln!(out, "Best stack: none meets the constraints");
            }
        }
        if let Some(sv) = &view.search {
            let _ = writeln!(
                out,
                "Proven optimal: exact search over {} candidates, {} partial stacks visited, {} branches cut by the bound, {} feasible stacks scored.",
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
