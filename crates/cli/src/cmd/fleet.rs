//! `stackmatrix fleet score|generate|rules`: batch scoring of node and workload inventories
//! (stackmatrix-fleet does the work; this module parses flags, shows progress on a terminal
//! and renders the summary; `crate::outputs` guards the files and handles signals).

use crate::args::{Cli, Format, Output};
use crate::context::{fixed, Ctx};
use crate::error::{CliError, CliResult};
use crate::outputs::{interrupt_flag, RunFiles};
use crate::render::{Align, Table};
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stackmatrix_fleet::kernel::SimdLevel;
use stackmatrix_fleet::{
    FleetError, FleetSummary, GenerateOptions, OnError, Progress, ScoreOptions, Share,
};
use stackmatrix_model::{FleetRules, Lang};
use std::io::IsTerminal;
use std::path::PathBuf;

/// `fleet` subcommands.
#[derive(Debug, Subcommand)]
pub enum FleetCommand {
    /// Score every row of an inventory (CSV or Parquet): scene vector, best chains and stack per row, and a fleet summary.
    Score(FleetScoreArgs),
    /// Write a synthetic inventory of edge nodes, GPU nodes, multi-tenant clusters, functions, CI runners and dev machines.
    Generate(FleetGenerateArgs),
    /// Print the built-in fleet rules (to edit and pass with --rules), or check a rules file with --rules.
    Rules(FleetRulesArgs),
    /// Time the scoring kernel alone against a plain read of the same bytes (for bench/fleet.sh); prints JSON.
    #[command(hide = true)]
    Kernel(FleetKernelArgs),
}

/// `fleet kernel`.
#[derive(Debug, Args)]
pub struct FleetKernelArgs {
    /// Rows held in memory.
    #[arg(long, value_name = "N", default_value_t = 4_000_000)]
    pub rows: usize,
    /// Seed of the generated rows.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Repetitions (the best time of each is kept).
    #[arg(long, value_name = "R", default_value_t = 5)]
    pub reps: usize,
    /// The build of the kernel's passes: the widest the CPU has, or one below it.
    #[arg(long, value_enum, default_value_t = SimdArg::Auto)]
    pub simd: SimdArg,
}

/// `fleet kernel --simd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimdArg {
    /// The widest build the CPU has.
    Auto,
    /// AVX-512 (F, BW, VL, DQ).
    Avx512,
    /// AVX2.
    Avx2,
    /// The build for any CPU of the target.
    Portable,
}

impl From<SimdArg> for SimdLevel {
    fn from(a: SimdArg) -> SimdLevel {
        match a {
            SimdArg::Auto => SimdLevel::Auto,
            SimdArg::Avx512 => SimdLevel::Avx512,
            SimdArg::Avx2 => SimdLevel::Avx2,
            SimdArg::Portable => SimdLevel::Portable,
        }
    }
}

/// What to do with a bad row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnErrorArg {
    /// Stop at the first bad row, write nothing, exit 2.
    Fail,
    /// Leave bad rows out, list them, go on.
    Skip,
}

/// `fleet score`.
#[derive(Debug, Args)]
pub struct FleetScoreArgs {
    /// The inventory: a .csv file with a header row, or a .parquet file.
    #[arg(long, value_name = "FILE.csv|FILE.parquet")]
    pub input: PathBuf,

    /// The fleet rules (TOML) [default: the built-in rules; see `stackmatrix fleet rules`].
    #[arg(long, value_name = "FILE.toml")]
    pub rules: Option<PathBuf>,

    /// Where to write one result row per scored row (.csv or .parquet); written atomically.
    #[arg(long = "output", value_name = "FILE.csv|FILE.parquet")]
    pub output_file: Option<PathBuf>,

    /// Best chains per row (columns chain_1, score_1, ..., chain_K, score_K).
    #[arg(long, value_name = "K", default_value_t = 1)]
    pub top: usize,

    /// Search the best stack per row too (columns stack, stack_score), as `recommend` does.
    #[arg(long)]
    pub stacks: bool,

    /// Write the fleet summary as JSON to FILE (or, without FILE, print it on standard output).
    #[arg(long, value_name = "FILE.json", num_args = 0..=1, default_missing_value = "-")]
    pub summary: Option<PathBuf>,

    /// What a row with a missing or malformed field does: stop the run (fail) or be left out (skip).
    #[arg(long, value_enum, default_value_t = OnErrorArg::Fail)]
    pub on_error: OnErrorArg,

    /// With --on-error skip: list every rejected row in this CSV file (line, id, column, reason).
    #[arg(long, value_name = "FILE.csv")]
    pub rejects: Option<PathBuf>,

    /// Rejected rows listed on standard error (the rest are counted).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub show_rejects: usize,
}

/// `fleet generate`.
#[derive(Debug, Args)]
pub struct FleetGenerateArgs {
    /// Rows to write (besides the header).
    #[arg(long, value_name = "N")]
    pub rows: u64,

    /// Seed: the same seed gives the same file.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,

    /// Where to write (.csv or .parquet); `-o FILE.csv` also works.
    #[arg(long = "output", value_name = "FILE")]
    pub output_file: Option<PathBuf>,

    /// Fraction of rows given one broken field (a non-number, an empty required field, ...), to try --on-error.
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    pub broken: f64,
}

/// `fleet rules`.
#[derive(Debug, Args)]
pub struct FleetRulesArgs {
    /// A rules file to check (against the knowledge base's capabilities) instead of printing the built-in one.
    #[arg(long, value_name = "FILE.toml")]
    pub rules: Option<PathBuf>,
}

struct Words {
    read: &'static str,
    scored: &'static str,
    rejected: &'static str,
    distinct: &'static str,
    best_chain: &'static str,
    best_stack: &'static str,
    rows: &'static str,
    share: &'static str,
    score: &'static str,
    no_stack: &'static str,
    rule: &'static str,
    column: &'static str,
    quantile: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        read: "Rows read",
        scored: "scored",
        rejected: "rejected",
        distinct: "Distinct inputs scored",
        best_chain: "Best chain",
        best_stack: "Best stack",
        rows: "Rows",
        share: "Share",
        score: "Score",
        no_stack: "(no stack meets the requirements)",
        rule: "Rule",
        column: "Rejected by column",
        quantile: "Score distribution",
    };
    const ZH: Words = Words {
        read: "读取行数",
        scored: "已评分",
        rejected: "已拒绝",
        distinct: "不同输入（各评分一次）",
        best_chain: "最佳技术链",
        best_stack: "最佳技术栈",
        rows: "行数",
        share: "占比",
        score: "得分",
        no_stack: "（无满足要求的技术栈）",
        rule: "规则",
        column: "按列拒绝",
        quantile: "得分分布",
    };
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

fn fleet_error(e: FleetError) -> CliError {
    match e.exit_code() {
        2 => CliError::Usage(e.to_string()),
        130 => CliError::Interrupted(e.to_string()),
        _ => CliError::Failure(e.to_string()),
    }
}

/// The flag that named the output file: `--output`, else `-o`.
fn output_flag(flag: &Option<PathBuf>) -> &'static str {
    if flag.is_some() {
        "--output"
    } else {
        "-o"
    }
}

/// The output file: `--output`, else `-o FILE` (a file name, not a format).
fn output_of(flag: &Option<PathBuf>, global: &Output) -> CliResult<PathBuf> {
    match (flag, global) {
        (Some(p), _) => Ok(p.clone()),
        (None, Output::File(p)) => Ok(p.clone()),
        (None, Output::Format(_)) => Err(CliError::Usage(
            "--output: missing; expected --output FILE.csv or --output FILE.parquet".into(),
        )),
    }
}

fn load_rules(path: &Option<PathBuf>) -> CliResult<FleetRules> {
    match path {
        None => Ok(FleetRules::builtin()),
        Some(p) => {
            let limit = stackmatrix_model::read::FLEET_RULES_FILE;
            let text = crate::input::read_flag_file("--rules", p, limit, "a rules TOML file")?;
            stackmatrix_model::parse_fleet_rules(&p.display().to_string(), &text)
                .map_err(rules_error)
        }
    }
}

/// Problems of a rules file, one `error:` line each, then their count (exit code 2).
fn rules_error(d: stackmatrix_model::Diagnostics) -> CliError {
    let n = d.len();
    let lines: Vec<String> = d.0.iter().map(|p| p.to_string()).collect();
    CliError::Usage(format!(
        "{}\n{n} problem{} in the fleet rules",
        lines.join("\nerror: "),
        if n == 1 { "" } else { "s" }
    ))
}

fn capabilities(ctx: &Ctx) -> Vec<&str> {
    let mut caps: Vec<&str> = ctx
        .kb
        .technologies
        .iter()
        .flat_map(|t| t.capabilities.iter().map(String::as_str))
        .collect();
    caps.sort();
    caps.dedup();
    caps
}

/// `fleet generate` and `fleet rules` without --rules need no knowledge base.
pub fn run_without_kb(cli: &Cli, command: &FleetCommand) -> Option<CliResult<String>> {
    match command {
        FleetCommand::Generate(a) => Some(generate(cli, a)),
        FleetCommand::Rules(FleetRulesArgs { rules: None }) => {
            Some(Ok(stackmatrix_model::BUILTIN_FLEET_RULES.to_string()))
        }
        FleetCommand::Kernel(a) => {
            let report = stackmatrix_fleet::kernel::kernel_benchmark(
                &FleetRules::builtin(),
                a.rows,
                a.seed,
                a.reps,
                a.simd.into(),
            );
            Some(
                serde_json::to_string_pretty(&report)
                    .map(|s| s + "\n")
                    .map_err(|e| CliError::Failure(e.to_string())),
            )
        }
        _ => None,
    }
}

fn generate(cli: &Cli, a: &FleetGenerateArgs) -> CliResult<String> {
    let output = output_of(&a.output_file, &cli.output)?;
    RunFiles::new()
        .output(output_flag(&a.output_file), &output)
        .check()?;
    let opts = GenerateOptions {
        rows: a.rows,
        seed: a.seed,
        output: output.clone(),
        broken: a.broken,
    };
    let started = std::time::Instant::now();
    let rows = stackmatrix_fleet::generate(&opts, &interrupt_flag()).map_err(fleet_error)?;
    say!(
        "wrote {} rows to {} in {:.1} s",
        rows,
        output.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(String::new())
}

pub fn run(ctx: &Ctx, cli: &Cli, command: &FleetCommand) -> CliResult<String> {
    match command {
        FleetCommand::Score(a) => score(ctx, cli, a),
        FleetCommand::Rules(a) => {
            let rules = load_rules(&a.rules)?;
            rules
                .check_capabilities(&capabilities(ctx))
                .map_err(rules_error)?;
            Ok(format!(
                "{}: {} columns, {} rules: ok\n",
                rules.file,
                rules.columns.len(),
                rules.rules.len()
            ))
        }
        FleetCommand::Generate(a) => generate(cli, a),
        FleetCommand::Kernel(_) => unreachable!("run without the knowledge base"),
    }
}

/// A progress bar in bytes of the input (CSV) or in rows (Parquet, whose row count is known).
struct Bar {
    bar: ProgressBar,
    by_rows: bool,
}

impl Progress for Bar {
    fn advance(&self, bytes_done: u64, rows: u64) {
        if self.by_rows {
            self.bar.inc(rows);
        } else {
            self.bar.set_position(bytes_done);
        }
    }
}

fn score(ctx: &Ctx, cli: &Cli, a: &FleetScoreArgs) -> CliResult<String> {
    let output = output_of(&a.output_file, &cli.output)?;
    if a.top == 0 {
        return Err(CliError::Usage(
            "--top: 0 keeps no chain; expected 1 or more".into(),
        ));
    }
    if a.rejects.is_some() && a.on_error == OnErrorArg::Fail {
        return Err(CliError::Usage(
            "--rejects: lists rows left out, so it needs --on-error skip".into(),
        ));
    }
    let rules = load_rules(&a.rules)?;
    rules
        .check_capabilities(&capabilities(ctx))
        .map_err(rules_error)?;
    let mut files = RunFiles::new();
    files
        .input("--input", &a.input)
        .overlay("--model", cli.model.as_deref())
        .output(output_flag(&a.output_file), &output);
    if let Some(p) = &a.rules {
        files.input("--rules", p);
    }
    if let Some(p) = a.summary.as_ref().filter(|p| p.as_os_str() != "-") {
        files.output("--summary", p);
    }
    if let Some(p) = &a.rejects {
        files.output("--rejects", p);
    }
    files.check()?;
    let mut opts = ScoreOptions::new(a.input.clone(), output.clone());
    opts.top = a.top;
    opts.stacks = a.stacks;
    opts.on_error = match a.on_error {
        OnErrorArg::Fail => OnError::Fail,
        OnErrorArg::Skip => OnError::Skip,
    };
    opts.rejects = a.rejects.clone();
    opts.keep_rejects = a.show_rejects;
    let rows = stackmatrix_fleet::parquet_rows(&a.input);
    let size = std::fs::metadata(&a.input).map(|m| m.len()).unwrap_or(0);
    let bar = if std::io::stderr().is_terminal() {
        let bar =
            ProgressBar::with_draw_target(Some(rows.unwrap_or(size)), ProgressDrawTarget::stderr());
        let template = if rows.is_some() {
            "scoring [{bar:40}] {pos}/{len} rows ({per_sec}, {eta})"
        } else {
            "scoring [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let flag = interrupt_flag();
    let progress = Bar {
        bar: bar.clone(),
        by_rows: rows.is_some(),
    };
    let result = stackmatrix_fleet::score(&ctx.kb, &rules, &opts, &progress, &flag);
    bar.finish_and_clear();
    let run = result.map_err(fleet_error)?;
    let s = &run.summary;
    for r in &run.rejects {
        say!("rejected: {}:{r}", a.input.display());
    }
    if s.rows.rejected > run.rejects.len() as u64 {
        say!(
            "rejected: ... and {} more{}",
            s.rows.rejected - run.rejects.len() as u64,
            match &a.rejects {
                Some(p) => format!(" (all listed in {})", p.display()),
                None => " (list them all with --rejects FILE.csv)".into(),
            }
        );
    }
    say!(
        "read {} rows: {} scored, {} rejected; {} distinct inputs scored; {:.2} s ({:.0} rows/s); wrote {}",
        s.rows.read,
        s.rows.scored,
        s.rows.rejected,
        s.distinct_inputs,
        run.seconds,
        s.rows.read as f64 / run.seconds.max(1e-9),
        output.display()
    );
    match &a.summary {
        Some(p) if p.as_os_str() == "-" => return ctx.json(s),
        Some(p) => {
            let text = ctx.json(s)?;
            stackmatrix_fleet::atomic::write_atomically(p, text.as_bytes()).map_err(|e| {
                CliError::Failure(format!("--summary: cannot write {}: {e}", p.display()))
            })?;
            say!("wrote the summary to {}", p.display());
        }
        None => {}
    }
    match ctx.format {
        Format::Json => ctx.json(s),
        Format::Csv | Format::Md => Ok(ctx.table(&shares_table(ctx, s))),
        Format::Table => Ok(text(ctx, s)),
    }
}

/// Rows per best chain and per best stack: the form for CSV and Markdown.
fn shares_table(ctx: &Ctx, s: &FleetSummary) -> Table {
    let w = words(ctx.lang);
    let mut t = Table::new(&[
        ("kind", Align::Left),
        ("id", Align::Left),
        ("rows", Align::Right),
        ("share", Align::Right),
    ]);
    let _ = w;
    for (kind, list) in [("chain", &s.best_chain), ("stack", &s.best_stack)] {
        for sh in list {
            t.push(vec![
                kind.into(),
                sh.id.clone().into(),
                sh.rows.to_string().into(),
                format!("{}", sh.share).into(),
            ]);
        }
    }
    if s.stacks && s.no_stack > 0 {
        t.push(vec![
            "stack".into(),
            "".into(),
            s.no_stack.to_string().into(),
            format!("{}", s.no_stack as f64 / s.rows.scored.max(1) as f64).into(),
        ]);
    }
    t
}

fn share_table(ctx: &Ctx, head: &str, list: &[Share]) -> String {
    let w = words(ctx.lang);
    let mut t = Table::new(&[
        (head, Align::Left),
        (w.rows, Align::Right),
        (w.share, Align::Right),
    ]);
    for sh in list {
        t.push(vec![
            sh.id.clone().into(),
            sh.rows.to_string().into(),
            format!("{:.1}%", 100.0 * sh.share).into(),
        ]);
    }
    ctx.table(&t)
}

/// A score as every table writes it: four decimals.
fn score4(x: f64) -> String {
    fixed(x, 4)
}

/// The summary for a terminal.
fn text(ctx: &Ctx, s: &FleetSummary) -> String {
    let w = words(ctx.lang);
    let mut out = format!(
        "{}: {} ({} {}, {} {})\n{}: {}\n\n",
        w.read,
        s.rows.read,
        w.scored,
        s.rows.scored,
        w.rejected,
        s.rows.rejected,
        w.distinct,
        s.distinct_inputs
    );
    out.push_str(&share_table(ctx, w.best_chain, &s.best_chain));
    if let Some(d) = &s.chain_score {
        out.push_str(&format!(
            "\n{} ({}): min {}  {}  max {}  mean {}\n",
            w.quantile,
            w.best_chain,
            score4(d.min),
            d.quantiles
                .iter()
                .map(|q| format!("p{} {}", (q.q * 100.0).round(), score4(q.score)))
                .collect::<Vec<_>>()
                .join("  "),
            score4(d.max),
            score4(d.mean)
        ));
    }
    if s.stacks {
        out.push('\n');
        let mut list = s.best_stack.clone();
        if s.no_stack > 0 {
            list.push(Share {
                id: w.no_stack.into(),
                rows: s.no_stack,
                share: s.no_stack as f64 / s.rows.scored.max(1) as f64,
            });
        }
        out.push_str(&share_table(ctx, w.best_stack, &list));
        if let Some(d) = &s.stack_score {
            out.push_str(&format!(
                "\n{} ({}): min {}  median {}  max {}  mean {}\n",
                w.quantile,
                w.best_stack,
                score4(d.min),
                score4(
                    d.quantiles
                        .iter()
                        .find(|q| q.q == 0.5)
                        .map_or(f64::NAN, |q| q.score)
                ),
                score4(d.max),
                score4(d.mean)
            ));
        }
    }
    out.push('\n');
    out.push_str(&share_table(ctx, w.rule, &s.rules_matched));
    if !s.rejected_by_column.is_empty() {
        out.push('\n');
        out.push_str(&share_table(ctx, w.column, &s.rejected_by_column));
    }
    let _ = w.score;
    out
}
