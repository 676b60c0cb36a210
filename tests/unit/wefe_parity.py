"""WEFE 1.0.1's numbers on the default embedding (tests/data/wefe_reference.json, written by
``bench/wefe_metrics.py --write-reference`` and ``bench/wefe_debias.py --write-reference`` in
WEFE's own venv) and the comparison the parity tests make, without WEFE installed."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "wefe_reference.json"
TOLERANCE = 1e-5


def load_reference() -> dict:
    """The reference file as written by the benches."""
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def _differs(expected: float | None, actual: float | None, tol: float) -> bool:
    missing = (expected is None, actual is None or math.isnan(actual))
    if any(missing):
        return missing[0] != missing[1]  # WEFE's NaN is stored as null
    return abs(expected - actual) > tol


def metric_mismatches(runs: list[dict], ours: Mapping[tuple, Mapping[str, float | None]],
                      tol: float = TOLERANCE) -> list[str]:
    """``metric / query / seed: field WEFE vs ours`` for every number further apart than
    ``tol`` (runs on which WEFE failed are not compared)."""
    out = []
    for run in runs:
        if "error" in run:
            continue
        mine = ours[(run["metric"], run["query"], run["seed"])]
        for field in ("value", "effect_size"):
            if field in run and _differs(run[field], mine[field], tol):
                out.append(f"{run['metric']} / {run['query']} / seed {run['seed']}: {field} "
                           f"WEFE {run[field]} vs ours {mine[field]}")
    return out


def row_mismatches(reference_rows: Mapping[str, list[float]],
                   ours: Mapping[str, list[float]], tol: float = TOLERANCE) -> list[str]:
    """``word: largest difference`` for every sampled row further apart than ``tol``."""
    out = []
    for word, row in reference_rows.items():
        gap = max(abs(a - b) for a, b in zip(row, ours[word], strict=True))
        if gap > tol:
            out.append(f"{word}: {gap:.2e}")
    return out
