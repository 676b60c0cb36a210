"""Embedding verbs: fetch, info, distance, neighbors."""

from __future__ import annotations

import argparse

from rnncore.cli.common import (
    add_verb,
    bounded,
    embedding_from,
    emit,
    stderr_progress,
    word_pair,
)

VERBS = ("fetch", "info", "distance", "neighbors")


def _fetch(args: argparse.Namespace) -> int:
    from rnncore.assets import ASSETS, DEFAULT_ASSETS, builtin_names, ensure_built, fetch

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
    return emit(args, {}, lambda: "\n".join(f"{k:8} {v}" for k, v in info.items()))


def _distance(args: argparse.Namespace) -> int:
    from rnncore.embeddings import paired_distances

    left, right = zip(*args.pairs, strict=True)
    table = paired_distances(embedding_from(args), list(left), list(right))
    rows = [{**row, "reason": row["reason"] if isinstance(row["reason"], str) else ""}
            for row in table.to_dict("records")]

    def text() -> str:
        return "\n".join(
            f"{r['a']:>15} {r['b']:<15} "
            + (f"-      ({r['reason']})" if r["reason"] else f"{r['distance']:.4f}")
            for r in rows)

    return emit(args, {"pairs": rows}, text)


def _neighbors(args: argparse.Namespace) -> int:
    from rnncore.embeddings import lookup, neighbours

    embedding = embedding_from(args)
    if args.word not in embedding:
        raise KeyError(lookup(embedding, [args.word]).summary())
    rows = neighbours(embedding, args.word, args.topn).to_dict("records")
    return emit(args, {"word": args.word, "topn": args.topn, "neighbors": rows},
                lambda: "\n".join(f"{r['word']:<20} {r['distance']:.4f}" for r in rows))


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``fetch``, ``info``, ``distance`` and ``neighbors`` verbs."""
    from rnncore.assets import ASSETS

    p = add_verb(subparsers, common, "fetch", "fetch and verify the pinned data, build the "
                 "built-in embeddings", "rnncore fetch --without-glove")
    p.add_argument("assets", nargs="*", metavar="ASSET",
                   help=f"assets to fetch (default: all); known: {', '.join(ASSETS)}")
    p.add_argument("--without-glove", action="store_true",
                   help="skip the 76 MB GloVe asset (the dashboard fetches it on first use)")
    p.add_argument("--force", action="store_true", help="re-extract even when cached")
    p.set_defaults(handler=_fetch)

    p = add_verb(subparsers, common, "info", "the embedding's identity: name, size, source, "
                 "sha256", "rnncore info --json")
    p.set_defaults(handler=_info)

    p = add_verb(subparsers, common, "distance", "cosine distance 1 - cos for WORD:WORD pairs",
                 "rnncore distance woman:nurse man:nurse",
                 "A pair with a word the embedding does not know gets no distance and a reason.")
    p.add_argument("pairs", nargs="+", type=word_pair, metavar="A:B")
    p.set_defaults(handler=_distance)

    p = add_verb(subparsers, common, "neighbors", "the nearest words by cosine distance",
                 "rnncore neighbors nurse --topn 10")
    p.add_argument("word")
    p.add_argument("--topn", type=bounded("topn"), default=10, metavar="K",
                   help="how many (default 10)")
    p.set_defaults(handler=_neighbors)
