//! Errors of the command line and their exit codes.

use stackmatrix_api::ApiError;
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
    /// The user interrupted the run (Ctrl-C); exit code 130, as shells report SIGINT.
    Interrupted(String),
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) | CliError::Model(_) => 2,
            CliError::Failure(_) => 1,
            CliError::Interrupted(_) => 130,
        }
    }

    /// An api error as the command line says it: after `flag` (`--vector: expected 6 numbers
    /// ...`), or standing alone when `flag` is `None`; with the api error's exit code.
    pub fn api(e: ApiError, flag: Option<&str>) -> CliError {
        let message = match flag {
            Some(flag) => format!("{flag}: {}", e.message()),
            None => e.message(),
        };
        match e.exit_code() {
            2 => CliError::Usage(message),
            _ => CliError::Failure(message),
        }
    }
}

/// The error of a verb whose subject is `--tech ID` or `--stack A,B`: an unknown technology
/// follows the flag that named it (`--tech` when it was given, else `--stack`); any other
/// error maps as [`From<ApiError>`] does.
pub fn subject_error(e: ApiError, tech_given: bool) -> CliError {
    match e {
        ApiError::NotFound {
            what: "technology", ..
        } => CliError::api(e, Some(if tech_given { "--tech" } else { "--stack" })),
        e => e.into(),
    }
}

/// The flag of a request field: `vector` is `--vector`, `max_size` is `--max-size`.
pub fn flag_of(field: &str) -> String {
    format!("--{}", field.replace('_', "-"))
}

/// Bad input follows the flag of its field and an unknown scenario follows `--scenario`; an
/// unknown technology or case (a positional argument) and a failure stand alone. Verbs whose
/// flags say it otherwise map their errors with [`CliError::api`].
impl From<ApiError> for CliError {
    fn from(e: ApiError) -> Self {
        let flag = match &e {
            ApiError::BadInput { field, .. } => Some(flag_of(field)),
            ApiError::NotFound {
                what: "scenario", ..
            } => Some("--scenario".to_string()),
            ApiError::NotFound { .. } | ApiError::Failure { .. } => None,
        };
        CliError::api(e, flag.as_deref())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) | CliError::Failure(m) | CliError::Interrupted(m) => {
                write!(f, "error: {m}")
            }
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
