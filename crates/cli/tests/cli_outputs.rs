//! The output guard and the cleanup path of the writing verbs: no output may be an input or
//! another output of the same run (however the path is spelt: `./x`, a symbolic link, a hard
//! link), the files read are left byte for byte, and SIGINT and SIGTERM remove the run's
//! temporary files and exit 130 and 143; temporary files of killed runs are removed by the next
//! run, those of a run still under way are not.

use crate::common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn generate(dir: &Path, name: &str, rows: u64, broken: f64) -> PathBuf {
    let path = dir.join(name);
    let out = run(&[
        "fleet",
        "generate",
        "--rows",
        &rows.to_string(),
        "--broken",
        &broken.to_string(),
        "-o",
        p(&path),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    path
}

/// The entries of a directory, hidden temporary files included.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn temp_files(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with('.') && n.ends_with(".tmp"))
        .collect()
}

/// Runs the binary in `dir` and expects a usage error (exit 2) whose message has every piece.
fn refused_in(dir: &Path, args: &[&str], pieces: &[&str]) {
    let out = cmd().current_dir(dir).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    for piece in pieces {
        assert!(stderr.contains(piece), "{args:?}: no {piece:?} in {stderr}");
    }
    assert!(stderr.contains("nothing was written"), "{stderr}");
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_is_left_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let inv = generate(d, "inv.csv", 200, 0.05);
    let before = std::fs::read(&inv).unwrap();
    std::fs::hard_link(&inv, d.join("hard.csv")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("inv.csv", d.join("soft.csv")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    let rules = d.join("rules.toml");
    std::fs::write(&rules, stackmatrix_model::BUILTIN_FLEET_RULES).unwrap();
    let listing = names(d);
    let score = ["fleet", "score", "--input", "inv.csv"];
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        // Issue 13, defect 2: the inventory replaced by JSON, or by one header line.
        (
            vec!["--output", "out.csv", "--summary", "inv.csv"],
            vec!["--summary: inv.csv", "--input inv.csv"],
        ),
        (
            vec![
                "--output",
                "out.csv",
                "--rejects",
                "inv.csv",
                "--on-error",
                "skip",
            ],
            vec!["--rejects: inv.csv", "--input inv.csv"],
        ),
        (
            vec!["--output", "./inv.csv"],
            vec!["--output: ./inv.csv", "--input inv.csv"],
        ),
        (
            vec!["--output", "sub/../inv.csv"],
            vec!["--output: sub/../inv.csv"],
        ),
        (
            vec!["--output", "out.csv", "--summary", "hard.csv"],
            vec!["--summary: hard.csv", "--input inv.csv"],
        ),
        (
            vec!["--output", "rules.toml", "--rules", "rules.toml"],
            vec!["--output: rules.toml", "--rules rules.toml"],
        ),
    ];
    for (extra, pieces) in &cases {
        let args: Vec<&str> = score.iter().chain(extra.iter()).copied().collect();
        refused_in(d, &args, pieces);
    }
    #[cfg(unix)]
    refused_in(
        d,
        &[&score[..], &["--output", "soft.csv"]].concat(),
        &["--output: soft.csv", "--input inv.csv"],
    );
    // `-o FILE` names the output too.
    refused_in(
        d,
        &["-o", "inv.csv", "fleet", "score", "--input", "./inv.csv"],
        &["-o: inv.csv", "--input ./inv.csv"],
    );
    assert_eq!(std::fs::read(&inv).unwrap(), before);
    assert_eq!(std::fs::read(&rules).unwrap(), BUILTIN_RULES.as_bytes());
    assert_eq!(names(d), listing);
}

const BUILTIN_RULES: &str = stackmatrix_model::BUILTIN_FLEET_RULES;

#[test]
fn an_output_that_is_another_output_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    generate(d, "inv.csv", 50, 0.0);
    std::fs::write(d.join("out.csv"), "old\n").unwrap();
    std::fs::hard_link(d.join("out.csv"), d.join("out-link.csv")).unwrap();
    let score = [
        "fleet", "score", "--input", "inv.csv", "--output", "out.csv",
    ];
    for (extra, pieces) in [
        (
            vec!["--summary", "out.csv"],
            vec!["--summary: out.csv", "--output out.csv"],
        ),
        (
            vec!["--summary", "./out.csv"],
            vec!["--summary: ./out.csv", "--output out.csv"],
        ),
        (
            vec!["--summary", "out-link.csv"],
            vec!["--summary: out-link.csv", "--output out.csv"],
        ),
        (
            vec!["--on-error", "skip", "--rejects", "out.csv"],
            vec!["--rejects: out.csv", "--output out.csv"],
        ),
        (
            vec![
                "--on-error",
                "skip",
                "--rejects",
                "new.csv",
                "--summary",
                "new.csv",
            ],
            vec!["--rejects: new.csv", "--summary new.csv"],
        ),
    ] {
        let args: Vec<&str> = score.iter().chain(extra.iter()).copied().collect();
        refused_in(d, &args, &pieces);
    }
    assert_eq!(std::fs::read_to_string(d.join("out.csv")).unwrap(), "old\n");
    assert_eq!(
        names(d),
        ["inv.csv", "out-link.csv", "out.csv"].map(String::from)
    );
}

#[test]
fn report_learn_and_export_keep_their_outputs_off_their_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let feedback = d.join("feedback.csv");
    std::fs::write(
        &feedback,
        "kind,tech,scenario,vector,concept,observed,preferred,other\nobservation,k3s,edge,,I,0.5,,\n",
    )
    .unwrap();
    // A knowledge base made by learn, then updated in place from itself: allowed.
    ok_stdout(&[
        "learn",
        "--feedback",
        p(&feedback),
        "--out",
        p(&d.join("kb")),
    ]);
    ok_stdout(&[
        "--model",
        p(&d.join("kb")),
        "learn",
        "--feedback",
        p(&feedback),
        "--out",
        p(&d.join("kb")),
    ]);
    // Nothing else may be written inside the knowledge base, nor over one of its files.
    refused_in(
        d,
        &[
            "--model",
            "kb",
            "learn",
            "--feedback",
            "feedback.csv",
            "--out",
            "kb/sub",
        ],
        &["--out: kb/sub/tables/theta.toml", "--model kb"],
    );
    refused_in(
        d,
        &[
            "--model",
            "kb",
            "report",
            "--scenario",
            "edge",
            "-o",
            "kb/r.md",
        ],
        &["-o: kb/r.md", "--model kb"],
    );
    std::fs::hard_link(d.join("kb/tables/theta.toml"), d.join("theta.md")).unwrap();
    refused_in(
        d,
        &[
            "--model",
            "kb",
            "report",
            "--scenario",
            "edge",
            "-o",
            "theta.md",
        ],
        &["-o: theta.md", "--model", "theta.toml"],
    );
    // learn --out D writes D/tables/theta.toml: here, the feedback file itself.
    std::fs::create_dir_all(d.join("fb/tables")).unwrap();
    std::fs::copy(&feedback, d.join("fb/tables/theta.toml")).unwrap();
    refused_in(
        d,
        &["learn", "--feedback", "fb/tables/theta.toml", "--out", "fb"],
        &["--out: ", "--feedback fb/tables/theta.toml"],
    );
    assert_eq!(
        std::fs::read(d.join("fb/tables/theta.toml")).unwrap(),
        std::fs::read(&feedback).unwrap()
    );
    // report --fleet-summary S -o S (through a hard link with a report's name).
    let summary = d.join("s.json");
    std::fs::write(&summary, "{}").unwrap();
    std::fs::hard_link(&summary, d.join("s.md")).unwrap();
    refused_in(
        d,
        &["report", "--fleet-summary", "s.json", "-o", "s.md"],
        &["-o: s.md", "--fleet-summary s.json"],
    );
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), "{}");
    assert!(temp_files(d).is_empty() && temp_files(&d.join("kb/tables")).is_empty());
}

#[test]
fn learn_leaves_no_temporary_file_when_the_rename_fails() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let feedback = d.join("feedback.csv");
    std::fs::write(
        &feedback,
        "kind,tech,scenario,vector,concept,observed,preferred,other\nobservation,k3s,edge,,I,0.5,,\n",
    )
    .unwrap();
    // A non-empty directory where tables/theta.toml goes: the rename onto it fails.
    std::fs::create_dir_all(d.join("kb/tables/theta.toml")).unwrap();
    std::fs::write(d.join("kb/tables/theta.toml/keep"), "x").unwrap();
    let out = run(&[
        "learn",
        "--feedback",
        p(&feedback),
        "--out",
        p(&d.join("kb")),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--out: cannot write"), "{stderr}");
    assert_eq!(names(&d.join("kb/tables")), ["theta.toml"]);
}

/// Starts the binary in `dir` and waits until its temporary file for `target` exists (one that
/// was not there before).
fn start_writing(dir: &Path, args: &[&str], target: &str) -> Child {
    let before = temp_files(dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_stackmatrix"))
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let prefix = format!(".{target}.stackmatrix-");
    let started = Instant::now();
    while !names(dir)
        .iter()
        .any(|n| n.starts_with(&prefix) && !before.contains(n))
    {
        assert!(started.elapsed().as_secs() < 120, "the run never started");
        if child.try_wait().unwrap().is_some() {
            panic!("the run finished before it could be interrupted");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(100));
    child
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// A signal in the middle of a run: the exit code, no temporary file, the old output kept.
fn interrupted(args: &[&str], signal_name: &str, code: i32) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    if args.contains(&"score") {
        generate(d, "big.csv", 1_000_000, 0.0);
    }
    std::fs::write(d.join("out.csv"), "old\n").unwrap();
    let before = names(d);
    let child = start_writing(d, args, "out.csv");
    signal(&child, signal_name);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    assert!(
        stderr.contains(&format!("interrupted (SIG{signal_name})")),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(d.join("out.csv")).unwrap(), "old\n");
    assert_eq!(names(d), before);
}

#[cfg(unix)]
#[test]
fn sigterm_removes_the_temporary_files_and_exits_143() {
    let score = [
        "fleet", "score", "--input", "big.csv", "--output", "out.csv", "--stacks",
    ];
    interrupted(&score, "TERM", 143);
    // Another writing verb, the same path.
    let generate = ["fleet", "generate", "--rows", "100000000", "-o", "out.csv"];
    interrupted(&generate, "TERM", 143);
}

#[cfg(unix)]
#[test]
fn sigint_removes_the_temporary_files_and_exits_130() {
    let score = [
        "fleet",
        "score",
        "--input",
        "big.csv",
        "--output",
        "out.csv",
        "--on-error",
        "skip",
        "--rejects",
        "rejects.csv",
    ];
    interrupted(&score, "INT", 130);
}

#[cfg(unix)]
#[test]
fn the_next_run_removes_what_a_killed_run_left_but_not_what_a_live_run_holds() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    generate(d, "big.csv", 1_000_000, 0.0);
    generate(d, "small.csv", 20, 0.0);
    let score = |input: &'static str, output: &'static str| {
        vec!["fleet", "score", "--input", input, "--output", output]
    };
    // A live run writing the output.
    let mut live = start_writing(d, &score("big.csv", "out.csv"), "out.csv");
    let live_temp = temp_files(d);
    assert_eq!(live_temp.len(), 1, "{live_temp:?}");
    // Another run, killed: SIGKILL cannot be handled, so its temporary file stays.
    let mut killed = start_writing(d, &score("big.csv", "out.csv"), "out.csv");
    signal(&killed, "KILL");
    killed.wait().unwrap();
    let left: Vec<String> = temp_files(d)
        .into_iter()
        .filter(|n| !live_temp.contains(n))
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    // The next run removes the dead run's file, says so, and leaves the live run's alone.
    let out = cmd()
        .current_dir(d)
        .args(score("small.csv", "out.csv"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("note: removed {}", left[0]))
            || stderr.contains(&format!("/{}, a temporary file left", left[0])),
        "{stderr}"
    );
    assert_eq!(temp_files(d), live_temp);
    let _ = live.kill();
    live.wait().unwrap();
}

/// Every writing verb, stopped by SIGTERM while its temporary file exists (the test-only pause
/// before the rename holds it there): exit code 143, no temporary file, the old file kept.
#[cfg(unix)]
#[test]
fn every_writing_verb_cleans_up_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("feedback.csv"),
        "kind,tech,scenario,vector,concept,observed,preferred,other\nobservation,k3s,edge,,I,0.5,,\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.join("kb/tables")).unwrap();
    std::fs::write(d.join("kb/tables/theta.toml"), "old\n").unwrap();
    std::fs::write(d.join("r.html"), "old\n").unwrap();
    std::fs::create_dir_all(d.join("export")).unwrap();
    std::fs::write(d.join("export/axes.toml"), "old\n").unwrap();
    let cases: [(&[&str], &str, &str); 3] = [
        (
            &["learn", "--feedback", "feedback.csv", "--out", "kb"],
            "kb/tables",
            "theta.toml",
        ),
        (
            &["report", "--scenario", "edge", "-o", "r.html"],
            ".",
            "r.html",
        ),
        (
            &["model", "export", "--force", "export"],
            "export",
            "axes.toml",
        ),
    ];
    for (args, sub, target) in cases {
        let at = d.join(sub);
        let mut child = Command::new(env!("CARGO_BIN_EXE_stackmatrix"))
            .current_dir(d)
            .env("STACKMATRIX_TEST_PAUSE_BEFORE_RENAME", "60000")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let prefix = format!(".{target}.stackmatrix-");
        let started = Instant::now();
        while !names(&at).iter().any(|n| n.starts_with(&prefix)) {
            assert!(started.elapsed().as_secs() < 60, "{args:?} never wrote");
            assert!(child.try_wait().unwrap().is_none(), "{args:?} ended");
            std::thread::sleep(Duration::from_millis(10));
        }
        signal(&child, "TERM");
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(143), "{args:?}: {stderr}");
        assert!(stderr.contains("interrupted (SIGTERM)"), "{stderr}");
        assert!(temp_files(&at).is_empty(), "{args:?}: {:?}", names(&at));
        assert_eq!(
            std::fs::read_to_string(at.join(target)).unwrap(),
            "old\n",
            "{args:?}"
        );
    }
}
