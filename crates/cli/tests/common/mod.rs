//! Helpers shared by the command-line integration tests: run the built binary with colour off
//! and check its output, exit code and error messages.

// Each test file compiles this module on its own and uses only some of it.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::process::Output;

/// The binary under test, with colour off and no inherited language or colour settings.
pub fn cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stackmatrix"));
    c.env("NO_COLOR", "1");
    c
}

/// Runs the binary and returns its output, whatever the exit code.
pub fn run(args: &[&str]) -> Output {
    cmd().args(args).output().expect("the binary runs")
}

/// Standard output of a run that must succeed, as text.
pub fn ok_stdout(args: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?} should succeed; stderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// Standard output of a run that must succeed, parsed as JSON.
pub fn ok_json(args: &[&str]) -> Value {
    let text = ok_stdout(args);
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{args:?} should print JSON ({e}):\n{text}"))
}

/// A number out of a JSON document.
pub fn num(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, got {v}"))
}

/// The `ranking` array of a `rank -o json` document.
pub fn ranking(doc: &Value) -> &Vec<Value> {
    doc["ranking"].as_array().expect("ranking is an array")
}

/// The score of a technology in a `rank -o json` document.
pub fn score_of(doc: &Value, id: &str) -> f64 {
    let entry = ranking(doc)
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not ranked in {doc}"));
    num(&entry["score"])
}

/// Runs a command that must fail as bad usage: exit code 2, stderr starting with "error:",
/// containing every needle, and no panic. Returns stderr.
pub fn usage_error(args: &[&str], needles: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?} should exit with 2; stderr:\n{stderr}"
    );
    assert!(
        stderr.starts_with("error:"),
        "{args:?}: stderr should start with 'error:':\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    for n in needles {
        assert!(
            stderr.contains(n),
            "{args:?}: stderr should contain {n:?}:\n{stderr}"
        );
    }
    assert!(
        out.stdout.is_empty(),
        "{args:?}: nothing should reach stdout on error, got:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

/// Exports the built-in knowledge base into a fresh temporary directory.
pub fn exported_kb() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().to_str().expect("UTF-8 path");
    ok_stdout(&["model", "export", path]);
    dir
}

/// The keys of the first JSON object that follows `"name": {` in `text`, in written order.
/// (`serde_json::Value` sorts keys, so order can only be checked on the raw text.)
pub fn object_keys_in_order(text: &str, name: &str) -> Vec<String> {
    let start = text
        .find(&format!("\"{name}\": {{"))
        .unwrap_or_else(|| panic!("no object {name:?} in:\n{text}"));
    let body = &text[start..];
    let open = body.find('{').expect("opening brace") + 1;
    let close = body.find('}').expect("closing brace");
    body[open..close]
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix('"')?;
            Some(rest[..rest.find('"')?].to_string())
        })
        .collect()
}
