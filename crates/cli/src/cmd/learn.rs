//! `stackmatrix learn`: Θ learned from a feedback file, written atomically to
//! `DIR/tables/theta.toml` (or printed with `--dry-run`).

use crate::args::{Format, LearnArgs};
use crate::context::{short, Ctx};
use crate::error::{CliError, CliResult};
use crate::outputs::RunFiles;
use crate::render::{Align, Table};
use stackmatrix_api::feedback::{check_feedback, FeedbackFormat};
use stackmatrix_api::{LearnRequest, LearnView};
use stackmatrix_fleet::atomic::AtomicFile;
use stackmatrix_model::{Lang, SourceFile};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Set to `1` (tests only): abort the process after the temporary file is written and synced,
/// before it is renamed over `tables/theta.toml`, to show that an existing file is never left
/// half-written.
pub const ABORT_BEFORE_RENAME: &str = "STACKMATRIX_TEST_ABORT_BEFORE_RENAME";

struct Words {
    title: &'static str,
    stopped: &'static str,
    epoch: &'static str,
    loss: &'static str,
    concept: &'static str,
    name: &'static str,
    step: &'static str,
    initial: &'static str,
    learned: &'static str,
    change: &'static str,
    informed: &'static str,
    kept: &'static str,
    yes: &'static str,
    wrote: &'static str,
    use_it: &'static str,
    dry_run: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    const EN: Words = Words {
        title: "Learned Θ from",
        stopped: "Stopped",
        epoch: "Epoch",
        loss: "Loss",
        concept: "Concept",
        name: "Name",
        step: "Step size",
        initial: "Initial θ",
        learned: "Learned θ",
        change: "Change",
        informed: "Informed",
        kept: "no (kept)",
        yes: "yes",
        wrote: "Wrote",
        use_it: "use it with",
        dry_run: "Dry run: nothing written. The file would read:",
    };
    const ZH: Words = Words {
        title: "学习 Θ，反馈文件",
        stopped: "停止",
        epoch: "轮次",
        loss: "损失",
        concept: "概念",
        name: "名称",
        step: "步长",
        initial: "初始 θ",
        learned: "学得 θ",
        change: "变化",
        informed: "有数据",
        kept: "否（保留）",
        yes: "是",
        wrote: "已写入",
        use_it: "使用方法",
        dry_run: "试运行：未写入任何文件。文件内容将是：",
    };
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

pub fn run(ctx: &Ctx, args: &LearnArgs) -> CliResult<String> {
    let name = args.feedback.display().to_string();
    let format = match &args.feedback_format {
        None => None,
        Some(f) => Some(FeedbackFormat::from_key(f).ok_or_else(|| {
            CliError::Usage(format!(
                "--feedback-format: unknown format '{f}'; expected csv or jsonl"
            ))
        })?),
    };
    let mut files = RunFiles::new();
    files
        .input("--feedback", &args.feedback)
        .overlay("--model", ctx.model_dir.as_deref());
    if let (Some(dir), false) = (&args.out, args.dry_run) {
        // `--out` the `--model` directory: the learned Θ replaces the one the run started from,
        // an update of that knowledge base (docs/learning.md). Anywhere else inside it, the
        // file would be read as a misplaced one next run.
        if ctx
            .model_dir
            .as_deref()
            .is_some_and(|m| crate::outputs::same_file(m, dir))
        {
            files.update("--out", &theta_path(dir), "--model");
        } else {
            files.output("--out", &theta_path(dir));
        }
    }
    files.check()?;
    let text = crate::input::read_flag_file(
        "--feedback",
        &args.feedback,
        stackmatrix_model::read::FEEDBACK_FILE,
        "a readable CSV or JSON Lines file",
    )?;
    let rows = check_feedback(&ctx.kb, &text, &name, format).map_err(|e| {
        CliError::api(
            e,
            Some(if format.is_none() {
                "--feedback"
            } else {
                "--feedback-format"
            }),
        )
    })?;
    let req = LearnRequest {
        rows,
        loss: args.loss.clone(),
        optimizer: args.optimizer.clone(),
        epochs: args.epochs,
        lr_scale: args.lr_scale,
        tolerance: args.tolerance,
        seed: args.seed,
        every: args.every,
    };
    let view = stackmatrix_api::learn(&ctx.kb, ctx.lang, &req).map_err(|e| {
        let flag = match &e {
            stackmatrix_api::ApiError::BadInput { field, .. } => match *field {
                "feedback" | "rows" => "--feedback".to_string(),
                f => crate::error::flag_of(f),
            },
            _ => String::new(),
        };
        CliError::api(e, (!flag.is_empty()).then_some(flag.as_str()))
    })?;
    let toml = stackmatrix_api::theta_toml(&ctx.kb, &view, &name);
    let w = words(ctx.lang);
    let mut written = None;
    if !args.dry_run {
        let dir = args
            .out
            .as_ref()
            .expect("clap requires --out without --dry-run");
        let path = write_theta(dir, &toml)?;
        written = Some((dir.clone(), path));
    }
    let mut out = match ctx.format {
        Format::Json => ctx.json(&view)?,
        Format::Csv => ctx.table(&concepts_table(ctx, &view)),
        Format::Md => {
            let mut s = ctx.table(&history_table(ctx, &view));
            s.push('\n');
            s.push_str(&ctx.table(&concepts_table(ctx, &view)));
            s
        }
        Format::Table => text_report(ctx, &view, &name),
    };
    match (&written, ctx.format) {
        (Some((dir, path)), Format::Table) => {
            let _ = writeln!(
                out,
                "\n{} {}; {}: stackmatrix --model {} rank --scenario edge",
                w.wrote,
                path.display(),
                w.use_it,
                dir.display()
            );
        }
        (Some((_, path)), _) => say!("note: {} {}", w.wrote, path.display()),
        (None, Format::Table) => {
            let _ = writeln!(out, "\n{}\n\n{toml}", w.dry_run);
        }
        (None, _) => {}
    }
    Ok(out)
}

/// Where `learn --out DIR` writes: `DIR/tables/theta.toml`.
fn theta_path(dir: &Path) -> PathBuf {
    dir.join("tables").join("theta.toml")
}

/// Writes `DIR/tables/theta.toml` atomically: the text is checked to load as a knowledge base
/// over the built-in one, then written with the product's atomic writer (a temporary dot-file in
/// the same directory, which the knowledge-base loader skips, synced and renamed over the old
/// file, the directory synced after; removed when anything fails). A crash at any point leaves
/// either the old file or the new one, never a mix.
fn write_theta(dir: &Path, text: &str) -> CliResult<PathBuf> {
    let tables = dir.join("tables");
    let fail = |what: &str, p: &Path, e: std::io::Error| {
        CliError::Failure(format!("--out: cannot {what} {}: {e}", p.display()))
    };
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::Usage(format!(
            "--out: {} is not a directory; expected a directory to hold tables/theta.toml",
            dir.display()
        )));
    }
    std::fs::create_dir_all(&tables).map_err(|e| fail("create", &tables, e))?;
    let path = theta_path(dir);
    // The new file must load: a learned Θ that the loader refused would break `--model DIR`.
    let check = SourceFile {
        path: "tables/theta.toml".into(),
        display: path.display().to_string(),
        text: text.to_string(),
    };
    stackmatrix_model::load_overlay(&stackmatrix_model::builtin_files(), &[check]).map_err(
        |d| {
            CliError::Failure(format!(
                "the learned tables/theta.toml does not load ({}); nothing written",
                d.0.iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        },
    )?;
    let mut file = AtomicFile::create(&path).map_err(|e| fail("create a file beside", &path, e))?;
    file.write_all(text.as_bytes())
        .and_then(|_| file.flush())
        .map_err(|e| fail("write", file.temp_path(), e))?;
    if std::env::var_os(ABORT_BEFORE_RENAME).is_some_and(|v| v == "1") {
        std::process::abort();
    }
    file.commit().map_err(|e| fail("write", &path, e))?;
    Ok(path)
}

fn text_report(ctx: &Ctx, v: &LearnView, name: &str) -> String {
    let w = words(ctx.lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {name}: loss {}, optimizer {}, lr-scale {} (step size = lr-scale · published rate), {} observation and {} preference row(s), {} used",
        w.title,
        v.loss,
        v.optimizer,
        short(v.lr_scale),
        v.observations,
        v.preferences,
        v.rows_used
    );
    let _ = writeln!(
        out,
        "{}: {} after {} epoch(s) (limit {}, tolerance {:e}); loss {} -> {}\n",
        w.stopped,
        v.stop,
        v.epochs,
        v.max_epochs,
        v.tolerance,
        sig(v.initial_loss),
        sig(v.final_loss)
    );
    out.push_str(&ctx.table(&history_table(ctx, v)));
    out.push('\n');
    out.push_str(&ctx.table(&concepts_table(ctx, v)));
    for n in &v.notes {
        let _ = writeln!(out, "note: {n}");
    }
    out
}

/// A loss with 6 significant digits.
fn sig(x: f64) -> String {
    if x == 0.0 || (1e-4..1e4).contains(&x.abs()) {
        format!("{:.6}", x)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        format!("{x:.5e}")
    }
}

fn history_table(ctx: &Ctx, v: &LearnView) -> Table {
    let w = words(ctx.lang);
    let mut t = Table::new(&[(w.epoch, Align::Right), (w.loss, Align::Right)]);
    for h in &v.history {
        t.push(vec![h.epoch.to_string().into(), sig(h.loss).into()]);
    }
    t
}

fn concepts_table(ctx: &Ctx, v: &LearnView) -> Table {
    let w = words(ctx.lang);
    let machine = ctx.format == Format::Csv;
    let mut t = Table::new(&[
        (w.concept, Align::Left),
        (w.name, Align::Left),
        (w.step, Align::Right),
        (w.initial, Align::Right),
        (w.learned, Align::Right),
        (w.change, Align::Right),
        (w.informed, Align::Left),
    ]);
    for c in &v.concepts {
        let num = |x: f64| {
            if machine {
                format!("{x}")
            } else {
                format!("{x:.4}")
            }
        };
        t.push(vec![
            c.concept.into(),
            c.name.as_str().into(),
            short(c.step_size).into(),
            num(c.initial).into(),
            num(c.learned).into(),
            if machine {
                format!("{}", c.change)
            } else {
                format!("{:+.4}", c.change)
            }
            .into(),
            if c.informed { w.yes } else { w.kept }.into(),
        ]);
    }
    t
}
