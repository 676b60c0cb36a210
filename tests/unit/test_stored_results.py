"""Results stored as JSON: read back exactly for the same key and code, ignored otherwise."""

import json
import logging

import numpy as np
import pandas as pd

from rnncore.stored_results import Codec, StoredResults, frame_from_json, frame_to_json

FRAME = Codec(frame_to_json, frame_from_json)


def test_a_table_comes_back_exactly_and_only_for_its_key_kind_and_code(tmp_path, caplog):
    table = pd.DataFrame({"word": ["she", "he"], "x": np.array([0.1, np.nan], dtype=np.float32),
                          "y": [1 / 3, -2e-300], "n": [1, 2], "flag": [True, False]})
    store = StoredResults(tmp_path)
    key = {"embedding": "abc", "groups": {"a": ["she"]}, "perplexity": 30}
    path = store.save("word_map", key, table, FRAME)
    back = store.load("word_map", key, FRAME)
    pd.testing.assert_frame_equal(back, table)  # dtypes and every bit of every float
    assert not path.stat().st_mode & 0o222  # read-only
    with caplog.at_level(logging.WARNING, logger="rnncore.stored_results"):
        assert store.load("word_map", {**key, "perplexity": 31}, FRAME) is None  # no file
        assert not caplog.records
        data = json.loads(path.read_text())
        path.chmod(0o644)
        for changed in ({**data, "code": "0" * 16}, {**data, "kind": "class_probe"},
                        {**data, "key": {**key, "perplexity": 5}}, [1, 2],
                        {**data, "result": {"columns": ["x"]}}):
            path.write_text(json.dumps(changed))
            assert store.load("word_map", key, FRAME) is None
    assert len([r for r in caplog.records if "ignored" in r.getMessage()]) == 5


def test_at_most_max_files_of_a_kind_are_kept(tmp_path):
    store = StoredResults(tmp_path, max_files=3)
    text = Codec(lambda t: {"text": t}, lambda d: d["text"])
    for i in range(5):
        store.save("class_text", {"i": i}, f"sample {i}", text)
    store.save("word_map", {"i": 0}, "a map", text)
    assert len(list(tmp_path.glob("class_text-*.json"))) == 3
    assert store.load("class_text", {"i": 4}, text) == "sample 4"
    assert store.load("word_map", {"i": 0}, text) == "a map"
    assert not list(tmp_path.glob("*.part"))
