#!/usr/bin/env python3
"""The pandas + numpy peer of `stackmatrix fleet score` (without --stacks, --top 1), for
bench/fleet.sh.

It does the same work on the same files: reads the inventory CSV, checks every column of the
fleet rules (required, type, min/max, allowed values) and leaves bad rows out, maps each row by
the rules (vector = base + the weigh of every matched rule; requirements = union of the matched
require lists), scores the best chain of each distinct vector with numpy
(10 * mean(s @ A.T) over the chains' static matrices, s normalised to sum 1, ties within 1e-9
to the smallest id), and writes the same columns as CSV:
id,dev,ci,prod,edge,serverless,multitenant,require,budget_mb,chain_1,score_1.

It is written the way a pandas user would write it, vectorised: one boolean mask per condition,
one numpy pass per rule, the chain scores computed once per distinct vector (np.unique) and
gathered back, to_csv for the output.

    python3 bench/fleet_pandas.py --input inv.csv --output out.csv [--rules data/fleet/rules.toml]
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SCENES = ["dev", "ci", "prod", "edge", "serverless", "multitenant"]
CONCEPTS = ["I", "C", "Q", "R", "M", "V", "L", "S", "B", "P", "T", "Theta"]


def load(path: Path) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


def chains() -> tuple[list[str], np.ndarray]:
    ids, mats = [], []
    for path in sorted((ROOT / "data" / "technologies").glob("*.toml")):
        t = load(path)
        if t.get("kind") == "chain":
            rows = t["maturity"]["static"]
            ids.append(t["id"])
            mats.append([[float(x) for x in rows[c]] for c in CONCEPTS])
    order = np.argsort(ids)
    return [ids[i] for i in order], np.array(mats)[order]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--rules", default=str(ROOT / "data" / "fleet" / "rules.toml"))
    a = ap.parse_args()
    t0 = time.perf_counter()
    rules = load(Path(a.rules))
    specs = rules["column"]
    id_col = rules.get("id_column", "id")
    df = pd.read_csv(a.input, dtype=str, keep_default_na=False, na_filter=False)
    t_read = time.perf_counter()
    n = len(df)
    bad = np.zeros(n, dtype=bool)
    values: dict[str, np.ndarray] = {}
    present: dict[str, np.ndarray] = {}
    for spec in specs:
        name = spec["name"]
        col = df[name].str.strip() if name in df else pd.Series([""] * n)
        empty = (col == "").to_numpy()
        if spec.get("required", False):
            bad |= empty
        kind = spec["type"]
        if kind in ("number", "integer"):
            num = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
            malformed = ~empty & ~np.isfinite(num)
            if kind == "integer":
                malformed |= ~empty & np.isfinite(num) & (np.floor(num) != num)
            bad |= malformed
            if "min" in spec:
                bad |= ~empty & (num < spec["min"])
            if "max" in spec:
                bad |= ~empty & (num > spec["max"])
            values[name] = num
        elif kind == "bool":
            low = col.str.lower()
            t = low.isin(["true", "yes", "1"]).to_numpy()
            f = low.isin(["false", "no", "0"]).to_numpy()
            bad |= ~empty & ~t & ~f
            values[name] = t
        else:
            if "values" in spec:
                bad |= ~empty & ~col.isin(spec["values"]).to_numpy()
            values[name] = col.to_numpy()
        present[name] = ~empty
    ops = {
        "<": np.less,
        "<=": np.less_equal,
        ">": np.greater,
        ">=": np.greater_equal,
        "==": np.equal,
        "!=": np.not_equal,
    }
    vec = np.tile(np.array([float(rules.get("base", {}).get(s, 0.0)) for s in SCENES]), (n, 1))
    bits = np.zeros(n, dtype=np.int64)
    for i, rule in enumerate(rules["rule"]):
        m = np.ones(n, dtype=bool)
        for c in rule.get("when", []):
            v = values[c["column"]]
            if c["op"] == "in":
                m &= np.isin(v, c["value"])
            else:
                m &= ops[c["op"]](v, c["value"])
            m &= present[c["column"]]
        bits |= m.astype(np.int64) << i
        w = np.array([float(rule.get("weigh", {}).get(s, 0.0)) for s in SCENES])
        if w.any():
            vec += m[:, None] * w
    good = ~bad & (vec.sum(axis=1) > 0)
    rejected = int((~good).sum())
    vec, bits = vec[good], bits[good]
    # Chain scores once per distinct rule set.
    keys, first, inverse = np.unique(bits, return_index=True, return_inverse=True)
    ids, mats = chains()
    s = vec[first] / vec[first].sum(axis=1, keepdims=True)
    scores = 10 * np.einsum("kj,tcj->ktc", s, mats).mean(axis=2)  # keys x chains
    top = scores.max(axis=1, keepdims=True)
    best = np.argmax(scores >= top - 1e-9, axis=1)  # first id within the tolerance
    best_id = np.array(ids)[best]
    best_score = scores[np.arange(len(keys)), best]
    require = []
    for k in keys:
        req: list[str] = []
        for i, rule in enumerate(rules["rule"]):
            if k >> i & 1:
                for r in rule.get("require", []):
                    if r not in req:
                        req.append(r)
        require.append(";".join(req))
    out = pd.DataFrame({"id": df[id_col].to_numpy()[good]})
    for j, sc in enumerate(SCENES):
        out[sc] = vec[:, j]
    out["require"] = np.array(require, dtype=object)[inverse]
    out["budget_mb"] = ""
    out["chain_1"] = best_id[inverse]
    out["score_1"] = best_score[inverse]
    t_score = time.perf_counter()
    out.to_csv(a.output, index=False)
    t_end = time.perf_counter()
    print(
        f"pandas: read {n} rows: {n - rejected} scored, {rejected} rejected; "
        f"{len(keys)} distinct inputs; read {t_read - t0:.2f} s, map+score "
        f"{t_score - t_read:.2f} s, write {t_end - t_score:.2f} s, total {t_end - t0:.2f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
