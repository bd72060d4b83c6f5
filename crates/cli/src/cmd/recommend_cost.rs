//! `stackmatrix recommend --min-cost --min-score X`: the cheapest stack whose score reaches X.

use crate::context::{fixed, short, Ctx};
use stackmatrix_api::views::{RecommendView, StackView};
use stackmatrix_api::MinCostView;
use stackmatrix_model::Lang;
use std::fmt::Write;

/// The cost-constrained answer as text, after the scenario and constraints lines.
pub fn text(ctx: &Ctx, view: &RecommendView, m: &MinCostView) -> String {
    let zh = ctx.lang == Lang::Zh;
    let mut out = String::new();
    let name_of = |id: &str| {
        ctx.kb
            .technology(id)
            .map(|t| t.name.get(ctx.lang).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    let line = |s: &StackView| {
        let names: Vec<String> = s.members.iter().map(|x| name_of(x)).collect();
        let mut mem = format!("{} MB/node", short(s.memory_mb));
        if !s.memory_unknown.is_empty() {
            let unknown = if zh {
                "内存未知"
            } else {
                "memory unknown for"
            };
            let _ = write!(mem, ", {unknown} {}", s.memory_unknown.join(", "));
        }
        let score = if zh { "得分" } else { "score" };
        format!(
            "{}  {score} {}  ({mem})",
            names.join(" + "),
            fixed(s.score, 4)
        )
    };
    match &view.stack {
        Some(s) => {
            let _ = writeln!(
                out,
                "{} {}: {}",
                if zh {
                    "得分达到"
                } else {
                    "Cheapest stack reaching"
                },
                short(m.min_score),
                line(s)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "{} {}.",
                if zh {
                    "在这些约束下没有技术栈的得分达到"
                } else {
                    "No stack reaches"
                },
                short(m.min_score)
            );
            if let Some(b) = &m.best_reachable {
                let _ = writeln!(
                    out,
                    "{}: {}",
                    if zh {
                        "可达到的最高得分"
                    } else {
                        "Best reachable score"
                    },
                    line(b)
                );
            }
        }
    }
    if let Some(sv) = &view.search {
        let _ = writeln!(
            out,
            "{}",
            if zh {
                format!(
                    "已证明最优：对 {} 个候选做精确搜索（按内存的分支定界），访问 {} 个部分技术栈，剪枝 {} 次，评分 {} 个可行技术栈。",
                    sv.candidates, sv.nodes, sv.pruned, sv.feasible
                )
            } else {
                format!(
                    "Proven optimal: exact search (branch and bound on memory) over {} candidates, {} partial stacks visited, {} branches cut, {} feasible stacks scored.",
                    sv.candidates, sv.nodes, sv.pruned, sv.feasible
                )
            }
        );
    }
    for n in &view.notes {
        let _ = writeln!(out, "note: {n}");
    }
    out
}
