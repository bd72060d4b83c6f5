//! Untrusted text in human renderings: control characters from knowledge-base files, inventory
//! cells and flags reach neither standard output nor standard error raw, and a long value in
//! an error message is cut with its length said. JSON stays exact data.

use crate::common;

use common::{exported_kb, ok_json, ok_stdout, run};
use std::path::Path;

/// The terminal's title, set by `ESC ] 0 ; title BEL`, written as TOML escapes.
const EVIL_TOML: &str = "evil\\u001b]0;title\\u0007\\u202e";
/// The same name as the binary must show it.
const EVIL_SHOWN: &str = "evil\\u001b]0;title\\u0007\\u202e";
/// The same name as data.
const EVIL_RAW: &str = "evil\u{1b}]0;title\u{7}\u{202e}";

/// Bytes that must never reach a terminal from data: C0 controls but line feed, DEL, and the
/// UTF-8 of C1 controls and of the bidi overrides.
fn raw_controls(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    text.chars()
        .filter(|&c| c != '\n' && stackmatrix_model::untrusted::is_unsafe(c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect()
}

/// An overlay adding technology `evil`, a copy of k3s whose English name and provenance source
/// carry terminal control sequences.
fn evil_overlay() -> tempfile::TempDir {
    let kb = exported_kb();
    let k3s = std::fs::read_to_string(kb.path().join("technologies/k3s.toml")).unwrap();
    let evil = k3s
        .replace("\nid = \"k3s\"\n", "\nid = \"evil\"\n")
        .replace("\nen = \"K3s\"\n", &format!("\nen = \"{EVIL_TOML}\"\n"))
        .replacen(
            "\nsource = \"AdaMartin18010",
            "\nsource = \"\\u001b[2JAdaMartin18010",
            1,
        );
    assert!(evil.contains(EVIL_TOML) && evil.contains("\\u001b[2J"));
    let overlay = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(overlay.path().join("technologies")).unwrap();
    std::fs::write(overlay.path().join("technologies/evil.toml"), evil).unwrap();
    overlay
}

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

#[test]
fn knowledge_base_names_are_escaped_in_table_markdown_and_csv() {
    let overlay = evil_overlay();
    let dir = p(overlay.path());
    for format in ["table", "md", "csv"] {
        for verb in [
            &["rank", "--scenario", "edge"][..],
            &["list", "techs"][..],
            &["show", "evil"][..],
        ] {
            let mut args = vec!["--model", dir, "-o", format];
            args.extend_from_slice(verb);
            let out = run(&args);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
            assert_eq!(raw_controls(&out.stdout), Vec::<String>::new(), "{args:?}");
            assert_eq!(raw_controls(&out.stderr), Vec::<String>::new(), "{args:?}");
            let text = String::from_utf8(out.stdout).unwrap();
            if verb[0] != "show" || format == "table" {
                assert!(
                    text.contains(EVIL_SHOWN),
                    "{args:?} shows the escapes:\n{text}"
                );
            }
        }
    }
}

#[test]
fn coloured_tables_keep_only_their_own_colours() {
    let overlay = evil_overlay();
    let dir = p(overlay.path());
    let out = run(&["--model", dir, "--color", "always", "show", "evil"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(EVIL_SHOWN), "{text}");
    assert!(text.contains("Source: \\u001b[2JAdaMartin18010"), "{text}");
    // The shading is there, and every ESC starts one of the table's own colour sequences.
    assert!(text.contains("\x1b[30;48;5;"), "{text}");
    for (i, _) in text.match_indices('\x1b') {
        let rest = &text[i..];
        assert!(
            rest.starts_with("\x1b[30;48;5;") || rest.starts_with("\x1b[0m"),
            "a foreign escape at {i}: {:?}",
            &rest[..rest.len().min(20)]
        );
    }
    assert!(!text.contains('\x07'), "{text:?}");
}

#[test]
fn json_keeps_the_exact_value() {
    let overlay = evil_overlay();
    let dir = p(overlay.path());
    let ranked = ok_json(&["--model", dir, "rank", "--scenario", "edge", "-o", "json"]);
    let evil = common::ranking(&ranked)
        .iter()
        .find(|e| e["id"] == "evil")
        .expect("evil is ranked");
    assert_eq!(evil["name"], EVIL_RAW);
    let text = ok_stdout(&["--model", dir, "rank", "--scenario", "edge", "-o", "json"]);
    assert_eq!(raw_controls(text.as_bytes()), Vec::<String>::new());
}

/// A fleet inventory whose second row has `cell` in the memory column.
fn inventory_with(dir: &Path, cell: &str) -> std::path::PathBuf {
    let input = dir.join("inv.csv");
    std::fs::write(
        &input,
        format!(
            "id,cpu_cores,memory_gb,network,offline,gpus,tenants,latency_ms,workload\n\
             a,2,0.5,intermittent,,0,1,10,service\n\
             b,2,{cell},stable,,0,1,10,service\n"
        ),
    )
    .unwrap();
    input
}

#[test]
fn an_inventory_cell_with_controls_is_escaped_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = inventory_with(dir.path(), "lo\x1b[2J\x1b]0;pwned\x07ts");
    let output = dir.path().join("out.csv");
    let out = run(&[
        "fleet",
        "score",
        "--input",
        p(&input),
        "--output",
        p(&output),
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(raw_controls(&out.stderr), Vec::<String>::new());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("'lo\\u001b[2J\\u001b]0;pwned\\u0007ts' is not a number"),
        "{stderr}"
    );
}

#[test]
fn a_five_megabyte_value_gives_a_short_error_that_says_its_length() {
    let dir = tempfile::tempdir().unwrap();
    let big = "9x".repeat(5 * 1024 * 1024 / 2);
    let input = inventory_with(dir.path(), &big);
    let output = dir.path().join("out.csv");
    let out = run(&[
        "fleet",
        "score",
        "--input",
        p(&input),
        "--output",
        p(&output),
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        out.stderr.len() < 8192,
        "{} bytes of error",
        out.stderr.len()
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    // A 5 MB cell makes a row over the CSV record length limit (1 MiB), refused as such
    // (`cli_csv` has the cut of a long value within the limit).
    assert!(
        stderr.contains("longer than 1048576 bytes (the record length limit)"),
        "{stderr}"
    );
    // Within the limit, the cell itself is quoted, cut, with its length.
    let big = "9x".repeat(500_000);
    let input = inventory_with(dir.path(), &big);
    let out = run(&[
        "fleet",
        "score",
        "--input",
        p(&input),
        "--output",
        p(&output),
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        out.stderr.len() < 2048,
        "{} bytes of error",
        out.stderr.len()
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("9x9x… (1,000,000 bytes in all)' is not a number"),
        "{stderr}"
    );
}

#[test]
fn a_long_flag_value_is_cut_in_the_error() {
    let long = format!("{}\x1b]0;t\x07", "x".repeat(100_000));
    let out = run(&["rank", "--scenario", &long]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        out.stderr.len() < 4096,
        "{} bytes of error",
        out.stderr.len()
    );
    assert_eq!(raw_controls(&out.stderr), Vec::<String>::new());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("(100,006 bytes in all)"), "{stderr}");
}

#[test]
fn knowledge_base_diagnostics_escape_what_they_quote() {
    let overlay = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(overlay.path().join("technologies")).unwrap();
    std::fs::write(
        overlay.path().join("technologies/bad.toml"),
        "id = \"bad\"\nkind = \"chain\\u001b]0;t\\u0007\"\n",
    )
    .unwrap();
    let out = run(&["model", "check", p(overlay.path())]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(raw_controls(&out.stderr), Vec::<String>::new());
}

#[test]
fn html_and_markdown_reports_hold_no_raw_control_character() {
    let overlay = evil_overlay();
    let out_dir = tempfile::tempdir().unwrap();
    for file in ["r.html", "r.md"] {
        let path = out_dir.path().join(file);
        let args = [
            "--model",
            p(overlay.path()),
            "report",
            "--scenario",
            "edge",
            "-o",
            p(&path),
        ];
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(raw_controls(&bytes), Vec::<String>::new(), "{file}");
        let text = String::from_utf8(bytes).unwrap();
        // Markdown escapes the escape's backslash (and the bracket), so that both show.
        let shown = if file.ends_with(".md") {
            "evil\\\\u001b\\]0;title"
        } else {
            "evil\\u001b]0;title"
        };
        assert!(text.contains(shown), "{file} shows the escapes");
    }
}

#[test]
fn a_value_the_argument_parser_refuses_is_cut_in_its_error() {
    // clap's own errors (a number flag given text) quote the value: cut and escaped too.
    let long = format!("{}\x1b]0;t\x07", "A".repeat(100_000));
    let out = run(&["robustness", "--scenario", "edge", "--samples", &long]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        out.stderr.len() < 4096,
        "{} bytes of error",
        out.stderr.len()
    );
    assert_eq!(raw_controls(&out.stderr), Vec::<String>::new());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("--samples"), "{stderr}");
    // Help is no error: printed whole, exit 0.
    let help = run(&["rank", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("Usage: stackmatrix rank"));
}
