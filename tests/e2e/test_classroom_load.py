"""A small class on one server: 3 concurrent browser sessions follow the classroom path
(Distances -> Analogies -> WEAT -> Debias & audit -> sentiment probe on the class models ->
the word LM's class models and pronoun probe) and every shared object (embedding, debias + audit,
debiased vectors, class models and their probes) is built exactly once. The same driver, with 30
sessions and memory figures, is bench/classroom.py."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from bench.classroom import CHROMIUM, run_class, start_server
from tests.e2e.conftest import run_async_in_own_thread


@pytest.mark.slow
def test_three_students_share_every_result_and_see_no_exception(tmp_path):
    if not Path(CHROMIUM).exists():
        if os.environ.get("BIASLAB_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed")
    counters = tmp_path / "builds.jsonl"
    proc, url = start_server({"BIASLAB_DEBUG_COUNTERS": str(counters)}, tmp_path / "server.log")
    try:
        timings = run_async_in_own_thread(lambda: run_class(url, sessions=3, stagger=0.2))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert all(len(timings[a]) == 3 for a in ("distances", "analogies", "weat", "debias",
                                              "sentiment", "word_lm"))
    built = [b for b in map(json.loads, counters.read_text().splitlines())
             if b["kind"] not in ("sessions_shut_down", "jobs_stopped", "run")]  # (events, runs)
    per_object = Counter((b["kind"], b["key"]) for b in built)
    assert max(per_object.values()) == 1, per_object.most_common(3)  # nothing built twice
    kinds = Counter(b["kind"] for b in built)
    assert kinds["embedding"] == 1 and kinds["debias_audit"] == 1 and kinds["debiased"] == 1
    # two sentiment RNNs and two word LMs (original and hard-debiased vectors), a probe each,
    # computed or read from the results folder (another test's page may have stored it there:
    # rnncore.class_results); a sentiment RNN is loaded only to compute its probe
    computed = [b["key"] for b in built if b["kind"] == "class_probe"]
    assert len(computed) + kinds["class_probe_loaded"] == 4
    assert kinds["class_model"] == 2 + sum('"sentiment-' in key for key in computed)
    assert len({b["pid"] for b in built}) == 1
