//! `stackmatrix fleet`: generated inventories scored row by row, checked against the single-row
//! verbs; bad rows, counts that reconcile, atomic output, interrupts.

use crate::common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn generate(dir: &Path, name: &str, rows: u64, seed: u64, broken: f64) -> PathBuf {
    let path = dir.join(name);
    let out = run(&[
        "fleet",
        "generate",
        "--rows",
        &rows.to_string(),
        "--seed",
        &seed.to_string(),
        "--broken",
        &broken.to_string(),
        "-o",
        p(&path),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    path
}

/// The files of a directory, hidden temporary files included.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn generate_is_deterministic_for_a_seed() {
    let dir = tempfile::tempdir().unwrap();
    let a = generate(dir.path(), "a.csv", 3000, 9, 0.0);
    let b = generate(dir.path(), "b.csv", 3000, 9, 0.0);
    let c = generate(dir.path(), "c.csv", 3000, 10, 0.0);
    let (a, b, c) = (
        std::fs::read(a).unwrap(),
        std::fs::read(b).unwrap(),
        std::fs::read(c).unwrap(),
    );
    assert_eq!(a, b);
    assert_ne!(a, c);
    let text = String::from_utf8(a).unwrap();
    assert!(text
        .starts_with("id,cpu_cores,memory_gb,network,offline,gpus,tenants,latency_ms,workload\n"));
    assert_eq!(text.lines().count(), 3001);
    // Every kind of node appears.
    for w in [
        ",function",
        ",ci",
        ",dev",
        ",inference",
        ",service",
        ",batch",
    ] {
        assert!(text.contains(w), "no {w} rows");
    }
}

#[test]
fn the_kernel_benchmark_counts_every_row_in_every_build() {
    for simd in ["auto", "avx512", "avx2", "portable"] {
        let doc = ok_json(&[
            "fleet", "kernel", "--rows", "40000", "--reps", "1", "--simd", simd,
        ]);
        assert_eq!(doc["counted"], 40000, "{simd}");
        assert_eq!(doc["rejected"], 0, "{simd}");
        assert!(doc["distinct_sets"].as_u64().unwrap() > 10, "{simd}");
        // A build the CPU lacks falls back to a narrower one, never to `auto`.
        let ran = doc["simd"].as_str().unwrap();
        assert!(
            ["avx512", "avx2", "portable"].contains(&ran),
            "{simd}: {ran}"
        );
        if simd == "portable" {
            assert_eq!(ran, "portable");
        }
    }
    usage_error(
        &["fleet", "kernel", "--simd", "sse9"],
        &["--simd", "avx512"],
    );
}

#[test]
fn rows_score_as_rank_and_recommend_score_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = generate(dir.path(), "inv.csv", 4000, 5, 0.0);
    let output = dir.path().join("out.csv");
    let summary = ok_json(&[
        "fleet",
        "score",
        "--input",
        p(&input),
        "--output",
        p(&output),
        "--top",
        "2",
        "--stacks",
        "-o",
        "json",
    ]);
    assert_eq!(summary["rows"]["read"], 4000);
    assert_eq!(summary["rows"]["scored"], 4000);
    assert_eq!(summary["rows"]["rejected"], 0);
    let rows = csv_rows(&output);
    assert_eq!(
        rows[0].join(","),
        "id,dev,ci,prod,edge,serverless,multitenant,require,budget_mb,chain_1,score_1,chain_2,score_2,stack,stack_score"
    );
    assert_eq!(rows.len(), 4001);
    // A sample of distinct inputs, each checked against the single-row verbs.
    let mut seen = std::collections::BTreeSet::new();
    let mut checked = 0;
    for row in rows[1..].iter().step_by(37) {
        let key = row[1..9].join(",");
        if !seen.insert(key) || checked >= 12 {
            continue;
        }
        checked += 1;
        let vector = row[1..7].join(",");
        let rank = ok_json(&["rank", "--vector", &vector, "-o", "json"]);
        let ranking = ranking(&rank);
        for k in 0..2 {
            assert_eq!(ranking[k]["id"], row[9 + 2 * k].as_str(), "{row:?}");
            assert_eq!(
                num(&ranking[k]["score"]),
                row[10 + 2 * k].parse::<f64>().unwrap(),
                "{row:?}"
            );
        }
        let mut args = vec!["recommend", "--vector", &vector, "-o", "json"];
        let require = row[7].replace(';', ",");
        if !require.is_empty() {
            args.extend(["--require", &require]);
        }
        let rec = ok_json(&args);
        if row[13].is_empty() {
            assert!(rec["stack"].is_null(), "{row:?}");
        } else {
            assert_eq!(rec["stack"]["id"], row[13].as_str(), "{row:?}");
            assert_eq!(num(&rec["stack"]["score"]), row[14].parse::<f64>().unwrap());
        }
    }
    assert!(checked >= 8, "only {checked} distinct rows checked");
}

#[test]
fn bad_rows_fail_the_run_by_default_and_leave_the_output_alone() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("inv.csv");
    std::fs::write(
        &input,
        "id,cpu_cores,memory_gb,network,offline,gpus,tenants,latency_ms,workload\n\
         a,2,0.5,intermittent,,0,1,10,service\n\
         b,2,lots,stable,,0,1,10,service\n",
    )
    .unwrap();
    let output = dir.path().join("out.csv");
    std::fs::write(&output, "old\n").unwrap();
    usage_error(
        &[
            "fleet",
            "score",
            "--input",
            p(&input),
            "--output",
            p(&output),
        ],
        &[
            "inv.csv:3: column memory_gb: 'lots' is not a number",
            "(id b)",
            "nothing was written",
        ],
    );
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "old\n");
    assert_eq!(names(dir.path()), ["inv.csv", "out.csv"]);
}

#[test]
fn skipped_rows_are_listed_and_counts_reconcile() {
    let dir = tempfile::tempdir().unwrap();
    let input = generate(dir.path(), "inv.csv", 3000, 2, 0.02);
    let output = dir.path().join("out.csv");
    let rejects = dir.path().join("rejects.csv");
    let out = run(&[
        "fleet",
        "score",
        "--input",
        p(&input),
        "--output",
        p(&output),
        "--on-error",
        "skip",
        "--rejects",
        p(&rejects),
        "--show-rejects",
        "3",
        "-o",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (read, scored, rejected) = (
        summary["rows"]["read"].as_u64().unwrap(),
        summary["rows"]["scored"].as_u64().unwrap(),
        summary["rows"]["rejected"].as_u64().unwrap(),
    );
    assert_eq!(read, 3000);
    assert_eq!(read, scored + rejected);
    assert!(rejected > 20, "{rejected}");
    assert_eq!(csv_rows(&output).len() as u64, scored + 1);
    let listed = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(listed.lines().count() as u64, rejected + 1);
    assert!(listed.starts_with("line,id,column,reason\n"));
    assert_eq!(stderr.matches("rejected: ").count(), 4, "{stderr}");
    assert!(
        stderr.contains(&format!("and {} more", rejected - 3)),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "read {read} rows: {scored} scored, {rejected} rejected"
        )),
        "{stderr}"
    );
    let by_column: u64 = summary["rejected_by_column"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["rows"].as_u64().unwrap())
        .sum();
    assert_eq!(by_column, rejected);
    let per_chain: u64 = summary["best_chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["rows"].as_u64().unwrap())
        .sum();
    assert_eq!(per_chain, scored);
}

#[test]
fn malformed_records_are_rejected_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("inv.csv");
    std::fs::write(
        &input,
        "id,cpu_cores,memory_gb,network,offline,gpus,tenants,latency_ms,workload\r\n\
         \"edge, rack 1\",2,0.5,intermittent,yes,0,1,10,service\r\n\
         short,2,1\r\n\
         \r\n\
         \"multi\nline\",4,8,stable,no,0,3,,batch\r\n\
         \"bad\"x,4,8,stable,no,0,3,,batch\r\n\
         last,1,0.5,offline,TRUE,1,1,5,inference",
    )
    .unwrap();
    let output = dir.path().join("out.csv");
    let rejects = dir.path().join("rej.csv");
    let out = run(&[
        "fleet",
        "score",
        "--input",
        p(&input),
        "--output",
        p(&output),
        "--on-error",
        "skip",
        "--rejects",
        p(&rejects),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = std::fs::read_to_string(&output).unwrap();
    assert!(
        text.contains("\n\"edge, rack 1\",0,0,1,4,0,0,offline,,"),
        "{text}"
    );
    // A quoted field does not span lines: both halves are rejected rows of their own.
    assert!(!text.contains("\"multi"), "{text}");
    assert!(text.contains("\nlast,0,0,2,5,0,0,offline;gpu,,"), "{text}");
    let rej = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        rej.contains("3,short,,3 fields; expected 9 as in the header"),
        "{rej}"
    );
    assert!(rej.contains("4,,,empty line"), "{rej}");
    assert!(
        rej.contains("5,,,\"field 1: a quoted field is not closed by the end of the line"),
        "{rej}"
    );
    assert!(
        rej.contains("6,,,\"field 1: a quote inside an unquoted field"),
        "{rej}"
    );
    assert!(
        rej.contains("7,,,\"field 1: text after a closing quote"),
        "{rej}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("read 7 rows: 2 scored, 5 rejected"),
        "{stderr}"
    );
}

#[test]
fn inputs_and_rules_that_cannot_work_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("inv.csv");
    std::fs::write(&input, "id,cpu_cores\na,1\n").unwrap();
    let output = dir.path().join("out.csv");
    usage_error(
        &[
            "fleet",
            "score",
            "--input",
            p(&input),
            "--output",
            p(&output),
        ],
        &["the header has no column 'memory_gb'"],
    );
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    usage_error(
        &[
            "fleet",
            "score",
            "--input",
            p(&empty),
            "--output",
            p(&output),
        ],
        &["is empty; expected a header row"],
    );
    usage_error(
        &[
            "fleet",
            "score",
            "--input",
            p(&input),
            "--output",
            "out.txt",
        ],
        &["--output: 'out.txt' has no known extension"],
    );
    usage_error(
        &[
            "fleet",
            "score",
            "--input",
            p(&input),
            "--output",
            p(&input),
        ],
        &["is the same file as --input"],
    );
    usage_error(
        &[
            "fleet",
            "score",
            "--input",
            p(&dir.path().join("missing.csv")),
            "--output",
            p(&output),
        ],
        &["--input: cannot open"],
    );
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[[column]]\nname = \"cpu_cores\"\ntype = \"number\"\n[[rule]]\nid = \"big\"\nwhen = [{ column = \"cpu_cores\", op = \">\", value = 8 }]\nrequire = [\"quantum\"]\n",
    )
    .unwrap();
    usage_error(
        &[
            "fleet",
            "score",
            "--input",
            p(&input),
            "--output",
            p(&output),
            "--rules",
            p(&rules),
        ],
        &["rules.toml:7:12: rule[0].require[0]: no technology brings 'quantum'"],
    );
    std::fs::write(
        &rules,
        "[[rule]]\nid = \"x\"\nwhen = [{ column = \"ram\", op = \"<\", value = 1 }]\n",
    )
    .unwrap();
    usage_error(
        &["fleet", "rules", "--rules", p(&rules)],
        &["rules.toml:3:20: rule[0].when[0].column: unknown column 'ram'"],
    );
    assert!(names(dir.path()).iter().all(|n| !n.starts_with('.')));
}

#[test]
fn a_row_with_no_weighted_scene_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[[column]]\nname = \"cpu_cores\"\ntype = \"number\"\nrequired = true\n[[rule]]\nid = \"big\"\nwhen = [{ column = \"cpu_cores\", op = \">\", value = 8 }]\nweigh = { prod = 1 }\n",
    )
    .unwrap();
    let input = dir.path().join("inv.csv");
    std::fs::write(&input, "id,cpu_cores\na,16\nb,2\n").unwrap();
    let output = dir.path().join("out.csv");
    let summary = ok_json(&[
        "fleet",
        "score",
        "--input",
        p(&input),
        "--output",
        p(&output),
        "--rules",
        p(&rules),
        "--on-error",
        "skip",
        "-o",
        "json",
    ]);
    assert_eq!(summary["rows"]["scored"], 1);
    assert_eq!(summary["rows"]["rejected"], 1);
    assert_eq!(summary["rejected_by_column"][0]["id"], "(row)");
}

#[test]
fn the_rules_print_and_check() {
    let text = ok_stdout(&["fleet", "rules"]);
    assert!(text.contains("id_column = \"id\""));
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, &text).unwrap();
    let out = ok_stdout(&["fleet", "rules", "--rules", p(&rules)]);
    assert!(out.contains("8 columns, 13 rules: ok"), "{out}");
}

#[test]
fn the_summary_reads_in_chinese_and_as_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = generate(dir.path(), "inv.csv", 500, 1, 0.0);
    let output = dir.path().join("out.csv");
    let summary = dir.path().join("summary.json");
    let text = ok_stdout(&[
        "fleet",
        "score",
        "--input",
        p(&input),
        "--output",
        p(&output),
        "--summary",
        p(&summary),
        "--lang",
        "zh",
    ]);
    assert!(text.contains("读取行数: 500"), "{text}");
    assert!(text.contains("最佳技术链"), "{text}");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(doc["rows"]["read"], 500);
    let hist: u64 = doc["chain_score"]["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["rows"].as_u64().unwrap())
        .sum();
    assert_eq!(hist, 500);
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = generate(dir.path(), "big.csv", 1_500_000, 1, 0.0);
    let output = dir.path().join("out.csv");
    std::fs::write(&output, "old\n").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stackmatrix"))
        .args([
            "fleet",
            "score",
            "--input",
            p(&input),
            "--output",
            p(&output),
            "--stacks",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the temporary output exists: the run is under way.
    let started = std::time::Instant::now();
    while !names(dir.path()).iter().any(|n| n.starts_with(".out.csv")) {
        assert!(started.elapsed().as_secs() < 60, "the run never started");
        if child.try_wait().unwrap().is_some() {
            panic!("the run finished before it could be interrupted");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted (SIGINT); nothing more was written"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "old\n");
    assert_eq!(names(dir.path()), ["big.csv", "out.csv"]);
}

#[test]
fn report_renders_a_fleet_summary() {
    let dir = tempfile::tempdir().unwrap();
    let input = generate(dir.path(), "inv.csv", 2000, 3, 0.01);
    let output = dir.path().join("out.csv");
    let summary = dir.path().join("summary.json");
    ok_stdout(&[
        "fleet",
        "score",
        "--input",
        p(&input),
        "--output",
        p(&output),
        "--stacks",
        "--on-error",
        "skip",
        "--summary",
        p(&summary),
    ]);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    let md = ok_stdout(&["report", "--fleet-summary", p(&summary)]);
    assert!(md.starts_with("# Fleet summary\n"), "{md}");
    let counts = format!(
        "| {} | {} | {} | {} |",
        doc["rows"]["read"], doc["rows"]["scored"], doc["rows"]["rejected"], doc["distinct_inputs"]
    );
    assert!(md.contains(&counts), "{md}");
    let best = &doc["best_chain"][0];
    assert!(
        md.contains(&format!(
            "| `{}` | {} |",
            best["id"].as_str().unwrap(),
            best["rows"]
        )),
        "{md}"
    );
    assert!(md.contains("## Rows per best stack"));
    let html_path = dir.path().join("fleet.html");
    let out = run(&[
        "report",
        "--fleet-summary",
        p(&summary),
        "-o",
        p(&html_path),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg id=\"fleet-chain-scores\""));
    let zh = ok_stdout(&["report", "--fleet-summary", p(&summary), "--lang", "zh"]);
    assert!(zh.starts_with("# 机群汇总\n"));
    // Not a summary: the place and what was expected.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"rows\": 3\n}\n").unwrap();
    usage_error(
        &["report", "--fleet-summary", p(&bad)],
        &[
            "--fleet-summary",
            "bad.json:2:",
            "expected the JSON that `stackmatrix fleet score --summary FILE.json` writes",
        ],
    );
    usage_error(
        &[
            "report",
            "--fleet-summary",
            p(&summary),
            "--scenario",
            "edge",
        ],
        &["cannot be used with"],
    );
}

#[test]
fn parquet_in_and_out_give_the_csv_results() {
    let dir = tempfile::tempdir().unwrap();
    let csv = generate(dir.path(), "inv.csv", 5000, 8, 0.0);
    let parquet = generate(dir.path(), "inv.parquet", 5000, 8, 0.0);
    assert!(std::fs::read(&parquet).unwrap().starts_with(b"PAR1"));
    let from_csv = dir.path().join("a.csv");
    let from_parquet = dir.path().join("b.csv");
    for (i, o) in [(&csv, &from_csv), (&parquet, &from_parquet)] {
        ok_stdout(&[
            "fleet",
            "score",
            "--input",
            p(i),
            "--output",
            p(o),
            "--top",
            "2",
            "--stacks",
        ]);
    }
    assert_eq!(
        std::fs::read_to_string(&from_csv).unwrap(),
        std::fs::read_to_string(&from_parquet).unwrap()
    );
    let out = dir.path().join("c.parquet");
    let summary = ok_json(&[
        "fleet",
        "score",
        "--input",
        p(&csv),
        "--output",
        p(&out),
        "-o",
        "json",
    ]);
    assert_eq!(summary["rows"]["scored"], 5000);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    // A Parquet file without a required column is refused by name.
    usage_error(
        &[
            "fleet",
            "score",
            "--input",
            p(&out),
            "--output",
            p(&dir.path().join("d.csv")),
        ],
        &["has no column 'cpu_cores'"],
    );
}

#[test]
fn a_bad_row_after_blocks_were_written_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    // About 14 MB: more than one 8 MiB block is scored and written before the bad last row.
    let input = generate(dir.path(), "inv.csv", 300_000, 4, 0.0);
    let mut text = std::fs::read_to_string(&input).unwrap();
    text.push_str("last,2,0.5,stable,,0,1,10,mainframe\n");
    std::fs::write(&input, text).unwrap();
    for output in ["out.csv", "out.parquet"] {
        let output = dir.path().join(output);
        std::fs::write(&output, "old\n").unwrap();
        usage_error(
            &[
                "fleet",
                "score",
                "--input",
                p(&input),
                "--output",
                p(&output),
            ],
            &["inv.csv:300002: column workload: 'mainframe' is not an allowed value"],
        );
        assert_eq!(std::fs::read_to_string(&output).unwrap(), "old\n");
    }
    assert_eq!(names(dir.path()), ["inv.csv", "out.csv", "out.parquet"]);
}

/// Issue 13: the parquet crate panics on some corrupt pages and column chunks (found by the
/// fuzz harness); such a file is refused like any corrupt Parquet file: exit 2, one clean
/// line naming the file, the row group and column, no panic message, nothing written.
#[test]
fn a_parquet_file_that_panics_the_decoder_is_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let clean = std::fs::read(generate(dir.path(), "seed.parquet", 40, 7, 0.0)).unwrap();
    std::fs::remove_file(dir.path().join("seed.parquet")).unwrap();
    // Byte flips of the 40-row, seed-7 inventory that made parquet 59.3.2 panic: a dictionary
    // page's length (`assertion failed: size <= src.len()`) and a column chunk's offset in
    // the footer (`column start and length should not be negative`).
    for (at, value, column) in [(507, 0x00, "network"), (1447, 0xff, "id")] {
        let mut bytes = clean.clone();
        bytes[at] = value;
        let input = dir.path().join("inventory.parquet");
        std::fs::write(&input, &bytes).unwrap();
        let output = dir.path().join("scored.csv");
        let out = run(&[
            "fleet",
            "score",
            "--input",
            p(&input),
            "--stacks",
            "--output",
            p(&output),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "byte {at}: {stderr}");
        assert!(!stderr.contains("panicked"), "byte {at}: {stderr}");
        assert!(!stderr.contains("RUST_BACKTRACE"), "byte {at}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "byte {at}: {stderr}");
        for part in [
            "inventory.parquet",
            "row group 0",
            &format!("column '{column}'"),
            "corrupt",
        ] {
            assert!(stderr.contains(part), "byte {at}: {part:?} in {stderr}");
        }
        assert_eq!(names(dir.path()), ["inventory.parquet"], "byte {at}");
    }
}
