"""Verbs of the word-level RNNs and the bias shift: train-sentiment, train-word-lm, probe, shift."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from rnncore.cli.common import (
    add_verb,
    bounded,
    embedding_from,
    emit,
    hidden_alias,
)

VERBS = ("train-sentiment", "train-word-lm", "probe", "shift")
NEEDS_TORCH = "Needs torch: pip install 'rnncore[rnn]'."


def _given(args: argparse.Namespace, *names: str) -> dict:
    """The options given on the command line (the others keep the library's tuned defaults)."""
    return {n: getattr(args, n) for n in names if getattr(args, n) is not None}


def _progress(update: dict) -> None:
    if update.get("phase") == "epoch":
        who = f"member {update['member']}, " if "member" in update else ""
        print(f"{who}epoch {update['epoch']}: " + ", ".join(
            f"{k} {v:.4f}" for k, v in update.items()
            if k.endswith(("accuracy", "loss", "perplexity")) and isinstance(v, float)),
            file=sys.stderr, flush=True)
    elif "message" in update:
        print(f"[{update['fraction']:4.0%}] {update['message']}", file=sys.stderr, flush=True)


def _data(args: argparse.Namespace):
    from rnncore.corpora.reviews import read_labelled, reviews_split, split

    if args.csv:
        return split(read_labelled(args.csv), args.split_seed)
    return reviews_split(args.split_seed)


def _sentiment_run(args: argparse.Namespace, data):
    from rnncore.models.sentiment import SentimentConfig
    from rnncore.train.sentiment import TrainSettings, train_sentiment

    config = SentimentConfig(bidirectional=not args.unidirectional,
                             **_given(args, "cell", "hidden", "members", "pooling"))
    settings = TrainSettings(seconds=args.seconds or None, seed=args.seed,
                             **_given(args, "epochs"))
    return train_sentiment(embedding_from(args), data, config, settings, _progress)


def _train_sentiment(args: argparse.Namespace) -> int:
    run = _sentiment_run(args, _data(args))  # the CSV is read before the embedding loads
    data = run.summary()
    data["split_seed"] = args.split_seed
    return emit(args, data, lambda: (
        f"test accuracy {run.test.accuracy:.4f}, F1 {run.test.f1:.4f} "
        f"({len(run.member_test)} members alone: "
        + ", ".join(f"{m.accuracy:.4f}" for m in run.member_test)
        + f"; best epochs {run.best_epochs}, {run.train_seconds:.1f} s, {run.stopped})\n"
        f"confusion [[TN FP] [FN TP]]: {run.test.confusion}\n"
        f"coverage: {run.coverage.token_rate:.1%} of word tokens, "
        f"{run.coverage.type_rate:.1%} of word types"))


def _train_word_lm(args: argparse.Namespace) -> int:
    from rnncore.models.word_lm import WordLMConfig
    from rnncore.train.word_lm import LMSettings, lm_corpus, train_word_lm

    if args.corpus in ("snippets", "hamlet"):
        corpus = lm_corpus(args.corpus)
    else:  # a .txt file, read through the same checks as an upload
        from rnncore.corpora.text import load_corpus

        text = load_corpus(args.corpus, model="a word LM")
        try:
            corpus = lm_corpus(text.name, text.text)
        except ValueError as exc:  # too few sentences: say which file
            raise ValueError(f"--corpus {args.corpus}: {exc}") from None
    run = train_word_lm(embedding_from(args), corpus,
                        WordLMConfig(tie=not args.untied, **_given(args, "hidden")),
                        LMSettings(seconds=args.seconds or None, seed=args.seed,
                                   **_given(args, "epochs")), report=_progress)
    samples = [run.generate(args.prompt, temperature=args.temperature, top_k=args.top_k or None,
                            seed=args.seed + i) for i in range(3)]
    data = {**run.summary(), "prompt": args.prompt, "samples": samples}
    return emit(args, data, lambda: f"held-out perplexity {run.perplexity:.1f} "
                f"({run.train_seconds:.1f} s, {run.stopped})\n" + "\n".join(
                    f"> {args.prompt} {s}" for s in samples))


def _probe(args: argparse.Namespace) -> int:
    from rnncore.bias import wordsets
    from rnncore.probes.inputs import (
        builtin_comparisons,
        lm_prompts,
        sentiment_templates,
    )

    if args.kind == "sentiment":  # files are read before the embedding loads or a model trains
        from rnncore.probes.inputs import read_groups, read_templates
        from rnncore.wordlists import looks_like_path

        templates = read_templates(args.templates) if args.templates else sentiment_templates()
        upload = (read_groups(args.groups[0]) if args.groups and looks_like_path(args.groups[0])
                  else None)
        for note in (n for c in upload or [] for n in c.notes):
            print(f"note: {note}", file=sys.stderr)
        data = _data(args) if args.model == "rnn" else None
    embedding = embedding_from(args)
    if args.kind == "sentiment":
        from rnncore.models.lexicon_baseline import LexiconBaseline
        from rnncore.probes.sentiment import known_in, probe_sentiment

        known = known_in(embedding)
        builtin = builtin_comparisons(known)
        if upload is not None:
            comparisons = upload
        else:
            unknown = [g for g in args.groups or [] if g not in builtin]
            if unknown:
                raise KeyError(f"unknown group comparison {', '.join(unknown)}; built-in: "
                               f"{', '.join(builtin)} (or the path of a group,word CSV)")
            comparisons = [builtin[g] for g in args.groups] if args.groups else \
                list(builtin.values())
        if args.model == "baseline":
            predict = LexiconBaseline().fit(embedding).predict
        else:
            predict = _sentiment_run(args, data).predict
        probe = probe_sentiment(predict, comparisons, templates, known)
        rows = probe.gaps.to_dict("records")
        return emit(args, {"model": args.model, "gaps": rows, "notes": probe.notes()},
                    lambda: "\n".join(
                        f"{r['title']}: gap {r['gap']:+.4f} [{r['ci_low']:+.4f}, "
                        f"{r['ci_high']:+.4f}], p = {r['p_value']:.4f}" for r in rows)
                    + "".join(f"\nnote: {n}" for n in probe.notes()))
    pairs = [tuple(p.split(":", 1)) for p in (args.groups or ["she:he", "her:his"])]
    if any(len(p) != 2 or not all(p) for p in pairs):
        raise ValueError("LM groups are pronoun pairs FEMALE:MALE, e.g. she:he her:his")
    from rnncore.models.word_lm import WordLMConfig
    from rnncore.probes.lm import probe_pronouns
    from rnncore.train.word_lm import LMSettings, lm_corpus, train_word_lm

    professions = wordsets.neutral_professions()
    run = train_word_lm(embedding, lm_corpus(args.corpus), WordLMConfig(),
                        LMSettings(seconds=args.seconds or None, seed=args.seed),
                        extra_words=[*professions, *(w for p in pairs for w in p)],
                        report=_progress)
    probe = probe_pronouns(run.next_probabilities, embedding, professions, lm_prompts(), pairs,
                           lambda w: run.vocab.id(w) != 0)
    corr = probe.correlations.to_dict("records")
    return emit(args, {"perplexity": run.perplexity, "correlations": corr,
                       "professions": probe.table.to_dict("records"), "note": probe.note()},
                lambda: "\n".join(f"{r['pair']}: mean log-ratio {r['mean_log_ratio']:+.3f}, "
                                  f"r = {r['pearson_r']:+.3f} (p = {r['pearson_p']:.3g}), "
                                  f"n = {r['n']}" for r in corr))


def _shift(args: argparse.Namespace) -> int:
    from rnncore.csv_safe import safe_csv
    from rnncore.inputs.base import output_file, write_atomically
    from rnncore.shift.compare import ShiftSettings, run_shift
    from rnncore.shift.export import shift_markdown

    for path, what in ((args.out_csv, "CSV summary"), (args.report, "Markdown report")):
        if path:
            output_file(path, what)  # before hours of training
    settings = ShiftSettings(debias=tuple(dict.fromkeys(args.debias)),
                             dimension=args.dimension, seeds=tuple(range(args.seeds)),
                             lm=args.lm,
                             train_rows=args.train_rows or None)
    if args.seconds:
        settings = replace(settings, training=replace(settings.training, seconds=args.seconds))
    result = run_shift(embedding_from(args), settings, report=_progress)
    if args.out_csv:
        write_atomically(args.out_csv, lambda path: safe_csv(result.summary(), path),
                         "CSV summary")
    if args.report:
        write_atomically(args.report, lambda path: path.write_text(shift_markdown(result),
                                                                   encoding="utf-8"),
                         "Markdown report")
    comparison = result.comparison()
    return emit(args, result.as_dict(), lambda: comparison.to_string(index=False))


def _add_sentiment_options(p: argparse.ArgumentParser) -> None:
    from rnncore.corpora.reviews import SPLIT_SEED

    p.add_argument("--seed", type=bounded("seed"), default=0, help="training seed (default 0)")
    p.add_argument("--split-seed", type=bounded("seed"), default=SPLIT_SEED,
                   help=f"re-draw the stratified 80/10/10 split (default {SPLIT_SEED}: the "
                   "documented split)")
    p.add_argument("--seconds", type=bounded("optional_seconds"), default=60.0,
                   help="training time limit in seconds (0: none; default 60)")
    # model and training options default to SentimentConfig / TrainSettings (the tuned defaults)
    p.add_argument("--epochs", type=bounded("sentiment.epochs"))
    p.add_argument("--cell", choices=["rnn", "lstm", "gru"])
    p.add_argument("--hidden", type=bounded("sentiment.hidden"))
    p.add_argument("--pooling", choices=["last", "max", "mean", "max+mean"])
    p.add_argument("--unidirectional", action="store_true")
    p.add_argument("--members", type=bounded("sentiment.members"),
                   help="networks trained side by side (one per core) and averaged (default 2)")
    p.add_argument("--csv", metavar="FILE", help="train on a CSV text,label instead")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``train-sentiment``, ``train-word-lm``, ``probe`` and ``shift`` verbs."""
    from rnncore.bias.dimensions import BUILTIN
    from rnncore.debias.methods import METHODS as DEBIAS_METHODS

    p = add_verb(subparsers, common, "train-sentiment",
                 "train the sentiment RNN on frozen vectors; test scores",
                 "rnncore train-sentiment --cell lstm --pooling last", NEEDS_TORCH)
    _add_sentiment_options(p)
    p.set_defaults(handler=_train_sentiment)

    p = add_verb(subparsers, common, "train-word-lm",
                 "train the word LM on frozen vectors; perplexity, samples",
                 'rnncore train-word-lm --corpus hamlet --prompt "the king"', NEEDS_TORCH)
    p.add_argument("--corpus", default="snippets",
                   help="snippets (default), hamlet, or the path of a UTF-8 .txt file")
    p.add_argument("--seed", type=bounded("seed"), default=0)
    p.add_argument("--seconds", type=bounded("optional_seconds"), default=60.0)
    p.add_argument("--epochs", type=bounded("wordlm.epochs"),
                   help="default: LMSettings' tuned value")
    p.add_argument("--hidden", type=bounded("wordlm.hidden"),
                   help="default: WordLMConfig's tuned value")
    p.add_argument("--untied", action="store_true", help="a free output layer (not tied)")
    p.add_argument("--prompt", default="the film is")
    p.add_argument("--temperature", type=bounded("temperature"), default=0.8)
    p.add_argument("--top-k", type=bounded("wordlm.top_k"), default=20,
                   help="sample among the K likeliest words (0: all; default 20)")
    p.set_defaults(handler=_train_word_lm)

    p = add_verb(subparsers, common, "probe",
                 "sentiment gaps between groups, or P(she)/P(he) by profession",
                 "rnncore probe sentiment --model baseline",
                 "The lexicon baseline needs no torch; the RNN and the LM probe need "
                 "pip install 'rnncore[rnn]'.")
    p.add_argument("kind", choices=["sentiment", "lm"])
    p.add_argument("--groups", nargs="+", metavar="GROUP",
                   help="sentiment: built-in comparison keys (census_names, gender_terms, "
                   "weat_names_greenwald, ...) or a CSV group,word; lm: pairs like she:he")
    p.add_argument("--templates", metavar="FILE", help="sentiment templates, one per line, {}")
    p.add_argument("--model", choices=["rnn", "baseline"], default="rnn",
                   help="sentiment: the RNN (trained first) or the lexicon baseline")
    p.add_argument("--corpus", default="snippets", help="lm: snippets or hamlet")
    _add_sentiment_options(p)
    p.set_defaults(handler=_probe)

    p = add_verb(subparsers, common, "shift",
                 "train on original and debiased vectors over seeds; compare",
                 "rnncore shift --debias hard --seeds 3 --report shift.md", NEEDS_TORCH)
    p.add_argument("--debias", nargs="+", choices=list(DEBIAS_METHODS), default=["hard"])
    p.add_argument("--dimension", choices=BUILTIN, default="gender",
                   help="dimension removed by multiclass and hsr (the others: gender)")
    p.add_argument("--seeds", type=bounded("shift.seeds"), default=3,
                   help="number of seeds (0, 1, ...)")
    p.add_argument("--lm", action="store_true", help="also train and probe the word LM")
    p.add_argument("--seconds", type=bounded("optional_seconds"), default=0,
                   help="per-model sentiment time limit (default: the shift budget, 40 s)")
    p.add_argument("--train-rows", type=bounded("shift.train_rows"), default=0,
                   help="train on a subset (0: all)")
    p.add_argument("--out-csv", metavar="FILE", help="write the per-probe summary as CSV")
    hidden_alias(p, "--csv", "out_csv")
    p.add_argument("--report", metavar="FILE", help="write the Markdown report")
    p.set_defaults(handler=_shift)
