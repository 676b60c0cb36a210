"""Bias verbs: ``bias`` (direction, DirectBias, extreme professions), ``weat``, ``debias``."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from rnncore.cli.common import add_verb, embedding_from, emit, hidden_alias, stderr_progress

VERBS = ("bias", "weat", "debias")
MAX_LIST_BYTES = 2 * 2**20


def _pair(text: str) -> tuple[str, str]:
    a, sep, b = text.partition(":")
    if not sep or not a or not b:
        raise argparse.ArgumentTypeError(f"expected WORD:WORD, got {text!r}")
    return a, b


def read_words(spec: str) -> list[str]:
    """A built-in set name (``career``, ``weat6.x``, ``professions``) or a text file of words."""
    from rnncore.bias import wordsets

    path = Path(spec)
    if path.is_file():
        if path.stat().st_size > MAX_LIST_BYTES:
            raise ValueError(f"{spec} is larger than {MAX_LIST_BYTES // 2**20} MB")
        text = path.read_text(encoding="utf-8", errors="replace")
        return [w.strip() for w in re.split(r"[,\n\t]", text) if w.strip()]
    try:
        return list(wordsets.word_set(spec))
    except KeyError:
        raise KeyError(f"{spec!r} is neither a file nor a built-in word set; built-in sets: "
                       f"{', '.join(wordsets.set_names())}") from None


def _bias(args: argparse.Namespace) -> int:
    from rnncore.bias import bias_direction, direct_bias, extremes, project
    from rnncore.embeddings import lookup

    embedding = embedding_from(args)
    direction = bias_direction(embedding, args.pairs, args.method)
    words = read_words(args.words)
    table = project(embedding, words, direction)
    ends = extremes(table, args.topn, direction.positive_end, direction.negative_end)
    data = {
        "direction": direction.info(),
        "direct_bias": {"c": args.c, "words": args.words, "n_words": len(table),
                        "value": direct_bias(embedding, words, direction, args.c)},
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
    result = weat(embedding, sets["x"], sets["y"], sets["a"], sets["b"], args.permutations,
                  args.seed, args.ddof)
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


def _debias(args: argparse.Namespace) -> int:
    from rnncore.bias import direct_bias, wordsets
    from rnncore.debias import INLP, HardDebias

    embedding = embedding_from(args)
    if args.method == "hard":
        model = HardDebias().fit(embedding)
        extra = {"equalized_pairs": len(model.equalize_pairs_),
                 "gender_specific_kept": sum(w in embedding for w in model.gender_specific_)}
    else:
        model = INLP(n_iterations=args.iterations, n_words=args.n_words,
                     classifier=args.classifier, random_state=args.seed).fit(
            embedding, progress=stderr_progress)
        extra = {"accuracies": model.accuracies_, "iterations": args.iterations,
                 "n_words": args.n_words, "classifier": args.classifier, "seed": args.seed}
    debiased = model.transform(embedding)
    path = debiased.save_word2vec(args.out, binary=not args.text)
    neutral = wordsets.neutral_professions()
    direction = model.direction_
    data = {"method": args.method, "out": str(path), "format":
            "word2vec-text" if args.text else "word2vec-bin",
            "embedding": embedding.info(), "debiased": debiased.info(),
            "direction": direction.info(),
            "direct_bias": {"before": direct_bias(embedding, neutral, direction),
                            "after": direct_bias(debiased, neutral, direction)}, **extra}
    return emit(args, data, lambda: (
        f"wrote {path} ({data['format']}, {len(debiased):,} words)\n"
        f"DirectBias of the neutral professions: {data['direct_bias']['before']:.6f} -> "
        f"{data['direct_bias']['after']:.2e}"))


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``bias``, ``weat`` and ``debias`` verbs."""
    from rnncore.bias.directions import METHODS
    from rnncore.bias.weat import DEFAULT_PERMUTATIONS

    p = add_verb(subparsers, common, "bias",
                 "bias direction, DirectBias and the most extreme words on it",
                 "rnncore bias --method pair --pairs she:he --words professions --topn 5")
    p.add_argument("--method", choices=METHODS, default="pca")
    p.add_argument("--pairs", nargs="+", type=_pair, metavar="A:B",
                   help="pairs defining the direction (default: Bolukbasi's definitional "
                        "pairs; she:he for --method pair)")
    p.add_argument("--words", default="neutral_professions", metavar="SET_OR_FILE",
                   help="words to project and measure (default: neutral_professions)")
    p.add_argument("--topn", type=int, default=10, metavar="K",
                   help="extreme words per side (default 10)")
    hidden_alias(p, "--top", "topn", type=int)
    p.add_argument("--c", type=float, default=1.0, help="DirectBias strictness c")
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
    p.add_argument("--permutations", type=int, default=DEFAULT_PERMUTATIONS,
                   help="permutation budget (exact test when all splits fit)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ddof", type=int, default=1, choices=(0, 1),
                   help="std of the effect size: 1 = sample (Caliskan), 0 = WEFE/responsibly")
    p.set_defaults(handler=_weat)

    p = add_verb(subparsers, common, "debias",
                 "hard debias or INLP; writes the new vectors and reports DirectBias",
                 "rnncore debias hard --out w2v-hard.bin")
    p.add_argument("method", choices=("hard", "inlp"))
    p.add_argument("--out", required=True, metavar="PATH", help="output word2vec file")
    p.add_argument("--text", action="store_true", help="word2vec text instead of binary")
    p.add_argument("--iterations", type=int, default=20, help="INLP iterations")
    p.add_argument("--n-words", type=int, default=2500, help="INLP training words per side")
    p.add_argument("--classifier", choices=("svm", "logistic"), default="svm")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(handler=_debias)
