"""Page inputs in the URL: a link reopens the same analysis; bad or gone values say so."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard.components.links import GONE
from tests.app.conftest import APP


def _open(params: dict[str, str | list[str]], page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.switch_page(f"views/{page}")
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_link_reopens_the_analogy_and_a_change_is_written_back():
    at = _open({"analogy_preset": "man : doctor :: woman : ?", "analogy_method": "mul",
                "analogy_a": "Paris", "analogy_topn": "5", "neigh_topn": "999",
                "neigh_text": "nurse, surgeon", "embedding": "glove-6b-50d"},
               "neighbours.py")
    assert at.selectbox(key="analogy_preset").value == "man : doctor :: woman : ?"
    assert at.radio(key="analogy_method").value == "mul"
    assert at.text_input(key="analogy_a_man : doctor :: woman : ?").value == "Paris"
    assert at.slider(key="analogy_topn").value == 5
    assert at.slider(key="neigh_topn").value == 10  # 999 is out of bounds: the default stays
    assert at.text_area(key="neigh_text").value == "nurse, surgeon"
    assert at.session_state["embedding_active"] == "glove-6b-50d"
    at.slider(key="neigh_topn").set_value(7).run()
    assert at.query_params["neigh_topn"] in ("7", ["7"])
    assert at.query_params["analogy_method"] in ("mul", ["mul"])
    assert at.query_params["embedding"] in ("glove-6b-50d", ["glove-6b-50d"])


def test_a_link_to_an_upload_says_it_is_gone_and_lists_travel_as_repeated_params():
    at = _open({"embedding": "upload", "bench_keys": ["simlex", "ws353"],
                "bench_method": "nonsense"}, "benchmarks.py")
    assert any("lived only in the session that uploaded it" in e.value for e in at.sidebar.error)
    assert at.session_state["embedding_active"] == "w2v-news-31k"
    assert at.multiselect(key="bench_keys").value == ["simlex", "ws353"]
    assert at.radio(key="bench_method").value == "add"  # an unknown method is ignored


def test_a_link_to_a_model_trained_in_its_own_session_says_it_is_gone():
    for page, param, what, instead in (
            ("char_lm.py", "charlm_model", "model trained or loaded",
             "showing the class model instead (train your own above to replace it)"),
            ("sentiment_shift.py", "sent_model", "sentiment RNN trained",
             "the probes show the class models instead (train your own above to add it)")):
        at = _open({param: "own"}, page)
        gone = [i.value for i in at.info if "is gone" in i.value]
        assert gone == [GONE.format(what=what, instead=instead)], page
        assert at.query_params[param] in ("class", ["class"])  # what the page shows now
        at.run()
        assert [i.value for i in at.info if "is gone" in i.value] == gone  # stays said
    assert not any("is gone" in i.value for i in _open({param: "class"}, page).info)
