#!/usr/bin/env python3
"""Times the vectorised numpy SMAA-2 on the benchmark problem of the "SMAA" section of
BENCHMARKS.md: the six chains of the built-in knowledge base in the edge scenario (one-hot scene
vector: 6 x 12 = 72 uncertain entries), default spreads, weights uniform on the simplex, N
samples in the acceptability pass and N in the confidence pass.

The implementation is the cross-check's (crates/engine/tests/fixtures/smaa/smaa_numpy.py,
imported, not copied). Prints one JSON line: wall times of each repetition, min and median,
peak resident memory of this process, and the most likely first with its acceptability.

Usage: python3 bench/smaa_numpy.py [--samples 1000000] [--repeat 3] [--scenario edge]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "crates" / "engine" / "tests" / "fixtures" / "smaa"))
import smaa_numpy  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scenario", default="edge")
    ap.add_argument("--block", type=int, default=20_000, help="samples per vectorised block")
    args = ap.parse_args()
    techs = smaa_numpy.load_techs()
    case = {"scenario": args.scenario, "alternatives": smaa_numpy.CHAINS}
    a, kinds, s = smaa_numpy.build_case(case, techs)
    times = []
    res = None
    for k in range(args.repeat):
        rng = np.random.default_rng([20260101, k])
        t0 = time.perf_counter()
        res = smaa_numpy.smaa2(
            a, kinds, s, {"model": "uniform"}, args.samples, args.samples, rng, block=args.block
        )
        times.append(time.perf_counter() - t0)
    b1 = [row[0] for row in res["acceptability"]]
    best = max(range(len(b1)), key=lambda i: b1[i])
    print(json.dumps({
        "scenario": args.scenario,
        "samples": args.samples,
        "confidence_samples": args.samples,
        "uncertain_entries": int(np.count_nonzero(s)) * a.shape[0] * a.shape[1],
        "block": args.block,
        "numpy": np.__version__,
        "times_s": times,
        "min_s": min(times),
        "median_s": statistics.median(times),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "first": smaa_numpy.CHAINS[best],
        "b1": b1[best],
    }))


if __name__ == "__main__":
    main()
