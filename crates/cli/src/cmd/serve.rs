//! `stackmatrix serve`: the JSON API under /v1/ and the web page, until SIGTERM or Ctrl-C.

use crate::args::ServeArgs;
use crate::context::Ctx;
use crate::error::{CliError, CliResult};
use stackmatrix_server::AppState;
use std::io::ErrorKind;
use std::net::SocketAddr;
use std::sync::Arc;

/// Binds `--addr`, says `listening on http://ADDR` on standard error (the address actually
/// bound: `--addr 127.0.0.1:0` picks a free port) and serves the knowledge base loaded with
/// `--model`, names in `--lang` unless a request asks otherwise. SIGTERM or Ctrl-C stops
/// accepting connections and finishes the requests in flight; then the command exits 0.
pub fn run(ctx: Ctx, args: &ServeArgs) -> CliResult<String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failure(format!("cannot start the server: {e}")))?;
    let state = AppState::new(Arc::new(ctx.kb)).with_lang(ctx.lang);
    runtime.block_on(async {
        let bound = stackmatrix_server::bind(args.addr)
            .await
            .map_err(|e| bind_error(args.addr, &e))?;
        say!("listening on http://{}", bound.local_addr());
        let shutdown = async {
            stackmatrix_server::shutdown_signal().await;
            say!("shutting down: finishing the requests in flight");
        };
        bound
            .serve(state, shutdown)
            .await
            .map_err(|e| CliError::Failure(format!("the server stopped: {e}")))
    })?;
    Ok(String::new())
}

/// Why `--addr` cannot be listened on, in words.
fn bind_error(addr: SocketAddr, e: &std::io::Error) -> CliError {
    let why = match e.kind() {
        ErrorKind::AddrInUse => {
            "the address is already in use (is another server running there?); choose another port with --addr".to_string()
        }
        ErrorKind::AddrNotAvailable => {
            "the address is not one of this machine's; use 127.0.0.1 or 0.0.0.0".to_string()
        }
        ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need privileges); choose a port above 1023".to_string()
        }
        _ => e.to_string(),
    };
    CliError::Failure(format!("cannot listen on {addr}: {why}"))
}
