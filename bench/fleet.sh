#!/usr/bin/env bash
# Fleet scoring benchmark (BENCHMARKS.md, "Fleet scoring"):
#  1. generates an inventory of ROWS rows once (default 10,000,000) and one of 1,000,000;
#  2. scores each with `stackmatrix fleet score` (release build) and the big one with the
#     pandas + numpy peer (bench/fleet_pandas.py: same mapping, chain scoring, CSV output),
#     in the same run, with wall time and peak memory from /usr/bin/time -v;
#  3. checks that the two outputs agree (row count; every field of the first SAMPLE rows);
#     The same rows as Parquet are scored too (Parquet in, Parquet out).
#  4. times the scoring kernel alone against a plain read of the same bytes
#     (`stackmatrix fleet kernel`).
#
#   bash bench/fleet.sh                 # 10M rows (needs about 2 GB of disk in $DIR)
#   ROWS=2000000 bash bench/fleet.sh    # quicker
#   DIR=/somewhere bash bench/fleet.sh  # where the files go [default /tmp/stackmatrix-fleet-bench]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROWS=${ROWS:-10000000}
SAMPLE=${SAMPLE:-500000}
KERNEL_ROWS=${KERNEL_ROWS:-4000000}
DIR=${DIR:-/tmp/stackmatrix-fleet-bench}
mkdir -p "$DIR"
python3 -c "import pandas, numpy" 2>/dev/null || pip install pandas numpy

cargo build --release --locked -q
B=target/release/stackmatrix

# Elapsed seconds and peak RSS (MiB) of a command, from GNU time.
measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -v "$@" 2> "$DIR/$name.time" >/dev/null || { cat "$DIR/$name.time"; exit 1; }
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$DIR/$name.time" | awk '{print $NF}' \
    | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss=$(grep "Maximum resident set size" "$DIR/$name.time" | awk '{printf "%.0f", $NF/1024}')
  echo "$wall $rss"
}

for n in 1000000 "$ROWS"; do
  f="$DIR/inventory-$n.csv"
  [ -s "$f" ] || $B fleet generate --rows "$n" --seed 1 -o "$f" 2>/dev/null
done
INV="$DIR/inventory-$ROWS.csv"
PQ="$DIR/inventory-$ROWS.parquet"
[ -s "$PQ" ] || $B fleet generate --rows "$ROWS" --seed 1 -o "$PQ" 2>/dev/null

read -r small_wall small_rss < <(measure rust-1m $B fleet score --input "$DIR/inventory-1000000.csv" --output "$DIR/rust-1m.csv")
read -r rust_wall rust_rss < <(measure rust $B fleet score --input "$INV" --output "$DIR/rust.csv" --summary "$DIR/rust-summary.json")
read -r stacks_wall stacks_rss < <(measure rust-stacks $B fleet score --input "$INV" --output "$DIR/rust-stacks.csv" --top 3 --stacks)
read -r pq_wall pq_rss < <(measure rust-parquet $B fleet score --input "$PQ" --output "$DIR/rust-parquet.parquet")
read -r pandas_wall pandas_rss < <(measure pandas python3 bench/fleet_pandas.py --input "$INV" --output "$DIR/pandas.csv")
grep "^pandas:" "$DIR/pandas.time" || true
grep "^read " "$DIR/rust.time" || true

python3 - "$DIR/rust.csv" "$DIR/pandas.csv" "$SAMPLE" <<'EOF'
import sys
import numpy as np
import pandas as pd
rust, peer, sample = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = [sum(1 for _ in open(p, "rb")) for p in (rust, peer)]
assert lines[0] == lines[1], f"row counts differ: {lines}"
a = pd.read_csv(rust, nrows=sample, keep_default_na=False)
b = pd.read_csv(peer, nrows=sample, keep_default_na=False)
assert list(a.columns) == list(b.columns), (a.columns, b.columns)
for c in ["id", "require", "chain_1"]:
    assert (a[c].astype(str) == b[c].astype(str)).all(), c
for c in ["dev", "ci", "prod", "edge", "serverless", "multitenant"]:
    assert (a[c] == b[c]).all(), c
d = float(np.abs(a["score_1"] - b["score_1"]).max())
assert d <= 1e-9, d
print(f"agree: {lines[0] - 1} rows each; first {len(a)} rows equal field by field (scores within {d:.1e})")
EOF

KERNEL=$($B fleet kernel --rows "$KERNEL_ROWS" --reps 7)
echo "$KERNEL"
# The kernel's narrower builds too (a machine without AVX-512 runs the AVX2 one), each in its
# own invocation; the plain read always runs the widest build the CPU has.
builds=""
for simd in auto avx2 portable; do
  builds="$builds$($B fleet kernel --rows "$KERNEL_ROWS" --reps 7 --simd $simd |
    python3 -c "import json,sys; d=json.load(sys.stdin); print(f\"{d['simd']} {d['ratio']:.2f}x ({d['kernel_seconds']*1e3:.1f} ms against {d['read_seconds']*1e3:.1f} ms); \", end='')")"
done
ratio=$(python3 -c "print(f'{$pandas_wall / $rust_wall:.1f}')")
kratio=$(echo "$KERNEL" | python3 -c "import json,sys; print(f\"{json.load(sys.stdin)['ratio']:.1f}\")")
cat <<EOF

<!-- $(date -u +%Y-%m-%dT%H:%MZ) · $(nproc) CPUs · $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) · $(rustc --version) · load $(cut -d' ' -f1-3 /proc/loadavg) -->
| run | rows | wall (s) | peak RSS (MiB) | rows/s |
|---|---:|---:|---:|---:|
| stackmatrix fleet score | 1,000,000 | $small_wall | $small_rss | $(python3 -c "print(f'{1000000/$small_wall:,.0f}')") |
| stackmatrix fleet score | $(python3 -c "print(f'{$ROWS:,}')") | $rust_wall | $rust_rss | $(python3 -c "print(f'{$ROWS/$rust_wall:,.0f}')") |
| stackmatrix fleet score --top 3 --stacks | $(python3 -c "print(f'{$ROWS:,}')") | $stacks_wall | $stacks_rss | $(python3 -c "print(f'{$ROWS/$stacks_wall:,.0f}')") |
| stackmatrix fleet score, Parquet in and out | $(python3 -c "print(f'{$ROWS:,}')") | $pq_wall | $pq_rss | $(python3 -c "print(f'{$ROWS/$pq_wall:,.0f}')") |
| pandas + numpy peer | $(python3 -c "print(f'{$ROWS:,}')") | $pandas_wall | $pandas_rss | $(python3 -c "print(f'{$ROWS/$pandas_wall:,.0f}')") |

pandas / stackmatrix: **${ratio}x**; kernel / plain read: **${kratio}x**

kernel / plain read by build: ${builds%; }
EOF
