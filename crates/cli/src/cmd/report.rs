//! `stackmatrix report`: a self-contained report for a scenario (being built).

use crate::args::{Output, ReportArgs};
use crate::context::Ctx;
use crate::error::{CliError, CliResult};

pub fn run(_ctx: &Ctx, _args: &ReportArgs, _output: &Output) -> CliResult<String> {
    Err(CliError::Failure("report is not built yet".into()))
}
