"""Classroom behaviour through AppTest: shared results and the class models."""

from __future__ import annotations

import time

import pytest

from dashboard.components.shared_results import stores
from tests.app.conftest import open_page


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
