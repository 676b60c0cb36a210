"""How many of the command line's refusals name the file or the flag they are about.

    python bench/cli_refusals.py [--quick]

Runs the CLI in-process over (1) every hostile file of tests/hostile (small and large) passed
to every file-reading option of every verb, and (2) every numeric flag found in the parsers
with 0, -1, 10**12, NaN and inf (parse only: nothing runs). A refusal is an exit status 2;
it *names its input* when its message holds the file's whole name (not cut) or the flag.
Prints the counts and the refusals that name neither. Training verbs get ``--seconds 1``.
``--quick``: the small files only. Run it on another checkout with PYTHONPATH to compare.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rnncore.cli import build_parser, main  # noqa: E402
from tests.hostile.corpus import CASES, path_of, write_large  # noqa: E402

WEAT = ["--target-y", "arts", "--attr-a", "male_terms", "--attr-b", "female_terms"]
FILE_OPTIONS = [  # every option that reads a file ({} is the file), per verb
    (["bias", "--words", "{}"], "--words"),
    (["weat", "--target-x", "{}", *WEAT], "--target-x"),
    (["metrics", "--target", "{}", "--target", "arts", "--attribute", "male_terms",
      "--metric", "weat"], "--target"),
    (["map", "--file", "{}"], "--file"),
    (["debias", "multiclass", "--groups", "{}", "--out", "out.bin"], "--groups"),
    (["probe", "sentiment", "--model", "baseline", "--groups", "{}"], "--groups"),
    (["probe", "sentiment", "--model", "baseline", "--templates", "{}"], "--templates"),
    (["train-sentiment", "--csv", "{}", "--seconds", "1"], "--csv"),
    (["train-char", "--corpus", "{}", "--seconds", "1"], "--corpus"),
    (["train-word-lm", "--corpus", "{}", "--seconds", "1"], "--corpus"),
    (["--embedding", "{}", "info"], "--embedding"),
]
HOSTILE = ["0", "-1", "1000000000000", "nan", "inf"]


def _run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
        except Exception as exc:  # noqa: BLE001 - a traceback is counted, not raised
            code, err = -1, io.StringIO(f"TRACEBACK {type(exc).__name__}: {exc}")
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    return code, lines[-1] if lines else ""


def _numeric_flags() -> list[tuple[str, str]]:
    parser = build_parser()
    verbs = next(a for a in parser._actions if a.dest == "verb").choices
    found = []
    for verb, sub in verbs.items():
        for action in sub._actions:
            if not action.option_strings or action.type in (None, str) or action.choices:
                continue
            try:
                numeric = isinstance(action.type("1"), int | float)
            except Exception:  # noqa: BLE001
                numeric = True
            if numeric:
                found.append((verb, action.option_strings[0]))
    return found


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small files only")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cli-refusals-"))
    large = {} if args.quick else write_large(work / "large")
    cases = [c for c in CASES if not (c.large and args.quick)]
    refusals, unnamed, tracebacks, runs = 0, [], [], 0
    import os

    os.chdir(work)
    for case in cases:
        path = str(path_of(case, large))
        for template, flag in FILE_OPTIONS:
            runs += 1
            code, line = _run([a.replace("{}", path) for a in template])
            if code == -1:
                tracebacks.append((case.name, template[0], line))
            if code == 2:
                refusals += 1
                if Path(path).name not in line and flag not in line:
                    unnamed.append((case.name, template[0], flag, line[:160]))
    flags = _numeric_flags()
    for verb, flag in flags:
        for value in HOSTILE:
            runs += 1
            try:
                with contextlib.redirect_stderr(io.StringIO()) as err:
                    build_parser(verb).parse_args([verb, *_positionals(verb), flag, value])
                continue  # accepted: parse only, nothing runs
            except SystemExit:
                pass
            refusals += 1
            line = [x for x in err.getvalue().splitlines() if x.strip()][-1]
            if flag not in line:
                unnamed.append(("-", verb, flag, line[:160]))
    print(f"{runs} runs ({len(cases)} files x {len(FILE_OPTIONS)} file options, "
          f"{len(flags)} numeric flags x {len(HOSTILE)} values)")
    print(f"{refusals} refusals (exit 2), {len(unnamed)} name neither the file nor the flag, "
          f"{len(tracebacks)} tracebacks")
    for row in unnamed[:40]:
        print("  unnamed:", " | ".join(row))
    for row in tracebacks[:10]:
        print("  traceback:", " | ".join(row))


def _positionals(verb: str) -> list[str]:
    return {"parity": ["0101"], "test-word": ["abab"], "distance": ["a:b"],
            "neighbors": ["nurse"], "analogy": ["a", "b", "c"],
            "debias": ["hard", "--out", "x.bin"], "probe": ["sentiment"]}.get(verb, [])


if __name__ == "__main__":
    main_bench()
