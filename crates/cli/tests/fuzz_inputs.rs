//! The fuzz harness of the command line: generated hostile inputs for every kind of file the
//! product reads (knowledge-base overlays, fleet CSV and Parquet inventories, decision CSVs,
//! feedback CSVs) and for its flags, each run through the real binary.
//!
//! Every run must end by itself within [`DEADLINE`], with exit code 0, 1 or 2 (never a panic's
//! 101, never a signal), print no raw control character and no unbounded error, and leave every
//! file the user owns byte for byte as it was: no input overwritten, no temporary file left
//! behind, nothing written but the outputs the run was asked for.
//!
//! The generators are proptest strategies; the budget is `STACKMATRIX_FUZZ_CASES` cases per
//! input class (default [`DEFAULT_CASES`], what CI runs every time). A longer run is one command
//! (docs/guarantees.md):
//!
//! ```sh
//! STACKMATRIX_FUZZ_CASES=2000 cargo test --release -p stackmatrix --test integration fuzz_inputs::
//! ```
//!
//! A failure prints the input class, the arguments and the shrunk input; proptest's seed is
//! fixed per run by `PROPTEST_RNG_SEED` when set, so a failure can be replayed.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Cases per input class when `STACKMATRIX_FUZZ_CASES` is not set: a short budget for CI.
const DEFAULT_CASES: u32 = 24;

/// A run still going after this long is a hang. Generous for a debug build on a loaded 2-core
/// machine; every generated input is small, so a healthy run takes well under a second.
const DEADLINE: Duration = Duration::from_secs(60);

/// Standard error longer than this is an unbounded message (inputs here are at most ~200 KB,
/// and every message must cut long values).
const STDERR_LIMIT: usize = 64 * 1024;

/// The generators' seed: fixed, so CI runs the same inputs every time, unless
/// `STACKMATRIX_FUZZ_SEED` names another (`random` draws one from the clock). A failure names
/// the seed, so `STACKMATRIX_FUZZ_SEED=N` replays it.
fn seed_value() -> u64 {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SEED.get_or_init(
        || match std::env::var("STACKMATRIX_FUZZ_SEED").ok().as_deref() {
            Some("random") => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64),
            Some(s) => s
                .parse()
                .expect("STACKMATRIX_FUZZ_SEED is a number or 'random'"),
            None => 20261206,
        },
    )
}

fn seed() -> RngSeed {
    RngSeed::Fixed(seed_value())
}

fn cases() -> u32 {
    std::env::var("STACKMATRIX_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// Fails the test with a bounded account of a fuzz failure: the shrunk input may hold values of
/// hundreds of kilobytes.
/// How the runs of each test ended, by exit code: printed at the end of each test (seen with
/// `--nocapture`), the figures of a fuzz campaign.
fn tally() -> &'static std::sync::Mutex<BTreeMap<(String, i32), u32>> {
    static TALLY: std::sync::OnceLock<std::sync::Mutex<BTreeMap<(String, i32), u32>>> =
        std::sync::OnceLock::new();
    TALLY.get_or_init(Default::default)
}

/// The running test's name (libtest names each test's thread after it).
fn test_name() -> String {
    std::thread::current().name().unwrap_or("?").to_string()
}

#[track_caller]
fn check<T: std::fmt::Debug>(result: Result<(), proptest::test_runner::TestError<T>>) {
    let name = test_name();
    let counts: Vec<String> = tally()
        .lock()
        .map(|t| {
            t.iter()
                .filter(|((test, _), _)| *test == name)
                .map(|((_, code), n)| format!("exit {code}: {n}"))
                .collect()
        })
        .unwrap_or_default();
    eprintln!(
        "fuzz {name}: seed {}, runs by exit code: {}",
        seed_value(),
        counts.join(", ")
    );
    if let Err(e) = result {
        let text = format!("{e:?}");
        let cut: String = text.chars().take(4000).collect();
        panic!(
            "fuzz failure (seed {}; replay with STACKMATRIX_FUZZ_SEED={0}; {} bytes of report):\n{cut}",
            seed_value(),
            text.len()
        );
    }
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        // A fuzz failure is reported with its shrunk input; no regression file is written into
        // the source tree.
        failure_persistence: None,
        max_shrink_iters: 64,
        rng_seed: seed(),
        ..Config::default()
    })
}

/// The repository's built-in knowledge base, the seeds of the overlay generator.
fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

// ---------------------------------------------------------------------------------------------
// Running the binary under watch
// ---------------------------------------------------------------------------------------------

/// What one run printed and how it ended.
struct Outcome {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Every file under `dir` (not following links) with its bytes: what the user owns before a run.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("the sandbox is readable") {
            let path = entry.expect("a directory entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                out.insert(path.clone(), std::fs::read(&path).unwrap_or_default());
            } else {
                out.insert(path, b"<special>".to_vec());
            }
        }
    }
    out
}

/// Runs the binary in `dir` with `args`, killing it at [`DEADLINE`], and checks what every run
/// must satisfy. `outputs` are the files the run may create or replace.
fn run_checked(dir: &Path, args: &[String], outputs: &[&str]) -> Result<Outcome, TestCaseError> {
    let before = snapshot(dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_stackmatrix"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("STACKMATRIX_LANG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Drain both pipes on threads so a chatty run cannot block on a full pipe.
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_thread = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            if let Ok(mut t) = tally().lock() {
                // -2 stands for a hang in the tally.
                *t.entry((test_name(), -2)).or_default() += 1;
            }
            return Err(TestCaseError::fail(format!(
                "hang: {args:?} still running after {DEADLINE:?}"
            )));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let outcome = Outcome {
        code: status.code(),
        stdout: out_thread.join().expect("stdout thread"),
        stderr: err_thread.join().expect("stderr thread"),
    };
    if let Ok(mut t) = tally().lock() {
        *t.entry((test_name(), outcome.code.unwrap_or(-1)))
            .or_default() += 1;
    }
    let stderr_text = String::from_utf8_lossy(&outcome.stderr);
    let shown: String = stderr_text.chars().take(2000).collect();
    prop_assert!(
        matches!(outcome.code, Some(0..=2)),
        "{args:?} ended with {:?} (0, 1 or 2 expected); stderr:\n{shown}",
        outcome.code
    );
    prop_assert!(
        !stderr_text.contains("panicked"),
        "{args:?} panicked:\n{shown}"
    );
    prop_assert!(
        outcome.stderr.len() <= STDERR_LIMIT,
        "{args:?} wrote {} bytes of standard error; first lines:\n{shown}",
        outcome.stderr.len()
    );
    for (stream, bytes) in [("stdout", &outcome.stdout), ("stderr", &outcome.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        if let Some(c) = text
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\t'))
        {
            prop_assert!(
                false,
                "{args:?} wrote the raw control character U+{:04X} to {stream}",
                c as u32
            );
        }
    }
    let after = snapshot(dir);
    for (path, bytes) in &before {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if outputs.iter().any(|o| dir.join(o) == *path) {
            continue;
        }
        match after.get(path) {
            Some(now) => prop_assert!(now == bytes, "{args:?} changed the user's file {name}"),
            None => prop_assert!(false, "{args:?} removed the user's file {name}"),
        }
    }
    for path in after.keys() {
        if !before.contains_key(path) {
            let allowed = outputs.iter().any(|o| dir.join(o) == *path);
            prop_assert!(
                allowed,
                "{args:?} left a file it was not asked to write: {}",
                path.display()
            );
        }
    }
    Ok(outcome)
}

fn s(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

/// A hostile number as it would be written in a TOML or CSV file, or as a flag's value.
fn hostile_number() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("NaN".to_string()),
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("1e-320".to_string()),
        Just("-1".to_string()),
        Just("0".to_string()),
        Just("2".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("0x10".to_string()),
        Just("1,5".to_string()),
        Just(String::new()),
        any::<f64>().prop_map(|f| f.to_string()),
        (-5.0f64..5.0).prop_map(|f| format!("{f}")),
    ]
}

/// A hostile piece of text: control characters, terminal escapes, long values, odd Unicode.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\u{1b}]0;pwned\u{7}".to_string()),
        Just("\u{1b}[31mred\u{1b}[0m".to_string()),
        Just("a\u{0}b".to_string()),
        Just("\u{202e}txt.exe".to_string()),
        Just("\u{9b}2J".to_string()),
        Just("\r\n".to_string()),
        Just("\"".to_string()),
        Just("../../etc/passwd".to_string()),
        Just("中文名字".to_string()),
        (1usize..200_000).prop_map(|n| "A".repeat(n)),
        "[ -~]{0,40}",
        any::<String>().prop_map(|s| s.chars().take(60).collect()),
    ]
}

/// A hostile value in a TOML file: a number, a quoted string, or something that is neither.
fn hostile_toml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        hostile_number(),
        hostile_text().prop_map(|t| format!("{t:?}")),
        Just("[]".to_string()),
        Just("[1e308, 1e308, 1e308, 1e308, 1e308, 1e308]".to_string()),
        Just("[nan, 0, 0, 0, 0, 0]".to_string()),
        Just("{ }".to_string()),
        Just("\"".to_string()),
        Just("true".to_string()),
    ]
}

/// One edit of a text file, by line: structure-aware enough to get past the parser often.
#[derive(Debug, Clone)]
enum LineEdit {
    /// Replace what follows the first `=` (or the first cell, in a CSV) of a line.
    Value(usize, String),
    Delete(usize),
    Duplicate(usize),
    Insert(usize, String),
    /// Cut the file after this share of its bytes (in thousandths).
    Truncate(u16),
    /// Overwrite one byte.
    Byte(usize, u8),
}

fn line_edit(value: BoxedStrategy<String>) -> impl Strategy<Value = LineEdit> {
    prop_oneof![
        6 => (any::<usize>(), value).prop_map(|(i, v)| LineEdit::Value(i, v)),
        1 => any::<usize>().prop_map(LineEdit::Delete),
        1 => any::<usize>().prop_map(LineEdit::Duplicate),
        1 => (any::<usize>(), hostile_text()).prop_map(|(i, t)| LineEdit::Insert(i, t)),
        1 => (0u16..1000).prop_map(LineEdit::Truncate),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| LineEdit::Byte(i, b)),
    ]
}

/// Applies edits to a text; `sep` is what separates a key from its value (`=` in TOML, `,` in
/// CSV, where the cell after the first separator is replaced).
fn apply_edits(text: &str, edits: &[LineEdit], sep: char) -> Vec<u8> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut tail: Option<u16> = None;
    let mut bytes_edits = Vec::new();
    for edit in edits {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        match edit {
            LineEdit::Value(i, v) => {
                let line = &mut lines[i % n];
                *line = match line.split_once(sep) {
                    Some((key, rest)) if sep == ',' => {
                        let after = rest.split_once(',').map(|(_, r)| r).unwrap_or("");
                        format!("{key},{v},{after}")
                    }
                    Some((key, _)) => format!("{key}{sep} {v}"),
                    None => format!("{line}{sep}{v}"),
                };
            }
            LineEdit::Delete(i) => {
                lines.remove(i % n);
            }
            LineEdit::Duplicate(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            LineEdit::Insert(i, t) => lines.insert(i % (n + 1), t.clone()),
            LineEdit::Truncate(t) => tail = Some(*t),
            LineEdit::Byte(i, b) => bytes_edits.push((*i, *b)),
        }
    }
    let mut bytes = lines.join("\n").into_bytes();
    bytes.push(b'\n');
    for (i, b) in bytes_edits {
        let n = bytes.len();
        bytes[i % n] = b;
    }
    if let Some(t) = tail {
        let keep = bytes.len() * t as usize / 1000;
        bytes.truncate(keep);
    }
    bytes
}

// ---------------------------------------------------------------------------------------------
// Knowledge-base overlays
// ---------------------------------------------------------------------------------------------

/// The built-in files an overlay may replace: one of each kind.
const OVERLAY_SEEDS: &[&str] = &[
    "technologies/k3s.toml",
    "technologies/wasmedge.toml",
    "scenarios/edge.toml",
    "scenarios/hybrid.toml",
    "cases/inspur-edge.toml",
    "tables/theta.toml",
    "tables/attributes.toml",
    "tables/relations.toml",
    "tables/transitions.toml",
    "tables/operations.toml",
    "tables/parameters.toml",
    "axes.toml",
];

#[test]
fn knowledge_base_overlays() {
    let mut runner = runner();
    let strategy = (
        0..OVERLAY_SEEDS.len(),
        proptest::collection::vec(line_edit(hostile_toml_value().boxed()), 1..6),
        0usize..4,
    );
    let result = runner.run(&strategy, |(seed, edits, verb)| {
        let dir = tempfile::tempdir().expect("a sandbox");
        let rel = OVERLAY_SEEDS[seed];
        let text = std::fs::read_to_string(data_dir().join(rel)).expect("a seed file");
        let target = dir.path().join("kb").join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, apply_edits(&text, &edits, '=')).unwrap();
        let args = match verb {
            0 => s(&["model", "check", "kb"]),
            1 => s(&["rank", "--scenario", "edge", "--model", "kb"]),
            2 => s(&[
                "recommend",
                "--scenario",
                "hybrid",
                "--model",
                "kb",
                "-o",
                "md",
            ]),
            _ => s(&["cases", "validate", "--model", "kb", "-o", "csv"]),
        };
        let outcome = run_checked(dir.path(), &args, &[])?;
        // What a verb refuses, `model check` refuses (docs/guarantees.md).
        if verb != 0 && outcome.code == Some(2) {
            let check = run_checked(dir.path(), &s(&["model", "check", "kb"]), &[])?;
            prop_assert_eq!(
                check.code,
                Some(2),
                "{:?} refused the overlay but `model check` accepted it:\n{}",
                args,
                String::from_utf8_lossy(&outcome.stderr)
            );
        }
        Ok(())
    });
    check(result);
}

// ---------------------------------------------------------------------------------------------
// Fleet inventories
// ---------------------------------------------------------------------------------------------

/// A small inventory of the built-in generator, written once per run.
fn inventory_seed(ext: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("a sandbox");
    let path = dir.path().join(format!("seed.{ext}"));
    let status = Command::new(env!("CARGO_BIN_EXE_stackmatrix"))
        .args([
            "fleet", "generate", "--rows", "40", "--seed", "7", "--output",
        ])
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the generator runs");
    assert!(status.success(), "fleet generate failed");
    std::fs::read(path).expect("the generated inventory")
}

/// Whole-file changes of a CSV: byte order mark, line endings, a repeated header column.
#[derive(Debug, Clone)]
enum CsvShape {
    AsIs,
    Bom,
    CrOnly,
    CrLf,
    DuplicateHeader,
    UnclosedQuote(usize),
    LongCell(usize),
}

fn csv_shape() -> impl Strategy<Value = CsvShape> {
    prop_oneof![
        4 => Just(CsvShape::AsIs),
        1 => Just(CsvShape::Bom),
        1 => Just(CsvShape::CrOnly),
        1 => Just(CsvShape::CrLf),
        1 => Just(CsvShape::DuplicateHeader),
        1 => any::<usize>().prop_map(CsvShape::UnclosedQuote),
        1 => (1usize..200_000).prop_map(CsvShape::LongCell),
    ]
}

fn reshape(mut bytes: Vec<u8>, shape: &CsvShape) -> Vec<u8> {
    match shape {
        CsvShape::AsIs => bytes,
        CsvShape::Bom => [b"\xEF\xBB\xBF".as_slice(), &bytes].concat(),
        CsvShape::CrOnly => bytes
            .into_iter()
            .map(|b| if b == b'\n' { b'\r' } else { b })
            .collect(),
        CsvShape::CrLf => String::from_utf8_lossy(&bytes)
            .replace('\n', "\r\n")
            .into_bytes(),
        CsvShape::DuplicateHeader => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            match text.split_once('\n') {
                Some((header, rest)) => {
                    let first = header.split(',').nth(1).unwrap_or("x").to_string();
                    format!("{header},{first}\n{rest}").into_bytes()
                }
                None => text.into_bytes(),
            }
        }
        CsvShape::UnclosedQuote(at) => {
            let commas: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b',')
                .map(|(i, _)| i)
                .collect();
            if let Some(&i) = commas.get(at % commas.len().max(1)) {
                bytes.insert(i + 1, b'"');
            }
            bytes
        }
        CsvShape::LongCell(n) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            if lines.len() > 2 {
                lines[2] = format!("{},{}", "x".repeat(*n), lines[2]);
            }
            (lines.join("\n") + "\n").into_bytes()
        }
    }
}

/// Where a run writes: a new file, or (hostile) a path that is an input or another output.
#[derive(Debug, Clone, Copy)]
enum OutputChoice {
    Fresh,
    TheInput,
    HardLinkToInput,
}

fn output_choice() -> impl Strategy<Value = OutputChoice> {
    prop_oneof![
        6 => Just(OutputChoice::Fresh),
        1 => Just(OutputChoice::TheInput),
        1 => Just(OutputChoice::HardLinkToInput),
    ]
}

/// Runs `fleet score` on an inventory written to `input` in a fresh sandbox, with an output
/// choice for each of --output, --summary and --rejects.
fn score_inventory(
    input: &str,
    bytes: &[u8],
    skip: bool,
    outputs: [OutputChoice; 3],
) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("a sandbox");
    std::fs::write(dir.path().join(input), bytes).unwrap();
    let ext = if input.ends_with(".parquet") {
        "parquet"
    } else {
        "csv"
    };
    let mut args = s(&["fleet", "score", "--input", input, "--stacks"]);
    let mut allowed: Vec<String> = Vec::new();
    let mut hostile_output = false;
    for (flag, choice, fresh) in [
        ("--output", outputs[0], format!("scored.{ext}")),
        ("--summary", outputs[1], "summary.json".to_string()),
        ("--rejects", outputs[2], "rejects.csv".to_string()),
    ] {
        if flag == "--rejects" && !skip {
            continue;
        }
        hostile_output |= !matches!(choice, OutputChoice::Fresh);
        let path = match choice {
            OutputChoice::Fresh => {
                allowed.push(fresh.clone());
                fresh
            }
            OutputChoice::TheInput => input.to_string(),
            OutputChoice::HardLinkToInput => {
                let link = format!("link-{fresh}");
                std::fs::hard_link(dir.path().join(input), dir.path().join(&link)).unwrap();
                link
            }
        };
        args.push(flag.into());
        args.push(path);
    }
    if skip {
        args.extend(s(&["--on-error", "skip"]));
    }
    let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
    let outcome = run_checked(dir.path(), &args, &allowed)?;
    if hostile_output {
        // The output guard refuses before anything is read or written.
        prop_assert_eq!(outcome.code, Some(2), "{:?} wrote over an input", args);
    }
    Ok(())
}

#[test]
fn fleet_csv_inventories() {
    let seed = String::from_utf8(inventory_seed("csv")).expect("UTF-8");
    let mut runner = runner();
    let strategy = (
        proptest::collection::vec(line_edit(hostile_text().boxed()), 0..5),
        proptest::collection::vec(line_edit(hostile_number().boxed()), 0..5),
        csv_shape(),
        any::<bool>(),
        [output_choice(), output_choice(), output_choice()],
    );
    let result = runner.run(&strategy, |(texts, numbers, shape, skip, outputs)| {
        let edits: Vec<LineEdit> = texts.into_iter().chain(numbers).collect();
        let bytes = reshape(apply_edits(&seed, &edits, ','), &shape);
        score_inventory("inventory.csv", &bytes, skip, outputs)
    });
    check(result);
}

#[test]
fn fleet_parquet_inventories() {
    let seed = inventory_seed("parquet");
    let mut runner = runner();
    let strategy = (
        proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        prop_oneof![Just(None), (0u16..1000).prop_map(Some)],
        any::<bool>(),
        [output_choice(), output_choice(), output_choice()],
    );
    let result = runner.run(&strategy, |(flips, cut, skip, outputs)| {
        let mut bytes = seed.clone();
        for (i, b) in flips {
            let n = bytes.len();
            bytes[i % n] = b;
        }
        if let Some(t) = cut {
            let keep = bytes.len() * t as usize / 1000;
            bytes.truncate(keep);
        }
        score_inventory("inventory.parquet", &bytes, skip, outputs)
    });
    check(result);
}

// ---------------------------------------------------------------------------------------------
// Decision and feedback CSVs
// ---------------------------------------------------------------------------------------------

const METHODS: &[&str] = &[
    "wsm",
    "wpm",
    "topsis",
    "vikor",
    "promethee",
    "waspas",
    "copras",
    "edas",
];

/// A decision matrix: a header of criteria, then one row per alternative.
fn decision_csv() -> impl Strategy<Value = String> {
    (1usize..6, 1usize..8).prop_flat_map(|(criteria, rows)| {
        proptest::collection::vec(
            prop_oneof![
                8 => (0.0f64..100.0).prop_map(|f| format!("{f:.3}")),
                1 => hostile_number(),
                1 => hostile_text().prop_map(|t| t.replace(['\n', '\r'], " ")),
            ],
            criteria * rows,
        )
        .prop_map(move |cells| {
            let mut text = String::from("alternative");
            for c in 0..criteria {
                text.push_str(&format!(",c{c}"));
            }
            text.push('\n');
            for (r, row) in cells.chunks(criteria).enumerate() {
                text.push_str(&format!("alt{r},{}\n", row.join(",")));
            }
            text
        })
    })
}

#[test]
fn decision_csvs() {
    let mut runner = runner();
    let strategy = (
        decision_csv(),
        csv_shape(),
        0..METHODS.len(),
        prop_oneof![
            Just(None),
            hostile_number().prop_map(Some),
            Just(Some("entropy".to_string()))
        ],
    );
    let result = runner.run(&strategy, |(csv, shape, method, weights)| {
        let dir = tempfile::tempdir().expect("a sandbox");
        std::fs::write(dir.path().join("m.csv"), reshape(csv.into_bytes(), &shape)).unwrap();
        let mut args = s(&["decide", "--matrix", "m.csv", "--method", METHODS[method]]);
        if let Some(w) = weights {
            args.push("--weights".into());
            args.push(w);
        }
        run_checked(dir.path(), &args, &[])?;
        Ok(())
    });
    check(result);
}

#[test]
fn feedback_csvs() {
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/feedback.csv"),
    )
    .expect("the example feedback");
    let mut runner = runner();
    let strategy = (
        proptest::collection::vec(line_edit(hostile_number().boxed()), 0..5),
        proptest::collection::vec(line_edit(hostile_text().boxed()), 0..3),
        csv_shape(),
        any::<bool>(),
    );
    let result = runner.run(&strategy, |(numbers, texts, shape, write)| {
        let edits: Vec<LineEdit> = numbers.into_iter().chain(texts).collect();
        let dir = tempfile::tempdir().expect("a sandbox");
        let bytes = reshape(apply_edits(&seed, &edits, ','), &shape);
        std::fs::write(dir.path().join("feedback.csv"), bytes).unwrap();
        let mut args = s(&["learn", "--feedback", "feedback.csv", "--epochs", "20"]);
        let outputs: &[&str] = if write {
            args.extend(s(&["--out", "learned"]));
            &["learned/tables/theta.toml", "learned/tables", "learned"]
        } else {
            args.push("--dry-run".into());
            &[]
        };
        run_checked(dir.path(), &args, outputs)?;
        Ok(())
    });
    check(result);
}

// ---------------------------------------------------------------------------------------------
// Flags
// ---------------------------------------------------------------------------------------------

/// A verb with one flag given a hostile value.
fn hostile_flags() -> impl Strategy<Value = Vec<String>> {
    let number_list = proptest::collection::vec(hostile_number(), 1..14).prop_map(|v| v.join(","));
    let value = prop_oneof![
        3 => number_list,
        1 => hostile_text(),
    ];
    (0usize..12, value).prop_map(|(which, v)| {
        let base: &[&str] = match which {
            0 => &["rank", "--vector"],
            1 => &["rank", "--scenario", "edge", "--weights"],
            2 => &["explain", "--scenario", "edge", "--tech"],
            3 => &["recommend", "--scenario", "edge", "--max-size"],
            4 => &["recommend", "--scenario", "edge", "--budget-mb"],
            5 => &["cost", "--tech", "k3s", "--attribute-weights"],
            6 => &["risk", "--tech", "k3s", "--theta"],
            7 => &["migrate", "--to", "opa", "--from"],
            8 => &["robustness", "--scenario", "edge", "--samples"],
            9 => &["rank", "--scenario", "edge", "--method"],
            10 => &[
                "adapt",
                "--tech",
                "k3s",
                "--from-scene",
                "edge",
                "--to-scene",
            ],
            _ => &[
                "recommend",
                "--scenario",
                "edge",
                "--min-cost",
                "--min-score",
            ],
        };
        let mut args = s(base);
        // An argument is at most 128 KiB (the kernel's MAX_ARG_STRLEN) and holds no NUL byte:
        // other values cannot even be passed to the binary.
        args.push(v.chars().filter(|c| *c != '\0').take(100_000).collect());
        args
    })
}

#[test]
fn hostile_flag_values() {
    let mut runner = runner();
    let result = runner.run(&hostile_flags(), |args| {
        let dir = tempfile::tempdir().expect("a sandbox");
        let outcome = run_checked(dir.path(), &args, &[])?;
        // NaN or infinity never reaches a table as a score.
        let text = String::from_utf8_lossy(&outcome.stdout);
        prop_assert!(
            !(outcome.code == Some(0) && (text.contains("NaN") || text.contains(" inf"))),
            "{:?} printed a non-finite number:\n{}",
            args,
            text
        );
        Ok(())
    });
    check(result);
}
