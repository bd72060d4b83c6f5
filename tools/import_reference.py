#!/usr/bin/env python3
"""Write the number-bearing files of the built-in knowledge base from reference-data.json.

Usage: python3 tools/import_reference.py [PATH/TO/reference-data.json]

The default input is ../shared/reference/reference-data.json relative to the repository root.
The output goes to data/technologies/{docker,k8s,k3s,wasmedge,opa,multitenant}.toml and
data/tables/{relations,attributes,transitions,operations,theta,parameters}.toml under the
repository root, in the format of docs/knowledge-base.md. Every number is written so that it
parses back to exactly the same float (tools/check_transcription.py verifies this).

Python 3.11, standard library only.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = REPO / ".." / "shared" / "reference" / "reference-data.json"

CONCEPTS = ["I", "C", "Q", "R", "M", "V", "L", "S", "B", "P", "T", "Theta"]
SCENES = ["dev", "ci", "prod", "edge", "serverless", "multitenant"]
CHAINS = ["docker", "k8s", "k3s", "wasmedge", "opa", "multitenant"]

SOURCE = (
    "AdaMartin18010/wasmedge_k3s, docs/COGNITIVE/03-theoretical-perspectives/"
    "matrix-perspective (chain maturity matrices)"
)
TABLE_SOURCE = (
    "AdaMartin18010/wasmedge_k3s, docs/COGNITIVE/03-theoretical-perspectives/"
    "matrix-perspective (files 02 to 08)"
)

CHAIN_META = {
    "docker": {"en": "Docker", "zh": "Docker 容器", "roles": ["runtime"], "capabilities": []},
    "k8s": {"en": "Kubernetes (K8s)", "zh": "Kubernetes 容器编排", "roles": ["orchestrator"], "capabilities": []},
    "k3s": {"en": "K3s", "zh": "K3s 轻量 Kubernetes", "roles": ["orchestrator"], "capabilities": ["offline"]},
    "wasmedge": {"en": "WasmEdge", "zh": "WasmEdge WebAssembly 运行时", "roles": ["runtime"], "capabilities": ["wasm"]},
    "opa": {"en": "OPA (Open Policy Agent)", "zh": "OPA 策略引擎", "roles": ["policy"], "capabilities": []},
    "multitenant": {"en": "MultiTenant", "zh": "多租户平台", "roles": ["tenancy"], "capabilities": []},
}

# Operation ids and English names, in the order of reference-data.json (group by group, row by row).
OPERATIONS = {
    "build": [("build-image", "Build image"), ("build-container", "Build container"),
              ("build-policy", "Build policy")],
    "deploy": [("deploy-container", "Deploy container"), ("deploy-service", "Deploy service"),
               ("deploy-policy", "Deploy policy")],
    "scale": [("scale-horizontal", "Horizontal scale-out"), ("scale-vertical", "Vertical scale-up"),
              ("autoscale", "Autoscaling")],
    "upgrade": [("rolling-update", "Rolling update"), ("blue-green", "Blue-green deployment"),
                ("canary", "Canary release")],
}

COLUMNS_COMMENT = "# Columns: dev, ci, prod, edge, serverless, multitenant."
CONCEPT_COLUMNS_COMMENT = "# Columns: I, C, Q, R, M, V, L, S, B, P, T, Theta (concept order)."


# ----------------------------------------------------------------------------------------------
# Formatting

def num(x) -> str:
    """A TOML float literal that parses back to exactly `x`."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"not a number: {x!r}")
    x = float(x)
    text = repr(x)
    if "e" in text or "E" in text:
        # Positional notation reads better next to its neighbours (0.0001, 0.00001); the
        # decimal expansion of repr() denotes the same value, so it rounds to the same float.
        text = format(Decimal(text), "f")
        if "." not in text:
            text += ".0"
    if "inf" in text or "nan" in text:
        raise ValueError(f"not finite: {x!r}")
    assert float(text) == x, (x, text)
    return text


def cell(x) -> str:
    return '"n/a"' if x is None else num(x)


def string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def str_array(items) -> str:
    return "[" + ", ".join(string(s) for s in items) + "]"


def rows_block(keys, rows) -> list[str]:
    """`key = [v, v, ...]` lines, keys padded and every column right-aligned."""
    cells = [[cell(v) for v in row] for row in rows]
    ncol = len(cells[0])
    assert all(len(r) == ncol for r in cells)
    widths = [max(len(r[j]) for r in cells) for j in range(ncol)]
    kw = max(len(k) for k in keys)
    out = []
    for k, r in zip(keys, cells):
        vals = ", ".join(c.rjust(w) for c, w in zip(r, widths))
        out.append(f"{k.ljust(kw)} = [{vals}]")
    return out


def write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines).rstrip("\n") + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)}")


# ----------------------------------------------------------------------------------------------
# Technologies

def technology(tid: str, static, dynamic) -> list[str]:
    meta = CHAIN_META[tid]
    lines = [
        f"# {meta['en']}: a technology chain of the built-in knowledge base.",
        "# Maturity in [0, 1] of each concept (row) in each scene (column) for a stack built on this chain.",
        COLUMNS_COMMENT,
        "# Numbers: published, transcribed from reference-data.json chain_maturity."
        f"{tid} by tools/import_reference.py;",
        "# originally from AdaMartin18010/wasmedge_k3s, docs/COGNITIVE/03-theoretical-perspectives/matrix-perspective.",
        "# Regenerate with tools/import_reference.py rather than editing the numbers by hand.",
        "",
        f"id = {string(tid)}",
        'kind = "chain"',
        f"roles = {str_array(meta['roles'])}",
    ]
    if meta["capabilities"]:
        lines.append(f"capabilities = {str_array(meta['capabilities'])}")
    lines += [
        "",
        "[name]",
        f"en = {string(meta['en'])}",
        f"zh = {string(meta['zh'])}",
        "",
        "# Default provenance of every row below.",
        "[provenance]",
        'kind = "published"',
        f"source = {string(SOURCE)}",
        "",
        "[maturity.static]",
    ]
    lines += rows_block(CONCEPTS, static)
    if dynamic:
        lines += [
            "",
            "# Dynamic slice: the only published dynamic rows (reference-data.json k8s_dynamic_example_rows_I_C_Q).",
            "# Every other concept's dynamic row equals its static row. Covered by the default provenance above.",
            "[maturity.dynamic]",
        ]
        lines += rows_block(list(dynamic.keys()), list(dynamic.values()))
    return lines


# ----------------------------------------------------------------------------------------------
# Tables

def relations(d) -> list[str]:
    lines = [
        "# Concept relations, 12 x 12: each row is a concept, each column a concept.",
        CONCEPT_COLUMNS_COMMENT,
        "# Numbers: published, transcribed from reference-data.json (relation_dependency,",
        "# relation_transformation_difficulty, relation_combination) by tools/import_reference.py;",
        f"# originally from {TABLE_SOURCE}.",
        "",
        "# 1 where the row concept and the column concept are linked by dependency, else 0.",
        "# The published direction is ambiguous (the text says the container depends on the image, yet",
        "# row I has a 1 in column C); the engine states the direction it uses.",
        "[dependency]",
    ]
    lines += rows_block(CONCEPTS, d["relation_dependency"])
    lines += [
        "",
        "# Difficulty in [0, 1] of turning the column concept into the row concept; 0 = seamless, 1 = impossible.",
        "[transformation]",
    ]
    lines += rows_block(CONCEPTS, d["relation_transformation_difficulty"])
    lines += [
        "",
        "# How well two concepts combine, in [0, 1]; 1 = perfect. Symmetric.",
        "[combination]",
    ]
    lines += rows_block(CONCEPTS, d["relation_combination"])
    return lines


def compat_key(label: str) -> str:
    if label.startswith("L + "):
        return "L_mesh"
    if label.startswith("Θ"):
        return "Theta"
    key = label.split()[0]
    if key not in CONCEPTS:
        raise ValueError(f"unknown compatibility row label {label!r}")
    return key


def attributes(d) -> list[str]:
    comp = d["attribute_compatibility"]
    keys = [compat_key(lbl) for lbl in comp["rows"]]
    assert sorted(keys) == sorted(CONCEPTS + ["L_mesh"]), keys
    lines = [
        "# Concept attributes per scene, 12 x 6: each row is a concept, each column a scene.",
        COLUMNS_COMMENT,
        "# Numbers: published, transcribed from reference-data.json (attribute_latency_ms, attribute_memory_mb,",
        "# attribute_compatibility) by tools/import_reference.py;",
        f"# originally from {TABLE_SOURCE}.",
        "# The published maturity attribute matrix (attribute_maturity_k8s_example) equals the maturity of",
        "# the k8s chain, so it is not repeated here: see technologies/k8s.toml.",
        "",
        "# Typical latency in milliseconds; \"n/a\" where the concept does not apply in that scene.",
        "[latency_ms]",
    ]
    lines += rows_block(CONCEPTS, d["attribute_latency_ms"])
    lines += [
        "",
        "# Typical memory cost in MB.",
        "[memory_mb]",
    ]
    lines += rows_block(CONCEPTS, d["attribute_memory_mb"])
    lines += [
        "",
        "# Compatibility in [0, 1]. L_mesh is \"L with a service mesh\" (the published row \"L + Service Mesh\").",
        "[compatibility]",
    ]
    lines += rows_block(keys, comp["values"])
    return lines


def transitions(d) -> list[str]:
    ct = d["chain_transition_difficulty"]
    order = ct["order"]
    assert order == CHAINS, order
    lines = [
        "# Transition difficulties, 6 x 6, in [0, 1]; 0 = seamless.",
        "# Numbers: published, transcribed from reference-data.json (chain_transition_difficulty,",
        "# scene_migration_difficulty) by tools/import_reference.py;",
        f"# originally from {TABLE_SOURCE}.",
        "",
        "# Difficulty of moving from the row chain to the column chain.",
        "[chain_transition]",
        f"columns = {str_array(order)}",
        "",
        "[chain_transition.rows]",
    ]
    lines += rows_block(order, ct["from_row_to_col"])
    lines += [
        "",
        "# Difficulty of moving a workload from the row scene to the column scene.",
        COLUMNS_COMMENT,
        "[scene_migration]",
    ]
    lines += rows_block(SCENES, d["scene_migration_difficulty"])
    return lines


def operations(d) -> list[str]:
    ops = d["operations"]
    assert list(ops.keys()) == list(OPERATIONS.keys()), list(ops.keys())
    lines = [
        "# Named operations and their impact in [0, 1] on each concept (12 values in concept order).",
        "# Impact columns: I, C, Q, R, M, V, L, S, B, P, T, Theta.",
        "# Numbers and Chinese names: published, transcribed from reference-data.json operations.{build,deploy,",
        "# scale,upgrade} by tools/import_reference.py;",
        f"# originally from {TABLE_SOURCE}.",
        "# Ids and English names are the project's. The reference declares the operation matrices 12 x 12 but",
        "# publishes one 12-vector per operation; the engine states how operations compose.",
    ]
    for group, entries in OPERATIONS.items():
        g = ops[group]
        assert len(g["ops"]) == len(entries) == len(g["impact"]), group
        for (oid, en), zh, impact in zip(entries, g["ops"], g["impact"]):
            assert len(impact) == len(CONCEPTS), oid
            lines += [
                "",
                "[[operation]]",
                f"id = {string(oid)}",
                f"group = {string(group)}",
                "impact = [" + ", ".join(num(v) for v in impact) + "]",
                "[operation.name]",
                f"en = {string(en)}",
                f"zh = {string(zh)}",
            ]
    return lines


def theta(d) -> list[str]:
    lr = d["theta_learning_rate"]
    assert list(lr.keys()) == CONCEPTS, list(lr.keys())
    kw = max(len(k) for k in CONCEPTS)
    lines = [
        "# Learning rate of each diagonal AI parameter theta_c (one positive value per concept).",
        "# Numbers: published, transcribed from reference-data.json theta_learning_rate by tools/import_reference.py;",
        f"# originally from {TABLE_SOURCE}.",
        "",
        "[learning_rate]",
    ]
    lines += [f"{k.ljust(kw)} = {num(lr[k])}" for k in CONCEPTS]
    return lines


def parameters(d) -> list[str]:
    p = d["parameters"]
    lo, hi = p["service_mesh_loadbalance_uplift"]
    tb, rl, sa = p["time_blend"], p["risk_lambda"], p["scene_adaptation"]
    return [
        "# Scalar parameters of the model (dimensionless).",
        "# Numbers: published, transcribed from reference-data.json parameters by tools/import_reference.py;",
        f"# originally from {TABLE_SOURCE}.",
        "",
        "# A stack that contains a service mesh gains between low and high on concept L in every scene.",
        f"service_mesh_loadbalance_uplift = [{num(lo)}, {num(hi)}]",
        "",
        "# Blended time slice: A = static * A_static + dynamic * A_dynamic (the two sum to 1).",
        "[time_blend]",
        f"static = {num(tb['static'])}",
        f"dynamic = {num(tb['dynamic'])}",
        "",
        "# Risk = sigmoid(static_drop * (1 - min A_static) + dynamic_jitter * max_i std(A_dynamic[i,:])",
        "#               + ai_uncertainty * (1 - min diag Theta)).",
        "[risk_lambda]",
        f"static_drop = {num(rl['static_drop'])}",
        f"dynamic_jitter = {num(rl['dynamic_jitter'])}",
        f"ai_uncertainty = {num(rl['ai_uncertainty'])}",
        "",
        "# Adaptation of concept i from scene j to scene k:",
        "# alpha_maturity * min(Amat[i,j], Amat[i,k]) + beta_compatibility * min(Acomp[i,j], Acomp[i,k]).",
        "[scene_adaptation]",
        f"alpha_maturity = {num(sa['alpha_maturity'])}",
        f"beta_compatibility = {num(sa['beta_compatibility'])}",
    ]


# ----------------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_INPUT
    with open(src, encoding="utf-8") as f:
        d = json.load(f)
    assert d["concepts"] == CONCEPTS, d["concepts"]
    assert d["scenes"] == SCENES, d["scenes"]
    assert list(d["chain_maturity"].keys()) == CHAINS, list(d["chain_maturity"].keys())
    assert d["attribute_maturity_k8s_example"] == d["chain_maturity"]["k8s"], \
        "attribute_maturity_k8s_example no longer equals chain_maturity.k8s; attributes.toml must carry it"

    data = REPO / "data"
    dyn_rows = d["k8s_dynamic_example_rows_I_C_Q"]
    for tid in CHAINS:
        dynamic = dict(zip(["I", "C", "Q"], dyn_rows)) if tid == "k8s" else None
        write(data / "technologies" / f"{tid}.toml", technology(tid, d["chain_maturity"][tid], dynamic))
    write(data / "tables" / "relations.toml", relations(d))
    write(data / "tables" / "attributes.toml", attributes(d))
    write(data / "tables" / "transitions.toml", transitions(d))
    write(data / "tables" / "operations.toml", operations(d))
    write(data / "tables" / "theta.toml", theta(d))
    write(data / "tables" / "parameters.toml", parameters(d))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
