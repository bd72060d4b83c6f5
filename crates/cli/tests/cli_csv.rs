//! The shared CSV rules, as every verb that reads CSV applies them (`fleet score`, `decide`,
//! `learn`): a record is one line with a length limit, a quote left open spoils its own row
//! only, the header is read by one reader (byte-order mark dropped, a name given twice
//! refused), and errors echo values cut short.

use crate::common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

const INVENTORY_HEADER: &str =
    "id,cpu_cores,memory_gb,network,offline,gpus,tenants,latency_ms,workload\n";

fn row(i: usize) -> String {
    format!("node-{i},2,0.5,intermittent,yes,0,1,10,service\n")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Runs the binary with a deadline: a run that hangs fails the test instead of hanging it.
fn run_within(args: &[&str], seconds: u64) -> Output {
    cmd()
        .args(args)
        .timeout(Duration::from_secs(seconds))
        .output()
        .unwrap_or_else(|e| panic!("{args:?} did not finish within {seconds} s: {e}"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn fleet(input: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["fleet", "score", "--input", p(input), "--output", p(output)];
    args.extend_from_slice(extra);
    // Well under a second when it works; it spun forever before the fix.
    run_within(&args, 60)
}

#[test]
fn a_fleet_record_over_8_mib_is_one_refused_row_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!("{INVENTORY_HEADER}{}", row(1)).into_bytes();
    // Line 3: an id of 9 MiB (longer than a block), then the rest of a row.
    text.extend(std::iter::repeat_n(b'x', 9 << 20));
    text.extend_from_slice(b",2,0.5,stable,no,0,1,,service\n");
    text.extend_from_slice(format!("{}{}", row(4), row(5)).as_bytes());
    let input = write(dir.path(), "inv.csv", &text);
    let output = dir.path().join("out.csv");

    let out = fleet(&input, &output, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("inv.csv:3: the row is longer than 1048576 bytes (the record length limit)"),
        "{err}"
    );
    assert!(
        err.len() < 1000,
        "the error is bounded: {} bytes",
        err.len()
    );
    assert!(!output.exists());

    // Skipped: one rejected row, and the rows after it are read (the line numbers too).
    let rejects = dir.path().join("rej.csv");
    let out = fleet(
        &input,
        &output,
        &["--on-error", "skip", "--rejects", p(&rejects)],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("read 4 rows: 3 scored, 1 rejected"), "{err}");
    let rej = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        rej.contains("\n3,,,the row is longer than 1048576 bytes"),
        "{rej}"
    );
    let scored = std::fs::read_to_string(&output).unwrap();
    assert!(scored.contains("\nnode-5,"), "{scored}");
    assert_eq!(scored.lines().count(), 4, "header and 3 rows");

    // A row over the limit that fits in a block is refused the same way.
    let mut text = format!("{INVENTORY_HEADER}{}", row(1)).into_bytes();
    text.extend(std::iter::repeat_n(b'y', 2 << 20));
    text.extend_from_slice(format!(",2,0.5,stable,no,0,1,,service\n{}", row(4)).as_bytes());
    let input = write(dir.path(), "inv2.csv", &text);
    let out = fleet(&input, &output, &["--on-error", "skip"]);
    let err = stderr(&out);
    assert!(err.contains("read 3 rows: 2 scored, 1 rejected"), "{err}");
}

#[test]
fn a_cr_only_inventory_is_refused_at_its_header_and_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out.csv");
    // Over 8 MiB: this spun forever; under 1 MiB: the whole file was echoed as the header.
    for rows in [150_000, 2_000] {
        let mut text = INVENTORY_HEADER.replace('\n', "\r");
        for i in 0..rows {
            text.push_str(&row(i).replace('\n', "\r"));
        }
        let input = write(dir.path(), "cr.csv", text.as_bytes());
        let out = fleet(&input, &output, &["--on-error", "skip"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("cr.csv:1: the header row"), "{err}");
        assert!(err.contains("CR only"), "{err}");
        assert!(
            err.len() < 1000,
            "the error is bounded: {} bytes",
            err.len()
        );
    }
}

#[test]
fn an_unclosed_quote_spoils_its_own_row_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = INVENTORY_HEADER.to_string();
    for i in 2..=201 {
        if i == 31 {
            text.push_str("\"node-31,2,0.5,intermittent,yes,0,1,10,service\n");
        } else {
            text.push_str(&row(i));
        }
    }
    let input = write(dir.path(), "inv.csv", text.as_bytes());
    let output = dir.path().join("out.csv");
    let out = fleet(&input, &output, &["--on-error", "skip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    // Before: "read 30 rows: 29 scored, 1 rejected" (the quote swallowed the rest of the file).
    assert!(
        err.contains("read 200 rows: 199 scored, 1 rejected"),
        "{err}"
    );
    assert!(
        err.contains("inv.csv:31: field 1: a quoted field is not closed by the end of the line"),
        "{err}"
    );
}

#[test]
fn a_header_naming_a_column_twice_is_refused_by_every_csv_verb() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out.csv");
    let inv = write(
        dir.path(),
        "inv.csv",
        format!(
            "id,cpu_cores,memory_gb,network,offline,gpus,tenants,latency_ms,workload,memory_gb\n{}",
            row(1).replace('\n', ",64\n")
        )
        .as_bytes(),
    );
    usage_error(
        &["fleet", "score", "--input", p(&inv), "--output", p(&output)],
        &["inv.csv:1: the header names 'memory_gb' twice (columns 3 and 10)"],
    );
    let matrix = write(dir.path(), "m.csv", b",cost,speed,cost\na,1,2,3\n");
    usage_error(
        &["decide", "--matrix", p(&matrix)],
        &["m.csv, line 1, column 4: the header names 'cost' twice (columns 2 and 4)"],
    );
    let feedback = write(
        dir.path(),
        "f.csv",
        b"kind,tech,scenario,concept,observed,tech\nobservation,k3s,edge,I,0.5,k3s\n",
    );
    usage_error(
        &["learn", "--feedback", p(&feedback), "--dry-run"],
        &["f.csv:1: column 6: the header names 'tech' twice (columns 2 and 6)"],
    );
}

#[test]
fn a_byte_order_mark_reads_the_same_in_every_csv_verb() {
    let dir = tempfile::tempdir().unwrap();
    let bom = "\u{feff}";
    let feedback = "kind,tech,scenario,vector,concept,observed,preferred,other\n\
        observation,k3s,edge,,I,0.5,,\n\
        preference,,edge,,,,k3s,wasmedge\n";
    let plain = write(dir.path(), "plain.csv", feedback.as_bytes());
    let marked = write(dir.path(), "bom.csv", format!("{bom}{feedback}").as_bytes());
    let learn = |f: &Path| ok_json(&["learn", "--feedback", p(f), "--dry-run", "-o", "json"]);
    assert_eq!(learn(&plain)["theta"], learn(&marked)["theta"]);
    let jsonl = write(
        dir.path(),
        "bom.jsonl",
        format!(
            "{bom}{{\"tech\":\"k3s\",\"scenario\":\"edge\",\"concept\":\"I\",\"observed\":0.5}}\n"
        )
        .as_bytes(),
    );
    ok_json(&["learn", "--feedback", p(&jsonl), "--dry-run", "-o", "json"]);

    let matrix = write(
        dir.path(),
        "m.csv",
        format!("{bom},cost,speed\na,1,2\nb,2,1\n").as_bytes(),
    );
    let doc = ok_json(&["decide", "--matrix", p(&matrix), "-o", "json"]);
    assert_eq!(doc["criteria"][0]["name"], "cost");

    let inv = write(
        dir.path(),
        "inv.csv",
        format!("{bom}{INVENTORY_HEADER}{}", row(1)).as_bytes(),
    );
    let out = fleet(&inv, &dir.path().join("out.csv"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn csv_errors_cut_the_values_they_echo() {
    let dir = tempfile::tempdir().unwrap();
    let big = "z".repeat(500_000);
    let matrix = write(
        dir.path(),
        "m.csv",
        format!(",cost,speed\na,1,{big}\n").as_bytes(),
    );
    let err = usage_error(
        &["decide", "--matrix", p(&matrix)],
        &["(500,000 bytes in all)"],
    );
    assert!(err.len() < 1000, "{} bytes", err.len());
    let feedback = write(
        dir.path(),
        "f.csv",
        format!("kind,tech,scenario,concept,observed\nobservation,{big},edge,I,0.5\n").as_bytes(),
    );
    let err = usage_error(
        &["learn", "--feedback", p(&feedback), "--dry-run"],
        &["f.csv:2", "(500,000 bytes in all)"],
    );
    assert!(err.len() < 1000, "{} bytes", err.len());
    let inv = write(
        dir.path(),
        "inv.csv",
        format!("{INVENTORY_HEADER}n1,2,{big},stable,no,0,1,,service\n").as_bytes(),
    );
    let err = usage_error(
        &[
            "fleet",
            "score",
            "--input",
            p(&inv),
            "--output",
            p(&dir.path().join("o.csv")),
        ],
        &["inv.csv:2: column memory_gb:", "(500,000 bytes in all)"],
    );
    assert!(err.len() < 1000, "{} bytes", err.len());
}
