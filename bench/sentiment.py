"""Benchmark: the default sentiment model (test accuracy, training time) and a full shift run.

    python bench/sentiment.py                 # default model, seed 0, 60 s limit
    python bench/sentiment.py --seeds 3       # mean and spread over seeds 0..2
    python bench/sentiment.py --shift         # also: shift --debias hard --seeds 3 (wall time)
    python bench/sentiment.py --folds 10      # stratified 10-fold cross-validation (fixed epochs)
    python bench/sentiment.py --folds 10 --only 0 1 2 --validation-only   # choose settings
    python bench/sentiment.py --folds 10 --merge a.err b.err   # one summary of folds run in
                                                               # parts (their per-fold lines)

With ``--folds K`` every fold trains for the default number of epochs without a time limit (so
the figures do not depend on the load), keeps each member's best epoch on a validation slice of
the training folds, and is scored on its test fold; ``--validation-only`` prints no test figure
(for choosing settings without seeing a test fold). ``--set KEY=VALUE`` overrides a field of
``SentimentConfig`` or ``TrainSettings`` (e.g. ``--set members=4 hidden=48``).

Prints one JSON document, with each ensemble member's own test accuracy beside the
ensemble's (the members train side by side, one per core). Training time is the wall-clock
of the training loop; CPU seconds are printed beside it because on a shared machine the wall
time mostly measures the neighbours (CPU seconds ~ members x the wall time on a quiet one).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnncore.corpora.reviews import load_reviews, reviews_split  # noqa: E402
from rnncore.embeddings import load_builtin  # noqa: E402
from rnncore.models.sentiment import SentimentConfig  # noqa: E402
from rnncore.shift.compare import ShiftSettings, run_shift  # noqa: E402
from rnncore.train.cross_validation import cross_validate  # noqa: E402
from rnncore.train.sentiment import TrainSettings, train_sentiment  # noqa: E402

TARGET_ACCURACY, TARGET_SECONDS, TARGET_SHIFT_SECONDS = 0.81, 60.0, 600.0


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bench_sentiment(seeds: int, seconds: float) -> dict:
    embedding, data = load_builtin("w2v-news-31k"), reviews_split()
    runs = []
    for seed in range(seeds):
        cpu = cpu_seconds()
        run = train_sentiment(embedding, data, settings=TrainSettings(seed=seed, seconds=seconds))
        runs.append({"seed": seed, "test_accuracy": round(run.test.accuracy, 4),
                     "test_f1": round(run.test.f1, 4), "train_seconds": round(run.train_seconds, 1),
                     "cpu_seconds": round(cpu_seconds() - cpu, 1),
                     "member_test_accuracy": [round(m.accuracy, 4) for m in run.member_test],
                     "validation_accuracy": round(run.validation.accuracy, 4),
                     "best_epochs": run.best_epochs,
                     "epochs_run": run.history.groupby("member")["epoch"].max().tolist(),
                     "stopped": run.stopped})
        print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    accuracies = [r["test_accuracy"] for r in runs]
    members = [a for r in runs for a in r["member_test_accuracy"]]
    return {"runs": runs, "mean_test_accuracy": round(statistics.mean(accuracies), 4),
            "mean_member_test_accuracy": round(statistics.mean(members), 4),
            "mean_validation_accuracy": round(statistics.mean(
                r["validation_accuracy"] for r in runs), 4),
            "sd_test_accuracy": round(statistics.stdev(accuracies), 4) if seeds > 1 else None,
            "max_train_seconds": max(r["train_seconds"] for r in runs),
            "target": f">= {TARGET_ACCURACY:.1%} test accuracy in <= {TARGET_SECONDS:.0f} s",
            "coverage": run.coverage.as_dict()}


def overrides(pairs: list[str]) -> tuple[SentimentConfig, TrainSettings]:
    """``KEY=VALUE`` pairs applied to the default config and settings (values as JSON)."""
    config, settings = {}, {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            parsed = value
        if key in SentimentConfig.__dataclass_fields__:
            config[key] = parsed
        elif key in TrainSettings.__dataclass_fields__:
            settings[key] = parsed
        else:
            raise SystemExit(f"--set: {key!r} is neither a SentimentConfig nor a TrainSettings "
                             "field")
    return SentimentConfig(**config), TrainSettings(**{"seconds": None, **settings})


def bench_folds(k: int, only: list[int] | None, pairs: list[str], test: bool) -> dict:
    config, settings = overrides(pairs)
    embedding, table = load_builtin("w2v-news-31k"), load_reviews()
    started = time.perf_counter()

    def on_fold(score) -> None:
        row = {"fold": score.fold, "train_seconds": round(score.train_seconds, 1),
               "cpu_seconds": round(score.cpu_seconds, 1),
               "validation_accuracy": round(score.validation_accuracy, 4),
               "best_epochs": score.best_epochs, "loadavg": loadavg()}
        if test:
            row |= {"test_accuracy": round(score.test_accuracy, 4),
                    "member_test_accuracy": [round(a, 4) for a in score.member_test_accuracy]}
        print(json.dumps(row), file=sys.stderr, flush=True)

    result = cross_validate(embedding, table, k, config, settings, only, on_fold=on_fold)
    out = {"snippets": len(table), "positive_share": round(float(table["label"].mean()), 4),
           "cpu": cpu_name(), "torch_threads": settings.threads, "model": config.as_dict(),
           "training": settings.as_dict(), **result.summary(test=test),
           "wall_seconds": round(time.perf_counter() - started, 1), "loadavg_end": loadavg()}
    if test:
        out["target"] = (f"mean >= {TARGET_ACCURACY:.1%} over {k} folds, <= {TARGET_SECONDS:.0f}"
                         " s per fold on 2 cores")
    return out


def merge(paths: list[Path], k: int, pairs: list[str]) -> dict:
    """One cross-validation summary from the per-fold lines (stderr) of ``--folds K --only ...``
    runs with the same ``--set``: every fold 0..K-1 once."""
    config, settings = overrides(pairs)
    rows = {}
    for path in paths:
        for line in path.read_text().splitlines():
            if line.startswith('{"fold"'):
                row = json.loads(line)
                rows.setdefault(row["fold"], row)
    folds = [rows[i] for i in sorted(rows)]
    if sorted(rows) != list(range(k)):
        raise SystemExit(f"--merge: folds {sorted(rows)} are not all {k}")

    def mean_sd(key: str) -> tuple[float, float]:
        values = [f[key] for f in folds]
        return round(statistics.mean(values), 4), round(statistics.stdev(values), 4)

    out = {"k": k, "cpu": cpu_name(), "model": config.as_dict(), "training": settings.as_dict(),
           "folds": folds}
    for key in ("test_accuracy", "validation_accuracy", "train_seconds", "cpu_seconds"):
        out[f"mean_{key}"], out[f"sd_{key}"] = mean_sd(key)
    out["min_max_test_accuracy"] = [min(f["test_accuracy"] for f in folds),
                                    max(f["test_accuracy"] for f in folds)]
    # members train side by side, one per core: on 2 idle cores the wall time is about the
    # CPU time over min(members, 2) (an upper estimate: CPU seconds inflate under load)
    out["quiet_2core_wall_seconds_estimate"] = round(
        out["mean_cpu_seconds"] / min(config.members, 2), 1)
    return out


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def bench_shift(seeds: int) -> dict:
    started, cpu = time.perf_counter(), cpu_seconds()
    embedding = load_builtin("w2v-news-31k")
    result = run_shift(embedding, ShiftSettings(debias=("hard",), seeds=tuple(range(seeds))),
                       report=lambda u: print(f"[{u['fraction']:4.0%}] {u['message']}",
                                              file=sys.stderr, flush=True)
                       if "message" in u else None)
    quality = result.summary()
    quality = quality[(quality["kind"] == "quality") & (quality["probe"] == "test_accuracy")]
    return {"seconds": round(time.perf_counter() - started, 1),
            "cpu_seconds": round(cpu_seconds() - cpu, 1),
            "target_seconds": TARGET_SHIFT_SECONDS, "seeds": seeds, "embeddings": 2,
            "accuracy": quality[["model", "embedding", "mean", "sd"]].round(4).to_dict("records")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=TARGET_SECONDS)
    parser.add_argument("--shift", action="store_true", help="also time a full shift run")
    parser.add_argument("--shift-only", action="store_true")
    parser.add_argument("--folds", type=int, help="stratified K-fold cross-validation instead")
    parser.add_argument("--only", type=int, nargs="+", metavar="FOLD",
                        help="with --folds: run only these folds (0-based)")
    parser.add_argument("--validation-only", action="store_true",
                        help="with --folds: print no test figure (for choosing settings)")
    parser.add_argument("--set", nargs="+", default=[], metavar="KEY=VALUE",
                        help="with --folds: override a SentimentConfig/TrainSettings field")
    parser.add_argument("--merge", nargs="+", type=Path, metavar="LOG",
                        help="with --folds (and the same --set): combine the per-fold lines "
                             "(stderr) of runs over parts of the folds")
    args = parser.parse_args()
    out = {}
    if args.merge:
        out["cross_validation"] = merge(args.merge, args.folds or 10, args.set)
    elif args.folds:
        out["cross_validation"] = bench_folds(args.folds, args.only, args.set,
                                              not args.validation_only)
    elif not args.shift_only:
        out["sentiment"] = bench_sentiment(args.seeds, args.seconds)
    if args.shift or args.shift_only:
        out["shift"] = bench_shift(3)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
