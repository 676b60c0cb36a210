"""Benchmark: Hamlet character LM within a wall-clock budget, and the NumPy difficulty sweep.

    python bench/char_lm.py                    # defaults of `train-char`, 120 s, 2 threads
    python bench/char_lm.py --precision fp32   # the same without bfloat16
    python bench/char_lm.py --baseline         # also a naive 2x256 LSTM with the same budget
    python bench/char_lm.py --sweep            # also time the full difficulty sweep (no cache)

Prints one JSON document: validation loss (nats/char on the held-out last 10 % of Hamlet)
against the 1.45 target (also the networks' without the n-gram and each member's alone), the
training precision, throughput in characters per second, epochs, and the CPU seconds the
process used. On a shared machine the wall-clock budget buys fewer steps than on a
quiet one, so the loss reached depends on the neighbours; rerun on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnncore.corpora.text import hamlet  # noqa: E402
from rnncore.models.char_lm import CharLMConfig  # noqa: E402
from rnncore.rnn.sweep import sweep  # noqa: E402
from rnncore.train.char_lm import TrainSettings, train_char_lm  # noqa: E402

TARGET = 1.45
# the defaults of `python -m rnncore train-char`
DEFAULT_MODEL = CharLMConfig(vocab_size=1)
DEFAULT_TRAINING = TrainSettings()
# a straightforward baseline: one 2 x 256 LSTM in float32, shorter windows, constant learning
# rate, no n-gram
BASELINE_MODEL = CharLMConfig(vocab_size=1, cell="lstm", embed=64, hidden=256, layers=2,
                              dropout=0.0, members=1, ngram_order=0)
BASELINE_TRAINING = TrainSettings(seq_len=100, batch=32, lr=2e-3, lr_final=1.0,
                                  precision="fp32")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(name: str, config: CharLMConfig, settings: TrainSettings) -> dict:
    text = hamlet().text
    cpu = cpu_seconds()
    result = train_char_lm(text, config, settings)
    summary = result.summary()
    return {"name": name, "val_loss_nats_per_char": round(result.val_loss, 4),
            "member_val_losses": [round(loss, 4) for loss in result.member_val_losses],
            "networks_val_loss": (None if result.networks_val_loss is None
                                  else round(result.networks_val_loss, 4)),
            "precision": result.precision,
            "meets_target": result.val_loss <= TARGET,
            "chars_per_second": round(result.chars_per_second),
            "train_seconds": round(result.train_seconds, 1),
            "cpu_seconds": round(cpu_seconds() - cpu, 1), "epochs": round(result.epochs, 2),
            "steps": result.steps, "config": summary["config"], "settings": summary["settings"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--precision", choices=["auto", "fp32", "bf16"], default="auto",
                        help="for the default model (the baseline stays fp32)")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()
    budget = {"seconds": args.seconds, "threads": args.threads, "seed": args.seed}
    out = {"target_val_loss": TARGET, "runs": [
        run("default", DEFAULT_MODEL,
            replace(DEFAULT_TRAINING, precision=args.precision, **budget))]}
    if args.baseline:
        out["runs"].append(run("baseline 2x256 LSTM", BASELINE_MODEL,
                               replace(BASELINE_TRAINING, **budget)))
    if args.sweep:
        with tempfile.TemporaryDirectory() as tmp:
            start, cpu = time.perf_counter(), cpu_seconds()
            result = sweep(workers=2, cache_dir=Path(tmp))
            out["sweep"] = {"wall_seconds": round(time.perf_counter() - start, 1),
                            "parent_cpu_seconds": round(cpu_seconds() - cpu, 1),
                            "difficulty": json.loads(result.difficulty().to_json(
                                orient="records"))}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
