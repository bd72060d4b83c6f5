#!/usr/bin/env bash
# HTTP load on `stackmatrix serve` (the "HTTP API" section of BENCHMARKS.md): builds the release
# binary, starts the server on a free loopback port and runs wrk against
#   GET  /v1/rank?scenario=edge
#   POST /v1/rank  {"scenario": "edge"}
# at a few connection counts (wrk is closed-loop: each connection sends its next request when the
# previous one is answered, so more connections means a higher offered rate). Prints one
# Markdown row per run: throughput, p50, p99, max, non-2xx answers and socket errors.
# Then a baseline: the same request as a process per request (`stackmatrix rank --scenario edge
# -o json`), run sequentially, and the server/baseline ratios.
#
# Needs wrk (Debian: apt-get install -y wrk) and python3.
# Usage: bash bench/http_load.sh [--duration SECONDS] [--connections "1 8 64 256"] [--baseline N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

duration=10
connections="1 8 64 256"
baseline_runs=300
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --baseline) baseline_runs=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install -y wrk)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed to read the results" >&2; exit 1; }

cargo build --release --locked -q -p stackmatrix
bin=target/release/stackmatrix
tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$bin" serve --addr 127.0.0.1:0 2>"$tmp/serve.err" &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$tmp/serve.err" 2>/dev/null && break
  sleep 0.05
done
base=$(sed -n 's/^listening on //p' "$tmp/serve.err" | head -1)
[ -n "$base" ] || { echo "the server did not start:" >&2; cat "$tmp/serve.err" >&2; exit 1; }

# The server answers exactly what the command line prints.
curl_get() { python3 -c 'import sys,urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' "$1"; }
curl_get "$base/v1/rank?scenario=edge" >"$tmp/http.json"
"$bin" rank --scenario edge -o json >"$tmp/cli.json"
python3 - "$tmp/http.json" "$tmp/cli.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a == b, "the server's answer differs from stackmatrix rank -o json"
EOF
bytes=$(wc -c <"$tmp/http.json")

cat >"$tmp/post.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"scenario": "edge"}'
wrk.headers["Content-Type"] = "application/json"
EOF

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
echo "<!-- $(date -u +%Y-%m-%dT%H:%MZ) · $(nproc) CPUs · ${cpu:-unknown CPU} · $(rustc --version) · $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2) · ${duration} s per run · answer ${bytes} bytes -->"
echo "| request | connections | wrk threads | requests/s | p50 (ms) | p99 (ms) | max (ms) | non-2xx | socket errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"

# Reads wrk's --latency report; prints a row and appends "label connections rps p50" to $tmp/rows.
row() {
  python3 - "$1" "$2" "$3" "$4" "$tmp/rows" <<'EOF'
import re, sys
label, conns, threads, path, rows = sys.argv[1:6]
text = open(path).read()
def ms(value):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    n, unit = float(m.group(1)), m.group(2)
    return n * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
dist = dict(re.findall(r"^\s+(\d+)%\s+(\S+)$", text, re.M))
mx = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", text).group(1)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: (.*)", text)
errors = "0"
if sock:
    errors = str(sum(int(n) for n in re.findall(r"\d+", sock.group(1))))
print(f"| {label} | {conns} | {threads} | {rps:,.0f} | {ms(dist['50']):.3f} | {ms(dist['99']):.3f} | {ms(mx):.2f} | {non2xx.group(1) if non2xx else 0} | {errors} |")
with open(rows, "a") as f:
    f.write(f"{label}\t{conns}\t{rps}\t{ms(dist['50'])}\n")
EOF
}

for target in get post; do
  for c in $connections; do
    threads=$(( c < 2 ? c : 2 ))
    if [ "$target" = get ]; then
      wrk -t"$threads" -c"$c" -d"${duration}s" --latency "$base/v1/rank?scenario=edge" >"$tmp/wrk.txt"
      row "GET /v1/rank?scenario=edge" "$c" "$threads" "$tmp/wrk.txt"
    else
      wrk -t"$threads" -c"$c" -d"${duration}s" --latency -s "$tmp/post.lua" "$base/v1/rank" >"$tmp/wrk.txt"
      row "POST /v1/rank" "$c" "$threads" "$tmp/wrk.txt"
    fi
  done
done

# Baseline: a process per request, one after the other.
python3 - "$bin" "$baseline_runs" "$tmp/rows" <<'EOF'
import statistics, subprocess, sys, time
bin, runs, rows = sys.argv[1], int(sys.argv[2]), sys.argv[3]
times = []
start = time.perf_counter()
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run([bin, "rank", "--scenario", "edge", "-o", "json"], stdout=subprocess.DEVNULL, check=True)
    times.append((time.perf_counter() - t) * 1000)
elapsed = time.perf_counter() - start
times.sort()
rps = runs / elapsed
p50 = statistics.median(times)
p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
print(f"| `stackmatrix rank --scenario edge -o json`, a process per request | 1 (sequential) | – | {rps:,.0f} | {p50:.3f} | {p99:.3f} | {times[-1]:.2f} | 0 | 0 |")
print()
server = [line.rstrip("\n").split("\t") for line in open(rows)]
get1 = next(float(r[2]) for r in server if r[0].startswith("GET") and r[1] == "1")
getp50 = next(float(r[3]) for r in server if r[0].startswith("GET") and r[1] == "1")
best = max(server, key=lambda r: float(r[2]))
print(f"Against the process-per-request baseline ({rps:,.0f} requests/s, p50 {p50:.2f} ms):")
print(f"- GET over one keep-alive connection: {get1 / rps:,.0f}x the throughput, p50 latency {p50 / getp50:,.0f}x lower;")
print(f"- the best run ({best[0]}, {best[1]} connections, {float(best[2]):,.0f} requests/s): {float(best[2]) / rps:,.0f}x the throughput.")
EOF

counted=$(curl_get "$base/metrics" | awk '/^stackmatrix_http_requests_total\{route="\/v1\/rank"/ {n += $2} END {print n + 0}')
echo
echo "The server counted ${counted} answers on /v1/rank (/metrics)."
