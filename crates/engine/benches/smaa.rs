//! Benchmark of SMAA-2 (`smaa_rank`) on the model's ranking problem: the six chains of the
//! built-in knowledge base in the edge scenario (one-hot scene vector, so 6 × 12 = 72 uncertain
//! entries), default spreads, weights uniform on the simplex, N samples in the acceptability
//! pass and N more in the confidence pass, on rayon's global pool (all cores).
//!
//! * `cargo bench -p stackmatrix-engine --bench smaa`: criterion, N = 10⁵ and N = 10⁶.
//! * `SMAA_BENCH_ONCE=1000000 SMAA_BENCH_REPEAT=5 target/release/deps/smaa-…`: no criterion;
//!   runs the problem `REPEAT` times and prints one JSON line with the wall times (used by
//!   `bench/smaa.sh`, also to measure peak memory with `/usr/bin/time -v`). `SMAA_BENCH_SCENARIO`
//!   picks another scenario (`hybrid`: all six scenes weigh, 432 uncertain entries).

use criterion::{criterion_group, BenchmarkId, Criterion};
use stackmatrix_engine::{smaa_rank, SmaaAlternative, SmaaOptions, Spread};
use stackmatrix_model::{builtin, TimeMode};
use std::hint::black_box;
use std::time::{Duration, Instant};

const SEED: u64 = 20_260_101;

fn problem(scenario: &str) -> (Vec<SmaaAlternative>, [f64; 6]) {
    let kb = builtin().expect("the built-in knowledge base loads");
    let s = kb.scenario(scenario).expect("the scenario exists");
    let total: f64 = s.vector.iter().sum();
    let alternatives =
        SmaaAlternative::from_chains(kb.chains(), TimeMode::Static, &kb.tables.parameters);
    (alternatives, s.vector.map(|x| x / total))
}

fn bench(c: &mut Criterion) {
    let (alternatives, vector) = problem("edge");
    let mut group = c.benchmark_group("smaa_rank/edge");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    for n in [100_000u64, 1_000_000] {
        let options = SmaaOptions::new(n, SEED);
        group.bench_with_input(BenchmarkId::new("N", n), &options, |b, options| {
            b.iter(|| {
                smaa_rank(
                    black_box(&alternatives),
                    &vector,
                    &Spread::default(),
                    options,
                    &|_| {},
                )
                .expect("the problem is valid")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);

/// One or a few timed runs without criterion; prints a JSON line.
fn once(samples: u64) {
    let repeat: usize = std::env::var("SMAA_BENCH_REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let scenario = std::env::var("SMAA_BENCH_SCENARIO").unwrap_or_else(|_| "edge".to_string());
    let (alternatives, vector) = problem(&scenario);
    let options = SmaaOptions::new(samples, SEED);
    let mut times = Vec::new();
    let mut result = None;
    for _ in 0..repeat.max(1) {
        let start = Instant::now();
        let r = smaa_rank(
            &alternatives,
            &vector,
            &Spread::default(),
            &options,
            &|_| {},
        )
        .expect("the problem is valid");
        times.push(start.elapsed().as_secs_f64());
        result = Some(r);
    }
    let r = result.expect("at least one run");
    let summary = r.summary();
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "{{\"scenario\": \"{scenario}\", \"samples\": {samples}, \"confidence_samples\": {}, \
         \"threads\": {}, \"times_s\": {:?}, \"min_s\": {}, \"median_s\": {}, \
         \"first\": \"{}\", \"b1\": {}}}",
        r.confidence_samples,
        rayon::current_num_threads(),
        times,
        sorted[0],
        sorted[sorted.len() / 2],
        r.ids[summary.most_likely_first],
        summary.first_acceptability
    );
}

fn main() {
    if let Some(n) = std::env::var("SMAA_BENCH_ONCE")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        once(n);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
