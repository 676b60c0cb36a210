"""Classroom verbs: prepare-class (train the class models and compute what the lessons show by
default, ahead of a lesson)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

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
             "value": i[METRICS[i["kind"]]], "trained": i["trained"],
             "seconds": round(i["prepare_seconds"], 1),
             "cpu_seconds": round(i["prepare_cpu_seconds"], 1),
             "side_by_side": [n for n in i["side_by_side"] if n != i["name"]],
             "path": str(class_models.class_home(which) / i["name"])} for i in infos]
    started, cpu = time.perf_counter(), time.process_time()
    results = _prepare_results(args.results)
    defaults = [] if args.no_defaults else _prepare_defaults(which, names)
    spent = {"seconds": round(time.perf_counter() - started, 1),
             "cpu_seconds": round(time.process_time() - cpu, 1)}
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) \
        if Path("/proc/loadavg").is_file() else "n/a"
    return emit(args, {"budget": which, "models": rows, "results": results,
                       "defaults": defaults, "results_time": spent, "load_average": load},
                lambda: "\n".join([*(
                    f"{r['name']:<18} {r['metric']} = {r['value']:.4f}  "
                    + (f"trained in {r['seconds']:.1f} s ({r['cpu_seconds']:.1f} s CPU"
                       + "".join(f", side by side with {n}" for n in r["side_by_side"]) + ")"
                       if r["trained"] else "stored already") + f"  ({r['path']})"
                    for r in rows),
                    *(f"debias-audit {r['method']:<7} {r['state']}  ({r['path']})"
                      for r in results),
                    *_defaults_summary(defaults),
                    f"results: {spent['seconds']:.1f} s ({spent['cpu_seconds']:.1f} s CPU)",
                    f"load average at the end: {load}"]))


def _prepare_defaults(which: str, names: list[str]) -> list[dict]:
    """Store what the lessons show by default (rnncore.class_results) for the class models in
    ``names`` and the Map: a server reads it instead of computing it for the first student."""
    from rnncore import class_results

    rows = class_results.precompute(which, names,
                                    lambda f, msg: stderr_progress(min(f, 1.0), msg))
    return [r | {"seconds": round(r["seconds"], 2), "cpu_seconds": round(r["cpu_seconds"], 2)}
            for r in rows]


def _defaults_summary(rows: list[dict]) -> list[str]:
    """One line per kind of default result: how many saved, kept, skipped, and their time."""
    lines = []
    for kind in dict.fromkeys(r["kind"] for r in rows):
        mine = [r for r in rows if r["kind"] == kind]
        states = ", ".join(f"{sum(r['state'] == s for r in mine)} {s}"
                           for s in ("saved", "kept", "skipped")
                           if any(r["state"] == s for r in mine))
        skipped = [r["what"] for r in mine if r["state"] == "skipped"]
        lines.append(f"{kind:<13} {states}  ({sum(r['seconds'] for r in mine):.1f} s, "
                     f"{sum(r['cpu_seconds'] for r in mine):.1f} s CPU)"
                     + (f": {'; '.join(skipped)}" if skipped else ""))
    return lines


def _prepare_results(methods: list[str]) -> list[dict]:
    """Save the default debias + audit of each of ``methods`` on the class embedding (kept when
    already saved): a server reads them instead of computing them for the first student."""
    from rnncore import class_models
    from rnncore.audit import runs
    from rnncore.embeddings import load_builtin

    embedding = load_builtin(class_models.EMBEDDING) if methods else None
    done = []
    for method in methods:
        request = runs.DebiasRequest.default(method)
        path = runs.stored_path(runs.results_home(), embedding, request)
        state = "kept"
        if runs.load(path, embedding, request) is None:
            report, accuracies = runs.debias_and_audit(
                embedding, request, lambda f, msg, m=method: stderr_progress(
                    min(f, 1.0), f"debias-audit {m}: {msg}"))
            runs.save(path, request, report, accuracies)
            state = "saved"
        done.append({"method": method, "state": state, "path": str(path)})
    return done


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add the ``prepare-class`` verb."""
    from rnncore.debias.methods import METHODS as DEBIAS_METHODS

    p = add_verb(subparsers, common, "prepare-class",
                 "train the class models once, into the cache, ahead of a lesson",
                 "rnncore prepare-class --quick",
                 "The sentiment RNN on w2v-news-31k and on its hard-debiased copy, and the "
                 "Hamlet and names character LMs, and the word LM on the snippets over both "
                 "vectors, with fixed seeds and fixed numbers of steps (the same models on an "
                 "idle or a busy machine); models already stored are kept; prints how long "
                 "each took. Every dashboard session then uses them. Then what the lessons "
                 "show by default is computed and stored beside them (see --results and "
                 "--no-defaults), so that no session computes it.")
    p.add_argument("--quick", action="store_true",
                   help="tiny budgets (seconds; for tests and dry runs), stored apart from full")
    p.add_argument("--only", nargs="+", metavar="NAME",
                   help="only these (sentiment-original, sentiment-hard, charlm-hamlet, "
                        "charlm-names, wordlm-original, wordlm-hard)")
    p.add_argument("--results", nargs="*", default=["hard"], metavar="METHOD",
                   choices=list(DEBIAS_METHODS),
                   help="also save the default debias + audit of these methods on the class "
                        "embedding (default: hard, what the lessons show; none with an empty "
                        "list), read by the dashboard instead of computed")
    p.add_argument("--no-defaults", action="store_true",
                   help="do not store the other results the pages show by default (stored "
                        "unless given: the Map's t-SNE of its default groups, the character "
                        "LMs' samples at every temperature step and the Top-k view's, the "
                        "sentiment and pronoun probes of the class models; for the models "
                        "prepared among --only)")
    p.set_defaults(handler=_prepare_class)
