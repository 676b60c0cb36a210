"""What ``prepare-class`` stores before a lesson (rnncore.class_results) is what a new server's
sessions show, read instead of computed; a changed input is computed; a bad file is ignored."""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
from pathlib import Path

import pytest

from dashboard.components.shared_results import stores
from rnncore import class_models as cm
from rnncore import class_results
from rnncore.cli import main
from rnncore.embeddings import load_builtin
from rnncore.generate import Decoding, generate_text
from tests.app.conftest import open_page
from tests.app.test_word_model_pages import probe_summary

RUN_HOME = Path(os.environ["RNNCORE_CLASS_HOME"])  # this test run's class models (conftest)
USED = ["charlm-hamlet", *cm.SENTIMENT, *cm.WORD_LM]
TEMPERATURE = 1.35  # a step no other test asks for


class _Marker:
    """Unpickling this creates ``path``: a stored file must never be unpickled."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.touch, (self.path,))


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """A class home with this run's quick class models and what prepare-class stored."""
    cm.prepare_all("quick", USED)  # trained once per test run (other tests use them too)
    home = tmp_path_factory.mktemp("class")
    for name in USED:
        shutil.copytree(RUN_HOME / "quick" / name, home / "quick" / name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RNNCORE_CLASS_HOME", str(home))
        assert main(["prepare-class", "--quick", "--only", *USED, "--results"]) == 0
    return home


def _new_server(home: Path, tmp_path: Path, monkeypatch) -> Path:
    """The class home ``home``, empty shared stores (the embeddings and the debiased copy are
    kept), a fresh build counter file."""
    monkeypatch.setenv("RNNCORE_CLASS_HOME", str(home))
    counters = tmp_path / f"builds-{len(list(tmp_path.glob('builds-*')))}.jsonl"
    monkeypatch.setenv("BIASLAB_DEBUG_COUNTERS", str(counters))
    stores()["light"].clear()
    stores()["text"].clear()
    return counters


def _kinds(counters: Path) -> list[str]:
    """The kinds built (a t-SNE map: ``tsne``; the PCA map a page opens with is not stored)."""
    lines = counters.read_text().splitlines() if counters.exists() else []
    builds = [json.loads(line) for line in lines]
    return ["tsne" if b["kind"] == "word_map" and '"tsne"' in b["key"] else b["kind"]
            for b in builds]


def _shown() -> dict:
    """What new sessions see on the Map (t-SNE), the Character LM page (a temperature step)
    and the two probe pages."""
    shown = {}
    at = open_page("map.py")
    at.radio(key="map_method").set_value("tsne").run()
    shown["map"] = at.get("plotly_chart")[0].proto.spec
    at = open_page("char_lm.py")
    at.slider(key="gen_temp").set_value(TEMPERATURE).run()
    shown["sample"] = next(c.value for c in at.code if c.value.startswith("HAMLET"))
    at = open_page("sentiment_shift.py")
    shown["sentiment"] = next(d.value for d in at.dataframe if "gap" in d.value.columns)
    shown["pronouns"] = probe_summary(open_page("word_lm.py"))
    return shown


def test_a_new_server_shows_the_stored_defaults_and_computes_only_what_changed(
        prepared, tmp_path, monkeypatch, caplog):
    counters = _new_server(prepared, tmp_path, monkeypatch)
    embedding = load_builtin(cm.EMBEDDING)
    stored = _shown()
    kinds = _kinds(counters)
    assert {"tsne", "class_text", "class_probe"}.isdisjoint(kinds)  # nothing computed
    assert kinds.count("word_map_loaded") == 1
    assert kinds.count("class_text_loaded") == 2  # the default 0.8 the page opens with, 1.35
    assert kinds.count("class_probe_loaded") == 4  # two sentiment RNNs, two word LMs
    loaded = [json.loads(line)["key"] for line in counters.read_text().splitlines()
              if json.loads(line)["kind"] == "class_model"]
    assert not any("sentiment" in key for key in loaded)  # the probes needed no model

    # the same numbers as computing fresh (the map: below, when its file is bad)
    model, vocab, _ = cm.load_char_lm("charlm-hamlet")
    assert stored["sample"] == "HAMLET\n" + generate_text(
        model, vocab, "HAMLET\n", class_results.SAMPLE_LENGTH, Decoding(temperature=TEMPERATURE),
        class_results.SAMPLE_SEED)
    templates, comparisons = class_results.sentiment_inputs(embedding)
    fresh = class_results.sentiment_probe(cm.load_sentiment("sentiment-original", embedding)
                                          .predict, comparisons, templates, embedding).gaps
    shown = stored["sentiment"][stored["sentiment"]["model"] == "class RNN · original"]
    assert shown[["title", "gap", "ci_low", "ci_high", "p_value"]].reset_index(drop=True).equals(
        fresh[["title", "gap", "ci_low", "ci_high", "p_value"]])
    fresh = class_results.pronoun_probe(cm.load_word_lm("wordlm-original", embedding),
                                        *class_results.pronoun_inputs(), embedding).correlations
    shown = stored["pronouns"][stored["pronouns"]["model"] == "class LM · original"]
    assert shown["Pearson r"].tolist() == fresh["pearson_r"].tolist()
    assert shown["mean log-ratio"].tolist() == fresh["mean_log_ratio"].tolist()

    # another word in a group: computed (and stored), not the stale file's map
    counters = _new_server(prepared, tmp_path, monkeypatch)
    at = open_page("map.py")
    at.radio(key="map_method").set_value("tsne").run()
    at.text_area(key="map_text").set_value(
        class_results.groups_text(class_results.MAP_GROUPS) + ", actor").run()
    assert not at.exception and _kinds(counters).count("tsne") == 1
    assert "actor" in at.get("plotly_chart")[0].proto.spec

    # a corrupted file and a pickle in its place: ignored with a note, computed, not unpickled
    groups = class_results.default_map_groups(embedding)
    path = class_results.store().path("word_map", class_results.map_key(
        embedding, groups, "tsne", {"perplexity": class_results.TSNE_PERPLEXITY}))
    assert path.is_file()
    marker = tmp_path / "unpickled"
    for bad in (path.read_bytes()[:200], pickle.dumps(_Marker(marker))):
        path.chmod(0o644)  # (stored read-only)
        path.write_bytes(bad)
        counters = _new_server(prepared, tmp_path, monkeypatch)
        with caplog.at_level(logging.WARNING, logger="rnncore.stored_results"):
            at = open_page("map.py")
            at.radio(key="map_method").set_value("tsne").run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        assert at.get("plotly_chart")[0].proto.spec == stored["map"]  # computed: the same
        assert _kinds(counters).count("tsne") == 1
        assert any("ignored" in r.getMessage() for r in caplog.records)
        caplog.clear()
    assert not marker.exists()
    assert json.loads(path.read_text())["kind"] == "word_map"  # stored again, as JSON
