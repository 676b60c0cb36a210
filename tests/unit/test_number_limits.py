"""Every numeric flag of every verb is bounded by the limits table (rnncore/limits.py).

The flags are found from the parsers themselves (every action whose ``type`` turns "1" into a
number), so a new flag cannot escape: each must carry a finite limit, and 0, -1, 10**12, NaN
and inf are either refused by argparse (exit 2, one line naming the flag; JSON under --json)
or accepted within that limit. A few real runs in subprocesses under a 3 GB address-space
limit check that a configuration accepted flag by flag but too large together is refused by
the memory estimate before anything is built, with a bounded peak RSS, and that an output
path that cannot be written is refused before training.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rnncore.cli import build_parser, main
from rnncore.cli.common import word_pair
from rnncore.limits import (
    LIMITS,
    MAX_TRAINING_BYTES,
    char_lm_training_bytes,
    check_char_lm_memory,
    limit,
)

HOSTILE = ["0", "-1", "1000000000000", "nan", "inf", "-inf"]
ADDRESS_SPACE = 3 * 2**30  # RLIMIT_AS of the subprocess runs
PEAK_RSS_KB = 700 * 1024  # a refused run stays below this (Python + torch + the corpus)


def _verbs() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    return next(a for a in parser._actions if a.dest == "verb").choices


def _numeric(action: argparse.Action) -> bool:
    """Whether argparse turns this option's text into a number."""
    if action.type is None or action.choices is not None or action.type is word_pair:
        return False
    try:
        return isinstance(action.type("1"), int | float)
    except (argparse.ArgumentTypeError, ValueError, TypeError):
        return True  # "1" refused (a float above 1, say): still a number type


def _base_argv(verb: str, parser: argparse.ArgumentParser) -> list[str]:
    """``verb`` with its required positionals and options filled in, so that only the flag
    under test can make parsing fail."""
    argv = [verb]
    for action in parser._actions:
        if action.option_strings and not action.required:
            continue
        if action.dest in ("help",):
            continue
        value = (list(action.choices)[0] if action.choices else
                 "a:b" if action.type is word_pair else "x.bin" if action.option_strings
                 else "abab")
        argv += [*action.option_strings[:1], str(value)]
    return argv


def _numeric_flags() -> list[tuple[str, str, argparse.Action, list[str]]]:
    found = []
    for verb, parser in _verbs().items():
        base = _base_argv(verb, parser)
        for action in parser._actions:
            if action.option_strings and _numeric(action):
                found.append((verb, action.option_strings[0], action, base))
    return found


FLAGS = _numeric_flags()


def test_every_numeric_flag_carries_a_finite_limit():
    assert len(FLAGS) >= 50  # the parsers were walked (about 60 flags today)
    unbounded = [f"{verb} {flag}" for verb, flag, action, _ in FLAGS
                 if not math.isfinite(getattr(action.type, "limit", None).high
                                      if hasattr(action.type, "limit") else math.inf)]
    assert unbounded == []
    for key, bound in LIMITS.items():  # and every limit says why it is there
        assert bound.low <= bound.high < math.inf and len(bound.reason) > 15, key


@pytest.mark.parametrize(("verb", "flag"), [(v, f) for v, f, _, _ in FLAGS])
def test_hostile_values_are_refused_or_within_the_limit(capsys, verb, flag):
    action = next(a for v, f, a, _ in FLAGS if (v, f) == (verb, flag))
    base = next(b for v, f, _, b in FLAGS if (v, f) == (verb, flag))
    bound = action.type.limit
    parser = build_parser(verb)
    for text in HOSTILE:
        nargs = [text] if action.nargs is None or action.nargs == "?" else [text]
        argv = [*base, flag, *nargs]
        try:
            args = parser.parse_args(argv)  # parse only: no handler runs
        except SystemExit as exit_:
            assert exit_.code == 2, argv
            err = capsys.readouterr().err
            lines = err.strip().splitlines()
            assert len(lines) == 1 and flag in lines[0] and "Traceback" not in err, (argv, err)
            continue
        value = getattr(args, action.dest)
        for v in value if isinstance(value, list) else [value]:
            assert math.isfinite(v) and bound.low <= v <= bound.high, (argv, v)
        assert text not in ("1000000000000", "nan", "inf", "-inf"), argv  # never accepted


def test_refusals_under_json_are_one_json_object(capsys):
    assert main_code(["train-char", "--hidden", "1000000000000", "--json"]) == 2
    error = json.loads(capsys.readouterr().err)
    assert error["kind"] == "usage" and "--hidden" in error["error"]
    assert "at most 2,048" in error["error"] and limit("char.hidden").reason in error["error"]


def main_code(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exit_:
        return exit_.code


def test_the_memory_estimate_refuses_what_does_not_fit():
    # a 1 x 20,000 LSTM (the issue's --hidden 20000) would need gigabytes
    assert char_lm_training_bytes(65, 64, 20_000, 1, 1, 16, 64) > 6 * 10**9
    default = char_lm_training_bytes(65, 64, 384, 1, 4, 16, 64, side_by_side=2)
    assert default < MAX_TRAINING_BYTES / 4  # the tuned default is far from the limit
    # arithmetic only: the training path itself is run in a subprocess under RLIMIT_AS below,
    # so that a removed limit fails the test instead of filling the machine's memory
    with pytest.raises(ValueError, match=r"needs about .* GB to train.*at most 600 MB"):
        check_char_lm_memory(65, 64, 2048, 4, 16, 512, 64, side_by_side=2)
    assert check_char_lm_memory(65, 64, 384, 1, 4, 16, 64, side_by_side=2) == default


_WRAPPER = """
import os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from rnncore.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit_:
    code = exit_.code
status = open("/proc/self/status").read()  # VmHWM: ru_maxrss would count the forked parent
with open(os.environ["PEAK_RSS_FILE"], "w") as handle:
    handle.write(status.split("VmHWM:")[1].split()[0])
sys.exit(code)
"""


def _run(argv: list[str], tmp_path: Path) -> tuple[subprocess.CompletedProcess, int]:
    """Run the CLI in a subprocess under RLIMIT_AS; (result, its own peak RSS in kB)."""
    peak_file = tmp_path / "peak"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
           "PEAK_RSS_FILE": str(peak_file)}
    proc = subprocess.run([sys.executable, "-c", _WRAPPER.format(limit=ADDRESS_SPACE), *argv],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    return proc, int(peak_file.read_text()) if peak_file.exists() else 0  # 0: it crashed


def test_real_runs_are_refused_before_work_with_bounded_memory(tmp_path):
    # each flag within its limit, all at their maximum together: refused by the estimate
    huge, peak = _run(["train-char", "--corpus", "names", "--hidden", "2048", "--layers", "4",
                       "--members", "16", "--batch", "512", "--seq-len", "1024",
                       "--seconds", "600"], tmp_path)
    assert huge.returncode == 2, huge.stderr
    assert huge.stderr.strip().splitlines()[-1].startswith("error: this character LM needs")
    assert "Traceback" not in huge.stderr and peak < PEAK_RSS_KB, peak
    # an output folder that refuses new files: refused before training (no step reported)
    for out in ("/proc/x.pt", "/dev/full"):
        proc, peak = _run(["train-char", "--corpus", "names", "--seconds", "30", "--out", out],
                          tmp_path)
        assert proc.returncode == 2 and out in proc.stderr and "step" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and peak < PEAK_RSS_KB
