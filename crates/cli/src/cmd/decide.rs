//! `stackmatrix decide`: a decision matrix of your own (CSV) ranked by a multi-criteria method.
//!
//! Works on the files it is given, not on the knowledge base, which it does not load. The CSV
//! files are read here and parsed by the api, which names the file, line and column of any
//! problem; notes about defaults go to standard error so that machine output stays clean.

use crate::args::{DecideArgs, Format};
use crate::context::fixed;
use crate::error::{CliError, CliResult};
use crate::render::{Align, Cell, Table};
use stackmatrix_api::request::{parse_types, DecideRequest, DecideWeights, PairwiseRequest};
use stackmatrix_api::views::DecideView;
use stackmatrix_model::Lang;
use std::fmt::Write;
use std::path::Path;

/// Words of `decide`'s text.
struct Words {
    method: &'static str,
    higher: &'static str,
    lower: &'static str,
    weights: &'static str,
    criterion: &'static str,
    kind: &'static str,
    weight: &'static str,
    rank: &'static str,
    alternative: &'static str,
    preference: &'static str,
    given: &'static str,
    normalised: &'static str,
    tie_note: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        method: "Method",
        higher: "higher preference is better",
        lower: "lower preference is better",
        weights: "Weights",
        criterion: "Criterion",
        kind: "Type",
        weight: "Weight",
        rank: "Rank",
        alternative: "Alternative",
        preference: "Preference",
        given: "given",
        normalised: "divided by their sum",
        tie_note: "Preferences within 1e-9 share a rank.",
    };
    const ZH: Words = Words {
        method: "方法",
        higher: "偏好值越大越好",
        lower: "偏好值越小越好",
        weights: "权重",
        criterion: "准则",
        kind: "类型",
        weight: "权重",
        rank: "排名",
        alternative: "备选方案",
        preference: "偏好值",
        given: "给定",
        normalised: "已除以其和",
        tie_note: "偏好值相差不超过 1e-9 视为并列。",
    };
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// Reads a file named by a flag; a file that cannot be read is the user's to fix (exit 2).
pub fn read_file(flag: &str, path: &Path) -> CliResult<String> {
    crate::input::read_flag_file(
        flag,
        path,
        stackmatrix_model::read::DECISION_FILE,
        "a readable UTF-8 CSV file",
    )
}

pub fn run(format: Format, lang: Lang, args: &DecideArgs) -> CliResult<String> {
    let text = read_file("--matrix", &args.matrix)?;
    let mut req = DecideRequest::from_csv(&text, &args.matrix.display().to_string())?;
    req.types = args.types.as_deref().map(parse_types);
    req.weights = args
        .weights
        .as_deref()
        .map(DecideWeights::parse)
        .transpose()?;
    if let Some(path) = &args.ahp {
        let text = read_file("--ahp", path)?;
        req.ahp = Some(PairwiseRequest::parse_csv(
            &text,
            &path.display().to_string(),
        )?);
    }
    req.method = args.method.clone();
    let view = stackmatrix_api::decide(lang, &req)?;
    for note in &view.notes {
        say!("note: {note}");
    }
    let render = |t: &Table| match format {
        Format::Csv => t.to_csv(),
        Format::Md => t.to_markdown(),
        Format::Table | Format::Json => t.to_text(false),
    };
    match format {
        Format::Json => serde_json::to_string_pretty(&view)
            .map(|s| s + "\n")
            .map_err(|e| CliError::Failure(format!("cannot write JSON: {e}"))),
        Format::Csv => Ok(render(&machine_table(&view))),
        Format::Md => Ok(format!(
            "{}\n{}",
            render(&machine_table(&view)),
            render(&criteria_table(lang, &view))
        )),
        Format::Table => Ok(text_of(lang, &view, &render)),
    }
}

/// The answer as text: the method, the weights' source, the criteria and the ranking.
fn text_of(lang: Lang, view: &DecideView, render: &dyn Fn(&Table) -> String) -> String {
    let w = words(lang);
    let mut out = String::new();
    let direction = if view.higher_is_better {
        w.higher
    } else {
        w.lower
    };
    let _ = writeln!(out, "{}: {} ({direction})", w.method, view.method);
    let mut source = match view.weighting.source.as_str() {
        "given" => w.given.to_string(),
        s => s.to_string(),
    };
    if view.weighting.normalised {
        let _ = write!(source, ", {}", w.normalised);
    }
    if let Some(a) = &view.weighting.ahp {
        let _ = write!(
            source,
            " (λmax {}, CI {}, RI {} {}, CR {} ≤ {})",
            fixed(a.lambda_max, 4),
            fixed(a.consistency_index, 4),
            a.random_index,
            a.random_index_table,
            fixed(a.consistency_ratio, 3),
            a.threshold
        );
    }
    let _ = writeln!(out, "{}: {source}\n", w.weights);
    out.push_str(&render(&criteria_table(lang, view)));
    out.push('\n');
    out.push_str(&render(&ranking_table(lang, view)));
    if view.ranking.iter().any(|e| e.tied) {
        let _ = writeln!(out, "\n= {}", w.tie_note);
    }
    out
}

fn criteria_table(lang: Lang, view: &DecideView) -> Table {
    let w = words(lang);
    let mut t = Table::new(&[
        (w.criterion, Align::Left),
        (w.kind, Align::Left),
        (w.weight, Align::Right),
    ]);
    for c in &view.criteria {
        t.push(vec![
            c.name.as_str().into(),
            c.kind.into(),
            fixed(c.weight, 4).into(),
        ]);
    }
    t
}

fn ranking_table(lang: Lang, view: &DecideView) -> Table {
    let w = words(lang);
    let mut t = Table::new(&[
        (w.rank, Align::Right),
        (w.alternative, Align::Left),
        (w.preference, Align::Right),
    ]);
    for e in &view.ranking {
        let rank = if e.tied {
            format!("={}", e.rank)
        } else {
            e.rank.to_string()
        };
        t.push(vec![
            rank.into(),
            e.alternative.as_str().into(),
            fixed(e.preference, 4).into(),
        ]);
    }
    t
}

/// The ranking with full precision, for CSV and Markdown.
fn machine_table(view: &DecideView) -> Table {
    let mut t = Table::new(&[
        ("rank", Align::Right),
        ("tied", Align::Left),
        ("alternative", Align::Left),
        ("preference", Align::Right),
    ]);
    for e in &view.ranking {
        t.push(vec![
            e.rank.to_string().into(),
            e.tied.to_string().into(),
            Cell::from(e.alternative.as_str()),
            format!("{}", e.preference).into(),
        ]);
    }
    t
}
