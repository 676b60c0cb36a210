"""A closed browser tab releases its session: its training job is stopped at once and, after a
short reconnect window (1 s here instead of Streamlit's 120 s), the session itself is shut down
(``dashboard.components.training.reap_closed_sessions``, which reads Streamlit internals and
says so loudly when they change). The events come from the server (BIASLAB_DEBUG_COUNTERS)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.servers import streamlit_server


def _events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_closed_tab_stops_its_job_and_its_session_is_shut_down(browser, tmp_path):
    counters = tmp_path / "events.jsonl"
    env = {**os.environ, "BIASLAB_DEBUG_COUNTERS": str(counters),
           "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": "1",
           "BIASLAB_SESSION_REAP_SECONDS": "3"}
    with streamlit_server(sys.executable, env, tmp_path / "server.log") as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        tab = context.new_page()
        tab.set_default_timeout(60_000)
        tab.goto(f"{url}/char_lm")
        expect(tab.get_by_role("heading", name="Character language model")).to_be_visible(
            timeout=60_000)
        tab.get_by_text("Census first names").click()
        box = tab.get_by_role("spinbutton", name="Training time (s)")
        box.fill("120")
        box.press("Tab")
        tab.get_by_role("button", name="Use these settings").click()
        tab.get_by_role("button", name="Train", exact=True).click()
        stop = tab.get_by_test_id("stMainBlockContainer").get_by_role("button", name="Stop")
        expect(stop).to_be_enabled(timeout=60_000)  # the job is queued or training
        context.close()  # the tab is gone; the job would train for two more minutes

        deadline = time.time() + 60
        while time.time() < deadline:
            kinds = {e["kind"]: e["key"] for e in _events(counters)}
            if "session_reaper_failed" in kinds or "sessions_shut_down" in kinds:
                break
            time.sleep(0.5)
        events = _events(counters)
    kinds = {e["kind"]: e["key"] for e in events}
    assert "session_reaper_failed" not in kinds, kinds["session_reaper_failed"]
    assert kinds.get("jobs_stopped") == "1", events
    assert int(kinds.get("sessions_shut_down", "0")) >= 1, events
