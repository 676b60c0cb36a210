"""Classroom verbs: prepare-class (train the class models ahead of a lesson)."""

from __future__ import annotations

import argparse

from rnncore.cli.common import emit, stderr_progress


def _prepare_class(args: argparse.Namespace) -> int:
    from rnncore.train import class_models

    which = "quick" if args.quick else class_models.budget()
    names = args.only or list(class_models.NAMES)
    infos = class_models.prepare_all(
        which, names, progress=lambda name, update: stderr_progress(
            min(float(update.get("fraction", 0.0)), 1.0), name))
    rows = [{"name": i["name"], "budget": i["budget"],
             "metric": ("test_accuracy" if i["kind"] == "sentiment" else "val_bits_per_char"),
             "value": i.get("test_accuracy", i.get("val_bits_per_char")),
             "path": str(class_models.class_home(which) / i["name"])} for i in infos]
    return emit(args, {"budget": which, "models": rows}, lambda: "\n".join(
        f"{r['name']:<20} {r['metric']} = {r['value']:.4f}  ({r['path']})" for r in rows))


def register(subparsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "prepare-class", parents=[common],
        help="train the class models (sentiment on original + hard-debiased vectors, char LMs) "
             "once, into the cache")
    p.add_argument("--quick", action="store_true",
                   help="tiny budgets (seconds; for tests and dry runs), stored apart from full")
    p.add_argument("--only", nargs="+", metavar="NAME",
                   help="only these (sentiment-original, sentiment-hard, charlm-hamlet, "
                        "charlm-names)")
    p.set_defaults(handler=_prepare_class)
