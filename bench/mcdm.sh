#!/usr/bin/env bash
# Decision-method benchmark (the "Decision methods" section of BENCHMARKS.md): the engine's TOPSIS
# and VIKOR (Method::from_name("topsis") / ("vikor"): pymcdm 1.4's defaults, min-max
# normalisation for TOPSIS, v = 0.5 for VIKOR) against pymcdm 1.4.0 on the same seeded matrices,
# 100 x 12 and 1000 x 50, in the same run, single-threaded, release build.
#
# The `mcdm` bench binary (crates/engine/benches/mcdm.rs) generates each matrix, writes it to a
# temporary CSV in round-trip form, times --calls calls of each method and writes its
# preferences; bench/mcdm_pymcdm.py reads the same CSV, times --py-calls calls of pymcdm and
# computes the largest absolute difference between the two preference vectors, which must stay
# below 1e-9 (the script fails otherwise).
#
# Prints a Markdown table: method, size, engine median (µs), pymcdm median (µs), ratio
# pymcdm / engine, max |difference|, and whether the rankings are identical.
#
# Needs python3 with numpy and pymcdm==1.4.0 (pip install pymcdm==1.4.0 numpy).
# Usage: bash bench/mcdm.sh [--calls 1000] [--py-calls 200] [--sizes 100x12,1000x50] [--criterion]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

calls=1000
py_calls=200
sizes=100x12,1000x50
criterion=0
while [ $# -gt 0 ]; do
  case "$1" in
    --calls) calls=$2; shift 2 ;;
    --py-calls) py_calls=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --criterion) criterion=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ "$calls" -ge 200 ] || { echo "--calls must be at least 200" >&2; exit 2; }
[ "$py_calls" -ge 50 ] || { echo "--py-calls must be at least 50" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }
python3 -c 'import importlib.metadata as m; assert m.version("pymcdm") == "1.4.0"' 2>/dev/null ||
  { echo "pymcdm 1.4.0 is needed (pip install pymcdm==1.4.0 numpy)" >&2; exit 1; }

# The machine, before OMP_NUM_THREADS is set (GNU nproc honours it).
cpus=$(nproc)
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
header="$cpus CPUs · ${cpu:-unknown CPU} · $(rustc --version | cut -d' ' -f1-2) · Python $(python3 -c 'import platform; print(platform.python_version())') · numpy $(python3 -c 'import numpy; print(numpy.__version__)') · pymcdm 1.4.0"

# One thread everywhere: the engine's methods are sequential anyway (rayon is not used by them),
# and numpy's element-wise code does not thread, but BLAS pools are held to one thread too.
export RAYON_NUM_THREADS=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

# The bench binary, built once (bench profile = release).
bin=$(cargo bench --locked -q -p stackmatrix-engine --bench mcdm --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "mcdm" and m.get("executable"):
        print(m["executable"])')
[ -x "$bin" ] || { echo "could not build the mcdm bench" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "<!-- $(date -u +%Y-%m-%dT%H:%MZ) · $header · load $(cut -d' ' -f1-3 /proc/loadavg) -->"
MCDM_BENCH_DIR="$tmp" MCDM_BENCH_CALLS="$calls" MCDM_BENCH_SIZES="$sizes" "$bin" >"$tmp/rust.jsonl"
python3 bench/mcdm_pymcdm.py --calls "$py_calls" <"$tmp/rust.jsonl" >"$tmp/both.jsonl"

python3 - "$tmp/both.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
def us(x):
    return f"{x:.1f}" if x < 100 else f"{x:,.0f}"
print("| method | matrix | engine median (µs) | pymcdm median (µs) | pymcdm / engine | max abs difference | same ranking |")
print("|---|---|---:|---:|---:|---:|---|")
for r in rows:
    print(f"| {r['method'].upper()} (`{r['spec']}`) | {r['alternatives']} × {r['criteria']} "
          f"| {us(r['median_us'])} | {us(r['py_median_us'])} | {r['ratio']:.0f}× "
          f"| {r['max_abs_diff']:.1e} | {'yes' if r['same_ranking'] else 'no'} |")
print()
print(f"engine: median over {rows[0]['calls']} calls (after 20 warm-up calls); pymcdm: median over "
      f"{rows[0]['py_calls']} calls of the default call, validation included (after 5 warm-up calls).")
print()
print("| method | matrix | engine min (µs) | pymcdm min (µs) | pymcdm validation=False median (µs) | its ratio |")
print("|---|---|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r['method'].upper()} | {r['alternatives']} × {r['criteria']} | {us(r['min_us'])} "
          f"| {us(r['py_min_us'])} | {us(r['py_novalidation_median_us'])} "
          f"| {r['py_novalidation_median_us'] / r['median_us']:.0f}× |")
bad = [r for r in rows if not r["max_abs_diff"] < 1e-9]
if bad:
    sys.exit(f"preferences differ by 1e-9 or more: {[(r['method'], r['alternatives'], r['max_abs_diff']) for r in bad]}")
PY

if [ "$criterion" = 1 ]; then
  cargo bench --locked -q -p stackmatrix-engine --bench mcdm 2>&1 | grep -E '^mcdm/|time:'
fi
