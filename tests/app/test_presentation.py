"""Presentation mode (``?present=1``) on every page: no exception, the sidebar hidden, an exit,
explanations folded into expanders (nothing loose beyond a short lead), sections as tabs."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components.lesson import load_lesson
from dashboard.navigation import SECTIONS
from tests.app.conftest import APP

LEAD = 200  # characters: a loose text longer than this is an explanation, not a lead
PAGES = [file for entries in SECTIONS.values() for file, _, _ in entries]
SCREENS = {"distances.py": 2, "neighbours.py": 2, "map.py": 2, "benchmarks.py": 2,
           "bias_direction.py": 4, "weat.py": 2, "char_lm.py": 3, "sentiment_shift.py": 4,
           "word_lm.py": 4, "rnn_from_scratch.py": 6}


def _loose_texts(node, folded: bool = False) -> list[str]:
    """Markdown and alert bodies of the main area that are not inside an expander."""
    folded = folded or getattr(node, "type", None) == "expander"
    children = getattr(node, "children", None)
    if children:
        return [t for child in children.values() for t in _loose_texts(child, folded)]
    if folded or getattr(node, "type", None) not in ("markdown", "alert"):
        return []
    text = str(getattr(node, "value", "") or getattr(node, "body", "")).lstrip()
    # our CSS, and generated text (a model's samples are drawn as quotes) are not explanations
    return [] if text.startswith(("<style>", "> ")) else [text]


def _open(page: str, present: bool = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if present:
        at.query_params["present"] = "1"
    at.run()
    at.switch_page(f"views/{page}")  # a page change clears the link: the session keeps the mode
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_presents_with_folded_explanations(page):
    at = _open(page)
    assert at.query_params.get("present") == "1"
    assert any("stSidebar" in m.value and "display: none" in m.value for m in at.markdown)
    assert at.button(key="present_exit").label == "Leave presentation mode"
    assert not [k for k in at.sidebar.toggle if k.key == "present_toggle"]
    long = [t[:80] for t in _loose_texts(at.main) if len(t) > LEAD]
    if page.startswith("lesson_"):  # a lesson's first screen of text alone is its content
        first = load_lesson(page.removeprefix("lesson_").removesuffix(".py")
                            .replace("_", "-")).body[0]
        if not first.widgets:
            long = [t for t in long if t not in first.text]
    assert not long, long
    if page in SCREENS:  # one section per screen
        assert len(at.tabs) >= SCREENS[page]


def test_the_same_pages_show_their_explanations_when_not_presenting():
    # the check above can fail: outside the mode the explanations are loose text
    for page in ("weat.py", "debias_audit.py", "rnn_from_scratch.py", "lesson_debiasing.py"):
        at = _open(page, present=False)
        assert [t for t in _loose_texts(at.main) if len(t) > LEAD], page
        assert not at.tabs or page == "rnn_from_scratch.py"


def test_exit_and_toggle_change_the_link():
    at = _open("weat.py")
    at.button(key="present_exit").click()
    at.run()
    assert not at.exception
    assert "present" not in at.query_params
    assert [t for t in _loose_texts(at.main) if len(t) > LEAD]  # explanations open again
    at.switch_page("views/map.py")  # and the mode stays off on the next page
    at.run()
    assert "present" not in at.query_params
    at.sidebar.toggle(key="present_toggle").set_value(True)
    at.run()
    assert not at.exception
    assert at.query_params.get("present") == "1" and at.button(key="present_exit")


def test_a_lesson_moves_screen_by_screen_to_its_questions():
    at = _open("lesson_measuring_bias.py")
    headings = [at.subheader[-1].value]
    while not at.button(key="lesson_step_measuring-bias_next").disabled:
        at.button(key="lesson_step_measuring-bias_next").click()
        at.run()
        assert not at.exception, at.exception
        headings.append(at.subheader[-1].value)
        assert not [t for t in _loose_texts(at.main) if len(t) > LEAD]
    assert headings[:3] == ["Step 1: one direction from many pairs",
                            "Step 2: how far neutral words lean",
                            "Step 3: a statistical test, WEAT"]
    assert headings[3:] == [f"Discussion question {i} of 4" for i in range(1, 5)]
    assert any(m.value.startswith("### ") and "WEAT 7" in m.value for m in at.markdown)
