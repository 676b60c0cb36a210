"""Every file-accepting entry point (CLI verbs and pages) over the hostile-input corpus.

Each file must be refused with exit status 2 (CLI) or an error on the page (AppTest), with a
message that names the problem, no traceback and no uncaught exception, and nothing written
to the working directory. The memory-heavy checkpoints are refused in a subprocess whose peak
RSS is measured.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rnncore.cli import main
from tests.app.conftest import open_page
from tests.hostile.corpus import CASES, FILES, path_of, write_large

ROOT = Path(__file__).resolve().parents[2]
WEAT = ["--target-y", "arts", "--attr-a", "male_terms", "--attr-b", "female_terms"]
# CLI verbs that read a file of each kind ({} is the file)
CLI = {
    "words": [["bias", "--words", "{}"], ["weat", "--target-x", "{}", *WEAT],
              ["map", "--file", "{}"]],
    "groups": [["probe", "sentiment", "--model", "baseline", "--groups", "{}"]],
    "labelled": [["train-sentiment", "--csv", "{}"], ["probe", "sentiment", "--csv", "{}"]],
    "templates": [["probe", "sentiment", "--model", "baseline", "--templates", "{}"]],
    "corpus": [["train-char", "--corpus", "{}", "--save", "model.pt"],
               ["train-word-lm", "--corpus", "{}"]],
    "embedding": [["--embedding", "{}", "info"]],
}
CLI_CASES = [(case, argv) for case in CASES for argv in CLI.get(case.kind, [])]


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """The large hostile files, written once for this module."""
    return write_large(tmp_path_factory.mktemp("hostile"))


def test_the_corpus_on_disk_is_the_generated_one():
    from tests.hostile.corpus import small_files

    committed = {p.name for p in FILES.iterdir()}
    assert committed == {c.name for c in CASES if not c.large}
    generated = small_files()
    for name in committed:
        if not name.startswith("ckpt_"):  # torch archives embed a per-save id
            assert (FILES / name).read_bytes() == generated[name], name


@pytest.mark.parametrize("case,argv", CLI_CASES,
                         ids=[f"{c.name}-{a[0] if a[0] != '--embedding' else 'info'}"
                              for c, a in CLI_CASES])
def test_cli_refuses_with_one_line(case, argv, large, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = str(path_of(case, large))
    code = main([a.replace("{}", path) for a in argv] + ["--seconds", "1"] * (
        argv[0] in ("train-char", "train-sentiment", "train-word-lm")))
    out, err = capsys.readouterr()
    assert code == 2, (case.name, out[-300:], err[-300:])
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err[-500:]
    assert re.search(case.message, lines[0]), lines[0]
    assert "Traceback" not in err and len(lines[0]) < 600
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("argv,says", [
    (["debias", "hard", "--out", "missing/dir/out.bin"], "folder missing/dir does not exist"),
    (["debias", "hard", "--out", "."], "is a folder"),
    (["debias", "hard", "--out", "a_file/out.bin"], "a_file is a file, not a folder"),
    (["train-char", "--save", ".", "--seconds", "1"], "is a folder"),
    (["train-char", "--save", "a_file/m.pt", "--seconds", "1"], "is a file, not a folder"),
    (["shift", "--report", "missing/r.md"], "does not exist"),
    (["train-char", "--out", ".", "--seconds", "1"], "is a folder"),
    (["rank", "--out-csv", "missing/r.csv"], "does not exist"),
    (["rank", "--embeddings", "w2v-news-31k", "vectors.kv"], "--trust-pickle"),
    (["shift", "--csv", "."], "is a folder"),
    (["train-sentiment", "--csv", "missing.csv"], "no such file"),
    (["train-sentiment", "--csv", "."], "is a folder"),
    (["probe", "sentiment", "--templates", "missing.txt"], "no such file"),
    (["probe", "sentiment", "--model", "baseline", "--templates", "."], "is a folder"),
    (["train-char", "--corpus", "missing.txt"], "no such file"),
    (["train-word-lm", "--corpus", "."], "is a folder"),
    (["bias", "--words", "missing.txt"], "no such file"),
    (["map", "--file", "."], "is a folder"),
    (["--embedding", "vectors.kv", "info"], "--trust-pickle"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_bad_paths_exit_2_before_any_work(argv, says, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a_file").write_text("x")
    (tmp_path / "vectors.kv").write_bytes((FILES / "emb_pickle.kv").read_bytes())
    before = sorted(os.listdir(tmp_path))
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and err.startswith("error: ") and says in err, err
    assert "Traceback" not in err and out == ""
    assert sorted(os.listdir(tmp_path)) == before


def test_words_print_with_control_characters_escaped(tmp_path, capsys):
    hostile = "queen\x1b]0;owned\x07\x1b[2J\u202e"
    assert main(["distance", f"king:{hostile}"]) == 0
    text = capsys.readouterr().out
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "queen\\x1b]0;owned\\x07\\x1b[2J\\u202e" in text
    words = tmp_path / "escape.txt"
    words.write_text(f"king\nqueen\nman\nwoman\n{hostile}\n")
    assert main(["map", "--file", str(words), "--force", "--json"]) == 0
    raw = capsys.readouterr().out
    assert "\x1b" not in raw and "\u202e" not in raw
    assert "queen\\u001b]0;owned\\u0007\\u001b[2J\\u202e" in raw


def test_a_csv_word_list_header_names_the_group_for_every_verb(tmp_path, capsys):
    words = tmp_path / "list.csv"
    words.write_text("professions\nnurse\nengineer\n")
    from rnncore.cli.bias import read_words

    assert read_words(str(words)) == ["nurse", "engineer"]
    assert main(["map", "--file", str(words), "--json"]) == 0
    assert '"professions"' in capsys.readouterr().out


# --- pages ---------------------------------------------------------------------------------------
def _plain(markdown: str) -> str:
    """The text that ``dashboard.components.safe.show`` output renders as."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)).replace("\u2060", "")


def _refused(at, case, label: str) -> None:
    assert not at.exception, (case.name, label, at.exception)
    errors = [e.value for e in at.error]
    assert errors, (case.name, label, [m.value for m in at.markdown][:3])
    assert any(re.search(case.message, _plain(e)) for e in errors), (case.name, errors)
    shown = " ".join(errors + [m.value for m in at.markdown] + [c.value for c in at.caption])
    assert "Traceback" not in shown and "EOFError" not in shown and "\x1b[" not in shown
    assert "weights_only=False" not in shown


def _upload(at, key: str, case, large) -> None:
    data = path_of(case, large).read_bytes()
    at.file_uploader(key=key).set_value((case.name, data, "application/octet-stream")).run()


PAGES = [
    # (page, how to reach the uploader, uploader key, kinds it reads)
    ("map.py", None, "map_file", ("words",)),
    ("weat.py", None, "weat_sets_weat1_file", ("words",)),
    ("char_lm.py", ("charlm_corpus", "Upload a .txt"), "charlm_upload", ("corpus",)),
    ("char_lm.py", None, "charlm_ckpt", ("checkpoint",)),
    ("word_lm.py", ("wlm_corpus", "Upload a .txt"), "wlm_upload", ("corpus",)),
    ("sentiment_shift.py", ("sent_source", "Upload a CSV text,label"), "sent_upload",
     ("labelled",)),
    ("sentiment_shift.py", None, "probe_groups_file", ("groups",)),
    ("benchmarks.py", None, "own_analogies_file", ("analogies",)),
    ("home.py", None, "embedding_file", ("embedding",)),
]


@pytest.mark.slow
@pytest.mark.parametrize("page,reach,key,kinds", PAGES,
                         ids=[f"{p[0]}-{p[2]}" for p in PAGES])
def test_pages_refuse_every_hostile_upload(page, reach, key, kinds, large, tmp_path,
                                           monkeypatch):
    monkeypatch.chdir(tmp_path)
    at = open_page(page)
    if reach:
        at.radio(key=reach[0]).set_value(reach[1]).run()
    allowed = at.file_uploader(key=key).allowed_type  # other suffixes: Streamlit refuses them
    cases = [c for c in CASES if c.kind in kinds and Path(c.name).suffix in allowed]
    assert cases
    for case in cases:
        _upload(at, key, case, large)
        _refused(at, case, page)
        at.file_uploader(key=key).set_value(None).run()
    assert os.listdir(tmp_path) == []


def test_memory_heavy_checkpoints_stay_small_in_a_subprocess(large):
    """Peak RSS (VmHWM: ru_maxrss would include the forked pytest process) of a fresh process
    that refuses each memory-heavy checkpoint."""
    script = ("import re, sys\n"
              f"sys.path.insert(0, {str(ROOT)!r})\n"
              "from rnncore.models.checkpoint import load_checkpoint\n"
              "try:\n    load_checkpoint(sys.argv[1])\n    print('LOADED')\n"
              "except ValueError as exc:\n    print('refused:', exc)\n"
              "status = open('/proc/self/status').read()\n"
              "print(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n")
    for case in [c for c in CASES if c.heavy]:
        result = subprocess.run([sys.executable, "-c", script, str(path_of(case, large))],
                                capture_output=True, text=True, timeout=60, cwd=ROOT)
        message, peak_kb = result.stdout.strip().rsplit("\n", 1)
        assert result.returncode == 0 and message.startswith("refused:"), result.stderr[-500:]
        assert re.search(case.message, message), message
        assert int(peak_kb) < 300 * 1024, (case.name, int(peak_kb) // 1024)


@pytest.mark.slow
def test_a_valid_checkpoint_still_loads_on_the_page():
    from rnncore.models.char_lm import CharLM, CharLMConfig, CharVocab, checkpoint_bytes

    model = CharLM(CharLMConfig(vocab_size=5, embed=4, hidden=8, members=2, ngram_order=2))
    model.attach_ngram([0, 1, 2, 3, 4, 0, 1])
    at = open_page("char_lm.py")
    at.file_uploader(key="charlm_ckpt").set_value(
        ("mine.pt", checkpoint_bytes(model, CharVocab("abcde")), "application/octet-stream"))
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.text_input(key="gen_prefix").value in "abcde"
