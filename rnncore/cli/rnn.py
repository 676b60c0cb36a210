"""RNN verbs: trace, parity, test-word, sweep, train-char (which also generates a sample)."""

from __future__ import annotations

import argparse
import json
import math

from rnncore.cli.common import (
    add_verb,
    bounded,
    emit,
    hidden_alias,
    share,
    stderr_progress,
)

VERBS = ("trace", "parity", "test-word", "sweep", "train-char")


def _trace(args: argparse.Namespace) -> int:
    if args.example == "mit":
        from rnncore.rnn.mit import MitRNN, trace

        table = trace(MitRNN.worked_example(), args.text)
        data = {"example": "mit", "steps": table.to_dict("records"),
                "output": "".join(table["output"])}
    else:
        from rnncore.rnn.tagger import trace, worked_example

        table, loss = trace(*worked_example())
        data = {"example": "ist", "steps": table.to_dict("records"), "loss": loss,
                "two_ln_2": 2 * math.log(2)}
    return emit(args, data, lambda: table.to_string(index=False)
                + (f"\nloss = {data['loss']:.10f} (2 ln 2 = {2 * math.log(2):.10f})"
                   if "loss" in data else ""))


def _parity(args: argparse.Namespace) -> int:
    from rnncore.rnn.handbuilt import parity, parse_bits

    table = parity(parse_bits(args.bits))
    out = "".join(str(v) for v in table["y_t = XOR"])
    return emit(args, {"input": "".join(str(v) for v in table["x_t"]), "parity": out,
                       "steps": table.to_dict("records")},
                lambda: f"{table.to_string(index=False)}\nparity: {out}")


def _test_word(args: argparse.Namespace) -> int:
    from rnncore.rnn.mit import test_word

    result = test_word(args.word, hidden=args.hidden, steps=args.steps,
                       step_size=args.step_size, seed=args.seed,
                       progress=lambda s, loss: stderr_progress(s / args.steps,
                                                                f"step {s} loss {loss:.4f}"))
    data = {**result.summary(), "examples": result.samples[:10]}
    return emit(args, data, lambda: (
        f"{args.word!r}: hidden {args.hidden}, {args.steps} steps, step size {args.step_size}\n"
        f"final loss {result.final_loss:.4f}; exact reproductions {result.exact}/"
        f"{result.n_samples}\nexamples: {[s.rstrip(chr(10)) for s in result.samples[:5]]}"))


def _sweep(args: argparse.Namespace) -> int:
    from rnncore.rnn.sweep import sweep

    result = sweep(args.words, args.hidden, args.checkpoints, step_size=args.step_size,
                   seed=args.seed, workers=args.workers,
                   progress=lambda d, t, c: stderr_progress(d / t, f"{c.word} hidden {c.hidden}"))
    difficulty, table = result.difficulty(), result.table()
    data = {"difficulty": json.loads(difficulty.to_json(orient="records")),
            "cells": json.loads(table.to_json(orient="records"))}
    return emit(args, data,
                lambda: difficulty.to_string(index=False) + "\n\n" + table.to_string(index=False))


def _train_char(args: argparse.Namespace) -> int:
    from rnncore.inputs.base import output_file, write_atomically

    if args.out:
        output_file(args.out, "checkpoint")  # before torch loads and training starts
    from rnncore.corpora.text import load_corpus
    from rnncore.generate import Decoding, generate_text, novelty, sample_items
    from rnncore.models.char_lm import save_checkpoint
    from rnncore.train.char_lm import TrainSettings, train_char_lm
    from rnncore.train.cpu_defaults import char_lm_defaults
    from rnncore.train.precision import resolve_precision

    if args.precision:  # bf16 on a CPU without it: one line, before anything is loaded
        resolve_precision(args.precision, "--precision")
    corpus = load_corpus(args.corpus)
    def given(*names: str) -> dict:
        return {n: getattr(args, n) for n in names if getattr(args, n) is not None}

    model = given("cell", "embed", "hidden", "layers", "dropout", "members", "ngram_order",
                  "ngram_weight")
    defaults = char_lm_defaults(args.precision or "auto")  # this CPU's
    config = defaults.config(1, **model)
    settings = TrainSettings(seconds=args.seconds, max_steps=args.steps, seed=args.seed,
                             threads=args.threads, **given("seq_len", "batch", "lr",
                                                           "precision", "side_by_side"))
    last = [0.0]

    def report(row: dict) -> None:
        if "loss" in row and row["elapsed"] - last[0] >= 2:
            last[0] = row["elapsed"]
            stderr_progress(row["fraction"], f"step {row['step']} loss {row['loss']:.3f}")

    stderr_progress(0.0, f"training on {corpus.name} ({len(corpus.text)} characters)")
    result = train_char_lm(corpus.text, config, settings, report)
    if not math.isfinite(result.val_loss):  # before sampling from NaN probabilities
        raise ValueError(f"training diverged (validation loss {result.val_loss}) with --lr "
                         f"{settings.lr or defaults.lr:g}: give a smaller --lr")
    items = bool(corpus.start and corpus.end)
    temperature = args.temperature if args.temperature is not None else 1.0 if items else 0.8
    decoding = Decoding(temperature=temperature)
    if items:  # names: one item per sample, novelty against the list
        samples = sample_items(result.model, result.vocab, args.samples, corpus.start,
                               corpus.end, decoding=decoding, seed=args.seed)
    else:
        samples = [generate_text(result.model, result.vocab, corpus.text[0], 200, decoding,
                                 args.seed + i) for i in range(args.samples)]
    data = {"corpus": corpus.info(), **result.summary(), "temperature": temperature,
            "samples": samples}
    if corpus.items:
        data["novelty"] = novelty(samples, corpus.items)
    if args.out:
        data["checkpoint"] = str(write_atomically(
            args.out, lambda path: save_checkpoint(path, result.model, result.vocab,
                                                   {"corpus": corpus.name}), "checkpoint"))
    return emit(args, data, lambda: (
        f"{corpus.name}: validation loss {result.val_loss:.4f} nats/char "
        f"({result.val_loss / math.log(2):.3f} bits), {result.chars_per_second:,.0f} chars/s, "
        f"{result.steps} steps, {result.epochs:.2f} epochs in {result.train_seconds:.0f} s"
        + (" (members alone: " + ", ".join(f"{v:.4f}" for v in result.member_val_losses) + ")"
           if result.member_val_losses else "")
        + (f"; networks without the n-gram: {result.networks_val_loss:.4f}"
           if result.networks_val_loss is not None else "")
        + f"; {result.precision}\n{result.cpu['defaults']}\n"
        + (f"{result.members_note}\n" if result.members_note else "")
        + "\n---\n".join(samples)))


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``trace``, ``parity``, ``test-word``, ``sweep`` and ``train-char`` verbs."""
    p = add_verb(subparsers, common, "trace",
                 "step-by-step trace of the MIT or IST worked example",
                 "rnncore trace --example ist")
    p.add_argument("--example", choices=["mit", "ist"], default="mit")
    p.add_argument("--text", default=None,
                   help="MIT: feed this string (teacher forcing) instead of generating")
    p.set_defaults(handler=_trace)

    p = add_verb(subparsers, common, "parity", "the hand-built parity RNN on a bit string",
                 "rnncore parity 0101101011")
    p.add_argument("bits", help="e.g. 0101101011")
    p.set_defaults(handler=_parity)

    p = add_verb(subparsers, common, "test-word",
                 "train the NumPy RNN on one string, count exact samples",
                 "rnncore test-word abcabc --steps 2000")
    p.add_argument("word")
    p.add_argument("--hidden", type=bounded("numpy_rnn.hidden"), default=4)
    p.add_argument("--steps", type=bounded("numpy_rnn.steps"), default=5000)
    p.add_argument("--step-size", type=bounded("numpy_rnn.step_size"), default=0.05)
    p.add_argument("--seed", type=bounded("seed"), default=0)
    p.set_defaults(handler=_test_word)

    from rnncore.rnn.sweep import CHECKPOINTS, COURSE_STRINGS, HIDDEN_SIZES

    p = add_verb(subparsers, common, "sweep",
                 "difficulty of strings: hidden sizes x steps (cached)",
                 "rnncore sweep --words abab abcabc --hidden 2 4")
    p.add_argument("--words", nargs="+", default=list(COURSE_STRINGS))
    p.add_argument("--hidden", type=bounded("numpy_rnn.hidden"), nargs="+",
                   default=list(HIDDEN_SIZES))
    p.add_argument("--checkpoints", type=bounded("numpy_rnn.steps"), nargs="+",
                   default=list(CHECKPOINTS))
    p.add_argument("--step-size", type=bounded("numpy_rnn.step_size"), default=0.05)
    p.add_argument("--seed", type=bounded("seed"), default=0)
    p.add_argument("--workers", type=bounded("sweep.workers"), default=2)
    p.set_defaults(handler=_sweep)

    p = add_verb(subparsers, common, "train-char",
                 "train a torch character LM within a time budget and sample from it",
                 "rnncore train-char --corpus names --seconds 60 --samples 20",
                 "Needs torch: pip install 'rnncore[rnn]'.")
    p.add_argument("--corpus", default="hamlet", help="hamlet, names or a .txt path")
    p.add_argument("--seconds", type=bounded("seconds"), default=120.0)
    p.add_argument("--steps", type=bounded("char.steps"), default=None,
                   help="stop after this many steps (per member) too")
    p.add_argument("--seed", type=bounded("seed"), default=0)
    p.add_argument("--cell", choices=["lstm", "gru", "rnn"])
    # model and training options default to CharLMConfig / TrainSettings (the tuned defaults)
    p.add_argument("--embed", type=bounded("char.embed"))
    p.add_argument("--hidden", type=bounded("char.hidden"),
                   help="hidden units (default by CPU kind: 384 with native bfloat16, "
                        "256 in float32)")
    p.add_argument("--layers", type=bounded("char.layers"))
    p.add_argument("--dropout", type=share)
    p.add_argument("--members", type=bounded("char.members"),
                   help="networks trained and averaged (default 4; 1: one network)")
    p.add_argument("--side-by-side", dest="side_by_side", type=bounded("char.side_by_side"),
                   help="members training at once, one thread each (default 2; more members "
                        "train in rounds that split the time)")
    p.add_argument("--ngram-order", dest="ngram_order", type=bounded("char.ngram_order"),
                   help="longest context of the mixed-in character n-gram (default 6; 0: none)")
    p.add_argument("--ngram-weight", dest="ngram_weight", type=share,
                   help="the n-gram's share of the next-character distribution (default 0.2)")
    p.add_argument("--precision", choices=["auto", "fp32", "bf16"],
                   help="training precision (default auto: bf16 where the CPU has it natively)")
    p.add_argument("--seq-len", dest="seq_len", type=bounded("char.seq_len"))
    p.add_argument("--batch", type=bounded("char.batch"))
    p.add_argument("--lr", type=bounded("lr"),
                   help="Adam's learning rate (default by CPU kind: 3e-3 with native bfloat16, "
                        "8e-3 in float32)")
    p.add_argument("--threads", type=bounded("threads"), default=2,
                   help="torch threads in all, shared by the members (2 uses both cores)")
    p.add_argument("--temperature", type=bounded("temperature"), default=None,
                   help="sampling temperature (default 1.0 for names, the model's own "
                        "distribution; 0.8 for running text)")
    p.add_argument("--samples", type=bounded("char.samples"), default=1,
                   help="how many samples to print")
    p.add_argument("--out", default=None, metavar="PATH", help="write a checkpoint (.pt)")
    hidden_alias(p, "--save", "out")
    p.set_defaults(handler=_train_char)
