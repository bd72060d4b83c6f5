//! The `stackmatrix` command line: parses arguments into requests, loads the knowledge base,
//! asks `stackmatrix-api` for the answers and renders them. It computes nothing itself.

/// `eprintln!` for notes and warnings, which may quote untrusted text (file names, ids,
/// cells): the line passes [`untrusted::message`], so control characters are escaped and a
/// long line is cut with its length said.
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("{}", stackmatrix_model::untrusted::message(&format!($($arg)*)))
    };
}

mod args;
mod cmd;
mod context;
mod error;
mod i18n;
mod input;
mod outputs;
mod render;

use args::{Cli, Command, Format, ModelCommand, Output};
use clap::{CommandFactory, Parser};
use context::Ctx;
use error::CliResult;
use stackmatrix_model::untrusted;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Panics caught while decoding an untrusted Parquet file become clean errors (exit 2);
    // this keeps them from also printing a panic message. Other panics report as usual.
    stackmatrix_fleet::install_quiet_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // clap's own errors quote the argument they refuse, whole and raw: it passes the one
        // sanitiser like every other message (a 100 KB value is cut, an ESC shown escaped).
        // Help and version are no errors and print as clap prints them.
        Err(e) if e.use_stderr() => {
            eprint!("{}", untrusted::message(&e.render().to_string()));
            return ExitCode::from(e.exit_code() as u8);
        }
        Err(e) => e.exit(),
    };
    match run(&cli) {
        Ok(text) => {
            // Completion scripts are the shell's code, not text for a person.
            let text = match &cli.command {
                Command::Completions(_) => text,
                _ => render::guard(text),
            };
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                // A closed pipe (`stackmatrix rank ... | head -1`) is the reader's choice.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write output: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Err(e) => {
            eprintln!("{}", untrusted::message(&e.to_string()));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run(cli: &Cli) -> CliResult<String> {
    let format = match (&cli.output, &cli.command) {
        (Output::Format(f), _) => *f,
        // The report decides its format from the file name.
        (Output::File(_), Command::Report(_)) => Format::Md,
        // `fleet` takes `-o FILE.csv|FILE.parquet` as its output file.
        (Output::File(_), Command::Fleet(_)) => Format::Table,
        (Output::File(path), _) => {
            return Err(error::CliError::Usage(format!(
            "-o: '{}' is a file name; only `report` (.html, .md) and `fleet` (.csv, .parquet) write files. Expected table, json, csv or md",
            path.display()
        )))
        }
    };
    // Verbs that work on files other than the knowledge base itself do not load it.
    match &cli.command {
        Command::Model(ModelCommand::Check(a)) => return cmd::model::check(format, a),
        Command::Model(ModelCommand::Export(a)) => return cmd::model::export(a),
        Command::Decide(a) => return cmd::decide::run(format, context::lang_of(cli.lang), a),
        Command::Fleet(f) => {
            if let Some(done) = cmd::fleet::run_without_kb(cli, f) {
                return done;
            }
        }
        Command::Completions(a) => {
            let mut buf = Vec::new();
            clap_complete::generate(a.shell, &mut Cli::command(), "stackmatrix", &mut buf);
            return Ok(String::from_utf8_lossy(&buf).into_owned());
        }
        _ => {}
    }
    let ctx = Ctx::new(cli, format)?;
    match &cli.command {
        Command::Rank(a) => cmd::rank::run(&ctx, a),
        Command::Explain(a) => cmd::explain::run(&ctx, a),
        Command::Recommend(a) => cmd::recommend::run(&ctx, a),
        Command::Cases(a) => cmd::cases::run(&ctx, a),
        Command::Audit => cmd::audit::run(&ctx),
        Command::List(a) => cmd::list::run(&ctx, a),
        Command::Show(a) => cmd::show::run(&ctx, a),
        Command::Migrate(a) => cmd::migrate::run(&ctx, a),
        Command::Fleet(f) => cmd::fleet::run(&ctx, cli, f),
        Command::Deps(a) => cmd::deps::run(&ctx, a),
        Command::Ops(a) => cmd::ops::run(&ctx, a),
        Command::Risk(a) => cmd::risk::run(&ctx, a),
        Command::Cost(a) => cmd::cost::run(&ctx, a),
        Command::Adapt(a) => cmd::adapt::run(&ctx, a),
        Command::Learn(a) => cmd::learn::run(&ctx, a),
        Command::Calibrate => cmd::calibrate::run(&ctx),
        Command::Report(a) => cmd::report::run(&ctx, a, &cli.output),
        Command::Serve(a) => cmd::serve::run(ctx, a),
        Command::Compare(a) => cmd::compare::run(&ctx, a),
        Command::Robustness(a) => cmd::robustness::run(&ctx, a),
        Command::Model(_) | Command::Completions(_) | Command::Decide(_) => {
            unreachable!("handled above")
        }
    }
}
