//! The fleet summary report (`stackmatrix report --fleet-summary FILE.json`): the summary that
//! `fleet score --summary` writes, as a self-contained HTML page (inline SVG bar charts and
//! histograms) or as Markdown. Rendering computes nothing: every figure is the summary's.

use crate::html::escape_html;
use crate::markdown::escape_markdown;
use stackmatrix_engine::fleet::{FleetSummary, ScoreDistribution, Share};
use stackmatrix_model::Lang;
use std::fmt::Write;

struct Words {
    title: &'static str,
    rows: &'static str,
    read: &'static str,
    scored: &'static str,
    rejected: &'static str,
    distinct: &'static str,
    input: &'static str,
    rules: &'static str,
    best_chain: &'static str,
    best_stack: &'static str,
    no_stack: &'static str,
    chain_scores: &'static str,
    stack_scores: &'static str,
    rules_matched: &'static str,
    rejected_by: &'static str,
    share: &'static str,
    score: &'static str,
    quantile: &'static str,
    bin: &'static str,
    note: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        title: "Fleet summary",
        rows: "Rows",
        read: "Read",
        scored: "Scored",
        rejected: "Rejected",
        distinct: "Distinct inputs (each scored once)",
        input: "Inventory",
        rules: "Rules",
        best_chain: "Rows per best chain",
        best_stack: "Rows per best stack",
        no_stack: "(no stack meets the requirements)",
        chain_scores: "Best chain score",
        stack_scores: "Best stack score",
        rules_matched: "Rows per matched rule",
        rejected_by: "Rejected rows per column",
        share: "Share",
        score: "Score",
        quantile: "Quantile",
        bin: "Score range",
        note: "Counts reconcile: read = scored + rejected.",
    };
    const ZH: Words = Words {
        title: "机群汇总",
        rows: "行数",
        read: "读取",
        scored: "已评分",
        rejected: "已拒绝",
        distinct: "不同输入（各评分一次）",
        input: "清单",
        rules: "规则",
        best_chain: "各最佳技术链的行数",
        best_stack: "各最佳技术栈的行数",
        no_stack: "（无满足要求的技术栈）",
        chain_scores: "最佳技术链得分",
        stack_scores: "最佳技术栈得分",
        rules_matched: "各规则匹配的行数",
        rejected_by: "按列拒绝的行数",
        share: "占比",
        score: "得分",
        quantile: "分位数",
        bin: "得分区间",
        note: "计数一致：读取 = 已评分 + 已拒绝。",
    };
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn f4(x: f64) -> String {
    format!("{x:.4}")
}

fn stack_shares(s: &FleetSummary, w: &Words) -> Vec<Share> {
    let mut list = s.best_stack.clone();
    if s.no_stack > 0 {
        list.push(Share {
            id: w.no_stack.to_string(),
            rows: s.no_stack,
            share: s.no_stack as f64 / s.rows.scored.max(1) as f64,
        });
    }
    list
}

/// The summary as GitHub-flavoured Markdown.
pub fn render_fleet_markdown(s: &FleetSummary, lang: Lang, generated_by: &str) -> String {
    let w = words(lang);
    let mut out = format!("# {}\n\n", w.title);
    let _ = writeln!(
        out,
        "{}: `{}` · {}: `{}` · {generated_by}\n",
        w.input,
        escape_markdown(&s.input),
        w.rules,
        escape_markdown(&s.rules)
    );
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |\n|---:|---:|---:|---:|\n| {} | {} | {} | {} |\n\n{}\n",
        w.read,
        w.scored,
        w.rejected,
        w.distinct,
        s.rows.read,
        s.rows.scored,
        s.rows.rejected,
        s.distinct_inputs,
        w.note
    );
    let table = |out: &mut String, title: &str, list: &[Share]| {
        let _ = writeln!(
            out,
            "## {title}\n\n| | {} | {} |\n|---|---:|---:|",
            w.rows, w.share
        );
        for sh in list {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                escape_markdown(&sh.id),
                sh.rows,
                pct(sh.share)
            );
        }
        out.push('\n');
    };
    let dist = |out: &mut String, title: &str, d: &ScoreDistribution| {
        let _ = writeln!(
            out,
            "## {title}\n\nmin {} · mean {} · max {}\n\n| {} | {} |\n|---:|---:|",
            f4(d.min),
            f4(d.mean),
            f4(d.max),
            w.quantile,
            w.score
        );
        for q in &d.quantiles {
            let _ = writeln!(out, "| {} | {} |", q.q, f4(q.score));
        }
        let _ = writeln!(out, "\n| {} | {} | |\n|---|---:|---|", w.bin, w.rows);
        let top = d.histogram.iter().map(|b| b.rows).max().unwrap_or(1).max(1);
        for b in d.histogram.iter().filter(|b| b.rows > 0) {
            let bar = "█".repeat(((b.rows as f64 / top as f64) * 30.0).ceil() as usize);
            let _ = writeln!(out, "| {:.1}–{:.1} | {} | {bar} |", b.from, b.to, b.rows);
        }
        out.push('\n');
    };
    table(&mut out, w.best_chain, &s.best_chain);
    if let Some(d) = &s.chain_score {
        dist(&mut out, w.chain_scores, d);
    }
    if s.stacks {
        table(&mut out, w.best_stack, &stack_shares(s, w));
        if let Some(d) = &s.stack_score {
            dist(&mut out, w.stack_scores, d);
        }
    }
    table(&mut out, w.rules_matched, &s.rules_matched);
    if !s.rejected_by_column.is_empty() {
        table(&mut out, w.rejected_by, &s.rejected_by_column);
    }
    crate::finish(out)
}

const ACCENT: &str = "#2563eb";
const MUTED: &str = "#6b7280";

/// Horizontal bars of shares, labelled with rows and percent.
fn bars(id: &str, title: &str, list: &[Share]) -> String {
    let row = 24.0;
    let label_w = 300.0;
    let plot_w = 360.0;
    let h = 10.0 + row * list.len() as f64;
    let mut out = format!(
        r#"<svg id="{id}" class="chart" viewBox="0 0 {} {h}" width="{}" height="{h}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{}</title>"#,
        label_w + plot_w + 120.0,
        label_w + plot_w + 120.0,
        escape_html(title)
    );
    let top = list.iter().map(|s| s.share).fold(0.0, f64::max).max(1e-12);
    for (i, s) in list.iter().enumerate() {
        let y = 5.0 + row * i as f64;
        let bw = plot_w * s.share / top;
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text><rect x="{}" y="{}" width="{bw:.1}" height="{}" fill="{ACCENT}"/><text x="{}" y="{}" font-size="11" fill="{MUTED}">{} ({})</text>"#,
            label_w - 6.0,
            y + 15.0,
            escape_html(&s.id),
            label_w,
            y + 3.0,
            row - 8.0,
            label_w + bw + 4.0,
            y + 15.0,
            s.rows,
            pct(s.share)
        );
    }
    out.push_str("</svg>");
    out
}

/// A histogram of the score distribution on the 0 to 10 axis.
fn histogram(id: &str, title: &str, d: &ScoreDistribution) -> String {
    let (w, h, left, bottom) = (640.0, 200.0, 40.0, 170.0);
    let bin_w = (w - left - 10.0) / d.histogram.len().max(1) as f64;
    let top = d.histogram.iter().map(|b| b.rows).max().unwrap_or(1).max(1) as f64;
    let mut out = format!(
        r#"<svg id="{id}" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{}</title>"#,
        escape_html(title)
    );
    for (i, b) in d.histogram.iter().enumerate() {
        let bh = (bottom - 20.0) * b.rows as f64 / top;
        let x = left + bin_w * i as f64;
        let _ = write!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}" fill="{ACCENT}"><title>{:.1}–{:.1}: {}</title></rect>"#,
            x + 1.0,
            bottom - bh,
            bin_w - 2.0,
            b.from,
            b.to,
            b.rows
        );
        if i % 2 == 0 {
            let _ = write!(
                out,
                r#"<text x="{:.1}" y="{}" font-size="10" fill="{MUTED}" text-anchor="middle">{}</text>"#,
                x,
                bottom + 14.0,
                b.from
            );
        }
    }
    let _ = write!(
        out,
        r#"<line x1="{left}" y1="{bottom}" x2="{}" y2="{bottom}" stroke="{MUTED}"/></svg>"#,
        w - 10.0
    );
    out
}

/// The summary as one self-contained HTML page.
pub fn render_fleet_html(s: &FleetSummary, lang: Lang, generated_by: &str) -> String {
    let w = words(lang);
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>{}</h1><p class=\"meta\">{}: <code>{}</code> · {}: <code>{}</code> · {}</p>",
        w.title,
        w.input,
        escape_html(&s.input),
        w.rules,
        escape_html(&s.rules),
        escape_html(generated_by)
    );
    let _ = write!(
        body,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr><tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr></table><p>{}</p>",
        w.read,
        w.scored,
        w.rejected,
        w.distinct,
        s.rows.read,
        s.rows.scored,
        s.rows.rejected,
        s.distinct_inputs,
        w.note
    );
    let dist = |body: &mut String, id: &str, title: &str, d: &ScoreDistribution| {
        let _ = write!(
            body,
            "<h2>{title}</h2><p>min {} · mean {} · max {} · {}</p>{}",
            f4(d.min),
            f4(d.mean),
            f4(d.max),
            d.quantiles
                .iter()
                .map(|q| format!("q{} {}", q.q, f4(q.score)))
                .collect::<Vec<_>>()
                .join(" · "),
            histogram(id, title, d)
        );
    };
    let _ = write!(
        body,
        "<h2>{}</h2>{}",
        w.best_chain,
        bars("fleet-chains", w.best_chain, &s.best_chain)
    );
    if let Some(d) = &s.chain_score {
        dist(&mut body, "fleet-chain-scores", w.chain_scores, d);
    }
    if s.stacks {
        let _ = write!(
            body,
            "<h2>{}</h2>{}",
            w.best_stack,
            bars("fleet-stacks", w.best_stack, &stack_shares(s, w))
        );
        if let Some(d) = &s.stack_score {
            dist(&mut body, "fleet-stack-scores", w.stack_scores, d);
        }
    }
    let _ = write!(
        body,
        "<h2>{}</h2>{}",
        w.rules_matched,
        bars("fleet-rules", w.rules_matched, &s.rules_matched)
    );
    if !s.rejected_by_column.is_empty() {
        let _ = write!(
            body,
            "<h2>{}</h2>{}",
            w.rejected_by,
            bars("fleet-rejected", w.rejected_by, &s.rejected_by_column)
        );
    }
    crate::finish(format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}}table{{border-collapse:collapse}}td,th{{border:1px solid #ddd;padding:.3rem .6rem;text-align:right}}.meta{{color:{MUTED}}}svg{{display:block;margin:.5rem 0 1.5rem}}</style></head><body>{body}</body></html>\n",
        match lang {
            Lang::En => "en",
            Lang::Zh => "zh",
        },
        w.title
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackmatrix_engine::fleet::{RowCounts, ScoreDistribution};

    fn summary() -> FleetSummary {
        FleetSummary {
            input: "inv.csv".into(),
            output: "out.csv".into(),
            rules: "(built-in)/fleet/rules.toml".into(),
            rows: RowCounts {
                read: 10,
                scored: 9,
                rejected: 1,
            },
            distinct_inputs: 2,
            top: 1,
            stacks: true,
            best_chain: vec![
                Share {
                    id: "k3s".into(),
                    rows: 6,
                    share: 6.0 / 9.0,
                },
                Share {
                    id: "opa".into(),
                    rows: 3,
                    share: 3.0 / 9.0,
                },
            ],
            chain_score: ScoreDistribution::from_counts(&[(8.75, 6), (9.125, 3)]),
            best_stack: vec![Share {
                id: "k3s+wasmedge".into(),
                rows: 8,
                share: 8.0 / 9.0,
            }],
            no_stack: 1,
            stack_score: ScoreDistribution::from_counts(&[(9.0, 8)]),
            rules_matched: vec![Share {
                id: "tiny-memory".into(),
                rows: 6,
                share: 6.0 / 9.0,
            }],
            rejected_by_column: vec![Share {
                id: "memory_gb".into(),
                rows: 1,
                share: 1.0,
            }],
        }
    }

    #[test]
    fn markdown_has_counts_shares_and_distributions() {
        let md = render_fleet_markdown(&summary(), Lang::En, "stackmatrix test");
        assert!(md.starts_with("# Fleet summary\n"));
        assert!(md.contains("| 10 | 9 | 1 | 2 |"), "{md}");
        assert!(md.contains("| `k3s` | 6 | 66.7% |"), "{md}");
        assert!(
            md.contains("| `(no stack meets the requirements)` | 1 | 11.1% |"),
            "{md}"
        );
        assert!(md.contains("| 0.5 | 8.7500 |"), "{md}");
        assert!(md.contains("| 8.5–9.0 | 6 |"), "{md}");
        assert!(md.contains("## Rejected rows per column"));
        let zh = render_fleet_markdown(&summary(), Lang::Zh, "stackmatrix test");
        assert!(zh.starts_with("# 机群汇总\n"));
    }

    #[test]
    fn html_is_self_contained_with_charts() {
        let html = render_fleet_html(&summary(), Lang::En, "stackmatrix <test>");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("stackmatrix &lt;test&gt;"));
        for id in [
            "fleet-chains",
            "fleet-chain-scores",
            "fleet-stacks",
            "fleet-rules",
        ] {
            assert!(html.contains(&format!("<svg id=\"{id}\"")), "{id}");
        }
        assert!(!html.contains("<script") && !html.contains("http"));
    }
}
