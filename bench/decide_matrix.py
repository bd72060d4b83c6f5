#!/usr/bin/env python3
"""Writes the seeded decision matrix of the `decide` benchmark (the "decide at scale" part of the
"Decision methods" section of BENCHMARKS.md) as the CSV `stackmatrix decide --matrix` reads: a
header row (an empty first cell, then `c1` .. `cN`), then one row per alternative (`a1` .. `aM`,
then N values).

Standard library only (no numpy), so the file can be made where pymcdm is not installed. The
values are what the mcdm bench draws (crates/engine/benches/mcdm.rs): each column has its own
scale `10^U(-1, 3)` and its values are that scale times `U(0.05, 1)`, so every value is positive
and no column is constant. They are written with 6 significant digits (about 80 bytes a row at
10 criteria), which both sides parse to the same doubles.

Prints the criterion types on standard output (`+,-,...`: column 1 a benefit, column 2 a cost,
the rest a coin flip), for `--types`.

Usage: python3 bench/decide_matrix.py --rows 1000000 --criteria 10 --seed 20260101 OUT.csv
"""

from __future__ import annotations

import argparse
import random


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--criteria", type=int, default=10)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("out")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    n = args.criteria
    scales = [10 ** rng.uniform(-1, 3) for _ in range(n)]
    types = ["+", "-"] + [rng.choice("+-") for _ in range(max(0, n - 2))]
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("," + ",".join(f"c{j + 1}" for j in range(n)) + "\n")
        batch = []
        uniform = rng.uniform
        for i in range(args.rows):
            values = ",".join(f"{s * uniform(0.05, 1):.6g}" for s in scales)
            batch.append(f"a{i + 1},{values}\n")
            if len(batch) == 10_000:
                f.write("".join(batch))
                batch.clear()
        f.write("".join(batch))
    print(",".join(types[:n]))


if __name__ == "__main__":
    main()
