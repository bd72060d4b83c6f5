//! The scoring kernel alone, timed against a plain read of the same bytes (`stackmatrix fleet
//! kernel`, used by bench/fleet.sh).
//!
//! The data is a generated inventory held in memory as typed columns, as a columnar reader
//! (Parquet) hands them over: `f64` (NaN for an empty value), `i64` (`i64::MIN` for empty) and
//! one-byte codes for bools and texts. The **kernel** does, for every row, what the pipeline
//! does after reading: the cells are checked against the rules' columns and the rules matched a
//! column at a time ([`ColumnarMatcher`], prepared once; a flagged row goes through [`match_rules`]), the
//! rule set is looked up in the table of scored sets, and the row is counted for its set (the
//! summary's counts). The distinct sets are scored beforehand, as a
//! long run has scored them all after its first blocks. The **plain read** sums every byte of
//! the same columns (as `u64` words for the 8-byte columns, bytes for the codes). Both run on
//! all cores (rayon), over the same row ranges.

use crate::generate::row_fields;
use rayon::prelude::*;
use serde::Serialize;
pub use stackmatrix_engine::fleet::SimdLevel;
use stackmatrix_engine::fleet::{
    columnar_cell, has_avx512, match_rules, Cell, ColumnarMatcher, TypedColumn,
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
    /// The build of the kernel's passes that ran (the plain read always runs the widest).
    pub simd: SimdLevel,
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
    /// Rows counted (a check: equals `rows`).
    pub counted: u64,
}

/// Builds the columns of a generated inventory for `rules` (which must read the generator's
/// columns, as the built-in rules do).
fn columns(rules: &FleetRules, rows: usize, seed: u64, bad_fraction: f64) -> Vec<Column> {
    let header: Vec<&str> = crate::generate::GENERATED_HEADER.split(',').collect();
    let fields: Vec<Vec<String>> = (0..rows as u64)
        .into_par_iter()
        .map(|i| row_fields(seed, i, bad_fraction))
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

/// The plain read: the sum of every word of `rows` of the columns (`u64` words for the 8-byte
/// columns, bytes for the codes), built for the widest vectors the CPU has, as the kernel is.
fn sum_words(cols: &[Column], rows: std::ops::Range<usize>) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        if has_avx512() {
            // SAFETY: the CPU has these features, checked just above.
            return unsafe { sum_words_avx512(cols, rows) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            return unsafe { sum_words_avx2(cols, rows) };
        }
    }
    sum_words_portable(cols, rows)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512dq")]
unsafe fn sum_words_avx512(cols: &[Column], rows: std::ops::Range<usize>) -> u64 {
    sum_words_portable(cols, rows)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn sum_words_avx2(cols: &[Column], rows: std::ops::Range<usize>) -> u64 {
    sum_words_portable(cols, rows)
}

#[inline(always)]
fn sum_words_portable(cols: &[Column], rows: std::ops::Range<usize>) -> u64 {
    let mut sum = 0u64;
    for c in cols {
        sum = sum.wrapping_add(match c {
            Column::F64(v) => v[rows.clone()]
                .iter()
                .fold(0u64, |s, x| s.wrapping_add(x.to_bits())),
            Column::I64(v) => v[rows.clone()]
                .iter()
                .fold(0u64, |s, x| s.wrapping_add(*x as u64)),
            Column::Bool(v) | Column::Text(v, _) => v[rows.clone()]
                .iter()
                .fold(0u64, |s, x| s.wrapping_add(*x as u64)),
        });
    }
    sum
}

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
pub fn kernel_benchmark(
    rules: &FleetRules,
    rows: usize,
    seed: u64,
    reps: usize,
    simd: SimdLevel,
) -> KernelReport {
    kernel_benchmark_with_bad(rules, rows, seed, reps, simd, 0.0)
}

/// [`kernel_benchmark`] over rows of which about `bad_fraction` are broken (tests use it to
/// exercise the flagged rows).
fn kernel_benchmark_with_bad(
    rules: &FleetRules,
    rows: usize,
    seed: u64,
    reps: usize,
    simd: SimdLevel,
    bad_fraction: f64,
) -> KernelReport {
    let cols = columns(rules, rows, seed, bad_fraction);
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
    // A set no valid row has (the meaningless set of a flagged row) counts as rejected until
    // the row path decides.
    for slot in table.iter_mut().filter(|s| **s == u32::MAX) {
        *slot = distinct as u32;
    }
    // Counts are kept in four interleaved lanes (`4 * key + lane`): consecutive rows of one
    // set then add to different words, and no add waits for the one before it.
    const LANES: usize = 4;
    let mask = (1usize << n_rules) - 1;
    let table = &table[..=mask];
    // The rules prepared once for the columns' layout, as a reader does once per block.
    let matcher = ColumnarMatcher::new(rules, &typed);
    let kernel = || {
        (0..rows.div_ceil(PIECE))
            .into_par_iter()
            // Each worker keeps its counts and its buffers across the pieces it takes.
            .fold(
                || {
                    (
                        vec![0u64; (distinct + 1) * LANES],
                        vec![0u32; PIECE],
                        vec![false; PIECE],
                    )
                },
                |(mut counts, mut sets, mut bad), p| {
                    let r = p * PIECE..((p + 1) * PIECE).min(rows);
                    let (sets_r, bad_r) = (&mut sets[..r.len()], &mut bad[..r.len()]);
                    let piece: Vec<TypedColumn> =
                        typed.iter().map(|c| slice(c, r.clone())).collect();
                    let flagged = matcher.run_with(&piece, sets_r, bad_r, simd);
                    let mut quads = sets_r.chunks_exact(LANES);
                    for quad in &mut quads {
                        for (lane, set) in quad.iter().enumerate() {
                            let key = table[*set as usize & mask] as usize;
                            counts[(key * LANES) | lane] += 1;
                        }
                    }
                    for (lane, set) in quads.remainder().iter().enumerate() {
                        counts[(table[*set as usize & mask] as usize * LANES) | lane] += 1;
                    }
                    // A flagged row: its set above is meaningless; the row path decides (and
                    // explains) it, and the count moves.
                    let flagged_rows = sets_r
                        .iter()
                        .zip(bad_r.iter())
                        .enumerate()
                        .filter(|(_, (_, b))| **b)
                        .take(flagged);
                    for (k, (set, _)) in flagged_rows {
                        counts[(table[*set as usize & mask] as usize * LANES) | (k % LANES)] -= 1;
                        let cells: Vec<Cell> = piece.iter().map(|c| columnar_cell(c, k)).collect();
                        let key = match match_rules(rules, &cells) {
                            Ok(set) => table[set as usize],
                            Err(_) => distinct as u32,
                        };
                        counts[key as usize * LANES] += 1;
                    }
                    (counts, sets, bad)
                },
            )
            .map(|(counts, _, _)| {
                counts
                    .chunks_exact(LANES)
                    .map(|lanes| lanes.iter().sum::<u64>())
                    .collect::<Vec<u64>>()
            })
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
            .map(|p| sum_words(&cols, p * PIECE..((p + 1) * PIECE).min(rows)))
            .reduce(|| 0, u64::wrapping_add)
    };
    let mut best_kernel = f64::INFINITY;
    let mut best_read = f64::INFINITY;
    let (mut rejected, mut counted) = (0, 0);
    for _ in 0..reps.max(1) {
        let t = Instant::now();
        let counts = std::hint::black_box(kernel());
        best_kernel = best_kernel.min(t.elapsed().as_secs_f64());
        rejected = counts[distinct];
        counted = counts.iter().sum();
        let t = Instant::now();
        std::hint::black_box(read());
        best_read = best_read.min(t.elapsed().as_secs_f64());
    }
    KernelReport {
        rows,
        bytes,
        threads: rayon::current_num_threads(),
        simd: simd.on_this_cpu(),
        kernel_seconds: best_kernel,
        read_seconds: best_read,
        ratio: best_kernel / best_read,
        read_gb_per_s: bytes as f64 / best_read / 1e9,
        kernel_mrows_per_s: rows as f64 / best_kernel / 1e6,
        distinct_sets: distinct,
        rejected,
        counted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kernel's counts reconcile with the row path: every row counted once, and the rows
    /// it rejects are the rows `match_rules` refuses.
    #[test]
    fn kernel_counts_reconcile_with_the_row_path() {
        let rules = FleetRules::builtin();
        let rows = 3 * PIECE + 123;
        let report = kernel_benchmark_with_bad(&rules, rows, 7, 1, SimdLevel::Auto, 0.05);
        let cols = columns(&rules, rows, 7, 0.05);
        let typed: Vec<TypedColumn> = cols.iter().map(Column::typed).collect();
        let refused = (0..rows)
            .filter(|&i| {
                let cells: Vec<Cell> = typed.iter().map(|c| columnar_cell(c, i)).collect();
                match_rules(&rules, &cells).is_err()
            })
            .count() as u64;
        assert!(refused > 0, "the test needs broken rows");
        assert_eq!(report.rejected, refused);
        assert_eq!(report.counted, rows as u64);
        assert!(report.distinct_sets > 10);
    }
}
