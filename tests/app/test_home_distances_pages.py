"""Home and Distances through AppTest, and the sidebar's upload handling."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from tests.app.conftest import open_page


def test_home_shows_the_loaded_embedding():
    at = open_page()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Name": "w2v-news-31k", "Words": "31,530", "Dimensions": "300"}


def test_distances_page_computes_the_course_exercise():
    at = open_page("distances.py")
    at.text_area(key="dist_left").set_value("woman, man")
    at.text_area(key="dist_right").set_value("nurse, nurse")
    at.button[0].click()
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table["distance"].round(4).tolist() == [0.5586, 0.7453]


def test_distances_page_reports_unequal_lists_and_oov_words():
    at = open_page("distances.py")
    at.text_area(key="dist_left").set_value("woman, zzqqx, man")
    at.text_area(key="dist_right").set_value("nurse, nurse")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert any("same length" in e.value for e in at.error)
    at.text_area(key="dist_right").set_value("nurse, nurse, nurse")
    at.button[0].click()
    at.run()
    assert any("zzqqx" in w.value for w in at.warning)


def _uploader(at):
    return at.sidebar.get("file_uploader")[0]


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("junk.bin", bytes(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8))),
        ("empty.txt", b""),
        ("pickle.txt", pickle.dumps({"a": 1})),
    ],
)
def test_malformed_upload_shows_a_message_and_keeps_the_embedding(name, payload):
    at = open_page()
    _uploader(at).set_value((name, payload, "application/octet-stream"))
    at.run()
    assert not at.exception
    assert any(name in e.value and "Still using" in e.value for e in at.sidebar.error)
    assert {m.label: m.value for m in at.metric}["Name"] == "w2v-news-31k"
    at.switch_page("views/distances.py")
    at.run()
    assert not at.exception
    assert at.dataframe[0].value["distance"].round(4).tolist()[0] == 0.5586


def test_truncated_then_valid_upload(w2v, tmp_path):
    path = w2v.subset(["woman", "man", "nurse", "doctor"]).save_word2vec(tmp_path / "v.bin")
    data = path.read_bytes()
    at = open_page()
    _uploader(at).set_value(("cut.bin", data[:-200], "application/octet-stream"))
    at.run()
    assert any("cut.bin" in e.value for e in at.sidebar.error)
    _uploader(at).set_value(("four.bin", data, "application/octet-stream"))
    at.run()
    assert not at.exception
    assert not at.sidebar.error
    assert {m.label: m.value for m in at.metric}["Words"] == "4"
    assert any("file four.bin" in c.value for c in at.caption)  # not the temporary name
