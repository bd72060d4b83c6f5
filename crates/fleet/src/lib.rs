//! Fleet-scale batch scoring for `stackmatrix`: an inventory of nodes or workloads (CSV or
//! Parquet, millions of rows) mapped row by row by the fleet rules to a scene vector and
//! requirements, scored exactly as `rank --vector` and `recommend --vector --require` score the
//! same input, and written with a fleet summary.
//!
//! The pipeline streams in blocks with bounded memory, works each block on all cores (rayon),
//! scores each distinct rule set once, writes its output atomically, and reports every rejected
//! row with its line number, column and reason. The mapping and scoring are in
//! `stackmatrix_engine::fleet`; this crate does the I/O.

#![deny(missing_docs)]

pub mod atomic;
pub mod csv;
mod decode_guard;
pub mod generate;
pub mod kernel;
pub use decode_guard::install_quiet_panic_hook;
mod parquet_in;
mod parquet_out;
mod score;
mod sink;
#[cfg(test)]
mod stream_tests;

pub use crate::atomic::AtomicFile;
pub use crate::generate::{generate, GenerateOptions};
pub use crate::score::{csv_header, score, OnError, ScoreOptions, ScoreRun};
use serde::Serialize;
pub use stackmatrix_engine::fleet::{FleetSummary, RowCounts, Share};
use std::path::Path;

/// A rejected row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reject {
    /// 1-based line of the file the row starts on (Parquet: the row number plus 1, as if the
    /// file had a header line).
    pub line: u64,
    /// The row's id, when it could be read.
    pub id: Option<String>,
    /// The column at fault; empty for the row as a whole.
    pub column: String,
    /// What is wrong and what was expected.
    pub reason: String,
}

impl std::fmt::Display for Reject {
    /// `LINE: column COLUMN: REASON (id ID)`, to follow the file name: `inv.csv:34: ...`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.line)?;
        if !self.column.is_empty() {
            write!(f, "column {}: ", self.column)?;
        }
        f.write_str(&self.reason)?;
        if let Some(id) = &self.id {
            write!(f, " (id {})", stackmatrix_model::untrusted::shown(id))?;
        }
        Ok(())
    }
}

/// Why a run failed. Exit codes: 2 for the user's input, 1 for I/O, 130 for an interrupt.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FleetError {
    /// The input, the rules or a flag is wrong as a whole.
    #[error("{0}")]
    Input(String),
    /// A bad row under `--on-error fail`.
    #[error("{file}:{reject}; nothing was written (use --on-error skip to leave bad rows out)", reject = .reject)]
    BadRow {
        /// The inventory.
        file: String,
        /// The row.
        reject: Reject,
    },
    /// Reading or writing failed.
    #[error("{0}")]
    Io(String),
    /// The run was interrupted (SIGINT); nothing was written.
    #[error("interrupted; nothing was written and an existing output was left as it was")]
    Interrupted,
}

impl FleetError {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            FleetError::Input(_) | FleetError::BadRow { .. } => 2,
            FleetError::Io(_) => 1,
            FleetError::Interrupted => 130,
        }
    }
}

/// Inventory and output file kinds, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `.csv`
    Csv,
    /// `.parquet`
    Parquet,
}

impl FileKind {
    /// The kind of a file from its extension; `flag` names the flag in the error.
    pub fn of(path: &Path, flag: &str) -> Result<FileKind, FleetError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => Ok(FileKind::Csv),
            Some("parquet" | "pq") => Ok(FileKind::Parquet),
            _ => Err(FleetError::Input(format!(
                "{flag}: '{}' has no known extension; expected a file ending in .csv or .parquet",
                path.display()
            ))),
        }
    }
}

/// Opens the inventory `--input` names through the model's one reader: a regular file only
/// (a named pipe or a device is refused before it is opened for reading, so it never blocks),
/// of any size, since inventories are read in blocks.
pub(crate) fn open_input(path: &Path) -> Result<std::fs::File, FleetError> {
    use stackmatrix_model::read::{open_stream, ReadProblem};
    open_stream(path).map_err(|e| match &e.problem {
        ReadProblem::Io(io) => {
            FleetError::Input(format!("--input: cannot open {}: {io}", path.display()))
        }
        _ => FleetError::Input(format!("--input: {e}; expected a CSV or Parquet file")),
    })
}

/// The number of rows of a Parquet file (from its footer), `None` for any other file or one
/// that cannot be read: for a progress bar in rows.
pub fn parquet_rows(path: &Path) -> Option<u64> {
    match FileKind::of(path, "") {
        Ok(FileKind::Parquet) => parquet_in::rows(path),
        _ => None,
    }
}

/// Progress of a run: bytes of input done (0 when unknown) and rows done since the last call.
pub trait Progress: Sync {
    /// Called after each block.
    fn advance(&self, bytes_done: u64, rows: u64);
}

/// No progress shown.
pub struct NoProgress;

impl Progress for NoProgress {
    fn advance(&self, _: u64, _: u64) {}
}
