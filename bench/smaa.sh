#!/usr/bin/env bash
# SMAA-2 benchmark (the "SMAA" section of BENCHMARKS.md): the engine's smaa_rank against the
# vectorised numpy SMAA-2 of the cross-check, on the same problem and N, in the same run.
#
# Problem: the six chains of the built-in knowledge base in the edge scenario (one-hot scene
# vector: 6 x 12 = 72 uncertain entries), default spreads, weights uniform on the simplex, N
# samples in the acceptability pass plus N in the confidence pass.
#
# Prints Markdown rows: wall time (min and median of --repeat runs) of the engine on all cores
# and on one thread, of numpy, their ratios, and the peak resident memory (/usr/bin/time -v) of
# one engine run at N = 1e5 and N = 1e6 and of one numpy run.
#
# Needs python3 with numpy, and /usr/bin/time (Debian: apt-get install -y time).
# Usage: bash bench/smaa.sh [--samples 1000000] [--repeat 5] [--criterion]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

samples=1000000
repeat=5
criterion=0
while [ $# -gt 0 ]; do
  case "$1" in
    --samples) samples=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --criterion) criterion=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }
python3 -c 'import numpy' 2>/dev/null || { echo "numpy is needed (pip install numpy)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (Debian: apt-get install -y time)" >&2; exit 1; }

# The bench binary, built once (bench profile = release).
bin=$(cargo bench --locked -q -p stackmatrix-engine --bench smaa --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "smaa" and m.get("executable"):
        print(m["executable"])')
[ -x "$bin" ] || { echo "could not build the smaa bench" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rust() { SMAA_BENCH_ONCE=$1 SMAA_BENCH_REPEAT=$2 "$bin"; }
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
peak_mb() { awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "rustc: $(rustc --version); numpy: $(python3 -c 'import numpy; print(numpy.__version__)')" >&2

all=$(rust "$samples" "$repeat")
one=$(RAYON_NUM_THREADS=1 rust "$samples" "$repeat")
np=$(python3 bench/smaa_numpy.py --samples "$samples" --repeat "$(( repeat < 3 ? repeat : 3 ))")
echo "engine, all cores: $all" >&2
echo "engine, 1 thread:  $one" >&2
echo "numpy:             $np" >&2

/usr/bin/time -v env SMAA_BENCH_ONCE=100000 "$bin" >/dev/null 2>"$tmp/m5"
/usr/bin/time -v env SMAA_BENCH_ONCE=1000000 "$bin" >/dev/null 2>"$tmp/m6"
/usr/bin/time -v env SMAA_BENCH_ONCE=10000000 "$bin" >/dev/null 2>"$tmp/m7"

python3 - "$samples" "$all" "$one" "$np" "$(peak_mb "$tmp/m5")" "$(peak_mb "$tmp/m6")" "$(peak_mb "$tmp/m7")" <<'PY'
import json, sys
n = int(sys.argv[1])
all_, one, np_ = (json.loads(x) for x in sys.argv[2:5])
m5, m6, m7 = sys.argv[5:8]
def row(name, r, threads):
    return f"| {name} | {threads} | {r['min_s']:.3f} | {r['median_s']:.3f} | {r['first']} | {r['b1']:.4f} |"
print(f"N = {n:,} (+ {n:,} confidence samples)\n")
print("| implementation | threads | min (s) | median (s) | most likely first | b¹ |")
print("|---|---:|---:|---:|---|---:|")
print(row("engine (`smaa_rank`)", all_, all_["threads"]))
print(row("engine (`smaa_rank`)", one, 1))
print(row(f"numpy {np_['numpy']} (vectorised, blocks of {np_['block']:,})", np_, 1))
print()
print(f"numpy / engine (median): {np_['median_s'] / all_['median_s']:.1f}x on all cores, "
      f"{np_['median_s'] / one['median_s']:.1f}x on one thread")
print()
print("| run | peak RSS (MB) |")
print("|---|---:|")
print(f"| engine, N = 100,000 | {m5} |")
print(f"| engine, N = 1,000,000 | {m6} |")
print(f"| engine, N = 10,000,000 | {m7} |")
print(f"| numpy, N = {n:,} | {np_['peak_rss_mb']:.1f} |")
PY

if [ "$criterion" = 1 ]; then
  cargo bench --locked -q -p stackmatrix-engine --bench smaa 2>&1 | grep -E '^smaa_rank|time:'
fi
