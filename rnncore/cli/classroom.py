"""Classroom verbs: prepare-class (train the class models ahead of a lesson)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rnncore.cli.common import add_verb, emit, stderr_progress

VERBS = ("prepare-class",)
METRICS = {"sentiment": "test_accuracy", "charlm": "val_bits_per_char",
           "wordlm": "perplexity"}  # the headline number of each kind of class model


def _prepare_class(args: argparse.Namespace) -> int:
    from rnncore.train import class_models

    which = "quick" if args.quick else class_models.budget()
    names = args.only or list(class_models.NAMES)
    infos = class_models.prepare_all(
        which, names, progress=lambda name, update: stderr_progress(
            min(float(update.get("fraction", 0.0)), 1.0), name))
    rows = [{"name": i["name"], "budget": i["budget"], "metric": METRICS[i["kind"]],
             "value": i[METRICS[i["kind"]]], "trained": i["trained"],
             "seconds": round(i["prepare_seconds"], 1),
             "cpu_seconds": round(i["prepare_cpu_seconds"], 1),
             "side_by_side": [n for n in i["side_by_side"] if n != i["name"]],
             "path": str(class_models.class_home(which) / i["name"])} for i in infos]
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) \
        if Path("/proc/loadavg").is_file() else "n/a"
    return emit(args, {"budget": which, "models": rows, "load_average": load},
                lambda: "\n".join([*(
                    f"{r['name']:<18} {r['metric']} = {r['value']:.4f}  "
                    + (f"trained in {r['seconds']:.1f} s ({r['cpu_seconds']:.1f} s CPU"
                       + "".join(f", side by side with {n}" for n in r["side_by_side"]) + ")"
                       if r["trained"] else "stored already") + f"  ({r['path']})"
                    for r in rows), f"load average at the end: {load}"]))


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add the ``prepare-class`` verb."""
    p = add_verb(subparsers, common, "prepare-class",
                 "train the class models once, into the cache, ahead of a lesson",
                 "rnncore prepare-class --quick",
                 "The sentiment RNN on w2v-news-31k and on its hard-debiased copy, and the "
                 "Hamlet and names character LMs, and the word LM on the snippets over both "
                 "vectors, with fixed seeds and fixed numbers of steps (the same models on an "
                 "idle or a busy machine); models already stored are kept; prints how long "
                 "each took. Every dashboard session then uses them.")
    p.add_argument("--quick", action="store_true",
                   help="tiny budgets (seconds; for tests and dry runs), stored apart from full")
    p.add_argument("--only", nargs="+", metavar="NAME",
                   help="only these (sentiment-original, sentiment-hard, charlm-hamlet, "
                        "charlm-names, wordlm-original, wordlm-hard)")
    p.set_defaults(handler=_prepare_class)
