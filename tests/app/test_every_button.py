"""Every page, every button and form submit, pressed with the default inputs: no exception.

Training pages first get the smallest budgets their widgets allow (set by key, or by label for
the few widgets without a key); everything else keeps its default. Buttons revealed by a press
(a trained model's picker, a finished job's panel) are pressed too, until none is left.
"""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import SECTIONS
from rnncore.train import Job
from tests.app.conftest import open_page

# page file -> {widget key or label: value}: tiny training budgets, nothing else changed
SMALL: dict[str, dict[str, object]] = {
    "char_lm.py": {"charlm_seconds": 1, "charlm_members": 1, "charlm_hidden": 32,
                   "charlm_embed": 8, "charlm_layers": 1, "charlm_seq": 16, "charlm_batch": 8,
                   "gen_len": 40},
    "rnn_from_scratch.py": {"Steps": 100, "Hidden units": 2,
                            "sweep_words": ["abcabcabcabcabc"], "sweep_hidden": [1]},
    "sentiment_shift.py": {"sent_seconds": 1, "sent_epochs": 1, "sent_hidden": 8,
                           "sent_members": 1, "shift_seeds": 1, "shift_seconds": 1,
                           "shift_rows": 500},
    "word_lm.py": {"wlm_seconds": 1, "wlm_epochs": 1, "wlm_hidden": 16, "wlm_n": 1},
    "debias_audit.py": {"audit_bench": []},  # the benchmarks have their own page below
    "lesson_char_lm.py": {"lw_names_seconds": 1},
    "lesson_bias_reaches_model.py": {"lw_shift_seconds": 1, "lw_shift_lm": False},
}
PAGES = [file for entries in SECTIONS.values() for file, _, _ in entries]
MAX_PRESSES = 40


def _set_small(at: AppTest, settings: dict[str, object], found: set[str]) -> None:
    """Set the widgets of ``settings`` that are on the page now; note which were found."""
    widgets = [w for kind in ("number_input", "multiselect", "slider", "text_input", "checkbox")
               for w in getattr(at, kind)]
    for name, value in settings.items():
        for widget in (w for w in widgets if name in (w.key, w.label)):
            widget.set_value(value)
            found.add(name)


def _wait_for_jobs(at: AppTest, timeout: float = 180) -> None:
    """Rerun until no background job in the session is still running."""
    deadline = time.time() + timeout
    while True:
        jobs = [v for v in at.session_state.values() if isinstance(v, Job)]
        if all(job.done for job in jobs):
            at.run()
            for job in jobs:
                assert job.error is None, job.error
            return
        assert time.time() < deadline, "a background job did not finish"
        time.sleep(0.5)


def _label(button) -> str:
    return f"{button.label!r} ({button.key or button.id})"


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_every_button_on_the_page_runs_without_an_exception(page: str) -> None:
    at = open_page(page, timeout=180)
    assert not at.exception, at.exception
    settings = SMALL.get(page, {})
    pressed: list[str] = []
    found: set[str] = set()
    for _ in range(MAX_PRESSES):
        _set_small(at, settings, found)
        todo = [b for b in at.button
                if not b.disabled and (b.key or b.id) not in pressed and b.label != "Stop"]
        if not todo:
            break
        button = todo[0]
        pressed.append(button.key or button.id)
        button.click().run()
        assert not at.exception, f"{page}: {_label(button)} raised {at.exception}"
        _wait_for_jobs(at)
        assert not at.exception, f"{page}: after {_label(button)}: {at.exception}"
    else:
        pytest.fail(f"{page}: more than {MAX_PRESSES} buttons: {pressed}")
    assert found == set(settings), f"{page}: never saw {set(settings) - found}"
