"""What every verb promises: help with an example, one JSON shape, JSON errors, light imports."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rnncore import __version__
from rnncore.cli import COMMAND_MODULES, build_parser, main
from rnncore.cli.common import common_parent

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("torch", "pandas", "scipy", "sklearn", "gensim")


def verbs() -> dict:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "verb")
    return action.choices


def test_each_module_declares_exactly_the_verbs_it_registers():
    # main() registers only the module whose VERBS names the verb: they must agree
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        subparsers = argparse.ArgumentParser().add_subparsers()
        module.register(subparsers, common_parent())
        assert tuple(subparsers.choices) == module.VERBS, name
    assert sorted(v for n in COMMAND_MODULES for v in importlib.import_module(n).VERBS) \
        == sorted(verbs())


def test_every_verb_says_what_it_does_with_one_example():
    for name, parser in verbs().items():
        assert parser.description and len(parser.description) > 20, name
        assert parser.epilog.startswith("example:\n  rnncore "), name
        assert f"rnncore {name}" in parser.epilog, name


def test_one_flag_name_per_idea_with_the_old_spelling_hidden():
    seen: dict[str, set[str]] = {}
    for name, parser in verbs().items():
        helped = {o for a in parser._actions if a.help != "==SUPPRESS==" for o in a.option_strings}
        for flag in helped:
            seen.setdefault(flag, set()).add(name)
    assert "--top" not in seen and "--save" not in seen and "--csv" in seen
    assert {"neighbors", "analogy", "bias"} <= seen["--topn"]
    assert "shift" not in seen["--csv"] and "shift" in seen["--out-csv"]
    assert seen["--text"] == {"trace"} and "debias" in seen["--format"]  # --text: an input string


def run_json(capsys, *args: str) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_verb_carries_the_same_embedding_object(capsys):
    info = run_json(capsys, "info")["embedding"]
    assert (info["name"], info["n_words"]) == ("w2v-news-31k", 31530)
    for args in (["distance", "woman:nurse"], ["neighbors", "nurse", "--topn", "2"],
                 ["analogy", "man", "king", "woman", "--topn", "2"], ["bias", "--topn", "2"],
                 ["weat", "--test", "weat7", "--permutations", "1000"]):
        assert run_json(capsys, *args)["embedding"] == info, args
    assert run_json(capsys, "parity", "0110")["embedding"] is None  # a verb that uses none


def test_the_old_flag_spelling_still_works(capsys):
    new = run_json(capsys, "bias", "--topn", "3")["extremes"]
    old = run_json(capsys, "bias", "--top", "3")["extremes"]
    assert new == old and all(len(rows) == 3 for rows in new.values())


@pytest.mark.parametrize(("args", "kind", "says"), [
    (["neighbors", "zzqqx"], "KeyError", "zzqqx"),
    (["distance", "woman-nurse"], "usage", "expected WORD:WORD"),
    (["weat", "--test", "weat99"], "KeyError", "unknown WEAT test"),
])
def test_errors_under_json_are_json_on_stderr(capsys, args, kind, says):
    try:
        code = main([*args, "--json"])
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code
    captured = capsys.readouterr()
    error = json.loads(captured.err)
    assert code == 2 and captured.out == ""
    assert error["kind"] == kind and says in error["error"]


def subprocess_modules(script: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_info_imports_none_of_the_heavy_libraries():
    loaded = subprocess_modules(
        "import sys, json; from rnncore.cli import main; main(['info', '--json']);"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    assert loaded == []


def test_the_embedding_and_bias_verbs_never_import_torch():
    verbs_run = [["distance", "woman:nurse"], ["neighbors", "nurse"],
                 ["analogy", "man", "king", "woman"], ["weat", "--test", "weat7"],
                 ["bias", "--topn", "2"], ["info"]]
    loaded = subprocess_modules(
        "import sys, json; from rnncore.cli import main\n"
        f"for args in {verbs_run!r}: assert main(args) == 0\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    assert "torch" not in loaded and "pandas" in loaded  # the verbs did run


NO_TORCH = """
import sys
from importlib.abc import MetaPathFinder

class NoTorch(MetaPathFinder):  # `import torch` fails as where torch is not installed
    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] == "torch":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, NoTorch())
from rnncore.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def test_a_torch_verb_without_torch_names_the_extra():
    result = subprocess.run([sys.executable, "-c", NO_TORCH, "train-word-lm", "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    error = json.loads(result.stderr.strip().splitlines()[-1])
    assert "pip install 'rnncore[rnn]'" in error["error"]


@pytest.mark.slow
def test_the_lexicon_probe_needs_no_torch():
    result = subprocess.run([sys.executable, "-c", NO_TORCH, "probe", "sentiment", "--model",
                             "baseline", "--groups", "gender_terms", "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["gaps"][0]["n_a"] > 10


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"rnncore {__version__}"
