"""What the class sees by default is computed once per server, whichever page asks for it."""

from __future__ import annotations

import json

from dashboard.components.shared_results import stores
from tests.app.conftest import open_page


def _builds(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_lesson_4_and_the_debias_page_share_one_default_debias_and_audit(tmp_path, monkeypatch):
    counters = tmp_path / "builds.jsonl"
    monkeypatch.setenv("BIASLAB_DEBUG_COUNTERS", str(counters))
    lesson = open_page("lesson_debiasing.py")
    lesson.button(key="lw_debias_go").click().run()
    assert not lesson.exception
    page = open_page("debias_audit.py")
    page.button[0].click().run()  # "Debias and audit" with the page's defaults
    assert not page.exception
    shown = lesson.session_state["lw_debias_result"][1]
    assert shown is page.session_state["debias_result"]  # one object for both
    assert not shown["report"].after.vectors.flags.writeable
    assert [b["kind"] for b in _builds(counters)].count("debias_audit") <= 1  # 0: an earlier
    # test of this process built it already (the store is not cleared, to save the suite time)
    assert shown["figures"]["clusters"] is not None  # the pictures were built with it, once


def test_two_sessions_opening_distances_build_its_charts_once(tmp_path, monkeypatch):
    counters = tmp_path / "builds.jsonl"
    monkeypatch.setenv("BIASLAB_DEBUG_COUNTERS", str(counters))
    stores()["light"].clear()
    first, second = open_page("distances.py"), open_page("distances.py")
    figures = [b["kind"] for b in _builds(counters) if b["kind"].startswith("figure:")]
    assert sorted(figures) == ["figure:distance_heatmap", "figure:distances"]
    assert first.get("plotly_chart")[1].proto.spec == second.get("plotly_chart")[1].proto.spec
    runs = [b["key"] for b in _builds(counters) if b["kind"] == "run"]
    assert runs.count("distances_matrix") == runs.count("distances_pairs") == 2
