//! `stackmatrix serve`: the JSON API and the web page (being built).

use crate::args::ServeArgs;
use crate::context::Ctx;
use crate::error::{CliError, CliResult};

pub fn run(_ctx: Ctx, _args: &ServeArgs) -> CliResult<String> {
    Err(CliError::Failure("serve is not built yet".into()))
}
