//! `stackmatrix report`: a self-contained report for a scenario, HTML (inline SVG charts) or
//! Markdown, rendered by `stackmatrix-report` from the api's views.
//!
//! `-o FILE.html` (or `.htm`) writes HTML and `-o FILE.md` (or `.markdown`) writes Markdown; the
//! file is written atomically (the product's one atomic writer, after the output guard of
//! `crate::outputs` has checked it is not an input) and the
//! command says on standard error what it wrote. Without a file (`-o table`, the default, or
//! `-o md`) the Markdown goes to standard output. `-o json` and `-o csv` are not report formats.
//!
//! Every report has every section, the decision methods compared and the robustness analysis
//! (SMAA-2 with 20,000 samples and seed 1) included, so a scenario always gives the same report.
//! The planning sections (risk, cost, dependencies, migration, adaptation, Θ) take `--from CHAIN`
//! (the migration path from that chain to the top chain) and `--min-score X` (the threshold of
//! the cheapest stack).

use crate::args::{Format, Output, ReportArgs};
use crate::cmd::scenario_input::{note_normalisation, scenario_request};
use crate::context::Ctx;
use crate::error::{CliError, CliResult};
use crate::outputs::RunFiles;
use stackmatrix_api::request::RecommendRequest;
use stackmatrix_api::ApiError;
use stackmatrix_fleet::atomic::write_atomically;
use std::path::{Path, PathBuf};

/// What the report is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Html,
    Markdown,
}

pub fn run(ctx: &Ctx, args: &ReportArgs, output: &Output) -> CliResult<String> {
    // Where the report goes is settled before anything is computed.
    let target = match output {
        Output::Format(Format::Table | Format::Md) => None,
        Output::Format(f @ (Format::Json | Format::Csv)) => {
            return Err(CliError::Usage(format!(
                "-o {}: a report is HTML or Markdown; expected -o FILE.html, -o FILE.md, or -o md for Markdown on standard output (for JSON use rank, recommend and audit with -o json)",
                if *f == Format::Json { "json" } else { "csv" }
            )))
        }
        Output::File(path) => Some((path.clone(), kind_of(path)?)),
    };
    if let Some((path, _)) = &target {
        let mut files = RunFiles::new();
        files
            .overlay("--model", ctx.model_dir.as_deref())
            .output("-o", path);
        if let Some(summary) = &args.fleet_summary {
            files.input("--fleet-summary", summary);
        }
        files.check()?;
    }
    if let Some(summary) = &args.fleet_summary {
        return fleet_summary(ctx, summary, target);
    }
    let scenario = scenario_request(&ctx.kb, &args.scenario)?;
    note_normalisation(ctx, &scenario)?;
    let req = RecommendRequest {
        scenario,
        ..RecommendRequest::default()
    };
    let generated_by = format!("stackmatrix {}", env!("CARGO_PKG_VERSION"));
    let options = stackmatrix_report::ReportOptions {
        planning: Some(stackmatrix_report::PlanningOptions {
            from: args.from.clone(),
            min_score: args.min_score,
        }),
        ..stackmatrix_report::ReportOptions::default()
    };
    let data = stackmatrix_report::collect_with(&ctx.kb, ctx.lang, &req, &generated_by, &options)
        .map_err(report_error)?;
    match target {
        None => Ok(stackmatrix_report::render_markdown(&data)),
        Some((path, kind)) => {
            let text = match kind {
                Kind::Html => stackmatrix_report::render_html(&data),
                Kind::Markdown => stackmatrix_report::render_markdown(&data),
            };
            write_atomically(&path, text.as_bytes())
                .map_err(|e| CliError::Failure(format!("cannot write {}: {e}", path.display())))?;
            say!("wrote {} ({} bytes)", path.display(), text.len());
            Ok(String::new())
        }
    }
}

/// An api error with the report's flag: an unknown chain can only come from `--from`, and the
/// cheapest-stack search refuses a scenario only because `--min-score` asked for it.
fn report_error(e: ApiError) -> CliError {
    match e {
        ApiError::NotFound { what: "chain", .. } => CliError::api(e, Some("--from")),
        ApiError::BadInput {
            field: "min_cost", ..
        } => CliError::api(e, Some("--min-score")),
        other => other.into(),
    }
}

/// `report --fleet-summary FILE.json`: the summary `fleet score --summary` wrote, rendered.
fn fleet_summary(ctx: &Ctx, path: &Path, target: Option<(PathBuf, Kind)>) -> CliResult<String> {
    let text = crate::input::read_flag_file(
        "--fleet-summary",
        path,
        stackmatrix_model::read::FLEET_SUMMARY_FILE,
        "the JSON that `stackmatrix fleet score --summary FILE.json` writes",
    )?;
    let summary: stackmatrix_fleet::FleetSummary = serde_json::from_str(&text).map_err(|e| {
        CliError::Usage(format!(
            "--fleet-summary: {}:{}:{}: {e}; expected the JSON that `stackmatrix fleet score --summary FILE.json` writes",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    let generated_by = format!("stackmatrix {}", env!("CARGO_PKG_VERSION"));
    match target {
        None => Ok(stackmatrix_report::render_fleet_markdown(
            &summary,
            ctx.lang,
            &generated_by,
        )),
        Some((out, kind)) => {
            let text = match kind {
                Kind::Html => {
                    stackmatrix_report::render_fleet_html(&summary, ctx.lang, &generated_by)
                }
                Kind::Markdown => {
                    stackmatrix_report::render_fleet_markdown(&summary, ctx.lang, &generated_by)
                }
            };
            write_atomically(&out, text.as_bytes())
                .map_err(|e| CliError::Failure(format!("cannot write {}: {e}", out.display())))?;
            say!("wrote {} ({} bytes)", out.display(), text.len());
            Ok(String::new())
        }
    }
}

/// The report's format from the file's extension.
fn kind_of(path: &Path) -> CliResult<Kind> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => Ok(Kind::Html),
        Some("md" | "markdown") => Ok(Kind::Markdown),
        _ => Err(CliError::Usage(format!(
            "-o {}: expected a file ending in .html, .htm, .md or .markdown",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_decides_the_format() {
        assert_eq!(kind_of(Path::new("a/r.HTML")).unwrap(), Kind::Html);
        assert_eq!(kind_of(Path::new("r.htm")).unwrap(), Kind::Html);
        assert_eq!(kind_of(Path::new("r.md")).unwrap(), Kind::Markdown);
        assert_eq!(kind_of(Path::new("r.markdown")).unwrap(), Kind::Markdown);
        assert!(kind_of(Path::new("r.txt")).is_err());
    }
}
