//! The HTML report: one self-contained HTML5 file with inline CSS and inline SVG charts. It loads
//! nothing from anywhere: no script, no style sheet, no font, no image.

use crate::doc::{build, Block, Cell, Chart, Doc, Inline, Table, Tone};
use crate::words::words;
use crate::{svg, ReportData};
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values: `&`, `<`, `>`, `"` and `'`;
/// control characters (and the bidi overrides) from names and notes are shown as visible
/// escapes such as `\u001b`, by [`stackmatrix_model::untrusted`].
///
/// ```
/// assert_eq!(
///     stackmatrix_report::escape_html(r#"<a href="x">Tom & 'Jerry'</a>"#),
///     "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
/// );
/// ```
pub fn escape_html(s: &str) -> String {
    let s = stackmatrix_model::untrusted::escaped(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

use escape_html as esc;

/// The style sheet: screen and print. System fonts only.
const CSS: &str = r#"
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --head: #f8fafc; --accent: #2563eb; --accent-soft: #eff6ff; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #f1f5f9; color: var(--ink);
  font: 14px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
.page { max-width: 1120px; margin: 24px auto; padding: 36px 44px 28px; background: #fff; border: 1px solid var(--line); border-radius: 10px; }
header.report { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 8px; }
.kicker { font-size: 12px; font-weight: 600; letter-spacing: .08em; text-transform: uppercase; color: var(--accent); }
h1 { font-size: 26px; line-height: 1.25; margin: 4px 0 8px; }
.meta { margin: 2px 0; color: var(--muted); font-size: 13px; }
h2 { font-size: 19px; margin: 34px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 22px 0 8px; }
p { margin: 8px 0; }
ul { margin: 6px 0 12px; padding-left: 22px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; background: #f1f5f9; border-radius: 4px; padding: 1px 5px; }
.provenance { margin: 18px 0 0; padding: 9px 14px; border-left: 4px solid var(--accent); background: var(--accent-soft); font-size: 13px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: #fff; }
.card .label { font-size: 11.5px; font-weight: 600; letter-spacing: .05em; text-transform: uppercase; color: var(--muted); }
.card .value { font-size: 16px; margin: 4px 0 2px; }
.card .detail { font-size: 12.5px; color: var(--muted); }
.table-wrap { overflow-x: auto; margin: 10px 0 16px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--head); font-weight: 600; border-bottom: 2px solid var(--line); white-space: nowrap; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.strong td { background: var(--accent-soft); font-weight: 600; }
table.wide td, table.wide th { padding: 5px 7px; }
table.wide td.num, table.wide th.num { min-width: 52px; }
.note { color: var(--muted); font-size: 12.5px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.good { background: #dcfce7; color: #166534; }
.badge.warn { background: #fef3c7; color: #92400e; }
.badge.bad { background: #fee2e2; color: #991b1b; }
.badge.neutral { background: #f1f5f9; color: #475569; }
.charts { display: flex; flex-wrap: wrap; gap: 18px 28px; align-items: flex-start; margin: 12px 0 8px; }
figure { margin: 0; flex: 1 1 440px; min-width: 0; }
figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figure svg text { font-family: inherit; }
figcaption { font-size: 12.5px; color: var(--muted); margin-top: 6px; }
footer { margin-top: 36px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
@media (max-width: 700px) { .page { padding: 20px 16px; margin: 0; border: 0; border-radius: 0; } }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { background: #fff; font-size: 11.5px; }
  .page { max-width: none; margin: 0; padding: 0; border: 0; border-radius: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  figure, .card, tr, .provenance { break-inside: avoid; page-break-inside: avoid; }
  figure { flex-basis: 300px; }
  .table-wrap { overflow: visible; }
  tr.strong td, thead th, .badge, .provenance, code { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Renders a report as one self-contained HTML5 document.
pub fn render_html(d: &ReportData) -> String {
    let doc = build(d);
    let w = words(d.lang);
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"{}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<div class=\"page\">\n",
        w.html_lang,
        esc(&d.generated_by),
        esc(&doc.title)
    );
    header(&mut out, &doc, w.title, &d.scenario_title());
    out.push_str("<main>\n");
    body(&mut out, d, &doc);
    out.push_str("</main>\n<footer>");
    inlines(&mut out, &doc.footer);
    out.push_str("</footer>\n</div>\n</body>\n</html>\n");
    crate::finish(out)
}

fn header(out: &mut String, doc: &Doc, kicker: &str, title: &str) {
    let _ = write!(
        out,
        "<header class=\"report\">\n<div class=\"kicker\">{}</div>\n<h1>{}</h1>\n",
        esc(kicker),
        esc(title)
    );
    for line in &doc.meta {
        out.push_str("<p class=\"meta\">");
        inlines(out, line);
        out.push_str("</p>\n");
    }
    out.push_str("</header>\n");
}

fn body(out: &mut String, d: &ReportData, doc: &Doc) {
    let mut open_section = false;
    for block in &doc.blocks {
        match block {
            Block::Section(id, title) => {
                if open_section {
                    out.push_str("</section>\n");
                }
                let _ = write!(out, "<section id=\"{id}\">\n<h2>{}</h2>\n", esc(title));
                open_section = true;
            }
            Block::Heading(h) => {
                let _ = writeln!(out, "<h3>{}</h3>", esc(h));
            }
            Block::Para(p) => {
                out.push_str("<p>");
                inlines(out, p);
                out.push_str("</p>\n");
            }
            Block::Note(p) => {
                out.push_str("<p class=\"note\">");
                inlines(out, p);
                out.push_str("</p>\n");
            }
            Block::Provenance(p) => {
                let _ = writeln!(out, "<p class=\"provenance\">{}</p>", esc(p));
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str("<li>");
                    inlines(out, item);
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => table(out, t),
            Block::Cards(cards) => {
                out.push_str("<div class=\"cards\">\n");
                for c in cards {
                    let _ = write!(
                        out,
                        "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">",
                        esc(&c.label)
                    );
                    inlines(out, &c.value);
                    out.push_str("</div><div class=\"detail\">");
                    inlines(out, &c.detail);
                    out.push_str("</div></div>\n");
                }
                out.push_str("</div>\n");
            }
            Block::Charts(charts) => {
                let drawn: Vec<(String, String)> =
                    charts.iter().filter_map(|c| chart(d, *c)).collect();
                if drawn.is_empty() {
                    continue;
                }
                out.push_str("<div class=\"charts\">\n");
                for (svg, caption) in drawn {
                    let _ = writeln!(
                        out,
                        "<figure>{svg}<figcaption>{}</figcaption></figure>",
                        esc(&caption)
                    );
                }
                out.push_str("</div>\n");
            }
        }
    }
    if open_section {
        out.push_str("</section>\n");
    }
}

/// A chart and its caption, `None` when the views lack what it draws.
fn chart(d: &ReportData, c: Chart) -> Option<(String, String)> {
    let w = words(d.lang);
    match c {
        Chart::Ranking => {
            (!d.rank.ranking.is_empty()).then(|| (svg::ranking(d), w.chart_scores.to_string()))
        }
        Chart::Radar => {
            let x = d.rank.explanation.as_ref()?;
            let a = x.alternative.as_ref()?;
            Some((
                svg::radar(d, x),
                crate::words::fill(w.chart_radar, &[("a", &x.tech.name), ("b", &a.name)]),
            ))
        }
        Chart::Matrix => {
            let m = d.matrix.as_ref()?;
            Some((
                svg::matrix(d, m),
                crate::words::fill(w.chart_matrix, &[("name", &m.name), ("time", m.time)]),
            ))
        }
        Chart::Stacks => {
            let caption = if d.recommend.environments.is_some() {
                w.chart_plan
            } else {
                w.chart_stacks
            };
            svg::stacks(d, &d.recommend).map(|s| (s, caption.to_string()))
        }
        Chart::Acceptability => {
            let r = d.robustness.as_ref()?;
            let caption = crate::words::fill(
                w.chart_acceptability,
                &[
                    ("samples", &crate::doc::grouped(r.samples)),
                    ("seed", &r.seed.to_string()),
                ],
            );
            (!r.alternatives.is_empty()).then(|| (svg::acceptability(d, r), caption))
        }
    }
}

fn table(out: &mut String, t: &Table) {
    let wide = t.cols.len() > 8;
    let _ = write!(
        out,
        "<div class=\"table-wrap\"><table{}>\n<thead><tr>",
        if wide { " class=\"wide\"" } else { "" }
    );
    for c in &t.cols {
        let _ = write!(
            out,
            "<th{}>{}</th>",
            if c.num { " class=\"num\"" } else { "" },
            esc(&c.title)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        out.push_str(if r.strong {
            "<tr class=\"strong\">"
        } else {
            "<tr>"
        });
        for (i, cell) in r.cells.iter().enumerate() {
            let num = t.cols.get(i).is_some_and(|c| c.num);
            out.push_str(if num { "<td class=\"num\">" } else { "<td>" });
            cell_html(out, cell);
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

fn cell_html(out: &mut String, c: &Cell) {
    inlines(out, &c.parts);
}

fn inlines(out: &mut String, parts: &[Inline]) {
    for p in parts {
        match p {
            Inline::Text(s) => out.push_str(&esc(s)),
            Inline::Code(s) => {
                let _ = write!(out, "<code>{}</code>", esc(s));
            }
            Inline::Strong(s) => {
                let _ = write!(out, "<strong>{}</strong>", esc(s));
            }
            Inline::Badge(tone, s) => {
                let class = match tone {
                    Tone::Good => "good",
                    Tone::Warn => "warn",
                    Tone::Bad => "bad",
                    Tone::Neutral => "neutral",
                };
                let _ = write!(out, "<span class=\"badge {class}\">{}</span>", esc(s));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(escape_html("<>&\"'"), "&lt;&gt;&amp;&quot;&#39;");
        assert_eq!(
            escape_html("evil\x1b]0;t\x07\u{202e}<"),
            "evil\\u001b]0;t\\u0007\\u202e&lt;"
        );
        assert_eq!(escape_html("K3s 边缘"), "K3s 边缘");
        assert_eq!(escape_html("&amp;"), "&amp;amp;");
        assert_eq!(escape_html(""), "");
    }
}
