//! Benchmark of two decision methods, TOPSIS and VIKOR with pymcdm 1.4's defaults (TOPSIS with
//! min-max normalisation, VIKOR with pymcdm's own transform and v = 0.5), on seeded random
//! decision matrices of 100 × 12 and 1000 × 50: positive values with a different scale per
//! column, mixed benefit and cost criteria (at least one of each), random positive weights
//! divided by their sum. One `Method::preferences` call is timed: it checks the weights,
//! normalises and computes the preferences, single-threaded.
//!
//! * `cargo bench -p stackmatrix-engine --bench mcdm`: criterion, both methods on both sizes.
//! * `MCDM_BENCH_DIR=DIR MCDM_BENCH_CALLS=1000 target/release/deps/mcdm-…`: no criterion. Writes
//!   each problem to `DIR/MxN.csv` (one line of types, `1` benefit or `-1` cost, one line of
//!   weights, then the `M` rows; every number in Rust's shortest round-trip form, so Python's
//!   `float` reads back the same `f64`), times `CALLS` calls of each method (after a warm-up),
//!   writes the preferences of the last call to `DIR/MxN.METHOD.csv` (one per line, round-trip)
//!   and prints one JSON line per method and size. `bench/mcdm.sh` runs it, then
//!   `bench/mcdm_pymcdm.py` times pymcdm on the same files and compares the preferences.
//!   `MCDM_BENCH_SIZES=100x12,1000x50` picks the sizes.

use criterion::{criterion_group, BenchmarkId, Criterion};
use stackmatrix_engine::mcdm::{CriterionType, DecisionMatrix, Method};
use stackmatrix_engine::synthetic::SplitMix64;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

/// The seed of every problem (mixed with its size).
const SEED: u64 = 20_260_101;

/// The sizes measured by default, alternatives × criteria.
const SIZES: [(usize, usize); 2] = [(100, 12), (1000, 50)];

/// The methods measured, by their `--method` name (pymcdm 1.4's defaults).
const METHODS: [&str; 2] = ["topsis", "vikor"];

/// Untimed calls before the timed ones.
const WARM_UP_CALLS: usize = 20;

/// A seeded `m × n` problem: the matrix and its weights (summing to 1).
fn problem(m: usize, n: usize) -> (DecisionMatrix, Vec<f64>) {
    let mut rng = SplitMix64::new(SEED ^ ((m as u64) << 32) ^ n as u64);
    // Column 0 is a benefit and column 1 a cost; the others are either, at random.
    let types: Vec<CriterionType> = (0..n)
        .map(|j| match j {
            0 => CriterionType::Benefit,
            1 => CriterionType::Cost,
            _ if rng.chance(0.5) => CriterionType::Cost,
            _ => CriterionType::Benefit,
        })
        .collect();
    // Each column on its own scale, from 0.1 to 1000.
    let scales: Vec<f64> = (0..n).map(|_| 10f64.powf(rng.range(-1.0, 3.0))).collect();
    let rows: Vec<Vec<f64>> = (0..m)
        .map(|_| scales.iter().map(|s| s * rng.range(0.05, 1.0)).collect())
        .collect();
    let raw: Vec<f64> = (0..n).map(|_| rng.range(0.1, 1.0)).collect();
    let total: f64 = raw.iter().sum();
    let weights = raw.iter().map(|w| w / total).collect();
    let names = |prefix: &str, k: usize| (0..k).map(|i| format!("{prefix}{i}")).collect();
    let matrix = DecisionMatrix::new(names("a", m), names("c", n), types, rows)
        .expect("a valid decision matrix");
    (matrix, weights)
}

fn method(name: &str) -> Method {
    Method::from_name(name).expect("a known method")
}

fn bench(c: &mut Criterion) {
    for name in METHODS {
        let method = method(name);
        let mut group = c.benchmark_group(format!("mcdm/{name}"));
        group
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        for (m, n) in SIZES {
            let (matrix, weights) = problem(m, n);
            group.bench_with_input(
                BenchmarkId::from_parameter(format!("{m}x{n}")),
                &matrix,
                |b, matrix| {
                    b.iter(|| {
                        method
                            .preferences(black_box(matrix), black_box(&weights))
                            .expect("the method applies")
                    })
                },
            );
        }
        group.finish();
    }
}

criterion_group!(benches, bench);

/// `matrix` and `weights` as the CSV `bench/mcdm_pymcdm.py` reads.
fn problem_csv(matrix: &DecisionMatrix, weights: &[f64]) -> String {
    fn line(out: &mut String, cells: impl Iterator<Item = String>) {
        out.push_str(&cells.collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    let mut out = String::new();
    line(
        &mut out,
        matrix.types().iter().map(|t| t.sign().to_string()),
    );
    line(&mut out, weights.iter().map(|w| format!("{w:?}")));
    for i in 0..matrix.rows() {
        line(&mut out, matrix.row(i).iter().map(|x| format!("{x:?}")));
    }
    out
}

/// The median of sorted values (the mean of the two middle ones for an even count).
fn median(sorted: &[f64]) -> f64 {
    let k = sorted.len() / 2;
    if sorted.len() % 2 == 0 {
        (sorted[k - 1] + sorted[k]) / 2.0
    } else {
        sorted[k]
    }
}

/// Timed calls of each method on each size, without criterion; writes the problems and the
/// preferences into `dir` and prints one JSON line per method and size.
fn once(dir: &Path) {
    let calls: usize = std::env::var("MCDM_BENCH_CALLS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1000);
    let sizes: Vec<(usize, usize)> = match std::env::var("MCDM_BENCH_SIZES") {
        Ok(s) => s
            .split(',')
            .map(|size| {
                let (m, n) = size
                    .trim()
                    .split_once('x')
                    .expect("MCDM_BENCH_SIZES is like 100x12,1000x50");
                (
                    m.parse().expect("a number of alternatives"),
                    n.parse().expect("a number of criteria"),
                )
            })
            .collect(),
        Err(_) => SIZES.to_vec(),
    };
    std::fs::create_dir_all(dir).expect("the output directory can be created");
    for (m, n) in sizes {
        let (matrix, weights) = problem(m, n);
        let file = dir.join(format!("{m}x{n}.csv"));
        std::fs::write(&file, problem_csv(&matrix, &weights)).expect("the problem is written");
        for name in METHODS {
            let method = method(name);
            for _ in 0..WARM_UP_CALLS {
                black_box(method.preferences(black_box(&matrix), black_box(&weights)))
                    .expect("the method applies");
            }
            let mut times = Vec::with_capacity(calls.max(1));
            let mut preferences = Vec::new();
            for _ in 0..calls.max(1) {
                let start = Instant::now();
                let p = method
                    .preferences(black_box(&matrix), black_box(&weights))
                    .expect("the method applies");
                times.push(start.elapsed().as_secs_f64());
                preferences = black_box(p);
            }
            let mut out = String::new();
            for p in &preferences {
                writeln!(out, "{p:?}").expect("writing to a String");
            }
            let prefs = dir.join(format!("{m}x{n}.{name}.csv"));
            std::fs::write(&prefs, out).expect("the preferences are written");
            times.sort_by(f64::total_cmp);
            let us = |s: f64| s * 1e6;
            println!(
                "{{\"method\": \"{name}\", \"spec\": \"{method}\", \"alternatives\": {m}, \
                 \"criteria\": {n}, \"calls\": {}, \"min_us\": {}, \"median_us\": {}, \
                 \"max_us\": {}, \"problem\": {:?}, \"preferences\": {:?}}}",
                times.len(),
                us(times[0]),
                us(median(&times)),
                us(times[times.len() - 1]),
                file.display().to_string(),
                prefs.display().to_string(),
            );
        }
    }
}

fn main() {
    if let Ok(dir) = std::env::var("MCDM_BENCH_DIR") {
        once(Path::new(&dir));
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
