"""Classroom verbs: prepare-class (train the class models ahead of a lesson)."""

from __future__ import annotations

import argparse

from rnncore.cli.common import add_verb, emit, stderr_progress

VERBS = ("prepare-class",)
METRICS = {"sentiment": "test_accuracy", "charlm": "val_bits_per_char",
           "wordlm": "perplexity"}  # the headline number of each kind of class model


def _prepare_class(args: argparse.Namespace) -> int:
    from rnncore import class_models

    which = "quick" if args.quick else class_models.budget()
    names = args.only or list(class_models.NAMES)
    infos = class_models.prepare_all(
        which, names, progress=lambda name, update: stderr_progress(
            min(float(update.get("fraction", 0.0)), 1.0), name))
    rows = [{"name": i["name"], "budget": i["budget"], "metric": METRICS[i["kind"]],
             "value": i[METRICS[i["kind"]]],
             "path": str(class_models.class_home(which) / i["name"])} for i in infos]
    return emit(args, {"budget": which, "models": rows}, lambda: "\n".join(
        f"{r['name']:<20} {r['metric']} = {r['value']:.4f}  ({r['path']})" for r in rows))


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add the ``prepare-class`` verb."""
    p = add_verb(subparsers, common, "prepare-class",
                 "train the class models once, into the cache, ahead of a lesson",
                 "rnncore prepare-class --quick",
                 "The sentiment RNN on w2v-news-31k and on its hard-debiased copy, and the "
                 "Hamlet and names character LMs, and the word LM on the snippets over both "
                 "vectors, with fixed seeds and the documented budgets; "
                 "models already stored are kept. Every dashboard session then uses them.")
    p.add_argument("--quick", action="store_true",
                   help="tiny budgets (seconds; for tests and dry runs), stored apart from full")
    p.add_argument("--only", nargs="+", metavar="NAME",
                   help="only these (sentiment-original, sentiment-hard, charlm-hamlet, "
                        "charlm-names, wordlm-original, wordlm-hard)")
    p.set_defaults(handler=_prepare_class)
