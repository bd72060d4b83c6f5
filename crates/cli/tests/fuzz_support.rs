//! What the fuzz harness of the command line (`fuzz_inputs.rs`) is built from: the budget and
//! seed, running the binary under watch (deadline, exit code, output, the user's files), hostile
//! values and line edits of text files. The checks every run must pass are in [`run_checked`].

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Cases per input class when `STACKMATRIX_FUZZ_CASES` is not set: a short budget for CI.
pub(crate) const DEFAULT_CASES: u32 = 24;

/// A run still going after this long is a hang. Generous for a debug build on a loaded 2-core
/// machine; every generated input is small, so a healthy run takes well under a second.
pub(crate) const DEADLINE: Duration = Duration::from_secs(60);

/// Standard error longer than this is an unbounded message (inputs here are at most ~200 KB,
/// and every message must cut long values).
pub(crate) const STDERR_LIMIT: usize = 64 * 1024;

/// The generators' seed: fixed, so CI runs the same inputs every time, unless
/// `STACKMATRIX_FUZZ_SEED` names another (`random` draws one from the clock). A failure names
/// the seed, so `STACKMATRIX_FUZZ_SEED=N` replays it.
pub(crate) fn seed_value() -> u64 {
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

pub(crate) fn seed() -> RngSeed {
    RngSeed::Fixed(seed_value())
}

pub(crate) fn cases() -> u32 {
    std::env::var("STACKMATRIX_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// Fails the test with a bounded account of a fuzz failure: the shrunk input may hold values of
/// hundreds of kilobytes.
/// How the runs of each test ended, by exit code: printed at the end of each test (seen with
/// `--nocapture`), the figures of a fuzz campaign.
pub(crate) fn tally() -> &'static std::sync::Mutex<BTreeMap<(String, i32), u32>> {
    static TALLY: std::sync::OnceLock<std::sync::Mutex<BTreeMap<(String, i32), u32>>> =
        std::sync::OnceLock::new();
    TALLY.get_or_init(Default::default)
}

/// The running test's name (libtest names each test's thread after it).
pub(crate) fn test_name() -> String {
    std::thread::current().name().unwrap_or("?").to_string()
}

#[track_caller]
pub(crate) fn check<T: std::fmt::Debug>(result: Result<(), proptest::test_runner::TestError<T>>) {
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

pub(crate) fn runner() -> TestRunner {
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
pub(crate) fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

// ---------------------------------------------------------------------------------------------
// Running the binary under watch
// ---------------------------------------------------------------------------------------------

/// What one run printed and how it ended.
pub(crate) struct Outcome {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
}

/// Every file under `dir` (not following links) with its bytes: what the user owns before a run.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
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
pub(crate) fn run_checked(
    dir: &Path,
    args: &[String],
    outputs: &[&str],
) -> Result<Outcome, TestCaseError> {
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

pub(crate) fn s(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

/// A hostile number as it would be written in a TOML or CSV file, or as a flag's value.
pub(crate) fn hostile_number() -> impl Strategy<Value = String> {
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
pub(crate) fn hostile_text() -> impl Strategy<Value = String> {
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
pub(crate) fn hostile_toml_value() -> impl Strategy<Value = String> {
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
pub(crate) enum LineEdit {
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

pub(crate) fn line_edit(value: BoxedStrategy<String>) -> impl Strategy<Value = LineEdit> {
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
pub(crate) fn apply_edits(text: &str, edits: &[LineEdit], sep: char) -> Vec<u8> {
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
