"""Neighbours & analogies, Map and Benchmarks through AppTest, with real uploads of word lists."""

from __future__ import annotations

import pytest
import streamlit as st

from tests.app.conftest import open_page


def _main_uploader(at, index: int = 0):
    return at.main.get("file_uploader")[index]


def _texts(elements) -> str:
    return " ".join(e.value for e in elements)


def test_analogy_shows_both_rankings_and_the_excluded_input():
    at = open_page("neighbours.py")
    assert not at.exception
    excluded, allowed = at.dataframe[0].value, at.dataframe[1].value
    assert excluded["word"].iloc[0] == "queen"
    assert allowed["word"].iloc[0] == "king"
    assert "king" in _texts(at.warning) and "excluded" in _texts(at.warning)
    at.selectbox(key="analogy_preset").select_index(1)  # man : programmer :: woman
    at.run()
    assert not at.exception
    assert at.dataframe[0].value["word"].iloc[0] != "programmer"
    assert at.dataframe[1].value["word"].iloc[0] == "programmer"


def test_analogy_with_an_unknown_word_is_a_message():
    at = open_page("neighbours.py")
    at.text_input(key="analogy_b_" + at.selectbox(key="analogy_preset").value).set_value("qzxqzx")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert "qzxqzx" in _texts(at.error)


def test_neighbours_from_an_uploaded_txt():
    at = open_page("neighbours.py")
    _main_uploader(at).set_value(("words.txt", b"nurse\nParis\nqzxqzx\n", "text/plain"))
    at.run()
    assert not at.exception
    assert "Flagged" in _texts(at.warning) and "33%" in _texts(at.warning)
    assert at.checkbox(key="neigh_accept").value is False  # 1 of 3 lost: flagged, nothing yet
    at.checkbox(key="neigh_accept").check()
    at.run()
    table = at.dataframe[-1].value
    assert set(table["word"]) == {"nurse", "Paris"}


def test_map_of_an_uploaded_csv_with_ragged_columns():
    at = open_page("map.py")
    assert not at.exception and at.get("plotly_chart")
    csv = b"female,male\nshe,he\nher,him\nqueen,king\nNew York,\n"
    _main_uploader(at).set_value(("groups.csv", csv, "text/csv"))
    at.run()
    assert not at.exception
    oov = at.dataframe[0].value.set_index("group")
    assert oov.loc["female", "variant"] == 1 and not oov["flagged"].any()
    assert "different lengths" in " ".join(c.value for c in at.caption)
    at.radio(key="map_method").set_value("axes")
    at.run()
    assert not at.exception and at.get("plotly_chart")


@pytest.mark.parametrize(("name", "payload", "says"), [
    ("empty.csv", b"", "empty"),
    ("none.txt", "qzxqzx\nzzqqxx\nжжжжщ\n".encode(), "None of these words"),
    ("ragged.csv", b"a,b\n\xff\xfe\x00\x00,x\n", "Could not"),
])
def test_map_refuses_unusable_lists_with_a_message(name, payload, says):
    at = open_page("map.py")
    _main_uploader(at).set_value((name, payload, "application/octet-stream"))
    at.run()
    assert not at.exception
    assert says in _texts(at.error)
    assert not at.get("plotly_chart")


def test_map_tsne_and_unicode_words():
    at = open_page("map.py")
    at.text_area(key="map_text").set_value("a: naïve, café, king, queen\nb: man, woman, she, he")
    at.radio(key="map_method").set_value("tsne")
    at.run()
    assert not at.exception
    # café is not in the vocabulary (only 'cafe'): group a loses 25% and is flagged first
    assert "'a' loses 25%" in _texts(at.warning) and not at.get("plotly_chart")
    at.checkbox(key="map_accept").check()
    at.run()
    assert not at.exception and at.get("plotly_chart")
    assert "naïve" in at.selectbox(key="map_neighbour_word").options


def test_benchmarks_run_once_and_are_kept_per_embedding():
    st.cache_resource.clear()  # forget runs stored by earlier tests in this process
    at = open_page("benchmarks.py")
    assert not at.exception and "Run benchmarks" in _texts(at.info)
    at.multiselect(key="bench_keys").set_value(["simlex", "ws353"])
    at.button[0].click()
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table["name"].tolist() == ["SimLex-999", "WordSim-353"]
    assert (table["coverage"] > 0.9).all()
    assert "Stored result" not in _texts(at.caption)
    again = open_page("benchmarks.py")  # another session gets the stored run
    again.multiselect(key="bench_keys").set_value(["simlex", "ws353"])
    again.button[0].click()
    again.run()
    assert again.dataframe[0].value["value"].tolist() == table["value"].tolist()
    assert "Stored result" in _texts(again.caption)


def test_own_analogy_questions_pasted_and_uploaded():
    at = open_page("benchmarks.py")
    at.text_area(key="own_analogies").set_value(
        ": royals\nman king woman queen\nman qzxqzx woman queen\nnot four words\n")
    at.run()
    assert not at.exception
    assert at.metric[0].value == "100.0%" and at.metric[0].label == "Accuracy on 1 of 2 questions"
    table = at.dataframe[-1].value
    assert table["predicted"].tolist() == ["queen",
                                           "not answered: qzxqzx not in the vocabulary"]
    assert table["correct"].tolist()[0] and table["correct"].isna().tolist()[1]
    at.main.get("file_uploader")[0].set_value(("q.txt", b"\x00\x01", "text/plain"))
    at.run()
    assert not at.exception and "not a text file" in _texts(at.error)
