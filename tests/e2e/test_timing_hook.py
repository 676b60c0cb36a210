"""The server-side timing hook (BIASLAB_TIMING) on a real `streamlit run` with a browser: one
line per script run, telling a page open, a widget change and a fragment rerun apart (by widget
key and fragment function), with the bytes sent. Fails if Streamlit changed what it hooks."""

from __future__ import annotations

import json
import time
from pathlib import Path

from bench.classroom import start_server

APP = "tests/e2e/apps/timing_app.py"


def _records(path: Path, count: int, timeout: float = 60) -> list[dict]:
    """The file's records once it holds ``count`` (the server writes after each run)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) >= count:
            return [json.loads(line) for line in lines]
        time.sleep(0.1)
    raise AssertionError(f"{path} holds {len(lines)} records, expected {count}: {lines}")


def test_hook_tells_page_open_widget_and_fragment_runs_apart(browser, tmp_path):
    log = tmp_path / "timing.jsonl"
    proc, url = start_server({"BIASLAB_TIMING": str(log)}, tmp_path / "server.log", app=APP)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(url)
        page.get_by_text("inside is 3").wait_for()
        opened = _records(log, 1)[0]

        page.get_by_label("Outside").fill("4")
        page.get_by_label("Outside").press("Enter")
        page.get_by_text("outside is 4").wait_for()
        widget = _records(log, 2)[1]

        page.get_by_role("slider").focus()
        page.keyboard.press("ArrowRight")
        page.get_by_text("inside is 4").wait_for()
        slider = _records(log, 3)[2]

        page.get_by_role("button", name="Press").click()
        pressed = _records(log, 4)[3]

        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Second").click()
        page.get_by_text("the second page").wait_for()
        second = _records(log, 5)[4]
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=30)

    assert (opened["trigger"], opened["partial"]) == ("page_open", True)  # installed in it
    assert (widget["trigger"], widget["widgets"], widget["fragments"]) == \
        ("widget", ["outside"], [])
    assert (slider["trigger"], slider["widgets"], slider["fragments"]) == \
        ("fragment", ["inside"], ["inside_part"])
    assert (pressed["trigger"], pressed["widgets"], pressed["fragments"]) == \
        ("fragment", ["press"], ["inside_part"])
    assert (second["trigger"], second["page"]) == ("page_open", "second")
    assert {r["page"] for r in (widget, slider, pressed)} == {opened["page"]}
    assert len({r["session"] for r in (opened, widget, slider, pressed, second)}) == 1
    assert all(r["bytes"] > 0 and r["messages"] > 0 and not r["partial"]
               for r in (widget, slider, pressed, second))
    assert widget["messages"] > slider["messages"]  # the fragment sends only its own elements
    assert all(r["end"].endswith("_with_success") for r in (widget, slider, pressed, second))
