#!/usr/bin/env python3
"""The peer of `stackmatrix decide` in the "decide at scale" benchmark (bench/decide.sh): reads
the same decision-matrix CSV, ranks it with pymcdm 1.4.0's TOPSIS (its defaults: min-max
normalisation) with equal weights, and writes `rank,alternative,preference` as CSV, best first,
every preference in Python's shortest round-trip form. The whole process is what is timed,
interpreter start and imports included, as the engine's whole process is.

The matrix is read with pandas' C parser when pandas is installed (numpy's `loadtxt` otherwise),
the fastest readers of the Python stack. pymcdm is called with `validation=False`: its default
validation looks for dominated alternatives with a Python loop over the rows, each pass over
every row, which is quadratic and would not finish on a million rows.

Usage: python3 bench/decide_pymcdm.py MATRIX.csv TYPES OUT.csv     (TYPES: +,-,... as --types)
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import sys  # noqa: E402

import numpy as np  # noqa: E402
from pymcdm.methods import TOPSIS  # noqa: E402


def read(path: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        import pandas as pd
    except ImportError:
        names = np.loadtxt(path, delimiter=",", skiprows=1, usecols=0, dtype=str)
        with open(path, encoding="utf-8") as f:
            n = len(f.readline().split(",")) - 1
        values = np.loadtxt(path, delimiter=",", skiprows=1, usecols=range(1, n + 1))
        return names, values
    frame = pd.read_csv(path, index_col=0, engine="c")
    return frame.index.to_numpy(dtype=str), frame.to_numpy(dtype=float)


def main() -> None:
    matrix_path, types_text, out_path = sys.argv[1:4]
    names, matrix = read(matrix_path)
    types = np.array([1 if t.strip() in ("+", "benefit", "1") else -1 for t in types_text.split(",")])
    weights = np.ones(matrix.shape[1]) / matrix.shape[1]
    preferences = TOPSIS()(matrix, weights, types, validation=False)
    # Best first (higher is better for TOPSIS), ties by row; ranks 1..m by position.
    order = np.lexsort((np.arange(len(preferences)), -preferences))
    values = preferences.tolist()  # Python floats: repr is the shortest round-trip form
    labels = names.tolist()
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("rank,alternative,preference\n")
        f.writelines(f"{k + 1},{labels[i]},{values[i]!r}\n" for k, i in enumerate(order.tolist()))


if __name__ == "__main__":
    main()
