"""Class models train a fixed amount of work with fixed seeds and threads: a busy machine and
other torch thread settings give the same models (rnncore.class_models)."""

import json
import subprocess
import sys

import pytest
import torch

from rnncore import class_models as cm
from rnncore.cli import main

BUSY = "import time\nend = time.time() + 120\nwhile time.time() < end:\n    pass\n"


def _train(home, monkeypatch, w2v, threads: int) -> dict[str, float]:
    monkeypatch.setenv("RNNCORE_CLASS_HOME", str(home))
    torch.set_num_threads(threads)  # what the process had before: the class models set their own
    chars = cm.prepare("charlm-names", "quick")
    words = cm.prepare("wordlm-original", "quick", embedding=w2v)
    return {"char_bits": chars["val_bits_per_char"], "char_steps": chars["steps"],
            "word_perplexity": words["perplexity"], "word_epochs": len(words["history"])}


def test_class_models_do_not_depend_on_load_or_thread_settings(tmp_path, monkeypatch, w2v,
                                                                capsys):
    before = torch.get_num_threads()
    try:
        quiet = _train(tmp_path / "quiet", monkeypatch, w2v, threads=1)
        busy = subprocess.Popen([sys.executable, "-c", BUSY])  # keeps a core busy meanwhile
        try:
            loaded = _train(tmp_path / "busy", monkeypatch, w2v, threads=2)
        finally:
            busy.kill()
            busy.wait()
    finally:
        torch.set_num_threads(before)
    assert quiet["char_steps"] == 2 * cm.QUICK_CHAR_STEPS  # two members, fixed steps each
    assert quiet["word_epochs"] == 1
    assert loaded == pytest.approx(quiet, abs=1e-6)
    assert loaded["char_bits"] < 6.0 and loaded["word_perplexity"] > 1.0
    # prepare-class says which it trained and how long that took; stored ones are kept
    assert main(["prepare-class", "--quick", "--only", "charlm-names", "charlm-hamlet",
                 "--no-defaults", "--json"]) == 0  # (the stored results: test_class_results)
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)["models"]}
    assert rows["charlm-names"]["trained"] is False
    assert rows["charlm-names"]["value"] == loaded["char_bits"]
    assert rows["charlm-hamlet"]["trained"] is True and rows["charlm-hamlet"]["seconds"] > 0
    assert rows["charlm-hamlet"]["cpu_seconds"] > 0
