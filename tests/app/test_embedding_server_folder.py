"""Vector files in the sidebar: the operator's server folder (off unless configured, then
listed, converted once and shared; no path is ever typed by a visitor) and the upload's report
of dropped rows (plain text, never Markdown)."""

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


def test_an_upload_reports_dropped_rows_as_plain_text_and_refuses_a_misread_file():
    word = "![x](http://127.0.0.1:9/x)"
    at = open_page()
    uploader = at.sidebar.get("file_uploader")[0]
    uploader.set_value(("dup.txt", f"3 2\n{word} 1 2\nb 1 2\n{word} 3 4\n".encode(),
                        "text/plain"))
    at.run()
    assert not at.exception
    notes = [t.value for t in at.sidebar.text]
    assert f"dup.txt: dropped 1 repeated word(s) (the first occurrence is kept): '{word}'" in notes
    assert not any("127.0.0.1:9" in str(m.value) for m in at.sidebar.markdown)
    assert {m.label: m.value for m in at.metric}["Words"] == "2"
    at.sidebar.get("file_uploader")[0].set_value(
        ("latin.txt", "2 2\ncaf\xe9 1 2\nb 1 2\n".encode("latin-1"), "text/plain"))
    at.run()
    assert not at.exception
    assert any("latin.txt: line 2: the word is not UTF-8" in e.value for e in at.sidebar.error)
