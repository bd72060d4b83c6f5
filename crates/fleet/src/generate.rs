//! Synthetic inventories (`fleet generate`): realistic mixes of edge nodes, GPU nodes,
//! multi-tenant clusters, serverless functions, CI runners and developer machines, with the
//! columns the built-in rules read.
//!
//! Row `i` is a pure function of `(seed, i)` (SplitMix64 seeded by both), so a file is the same
//! for a seed whatever the number of threads, and rows are made in parallel blocks and written
//! in order without holding the file.
//!
//! | kind | share | cpu_cores | memory_gb | network | gpus | tenants | workload |
//! |---|---|---|---|---|---|---|---|
//! | edge node | 40% | 1 to 4 | 0.25 to 4 | intermittent 55%, stable 30%, offline 15% | 0 (5%: 1) | 1 (10%: 2 to 3) | service, inference |
//! | GPU node | 8% | 16 to 128 | 64 to 1024 | stable | 1 to 8 | 1 to 8 | inference, batch |
//! | cluster node | 25% | 8 to 64 | 16 to 512 | stable | 0 | 1 to 500 (log-uniform) | service, batch |
//! | function | 15% | 0.25 to 2 | 0.125 to 2 | stable | empty | 1 to 100 | function |
//! | CI runner | 7% | 2 to 16 | 4 to 32 | stable | 0 | 1 | ci |
//! | dev machine | 5% | 2 to 16 | 8 to 64 | stable 80%, intermittent 20% | 0 | 1 | dev |

use crate::atomic::AtomicFile;
use crate::{FileKind, FleetError};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

/// The header of a generated inventory.
pub const GENERATED_HEADER: &str =
    "id,cpu_cores,memory_gb,network,offline,gpus,tenants,latency_ms,workload";

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// Rows (not counting the header).
    pub rows: u64,
    /// The seed.
    pub seed: u64,
    /// Where to write (`.csv`; `.parquet` when built with Parquet support).
    pub output: PathBuf,
    /// Fraction of rows, in [0, 1], given one broken field (to try `--on-error`).
    pub broken: f64,
}

struct Rng(u64);

impl Rng {
    fn new(seed: u64, row: u64) -> Rng {
        let mut r = Rng(seed ^ row.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }

    /// SplitMix64.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform integer in [lo, hi].
    fn int(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// A power of two between 2^lo and 2^hi.
    fn pow2(&mut self, lo: u32, hi: u32) -> f64 {
        (1u64 << self.int(lo as u64, hi as u64)) as f64
    }

    /// Log-uniform in [lo, hi], rounded to a multiple of `step`, at least `lo`.
    fn log_uniform(&mut self, lo: f64, hi: f64, step: f64) -> f64 {
        let x = (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp();
        ((x / step).round() * step).max(lo)
    }

    fn pick<'a>(&mut self, items: &[(&'a str, f64)]) -> &'a str {
        let mut u = self.unit();
        for (s, p) in items {
            if u < *p {
                return s;
            }
            u -= p;
        }
        items[items.len() - 1].0
    }
}

/// Writes row `i` (without its line break).
fn row(out: &mut String, seed: u64, i: u64, broken: f64) {
    let mut r = Rng::new(seed, i);
    let kind = r.unit();
    let (cpu, mem, net, offline, gpus, tenants, latency, workload): (
        f64,
        f64,
        &str,
        &str,
        String,
        u64,
        String,
        &str,
    );
    if kind < 0.40 {
        cpu = r.pow2(0, 2);
        mem = r.log_uniform(0.25, 4.0, 0.25);
        net = r.pick(&[("intermittent", 0.55), ("stable", 0.30), ("offline", 0.15)]);
        offline = r.pick(&[("true", 0.4), ("false", 0.3), ("", 0.3)]);
        gpus = if r.chance(0.05) { "1" } else { "0" }.into();
        tenants = if r.chance(0.1) { r.int(2, 3) } else { 1 };
        latency = r.int(5, 60).to_string();
        workload = r.pick(&[("service", 0.8), ("inference", 0.2)]);
    } else if kind < 0.48 {
        cpu = r.pow2(4, 7);
        mem = r.pow2(6, 10);
        net = "stable";
        offline = "false";
        gpus = (1u64 << r.int(0, 3)).to_string();
        tenants = r.int(1, 8);
        latency = r.int(20, 500).to_string();
        workload = r.pick(&[("inference", 0.7), ("batch", 0.3)]);
    } else if kind < 0.73 {
        cpu = r.pow2(3, 6);
        mem = r.pow2(4, 9);
        net = "stable";
        offline = if r.chance(0.05) { "true" } else { "false" };
        gpus = "0".into();
        tenants = r.log_uniform(1.0, 500.0, 1.0) as u64;
        latency = r.int(10, 300).to_string();
        workload = r.pick(&[("service", 0.7), ("batch", 0.3)]);
    } else if kind < 0.88 {
        cpu = r.int(1, 8) as f64 * 0.25;
        mem = r.log_uniform(0.125, 2.0, 0.125);
        net = "stable";
        offline = "";
        gpus = String::new();
        tenants = r.log_uniform(1.0, 100.0, 1.0) as u64;
        latency = r.int(10, 1000).to_string();
        workload = "function";
    } else if kind < 0.95 {
        cpu = r.pow2(1, 4);
        mem = r.pow2(2, 5);
        net = "stable";
        offline = "false";
        gpus = "0".into();
        tenants = 1;
        latency = String::new();
        workload = "ci";
    } else {
        cpu = r.pow2(1, 4);
        mem = r.pow2(3, 6);
        net = r.pick(&[("stable", 0.8), ("intermittent", 0.2)]);
        offline = "false";
        gpus = "0".into();
        tenants = 1;
        latency = String::new();
        workload = "dev";
    }
    let mut fields: [String; 9] = [
        format!("node-{i:08}"),
        format!("{cpu}"),
        format!("{mem}"),
        net.to_string(),
        offline.to_string(),
        gpus,
        tenants.to_string(),
        latency,
        workload.to_string(),
    ];
    if broken > 0.0 && r.chance(broken) {
        match r.int(0, 4) {
            0 => fields[2] = "n/a".into(),
            1 => fields[3] = String::new(),
            2 => fields[6] = "0".into(),
            3 => fields[5] = "two".into(),
            _ => fields[8] = "mainframe".into(),
        }
    }
    for (k, f) in fields.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(f);
    }
}

/// Rows per parallel block.
const BLOCK: u64 = 1 << 16;

/// Writes a synthetic inventory atomically; returns the rows written.
pub fn generate(opts: &GenerateOptions, interrupted: &AtomicBool) -> Result<u64, FleetError> {
    if !(0.0..=1.0).contains(&opts.broken) {
        return Err(FleetError::Input(format!(
            "--broken: {} is not a fraction; expected a number from 0 to 1",
            opts.broken
        )));
    }
    let kind = FileKind::of(&opts.output, "--output")?;
    if kind == FileKind::Parquet {
        return crate::parquet_out::generate_parquet(opts, interrupted);
    }
    let io =
        |e: std::io::Error| FleetError::Io(format!("cannot write {}: {e}", opts.output.display()));
    let mut file = AtomicFile::create(&opts.output).map_err(io)?;
    writeln!(file, "{GENERATED_HEADER}").map_err(io)?;
    let mut start = 0;
    while start < opts.rows {
        if interrupted.load(Ordering::Relaxed) {
            return Err(FleetError::Interrupted);
        }
        let end = (start + BLOCK * 8).min(opts.rows);
        let starts: Vec<u64> = (start..end).step_by(BLOCK as usize).collect();
        let pieces: Vec<String> = starts
            .into_par_iter()
            .map(|from| {
                let mut s = String::with_capacity(BLOCK as usize * 64);
                for i in from..(from + BLOCK).min(end) {
                    row(&mut s, opts.seed, i, opts.broken);
                    s.push('\n');
                }
                s
            })
            .collect();
        for p in pieces {
            file.write_all(p.as_bytes()).map_err(io)?;
        }
        start = end;
    }
    file.commit().map_err(io)?;
    Ok(opts.rows)
}

/// Row `i` of a generated inventory as its fields (for the Parquet writer and tests).
pub(crate) fn row_fields(seed: u64, i: u64, broken: f64) -> Vec<String> {
    let mut s = String::new();
    row(&mut s, seed, i, broken);
    s.split(',').map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_depend_only_on_seed_and_index() {
        let mut a = String::new();
        let mut b = String::new();
        row(&mut a, 7, 12345, 0.0);
        row(&mut b, 7, 12345, 0.0);
        assert_eq!(a, b);
        let mut c = String::new();
        row(&mut c, 8, 12345, 0.0);
        assert_ne!(a, c);
        assert_eq!(row_fields(7, 12345, 0.0).len(), 9);
    }
}
