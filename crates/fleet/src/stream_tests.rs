//! The CSV streaming loop of `score` at block sizes far below a record's length: every pass
//! reads on, a row over the record length limit is one rejected row and reading resumes at the
//! next line. Each run has a deadline, so a loop that stops reading fails instead of hanging.

use crate::csv::MAX_RECORD_BYTES;
use crate::{score, NoProgress, OnError, ScoreOptions, ScoreRun};
use stackmatrix_model::FleetRules;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

const HEADER: &str = "id,cpu_cores,memory_gb,network,offline,gpus,tenants,latency_ms,workload\n";
const TAIL: &str = ",2,0.5,intermittent,yes,0,1,10,service\n";

/// Scores `text` with 4 KiB blocks, within 60 s.
fn run(text: Vec<u8>, on_error: OnError) -> Result<ScoreRun, crate::FleetError> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("inv.csv");
        std::fs::write(&input, text).unwrap();
        let mut opts = ScoreOptions::new(input, dir.path().join("out.csv"));
        opts.block_bytes = 4096;
        opts.on_error = on_error;
        let kb = stackmatrix_model::builtin().unwrap();
        let result = score(
            &kb,
            &FleetRules::builtin(),
            &opts,
            &NoProgress,
            &AtomicBool::new(false),
        );
        let _ = tx.send(result);
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the run ends within 60 s (a loop that stops reading spins forever)")
}

#[test]
fn records_longer_than_a_block_are_read_whole() {
    let mut text = format!("{HEADER}a{TAIL}").into_bytes();
    // 40 KiB: ten blocks, under the record length limit.
    text.extend(std::iter::repeat_n(b'b', 40 << 10));
    text.extend_from_slice(format!("{TAIL}c{TAIL}").as_bytes());
    let run = run(text, OnError::Fail).unwrap();
    assert_eq!((run.summary.rows.read, run.summary.rows.scored), (3, 3));
}

#[test]
fn a_record_over_the_limit_is_one_rejected_row_and_reading_resumes() {
    let mut text = format!("{HEADER}a{TAIL}").into_bytes();
    text.extend(std::iter::repeat_n(b'b', MAX_RECORD_BYTES + 10));
    text.extend_from_slice(format!("{TAIL}c{TAIL}\"d{TAIL}e{TAIL}").as_bytes());
    let run = run(text.clone(), OnError::Skip).unwrap();
    let rows = run.summary.rows;
    assert_eq!((rows.read, rows.scored, rows.rejected), (5, 3, 2));
    assert_eq!(run.rejects[0].line, 3);
    assert!(run.rejects[0].reason.contains("the record length limit"));
    assert_eq!(run.rejects[1].line, 5, "the lines after it are counted");
    let e = self::run(text, OnError::Fail).unwrap_err().to_string();
    assert!(
        e.contains(":3: the row is longer than 1048576 bytes"),
        "{e}"
    );
    // The last line, without a line end.
    let mut text = format!("{HEADER}a{TAIL}").into_bytes();
    text.extend(std::iter::repeat_n(b'b', MAX_RECORD_BYTES + 10));
    let rows = self::run(text, OnError::Skip).unwrap().summary.rows;
    assert_eq!((rows.read, rows.scored, rows.rejected), (2, 1, 1));
}

#[test]
fn a_header_without_a_line_feed_is_refused_at_the_limit() {
    let text = HEADER.replace('\n', "\r").repeat(MAX_RECORD_BYTES / 50);
    let e = run(text.into_bytes(), OnError::Skip)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("inv.csv:1: the header row is longer than"),
        "{e}"
    );
    assert!(e.len() < 400, "{e}");
}
