"""Loading vector files: each format, the 'most frequent N' limit, and malformed input."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from rnncore.embeddings import EmbeddingFormatError, load_embedding, load_file, load_upload

WORDS = ["woman", "man", "nurse", "doctor", "queen", "king", "Paris", "New_York"]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Conversions go to a temporary data cache, never the shared one."""
    monkeypatch.setenv("RNNCORE_HOME", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def small(w2v):
    return w2v.subset(WORDS, name="small")


@pytest.fixture(scope="module")
def files(small, tmp_path_factory):
    folder = tmp_path_factory.mktemp("vectors")
    binary = small.save_word2vec(folder / "small.bin", binary=True)
    text = small.save_word2vec(folder / "small.txt", binary=False)
    glove = folder / "small.glove.txt"
    glove.write_text("".join(line for line in text.read_text().splitlines(True)[1:]))
    return {"bin": binary, "text": text, "glove": glove}


@pytest.mark.parametrize("kind", ["bin", "text", "glove"])
def test_each_format_loads_the_same_vectors(kind, files, small):
    loaded = load_file(files[kind])
    assert loaded.words == small.words
    np.testing.assert_allclose(loaded.vectors, small.vectors, atol=1e-5)
    assert len(loaded.sha256) == 64


def test_limit_keeps_the_first_n_words(files):
    assert load_file(files["bin"], limit=3).words == WORDS[:3]


def test_upload_parses_bytes_and_records_their_hash(files, small):
    loaded = load_upload(files["bin"].read_bytes(), "mine.bin")
    assert loaded.name == "mine.bin" and loaded.words == small.words


def test_load_embedding_accepts_names_and_paths(files):
    assert len(load_embedding(str(files["text"]))) == len(WORDS)
    with pytest.raises(EmbeddingFormatError, match="neither a built-in"):
        load_embedding("no-such-embedding")


@pytest.mark.parametrize(
    ("name", "payload", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"\n\n  \n", "empty"),
        ("junk.bin", bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8)),
         "not a word-vector file|pickle"),
        ("pickle.txt", pickle.dumps({"woman": [0.1, 0.2]}), "pickle"),
        ("huge.txt", b"900000000 300\nthe 0.1\n", "more than the limit"),
        ("lying.txt", b"9000 300\nthe 0.1\n", "truncated or the header is wrong"),
        ("words.txt", b"hello world\nthis is prose\n", "not a word2vec header"),
        ("dim.txt", b"3 100000\n", "not plausible"),
        ("nan.txt", b"1 2\na nan 1\n", "no usable vectors"),
        ("ragged.txt", b"2 3\na 1 2 3\nb 1 2 \n", "line 3: 2 values"),
    ],
)
def test_malformed_uploads_are_refused_with_a_reason(name, payload, reason):
    with pytest.raises(EmbeddingFormatError, match=reason):
        load_upload(payload, name)


def test_truncated_word2vec_binary_is_refused(files):
    data = files["bin"].read_bytes()
    with pytest.raises(EmbeddingFormatError, match="truncated|could not read"):
        load_upload(data[: len(data) // 2], "cut.bin")


@pytest.mark.parametrize("name", ["model.kv", "vectors.model", "weights.pt", "x.pkl"])
def test_pickle_suffixes_are_never_loaded_from_uploads(name):
    with pytest.raises(EmbeddingFormatError, match="never loaded"):
        load_upload(b"anything", name)


def test_oversized_upload_is_refused_before_parsing():
    with pytest.raises(EmbeddingFormatError, match="limit"):
        load_upload(b"1 1\na 1\n" * 10, "big.txt", max_bytes=20)
