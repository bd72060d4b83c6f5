//! Every integration test of this crate, linked into one test binary.
//!
//! One binary per crate instead of one per file: a workspace test build then takes a
//! fraction of the disk and link time (each binary carries its own copy of every
//! dependency). Run one file's tests with `cargo test -p CRATE --test integration FILE::`.

mod cli_adapt;
mod cli_completions;
mod cli_csv;
mod cli_decide;
mod cli_decide_scale;
mod cli_deps;
mod cli_errors;
mod cli_flags;
mod cli_fleet;
mod cli_golden;
mod cli_json_snapshots;
mod cli_learn;
mod cli_migrate;
mod cli_model;
mod cli_ops;
mod cli_outputs;
// Named pipes, devices and symbolic links: Unix only.
mod cli_rank;
#[cfg(unix)]
mod cli_reader;
mod cli_report;
mod cli_report_planning;
mod cli_risk_cost;
mod cli_score_paths;
mod cli_serve;
mod cli_stacks;
mod cli_untrusted;
mod cli_values;
mod common;
mod fuzz_inputs;
mod fuzz_support;
mod test_layout;
