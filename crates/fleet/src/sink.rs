//! Where per-row results go: a CSV or Parquet file, written atomically.

use crate::atomic::AtomicFile;
use crate::csv::write_field;
use crate::score::{csv_header, Entry};
use crate::{FileKind, FleetError};
use rayon::prelude::*;
use stackmatrix_engine::fleet::FleetOptions;
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An output being written.
pub(crate) enum Sink {
    Csv { file: AtomicFile, path: PathBuf },
    Parquet(Box<crate::parquet_out::ParquetSink>),
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> FleetError + '_ {
    move |e| FleetError::Io(format!("cannot write {}: {e}", path.display()))
}

impl Sink {
    pub(crate) fn create(
        kind: FileKind,
        path: &Path,
        options: FleetOptions,
    ) -> Result<Sink, FleetError> {
        let file = AtomicFile::create(path).map_err(|e| {
            let message = format!(
                "--output: cannot create a file beside {}: {e}",
                path.display()
            );
            // A directory that does not exist is the user's to fix.
            if e.kind() == std::io::ErrorKind::NotFound {
                FleetError::Input(message)
            } else {
                FleetError::Io(message)
            }
        })?;
        match kind {
            FileKind::Csv => {
                let mut file = file;
                file.write_all(&csv_header(options)).map_err(io(path))?;
                Ok(Sink::Csv {
                    file,
                    path: path.to_path_buf(),
                })
            }
            FileKind::Parquet => Ok(Sink::Parquet(Box::new(
                crate::parquet_out::ParquetSink::new(file, path, options)?,
            ))),
        }
    }

    /// Writes scored rows in order: each row's id and its entry's results.
    pub(crate) fn write_rows(
        &mut self,
        rows: &[(Cow<[u8]>, u32)],
        entries: &[Entry],
    ) -> Result<(), FleetError> {
        match self {
            Sink::Csv { file, path } => {
                let pieces: Vec<Vec<u8>> = rows
                    .par_chunks(8192)
                    .map(|piece| {
                        let mut out = Vec::with_capacity(piece.len() * 96);
                        for (id, key) in piece {
                            write_field(&mut out, id);
                            out.extend_from_slice(&entries[*key as usize].tail);
                        }
                        out
                    })
                    .collect();
                for p in pieces {
                    file.write_all(&p).map_err(io(path))?;
                }
                Ok(())
            }
            Sink::Parquet(p) => p.write_rows(rows, entries),
        }
    }

    /// Completes the file and renames it into place.
    pub(crate) fn commit(self) -> Result<(), FleetError> {
        match self {
            Sink::Csv { file, path } => file.commit().map_err(io(&path)),
            Sink::Parquet(p) => p.commit(),
        }
    }
}
