//! Files the command line reads whole: through the model's one reader, so every flag that names
//! a file refuses a named pipe, a device or a directory without blocking, and a file over its
//! limit with a message naming the file and the limit.

use crate::error::{CliError, CliResult};
use stackmatrix_model::read::{read_text, Limit};
use std::path::Path;

/// Reads the file `flag` names as UTF-8 text of at most `limit`; a file that cannot be read is
/// the user's to fix (exit 2): `--matrix: cannot read m.csv: ...; expected a readable UTF-8 CSV
/// file`.
pub fn read_flag_file(flag: &str, path: &Path, limit: Limit, expected: &str) -> CliResult<String> {
    read_text(path, limit).map_err(|e| CliError::Usage(format!("{flag}: {e}; expected {expected}")))
}
