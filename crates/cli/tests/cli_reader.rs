//! The one reader, seen from the command line: overlays with link loops, links out of the
//! directory, named pipes, devices and oversize files are refused quickly with a message naming
//! the file, by `model check` and by every verb; no run blocks or walks a large tree.

use crate::common::cmd;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

/// Before the one reader, these runs hung (a pipe) or walked for minutes (link loops): every
/// run here gets this long, then fails the test instead of hanging it.
const DEADLINE: Duration = Duration::from_secs(20);

/// Runs the binary with a deadline; exit 2 with every needle on stderr, and no panic.
fn refused(args: &[&str], needles: &[&str]) -> String {
    let start = Instant::now();
    let out: Output = cmd()
        .args(args)
        .timeout(DEADLINE)
        .output()
        .unwrap_or_else(|e| panic!("{args:?} did not finish within {DEADLINE:?}: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        start.elapsed() < DEADLINE,
        "{args:?} did not finish within {DEADLINE:?} (killed)"
    );
    assert_eq!(out.status.code(), Some(2), "{args:?}: stderr:\n{stderr}");
    assert!(stderr.starts_with("error:"), "{args:?}:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    for n in needles {
        assert!(
            stderr.contains(n),
            "{args:?}: stderr lacks {n:?}:\n{stderr}"
        );
    }
    stderr
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status();
    assert!(status.unwrap().success(), "mkfifo {}", path.display());
}

/// `model check DIR` and a verb with `--model DIR` both refuse the overlay with these words.
fn overlay_refused(dir: &Path, needles: &[&str]) {
    refused(&["model", "check", p(dir)], needles);
    refused(&["rank", "--model", p(dir), "--scenario", "edge"], needles);
}

#[test]
fn self_link_loops_in_an_overlay_finish_fast_with_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let tech = dir.path().join("technologies");
    std::fs::create_dir(&tech).unwrap();
    // Two self-links made the old walk exponential (hundreds of MB after 20 s).
    std::os::unix::fs::symlink(".", tech.join("a")).unwrap();
    std::os::unix::fs::symlink(".", tech.join("b")).unwrap();
    overlay_refused(
        dir.path(),
        &["technologies/a: leads to", "a directory already read"],
    );
    // `serve` loads the same way before it listens: it refuses the overlay too.
    refused(
        &["serve", "--model", p(dir.path()), "--addr", "127.0.0.1:0"],
        &["a directory already read"],
    );
}

#[test]
fn a_link_to_a_tree_outside_the_overlay_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("technologies")).unwrap();
    let target = std::fs::canonicalize(outside.path()).unwrap();
    overlay_refused(
        dir.path(),
        &[
            &format!("technologies: is a symbolic link to {}", target.display()),
            "outside the knowledge-base directory",
        ],
    );
}

#[test]
fn a_link_to_dev_zero_is_refused_in_an_overlay_and_as_a_flag() {
    let dir = tempfile::tempdir().unwrap();
    let tech = dir.path().join("technologies");
    std::fs::create_dir(&tech).unwrap();
    std::os::unix::fs::symlink("/dev/zero", tech.join("z.toml")).unwrap();
    overlay_refused(
        dir.path(),
        &["z.toml: is a symbolic link to /dev/zero, outside"],
    );
    refused(
        &["decide", "--matrix", "/dev/zero"],
        &["--matrix: /dev/zero: is a character device, not a regular file"],
    );
    let link = dir.path().join("zero.csv");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    refused(
        &["learn", "--feedback", p(&link), "--out", p(dir.path())],
        &["--feedback: ", "is a character device, not a regular file"],
    );
}

#[test]
fn a_named_pipe_is_refused_without_blocking_wherever_a_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let tech = dir.path().join("technologies");
    std::fs::create_dir(&tech).unwrap();
    mkfifo(&tech.join("x.toml"));
    overlay_refused(
        dir.path(),
        &["technologies/x.toml: is a named pipe (FIFO), not a regular file; expected a regular file"],
    );
    let fifo = |name: &str| {
        let path = dir.path().join(name);
        mkfifo(&path);
        path.to_str().unwrap().to_string()
    };
    let pipe = "is a named pipe (FIFO), not a regular file";
    refused(
        &["decide", "--matrix", &fifo("m.csv")],
        &["--matrix: ", pipe],
    );
    refused(
        &[
            "learn",
            "--feedback",
            &fifo("f.csv"),
            "--out",
            p(&dir.path().join("learned")),
        ],
        &["--feedback: ", pipe],
    );
    refused(
        &["report", "--fleet-summary", &fifo("s.json")],
        &["--fleet-summary: ", pipe],
    );
    let out = dir.path().join("out.csv");
    let inv = fifo("inv.csv");
    refused(
        &["fleet", "score", "--input", &inv, "--output", p(&out)],
        &["--input: ", pipe],
    );
    refused(
        &[
            "fleet",
            "score",
            "--input",
            &fifo("inv.parquet"),
            "--output",
            p(&out),
        ],
        &["--input: ", pipe],
    );
    let ok = dir.path().join("ok.csv");
    std::fs::write(&ok, "id\n").unwrap();
    refused(
        &[
            "fleet",
            "score",
            "--input",
            p(&ok),
            "--output",
            p(&out),
            "--rules",
            &fifo("rules.toml"),
        ],
        &["--rules: ", pipe],
    );
    assert!(!out.exists(), "no output is written for a refused input");
}

#[test]
fn an_oversize_file_is_refused_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let tech = dir.path().join("technologies");
    std::fs::create_dir(&tech).unwrap();
    let big = vec![b'#'; (1 << 20) + 1];
    std::fs::write(tech.join("big.toml"), &big).unwrap();
    overlay_refused(
        dir.path(),
        &["big.toml: is larger than 1 MiB (1048576 bytes), the limit for a knowledge-base file"],
    );
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, &big).unwrap();
    let ok = dir.path().join("ok.csv");
    std::fs::write(&ok, "id\n").unwrap();
    let out = dir.path().join("out.csv");
    refused(
        &[
            "fleet",
            "score",
            "--input",
            p(&ok),
            "--output",
            p(&out),
            "--rules",
            p(&rules),
        ],
        &["--rules: ", "the limit for a fleet rules file"],
    );
}

#[test]
fn a_directory_named_like_a_file_and_a_misnamed_file_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let tech = dir.path().join("technologies");
    std::fs::create_dir_all(tech.join("d.toml")).unwrap();
    overlay_refused(
        dir.path(),
        &["technologies/d.toml: is a directory, not a file; expected a TOML file"],
    );

    let dir = tempfile::tempdir().unwrap();
    let scenarios = dir.path().join("scenarios");
    std::fs::create_dir(&scenarios).unwrap();
    let edge = stackmatrix_model::builtin_files()
        .into_iter()
        .find(|f| f.path == "scenarios/edge.toml")
        .unwrap();
    std::fs::write(scenarios.join("edge-copy.toml"), &edge.text).unwrap();
    overlay_refused(
        dir.path(),
        &["edge-copy.toml:", "id: id 'edge' differs from the file name 'edge-copy.toml'; expected the file named after its id (edge.toml)"],
    );
}

#[test]
fn model_export_never_blocks_on_a_named_pipe_in_its_way() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("axes.toml"));
    refused(
        &["model", "export", p(dir.path())],
        &["would be overwritten", "axes.toml", "--force"],
    );
}
