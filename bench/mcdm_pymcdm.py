#!/usr/bin/env python3
"""Times pymcdm 1.4.0's TOPSIS and VIKOR (defaults: TOPSIS with min-max normalisation, VIKOR
with pymcdm's own transform and v = 0.5) on the problems the `mcdm` bench binary wrote, and
compares their preferences with the engine's (the "Decision methods" section of BENCHMARKS.md).

For each JSON line of the engine on stdin (from `MCDM_BENCH_DIR=DIR target/release/deps/mcdm-…`)
it reads the problem (`DIR/MxN.csv`: a line of types, 1 or -1, a line of weights, then the rows;
every number in Rust's shortest round-trip form, parsed with Python's `float`, so the arrays hold
the very same doubles) and the engine's preferences (`DIR/MxN.METHOD.csv`), times `--calls` calls
of `method(matrix, weights, types)` with `time.perf_counter` after a few warm-up calls (pymcdm's
default call, input validation included; also `validation=False`, reported apart), and prints
the engine's line completed with pymcdm's times and the largest absolute difference between the
two preference vectors.

numpy is held to one thread (OMP/OPENBLAS/MKL_NUM_THREADS=1 unless already set), though these
methods use element-wise operations and column reductions only.

Usage: target/release/deps/mcdm-… | python3 bench/mcdm_pymcdm.py [--calls 200]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import importlib.metadata  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

PYMCDM_VERSION = "1.4.0"
if importlib.metadata.version("pymcdm") != PYMCDM_VERSION:
    sys.exit(f"needs pymcdm=={PYMCDM_VERSION}, found {importlib.metadata.version('pymcdm')}")

from pymcdm.methods import TOPSIS, VIKOR  # noqa: E402

# pymcdm 1.4's defaults, as Method::from_name("topsis") / ("vikor") in the engine.
METHODS = {"topsis": TOPSIS, "vikor": VIKOR}
WARM_UP_CALLS = 5


def read_floats(path: str) -> list[list[float]]:
    with open(path, encoding="utf-8") as f:
        return [[float(x) for x in line.split(",")] for line in f if line.strip()]


def timed(fn, calls: int) -> tuple[list[float], np.ndarray]:
    for _ in range(WARM_UP_CALLS):
        fn()
    times = []
    out = None
    for _ in range(calls):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=200, help="timed calls per method and size")
    args = ap.parse_args()
    problems: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        rust = json.loads(line)
        path = rust["problem"]
        if path not in problems:
            rows = read_floats(path)
            types = np.array([int(t) for t in rows[0]])
            weights = np.array(rows[1], dtype=float)
            matrix = np.array(rows[2:], dtype=float)
            assert matrix.shape == (rust["alternatives"], rust["criteria"]), matrix.shape
            problems[path] = (matrix, weights, types)
        matrix, weights, types = problems[path]
        body = METHODS[rust["method"]]()
        times, prefs = timed(lambda: body(matrix, weights, types), args.calls)
        times_nv, prefs_nv = timed(
            lambda: body(matrix, weights, types, validation=False), args.calls
        )
        assert np.array_equal(prefs, prefs_nv)
        engine = np.array([v[0] for v in read_floats(rust["preferences"])])
        assert engine.shape == prefs.shape, (engine.shape, prefs.shape)
        median_us = statistics.median(times) * 1e6
        rust.update({
            "pymcdm": PYMCDM_VERSION,
            "numpy": np.__version__,
            "py_calls": len(times),
            "py_min_us": min(times) * 1e6,
            "py_median_us": median_us,
            "py_novalidation_median_us": statistics.median(times_nv) * 1e6,
            "ratio": median_us / rust["median_us"],
            "max_abs_diff": float(np.max(np.abs(engine - prefs))),
            "same_ranking": bool(np.array_equal(body.rank(engine), body.rank(prefs))),
        })
        print(json.dumps(rust), flush=True)


if __name__ == "__main__":
    main()
