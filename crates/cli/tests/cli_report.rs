//! `stackmatrix report`: HTML and Markdown files for every seed scenario in both languages,
//! written atomically; Markdown on standard output without a file; usage and write errors; and,
//! where Chromium is installed, the HTML report rendered by a real browser.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SEEDS: [&str; 5] = [
    "edge",
    "serverless",
    "ai-inference",
    "multitenant",
    "hybrid",
];

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// The id of the top-ranked technology of a scenario, as `rank -o json` says.
fn top_of(scenario: &str) -> String {
    let doc = common::ok_json(&["rank", "--scenario", scenario, "-o", "json"]);
    doc["ranking"][0]["id"].as_str().expect("an id").to_string()
}

/// Runs `report` writing `file`; checks the exit code, the empty standard output and the
/// message on standard error; returns the file's text.
fn write_report(args: &[&str], file: &Path) -> String {
    let path = file.to_str().unwrap();
    let mut full = args.to_vec();
    full.extend(["-o", path]);
    let out = common::run(&full);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{full:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{full:?} printed on stdout");
    let text = std::fs::read_to_string(file).expect("the report exists");
    // The last line says what was written (a note on a rescaled vector may come first).
    assert_eq!(
        stderr.trim_end().lines().last(),
        Some(format!("wrote {path} ({} bytes)", text.len()).as_str()),
        "{full:?}"
    );
    text
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn html_and_markdown_for_every_seed_scenario_in_both_languages() {
    for scenario in SEEDS {
        let top = top_of(scenario);
        for lang in ["en", "zh"] {
            let dir = tempdir();
            let html = write_report(
                &["--lang", lang, "report", "--scenario", scenario],
                &dir.path().join("report.html"),
            );
            assert!(html.starts_with("<!DOCTYPE html>"), "{scenario} {lang}");
            assert!(html.contains(&format!("<html lang=\"{lang}\">")));
            assert!(html.contains("<svg"), "{scenario} {lang}: no chart");
            assert!(
                html.contains(&format!("<code>{top}</code>")),
                "{scenario} {lang}"
            );
            assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
            let md = write_report(
                &["--lang", lang, "report", "--scenario", scenario],
                &dir.path().join("report.md"),
            );
            assert!(md.starts_with("# "), "{scenario} {lang}");
            assert!(md.contains(&format!("`{top}`")), "{scenario} {lang}");
            assert!(md.contains("| ---: |"));
            // Atomic writes leave the two reports and nothing else.
            assert_eq!(names_in(dir.path()), ["report.html", "report.md"]);
        }
    }
}

#[test]
fn other_extensions_and_an_existing_file_are_written_atomically() {
    let dir = tempdir();
    let htm = dir.path().join("r.HTM");
    let markdown = dir.path().join("r.markdown");
    std::fs::write(&htm, "old").unwrap();
    let text = write_report(&["report", "--scenario", "edge"], &htm);
    assert!(text.starts_with("<!DOCTYPE html>"));
    let text = write_report(&["report", "--scenario", "edge"], &markdown);
    assert!(text.starts_with("# Stack report: Edge computing (edge)"));
    assert_eq!(names_in(dir.path()), ["r.HTM", "r.markdown"]);
}

#[test]
fn a_vector_report_has_every_case() {
    let dir = tempdir();
    let file = dir.path().join("v.md");
    let md = write_report(&["report", "--vector", "prod=3,edge=1"], &file);
    let out = common::run(&[
        "report",
        "--vector",
        "prod=3,edge=1",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("note: the scene vector summed to 4"));
    assert!(md.starts_with("# Stack report: scene vector"));
    for case in ["inspur-edge", "hybrid-cloud", "kubecon-2025-ai"] {
        assert!(md.contains(case), "{case}");
    }
}

#[test]
fn without_a_file_markdown_goes_to_standard_output() {
    let default = common::ok_stdout(&["report", "--scenario", "serverless"]);
    let md = common::ok_stdout(&["report", "--scenario", "serverless", "-o", "md"]);
    assert_eq!(default, md);
    assert!(md.starts_with("# Stack report: Serverless (serverless)"));
    assert!(md.contains("`wasmedge`"));
    assert!(!md.contains("<svg"));
    let zh = common::ok_stdout(&["--lang", "zh", "report", "--scenario", "serverless"]);
    assert!(zh.starts_with("# 技术栈报告："));
}

#[test]
fn json_and_csv_are_usage_errors() {
    for format in ["json", "csv"] {
        let out = common::run(&["report", "--scenario", "edge", "-o", format]);
        assert_eq!(out.status.code(), Some(2), "-o {format}");
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!("error: -o {format}: a report is HTML or Markdown")),
            "{stderr}"
        );
    }
    // A bad scenario is the usual usage error, and no file is written.
    let dir = tempdir();
    let file = dir.path().join("x.html");
    let out = common::run(&["report", "--scenario", "nope", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--scenario: unknown scenario 'nope'"));
    assert!(names_in(dir.path()).is_empty());
    // Other verbs do not write files.
    let out = common::run(&["rank", "--scenario", "edge", "-o", "x.html"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_unwritable_path_fails_with_the_path_and_the_reason() {
    let dir = tempdir();
    let file = dir.path().join("missing").join("report.html");
    let path = file.to_str().unwrap();
    let out = common::run(&["report", "--scenario", "edge", "-o", path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(&format!("error: cannot write {path}: ")),
        "{stderr}"
    );
    assert!(stderr.contains("No such file or directory"), "{stderr}");
    assert!(!file.exists());
    assert!(names_in(dir.path()).is_empty());
    // A directory in the way of the file.
    let taken = dir.path().join("taken.html");
    std::fs::create_dir(&taken).unwrap();
    let out = common::run(&[
        "report",
        "--scenario",
        "edge",
        "-o",
        taken.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(names_in(dir.path()), ["taken.html"]);
}

/// Runs a command with a deadline; returns its exit status and standard output.
fn run_with_deadline(cmd: &mut Command, limit: Duration) -> (Option<i32>, Vec<u8>) {
    let out_file = tempfile::NamedTempFile::new().unwrap();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(out_file.reopen().unwrap())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    (status, std::fs::read(out_file.path()).unwrap())
}

fn chromium(profile: &Path) -> Command {
    let mut c = Command::new("/usr/bin/chromium");
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// The HTML report in a real browser: Chromium renders a screenshot and the DOM. Skipped when
/// Chromium is not installed, unless `STACKMATRIX_REQUIRE_BROWSER=1`. The screenshots are kept
/// in the target directory (`report-screenshots/`) for a person to look at.
#[test]
fn chromium_renders_the_html_report() {
    if !Path::new("/usr/bin/chromium").exists() {
        if std::env::var_os("STACKMATRIX_REQUIRE_BROWSER").is_some_and(|v| v == "1") {
            panic!("STACKMATRIX_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing (apt-get install -y chromium)");
        }
        eprintln!(
            "skipped: /usr/bin/chromium is missing (apt-get install -y chromium to run this test)"
        );
        return;
    }
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (scenario, lang) in [("edge", "en"), ("hybrid", "zh")] {
        let dir = tempdir();
        let html = dir.path().join("report.html");
        write_report(&["--lang", lang, "report", "--scenario", scenario], &html);
        let url = format!("file://{}", html.display());
        let png = shots.join(format!("{scenario}-{lang}.png"));
        let _ = std::fs::remove_file(&png);
        let (status, _) = run_with_deadline(
            chromium(&dir.path().join("profile"))
                .arg(format!("--screenshot={}", png.display()))
                .arg("--window-size=1280,2000")
                .arg(&url),
            Duration::from_secs(120),
        );
        assert_eq!(status, Some(0), "chromium --screenshot failed");
        let bytes = std::fs::read(&png).expect("the screenshot exists");
        assert!(
            bytes.len() > 10_000,
            "a screenshot of {} bytes",
            bytes.len()
        );
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");

        let (status, dom) = run_with_deadline(
            chromium(&dir.path().join("profile"))
                .arg("--dump-dom")
                .arg(&url),
            Duration::from_secs(120),
        );
        assert_eq!(status, Some(0), "chromium --dump-dom failed");
        let dom = String::from_utf8_lossy(&dom);
        let top = top_of(scenario);
        assert!(dom.contains("<section id=\"ranking\">"), "{dom:.500}");
        assert!(dom.contains(&format!("<code>{top}</code>")));
        assert!(dom.contains("id=\"chart-ranking\""));
        eprintln!("screenshot: {}", png.display());
    }
}
