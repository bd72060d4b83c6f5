//! `stackmatrix report`: a self-contained report for a scenario, HTML (inline SVG charts) or
//! Markdown, rendered by `stackmatrix-report` from the api's views.
//!
//! `-o FILE.html` (or `.htm`) writes HTML and `-o FILE.md` (or `.markdown`) writes Markdown; the
//! file is written atomically (a temporary file in the same directory, then renamed) and the
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
use stackmatrix_api::request::RecommendRequest;
use stackmatrix_api::ApiError;
use std::io::Write;
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

/// Writes `bytes` to `path` so that a reader sees the old file or the whole new one, never a
/// part: a temporary file in the same directory is written, flushed to disk and renamed over
/// `path`. The temporary file is removed when anything fails.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(bytes)
        .and_then(|_| file.sync_all())
        .and_then(|_| {
            drop(file);
            std::fs::rename(&tmp, path)
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
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

    #[test]
    fn atomic_write_replaces_and_leaves_nothing_behind() {
        let dir = std::env::temp_dir().join(format!("stackmatrix-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.md");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("r.md")]);
        assert!(write_atomically(&dir.join("missing/r.md"), b"x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
