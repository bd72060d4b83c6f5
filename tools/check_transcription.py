#!/usr/bin/env python3
"""Check that the knowledge-base data files carry exactly the numbers of reference-data.json.

Usage: python3 tools/check_transcription.py [PATH/TO/reference-data.json]

Re-reads data/technologies/*.toml (the six chains) and data/tables/*.toml with tomllib and
asserts that every number equals the published figure exactly (same float, float type, same
keys, no extra or missing rows). Prints a one-line summary and exits 0, or lists every
mismatch and exits 1.

Python 3.11, standard library only.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
DEFAULT_INPUT = REPO / ".." / "shared" / "reference" / "reference-data.json"

CONCEPTS = ["I", "C", "Q", "R", "M", "V", "L", "S", "B", "P", "T", "Theta"]
SCENES = ["dev", "ci", "prod", "edge", "serverless", "multitenant"]
CHAINS = ["docker", "k8s", "k3s", "wasmedge", "opa", "multitenant"]
OPERATION_IDS = {
    "build": ["build-image", "build-container", "build-policy"],
    "deploy": ["deploy-container", "deploy-service", "deploy-policy"],
    "scale": ["scale-horizontal", "scale-vertical", "autoscale"],
    "upgrade": ["rolling-update", "blue-green", "canary"],
}

errors: list[str] = []
count = 0


def load(rel: str) -> dict:
    with open(DATA / rel, "rb") as f:
        return tomllib.load(f)


def same(where: str, got, want) -> None:
    """Compare one value (None in the reference means the string "n/a")."""
    global count
    if want is None:
        if got != "n/a":
            errors.append(f"{where}: expected \"n/a\", found {got!r}")
        return
    count += 1
    if type(got) is not float:
        errors.append(f"{where}: expected the float {want!r}, found {type(got).__name__} {got!r}")
    elif got != want:
        errors.append(f"{where}: expected {want!r}, found {got!r}")


def same_row(where: str, got, want) -> None:
    if not isinstance(got, list) or len(got) != len(want):
        errors.append(f"{where}: expected {len(want)} values, found {got!r}")
        return
    for j, (g, w) in enumerate(zip(got, want)):
        same(f"{where}[{j}]", g, w)


def same_rows(where: str, table, keys, rows) -> None:
    if not isinstance(table, dict):
        errors.append(f"{where}: missing table")
        return
    if list(table.keys()) != list(keys):
        errors.append(f"{where}: expected rows {list(keys)} in that order, found {list(table.keys())}")
    for k, row in zip(keys, rows):
        if k in table:
            same_row(f"{where}.{k}", table[k], row)


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_INPUT
    with open(src, encoding="utf-8") as f:
        ref = json.load(f)
    if ref["concepts"] != CONCEPTS or ref["scenes"] != SCENES:
        errors.append("reference-data.json: concept or scene order changed")

    # Chains.
    for tid in CHAINS:
        rel = f"technologies/{tid}.toml"
        t = load(rel)
        if t.get("id") != tid or t.get("kind") != "chain":
            errors.append(f"{rel}: expected id = {tid!r}, kind = 'chain'")
        if t.get("provenance", {}).get("kind") != "published":
            errors.append(f"{rel}: default provenance kind should be 'published'")
        mat = t.get("maturity", {})
        same_rows(f"{rel}: maturity.static", mat.get("static"), CONCEPTS, ref["chain_maturity"][tid])
        if tid == "k8s":
            same_rows(f"{rel}: maturity.dynamic", mat.get("dynamic"), ["I", "C", "Q"],
                      ref["k8s_dynamic_example_rows_I_C_Q"])
        elif "dynamic" in mat:
            errors.append(f"{rel}: has a dynamic slice, but none is published for {tid}")
    if ref["attribute_maturity_k8s_example"] != ref["chain_maturity"]["k8s"]:
        errors.append("reference-data.json: attribute_maturity_k8s_example no longer equals chain_maturity.k8s")

    # Relations.
    rel = "tables/relations.toml"
    t = load(rel)
    for name, key in [("dependency", "relation_dependency"),
                      ("transformation", "relation_transformation_difficulty"),
                      ("combination", "relation_combination")]:
        same_rows(f"{rel}: {name}", t.get(name), CONCEPTS, ref[key])

    # Attributes.
    rel = "tables/attributes.toml"
    t = load(rel)
    same_rows(f"{rel}: latency_ms", t.get("latency_ms"), CONCEPTS, ref["attribute_latency_ms"])
    same_rows(f"{rel}: memory_mb", t.get("memory_mb"), CONCEPTS, ref["attribute_memory_mb"])
    comp = ref["attribute_compatibility"]
    comp_keys = []
    for label in comp["rows"]:
        if label.startswith("L + "):
            comp_keys.append("L_mesh")
        elif label.startswith("Θ"):
            comp_keys.append("Theta")
        else:
            comp_keys.append(label.split()[0])
    same_rows(f"{rel}: compatibility", t.get("compatibility"), comp_keys, comp["values"])

    # Transitions.
    rel = "tables/transitions.toml"
    t = load(rel)
    ct = ref["chain_transition_difficulty"]
    chain_t = t.get("chain_transition", {})
    if chain_t.get("columns") != ct["order"]:
        errors.append(f"{rel}: chain_transition.columns: expected {ct['order']}, found {chain_t.get('columns')}")
    same_rows(f"{rel}: chain_transition.rows", chain_t.get("rows"), ct["order"], ct["from_row_to_col"])
    same_rows(f"{rel}: scene_migration", t.get("scene_migration"), SCENES, ref["scene_migration_difficulty"])

    # Operations.
    rel = "tables/operations.toml"
    ops = load(rel).get("operation", [])
    expected = []
    for group, ids in OPERATION_IDS.items():
        g = ref["operations"][group]
        for oid, zh, impact in zip(ids, g["ops"], g["impact"]):
            expected.append((oid, group, zh, impact))
    if len(ops) != len(expected):
        errors.append(f"{rel}: expected {len(expected)} operations, found {len(ops)}")
    for i, (op, (oid, group, zh, impact)) in enumerate(zip(ops, expected)):
        where = f"{rel}: operation[{i}]"
        if op.get("id") != oid or op.get("group") != group:
            errors.append(f"{where}: expected id {oid!r} group {group!r}, found {op.get('id')!r} {op.get('group')!r}")
        if op.get("name", {}).get("zh") != zh:
            errors.append(f"{where}.name.zh: expected {zh!r}, found {op.get('name', {}).get('zh')!r}")
        if not op.get("name", {}).get("en"):
            errors.append(f"{where}.name.en: missing")
        same_row(f"{where} ({oid}).impact", op.get("impact"), impact)

    # Theta.
    rel = "tables/theta.toml"
    lr = ref["theta_learning_rate"]
    same_rows(f"{rel}: learning_rate", {k: [v] for k, v in load(rel).get("learning_rate", {}).items()},
              list(lr.keys()), [[v] for v in lr.values()])

    # Parameters.
    rel = "tables/parameters.toml"
    t = load(rel)
    p = ref["parameters"]
    same_row(f"{rel}: service_mesh_loadbalance_uplift", t.get("service_mesh_loadbalance_uplift"),
             p["service_mesh_loadbalance_uplift"])
    for table in ["time_blend", "risk_lambda", "scene_adaptation"]:
        got = t.get(table, {})
        if list(got.keys()) != list(p[table].keys()):
            errors.append(f"{rel}: {table}: expected keys {list(p[table].keys())}, found {list(got.keys())}")
        for k, v in p[table].items():
            same(f"{rel}: {table}.{k}", got.get(k), v)
    extra = set(t) - {"service_mesh_loadbalance_uplift", "time_blend", "risk_lambda", "scene_adaptation"}
    if extra:
        errors.append(f"{rel}: unexpected keys {sorted(extra)}")

    if errors:
        for e in errors:
            print(f"error: {e}")
        print(f"FAILED: {len(errors)} mismatch(es)")
        return 1
    print(f"OK: {count} numbers in 6 chains (with k8s dynamic I, C, Q) and 6 table files match "
          f"{src.name} exactly")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
