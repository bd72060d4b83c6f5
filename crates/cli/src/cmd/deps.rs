//! `stackmatrix deps`: the dependency relation between concepts (row depends on column), its
//! closure, groups and critical chains; one concept's dependencies (`--concept`); and whether a
//! stack covers what a scenario's concepts depend on (`--scenario X --stack a,b`).

use crate::args::{Format, ScenarioArgs, TimeArg};
use crate::cmd::rank::header_text;
use crate::cmd::scenario_input::{note_normalisation, scenario_request};
use crate::context::{fixed, short, Ctx};
use crate::error::{CliError, CliResult};
use crate::i18n::{relation_words, words};
use crate::render::{Align, Cell, Table};
use clap::Args;
use stackmatrix_api::{
    DepsAnswer, DepsConceptView, DepsCoverageView, DepsLinkView, DepsRequest, DepsView,
    DEFAULT_MIN_FIT,
};
use stackmatrix_model::{Concept, CONCEPT_COUNT};
use std::fmt::Write;

/// `deps`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").args(["scenario", "vector"]).multiple(false)))]
pub struct DepsArgs {
    /// One concept (I, C, Q, R, M, V, L, S, B, P, T, Theta): what it depends on and what depends on it.
    #[arg(long, value_name = "KEY", value_parser = crate::args::non_empty, conflicts_with_all = ["scenario", "vector", "tech", "stack"])]
    pub concept: Option<String>,

    /// The coverage check's scenario (with --tech or --stack).
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty)]
    pub scenario: Option<String>,

    /// The coverage check's scene vector: 6 numbers (dev,ci,prod,edge,serverless,multitenant) or SCENE=VALUE pairs.
    #[arg(long, value_name = "V1,..,V6", allow_hyphen_values = true)]
    pub vector: Option<String>,

    /// Concept weights: the concepts weighed more than 0 are the ones checked [default: the scenario's, else all].
    #[arg(long, value_name = "W", allow_hyphen_values = true)]
    pub weights: Option<String>,

    /// Time slice of the fit [default: the scenario's, else static].
    #[arg(long, value_enum)]
    pub time: Option<TimeArg>,

    /// The technology whose coverage is checked.
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty, conflicts_with = "stack")]
    pub tech: Option<String>,

    /// The stack whose coverage is checked: technology ids separated by ',' (k3s,wasmedge).
    #[arg(long, value_name = "IDS", value_parser = crate::args::non_empty)]
    pub stack: Option<String>,

    /// A concept is covered when its fit in the scenario is at least this (0 to 1).
    #[arg(long, value_name = "F", default_value_t = DEFAULT_MIN_FIT)]
    pub min_fit: f64,
}

pub fn run(ctx: &Ctx, args: &DepsArgs) -> CliResult<String> {
    let has_scenario = args.scenario.is_some() || args.vector.is_some();
    if !has_scenario && (args.tech.is_some() || args.stack.is_some()) {
        return Err(CliError::Usage(
            "--tech and --stack check a scenario's coverage: add --scenario ID or --vector V"
                .into(),
        ));
    }
    let scenario = if has_scenario {
        let s = ScenarioArgs {
            scenario: args.scenario.clone(),
            vector: args.vector.clone(),
            weights: args.weights.clone(),
            time: args.time,
        };
        let req = scenario_request(&ctx.kb, &s)?;
        note_normalisation(ctx, &req)?;
        req
    } else {
        if args.weights.is_some() || args.time.is_some() {
            return Err(CliError::Usage(
                "--weights and --time belong to the coverage check: add --scenario ID and --tech or --stack".into(),
            ));
        }
        Default::default()
    };
    let req = DepsRequest {
        scenario,
        concept: args.concept.clone(),
        tech: args.tech.clone(),
        stack: args
            .stack
            .as_deref()
            .map(|s| s.split(',').map(|m| m.trim().to_string()).collect()),
        min_fit: args.min_fit,
    };
    let answer = stackmatrix_api::deps(&ctx.kb, ctx.lang, &req)?;
    if ctx.format == Format::Json {
        return ctx.json(&answer);
    }
    Ok(match &answer {
        DepsAnswer::Relation(v) => relation(ctx, v),
        DepsAnswer::Concept(v) => concept(ctx, v),
        DepsAnswer::Coverage(v) => coverage(ctx, v),
    })
}

fn symbol(key: &str) -> &'static str {
    Concept::from_key(key).map_or("?", Concept::symbol)
}

fn chain(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| symbol(k))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The whole analysis: the matrix with the closure, each concept's depth and critical chain,
/// the groups, the mutual pairs and the critical chains.
fn relation(ctx: &Ctx, v: &DepsView) -> String {
    let w = words(ctx.lang);
    let r = relation_words(ctx.lang);
    // CSV and Markdown: one row per concept, numbers and keys only.
    if ctx.format != Format::Table {
        let mut t = Table::new(&[
            ("concept", Align::Left),
            ("name", Align::Left),
            ("depends_on", Align::Left),
            ("depends_on_transitively", Align::Right),
            ("required_by", Align::Left),
            ("depth", Align::Right),
            ("critical_chain", Align::Left),
        ]);
        for (i, c) in v.concepts.iter().enumerate() {
            let direct: Vec<&str> = (0..CONCEPT_COUNT)
                .filter(|&j| v.relation[i][j] == 1)
                .map(|j| v.concepts[j].key)
                .collect();
            let by: Vec<&str> = (0..CONCEPT_COUNT)
                .filter(|&j| v.relation[j][i] == 1)
                .map(|j| v.concepts[j].key)
                .collect();
            // Other concepts it depends on through any chain (itself left out, as `deps --concept`).
            let transitive = (0..CONCEPT_COUNT)
                .filter(|&j| j != i && v.closure[i][j] == 1)
                .count();
            t.push(vec![
                c.key.into(),
                c.name.as_str().into(),
                direct.join(" ").into(),
                transitive.to_string().into(),
                by.join(" ").into(),
                v.depths[i].depth.to_string().into(),
                v.depths[i].chain.join(" ").into(),
            ]);
        }
        return ctx.table(&t);
    }
    let mut out = String::new();
    let _ = writeln!(out, "{}\n{}\n{}\n", r.deps_title, r.direction, r.legend);
    let headers: Vec<String> = std::iter::once(w.concept.to_string())
        .chain(std::iter::once(w.name.to_string()))
        .chain(v.concepts.iter().map(|c| c.symbol.to_string()))
        .chain([r.depth.to_string(), r.critical_chain.to_string()])
        .collect();
    let mut columns: Vec<(&str, Align)> =
        vec![(&headers[0], Align::Left), (&headers[1], Align::Left)];
    columns.extend(
        headers[2..2 + CONCEPT_COUNT]
            .iter()
            .map(|h| (h.as_str(), Align::Right)),
    );
    columns.push((&headers[2 + CONCEPT_COUNT], Align::Right));
    columns.push((&headers[3 + CONCEPT_COUNT], Align::Left));
    let mut t = Table::new(&columns);
    for (i, c) in v.concepts.iter().enumerate() {
        let mut row: Vec<Cell> = vec![c.symbol.into(), c.name.as_str().into()];
        for j in 0..CONCEPT_COUNT {
            let mark = match (v.relation[i][j], v.closure[i][j]) {
                (1, _) => "1",
                (_, 1) => "+",
                _ => ".",
            };
            row.push(mark.into());
        }
        row.push(v.depths[i].depth.to_string().into());
        row.push(chain(&v.depths[i].chain).into());
        t.push(row);
    }
    out.push_str(&ctx.table(&t));
    let _ = writeln!(out, "\n{}:", r.groups);
    for (p, g) in v.groups.iter().enumerate() {
        let members: Vec<&str> = g.concepts.iter().map(|k| symbol(k)).collect();
        let deps: Vec<String> = g.depends_on.iter().map(|d| format!("#{}", d + 1)).collect();
        let _ = writeln!(
            out,
            "  #{} [{}]{} {} {}{}",
            p + 1,
            members.join(" "),
            if g.cyclic {
                format!(" {}", r.cyclic)
            } else {
                String::new()
            },
            r.level,
            g.level,
            if deps.is_empty() {
                String::new()
            } else {
                format!(" → {}", deps.join(", "))
            }
        );
    }
    let group_chain: Vec<String> = v
        .group_chain
        .iter()
        .map(|g| format!("#{}", g + 1))
        .collect();
    let _ = writeln!(out, "{}: {}", r.group_chain, group_chain.join(" → "));
    let mutual: Vec<String> = v
        .mutual
        .iter()
        .map(|[a, b]| format!("{}↔{}", symbol(a), symbol(b)))
        .collect();
    let _ = writeln!(out, "{} ({}): {}", r.mutual, mutual.len(), mutual.join(" "));
    let _ = writeln!(
        out,
        "{} ({} {}):",
        r.critical_chains, v.critical.depth, r.links_lower
    );
    for c in &v.critical.chains {
        let _ = writeln!(out, "  {}", chain(c));
    }
    let _ = writeln!(out, "\n{}", v.summary);
    out
}

fn links_table(ctx: &Ctx, links: &[DepsLinkView]) -> Table {
    let w = words(ctx.lang);
    let r = relation_words(ctx.lang);
    let mut t = Table::new(&[
        (w.concept, Align::Left),
        (w.name, Align::Left),
        (r.links, Align::Right),
        (r.chain, Align::Left),
    ]);
    for l in links {
        let concept = if ctx.format == Format::Table {
            symbol(l.concept)
        } else {
            l.concept
        };
        let path = if ctx.format == Format::Table {
            chain(&l.chain)
        } else {
            l.chain.join(" ")
        };
        t.push(vec![
            concept.into(),
            l.name.as_str().into(),
            l.distance.to_string().into(),
            path.into(),
        ]);
    }
    t
}

/// One concept: what it depends on and what depends on it.
fn concept(ctx: &Ctx, v: &DepsConceptView) -> String {
    let r = relation_words(ctx.lang);
    if ctx.format != Format::Table {
        // One table: direction (depends_on / required_by), concept, links, chain.
        let mut t = Table::new(&[
            ("direction", Align::Left),
            ("concept", Align::Left),
            ("name", Align::Left),
            ("links", Align::Right),
            ("chain", Align::Left),
        ]);
        for (dir, links) in [
            ("depends_on", &v.depends_on),
            ("required_by", &v.required_by),
        ] {
            for l in links {
                t.push(vec![
                    dir.into(),
                    l.concept.into(),
                    l.name.as_str().into(),
                    l.distance.to_string().into(),
                    l.chain.join(" ").into(),
                ]);
            }
        }
        return ctx.table(&t);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} — {}\n{}\n",
        v.concept.symbol, v.concept.name, r.deps_title, r.direction
    );
    let _ = writeln!(out, "{}:", r.depends_on);
    out.push_str(&ctx.table(&links_table(ctx, &v.depends_on)));
    let _ = writeln!(out, "\n{}:", r.required_by);
    out.push_str(&ctx.table(&links_table(ctx, &v.required_by)));
    let group: Vec<&str> = v.group.iter().map(|k| symbol(k)).collect();
    let _ = writeln!(
        out,
        "\n{}: [{}]{}",
        r.group,
        group.join(" "),
        if v.cyclic {
            format!(" ({})", r.cyclic)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "{} ({} {}): {}",
        r.critical_chain,
        v.critical.depth,
        r.links_lower,
        chain(&v.critical.chain)
    );
    let _ = writeln!(out, "\n{}", v.summary);
    out
}

/// The coverage check: every uncovered dependency with who needs it and through which chain.
fn coverage(ctx: &Ctx, v: &DepsCoverageView) -> String {
    let w = words(ctx.lang);
    let r = relation_words(ctx.lang);
    let plain = ctx.format != Format::Table;
    let mut t = Table::new(&[
        (if plain { "uncovered" } else { r.uncovered }, Align::Left),
        (if plain { "name" } else { w.name }, Align::Left),
        (if plain { "fit" } else { w.fit }, Align::Right),
        (if plain { "needed_by" } else { r.needed_by }, Align::Left),
        (if plain { "chain" } else { r.chain }, Align::Left),
    ]);
    for u in &v.uncovered {
        for (k, n) in u.needed_by.iter().enumerate() {
            let first = k == 0 || plain;
            t.push(vec![
                if first {
                    if plain {
                        u.concept
                    } else {
                        symbol(u.concept)
                    }
                } else {
                    ""
                }
                .into(),
                if first { u.name.as_str() } else { "" }.into(),
                if plain {
                    format!("{}", u.fit).into()
                } else if first {
                    Cell::shaded(fixed(u.fit, 4), u.fit)
                } else {
                    "".into()
                },
                if plain { n.concept } else { symbol(n.concept) }.into(),
                if plain {
                    n.chain.join(" ")
                } else {
                    chain(&n.chain)
                }
                .into(),
            ]);
        }
    }
    if plain {
        return ctx.table(&t);
    }
    let mut out = header_text(ctx, &v.scenario);
    let _ = writeln!(
        out,
        "{}: {} · {} · {}",
        r.coverage_title,
        v.stack.name,
        r.threshold.replace("{min}", &short(v.min_fit)),
        if v.covered { r.covered } else { r.not_covered }
    );
    let weighed: Vec<&str> = v.weighed.iter().map(|k| symbol(k)).collect();
    let _ = writeln!(out, "{}: {}\n", r.weighed, weighed.join(" "));
    let mut fit = Table::new(
        &std::iter::once((w.fit, Align::Left))
            .chain(Concept::ALL.iter().map(|c| (c.symbol(), Align::Right)))
            .collect::<Vec<_>>(),
    );
    let mut row: Vec<Cell> = vec![v.stack.id.as_str().into()];
    row.extend(v.fit.0.iter().map(|f| Cell::shaded(fixed(*f, 2), *f)));
    fit.push(row);
    out.push_str(&ctx.table(&fit));
    if !v.uncovered.is_empty() {
        out.push('\n');
        out.push_str(&ctx.table(&t));
    }
    if !v.stack_problems.is_empty() {
        let _ = writeln!(out, "\n{}: {}", r.stack_rules, v.stack_problems.join("; "));
    }
    let _ = writeln!(out, "\n{}", v.summary);
    out
}
