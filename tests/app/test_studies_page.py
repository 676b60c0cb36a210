"""The Studies page: opens the shipped example and a study of the server's folder, read-only."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.app.conftest import open_page

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "studies" / "example"


def _files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns
            for p in folder.rglob("*") if p.is_file()}


def test_the_example_study_opens_with_its_forest_plot_and_tables(monkeypatch):
    monkeypatch.delenv("BIASLAB_STUDIES_DIR", raising=False)
    before = _files(EXAMPLE)
    at = open_page("studies.py")
    assert not at.exception, at.exception
    assert at.selectbox(key="study_choice").value.startswith("example")
    assert "tasks done" in at.get("progress")[0].proto.text
    assert len(at.get("plotly_chart")) == 1
    shifts = at.dataframe[0].value
    assert {"embedding", "method", "model", "group", "shift", "ci_low", "ci_high",
            "q_value", "seeds_needed"} <= set(shifts.columns)
    assert set(shifts["method"]) == {"hard", "inlp", "hsr"}
    assert set(shifts["embedding"]) == {"w2v", "glove"}
    assert at.radio(key="study_model").value == "sentiment"
    at.radio(key="study_model").set_value("lm").run()
    assert not at.exception
    at.number_input(key="study_width").set_value(0.01).run()
    planned = at.dataframe[0].value
    assert not at.exception and not planned["seeds_needed"].equals(shifts["seeds_needed"])
    at.button(key="study_reload").click().run()
    assert not at.exception
    assert _files(EXAMPLE) == before  # opening a study never writes to it


def test_a_running_study_in_the_server_folder_shows_its_progress(monkeypatch, tmp_path):
    running = tmp_path / "half-done"
    shutil.copytree(EXAMPLE, running, ignore=shutil.ignore_patterns("inputs"))
    records = sorted((running / "records").glob("*.json"))
    for path in records[: len(records) // 2]:
        path.unlink()
    monkeypatch.setenv("BIASLAB_STUDIES_DIR", str(tmp_path))
    at = open_page("studies.py")
    choice = at.selectbox(key="study_choice")
    assert "half-done" in choice.options
    choice.set_value("half-done").run()
    assert not at.exception, at.exception
    text = at.get("progress")[0].proto.text
    assert f"{len(records) - len(records) // 2} of {len(records)} tasks done" in text
