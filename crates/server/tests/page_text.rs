//! The web page shows untrusted text (names, notes and sources from knowledge-base overlays,
//! error messages quoting requests) as text: never parsed as HTML, and with its control
//! characters escaped by `shown` in `assets/charts.js`, the same set and form as the command
//! line's `stackmatrix_model::untrusted`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(assets().join(name)).unwrap()
}

#[test]
fn no_script_parses_text_as_html() {
    for entry in std::fs::read_dir(assets()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "js") {
            let text = std::fs::read_to_string(&path).unwrap();
            for sink in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                "DOMParser",
                "createContextualFragment",
            ] {
                assert!(!text.contains(sink), "{} uses {sink}", path.display());
            }
        }
    }
}

#[test]
fn every_text_node_and_data_text_passes_shown() {
    let charts = read("charts.js");
    assert!(
        charts.contains("document.createTextNode(shown(c))"),
        "append"
    );
    assert!(!charts.contains("createTextNode(String("), "append");
    // Every textContent of the page that can hold data (a name, a scenario, a source) is
    // wrapped; the others are the page's own words (`L(...)`) and numbers.
    let app = read("app.js");
    for line in app.lines().filter(|l| l.contains(".textContent =")) {
        let value = line.split(".textContent =").nth(1).unwrap().trim();
        let own = value.starts_with("L(")
            || value.starts_with("shown(")
            || value.starts_with("forced ? `(${L(")
            || value.starts_with("refused.has(")
            || value.starts_with("rank.claims ? shown(")
            || value.starts_with("sum > 0")
            || value.starts_with("v.toFixed")
            || value.starts_with("`[${s.vector")
            || value.starts_with("text;")
            || value.starts_with("\"\"")
            || value.is_empty();
        assert!(own, "textContent without shown(): {line}");
    }
}

/// `shown` itself, run by Node when it is installed (skipped, and says so, when not).
#[test]
fn shown_escapes_what_the_command_line_escapes() {
    let node =
        std::env::var_os("STACKMATRIX_NODE").map_or_else(|| PathBuf::from("node"), PathBuf::from);
    if Command::new(&node).arg("--version").output().is_err() {
        eprintln!("skipped: no node to run assets/charts.js");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Node reads `.mjs` as an ES module; the page's file is loaded as it is.
    std::fs::write(dir.path().join("charts.mjs"), read("charts.js")).unwrap();
    let samples: Vec<String> = [
        "evil\u{1b}]0;title\u{7}",
        "a\tb\rc\nd",
        "\u{7f}\u{80}\u{9f}\u{61c}\u{200e}\u{200f}\u{202a}\u{202e}\u{2066}\u{2069}\u{2028}\u{2029}\u{feff}",
        "K3s 轻量 Kubernetes \\u001b",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let script = format!(
        "import {{ shown }} from './charts.mjs';\nconst samples = {};\nprocess.stdout.write(JSON.stringify(samples.map(shown)));\n",
        serde_json::to_string(&samples).unwrap()
    );
    std::fs::write(dir.path().join("run.mjs"), script).unwrap();
    let out = Command::new(&node)
        .arg("run.mjs")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let got: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    let want: Vec<String> = samples
        .iter()
        .map(|s| stackmatrix_model::untrusted::escaped_lines(s).into_owned())
        .collect();
    assert_eq!(got, want);
}
