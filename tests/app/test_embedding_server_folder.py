"""The operator's server folder of vector files: off unless configured, then listed, converted
once and shared; no path is ever typed by a visitor."""

from __future__ import annotations

import pytest

from rnncore.assets import cache_home
from tests.app.conftest import open_page


@pytest.fixture
def folder(tmp_path, monkeypatch, w2v):
    """A server folder with one real word2vec file and one broken file; a private conversion
    cache that reuses the built-in embeddings already built."""
    real = cache_home()
    home = tmp_path / "home"
    home.mkdir()
    for part in ("embeddings", "assets", "downloads"):
        if (real / part).exists():
            (home / part).symlink_to(real / part)
    monkeypatch.setenv("RNNCORE_HOME", str(home))
    served = tmp_path / "vectors"
    served.mkdir()
    w2v.subset(["man", "woman", "king", "queen", "nurse", "doctor", *w2v.words[:2000]],
               name="s").save_word2vec(served / "news-2k.bin")
    (served / "broken.txt").write_bytes(b"3 2\na 1 2\nb 1 x2\nc 3 4\n")
    (served / "notes.md").write_text("not listed")
    monkeypatch.setenv("BIASLAB_EMBEDDINGS_DIR", str(served))
    return served


def test_without_configuration_there_is_no_server_folder(monkeypatch):
    monkeypatch.delenv("BIASLAB_EMBEDDINGS_DIR", raising=False)
    at = open_page()
    assert not [e for e in at.sidebar.expander if e.label.startswith("Server folder")]
    assert not [s for s in at.sidebar.selectbox if s.key == "embedding_server_pick"]


def test_a_server_file_is_listed_opened_and_used(folder):
    at = open_page()
    pick = at.sidebar.selectbox(key="embedding_server_pick")
    assert pick.options == ["broken.txt", "news-2k.bin"]  # notes.md is not a vector file
    pick.select("broken.txt").run()
    at.sidebar.button(key="embedding_server_open").click().run()
    assert not at.exception
    assert any("broken.txt: line 3: 'x2' is not a number" in e.value for e in at.sidebar.error)
    at.sidebar.selectbox(key="embedding_server_pick").select("news-2k.bin").run()
    at.sidebar.button(key="embedding_server_open").click().run()
    assert not at.exception, at.exception
    assert at.session_state["embedding_active"] == "server"
    assert not at.sidebar.error
    converted = list((cache_home() / "converted").glob("vectors-*-v1"))
    assert len(converted) == 1
    at.switch_page("views/neighbours.py").run()
    assert not at.exception, at.exception
    active = [s for s in at.sidebar.selectbox if s.label == "Active embedding"][0]
    assert "Server · news-2k.bin" in active.options
