//! `stackmatrix calibrate`: concept weights fitted to the source document's scores in least
//! squares; shows how far any non-negative weighting gets, changes no default.

use crate::args::Format;
use crate::context::{fixed, Ctx};
use crate::error::CliResult;
use crate::render::{Align, Table};
use stackmatrix_api::{CalibrateRequest, CalibrateView};
use stackmatrix_model::Lang;
use std::fmt::Write;

struct Words {
    scenario: &'static str,
    tech: &'static str,
    claimed: &'static str,
    default: &'static str,
    calibrated: &'static str,
    residual_default: &'static str,
    residual_calibrated: &'static str,
    concept: &'static str,
    name: &'static str,
    weight: &'static str,
    rms: &'static str,
    skipped: &'static str,
    weights: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        scenario: "Scenario",
        tech: "Technology",
        claimed: "Seed",
        default: "Default w",
        calibrated: "Calibrated w",
        residual_default: "Residual",
        residual_calibrated: "Residual (cal.)",
        concept: "Concept",
        name: "Name",
        weight: "Weight",
        rms: "RMS residual",
        skipped: "not used",
        weights: "Calibrated weights (sum 12; default 1 each)",
    };
    const ZH: Words = Words {
        scenario: "场景",
        tech: "技术链",
        claimed: "种子文档",
        default: "默认权重",
        calibrated: "校准权重",
        residual_default: "残差",
        residual_calibrated: "残差（校准）",
        concept: "概念",
        name: "名称",
        weight: "权重",
        rms: "均方根残差",
        skipped: "未使用",
        weights: "校准后的权重（总和 12；默认每个为 1）",
    };
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

pub fn run(ctx: &Ctx) -> CliResult<String> {
    let view = stackmatrix_api::calibrate(&ctx.kb, ctx.lang, &CalibrateRequest::default())?;
    match ctx.format {
        Format::Json => ctx.json(&view),
        Format::Csv => Ok(ctx.table(&figures_table(ctx, &view))),
        Format::Md => {
            let mut s = ctx.table(&figures_table(ctx, &view));
            s.push('\n');
            s.push_str(&ctx.table(&weights_table(ctx, &view)));
            Ok(s)
        }
        Format::Table => Ok(text(ctx, &view)),
    }
}

fn text(ctx: &Ctx, v: &CalibrateView) -> String {
    let w = words(ctx.lang);
    let mut out = ctx.table(&figures_table(ctx, v));
    for s in &v.skipped {
        let _ = writeln!(
            out,
            "{}: {} {}: {}",
            w.skipped, s.scenario, s.label, s.reason
        );
    }
    let _ = writeln!(
        out,
        "\n{}: {} -> {} ({} figures; KKT conditions {})\n",
        w.rms,
        fixed(v.rms_default, 4),
        fixed(v.rms_calibrated, 4),
        v.figures.len(),
        if v.kkt_verified {
            "verified"
        } else {
            "NOT verified"
        }
    );
    let _ = writeln!(out, "{}:", w.weights);
    out.push_str(&ctx.table(&weights_table(ctx, v)));
    for g in &v.interchangeable {
        let _ = writeln!(
            out,
            "{} fit alike in every figure: only their total weight is determined (split equally)",
            g.join(", ")
        );
    }
    let _ = writeln!(out, "\nnote: {}", v.note);
    out
}

fn figures_table(ctx: &Ctx, v: &CalibrateView) -> Table {
    let w = words(ctx.lang);
    let machine = ctx.format == Format::Csv;
    let num = |x: f64, d: usize| if machine { format!("{x}") } else { fixed(x, d) };
    let signed = |x: f64| {
        if machine {
            format!("{x}")
        } else {
            let s = fixed(x, 4);
            if s.starts_with('-') || s == "0.0000" {
                s
            } else {
                format!("+{s}")
            }
        }
    };
    let mut t = Table::new(&[
        (w.scenario, Align::Left),
        (w.tech, Align::Left),
        (w.claimed, Align::Right),
        (w.default, Align::Right),
        (w.residual_default, Align::Right),
        (w.calibrated, Align::Right),
        (w.residual_calibrated, Align::Right),
    ]);
    for f in &v.figures {
        t.push(vec![
            f.scenario.as_str().into(),
            f.tech.as_str().into(),
            num(f.claimed, 1).into(),
            num(f.computed_default, 4).into(),
            signed(f.residual_default).into(),
            num(f.computed_calibrated, 4).into(),
            signed(f.residual_calibrated).into(),
        ]);
    }
    t
}

fn weights_table(ctx: &Ctx, v: &CalibrateView) -> Table {
    let w = words(ctx.lang);
    let machine = ctx.format == Format::Csv;
    let mut t = Table::new(&[
        (w.concept, Align::Left),
        (w.name, Align::Left),
        (w.weight, Align::Right),
    ]);
    for c in &v.weights {
        t.push(vec![
            c.concept.into(),
            c.name.as_str().into(),
            if machine {
                format!("{}", c.weight)
            } else {
                fixed(c.weight, 4)
            }
            .into(),
        ]);
    }
    t
}
