"""Shared CLI plumbing: global options on every verb, output as text or JSON, progress."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from typing import Any

from rnncore.embeddings import Embedding, load_embedding


def common_parent() -> argparse.ArgumentParser:
    """Options every verb accepts after its name too (``distance --json ...``)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--embedding", default=argparse.SUPPRESS, metavar="NAME_OR_PATH",
                        help="w2v-news-31k (default), glove-6b-50d, or a word2vec/GloVe file")
    parent.add_argument("--limit", type=int, default=argparse.SUPPRESS, metavar="N",
                        help="keep only the first N words of a vector file (the most frequent)")
    parent.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON")
    return parent


def stderr_progress(fraction: float, message: str) -> None:
    """A one-line progress display on stderr (kept off stdout so JSON stays clean)."""
    if not sys.stderr.isatty():
        print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)
        return
    width = 24
    filled = int(round(max(0.0, min(1.0, fraction)) * width))
    end = "\n" if fraction >= 1.0 else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {message[:70]:<70}", end=end,
          file=sys.stderr, flush=True)


def embedding_from(args: argparse.Namespace) -> Embedding:
    """The embedding the arguments name; what loading dropped is said on stderr."""
    embedding = load_embedding(args.embedding, progress=stderr_progress,
                               limit=getattr(args, "limit", None))
    for note in embedding.notes:
        print(f"note: {note}", file=sys.stderr)
    return embedding


def _clean(value: Any) -> Any:
    """Make NaN JSON-safe (null) recursively."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> int:
    """Print ``data`` as JSON with --json, otherwise the human text; returns exit code 0."""
    if args.json:
        print(json.dumps(_clean(data), indent=2, ensure_ascii=False, default=str))
    else:
        print(text())
    return 0
