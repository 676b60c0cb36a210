"""`python -m rnncore` as a user runs it: real processes, real data, JSON out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def rnncore(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnncore", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_distance_json_prints_the_course_numbers():
    result = rnncore("distance", "--json", "woman:nurse", "man:nurse")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["pairs"]
    assert [(r["a"], r["b"]) for r in rows] == [("woman", "nurse"), ("man", "nurse")]
    assert [round(r["distance"], 4) for r in rows] == [0.5586, 0.7453]


def test_distance_lists_oov_pairs_with_null_and_a_reason():
    rows = json.loads(rnncore("--json", "distance", "woman:nurse", "zzqqx:nurse").stdout)["pairs"]
    assert rows[1]["distance"] is None and "zzqqx" in rows[1]["reason"]
    assert rows[0]["reason"] == ""  # the key stays when there is no reason


def test_info_json_has_the_identity_keys():
    info = json.loads(rnncore("info", "--json").stdout)["embedding"]
    assert set(info) == {"name", "n_words", "dim", "source", "sha256"}
    assert (info["name"], info["n_words"], info["dim"]) == ("w2v-news-31k", 31530, 300)


def test_neighbors_and_a_file_embedding(tmp_path, w2v):
    path = w2v.subset(["king", "queen", "man", "woman", "nurse"]).save_word2vec(
        tmp_path / "five.txt", binary=False)
    result = rnncore("neighbors", "king", "--topn", "2", "--json", "--embedding", str(path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["neighbors"][0]["word"] == "queen" and data["embedding"]["n_words"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["distance", "woman-nurse"], "expected WORD:WORD"),
        (["neighbors", "zzqqx"], "not in the vocabulary|0 of 1"),
        (["--embedding", "/no/such/file", "info"], "neither a built-in"),
    ],
)
def test_bad_input_exits_with_a_message_not_a_traceback(args, message):
    result = rnncore(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert any(part in result.stderr for part in message.split("|"))


def test_a_reader_that_closes_early_gets_no_traceback():
    # `python -m rnncore ... | head -1`: the pipe closes while the CLI still writes
    process = subprocess.Popen([sys.executable, "-m", "rnncore", "--json", "neighbors", "nurse",
                                "--topn", "3000"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout.readline().strip() == b"{"
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
