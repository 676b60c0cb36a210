"""Benchmark: the Hamlet character LM in 120 s against the 1.45 nats/char goal, on this CPU.

    python bench/char_lm.py                    # this CPU's defaults, 120 s wall-clock, 2 cores
    python bench/char_lm.py --isa avx2         # the same with torch capped to AVX2: a child
                                               # with ATEN_CPU_CAPABILITY=avx2 and
                                               # ONEDNN_MAX_CPU_ISA=AVX2
    python bench/char_lm.py --predict          # load-independent: CPU seconds per step (each
                                               # member's thread, a short calibration) -> the
                                               # steps 120 s buy on 2 quiet cores -> train
                                               # exactly those steps
    python bench/char_lm.py --steps 1500       # a fixed number of steps per member
    python bench/char_lm.py --ablation         # characters per CPU second of each choice
    python bench/char_lm.py --precision fp32   # the fp32 kind's defaults on a bf16 CPU
    python bench/char_lm.py --model hidden=384 --model members=2   # another configuration
    python bench/char_lm.py --baseline         # also a naive 2x256 LSTM with the same budget
    python bench/char_lm.py --sweep            # also time the full difficulty sweep (no cache)

Prints the CPU's features (instruction sets, the kernels torch runs, caps, bfloat16), the CPU
kind and the configuration chosen for it (``rnncore.train.cpu_defaults``), the load average,
then per run the held-out loss (nats/char on the last 10 % of Hamlet) against the goal, the
networks' loss without the n-gram (what the n-gram is worth), characters per second and per
CPU second, and ends with ``held-out nats/char X (goal 1.45)``. ``--json`` prints one JSON
document instead. A wall-clock budget on a shared machine buys fewer steps than on a quiet
one: there use ``--predict`` (or ``--steps``), whose loss depends on the step count only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path

ISA_CAPS = {"avx2": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2"}}
if __name__ == "__main__" and "--isa" in sys.argv:  # re-run in a child with the caps set
    i = sys.argv.index("--isa")
    isa = sys.argv[i + 1] if i + 1 < len(sys.argv) else ""
    if isa not in ISA_CAPS:
        sys.exit(f"--isa must be one of {', '.join(ISA_CAPS)}")
    argv = sys.argv[:i] + sys.argv[i + 2:]
    sys.exit(subprocess.call([sys.executable, *argv], env={**os.environ, **ISA_CAPS[isa]}))

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from rnncore.corpora.text import hamlet  # noqa: E402
from rnncore.models.char_lm import CharLMConfig  # noqa: E402
from rnncore.rnn.sweep import sweep  # noqa: E402
from rnncore.train.char_lm import TrainSettings, train_char_lm  # noqa: E402
from rnncore.train.cpu_defaults import char_lm_defaults  # noqa: E402

TARGET = 1.45
# torch.backends.mkldnn.flags() warns about TF32 on Intel GPUs, which do not matter here
warnings.filterwarnings("ignore", message="TF32 acceleration on top of oneDNN")
# a straightforward baseline: one 2 x 256 LSTM in float32, shorter windows, constant learning
# rate, no n-gram
BASELINE_MODEL = CharLMConfig(vocab_size=1, cell="lstm", embed=64, hidden=256, layers=2,
                              dropout=0.0, members=1, ngram_order=0)
BASELINE_TRAINING = TrainSettings(seq_len=100, batch=32, lr=2e-3, lr_final=1.0,
                                  precision="fp32")
CALIBRATION_STEPS = (5, 35)  # CPU seconds per step: timed from step 5 to step 35


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load() -> float:
    return round(os.getloadavg()[0], 2)


def short_run(text: str, config: CharLMConfig, settings: TrainSettings, steps: int) -> dict:
    """Train ``config`` for ``steps`` steps (one round, no n-gram); each member's CPU seconds
    (its own thread's) and wall-clock at every step: ``{member: {step: (cpu, wall)}}``."""
    config = replace(config, ngram_order=0, members=min(config.members, settings.side_by_side))
    clocks: dict[int, dict[int, tuple[float, float]]] = {}

    def report(row: dict) -> None:  # called in the member's own thread
        if "loss" in row:
            clocks.setdefault(row["member"], {})[row["step"]] = (time.thread_time(),
                                                                  time.perf_counter())

    train_char_lm(text, config, replace(settings, seconds=None, max_steps=steps, eval_every=None,
                                        val_fraction=0.02), report)
    return clocks


def calibrate(text: str, config: CharLMConfig, settings: TrainSettings) -> dict:
    """CPU seconds per step of one member (members side by side as configured, each timed on
    its own thread after a few warm-up steps)."""
    few, many = CALIBRATION_STEPS
    clocks = short_run(text, config, settings, many)
    per_step = sum((c[many][0] - c[few][0]) / (many - few)
                   for c in clocks.values()) / len(clocks)
    return {"cpu_seconds_per_step": per_step,
            "chars_per_cpu_second": settings.batch * settings.seq_len / per_step}


def quiet_steps(config: CharLMConfig, settings: TrainSettings, per_step: float,
                seconds: float) -> int:
    """Steps per member that ``seconds`` of wall-clock buy on quiet cores: the members train
    in rounds of ``side_by_side`` (one core each) that split the budget."""
    rounds = -(-config.members // settings.side_by_side)
    return max(1, int(seconds / rounds / per_step))


def run(name: str, config: CharLMConfig, settings: TrainSettings) -> dict:
    text = hamlet().text
    cpu, load_before = cpu_seconds(), load()
    result = train_char_lm(text, config, settings)
    used = cpu_seconds() - cpu
    return {"name": name, "val_loss_nats_per_char": round(result.val_loss, 4),
            "member_val_losses": [round(loss, 4) for loss in result.member_val_losses],
            "networks_val_loss": (None if result.networks_val_loss is None
                                  else round(result.networks_val_loss, 4)),
            "precision": result.precision, "meets_target": result.val_loss <= TARGET,
            "chars_per_second": round(result.chars_per_second),
            "chars_per_cpu_second": round(result.chars_trained / used),
            "train_seconds": round(result.train_seconds, 1), "cpu_seconds": round(used, 1),
            "epochs": round(result.epochs, 2), "steps": result.steps,
            "load_average": [load_before, load()], "cpu_kind": result.cpu["kind"],
            "config": result.summary()["config"], "settings": result.summary()["settings"]}


def ablation(config: CharLMConfig, settings: TrainSettings, precision: str) -> list[dict]:
    """Characters per CPU second (one member, one thread) of the chosen configuration and of
    each alternative, plus members side by side against one member on both threads (wall)."""
    text = hamlet().text
    one = replace(config, members=1)
    single = replace(settings, threads=1, side_by_side=1)
    rows = [("chosen", one, single, True)]
    rows += [("oneDNN off (native ATen LSTM)", one, single, False),
             ("hidden 384" if one.hidden != 384 else "hidden 256",
              replace(one, hidden=384 if one.hidden != 384 else 256), single, True),
             ("batch 32", one, replace(single, batch=32), True),
             ("seq_len 32", one, replace(single, seq_len=32), True),
             ("GRU", replace(one, cell="gru"), single, True)]
    if precision == "bf16":
        rows.append(("float32", one, replace(single, precision="fp32"), True))
    out = []
    for name, cfg, st, onednn in rows:
        with torch.backends.mkldnn.flags(enabled=onednn):
            cal = calibrate(text, cfg, st)
        out.append({"choice": name, "ms_per_step": round(cal["cpu_seconds_per_step"] * 1e3, 1),
                    "chars_per_cpu_second": round(cal["chars_per_cpu_second"]),
                    "load_average": load()})
    # two members side by side (one thread each) against one member on two threads: wall
    for name, cfg, st in (("2 members side by side, 1 thread each", replace(config, members=2),
                           replace(settings, threads=2, side_by_side=2)),
                          ("1 member on 2 threads", one, replace(settings, threads=2,
                                                                   side_by_side=1))):
        few, many = CALIBRATION_STEPS
        clocks = short_run(text, cfg, st, many).values()
        wall = max(c[many][1] for c in clocks) - min(c[few][1] for c in clocks)
        chars = cfg.members * st.batch * st.seq_len * (many - few)
        out.append({"choice": name, "chars_per_wall_second": round(chars / wall),
                    "load_average": load()})
    return out


def parse_model(pairs: list[str]) -> dict:
    fields = CharLMConfig.__dataclass_fields__
    out = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key not in fields or key == "vocab_size" or not value:
            sys.exit(f"--model takes FIELD=VALUE with a CharLMConfig field, not {pair!r}")
        kind = type(getattr(CharLMConfig(1), key))
        out[key] = kind(value)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--precision", choices=["auto", "fp32", "bf16"], default="auto",
                        help="for the default model (the baseline stays fp32)")
    parser.add_argument("--isa", choices=sorted(ISA_CAPS),
                        help="cap torch's instruction set (runs a child process)")
    parser.add_argument("--predict", action="store_true",
                        help="train the steps a quiet --seconds buys (from a calibration)")
    parser.add_argument("--steps", type=int, default=None, help="fixed steps per member")
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--model", action="append", default=[], metavar="FIELD=VALUE")
    parser.add_argument("--lr", type=float, default=None, help="default: the CPU kind's")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--json", action="store_true", help="one JSON document")
    args = parser.parse_args()
    say = (lambda line: None) if args.json else (lambda line: print(line, flush=True))

    defaults = char_lm_defaults(args.precision)
    config = defaults.config(**parse_model(args.model))
    settings = replace(TrainSettings(), precision=args.precision, seconds=args.seconds,
                       threads=args.threads, seed=args.seed, lr=args.lr or defaults.lr)
    out = {"target_val_loss": TARGET, "cpu": {"kind": defaults.kind, **defaults.features},
           "defaults": defaults.describe(), "config": config.__dict__,
           "load_average": list(os.getloadavg())}
    say(f"CPU: {json.dumps(defaults.features)}")
    say(defaults.describe())
    model = {k: v for k, v in config.__dict__.items() if k != "vocab_size"}
    say(f"configuration: {json.dumps(model)}; batch {settings.batch} x seq_len "
        f"{settings.seq_len}, lr {settings.lr}, "
        f"{settings.side_by_side} members side by side on {settings.threads} threads")
    say(f"load average {out['load_average'][0]:.2f} (wall-clock figures are only good on a "
        "quiet machine)")
    if args.ablation:
        out["ablation"] = ablation(config, settings, defaults.kind)
        for row in out["ablation"]:
            say("  ablation " + json.dumps(row))
    mode = "wall-clock"
    if args.predict or args.steps:
        if args.steps:
            steps = args.steps
        else:
            cal = calibrate(hamlet().text, config, settings)
            steps = quiet_steps(config, settings, cal["cpu_seconds_per_step"], args.seconds)
            out["calibration"] = {**cal, "steps_per_member": steps}
            say(f"calibration: {cal['cpu_seconds_per_step'] * 1e3:.1f} ms CPU per step, "
                f"{cal['chars_per_cpu_second']:,.0f} characters per CPU second per member -> "
                f"{steps} steps per member in {args.seconds:g} s on 2 quiet cores")
        settings = replace(settings, seconds=None, max_steps=steps)
        mode = f"{steps} steps per member" + (" (predicted for a quiet "
                                               f"{args.seconds:g} s)" if not args.steps else "")
    runs = [run("default", config, settings)]
    if args.baseline:
        runs.append(run("baseline 2x256 LSTM", BASELINE_MODEL,
                        replace(BASELINE_TRAINING, seconds=args.seconds, threads=args.threads,
                                seed=args.seed)))
    out["runs"] = runs
    for r in runs:
        say(f"{r['name']}: {r['val_loss_nats_per_char']:.4f} nats/char (networks without the "
            f"n-gram {r['networks_val_loss']}, members alone {r['member_val_losses']}), "
            f"{r['precision']}, {r['chars_per_second']:,} characters/s, "
            f"{r['chars_per_cpu_second']:,} per CPU second, {r['steps']} steps, "
            f"{r['epochs']} epochs per member, {r['train_seconds']} s, load {r['load_average']}")
    if args.sweep:
        with tempfile.TemporaryDirectory() as tmp:
            start, cpu = time.perf_counter(), cpu_seconds()
            result = sweep(workers=2, cache_dir=Path(tmp))
            out["sweep"] = {"wall_seconds": round(time.perf_counter() - start, 1),
                            "parent_cpu_seconds": round(cpu_seconds() - cpu, 1),
                            "difficulty": json.loads(result.difficulty().to_json(
                                orient="records"))}
        say("sweep: " + json.dumps(out["sweep"]))
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        loss = runs[0]["val_loss_nats_per_char"]
        print(f"held-out nats/char {loss:.4f} (goal {TARGET}) [{mode}, {defaults.kind} kind, "
              f"{'meets' if loss <= TARGET else 'misses'} the goal]")


if __name__ == "__main__":
    main()
