"""Bias verbs: ``bias`` (direction, DirectBias, extreme professions), ``weat``, ``debias``."""

from __future__ import annotations

import argparse

from rnncore.cli.common import (
    add_verb,
    bounded,
    embedding_from,
    emit,
    hidden_alias,
    stderr_progress,
    word_pair,
)

VERBS = ("bias", "weat", "debias")


def read_words(spec: str) -> list[str]:
    """A built-in set name (``career``, ``weat6.x``, ``professions``) or a word-list file
    (``.txt`` one per line, ``.csv`` one column per group: all its words)."""
    from rnncore.bias import wordsets
    from rnncore.wordlists import looks_like_path, read_word_file

    if looks_like_path(spec):
        return read_word_file(spec).words
    try:
        return list(wordsets.word_set(spec))
    except KeyError:
        raise KeyError(f"{spec!r} is neither a file nor a built-in word set (word-list files "
                       f"end in .txt, .csv or .tsv); built-in sets: "
                       f"{', '.join(wordsets.set_names())}") from None


def _bias(args: argparse.Namespace) -> int:
    from rnncore.bias import bias_direction, direct_bias, extremes, project
    from rnncore.embeddings import lookup

    words = read_words(args.words)  # a bad file fails before the embedding loads
    embedding = embedding_from(args)
    direction = bias_direction(embedding, args.pairs, args.method)
    table = project(embedding, words, direction)
    ends = extremes(table, args.topn, direction.positive_end, direction.negative_end)
    try:
        value = direct_bias(embedding, words, direction, args.c)
    except ValueError as exc:  # say which option's words could not be used
        raise ValueError(f"--words {args.words}: {exc}") from None
    data = {
        "direction": direction.info(),
        "direct_bias": {"c": args.c, "words": args.words, "n_words": len(table),
                        "value": value},
        "extremes": {side: ends[ends["side"] == side][["word", "projection"]].to_dict("records")
                     for side in (direction.positive_end, direction.negative_end)},
        "oov": [m.word for m in lookup(embedding, words, suggest_close=False).missing],
    }

    def text() -> str:
        info = data["direction"]
        lines = [f"direction: {info['method']} of {len(info['pairs'])} pair(s)"]
        if info["explained_variance_ratio"]:
            lines.append("explained variance ratios: " + " ".join(
                f"{r:.3f}" for r in info["explained_variance_ratio"]))
        if info["warning"]:
            lines.append(f"warning: {info['warning']}")
        lines.append(f"DirectBias (c={args.c}) over {len(table)} {args.words}: "
                     f"{data['direct_bias']['value']:.6f}")
        for side, rows in data["extremes"].items():
            lines.append(f"most {side}-side: " + ", ".join(
                f"{r['word']} ({r['projection']:+.3f})" for r in rows))
        return "\n".join(lines)

    return emit(args, data, text)


def _weat(args: argparse.Namespace) -> int:
    from rnncore.bias import weat, wordsets

    sets, test = {}, None
    if args.test:
        test = wordsets.weat_tests(args.lists).get(args.test)
        if test is None:
            raise KeyError(f"unknown WEAT test {args.test!r}; known: "
                           f"{', '.join(wordsets.weat_tests())}")
        sets = {"x": test.x, "y": test.y, "a": test.a, "b": test.b}
    for role, spec in (("x", args.target_x), ("y", args.target_y), ("a", args.attr_a),
                       ("b", args.attr_b)):
        if spec:
            sets[role] = read_words(spec)
        elif role not in sets:
            raise ValueError("give --test NAME or all of --target-x, --target-y, --attr-a, "
                             "--attr-b")
    embedding = embedding_from(args)
    try:
        result = weat(embedding, sets["x"], sets["y"], sets["a"], sets["b"], args.permutations,
                      args.seed, args.ddof)
    except ValueError as exc:  # "set X ..." in the command line's words: the flag and its file
        flags = {"X": ("--target-x", args.target_x), "Y": ("--target-y", args.target_y),
                 "A": ("--attr-a", args.attr_a), "B": ("--attr-b", args.attr_b)}
        text = str(exc)
        for role, (flag, spec) in flags.items():
            if text.startswith(f"set {role} "):
                where = f"{flag} {spec}" if spec else f"{flag} of {args.test}"
                text = f"{where}: the set{text[len(f'set {role}'):]}"
        raise ValueError(text) from None
    left_out = wordsets.dropped_words(test, embedding) if test else []
    data = {"test": args.test,
            "lists": wordsets.LIST_SOURCES[args.lists] if test else None,
            "sets": {"target_x": args.target_x, "target_y": args.target_y,
                     "attr_a": args.attr_a, "attr_b": args.attr_b}, **result.to_dict(),
            "left_out_words": left_out}
    dropped = "; ".join(f"{k}: {', '.join(v)}" for k, v in result.dropped.items() if v)
    if left_out:
        dropped = "; ".join(f"{r['set']}: {r['word']}"
                            + (f" -> {r['correction']}" if r["correction"] else "")
                            + f" ({r['reason']})" for r in left_out)
    return emit(args, data, lambda: (
        f"effect size d = {result.effect_size:.4f} (ddof={result.ddof})\n"
        f"statistic S = {result.statistic:.4f}\n"
        f"p one-sided = {result.p_one_sided:.6g}, two-sided = {result.p_two_sided:.6g} "
        f"({'exact over all' if result.exact else 'seeded random'} "
        f"{result.n_permutations:,} splits)\n"
        f"words used: X {len(result.x)}, Y {len(result.y)}, A {len(result.a)}, "
        f"B {len(result.b)}" + (f"\nlists: {data['lists']}" if test else "")
        + (f"\nleft out: {dropped}" if dropped else "")))


def _dimension(args: argparse.Namespace):
    """The built-in ``--dimension`` or the user's ``--groups`` file (one column per group)."""
    from rnncore.bias import dimensions
    from rnncore.wordlists import read_word_file

    if not args.groups:
        return dimensions.builtin(args.dimension)
    try:
        return dimensions.from_groups(read_word_file(args.groups))
    except ValueError as exc:
        raise ValueError(f"--groups {args.groups}: {exc}") from None


def _options(args: argparse.Namespace) -> dict:
    """The method's own options, from the flags that were given (the rest keep defaults)."""
    given = {"hard": {"recipe": args.recipe},
             "inlp": {"n_iterations": args.iterations, "n_words": args.n_words,
                      "classifier": args.classifier, "random_state": args.seed},
             "multiclass": {"n_components": args.components},
             "double-hard": {"n_words": args.n_words, "n_candidates": args.candidates,
                             "scope": args.scope, "random_state": args.seed},
             "hsr": {"alpha": args.alpha}}[args.method]
    return {k: v for k, v in given.items() if v is not None}


def _debias(args: argparse.Namespace) -> int:
    from rnncore.bias import direct_bias, wordsets
    from rnncore.debias.methods import METHODS, run_debias
    from rnncore.embeddings.embedding import SAVE_FORMATS, SAVE_SUFFIXES
    from rnncore.inputs.base import output_file, output_format, write_atomically

    output_file(args.out, "debiased vectors file")  # before any work
    fmt = output_format(args.out, SAVE_SUFFIXES, SAVE_FORMATS, args.format, "binary",
                        "debiased vectors file")
    dimension = _dimension(args)  # a bad --groups file fails before the embedding loads
    embedding = embedding_from(args)
    try:
        run = run_debias(embedding, args.method, dimension, _options(args),
                         progress=stderr_progress)
    except ValueError as exc:  # your own groups that cannot be used: say which file
        if not args.groups:
            raise
        raise ValueError(f"--groups {args.groups}: {exc}") from None
    debiased = run.after
    if fmt == "kv":  # gensim may write .npy files beside it, named after the final path
        path = debiased.save(args.out, fmt)
    else:  # a temporary file in the same folder, moved into place: never a partial file
        path = write_atomically(args.out, lambda tmp: debiased.save(tmp, fmt),
                                "debiased vectors file")
    neutral = list(dimension.neutral_words) or list(wordsets.neutral_professions())
    direction = run.direction
    data = {"method": args.method, "dimension": dimension.info(), "out": str(path),
            "format": {"text": "word2vec-text", "binary": "word2vec-bin", "kv": "gensim-kv"}[fmt],
            "embedding": embedding.info(), "debiased": debiased.info(),
            "direction": direction.info(), "parameters": run.params,
            "direct_bias": {"words": len(neutral),
                            "before": direct_bias(embedding, neutral, direction),
                            "after": direct_bias(debiased, neutral, direction)},
            **{k: v for k, v in run.params.items() if k in ("accuracies", "equalized_pairs")},
            "gender_specific_kept": sum(w in embedding for w in run.kept)}
    if args.audit:
        from rnncore.audit import audit, report_dict  # only when asked: keeps the verb light
        from rnncore.audit.report import DEFAULT_BENCHMARKS

        report = audit(embedding, debiased, direction, args.method, run.params,
                       neutral_words=neutral, gender_specific=run.kept,
                       benchmarks=DEFAULT_BENCHMARKS, permutations=args.permutations,
                       seed=args.seed or 0, progress=stderr_progress)
        data["audit"] = report_dict(report)

    def text() -> str:
        lines = [f"wrote {path} ({data['format']}, {len(debiased):,} words)",
                 f"{METHODS[args.method]}, dimension {dimension.key}: "
                 + ", ".join(f"{k} {v}" for k, v in run.params.items()
                             if not isinstance(v, list)),
                 f"DirectBias of {len(neutral)} words on the {direction.positive_end}–"
                 f"{direction.negative_end} direction: {data['direct_bias']['before']:.6f} -> "
                 f"{data['direct_bias']['after']:.2e}"]
        if args.audit:
            table = report.metrics[["metric", "before", "after", "change"]]
            lines.append(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        return "\n".join(lines)

    return emit(args, data, text)


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``bias``, ``weat`` and ``debias`` verbs."""
    from rnncore.bias.dimensions import BUILTIN
    from rnncore.bias.directions import METHODS
    from rnncore.bias.weat import DEFAULT_PERMUTATIONS
    from rnncore.debias.methods import METHODS as DEBIAS_METHODS
    from rnncore.debias.methods import RECIPES, SCOPES

    p = add_verb(subparsers, common, "bias",
                 "bias direction, DirectBias and the most extreme words on it",
                 "rnncore bias --method pair --pairs she:he --words professions --topn 5")
    p.add_argument("--method", choices=METHODS, default="pca")
    p.add_argument("--pairs", nargs="+", type=word_pair, metavar="A:B",
                   help="pairs defining the direction (default: Bolukbasi's definitional "
                        "pairs; she:he for --method pair)")
    p.add_argument("--words", default="neutral_professions", metavar="SET_OR_FILE",
                   help="words to project and measure (default: neutral_professions)")
    p.add_argument("--topn", type=bounded("topn"), default=10, metavar="K",
                   help="extreme words per side (default 10)")
    hidden_alias(p, "--top", "topn", type=bounded("topn"))
    p.add_argument("--c", type=bounded("bias.c"), default=1.0,
                   help="DirectBias strictness c (>= 0)")
    p.set_defaults(handler=_bias)

    p = add_verb(subparsers, common, "weat",
                 "Word Embedding Association Test with a permutation p-value",
                 "rnncore weat --test weat7",
                 "Give a Caliskan test or four word sets (built-in names or files).")
    p.add_argument("--test", metavar="NAME", help="a Caliskan test: weat1 ... weat10")
    p.add_argument("--lists", choices=("paper", "wefe"), default="paper",
                   help="the test's word lists: the paper's (default) or WEFE's")
    for flag in ("--target-x", "--target-y", "--attr-a", "--attr-b"):
        p.add_argument(flag, metavar="SET_OR_FILE",
                       help="built-in set name (e.g. career, male_names, weat6.x) or a file")
    p.add_argument("--permutations", type=bounded("permutations"), default=DEFAULT_PERMUTATIONS,
                   help="permutation budget (exact test when all splits fit)")
    p.add_argument("--seed", type=bounded("seed"), default=0)
    p.add_argument("--ddof", type=int, default=1, choices=(0, 1),
                   help="std of the effect size: 1 = sample (Caliskan), 0 = WEFE/responsibly")
    p.set_defaults(handler=_weat)

    p = add_verb(subparsers, common, "debias",
                 "debias (hard, INLP, multiclass, Double-Hard, HSR); writes the new vectors, "
                 "reports DirectBias, optionally the full audit",
                 "rnncore debias multiclass --dimension race --out w2v-race.bin --audit")
    p.add_argument("method", choices=list(DEBIAS_METHODS))
    p.add_argument("--out", required=True, metavar="PATH",
                   help="output file; its suffix chooses the format: .bin word2vec binary, "
                        ".txt or .vec word2vec text, .kv gensim KeyedVectors.save (a pickle: "
                        "loading it back needs --trust-pickle); no suffix: --format; any "
                        "other suffix is refused before any work")
    p.add_argument("--format", choices=("binary", "text", "kv"), default=None,
                   help="binary (default), text or kv; must agree with the --out suffix")
    hidden_alias(p, "--text", "format", action="store_const", const="text")
    p.add_argument("--dimension", choices=BUILTIN, default="gender",
                   help="bias dimension to remove (multiclass, hsr; the others: gender)")
    p.add_argument("--groups", metavar="FILE",
                   help="your own groups instead of --dimension: a .csv/.tsv with one column "
                        "per group (header = names), the i-th words forming a defining set")
    p.add_argument("--recipe", choices=RECIPES, help="hard: keep-set recipe (default debiaswe: "
                   "1,441 gender-specific words kept, 79 pairs; responsibly: 1,462 and 81)")
    p.add_argument("--iterations", type=bounded("debias.iterations"),
                   help="INLP iterations (default 20)")
    p.add_argument("--n-words", type=bounded("debias.n_words"),
                   help="training words per side (INLP, default 2500; double-hard, 1000)")
    p.add_argument("--classifier", choices=("svm", "logistic"), help="INLP classifier")
    p.add_argument("--components", type=bounded("debias.components"),
                   help="multiclass: subspace size (default: groups - 1)")
    p.add_argument("--candidates", type=bounded("debias.candidates"),
                   help="double-hard: principal components tried (default 4)")
    p.add_argument("--scope", choices=SCOPES,
                   help="double-hard: all words (Wang et al., default) or only the most "
                        "biased words (WEFE 1.0.1)")
    p.add_argument("--alpha", type=bounded("debias.alpha"), help="hsr: ridge strength (default 60)")
    p.add_argument("--seed", type=bounded("seed"),
                   help="seed of INLP / double-hard / the audit (0)")
    p.add_argument("--audit", action="store_true",
                   help="also run the full before/after audit (every dimension, WEAT, "
                        "recoverability, neighbours, benchmarks)")
    p.add_argument("--permutations", type=bounded("permutations"), default=DEFAULT_PERMUTATIONS,
                   help="WEAT permutation budget of the audit (default: as `weat` and the "
                        "page, exact when every split fits)")
    p.set_defaults(handler=_debias)
