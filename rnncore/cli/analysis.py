"""Embedding analysis verbs: analogy, evaluate (intrinsic benchmarks), map (2D coordinates of a
word list)."""

from __future__ import annotations

import argparse

from rnncore.cli.common import (
    add_verb,
    bounded,
    embedding_from,
    emit,
    fraction,
    stderr_progress,
)

VERBS = ("analogy", "evaluate", "map")


def _analogy(args: argparse.Namespace) -> int:
    from rnncore.embeddings import METHODS, analogy

    result = analogy(embedding_from(args), args.a, args.b, args.c, topn=args.topn,
                     method=args.method, allow_inputs=args.allow_inputs)
    data = result.to_dict()

    def text() -> str:
        lines = [f"{data['question']}   ({METHODS[args.method]})"]
        lines += [f"{i:>3}. {w:<24} {s:.4f}" for i, (w, s) in enumerate(result.answers, 1)]
        for skipped in result.excluded:
            lines.append(f"     excluded input word {skipped['word']!r} "
                         f"(rank {skipped['rank']}, {skipped['score']:.4f})")
        lines.append(result.note())
        return "\n".join(lines)

    return emit(args, data, text)


def _evaluate(args: argparse.Namespace) -> int:
    from rnncore.embeddings import evaluate_all

    embedding = embedding_from(args)
    table = evaluate_all(embedding, args.benchmarks or None, method=args.method,
                         restrict_vocab=args.restrict_vocab or None, progress=stderr_progress)
    rows = table.to_dict("records")

    def text() -> str:
        return "\n".join(
            f"{r['name']:<24} {r['metric']:<9} "
            + (f"{r['value']:>7.2%}" if r["metric"] == "accuracy" else f"{r['value']:>7.4f}")
            + f"   coverage {r['coverage']:.1%} ({r['evaluated']:,}/{r['total']:,})"
            for r in rows)

    return emit(args, {"method": args.method,
                       "restrict_vocab": args.restrict_vocab, "results": rows}, text)


def _words(args: argparse.Namespace) -> dict[str, list[str]]:
    from rnncore.wordlists import parse_text, read_word_file

    groups = read_word_file(args.file) if args.file else parse_text("\n".join(args.words))
    return groups.groups


def _map(args: argparse.Namespace) -> int:
    from rnncore.embeddings import word_map
    from rnncore.wordlists import oov_report

    words = _words(args)  # a bad file fails before the embedding loads
    embedding = embedding_from(args)
    report = oov_report(embedding, words, threshold=args.threshold)
    if report.flagged and not args.force:
        where = f"--file {args.file}: " if args.file else ""
        raise ValueError(where + report.message() + " Use --force to map what remains.")
    axes = {}
    if args.method == "axes":
        if not (args.x and args.y):
            raise ValueError("--method axes needs --x A B and --y C D")
        axes = {"x_axis": tuple(args.x), "y_axis": tuple(args.y)}
    result = word_map(embedding, report.resolved, args.method, seed=args.seed, **axes)
    rows = result.points.to_dict("records")
    data = {"method": args.method, "x": result.x_label, "y": result.y_label, "points": rows,
            "oov": report.to_dict(), "notes": result.notes}
    return emit(args, data, lambda: "\n".join(
        [f"x: {result.x_label}   y: {result.y_label}", report.message()]
        + [f"{r['word']:<20} {r['group']:<12} {r['x']:>9.4f} {r['y']:>9.4f}" for r in rows]))


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``analogy``, ``evaluate`` and ``map`` verbs."""
    from rnncore.embeddings import BENCHMARKS, MAP_METHODS, METHODS

    p = add_verb(subparsers, common, "analogy", "A is to B as C is to ? (3CosAdd or 3CosMul)",
                 "rnncore analogy man king woman --topn 3",
                 "Input words are excluded from the answers unless --allow-inputs; the answer "
                 "says which excluded word would have won.")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("c", metavar="C")
    p.add_argument("--topn", type=bounded("topn"), default=10, metavar="K",
                   help="how many (default 10)")
    p.add_argument("--method", choices=list(METHODS), default="add",
                   help="add = 3CosAdd (default), mul = 3CosMul (Levy & Goldberg 2014)")
    p.add_argument("--allow-inputs", action="store_true",
                   help="let A, B and C themselves be answers (most tools silently exclude them)")
    p.set_defaults(handler=_analogy)

    p = add_verb(subparsers, common, "evaluate",
                 "analogy accuracy and word-similarity Spearman benchmarks, with coverage",
                 "rnncore evaluate simlex ws353 men")
    p.add_argument("benchmarks", nargs="*", metavar="BENCHMARK",
                   help=f"which ones (default: all): {', '.join(BENCHMARKS)}")
    p.add_argument("--method", choices=list(METHODS), default="add")
    p.add_argument("--restrict-vocab", type=bounded("evaluate.restrict_vocab"),
                   default=300_000, metavar="N",
                   help="only the N most frequent words take part, as in gensim (0 = all)")
    p.set_defaults(handler=_evaluate)

    p = add_verb(subparsers, common, "map",
                 "2D coordinates of a word list (PCA, t-SNE, custom axes)",
                 'rnncore map "female: she, her, woman" "male: he, him, man" --method pca')
    p.add_argument("words", nargs="*", help="words, or 'group: w1, w2' arguments")
    p.add_argument("--file", help="a .txt (one word per line) or .csv (one column per group)")
    p.add_argument("--method", choices=list(MAP_METHODS), default="pca")
    p.add_argument("--x", nargs=2, metavar=("A", "B"), help="custom x axis: A - B")
    p.add_argument("--y", nargs=2, metavar=("C", "D"), help="custom y axis: C - D")
    p.add_argument("--threshold", type=fraction, default=0.2,
                   help="flag a group that loses more than this share of its words")
    p.add_argument("--force", action="store_true", help="map a flagged list anyway")
    p.add_argument("--seed", type=bounded("seed"), default=0)
    p.set_defaults(handler=_map)
