"""Browser flow: a widget change inside a part of a page reruns only that part."""

from __future__ import annotations

import json
import time

from playwright.sync_api import expect


def _runs(path) -> list[str]:
    lines = path.read_text().splitlines() if path.exists() else []
    return [r["key"] for r in map(json.loads, lines) if r["kind"] == "run"]


def test_changing_the_heatmap_words_reruns_only_the_heatmap(page, app_url, app_counters):
    page.goto(f"{app_url}/distances")
    expect(page.get_by_role("heading", name="Pairwise distances of one list")).to_be_visible()
    expect(page.locator(".js-plotly-plot").nth(1)).to_be_visible()  # the heatmap is drawn
    before = _runs(app_counters)
    words = page.get_by_role("textbox", name="Words")
    words.fill("woman, man, nurse, doctor")
    words.press("Control+Enter")
    deadline = time.time() + 60
    while _runs(app_counters).count("distances_matrix") == before.count("distances_matrix"):
        assert time.time() < deadline, "the heatmap part did not rerun"
        time.sleep(0.2)
    time.sleep(1.0)  # a full rerun, had there been one, would have been recorded by now
    after = _runs(app_counters)
    assert after.count("app") == before.count("app")  # no full run of the app
    assert after.count("distances_pairs") == before.count("distances_pairs")
    assert after.count("distances_matrix") == before.count("distances_matrix") + 1
