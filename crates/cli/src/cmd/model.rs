//! `stackmatrix model check DIR` and `stackmatrix model export DIR`.

use crate::args::{Format, ModelCheckArgs, ModelExportArgs};
use crate::error::{CliError, CliResult};
use crate::outputs::RunFiles;
use stackmatrix_api::views::ModelCheckView;
use stackmatrix_fleet::atomic::write_atomically;
use std::path::Path;

/// Checks a directory, as an overlay on the built-in knowledge base or standalone. Every problem
/// is reported; any problem exits with 2.
pub fn check(format: Format, args: &ModelCheckArgs) -> CliResult<String> {
    if !args.dir.is_dir() {
        // Says "does not exist" or "is not a directory", and nothing else.
        stackmatrix_model::read_dir(&args.dir)?;
    }
    // Unreadable files are reported together with the problems of the readable ones.
    let (files, mut problems) = stackmatrix_model::read_dir_partial(&args.dir);
    let loaded = if args.standalone {
        stackmatrix_model::load(&files)
    } else {
        stackmatrix_model::load_overlay(&stackmatrix_model::builtin_files(), &files)
    };
    let kb = match loaded {
        Ok(kb) if problems.is_empty() => kb,
        Ok(_) => return Err(problems.into()),
        Err(more) => {
            problems.0.extend(more.0);
            return Err(problems.into());
        }
    };
    let view = ModelCheckView {
        dir: args.dir.display().to_string(),
        standalone: args.standalone,
        ok: true,
        technologies: kb.technologies.len(),
        scenarios: kb.scenarios.len(),
    };
    if format == Format::Json {
        return serde_json::to_string_pretty(&view)
            .map(|s| s + "\n")
            .map_err(|e| CliError::Failure(e.to_string()));
    }
    Ok(format!(
        "ok: {} ({} file{}{}): {} technologies, {} scenarios after loading\n",
        view.dir,
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        if args.standalone {
            ", standalone"
        } else {
            ", overlaid on the built-in knowledge base"
        },
        view.technologies,
        view.scenarios
    ))
}

/// Writes the built-in files. Refuses to overwrite a file that differs unless `--force`, so a
/// user's edits are never lost by accident.
pub fn export(args: &ModelExportArgs) -> CliResult<String> {
    let files = stackmatrix_model::builtin_files();
    if args.dir.exists() && !args.dir.is_dir() {
        return Err(CliError::Usage(format!(
            "{} is not a directory; expected a directory to write the knowledge base into (created if missing)",
            args.dir.display()
        )));
    }
    let fail = |p: &Path, e: std::io::Error| {
        CliError::Failure(format!("cannot write {}: {e}", p.display()))
    };
    let mut guard = RunFiles::new();
    for f in &files {
        guard.output("DIR", &args.dir.join(&f.path));
    }
    guard.check()?;
    if !args.force {
        let clashes: Vec<String> = files
            .iter()
            .map(|f| args.dir.join(&f.path))
            .filter(|p| p.exists())
            .filter(|p| {
                // Through the one reader: a named pipe in the way must not block the export
                // (it is then a clash, like any file that differs).
                let limit = stackmatrix_model::read::KNOWLEDGE_BASE_FILE;
                let text = stackmatrix_model::read::read_text(p, limit).unwrap_or_default();
                files
                    .iter()
                    .all(|f| args.dir.join(&f.path) != *p || f.text != text)
            })
            .map(|p| p.display().to_string())
            .collect();
        if !clashes.is_empty() {
            return Err(CliError::Usage(format!(
                "{} would be overwritten: {}; use --force to overwrite",
                if clashes.len() == 1 {
                    "a file"
                } else {
                    "files"
                },
                clashes.join(", ")
            )));
        }
    }
    for f in &files {
        let path = args.dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fail(parent, e))?;
        }
        // Write beside the target and rename, so an interrupted export never leaves half a file.
        write_atomically(&path, f.text.as_bytes()).map_err(|e| fail(&path, e))?;
    }
    Ok(format!(
        "wrote {} files to {}; check them with: stackmatrix model check --standalone {}\n",
        files.len(),
        args.dir.display(),
        args.dir.display()
    ))
}
