"""What a teacher's walk through the lessons asked for: Home says whether the class models are
prepared (with a button and the command), and charts name the labels they had to leave out."""

from __future__ import annotations

import plotly.express as px

from dashboard.components import style
from tests.app.conftest import open_page


def test_home_says_which_class_models_are_missing_and_how_to_prepare_them(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setenv("RNNCORE_CLASS_HOME", str(tmp_path))  # nothing prepared here
    at = open_page()
    warning = next(w.value for w in at.warning if "class models are prepared" in w.value)
    assert warning.startswith("0 of 6 class models") and "python -m rnncore prepare-class" \
        in warning
    assert at.button(key="class_prepare").label == "Prepare the class models now"


def test_a_crowded_scatter_names_the_dots_it_left_unlabelled():
    words = [f"word{i}" for i in range(12)]
    crowded = px.scatter(x=[0.0] * 11 + [5.0], y=[0.0] * 11 + [5.0], text=words,
                         hover_name=words)
    style.label_points(crowded)
    hidden = style.hidden_labels(crowded)
    assert 0 < len(hidden) < 11 and "word11" not in hidden  # the lone dot keeps its label
    assert all(w in style.hidden_note(crowded) for w in hidden)
    sparse = px.scatter(x=[0.0, 5.0], y=[0.0, 5.0], text=words[:2], hover_name=words[:2])
    assert style.hidden_note(style.label_points(sparse)) is None


def test_home_shows_a_started_preparation_without_queueing_the_other_models(tmp_path,
                                                                          monkeypatch):
    from dashboard.components.class_models import _preparations

    monkeypatch.setenv("RNNCORE_CLASS_HOME", str(tmp_path))  # nothing prepared here
    open_page("char_lm.py")  # the page queues its own class model (Hamlet) only
    jobs = _preparations()[1]
    jobs["charlm-hamlet"].wait()
    before = set(jobs)
    home = open_page()  # a student opening Home while it was preparing
    assert set(jobs) == before  # nothing more queued (it used to queue all six)
    assert not any(n in jobs and not jobs[n].done for n in ("wordlm-original", "sentiment-hard"))
    assert home.button(key="class_prepare").label == "Prepare the class models now"
