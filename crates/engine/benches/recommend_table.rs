//! Prints the stack-recommendation table of `BENCHMARKS.md`: for catalogs of N synthetic
//! technologies and stacks of at most K members, the median time of the exact search over a few
//! seeds, the nodes it visited and the branches it cut, and the time of the brute-force
//! reference (`exhaustive_stacks`) where enumerating every stack is affordable. Where both ran,
//! their answers are compared (the 5 best stacks must be the same).
//!
//! Run it with `bash bench/recommend_table.sh` (a release build: `cargo bench` uses the `bench`
//! profile, which inherits `release`). Options: `--seeds S` (default 5), `--quick` (N ≤ 100), `--n N`, `--k K`,
//! `--scenario hybrid|edge` (one row set only), `--verbose` (one line per seed on stderr),
//! `--brute-limit L` (most subsets the brute force enumerates, default 400000).

mod common;

use stackmatrix_engine::synthetic::synthetic_catalog;
use stackmatrix_engine::{exhaustive_stacks, recommend_stack, SearchStats};
use stackmatrix_model::Technology;
use std::time::{Duration, Instant};

/// Time of one call of `f`: repeated until 20 ms have passed, so that short calls are measured
/// over many runs, long ones once.
fn time_per_call<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut reps = 1u32;
    loop {
        let start = Instant::now();
        let mut out = None;
        for _ in 0..reps {
            out = Some(std::hint::black_box(f()));
        }
        let elapsed = start.elapsed();
        if elapsed >= Duration::from_millis(20) || reps >= 4096 {
            return (elapsed / reps, out.expect("at least one run"));
        }
        reps *= 4;
    }
}

fn median<T: Copy + PartialOrd>(xs: &[T]) -> T {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).expect("comparable"));
    v[v.len() / 2]
}

fn binomial(n: u64, k: u64) -> u128 {
    (0..k).fold(1u128, |acc, i| acc * (n - i) as u128 / (i + 1) as u128)
}

/// Subsets of at most `k` of `n`: what the brute force enumerates.
fn subsets_up_to(n: u64, k: u64) -> u128 {
    (0..=k).map(|i| binomial(n, i)).sum()
}

fn ms(d: Duration) -> String {
    let x = d.as_secs_f64() * 1e3;
    if x < 1.0 {
        format!("{x:.3}")
    } else if x < 100.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.0}")
    }
}

fn thousands(x: u128) -> String {
    let s = x.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value_of = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .map(|v| v.parse::<u64>().expect("a number"))
    };
    let seeds = value_of("--seeds").unwrap_or(5);
    let brute_limit = value_of("--brute-limit").unwrap_or(400_000) as u128;
    let sizes: Vec<usize> = match value_of("--n") {
        Some(n) => vec![n as usize],
        None if args.iter().any(|a| a == "--quick") => vec![50, 100],
        None => vec![50, 100, 200],
    };
    let ks: Vec<usize> = match value_of("--k") {
        Some(k) => vec![k as usize],
        None => (2..=5).collect(),
    };
    let only_scenario = args
        .iter()
        .position(|a| a == "--scenario")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let verbose = args.iter().any(|a| a == "--verbose");
    let params = common::params();

    println!(
        "| N | K | scenario | search median (ms) | search max (ms) | nodes (median) | pruned (median) | brute force median (ms) | brute / search | same top 5 |"
    );
    println!("|---:|---:|---|---:|---:|---:|---:|---:|---:|---|");
    for &n in &sizes {
        let catalogs: Vec<Vec<Technology>> = (1..=seeds).map(|s| synthetic_catalog(n, s)).collect();
        for (name, vector) in common::SCENARIOS {
            if only_scenario.as_deref().is_some_and(|o| o != name) {
                continue;
            }
            let scenario = common::scenario(vector);
            for &k in &ks {
                let constraints = common::constraints(k);
                let brute = subsets_up_to(n as u64, k as u64) <= brute_limit;
                let mut search_times = Vec::new();
                let mut nodes = Vec::new();
                let mut pruned = Vec::new();
                let mut brute_times = Vec::new();
                let mut agree = true;
                for catalog in &catalogs {
                    let refs: Vec<&Technology> = catalog.iter().collect();
                    let (t, result) = time_per_call(|| {
                        recommend_stack(&refs, &scenario, &params, &constraints)
                            .expect("the search starts")
                    });
                    let SearchStats {
                        nodes: nd,
                        pruned: pr,
                        ..
                    } = result.stats;
                    if verbose {
                        eprintln!(
                            "N = {n}, K = {k}, {name}, seed {}: {} ms, {nd} nodes, {pr} pruned, {} feasible",
                            search_times.len() + 1,
                            ms(t),
                            result.stats.feasible
                        );
                    }
                    search_times.push(t);
                    nodes.push(nd);
                    pruned.push(pr);
                    if brute {
                        let (bt, all) = time_per_call(|| {
                            exhaustive_stacks(&refs, &scenario, &params, &constraints)
                        });
                        brute_times.push(bt);
                        let top: Vec<&Vec<String>> =
                            all.iter().take(5).map(|s| &s.members).collect();
                        let got: Vec<&Vec<String>> =
                            result.stacks.iter().map(|s| &s.members).collect();
                        agree &= top == got;
                    }
                }
                let search_median = median(&search_times);
                let search_max = *search_times.iter().max().expect("a seed");
                let (brute_cell, ratio_cell, agree_cell) = if brute {
                    let b = median(&brute_times);
                    (
                        ms(b),
                        format!("{:.0}×", b.as_secs_f64() / search_median.as_secs_f64()),
                        if agree { "yes" } else { "NO" }.to_string(),
                    )
                } else {
                    (
                        format!(
                            "skipped (C({n},{k}) = {})",
                            thousands(binomial(n as u64, k as u64))
                        ),
                        "–".to_string(),
                        "–".to_string(),
                    )
                };
                println!(
                    "| {n} | {k} | {name} | {} | {} | {} | {} | {brute_cell} | {ratio_cell} | {agree_cell} |",
                    ms(search_median),
                    ms(search_max),
                    thousands(median(&nodes) as u128),
                    thousands(median(&pruned) as u128),
                );
                if !agree {
                    eprintln!("search and brute force disagree at N = {n}, K = {k}, {name}");
                }
            }
        }
    }
}
