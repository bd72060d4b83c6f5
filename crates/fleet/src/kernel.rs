//! The scoring kernel alone, timed against a plain read of the same bytes (`stackmatrix fleet
//! kernel`, used by bench/fleet.sh).
//!
//! The data is a generated inventory held in memory as typed columns, as a columnar reader
//! (Parquet) hands them over: `f64` (NaN for an empty value), `i64` (`i64::MIN` for empty) and
//! one-byte codes for bools and texts. The **kernel** does, for every row, what the pipeline
//! does after reading: the cells are checked against the rules' columns and the rules matched a
//! column at a time ([`match_rules_columnar`]; a flagged row goes through [`match_rules`]), the
//! rule set is looked up in the table of scored sets, and the row is counted for its set (the
//! summary's counts). The distinct sets are scored beforehand, as a
//! long run has scored them all after its first blocks. The **plain read** sums every byte of
//! the same columns (as `u64` words for the 8-byte columns, bytes for the codes). Both run on
//! all cores (rayon), over the same row ranges.

use crate::generate::row_fields;
use rayon::prelude::*;
use serde::Serialize;
use stackmatrix_engine::fleet::{
    columnar_cell, match_rules, match_rules_columnar, Cell, TypedColumn,
};
use stackmatrix_model::{ColumnKind, FleetRules};
use std::time::Instant;

/// One typed column, encoded as [`TypedColumn`] reads it.
enum Column {
    F64(Vec<f64>),
    I64(Vec<i64>),
    /// Codes: 0 false, 1 true, 2 empty.
    Bool(Vec<u8>),
    /// Codes into the column's values (255 empty).
    Text(Vec<u8>, Vec<String>),
}

impl Column {
    fn bytes(&self) -> usize {
        match self {
            Column::F64(v) => v.len() * 8,
            Column::I64(v) => v.len() * 8,
            Column::Bool(v) | Column::Text(v, _) => v.len(),
        }
    }

    fn typed(&self) -> TypedColumn<'_> {
        match self {
            Column::F64(v) => TypedColumn::F64(v),
            Column::I64(v) => TypedColumn::I64(v),
            Column::Bool(v) => TypedColumn::Bool(v),
            Column::Text(v, values) => TypedColumn::Text(v, values),
        }
    }
}

/// The timings of one kernel run.
#[derive(Debug, Clone, Serialize)]
pub struct KernelReport {
    /// Rows in memory.
    pub rows: usize,
    /// Bytes of the typed columns.
    pub bytes: usize,
    /// Threads used.
    pub threads: usize,
    /// Best of the repetitions, seconds: the kernel.
    pub kernel_seconds: f64,
    /// Best of the repetitions, seconds: the plain read.
    pub read_seconds: f64,
    /// `kernel_seconds / read_seconds`.
    pub ratio: f64,
    /// Plain-read bandwidth, GB/s.
    pub read_gb_per_s: f64,
    /// Kernel throughput, million rows per second.
    pub kernel_mrows_per_s: f64,
    /// Distinct rule sets found (a check that the kernel did its work).
    pub distinct_sets: usize,
    /// Rows whose cells failed a check.
    pub rejected: u64,
}

/// Builds the columns of a generated inventory for `rules` (which must read the generator's
/// columns, as the built-in rules do).
fn columns(rules: &FleetRules, rows: usize, seed: u64) -> Vec<Column> {
    let header: Vec<&str> = crate::generate::GENERATED_HEADER.split(',').collect();
    let fields: Vec<Vec<String>> = (0..rows as u64)
        .into_par_iter()
        .map(|i| row_fields(seed, i, 0.0))
        .collect();
    rules
        .columns
        .iter()
        .map(|spec| {
            let at = header.iter().position(|h| *h == spec.name);
            let text = |i: usize| at.map_or("", |j| fields[i][j].as_str());
            match spec.kind {
                ColumnKind::Number => Column::F64(
                    (0..rows)
                        .map(|i| text(i).parse().unwrap_or(f64::NAN))
                        .collect(),
                ),
                ColumnKind::Integer => Column::I64(
                    (0..rows)
                        .map(|i| text(i).parse().unwrap_or(i64::MIN))
                        .collect(),
                ),
                ColumnKind::Bool => Column::Bool(
                    (0..rows)
                        .map(|i| match text(i) {
                            "true" => 1,
                            "false" => 0,
                            _ => 2,
                        })
                        .collect(),
                ),
                ColumnKind::Text => {
                    let mut values = spec.values.clone();
                    let codes = (0..rows)
                        .map(|i| {
                            let t = text(i);
                            if t.is_empty() {
                                return 255;
                            }
                            match values.iter().position(|v| v == t) {
                                Some(k) => k as u8,
                                None => {
                                    values.push(t.to_string());
                                    (values.len() - 1) as u8
                                }
                            }
                        })
                        .collect();
                    Column::Text(codes, values)
                }
            }
        })
        .collect()
}

const PIECE: usize = 1 << 14;

fn slice<'a>(c: &TypedColumn<'a>, r: std::ops::Range<usize>) -> TypedColumn<'a> {
    match *c {
        TypedColumn::Absent => TypedColumn::Absent,
        TypedColumn::F64(v) => TypedColumn::F64(&v[r]),
        TypedColumn::I64(v) => TypedColumn::I64(&v[r]),
        TypedColumn::Bool(v) => TypedColumn::Bool(&v[r]),
        TypedColumn::Text(v, values) => TypedColumn::Text(&v[r], values),
    }
}

/// Runs the kernel and the plain read `reps` times each over `rows` generated rows.
pub fn kernel_benchmark(rules: &FleetRules, rows: usize, seed: u64, reps: usize) -> KernelReport {
    let cols = columns(rules, rows, seed);
    let bytes: usize = cols.iter().map(Column::bytes).sum();
    let typed: Vec<TypedColumn> = cols.iter().map(Column::typed).collect();
    // The table of scored sets (every set seen gets an index), built by one row-wise pass.
    let n_rules = rules.rules.len();
    assert!(n_rules <= 20, "the kernel benchmark takes at most 20 rules");
    let mut table = vec![u32::MAX; 1 << n_rules];
    let mut distinct = 0usize;
    for i in 0..rows {
        let cells: Vec<Cell> = typed.iter().map(|c| columnar_cell(c, i)).collect();
        if let Ok(set) = match_rules(rules, &cells) {
            let slot = &mut table[set as usize];
            if *slot == u32::MAX {
                *slot = distinct as u32;
                distinct += 1;
            }
        }
    }
    let kernel = || {
        (0..rows.div_ceil(PIECE))
            .into_par_iter()
            // Each worker keeps its counts and its buffers across the pieces it takes.
            .fold(
                || {
                    (
                        vec![0u64; distinct + 1],
                        vec![0u32; PIECE],
                        vec![false; PIECE],
                    )
                },
                |(mut counts, mut sets, mut bad), p| {
                    let r = p * PIECE..((p + 1) * PIECE).min(rows);
                    let (sets_r, bad_r) = (&mut sets[..r.len()], &mut bad[..r.len()]);
                    let piece: Vec<TypedColumn> =
                        typed.iter().map(|c| slice(c, r.clone())).collect();
                    match_rules_columnar(rules, &piece, sets_r, bad_r);
                    for (k, (set, b)) in sets_r.iter().zip(bad_r.iter()).enumerate() {
                        let key = if *b {
                            // The row path decides (and explains) a flagged row.
                            let cells: Vec<Cell> =
                                piece.iter().map(|c| columnar_cell(c, k)).collect();
                            match match_rules(rules, &cells) {
                                Ok(set) => table[set as usize],
                                Err(_) => distinct as u32,
                            }
                        } else {
                            table[*set as usize]
                        };
                        counts[key as usize] += 1;
                    }
                    (counts, sets, bad)
                },
            )
            .map(|(counts, _, _)| counts)
            .reduce(
                || vec![0u64; distinct + 1],
                |mut a, b| {
                    for (x, y) in a.iter_mut().zip(b) {
                        *x += y;
                    }
                    a
                },
            )
    };
    let read = || -> u64 {
        (0..rows.div_ceil(PIECE))
            .into_par_iter()
            .map(|p| {
                let r = p * PIECE..((p + 1) * PIECE).min(rows);
                let mut sum = 0u64;
                for c in &cols {
                    sum = sum.wrapping_add(match c {
                        Column::F64(v) => v[r.clone()]
                            .iter()
                            .fold(0u64, |s, x| s.wrapping_add(x.to_bits())),
                        Column::I64(v) => v[r.clone()]
                            .iter()
                            .fold(0u64, |s, x| s.wrapping_add(*x as u64)),
                        Column::Bool(v) | Column::Text(v, _) => v[r.clone()]
                            .iter()
                            .fold(0u64, |s, x| s.wrapping_add(*x as u64)),
                    });
                }
                sum
            })
            .reduce(|| 0, u64::wrapping_add)
    };
    let mut best_kernel = f64::INFINITY;
    let mut best_read = f64::INFINITY;
    let mut rejected = 0;
    for _ in 0..reps.max(1) {
        let t = Instant::now();
        let counts = std::hint::black_box(kernel());
        best_kernel = best_kernel.min(t.elapsed().as_secs_f64());
        rejected = counts[distinct];
        let t = Instant::now();
        std::hint::black_box(read());
        best_read = best_read.min(t.elapsed().as_secs_f64());
    }
    KernelReport {
        rows,
        bytes,
        threads: rayon::current_num_threads(),
        kernel_seconds: best_kernel,
        read_seconds: best_read,
        ratio: best_kernel / best_read,
        read_gb_per_s: bytes as f64 / best_read / 1e9,
        kernel_mrows_per_s: rows as f64 / best_kernel / 1e6,
        distinct_sets: distinct,
        rejected,
    }
}
