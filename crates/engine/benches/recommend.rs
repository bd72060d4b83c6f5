//! Criterion benchmark of the stack search: `recommend_stack` on synthetic catalogs of N = 50,
//! 100 and 200 technologies with stacks of at most K = 2 to 5 members, in the hybrid scenario's
//! vector and in a one-hot edge vector, 5 alternatives; and the brute-force reference
//! `exhaustive_stacks` where it finishes in reasonable time (N = 50 with K ≤ 3, N = 100 with
//! K = 2).
//!
//! `cargo bench -p stackmatrix-engine --bench recommend`. The table of `BENCHMARKS.md` (medians
//! over seeds, nodes, cuts, ratios) comes from the `recommend_table` bench instead.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use stackmatrix_engine::synthetic::synthetic_catalog;
use stackmatrix_engine::{exhaustive_stacks, recommend_stack};
use stackmatrix_model::Technology;
use std::hint::black_box;
use std::time::Duration;

/// The seed of the measured catalogs.
const SEED: u64 = 1;

fn search(c: &mut Criterion) {
    let params = common::params();
    for (name, vector) in common::SCENARIOS {
        let scenario = common::scenario(vector);
        let mut group = c.benchmark_group(format!("recommend_stack/{name}"));
        group
            .sample_size(20)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        for n in [50usize, 100, 200] {
            let catalog = synthetic_catalog(n, SEED);
            let refs: Vec<&Technology> = catalog.iter().collect();
            for k in 2..=5usize {
                let constraints = common::constraints(k);
                group.bench_with_input(
                    BenchmarkId::new(format!("N={n}"), format!("K={k}")),
                    &constraints,
                    |b, constraints| {
                        b.iter(|| {
                            recommend_stack(
                                black_box(&refs),
                                black_box(&scenario),
                                &params,
                                constraints,
                            )
                            .expect("the search starts")
                        })
                    },
                );
            }
        }
        group.finish();
    }
}

fn brute_force(c: &mut Criterion) {
    let params = common::params();
    for (name, vector) in common::SCENARIOS {
        let scenario = common::scenario(vector);
        let mut group = c.benchmark_group(format!("exhaustive_stacks/{name}"));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3));
        for (n, max_k) in [(50usize, 3usize), (100, 2)] {
            let catalog = synthetic_catalog(n, SEED);
            let refs: Vec<&Technology> = catalog.iter().collect();
            for k in 2..=max_k {
                let constraints = common::constraints(k);
                group.bench_with_input(
                    BenchmarkId::new(format!("N={n}"), format!("K={k}")),
                    &constraints,
                    |b, constraints| {
                        b.iter(|| {
                            exhaustive_stacks(
                                black_box(&refs),
                                black_box(&scenario),
                                &params,
                                constraints,
                            )
                        })
                    },
                );
            }
        }
        group.finish();
    }
}

criterion_group!(benches, search, brute_force);
criterion_main!(benches);
