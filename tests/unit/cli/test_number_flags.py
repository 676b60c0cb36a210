"""Counts, seeds, budgets and shares on the command line and in the library the pages call:
out-of-range numbers are refused with one line (argparse's usage error, exit 2; JSON under
--json) and by the same check in the library (a ValueError), never used silently."""

from __future__ import annotations

import argparse
import json

import pytest

from rnncore.bias import direct_bias, extremes, project
from rnncore.bias.directions import bias_direction
from rnncore.bias.query import Query
from rnncore.bias.scores import score_all
from rnncore.cli import build_parser, main
from rnncore.embeddings import evaluate_all
from rnncore.wordlists import oov_report


def run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exit_:  # argparse's usage errors
        return exit_.code


@pytest.mark.parametrize(("argv", "says"), [
    # each of these ran and exited 0 before: empty or doubled output, a silent default
    (["bias", "--topn", "-1"], "argument --topn: must be at least 1, not -1"),
    (["bias", "--topn", "0"], "argument --topn: must be at least 1, not 0"),
    (["bias", "--c", "-2"], "argument --c: must be at least 0, not -2"),
    (["metrics", "--seeds", "0"], "argument --seeds: must be at least 1, not 0"),
    (["evaluate", "ws353", "--restrict-vocab", "-5"],
     "argument --restrict-vocab: must be at least 0, not -5"),
    (["map", "she", "he", "--threshold", "5"], "argument --threshold: must be at most 1, not 5"),
    (["map", "she", "he", "--threshold", "nan"], "must be a finite number"),
    (["weat", "--test", "weat7", "--seed", "-1"], "argument --seed: must be at least 0"),
    (["debias", "inlp", "--out", "x.bin", "--iterations", "0"], "argument --iterations"),
    (["train-char", "--dropout", "1"], "argument --dropout: must be below 1, not 1"),
    (["sweep", "--hidden", "2", "0"], "argument --hidden: must be at least 1, not 0"),
    (["train-word-lm", "--top-k", "-1"], "argument --top-k: must be at least 0"),
    (["--limit", "x", "info"], "argument --limit: must be a whole number, not 'x'"),
])
def test_out_of_range_flags_are_usage_errors(capsys, argv, says):
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith(f"rnncore {argv[0]}: error:"
                                                   if not argv[0].startswith("-") else "rnncore")
    assert run([*argv, "--json"]) == 2
    error = json.loads(capsys.readouterr().err)
    assert error["kind"] == "usage" and says in error["error"]


def test_zero_keeps_its_documented_meaning_where_it_has_one(capsys):
    # `evaluate --restrict-vocab 0`: all words, as its help says; `--top-k 0`: all words
    assert main(["evaluate", "ws353", "--restrict-vocab", "0", "--json"]) == 0
    zero = json.loads(capsys.readouterr().out)["results"][0]
    assert main(["evaluate", "ws353", "--restrict-vocab", "31530", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0] == zero


def test_no_numeric_flag_is_a_bare_int_or_float():
    """Every count/seed/budget/share goes through a validator of rnncore.cli.common."""
    parser = build_parser()
    verbs = next(a for a in parser._actions if a.dest == "verb").choices
    bare = [(name, a.option_strings) for name, p in [("rnncore", parser), *verbs.items()]
            for a in p._actions if a.type in (int, float) and a.choices is None]
    assert bare == []
    # and each validator is argparse's usual usage error
    with pytest.raises(argparse.ArgumentTypeError):
        verbs["bias"]._option_string_actions["--topn"].type("0")


def test_the_library_the_pages_call_refuses_the_same_numbers(w2v):
    direction = bias_direction(w2v, [("she", "he")], "pair")
    table = project(w2v, ["nurse", "doctor", "engineer", "teacher"], direction)
    for n in (0, -1):  # -1 returned every word but one, on both sides
        with pytest.raises(ValueError, match="extreme words must be at least 1"):
            extremes(table, n)
    assert len(extremes(table, 1)) == 2
    with pytest.raises(ValueError, match="strictness c must be at least 0"):
        direct_bias(w2v, ["nurse"], direction, c=-1)
    with pytest.raises(ValueError, match="threshold must be at most 1"):
        oov_report(w2v, ["nurse"], threshold=20)  # a percentage where a share belongs
    with pytest.raises(ValueError, match="restrict_vocab must be at least 0"):
        evaluate_all(w2v, ["ws353"], restrict_vocab=-5)
    query = Query.build({"x": ["math"], "y": ["art"]}, {"a": ["he"], "b": ["she"]})
    with pytest.raises(ValueError, match="seed must be at least 0"):
        score_all(w2v, [query], ["rnsb"], seeds=range(-1, 2))
