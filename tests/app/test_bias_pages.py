"""The Bias pages through AppTest, and the loaded embedding shared by two sessions left intact."""

import hashlib

import numpy as np

from dashboard.components.embedding_picker import _shared_builtin
from rnncore.embeddings import load_builtin
from tests.app.conftest import open_page

SUBMIT = "FormSubmitter:debias-Debias and audit"


def _digest(embedding) -> str:
    return hashlib.sha256(np.ascontiguousarray(embedding.vectors).tobytes()).hexdigest()


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label))


def test_bias_direction_page_shows_pca_projections_and_oov_pairs():
    at = open_page("bias_direction.py")
    assert at.title[0].value == "Bias direction & projections"
    assert _metric(at, "DirectBias") == "0.0731"
    assert "60.5%" in at.success[0].value
    at.text_area(key="bias_pairs_in_text").set_value(
        "female: she, woman, zzqxw\nmale: he, man, boy").run()
    assert not at.exception
    assert any("zzqxw–boy" in w.value for w in at.warning)
    assert at.session_state["bias_pairs"] == [("she", "he"), ("woman", "man")]
    at.text_area(key="bias_pairs_in_text").set_value("female: she, woman\nmale: he").run()
    assert any("same length" in e.value for e in at.error)


def test_weat_page_runs_named_and_all_tests():
    at = open_page("weat.py")
    assert float(_metric(at, "Effect size")) > 1  # flowers/insects
    at.selectbox(key="weat_test").set_value("weat7").run()
    assert not at.exception
    assert any("exact: every one of the 12,870 splits" in c.value for c in at.caption)
    at.button(key="weat_all").click().run()
    assert len(at.dataframe[-1].value) == 10
    at.text_area(key="weat_sets_weat7_text").set_value("X: math\nY: art\nA: he").run()
    assert any("exactly four sets" in e.value for e in at.error)


def test_debias_in_one_session_leaves_the_loaded_embedding_bit_identical():
    first, second = open_page("debias_audit.py"), open_page("bias_direction.py")
    shared = _shared_builtin("w2v-news-31k")  # the object every session is handed
    on_disk = _digest(load_builtin("w2v-news-31k"))
    assert _digest(shared) == on_disk
    first.multiselect(key="audit_bench").set_value([])
    first.button(key=SUBMIT).click().run(timeout=180)
    assert not first.exception and not first.error
    table = first.dataframe[0].value.set_index("metric")
    assert table.loc["DirectBias (c = 1)", "before"] > 0.07
    assert table.loc["DirectBias (c = 1)", "after"] <= 1e-6
    assert table.loc["classifier accuracy (5-fold CV)", "after"] > 0.9
    second.run()
    assert _metric(second, "DirectBias") == "0.0731"  # the other session still sees the original
    second.switch_page("views/debias_audit.py").run()
    assert "debias_result" not in second.session_state
    assert any("Debias and audit" in i.value for i in second.info)
    first.run()
    assert _digest(shared) == on_disk and _digest(_shared_builtin("w2v-news-31k")) == on_disk


def test_inlp_on_the_page_shows_its_accuracy_curve():
    at = open_page("debias_audit.py")
    assert not [s for s in at.slider if s.key == "inlp_iterations"]  # INLP options with INLP only
    at.radio(key="debias_method").set_value("inlp").run()
    at.slider(key="inlp_iterations").set_value(5)
    at.select_slider(key="inlp_words").set_value(500)
    at.multiselect(key="audit_weat").set_value([])
    at.multiselect(key="audit_bench").set_value([])
    at.button(key=SUBMIT).click().run(timeout=180)
    assert not at.exception and not at.error
    assert "inlp" in at.success[0].value
    assert len(at.session_state["debias_result"]["accuracies"]) == 5
