"""Every metric (WEAT, RND, RNSB, MAC, ECT, RIPA) on every WEAT query with WEFE's lists agrees
with WEFE 1.0.1 at 1e-5 on the default embedding: WEFE's numbers are read from the committed
reference (no WEFE needed), and a change of 1e-4 in any of them is caught."""

from __future__ import annotations

import copy

import pytest

from rnncore.bias import wordsets
from rnncore.bias.scores import METRICS, fitting_queries, score, weat_query
from tests.unit.wefe_parity import TOLERANCE, load_reference, metric_mismatches


@pytest.fixture(scope="module")
def reference(w2v) -> dict:
    section = load_reference()["metrics (wefe lists)"]
    assert section["embedding"] == {"name": w2v.name, "sha256": w2v.sha256}
    return section


@pytest.fixture(scope="module")
def ours(w2v) -> dict:
    out = {}
    for key, test in wordsets.weat_tests("wefe").items():
        for metric in METRICS:
            for sub in fitting_queries(weat_query(test), metric, prefix=f"{key}: "):
                result = score(w2v, sub, metric, seed=0)[0]
                out[(metric, sub.name, 0)] = {
                    "value": result.value,
                    "effect_size": result.details.get("effect_size_ddof0")}
    return out


def _seed0(reference: dict) -> list[dict]:
    return [run for run in reference["runs"] if run["seed"] == 0]


def test_every_metric_on_every_weat_query_agrees_with_wefe(reference, ours):
    runs = _seed0(reference)
    assert {(r["metric"], r["query"], r["seed"]) for r in runs} == set(ours)
    assert {r["metric"] for r in runs if "error" not in r} == set(METRICS)
    compared = [r for r in runs if "error" not in r]
    assert len(compared) >= len(runs) - 2  # WEFE's own failures are few (RIPA on WEAT 2)
    assert metric_mismatches(runs, ours) == []


def test_a_change_of_1e_4_in_any_reference_number_is_caught(reference, ours):
    runs = copy.deepcopy(_seed0(reference))
    changed = 0
    for metric in METRICS:  # one number of every metric, off by 1e-4
        run = next(r for r in runs if r["metric"] == metric and r.get("value") is not None)
        run["value"] += 10 * TOLERANCE
        changed += 1
    weat = next(r for r in runs if r["metric"] == "weat" and r.get("effect_size") is not None)
    weat["effect_size"] -= 10 * TOLERANCE
    assert len(metric_mismatches(runs, ours)) == changed + 1
