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

use crate::fuzz_support::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::path::Path;
use std::process::{Command, Stdio};

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
