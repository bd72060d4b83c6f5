#!/usr/bin/env bash
# `decide` at scale (the "decide at scale" part of the "Decision methods" section of
# BENCHMARKS.md; issue 13, defect 13): the whole `stackmatrix decide` process, release build, on
# a generated CSV of 1,000,000 alternatives x 10 criteria with TOPSIS (the target: under 2 s),
# and, when pymcdm 1.4.0 is installed, its TOPSIS as a peer on the same file in the same run.
#
# 1. bench/decide_matrix.py writes the seeded matrix (standard library only) and prints the
#    criterion types.
# 2. The release binary is built once (cargo build --release --locked).
# 3. Each command runs --runs times, one after the other, output to a file: the wall time
#    (median and fastest), the CPU time (user + system, median) and the peak memory (max RSS) of
#    each process, read with os.wait4. CPU time is the steadier figure on a shared machine.
#    - `stackmatrix decide --matrix M.csv --types T --method topsis -o csv` (the machine format:
#      the full ranking at full precision), also `-o json` and the default table;
#    - `python3 bench/decide_pymcdm.py M.csv T OUT.csv` (pandas' C reader, pymcdm's TOPSIS with
#      validation=False, the ranking written as CSV), interpreter start and imports included.
# 4. The engine's and pymcdm's rankings are compared: the largest absolute difference between
#    their preferences (must be below 1e-9, or the script fails) and whether the order is the
#    same.
# 5. --sizes also times smaller matrices (rows only, same criteria), to show the growth.
#
# Prints Markdown: a comment line (date, machine, load), then the table.
# Usage: bash bench/decide.sh [--rows 1000000] [--criteria 10] [--runs 5] [--sizes 100000,1000000]
#                             [--no-peer]          (STACKMATRIX_BIN=path: time that binary instead)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rows=1000000
criteria=10
runs=5
sizes=
peer=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --criteria) criteria=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --no-peer) peer=0; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ "$runs" -ge 1 ] || { echo "--runs must be at least 1" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }
if [ "$peer" = 1 ] &&
  ! python3 -c 'import importlib.metadata as m; assert m.version("pymcdm") == "1.4.0"' 2>/dev/null; then
  echo "note: pymcdm 1.4.0 is not installed (pip install pymcdm==1.4.0 numpy pandas); no peer" >&2
  peer=0
fi

cpus=$(nproc)
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
header="$cpus CPUs · ${cpu:-unknown CPU} · $(rustc --version | cut -d' ' -f1-2)"
if [ "$peer" = 1 ]; then
  header="$header · Python $(python3 -c 'import platform; print(platform.python_version())') · numpy $(python3 -c 'import numpy; print(numpy.__version__)') · pandas $(python3 -c 'import pandas; print(pandas.__version__)' 2>/dev/null || echo none) · pymcdm 1.4.0"
fi
export RAYON_NUM_THREADS=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

# STACKMATRIX_BIN times another build of the binary (e.g. one kept from before a change).
bin=${STACKMATRIX_BIN:-target/release/stackmatrix}
if [ -z "${STACKMATRIX_BIN:-}" ]; then
  cargo build --release --locked -q -p stackmatrix --bin stackmatrix
fi
[ -x "$bin" ] || { echo "could not build $bin" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "<!-- $(date -u +%Y-%m-%dT%H:%MZ) · $header · $runs runs · load before $(cut -d' ' -f1-3 /proc/loadavg) -->"
python3 - "$bin" "$tmp" "$rows" "$criteria" "$runs" "$peer" "${sizes:-$rows}" <<'PY'
import os, statistics, subprocess, sys, time

bin, tmp, rows, criteria, runs, peer, sizes = sys.argv[1:8]
rows, criteria, runs, peer = int(rows), int(criteria), int(runs), peer == "1"
sizes = sorted({int(s) for s in sizes.split(",")} | {rows})


def timed(argv, out):
    """Runs argv `runs` times with stdout to `out`: wall seconds, CPU seconds, max RSS (MiB)."""
    walls, cpus, rss = [], [], 0
    for _ in range(runs):
        with open(out, "wb") as f, open(os.path.join(tmp, "stderr"), "wb") as err:
            t0 = time.perf_counter()
            p = subprocess.Popen(argv, stdout=f, stderr=err)
            _, status, usage = os.wait4(p.pid, 0)
            walls.append(time.perf_counter() - t0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{argv} failed: {open(os.path.join(tmp, 'stderr')).read()[:2000]}")
        cpus.append(usage.ru_utime + usage.ru_stime)
        rss = max(rss, usage.ru_maxrss / 1024)
    return statistics.median(walls), min(walls), statistics.median(cpus), rss


def read_ranking(path):
    """(alternative, rank, preference) per line of a `rank,...,alternative,preference` CSV."""
    with open(path, encoding="utf-8") as f:
        head = f.readline().strip().split(",")
        a, k, p = head.index("alternative"), head.index("rank"), head.index("preference")
        out = []
        for line in f:
            cells = line.rstrip("\n").split(",")
            out.append((cells[a], int(cells[k]), float(cells[p])))
    return out


print("| command | matrix | CSV size | wall median (s) | wall fastest (s) | CPU median (s) | peak memory (MiB) |")
print("|---|---|---:|---:|---:|---:|---:|")
engine_at_rows = peer_at_rows = None
for m in sizes:
    csv = os.path.join(tmp, f"m{m}.csv")
    types = subprocess.run(
        ["python3", "bench/decide_matrix.py", "--rows", str(m), "--criteria", str(criteria), csv],
        check=True, capture_output=True, text=True).stdout.strip()
    size = f"{os.path.getsize(csv) / 1e6:.0f} MB"
    shape = f"{m:,} × {criteria}"
    base = [bin, "decide", "--matrix", csv, "--types", types, "--method", "topsis"]
    formats = [("csv", ["-o", "csv"])]
    if m == rows:
        formats += [("json", ["-o", "json"]), ("table", [])]
    for name, extra in formats:
        out = os.path.join(tmp, f"engine.{m}.{name}")
        w, fast, c, r = timed(base + extra, out)
        print(f"| `stackmatrix decide --method topsis -o {name}` | {shape} | {size} "
              f"| {w:.2f} | {fast:.2f} | {c:.2f} | {r:.0f} |")
        if name == "csv" and m == rows:
            engine_at_rows = (w, c, out)
    if peer and m == rows:
        out = os.path.join(tmp, "pymcdm.csv")
        w, fast, c, r = timed(["python3", "bench/decide_pymcdm.py", csv, types, out],
                              out + ".stdout")
        print(f"| `python3 bench/decide_pymcdm.py` (pymcdm 1.4.0 TOPSIS) | {shape} | {size} "
              f"| {w:.2f} | {fast:.2f} | {c:.2f} | {r:.0f} |")
        peer_at_rows = (w, c, out)
    os.remove(csv)
print()
print(f"{runs} runs of each command, one after the other, output to a file; load after: "
      f"{' '.join(open('/proc/loadavg').read().split()[0:3])}.")
if peer_at_rows:
    (ew, ec, eout), (pw, pc, pout) = engine_at_rows, peer_at_rows
    ours, theirs = read_ranking(eout), read_ranking(pout)
    preference = {a: p for a, _, p in theirs}
    rank = {a: k for a, k, _ in ours}
    diff = max(abs(p - preference[a]) for a, _, p in ours)
    # pymcdm's order is by preference alone; the engine's ranks tie preferences within 1e-9
    # and list a tie by row. They agree when the engine's ranks never go down along pymcdm's
    # order.
    along = [rank[a] for a, _, _ in theirs]
    agree = len(ours) == len(theirs) and all(x <= y for x, y in zip(along, along[1:]))
    print(f"pymcdm / engine at {rows:,} × {criteria} (`-o csv`): {pw / ew:.1f}× wall, "
          f"{pc / ec:.1f}× CPU; max |P_engine − P_pymcdm| = {diff:.1e}; the rankings agree "
          f"(the engine's ranks never go down along pymcdm's order): {'yes' if agree else 'NO'}.")
    if not (diff < 1e-9 and agree):
        sys.exit(f"the engine and pymcdm disagree: max difference {diff}, rankings agree: {agree}")
PY
