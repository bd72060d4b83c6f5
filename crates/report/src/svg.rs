//! Inline SVG charts drawn from the views: the ranking as bars, a radar of per-concept fit,
//! heatmaps and the rank acceptability as stacked bars. Only geometry is computed here (where a bar ends, where a label goes); every value
//! drawn is a view's.

use crate::doc::f4;
use crate::html::escape_html as esc;
use crate::words::{fill, words};
use crate::ReportData;
use stackmatrix_api::numbers::{fixed, short};
use stackmatrix_api::views::{ExplainView, RecommendView, RobustnessView, ShowView};
use std::fmt::Write;

const INK: &str = "#1f2937";
const MUTED: &str = "#6b7280";
const GRID: &str = "#e5e7eb";
const ACCENT: &str = "#2563eb";
const ACCENT_LIGHT: &str = "#93c5fd";
const ALT: &str = "#ea580c";
const CLAIM: &str = "#b45309";
const WHITE: &str = "#ffffff";
const EMPTY: &str = "#f3f4f6";

/// Heat scale stops: value, red, green, blue.
const HEAT: [(f64, [f64; 3]); 3] = [
    (0.0, [247.0, 251.0, 255.0]),
    (0.5, [107.0, 174.0, 214.0]),
    (1.0, [8.0, 48.0, 107.0]),
];

/// The heat colour of a value in [0, 1].
pub(crate) fn heat(v: f64) -> String {
    let v = if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (lo, hi) = if v <= HEAT[1].0 {
        (HEAT[0], HEAT[1])
    } else {
        (HEAT[1], HEAT[2])
    };
    let t = (v - lo.0) / (hi.0 - lo.0);
    let ch = |i: usize| (lo.1[i] + (hi.1[i] - lo.1[i]) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", ch(0), ch(1), ch(2))
}

/// Roughly how wide a text is drawn, in px: CJK and other wide characters take a full em.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| {
            if c.is_ascii_uppercase() || c == 'm' || c == 'w' {
                0.68
            } else if c.is_ascii() {
                0.58
            } else {
                1.0
            }
        })
        .sum::<f64>()
        * size
}

/// A number for an SVG attribute.
fn n(x: f64) -> String {
    fixed(x, 1)
}

/// Opens an `<svg>` with an accessible title.
fn open(out: &mut String, id: &str, w: f64, h: f64, title: &str) {
    let _ = write!(
        out,
        r#"<svg id="{id}" class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{}</title>"#,
        n(w),
        n(h),
        n(w),
        n(h),
        esc(title)
    );
}

fn txt(out: &mut String, x: f64, y: f64, attrs: &str, s: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" {attrs}>{}</text>"#,
        n(x),
        n(y),
        esc(s)
    );
}

/// A vertical grid line at `tx` from just above `top` to `bottom`, labelled above the plot: the
/// value axis of the horizontal bar charts.
fn x_gridline(out: &mut String, tx: f64, top: f64, bottom: f64, label: &str) {
    let _ = write!(
        out,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{GRID}" stroke-width="1"/>"#,
        n(tx),
        n(top - 4.0),
        n(tx),
        n(bottom)
    );
    txt(
        out,
        tx,
        top - 9.0,
        &format!(r#"font-size="11" fill="{MUTED}" text-anchor="middle""#),
        label,
    );
}

/// The ranking as horizontal bars on a 0–10 axis, the winner in the accent colour, the seed's
/// claimed scores as hollow diamonds, each bar labelled with its score.
pub(crate) fn ranking(d: &ReportData) -> String {
    let w = words(d.lang);
    let entries = &d.rank.ranking;
    let claims = d.rank.claims.as_ref();
    let claimed = |id: &str| {
        claims.and_then(|c| {
            c.ranking
                .iter()
                .find(|l| l.tech.as_deref() == Some(id))
                .and_then(|l| l.claimed_score)
        })
    };
    let any_claim = entries.iter().any(|e| claimed(&e.id).is_some());
    let rank_w = 34.0;
    let label_w = entries
        .iter()
        .map(|e| text_width(&e.name, 13.0))
        .fold(0.0, f64::max)
        .clamp(80.0, 260.0);
    let left = rank_w + label_w + 14.0;
    let width = 900.0;
    let plot = width - left - 78.0;
    let top = 26.0;
    let row = 30.0;
    let height = top + row * entries.len() as f64 + 44.0;
    let x = |v: f64| left + plot * (v / 10.0).clamp(0.0, 1.0);
    let mut out = String::new();
    open(&mut out, "chart-ranking", width, height, w.chart_scores);
    let bottom = top + row * entries.len() as f64;
    for tick in (0..=10).step_by(2) {
        let tx = x(tick as f64);
        x_gridline(&mut out, tx, top, bottom, &tick.to_string());
    }
    for (i, e) in entries.iter().enumerate() {
        let y0 = top + row * i as f64;
        let first = e.rank == 1;
        let rank = if e.tied {
            format!("={}", e.rank)
        } else {
            e.rank.to_string()
        };
        txt(
            &mut out,
            4.0,
            y0 + 19.0,
            &format!(r#"font-size="12" fill="{MUTED}""#),
            &rank,
        );
        txt(
            &mut out,
            left - 10.0,
            y0 + 19.0,
            &format!(
                r#"font-size="13" fill="{INK}" text-anchor="end"{}"#,
                if first { r#" font-weight="600""# } else { "" }
            ),
            &e.name,
        );
        let _ = write!(
            out,
            r#"<rect class="bar" x="{}" y="{}" width="{}" height="18" rx="3" fill="{}"><title>{}</title></rect>"#,
            n(left),
            n(y0 + 6.0),
            n((x(e.score) - left).max(0.0)),
            if first { ACCENT } else { ACCENT_LIGHT },
            esc(&format!("{} ({}): {}", e.name, e.id, f4(e.score)))
        );
        let mut label_x = x(e.score);
        if let Some(c) = claimed(&e.id) {
            let (cx, cy) = (x(c), y0 + 15.0);
            let _ = write!(
                out,
                r#"<path d="M{} {}L{} {}L{} {}L{} {}Z" fill="{WHITE}" stroke="{CLAIM}" stroke-width="2"><title>{}</title></path>"#,
                n(cx),
                n(cy - 7.0),
                n(cx + 6.0),
                n(cy),
                n(cx),
                n(cy + 7.0),
                n(cx - 6.0),
                n(cy),
                esc(&format!("{}: {}", w.legend_claimed, short(c)))
            );
            label_x = label_x.max(cx + 6.0);
        }
        txt(
            &mut out,
            label_x + 8.0,
            y0 + 19.0,
            &format!(
                r#"font-size="12" fill="{INK}"{}"#,
                if first { r#" font-weight="600""# } else { "" }
            ),
            &f4(e.score),
        );
    }
    let ly = bottom + 24.0;
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="12" height="12" rx="2" fill="{ACCENT}"/>"#,
        n(left),
        n(ly - 10.0)
    );
    txt(
        &mut out,
        left + 18.0,
        ly,
        &format!(r#"font-size="12" fill="{MUTED}""#),
        w.legend_computed,
    );
    if any_claim {
        let lx = left + 30.0 + text_width(w.legend_computed, 12.0) + 20.0;
        let _ = write!(
            out,
            r#"<path d="M{} {}L{} {}L{} {}L{} {}Z" fill="{WHITE}" stroke="{CLAIM}" stroke-width="2"/>"#,
            n(lx),
            n(ly - 11.0),
            n(lx + 6.0),
            n(ly - 4.0),
            n(lx),
            n(ly + 3.0),
            n(lx - 6.0),
            n(ly - 4.0)
        );
        txt(
            &mut out,
            lx + 12.0,
            ly,
            &format!(r#"font-size="12" fill="{MUTED}""#),
            w.legend_claimed,
        );
    }
    out.push_str("</svg>");
    out
}

/// A radar of per-concept fit (0 to 1 on every axis): the winner against the best alternative.
pub(crate) fn radar(d: &ReportData, x: &ExplainView) -> String {
    let w = words(d.lang);
    let alt_name = x.alternative.as_ref().map_or("", |a| a.name.as_str());
    let title = fill(w.chart_radar, &[("a", &x.tech.name), ("b", alt_name)]);
    // The radius leaves room for the widest label beside the circle.
    let widest = x
        .concepts
        .iter()
        .map(|c| text_width(&format!("{} {}", d.concept_symbol(c.concept), c.name), 12.0))
        .fold(0.0, f64::max);
    let width = 500.0;
    let r = (width / 2.0 - 14.0 - widest - 10.0).clamp(90.0, 135.0);
    let (cx, cy) = (width / 2.0, 36.0 + r);
    let height = cy + r + 80.0;
    let k = x.concepts.len().max(1);
    let angle =
        |i: usize| -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / k as f64;
    let point = |i: usize, v: f64| {
        let a = angle(i);
        let v = if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.0
        };
        (cx + r * v * a.cos(), cy + r * v * a.sin())
    };
    let poly = |vals: &[f64]| {
        vals.iter()
            .enumerate()
            .map(|(i, v)| {
                let (px, py) = point(i, *v);
                format!("{},{}", n(px), n(py))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = String::new();
    open(&mut out, "chart-radar", width, height, &title);
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            out,
            r#"<polygon points="{}" fill="none" stroke="{GRID}" stroke-width="1"/>"#,
            poly(&vec![ring; k])
        );
    }
    for i in 0..k {
        let (px, py) = point(i, 1.0);
        let _ = write!(
            out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{GRID}" stroke-width="1"/>"#,
            n(cx),
            n(cy),
            n(px),
            n(py)
        );
    }
    for ring in [0.5, 1.0] {
        txt(
            &mut out,
            cx + 4.0,
            cy - r * ring - 3.0,
            &format!(r#"font-size="10" fill="{MUTED}""#),
            &fixed(ring, 1),
        );
    }
    let fits: Vec<f64> = x.concepts.iter().map(|c| c.fit).collect();
    let alts: Vec<Option<f64>> = x.concepts.iter().map(|c| c.alternative_fit).collect();
    if alts.iter().all(Option::is_some) && x.alternative.is_some() {
        let alts: Vec<f64> = alts.iter().map(|a| a.unwrap_or(0.0)).collect();
        let _ = write!(
            out,
            r#"<polygon class="series-alt" points="{}" fill="{ALT}" fill-opacity="0.08" stroke="{ALT}" stroke-width="2" stroke-dasharray="6 4"/>"#,
            poly(&alts)
        );
        for (i, v) in alts.iter().enumerate() {
            let (px, py) = point(i, *v);
            let _ = write!(
                out,
                r#"<circle cx="{}" cy="{}" r="2.5" fill="{ALT}"/>"#,
                n(px),
                n(py)
            );
        }
    }
    let _ = write!(
        out,
        r#"<polygon class="series-top" points="{}" fill="{ACCENT}" fill-opacity="0.18" stroke="{ACCENT}" stroke-width="2"/>"#,
        poly(&fits)
    );
    for (i, c) in x.concepts.iter().enumerate() {
        let (px, py) = point(i, c.fit);
        let _ = write!(
            out,
            r#"<circle cx="{}" cy="{}" r="3" fill="{ACCENT}"><title>{}</title></circle>"#,
            n(px),
            n(py),
            esc(&format!(
                "{} {}: {}{}",
                d.concept_symbol(c.concept),
                c.name,
                f4(c.fit),
                c.alternative_fit
                    .map(|a| format!(" / {}", f4(a)))
                    .unwrap_or_default()
            ))
        );
        let a = angle(i);
        let (lx, ly) = (cx + (r + 14.0) * a.cos(), cy + (r + 14.0) * a.sin());
        let anchor = if a.cos() > 0.3 {
            "start"
        } else if a.cos() < -0.3 {
            "end"
        } else {
            "middle"
        };
        let dy = if a.sin() > 0.3 {
            11.0
        } else if a.sin() < -0.3 {
            -2.0
        } else {
            4.0
        };
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" font-size="12" fill="{INK}" text-anchor="{anchor}"><tspan font-weight="700">{}</tspan> {}</text>"#,
            n(lx),
            n(ly + dy),
            esc(&d.concept_symbol(c.concept)),
            esc(&c.name)
        );
    }
    let ly = height - 22.0;
    let mut lx = 40.0;
    let _ = write!(
        out,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{ACCENT}" stroke-width="3"/>"#,
        n(lx),
        n(ly - 4.0),
        n(lx + 22.0),
        n(ly - 4.0)
    );
    let top_label = format!("{} {}", x.tech.name, f4(x.tech.score));
    txt(
        &mut out,
        lx + 28.0,
        ly,
        &format!(r#"font-size="12" fill="{INK}""#),
        &top_label,
    );
    lx += 28.0 + text_width(&top_label, 12.0) + 24.0;
    if let Some(a) = &x.alternative {
        let _ = write!(
            out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{ALT}" stroke-width="3" stroke-dasharray="6 4"/>"#,
            n(lx),
            n(ly - 4.0),
            n(lx + 22.0),
            n(ly - 4.0)
        );
        txt(
            &mut out,
            lx + 28.0,
            ly,
            &format!(r#"font-size="12" fill="{INK}""#),
            &format!("{} {}", a.name, f4(a.score)),
        );
    }
    out.push_str("</svg>");
    out
}

/// A heatmap row: its label, whether it stands out, and its values (`None`: no value).
struct HeatRow {
    label: String,
    strong: bool,
    values: Vec<Option<f64>>,
}

/// A heatmap column: its heading, a second line under it, and whether it is outlined.
struct HeatCol {
    head: String,
    sub: String,
    outlined: bool,
}

/// A heatmap with values written in the cells and a legend of the scale from 0 to 1.
fn heatmap(
    id: &str,
    title: &str,
    cols: &[HeatCol],
    rows: &[HeatRow],
    cell_w: f64,
    legend: &str,
    no_value: &str,
) -> String {
    let cell_h = 24.0;
    let left = rows
        .iter()
        .map(|r| text_width(&r.label, 12.0))
        .fold(0.0, f64::max)
        .clamp(60.0, 560.0)
        + 16.0;
    let top = 40.0;
    let grid_w = cell_w * cols.len() as f64;
    let grid_h = cell_h * rows.len() as f64;
    let width = (left + grid_w + 16.0).max(360.0);
    let height = top + grid_h + 56.0;
    let mut out = String::new();
    open(&mut out, id, width, height, title);
    for (j, c) in cols.iter().enumerate() {
        let x = left + cell_w * (j as f64 + 0.5);
        txt(
            &mut out,
            x,
            top - 20.0,
            &format!(r#"font-size="10.5" fill="{INK}" text-anchor="middle""#),
            &c.head,
        );
        if !c.sub.is_empty() {
            txt(
                &mut out,
                x,
                top - 6.0,
                &format!(r#"font-size="10" fill="{MUTED}" text-anchor="middle""#),
                &c.sub,
            );
        }
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + cell_h * i as f64;
        txt(
            &mut out,
            left - 8.0,
            y + 16.0,
            &format!(
                r#"font-size="12" fill="{INK}" text-anchor="end"{}"#,
                if r.strong {
                    r#" font-weight="700""#
                } else {
                    ""
                }
            ),
            &r.label,
        );
        for (j, v) in r.values.iter().enumerate() {
            let x = left + cell_w * j as f64;
            let (fill_c, label, ink) = match v {
                Some(v) => (heat(*v), fixed(*v, 2), if *v > 0.6 { WHITE } else { INK }),
                None => (EMPTY.to_string(), "–".to_string(), MUTED),
            };
            let tip = match v {
                Some(v) => format!("{} · {}: {}", r.label, cols[j].head, f4(*v)),
                None => format!("{} · {}: {no_value}", r.label, cols[j].head),
            };
            let _ = write!(
                out,
                r#"<rect class="cell" x="{}" y="{}" width="{}" height="{}" fill="{fill_c}" stroke="{WHITE}" stroke-width="1"><title>{}</title></rect>"#,
                n(x),
                n(y),
                n(cell_w),
                n(cell_h),
                esc(&tip)
            );
            txt(
                &mut out,
                x + cell_w / 2.0,
                y + 16.0,
                &format!(r#"font-size="12" fill="{ink}" text-anchor="middle""#),
                &label,
            );
        }
    }
    for (j, c) in cols.iter().enumerate() {
        if c.outlined {
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{INK}" stroke-width="2"/>"#,
                n(left + cell_w * j as f64 + 1.0),
                n(top + 1.0),
                n(cell_w - 2.0),
                n(grid_h - 2.0)
            );
        }
    }
    // The legend: the scale as a gradient from 0 to 1.
    let ly = top + grid_h + 22.0;
    let lw = 180.0;
    let gid = format!("{id}-scale");
    let _ = write!(
        out,
        r#"<defs><linearGradient id="{gid}" x1="0" x2="1" y1="0" y2="0">"#
    );
    for (v, _) in HEAT {
        let _ = write!(
            out,
            r#"<stop offset="{}" stop-color="{}"/>"#,
            short(v),
            heat(v)
        );
    }
    out.push_str("</linearGradient></defs>");
    txt(
        &mut out,
        left - 8.0,
        ly + 10.0,
        &format!(r#"font-size="11" fill="{MUTED}" text-anchor="end""#),
        legend,
    );
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="12" fill="url(#{gid})" stroke="{GRID}"/>"#,
        n(left),
        n(ly),
        n(lw)
    );
    for (v, anchor) in [(0.0, "start"), (0.5, "middle"), (1.0, "end")] {
        txt(
            &mut out,
            left + lw * v,
            ly + 26.0,
            &format!(r#"font-size="10" fill="{MUTED}" text-anchor="{anchor}""#),
            &fixed(v, 1),
        );
    }
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="12" height="12" fill="{EMPTY}" stroke="{GRID}"/>"#,
        n(left + lw + 20.0),
        n(ly)
    );
    txt(
        &mut out,
        left + lw + 38.0,
        ly + 10.0,
        &format!(r#"font-size="10" fill="{MUTED}""#),
        &format!("– {no_value}"),
    );
    out.push_str("</svg>");
    out
}

/// The winner's maturity matrix: 12 concepts by 6 scenes, the scenario's weighted scenes
/// outlined with their weights under the headings.
pub(crate) fn matrix(d: &ReportData, m: &ShowView) -> String {
    let w = words(d.lang);
    let vector = d.rank.scenario.vector;
    let cols: Vec<HeatCol> = m
        .scenes
        .iter()
        .enumerate()
        .map(|(j, key)| {
            let weight = vector.get(j).copied().unwrap_or(0.0);
            HeatCol {
                head: key.to_string(),
                sub: if weight > 0.0 {
                    format!("{} {}", w.weight, short(weight))
                } else {
                    String::new()
                },
                outlined: weight > 0.0,
            }
        })
        .collect();
    let rows: Vec<HeatRow> = m
        .rows
        .iter()
        .map(|r| HeatRow {
            label: format!("{} {}", d.concept_symbol(r.concept), r.name),
            strong: false,
            values: match r.values {
                Some(v) => v.iter().map(|x| Some(*x)).collect(),
                None => vec![None; cols.len()],
            },
        })
        .collect();
    let title = fill(w.chart_matrix, &[("name", &m.name), ("time", m.time)]);
    heatmap(
        "chart-matrix",
        &title,
        &cols,
        &rows,
        64.0,
        w.legend_maturity,
        w.no_row,
    )
}

/// Per-concept fit of the recommended stack and the next best, or of the plan and each
/// environment's sub-stack for a scenario that spans environments.
pub(crate) fn stacks(d: &ReportData, v: &RecommendView) -> Option<String> {
    let w = words(d.lang);
    let mut rows = Vec::new();
    let label = |members: &[String], score: f64| format!("{} ({})", members.join(" + "), f4(score));
    if let Some(envs) = &v.environments {
        if let Some(s) = &v.stack {
            rows.push(HeatRow {
                label: format!("{} ({})", w.plan, f4(s.score)),
                strong: true,
                values: s.fit.0.iter().map(|x| Some(*x)).collect(),
            });
        }
        for e in envs {
            if let Some(s) = &e.stack {
                rows.push(HeatRow {
                    label: format!("{}: {}", e.scene, label(&s.members, s.score)),
                    strong: false,
                    values: s.fit.0.iter().map(|x| Some(*x)).collect(),
                });
            }
        }
    } else {
        for (i, s) in v.stack.iter().chain(&v.alternatives).enumerate() {
            rows.push(HeatRow {
                label: label(&s.members, s.score),
                strong: i == 0,
                values: s.fit.0.iter().map(|x| Some(*x)).collect(),
            });
        }
    }
    if rows.is_empty() {
        return None;
    }
    let weights = d.rank.scenario.weights;
    let equal = weights.iter().all(|x| *x == weights[0]);
    let cols: Vec<HeatCol> = d
        .concepts
        .iter()
        .map(|c| HeatCol {
            head: c.symbol.to_string(),
            sub: if equal {
                String::new()
            } else {
                short(weights[c.index])
            },
            outlined: false,
        })
        .collect();
    let title = if v.environments.is_some() {
        w.chart_plan
    } else {
        w.chart_stacks
    };
    Some(heatmap(
        "chart-stacks",
        title,
        &cols,
        &rows,
        44.0,
        w.fit,
        w.no_row,
    ))
}

/// The colour of rank `k` of `n`: the heat scale from dark (rank 1) to light (rank `n`), never as
/// light as the background.
fn rank_colour(k: usize, n: usize) -> (String, &'static str) {
    let v = if n > 1 {
        1.0 - 0.8 * (k - 1) as f64 / (n - 1) as f64
    } else {
        1.0
    };
    (heat(v), if v > 0.6 { WHITE } else { INK })
}

/// The rank acceptability of each chain as a stacked bar from 0 to 100 %, one segment per rank
/// (each labelled with its percentage where it is wide enough), in the order of the ranking.
pub(crate) fn acceptability(d: &ReportData, r: &RobustnessView) -> String {
    let w = words(d.lang);
    let alts = &r.alternatives;
    let ranks = alts.first().map_or(0, |a| a.acceptability_percent.len());
    let label_w = alts
        .iter()
        .map(|a| text_width(&a.name, 13.0))
        .fold(0.0, f64::max)
        .clamp(80.0, 260.0);
    let left = label_w + 16.0;
    let width = 900.0;
    let plot = width - left - 20.0;
    let top = 26.0;
    let row = 30.0;
    let bottom = top + row * alts.len() as f64;
    let height = bottom + 46.0;
    let x = |p: f64| left + plot * (p / 100.0).clamp(0.0, 1.0);
    let title = fill(
        w.chart_acceptability,
        &[
            ("samples", &crate::doc::grouped(r.samples)),
            ("seed", &r.seed.to_string()),
        ],
    );
    let mut out = String::new();
    open(&mut out, "chart-acceptability", width, height, &title);
    for tick in [0, 25, 50, 75, 100] {
        let tx = x(tick as f64);
        x_gridline(&mut out, tx, top, bottom, &format!("{tick}%"));
    }
    for (i, a) in alts.iter().enumerate() {
        let y0 = top + row * i as f64;
        let first = a.id == r.summary.most_likely_first.id;
        txt(
            &mut out,
            left - 10.0,
            y0 + 19.0,
            &format!(
                r#"font-size="13" fill="{INK}" text-anchor="end"{}"#,
                if first { r#" font-weight="600""# } else { "" }
            ),
            &a.name,
        );
        // Where each segment starts: the percentages of the ranks before it, laid end to end.
        let mut start = 0.0;
        for (k, p) in a.acceptability_percent.iter().enumerate() {
            let (x0, x1) = (x(start), x(start + p));
            start += p;
            if x1 - x0 <= 0.0 {
                continue;
            }
            let (fill_c, ink) = rank_colour(k + 1, ranks);
            let _ = write!(
                out,
                r#"<rect class="segment" x="{}" y="{}" width="{}" height="20" fill="{fill_c}" stroke="{WHITE}" stroke-width="0.5"><title>{}</title></rect>"#,
                n(x0),
                n(y0 + 5.0),
                n(x1 - x0),
                esc(&format!(
                    "{} ({}) · {}: {}%",
                    a.name,
                    a.id,
                    fill(w.rank_label, &[("n", &(k + 1).to_string())]),
                    fixed(*p, 1)
                ))
            );
            if x1 - x0 >= 38.0 {
                txt(
                    &mut out,
                    (x0 + x1) / 2.0,
                    y0 + 19.0,
                    &format!(r#"font-size="11" fill="{ink}" text-anchor="middle""#),
                    &format!("{}%", fixed(*p, 1)),
                );
            }
        }
    }
    // The legend: one swatch per rank.
    let ly = bottom + 28.0;
    let mut lx = left;
    for k in 1..=ranks {
        let (fill_c, _) = rank_colour(k, ranks);
        let label = fill(w.rank_label, &[("n", &k.to_string())]);
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="12" height="12" rx="2" fill="{fill_c}"/>"#,
            n(lx),
            n(ly - 10.0)
        );
        txt(
            &mut out,
            lx + 17.0,
            ly,
            &format!(r#"font-size="12" fill="{MUTED}""#),
            &label,
        );
        lx += 17.0 + text_width(&label, 12.0) + 18.0;
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_runs_from_light_to_dark() {
        assert_eq!(heat(0.0), "#f7fbff");
        assert_eq!(heat(0.5), "#6baed6");
        assert_eq!(heat(1.0), "#08306b");
        assert_eq!(heat(2.0), "#08306b");
        assert_eq!(heat(f64::NAN), "#f7fbff");
    }

    #[test]
    fn wide_characters_are_wider() {
        assert!(text_width("边缘", 10.0) > text_width("ab", 10.0));
    }
}
