"""Strict vector-file parsing, convert-once + memory-map, blocked queries and --limit.

Every malformed file goes through both entry points that accept vector files: the CLI
(``--embedding PATH``, exit 2 and a message naming file, line and problem) and the upload
parser the dashboard uses (``load_upload``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from rnncore.cli import main
from rnncore.embeddings import (
    EmbeddingFormatError,
    analogy,
    load_embedding,
    load_file,
    load_upload,
    neighbours,
)
from rnncore.embeddings import loaders as loaders_module
from rnncore.embeddings.analogies import analogy_scores
from rnncore.embeddings.blocks import similarities
from rnncore.embeddings.loaders import converted_folder

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))
from big_embeddings import write_tall_text  # noqa: E402


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Conversions go to a temporary data cache, never the shared one."""
    monkeypatch.setenv("RNNCORE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def binary(words: list[bytes], vectors: np.ndarray, header: str | None = None,
           newline: bool = False) -> bytes:
    """word2vec binary bytes, as gensim (or, with ``newline``, the original C tool) writes."""
    n, dim = vectors.shape
    body = b"".join(w + b" " + v.astype("<f4").tobytes() + (b"\n" if newline else b"")
                    for w, v in zip(words, vectors, strict=True))
    return (header or f"{n} {dim}\n").encode() + body


VECTORS = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
GOOD_BIN = binary([b"a", b"b", b"c", b"d"], VECTORS)

REFUSED = [
    ("nonnumeric.txt", b"3 2\na 1 2\nb 1 x2\nc 3 4\n", r"line 3: 'x2' is not a number"),
    ("latin1.txt", "3 2\na 1 2\ncaf\xe9 1 2\nc 3 4\n".encode("latin-1"),
     r"line 3: the word is not UTF-8"),
    ("space.txt", b"3 2\na 1 2\nnew york 1 2\nc 3 4\n", r"line 3: 3 values .* space inside"),
    ("more_lines.txt", b"2 2\na 1 2\nb 1 2\nc 3 4\n", r"line 4: the header promises 2 words"),
    ("fewer_lines.txt", b"4 2\na 1 2\nb 1 2\nc 3 4\n", r"promises 4 words .*truncated or the"),
    ("wrong_dim.txt", b"3 3\na 1 2 3\nb 1 2\nc 3 4 5\n", r"line 3: 2 values"),
    ("glove_blank.txt", b"a 1 2\n\nb 1 2\n", r"line 2: the line is empty"),
    ("truncated.bin", GOOD_BIN[:-5], r"truncated"),
    ("truncated_word.bin", binary([b"a" * 50, b"b", b"c", b"d"], VECTORS)[:-3],
     r"word 4: the file ends early"),
    ("extra.bin", binary([b"a", b"b", b"c", b"d"], VECTORS, header="3 3\n"),
     r"after word 3: the file goes on"),
    ("latin1.bin", binary([b"a", b"caf\xe9", b"c", b"d"], VECTORS), r"word 2: .*not UTF-8"),
    ("dimlie.bin", binary([b"a", b"b", b"c", b"d"], VECTORS, header="4 2\n"),
     r"vector size, 2, is wrong"),
    ("control.bin", binary([b"a", b"b\x1b[2J", b"c", b"d"], VECTORS), r"word 2: .*control"),
    ("toomany.txt", b"900000000 300\nthe 0.1\n", r"more than the limit"),
    ("prose.txt", b"hello world\nthis is prose\n", r"not a word2vec header"),
    ("gzip.txt", b"\x1f\x8b\x08\x00" + bytes(50), r"gzip"),
]


@pytest.mark.parametrize(("name", "payload", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_files_are_refused_by_the_upload_parser(name, payload, reason):
    with pytest.raises(EmbeddingFormatError, match=reason) as info:
        load_upload(payload, name)
    assert str(info.value).startswith(f"{name}: ")


@pytest.mark.parametrize(("name", "payload", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_files_are_refused_by_the_cli(name, payload, reason, tmp_path, capsys,
                                          private_cache):
    path = tmp_path / name
    path.write_bytes(payload)
    assert main(["--embedding", str(path), "info"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith(f"error: {name}: ") and "Traceback" not in err
    assert __import__("re").search(reason, err)
    converted = private_cache / "converted"
    assert not converted.exists() or not list(converted.glob("vectors-*-v1"))


REPAIRED = [
    ("dup.txt", b"4 2\na 1 2\nb 1 2\na 3 4\nc 1 1\n", ["a", "b", "c"],
     "dropped 1 repeated word(s) (the first occurrence is kept): 'a'"),
    ("naninf.txt", b"4 2\na 1 2\nb nan 0\nc inf 4\nd 1 1\n", ["a", "d"],
     "dropped 2 vector(s) with NaN or infinite values: 'b' (line 3), 'c' (line 4)"),
    ("zero.txt", b"a 1 2\nb 0 0\nc 3 4\n", ["a", "c"],
     "dropped 1 all-zero vector(s): 'b' (line 2)"),
    ("dup.bin", binary([b"a", b"b", b"a", b"d"], VECTORS), ["a", "b", "d"],
     "dropped 1 repeated word(s)"),
]


@pytest.mark.parametrize(("name", "payload", "words", "note"), REPAIRED,
                         ids=[r[0] for r in REPAIRED])
def test_unusable_rows_are_dropped_and_reported(name, payload, words, note, tmp_path, capsys):
    upload = load_upload(payload, name)
    assert list(upload.words) == words and len(upload.vectors) == len(words)
    assert any(n.startswith(f"{name}: {note}") for n in upload.notes), upload.notes
    assert np.allclose(np.linalg.norm(upload.vectors, axis=1), 1.0)
    assert "None" not in upload and all(upload.index(w) == i for i, w in enumerate(words))
    path = tmp_path / name
    path.write_bytes(payload)
    assert main(["--embedding", str(path), "info", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["embedding"]["n_words"] == len(words)
    assert f"note: {name}: {note}" in err


def test_every_format_parses_to_the_same_unit_vectors(tmp_path):
    unit = VECTORS / np.linalg.norm(VECTORS, axis=1, keepdims=True)
    rows = [f"{w} " + " ".join(f"{x:.9g}" for x in v) for w, v in zip("abcd", VECTORS,
                                                                       strict=True)]
    files = {
        "w2v.bin": GOOD_BIN,
        "c-tool.bin": binary([b"a", b"b", b"c", b"d"], VECTORS, newline=True),
        "w2v.txt": ("4 3\n" + "\n".join(rows) + "\n").encode(),
        "fasttext.vec": ("4 3\r\n" + " \r\n".join(rows) + " \r\n").encode(),
        "glove.txt": "\n".join(rows).encode(),  # no final newline
    }
    for name, data in files.items():
        loaded = load_upload(data, name)
        assert list(loaded.words) == list("abcd"), name
        np.testing.assert_allclose(loaded.vectors, unit, atol=1e-6, err_msg=name)


def test_conversion_happens_once_then_memory_maps(tmp_path, private_cache, monkeypatch):
    path = tmp_path / "small.bin"
    path.write_bytes(GOOD_BIN)
    calls = []
    real = loaders_module.convert

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(loaders_module, "convert", counting)
    first = load_file(path)
    second = load_file(path)
    assert len(calls) == 1
    import hashlib

    digest = hashlib.sha256(GOOD_BIN).hexdigest()
    folder = converted_folder(digest)
    assert folder.parent == private_cache / "converted" and (folder / "meta.json").is_file()
    assert isinstance(second.vectors, np.memmap) and not second.vectors.flags.writeable
    assert Path(second.vectors.filename) == folder / "vectors.npy"
    np.testing.assert_array_equal(first.vectors, second.vectors)
    assert second.sha256 == digest and list(second.words) == list("abcd")
    path.write_bytes(binary([b"a", b"b", b"c", b"e"], VECTORS))  # new content: converted anew
    assert list(load_file(path).words) == list("abce") and len(calls) == 2


def test_concurrent_conversions_build_once(tmp_path, private_cache, monkeypatch):
    path = tmp_path / "shared.txt"
    path.write_bytes(b"".join(b"w%d %d %d\n" % (i, i + 1, i % 7) for i in range(20000)))
    calls, results, errors = [], [], []
    real = loaders_module.convert

    def slow(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(loaders_module, "convert", slow)

    def worker():
        try:
            results.append(load_file(path))
        except Exception as exc:  # noqa: BLE001 - any exception fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(calls) == 1 and len(results) == 4
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from rnncore.embeddings import "
            "load_file; e = load_file(sys.argv[2]); print(len(e), e.sha256)")
    other = tmp_path / "other.txt"
    other.write_bytes(b"".join(b"v%d %d %d\n" % (i, i % 5, i + 2) for i in range(20000)))
    procs = [subprocess.Popen([sys.executable, "-c", code, str(ROOT), str(other)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert len({out for out, _ in outputs}) == 1
    converted = private_cache / "converted"
    assert len(list(converted.glob("vectors-*-v1"))) == 2  # one per distinct file
    assert not list(converted.glob(".vectors-*"))  # no temporary folder left behind


def test_limit_keeps_the_first_words_on_the_cli_and_in_the_library(tmp_path, capsys):
    path = tmp_path / "four.bin"
    path.write_bytes(GOOD_BIN)
    assert main(["--embedding", str(path), "--limit", "2", "info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["embedding"]["n_words"] == 2
    assert main(["info", "--embedding", str(path), "--limit", "3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["embedding"]["n_words"] == 3
    limited = load_embedding(str(path), limit=2)
    full = load_embedding(str(path))
    assert list(limited.words) == ["a", "b"] and "c" not in limited and "c" in full
    assert limited.vectors.shape == (2, 3) and limited.sha256 != full.sha256
    with pytest.raises(KeyError):
        limited.index("d")
    with pytest.raises(SystemExit) as refused:  # argparse's usage error, before any load
        main(["--embedding", str(path), "--limit", "0", "info"])
    assert refused.value.code == 2
    assert "--limit: must be at least 1, not 0" in capsys.readouterr().err


def test_blocked_products_equal_one_big_product(w2v):
    queries = w2v.matrix(["king", "woman", "nurse"])
    np.testing.assert_allclose(similarities(w2v.vectors, queries, block_rows=1000),
                               queries @ w2v.vectors.T, rtol=1e-5, atol=1e-6)
    a, b, c = (w2v.vector(w) for w in ("man", "king", "woman"))
    for method in ("add", "mul"):
        blocked = analogy_scores(w2v.vectors, a, b, c, method=method, block_rows=777)
        whole = analogy_scores(w2v.vectors, a, b, c, method=method, block_rows=len(w2v))
        np.testing.assert_allclose(blocked, whole, rtol=1e-5, atol=1e-6)
    cos = w2v.vectors @ w2v.vector("king")
    reference = [w2v.words[i] for i in np.argsort(-cos, kind="stable") if w2v.words[i] != "king"]
    assert neighbours(w2v, "king", topn=10)["word"].tolist() == reference[:10]


def test_analogy_without_a_full_sort_matches_the_full_ranking(w2v):
    result = analogy(w2v, "man", "king", "woman", topn=5)
    scores = analogy_scores(w2v.vectors, *(w2v.vector(w) for w in ("man", "king", "woman")))[0]
    order = np.argsort(-scores, kind="stable")
    inputs = {w2v.index(w) for w in ("man", "king", "woman")}
    expected = [w2v.words[i] for i in order if i not in inputs][:5]
    assert [w for w, _ in result.answers] == expected
    assert result.best_overall[0] == w2v.words[order[0]]
    rank = {int(i): r + 1 for r, i in enumerate(order[:50])}
    assert [e["rank"] for e in result.excluded] == sorted(
        rank[i] for i in inputs if i in rank and rank[i] < rank[w2v.index(expected[-1])])


def test_a_memory_mapped_embedding_answers_queries(w2v, tmp_path):
    small = w2v.subset(["man", "king", "woman", "queen", *w2v.words[:3000]], name="small")
    path = small.save_word2vec(tmp_path / "small.bin")
    mapped = load_file(path)
    assert isinstance(mapped.vectors, np.memmap)
    assert neighbours(mapped, "king")["word"].tolist() == neighbours(small, "king")["word"].tolist()
    assert analogy(mapped, "man", "king", "woman").answers[0][0] == \
        analogy(small, "man", "king", "woman").answers[0][0]
    assert mapped.kv.most_similar("king", topn=3)[0][0] == \
        small.kv.most_similar("king", topn=3)[0][0]


PEAK_CODE = """
import sys
sys.path.insert(0, sys.argv[1])
from rnncore.embeddings import load_upload
data = open(sys.argv[2], "rb").read()
embedding = load_upload(data, "tall.txt")
with open("/proc/self/status") as f:
    peak = [int(line.split()[1]) for line in f if line.startswith("VmHWM")][0]
print(len(embedding), peak // 1024)
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_76_mb_text_upload_parses_under_400_mb(tmp_path):
    """Issue 15: 9,000,000 words x 1 dimension (76 MB of text) took 107 s and 2.35 GB."""
    path = tmp_path / "tall.txt"
    write_tall_text(path)
    assert 70 * 2**20 < path.stat().st_size < 80 * 2**20
    result = subprocess.run([sys.executable, "-c", PEAK_CODE, str(ROOT), str(path)],
                            capture_output=True, text=True, timeout=600,
                            env={"RNNCORE_HOME": str(tmp_path / "cache"), "PATH": ""})
    assert result.returncode == 0, result.stderr[-2000:]
    words, peak_mb = map(int, result.stdout.split())
    assert words == 9_000_000
    assert peak_mb < 400, f"peak RSS {peak_mb} MB"
