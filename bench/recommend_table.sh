#!/usr/bin/env bash
# Prints the stack-recommendation table of BENCHMARKS.md: the exact search (recommend_stack) and
# the brute-force reference (exhaustive_stacks) on seeded synthetic catalogs, release build,
# single-threaded. Extra arguments go to the table binary (crates/engine/benches/recommend_table.rs):
#   --seeds S         catalogs per row (default 5; times are medians over them)
#   --quick           N = 50 and 100 only
#   --n N --k K       one size only
#   --scenario NAME   hybrid or edge only
#   --brute-limit L   most subsets the brute force may enumerate (default 400000)
#   --verbose         one line per seed on stderr
# Usage: bash bench/recommend_table.sh [--seeds 10] > table.md
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
echo "<!-- $(date -u +%Y-%m-%dT%H:%MZ) · $(nproc) CPUs · ${cpu:-unknown CPU} · $(rustc --version) -->"
# `cargo bench` builds with the bench profile, which inherits the release profile.
cargo bench --locked -q -p stackmatrix-engine --bench recommend_table -- "$@"
