"""Shared CLI plumbing: global options on every verb, output as text or JSON, progress."""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rnncore.embeddings import Embedding, load_embedding
from rnncore.inputs.base import InputError, escape_controls

TRUST_HELP = ("allow --embedding to load a gensim .kv/.model file: these are pickles, and "
              "loading one runs any Python code inside it (only for files you trust)")
PICKLE_SUFFIXES = (".kv", ".model", ".pkl", ".pickle")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def common_parent() -> argparse.ArgumentParser:
    """Options every verb accepts after its name too (``distance --json ...``)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--embedding", default=argparse.SUPPRESS, metavar="NAME_OR_PATH",
                        help="w2v-news-31k (default), glove-6b-50d, or a word2vec/GloVe file")
    parent.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON")
    parent.add_argument("--trust-pickle", action="store_true", default=argparse.SUPPRESS,
                        help=TRUST_HELP)
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
    """The ``--embedding``; a pickle (gensim ``.kv``) only with ``--trust-pickle``."""
    spec = args.embedding
    if Path(spec).suffix.lower() in PICKLE_SUFFIXES and not getattr(args, "trust_pickle", False):
        raise InputError(f"{spec} is a pickle (gensim .kv/.model): loading it runs any Python "
                         "code it contains. Load it only if you made it or trust its source, "
                         "with --trust-pickle; or convert it to word2vec format")
    return load_embedding(spec, progress=stderr_progress)


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
    if args.json:  # JSON escapes C0 controls itself; DEL, C1 and bidi controls too here
        out = json.dumps(_clean(data), indent=2, ensure_ascii=False, default=str)
        print(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", out))
    else:
        print(escape_controls(text()))
    return 0
