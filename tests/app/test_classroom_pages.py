"""Classroom behaviour through AppTest: shared results and the class models."""

from __future__ import annotations

import json
import time

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components.links import GONE
from dashboard.components.shared_results import stores
from tests.app.conftest import APP, open_page
from tests.app.test_word_model_pages import probe_summary


def test_two_sessions_debiasing_with_the_same_settings_share_one_read_only_result():
    stores()["heavy"].clear()
    first, second = open_page("debias_audit.py"), open_page("debias_audit.py")
    builds = stores()["heavy"].builds
    for at in (first, second):
        at.button[0].click().run()  # "Debias and audit" with the defaults
        assert not at.exception
    one, two = first.session_state["debias_result"], second.session_state["debias_result"]
    assert one is two and stores()["heavy"].builds == builds + 1
    assert not one["report"].after.vectors.flags.writeable
    assert any("every session on this server" in s.value for s in second.success)


@pytest.mark.slow
def test_a_new_session_probes_the_class_models_without_training():
    at = open_page("sentiment_shift.py", timeout=120)
    deadline = time.time() + 180  # the class models train once (tiny budget in tests)
    while not (tables := [d.value for d in at.dataframe if "gap" in d.value.columns]):
        assert not at.exception and time.time() < deadline
        time.sleep(1)
        at.run()
    assert "sentiment_job" not in at.session_state  # nothing trained in this session
    models = set(tables[0]["model"])
    assert models == {"class RNN · original", "class RNN · hard debias"}
    assert tables[0]["gap"].notna().all()


def _class_lm_shown(at, deadline: float) -> None:
    """Rerun until the page shows the word-LM class model (trained once, tiny budget in tests)."""
    while not any(c.value.startswith("The class model") for c in at.caption):
        assert not at.exception and time.time() < deadline
        time.sleep(1)
        at.run()


@pytest.mark.slow
def test_word_lm_class_models_are_trained_once_shared_and_joined_by_your_own(
        tmp_path, monkeypatch):
    counters = tmp_path / "builds.jsonl"
    monkeypatch.setenv("BIASLAB_DEBUG_COUNTERS", str(counters))
    monkeypatch.setenv("RNNCORE_CLASS_HOME", str(tmp_path / "class"))  # nothing prepared yet
    stores()["light"].clear()
    first, second = open_page("word_lm.py", timeout=120), open_page("word_lm.py", timeout=120)
    deadline = time.time() + 180
    for at in (first, second):
        _class_lm_shown(at, deadline)
        assert "word_lm_job" not in at.session_state  # nothing trained in these sessions
        assert any(m.value.startswith("> **the film is**") for m in at.markdown)  # generated
        probe = probe_summary(at)
        assert set(probe["model"]) == {"class LM · original", "class LM · hard debias"}
        assert probe["Pearson r"].notna().all()
        assert at.query_params["wlm_model"] in ("class", ["class"])
    builds = [json.loads(line) for line in counters.read_text().splitlines()]
    trained = sorted(b["key"] for b in builds if b["kind"] == "class_model_trained"
                     and b["key"].startswith("wordlm"))  # (other tests' jobs may run too)
    loaded = [b["key"] for b in builds if b["kind"] == "class_model" and "wordlm" in b["key"]]
    assert trained == ["wordlm-hard", "wordlm-original"] and len(loaded) == 2  # once, not per
    # session. A reload (a new session) of a URL written with a model of its own: it is gone
    reloaded = AppTest.from_file(APP, default_timeout=120)
    reloaded.query_params.update({**second.query_params, "wlm_model": "own"})
    reloaded.switch_page("views/word_lm.py")
    reloaded.run()
    assert not reloaded.exception
    gone = [i.value for i in reloaded.info if "is gone" in i.value]
    assert gone == [GONE.format(what="model trained", instead=(
        "showing the class model instead (train your own above to replace it)"))]
    _class_lm_shown(reloaded, time.time() + 30)  # no wait: already loaded
    assert reloaded.query_params["wlm_model"] in ("class", ["class"])
    assert [b for b in map(json.loads, counters.read_text().splitlines())
            if "wordlm" in b["key"]] == [b for b in builds if "wordlm" in b["key"]]  # no rebuild
    # training one's own model: it joins the class models in the probe, the sentence goes
    for key, value in {"wlm_seconds": 1, "wlm_epochs": 1, "wlm_hidden": 16}.items():
        reloaded.number_input(key=key).set_value(value)
    reloaded.button(key="wlm_apply").click().run()
    next(b for b in reloaded.button if b.label == "Train").click().run()
    while not (job := reloaded.session_state["word_lm_job"]).done:
        assert time.time() < deadline + 120
        time.sleep(1)
    reloaded.run()
    assert not reloaded.exception and job.error is None
    assert set(probe_summary(reloaded)["model"]) == {
        "your model", "class LM · original", "class LM · hard debias"}
    reloaded.selectbox(key="wlm_plot_model").set_value("class LM · hard debias").run()
    assert not reloaded.exception and not any("is gone" in i.value for i in reloaded.info)
    assert reloaded.query_params["wlm_model"] in ("own", ["own"])
