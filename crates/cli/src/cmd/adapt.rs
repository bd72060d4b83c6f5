//! `stackmatrix adapt`: how well a chain or a stack carries each concept when a workload moves
//! from one scene to another; without `--to-scene`, every other scene ranked.

use crate::args::Format;
use crate::context::{fixed, short, Ctx};
use crate::error::{subject_error, CliResult};
use crate::render::{Align, Table};
use clap::{ArgGroup, Args};
use stackmatrix_api::{AdaptRequest, AdaptView};
use stackmatrix_model::Lang;
use std::fmt::Write;

/// `adapt`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("subject").args(["tech", "stack"]).required(true).multiple(false)))]
pub struct AdaptArgs {
    /// A chain id (see `stackmatrix list techs`); an addon needs --stack.
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty)]
    pub tech: Option<String>,

    /// A stack: member ids separated by ',' (k8s,istio), composed by the composition rule.
    #[arg(long, value_name = "A,B,..", value_parser = crate::args::non_empty, value_delimiter = ',')]
    pub stack: Option<Vec<String>>,

    /// The scene the workload moves from (dev, ci, prod, edge, serverless, multitenant).
    #[arg(long, value_name = "SCENE", value_parser = crate::args::non_empty)]
    pub from_scene: String,

    /// The scene it moves to [default: every other scene, ranked].
    #[arg(long, value_name = "SCENE", value_parser = crate::args::non_empty)]
    pub to_scene: Option<String>,

    /// Weigh the overall figure by this scenario's concept weights [default: equal weights].
    #[arg(long, value_name = "ID", value_parser = crate::args::non_empty)]
    pub scenario: Option<String>,
}

/// Words of `adapt`'s text.
struct Words {
    title: &'static str,
    slice: &'static str,
    mesh: &'static str,
    concept: &'static str,
    name: &'static str,
    maturity: &'static str,
    compatibility: &'static str,
    adaptation: &'static str,
    weight: &'static str,
    from: &'static str,
    maturity_word: &'static str,
    compatibility_word: &'static str,
    overall_equal: &'static str,
    overall_weighted: &'static str,
    weakest: &'static str,
    rank: &'static str,
    scene: &'static str,
    overall: &'static str,
    targets: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        title: "Scene adaptation of",
        slice: "static slice",
        mesh: "A member is a service mesh: row L uses the published \"L + Service Mesh\" compatibility.",
        concept: "Concept",
        name: "Name",
        maturity: "Maturity",
        compatibility: "Compat.",
        adaptation: "Adaptation",
        weight: "Weight",
        from: "from",
        maturity_word: "maturity",
        compatibility_word: "compatibility",
        overall_equal: "mean of the 12 concepts",
        overall_weighted: "weighted by the concept weights of scenario {id}",
        weakest: "Weakest",
        rank: "Rank",
        scene: "Scene",
        overall: "Overall",
        targets: "Every other scene as a target, best adapted first",
    };
    const ZH: Words = Words {
        title: "场景适配",
        slice: "静态切片",
        mesh: "成员中含服务网格：L 行使用发布的「L + Service Mesh」兼容性。",
        concept: "概念",
        name: "名称",
        maturity: "成熟度",
        compatibility: "兼容性",
        adaptation: "适配度",
        weight: "权重",
        from: "从",
        maturity_word: "成熟度",
        compatibility_word: "兼容性",
        overall_equal: "12 个概念的平均",
        overall_weighted: "按场景 {id} 的概念权重加权",
        weakest: "最弱概念",
        rank: "排名",
        scene: "场景",
        overall: "总体",
        targets: "其他各场景作为目标，按适配度从高到低",
    };
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

pub fn run(ctx: &Ctx, args: &AdaptArgs) -> CliResult<String> {
    let req = AdaptRequest {
        tech: args.tech.clone(),
        stack: args.stack.clone(),
        from_scene: Some(args.from_scene.clone()),
        to_scene: args.to_scene.clone(),
        scenario: args.scenario.clone(),
    };
    let view = stackmatrix_api::adapt(&ctx.kb, ctx.lang, &req)
        .map_err(|e| subject_error(e, args.tech.is_some()))?;
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv | Format::Md => Ok(ctx.table(&machine_table(&view))),
        Format::Table => Ok(text(ctx, &view)),
    }
}

/// The concepts (with a target) or the ranked targets, full precision: CSV and Markdown.
fn machine_table(view: &AdaptView) -> Table {
    if view.to_scene.is_some() {
        let mut t = Table::new(&[
            ("concept", Align::Left),
            ("maturity_from", Align::Right),
            ("maturity_to", Align::Right),
            ("compatibility_from", Align::Right),
            ("compatibility_to", Align::Right),
            ("adaptation", Align::Right),
            ("weight", Align::Right),
        ]);
        for c in &view.concepts {
            t.push(vec![
                c.key.into(),
                format!("{}", c.maturity[0]).into(),
                format!("{}", c.maturity[1]).into(),
                format!("{}", c.compatibility[0]).into(),
                format!("{}", c.compatibility[1]).into(),
                format!("{}", c.adaptation).into(),
                format!("{}", c.weight).into(),
            ]);
        }
        t
    } else {
        let mut t = Table::new(&[
            ("rank", Align::Right),
            ("scene", Align::Left),
            ("overall", Align::Right),
            ("weakest", Align::Left),
            ("weakest_adaptation", Align::Right),
        ]);
        for target in &view.targets {
            t.push(vec![
                target.rank.to_string().into(),
                target.scene.key.into(),
                format!("{}", target.overall).into(),
                target.weakest.key.into(),
                format!("{}", target.weakest.adaptation).into(),
            ]);
        }
        t
    }
}

fn text(ctx: &Ctx, view: &AdaptView) -> String {
    let w = words(ctx.lang);
    let mut out = String::new();
    let moves = match &view.to_scene {
        Some(to) => format!("{} → {}", view.from_scene.name, to.name),
        None => format!("{} {}", w.from, view.from_scene.name),
    };
    let _ = writeln!(
        out,
        "{} {}: {moves} ({}, {} · {} + {} · {})",
        w.title,
        view.subject.name,
        w.slice,
        short(view.alpha),
        w.maturity_word,
        short(view.beta),
        w.compatibility_word,
    );
    if view.service_mesh {
        let _ = writeln!(out, "{}", w.mesh);
    }
    out.push('\n');
    let overall_label = match &view.scenario {
        None => w.overall_equal.to_string(),
        Some(id) => w.overall_weighted.replace("{id}", id),
    };
    match &view.to_scene {
        Some(to) => {
            let from_key = view.from_scene.key;
            let heads = [
                format!("{} {from_key}", w.maturity),
                format!("{} {}", w.maturity, to.key),
                format!("{} {from_key}", w.compatibility),
                format!("{} {}", w.compatibility, to.key),
            ];
            let mut columns = vec![(w.concept, Align::Left), (w.name, Align::Left)];
            columns.extend(heads.iter().map(|h| (h.as_str(), Align::Right)));
            columns.push((w.adaptation, Align::Right));
            if view.scenario.is_some() {
                columns.push((w.weight, Align::Right));
            }
            let mut t = Table::new(&columns);
            for c in &view.concepts {
                let mut row = vec![
                    c.symbol.into(),
                    c.name.as_str().into(),
                    fixed(c.maturity[0], 2).into(),
                    fixed(c.maturity[1], 2).into(),
                    fixed(c.compatibility[0], 2).into(),
                    fixed(c.compatibility[1], 2).into(),
                    fixed(c.adaptation, 4).into(),
                ];
                if view.scenario.is_some() {
                    row.push(short(c.weight).into());
                }
                t.push(row);
            }
            out.push_str(&ctx.table(&t));
            if let (Some(overall), Some(weakest)) = (view.overall, &view.weakest) {
                let _ = writeln!(
                    out,
                    "\n{} ({overall_label}): {}\n{}: {} {} ({})",
                    w.overall,
                    fixed(overall, 4),
                    w.weakest,
                    weakest.symbol,
                    weakest.name,
                    fixed(weakest.adaptation, 4)
                );
            }
        }
        None => {
            let _ = writeln!(
                out,
                "{} ({}: {overall_label}):",
                w.targets,
                w.overall.to_lowercase()
            );
            let weakest_head = w.weakest.to_string();
            let mut t = Table::new(&[
                (w.rank, Align::Right),
                (w.scene, Align::Left),
                (w.name, Align::Left),
                (w.overall, Align::Right),
                (weakest_head.as_str(), Align::Left),
            ]);
            for target in &view.targets {
                t.push(vec![
                    target.rank.to_string().into(),
                    target.scene.key.into(),
                    target.scene.name.as_str().into(),
                    fixed(target.overall, 4).into(),
                    format!(
                        "{} {} ({})",
                        target.weakest.symbol,
                        target.weakest.name,
                        fixed(target.weakest.adaptation, 4)
                    )
                    .into(),
                ]);
            }
            out.push_str(&ctx.table(&t));
        }
    }
    out
}
