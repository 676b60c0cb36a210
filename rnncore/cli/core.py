"""Foundation verbs: fetch, info, distance, neighbors."""

from __future__ import annotations

import argparse

from rnncore.assets import ASSETS, DEFAULT_ASSETS, builtin_names, ensure_built, fetch
from rnncore.cli.common import embedding_from, emit, stderr_progress
from rnncore.embeddings import lookup, neighbors, paired_distances


def _fetch(args: argparse.Namespace) -> int:
    keys = args.assets or (list(DEFAULT_ASSETS) if args.without_glove else list(ASSETS))
    for key in keys:
        fetch(key, stderr_progress, force=args.force)
    names = [n for n in builtin_names() if n != "glove-6b-50d" or "glove" in keys]
    built = [ensure_built(name, stderr_progress).meta for name in names]
    return emit(args, {"assets": keys, "embeddings": built},
                lambda: "\n".join(f"{m['name']}: {m['n_words']} x {m['dim']} ({m['source']})"
                                  for m in built))


def _info(args: argparse.Namespace) -> int:
    info = embedding_from(args).info()
    return emit(args, info, lambda: "\n".join(f"{k:8} {v}" for k, v in info.items()))


def _pair(text: str) -> tuple[str, str]:
    a, sep, b = text.partition(":")
    if not sep or not a or not b:
        raise argparse.ArgumentTypeError(f"expected WORD:WORD, got {text!r}")
    return a, b


def _distance(args: argparse.Namespace) -> int:
    left, right = zip(*args.pairs, strict=True)
    table = paired_distances(embedding_from(args), list(left), list(right))
    rows = table.to_dict("records")
    for row in rows:
        if not isinstance(row["reason"], str):
            del row["reason"]

    def text() -> str:
        return "\n".join(
            f"{r['a']:>15} {r['b']:<15} "
            + (f"{r['distance']:.4f}" if "reason" not in r else f"-      ({r['reason']})")
            for r in rows)

    return emit(args, rows, text)


def _neighbors(args: argparse.Namespace) -> int:
    embedding = embedding_from(args)
    if args.word not in embedding:
        raise KeyError(lookup(embedding, [args.word]).summary())
    rows = neighbors(embedding, args.word, args.topn).to_dict("records")
    return emit(args, rows, lambda: "\n".join(f"{r['word']:<20} {r['distance']:.4f}"
                                              for r in rows))


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("fetch", parents=[common], help="fetch and verify the pinned data")
    p.add_argument("assets", nargs="*", metavar="ASSET",
                   help=f"assets to fetch (default: all); known: {', '.join(ASSETS)}")
    p.add_argument("--without-glove", action="store_true",
                   help="skip the 76 MB GloVe asset (the dashboard fetches it on first use)")
    p.add_argument("--force", action="store_true", help="re-extract even when cached")
    p.set_defaults(handler=_fetch)

    p = subparsers.add_parser("info", parents=[common], help="the embedding's identity")
    p.set_defaults(handler=_info)

    p = subparsers.add_parser("distance", parents=[common],
                              help="cosine distance 1 - cos for WORD:WORD pairs")
    p.add_argument("pairs", nargs="+", type=_pair, metavar="A:B")
    p.set_defaults(handler=_distance)

    p = subparsers.add_parser("neighbors", parents=[common], help="nearest words by cosine")
    p.add_argument("word")
    p.add_argument("--topn", type=int, default=10)
    p.set_defaults(handler=_neighbors)
