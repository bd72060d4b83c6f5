//! Errors of the command line and their exit codes.

use stackmatrix_model::Diagnostics;
use std::fmt;

/// Why a command failed. Each variant has an exit code: 2 for bad usage or bad input (the user
/// can fix the command or the file), 1 for everything else.
#[derive(Debug)]
pub enum CliError {
    /// A flag's value is wrong: says which flag, what was wrong and what is accepted.
    Usage(String),
    /// Knowledge-base files have problems.
    Model(Diagnostics),
    /// Something outside the user's input failed (writing output, say).
    Failure(String),
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) | CliError::Model(_) => 2,
            CliError::Failure(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) | CliError::Failure(m) => write!(f, "error: {m}"),
            CliError::Model(d) => {
                for (i, problem) in d.0.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "error: {problem}")?;
                }
                let n = d.len();
                write!(
                    f,
                    "\n{n} problem{} in the knowledge base",
                    if n == 1 { "" } else { "s" }
                )
            }
        }
    }
}

impl From<Diagnostics> for CliError {
    fn from(d: Diagnostics) -> Self {
        CliError::Model(d)
    }
}

/// Result of a command.
pub type CliResult<T = ()> = Result<T, CliError>;
