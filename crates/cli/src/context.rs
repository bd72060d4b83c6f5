//! What every command needs: the knowledge base, the language, the format and colour choice.

use crate::args::{Cli, ColorArg, Format, LangArg};
use crate::error::{CliError, CliResult};
use crate::render::Table;
use serde::Serialize;
use stackmatrix_model::{KnowledgeBase, Lang};
use std::io::IsTerminal;

/// How numbers are written, shared with the api's summaries.
pub use stackmatrix_api::numbers::{fixed, short};

/// The shared state of one invocation.
pub struct Ctx {
    pub kb: KnowledgeBase,
    pub lang: Lang,
    pub format: Format,
    pub color: bool,
    /// The `--model` directory, whose files this run read (the output guard keeps outputs out).
    pub model_dir: Option<std::path::PathBuf>,
}

impl Ctx {
    /// Loads the knowledge base (built-in, with `--model` overlaid) and settles the output choices.
    pub fn new(cli: &Cli, format: Format) -> CliResult<Ctx> {
        let base = stackmatrix_model::builtin_files();
        let kb = match &cli.model {
            None => stackmatrix_model::load(&base)?,
            Some(dir) => {
                // Say which flag named the missing directory; read_dir's diagnostic would not.
                if !dir.is_dir() {
                    return Err(CliError::Usage(format!(
                        "--model: {} {}; expected a knowledge-base directory (write one with: stackmatrix model export DIR)",
                        dir.display(),
                        if dir.exists() { "is not a directory" } else { "does not exist" }
                    )));
                }
                let overlay = stackmatrix_model::read_dir(dir)?;
                stackmatrix_model::load_overlay(&base, &overlay)?
            }
        };
        Ok(Ctx {
            kb,
            lang: lang_of(cli.lang),
            format,
            color: color_enabled(cli.color, format),
            model_dir: cli.model.clone(),
        })
    }

    /// Renders a table in the chosen format (`json` is handled by [`Ctx::json`]).
    pub fn table(&self, table: &Table) -> String {
        match self.format {
            Format::Csv => table.to_csv(),
            Format::Md => table.to_markdown(),
            Format::Table | Format::Json => table.to_text(self.color),
        }
    }

    /// Pretty JSON with a trailing newline.
    pub fn json<T: Serialize>(&self, value: &T) -> CliResult<String> {
        serde_json::to_string_pretty(value)
            .map(|s| s + "\n")
            .map_err(|e| CliError::Failure(format!("cannot write JSON: {e}")))
    }
}

pub fn lang_of(lang: LangArg) -> Lang {
    match lang {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    }
}

/// Colour only for aligned text on a terminal, unless forced; `NO_COLOR` (any non-empty value)
/// turns auto mode off, as no-color.org asks.
fn color_enabled(choice: ColorArg, format: Format) -> bool {
    if format != Format::Table {
        return false;
    }
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}
