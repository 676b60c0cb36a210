"""`debias --out` writes the format its suffix names (.bin, .txt/.vec, .kv), or refuses a
suffix that disagrees before any work: a binary file never lands under a .txt name."""

from __future__ import annotations

import json

import pytest

from rnncore.cli import main
from rnncore.embeddings.embedding import SAVE_FORMATS, SAVE_SUFFIXES
from rnncore.inputs.base import InputError, output_format


def run(capsys, argv: list[str]) -> tuple[int, dict | str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if code == 0 else captured.err)


def test_the_suffix_chooses_the_format_and_the_file_reads_back(capsys, tmp_path):
    text = tmp_path / "hard.txt"
    code, data = run(capsys, ["--limit", "3000", "debias", "hard", "--out", str(text), "--json"])
    assert code == 0 and data["format"] == "word2vec-text"
    assert text.read_bytes().startswith(b"3000 300\n")  # before: binary bytes in a .txt
    kv = tmp_path / "hard.kv"
    code, data = run(capsys, ["--limit", "3000", "debias", "hard", "--out", str(kv), "--json"])
    assert code == 0 and data["format"] == "gensim-kv"
    for path, extra in ((text, []), (kv, ["--trust-pickle"])):
        code, again = run(capsys, ["info", "--embedding", str(path), *extra, "--json"])
        assert code == 0 and again["embedding"]["n_words"] == 3000, path


@pytest.mark.parametrize(("out", "extra", "says"), [
    ("vectors.txt", ["--format", "binary"], "ends in .txt, which means word2vec text, but "
                                            "word2vec binary was asked for"),
    ("vectors.bin", ["--text"], "end the name in .txt or .vec"),
    ("vectors.csv", [], "ends in .bin (word2vec binary), .txt (word2vec text)"),
])
def test_a_mismatching_suffix_is_refused_before_any_work(capsys, tmp_path, out, extra, says):
    path = tmp_path / out
    code, err = run(capsys, ["debias", "hard", "--out", str(path), *extra])
    assert code == 2 and says in err and "Traceback" not in err
    assert not path.exists()
    code, err = run(capsys, ["debias", "hard", "--out", str(path), *extra, "--json"])
    assert code == 2 and says in json.loads(err)["error"]


def test_output_format_in_the_input_layer():
    choose = lambda path, fmt=None: output_format(  # noqa: E731
        path, SAVE_SUFFIXES, SAVE_FORMATS, fmt, "binary", "vectors file")
    assert [choose(p) for p in ("a.bin", "a.TXT", "a.vec", "a.kv", "a")] == \
        ["binary", "text", "text", "kv", "binary"]
    assert choose("a", "text") == "text" and choose("a.kv", "kv") == "kv"
    with pytest.raises(InputError, match="a.txt ends in .txt"):
        choose("a.txt", "kv")
    with pytest.raises(InputError, match="not .json"):
        choose("a.json")
