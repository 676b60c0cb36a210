"""Shared CLI plumbing: global options on every verb, output as text or JSON, progress.

This module and the verb modules import only the standard library and light parts of rnncore
at import time; each handler imports what its verb needs (pandas, scipy, scikit-learn, gensim,
torch) when it runs, so ``info`` does not pay for torch.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rnncore.inputs.base import InputError, escape_controls
from rnncore.inputs.numbers import (
    check_count,
    check_fraction,
    check_limit,
    check_number,
    check_share,
)
from rnncore.jsonsafe import dumps
from rnncore.limits import limit

if TYPE_CHECKING:
    from rnncore.embeddings import Embedding

EMBEDDING_HELP = "w2v-news-31k (default), glove-6b-50d, or a word2vec/GloVe file"
_LOADED = "_loaded_embedding"
TRUST_HELP = ("allow --embedding to load a gensim .kv/.model file: these are pickles, and "
              "loading one runs any Python code inside it (only for files you trust)")
PICKLE_SUFFIXES = (".kv", ".model", ".pkl", ".pickle")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _number_type(parse: Callable[[str], Any], check: Callable[[Any], Any], name: str,
                 doc: str) -> Callable[[str], Any]:
    """An argparse ``type=``: parse the text, then apply the input layer's ``check``, so a bad
    number is argparse's usual one-line usage error (exit status 2; JSON under --json)."""
    def convert(text: str) -> Any:
        try:
            value = parse(text)
        except ValueError:
            what = "a whole number" if parse is int else "a number"
            raise argparse.ArgumentTypeError(f"must be {what}, not {text!r}") from None
        try:
            return check(value)
        except InputError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__, convert.__doc__ = name, f"An argparse ``type=``: {doc}."
    return convert


positive_int = _number_type(int, check_count, "positive_int",
                            "a whole number of at least 1 (a count)")
non_negative_int = _number_type(int, lambda v: check_count(v, minimum=0), "non_negative_int",
                                "a whole number of at least 0 (a seed; 0 = all)")
positive_float = _number_type(float, lambda v: check_number(v, minimum=0.0, above=True),
                              "positive_float", "a finite number above 0 (a rate, a budget)")
non_negative_float = _number_type(float, lambda v: check_number(v, minimum=0.0),
                                  "non_negative_float", "a finite number of at least 0")


def bounded(key: str) -> Callable[[str], Any]:
    """An argparse ``type=`` for the limit ``key`` of :data:`rnncore.limits.LIMITS` (a whole
    number or a finite float within it; the refusal says why the limit is there). The limit is
    kept on the validator as ``.limit`` (the sweep test reads it)."""
    bound = limit(key)
    convert = _number_type(int if bound.whole else float,
                           lambda v: check_limit(v, key), f"bounded_{key}",
                           f"{bound.low:g} to {bound.high:g}: {bound.reason}")
    convert.limit = bound  # type: ignore[attr-defined]
    return convert


fraction = _number_type(float, check_fraction, "fraction", "a share from 0 to 1")
share = _number_type(float, check_share, "share", "a share from 0 up to but not 1")
fraction.limit, share.limit = limit("fraction"), limit("share")  # type: ignore[attr-defined]


def word_pair(text: str) -> tuple[str, str]:
    """An argparse ``type=`` for ``WORD:WORD``."""
    a, sep, b = text.partition(":")
    if not sep or not a or not b:
        raise argparse.ArgumentTypeError(f"expected WORD:WORD, got {text!r}")
    return a, b


def common_parent() -> argparse.ArgumentParser:
    """Options every verb accepts after its name too (``distance --json ...``)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--embedding", default=argparse.SUPPRESS, metavar="NAME_OR_PATH",
                        help=EMBEDDING_HELP)
    parent.add_argument("--limit", type=bounded("limit"), default=argparse.SUPPRESS, metavar="N",
                        help="keep only the first N words of a vector file (the most frequent)")
    parent.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON (errors too, on stderr)")
    parent.add_argument("--trust-pickle", action="store_true", default=argparse.SUPPRESS,
                        help=TRUST_HELP)
    return parent


def add_verb(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser,
             name: str, summary: str, example: str, details: str = "") -> argparse.ArgumentParser:
    """A verb's parser: ``summary`` in the verb list, summary + ``details`` + one example in its
    own ``--help``."""
    return subparsers.add_parser(
        name, parents=[common], help=summary,
        description=f"{summary[0].upper()}{summary[1:]}." + (f" {details}" if details else ""),
        epilog=f"example:\n  {example}\n", formatter_class=argparse.RawDescriptionHelpFormatter)


def hidden_alias(parser: argparse.ArgumentParser, old: str, dest: str, **kwargs: Any) -> None:
    """Keep an old flag spelling working (scripts) without showing it in ``--help``."""
    parser.add_argument(old, dest=dest, help=argparse.SUPPRESS, **kwargs)


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


def check_trust(args: argparse.Namespace, spec: str) -> None:
    """Refuse a pickled embedding (gensim ``.kv``/``.model``) unless ``--trust-pickle``."""
    if Path(spec).suffix.lower() in PICKLE_SUFFIXES and not getattr(args, "trust_pickle", False):
        raise InputError(f"{spec} is a pickle (gensim .kv/.model): loading it runs any Python "
                         "code it contains. Load it only if you made it or trust its source, "
                         "with --trust-pickle; or convert it to word2vec format")


def embedding_from(args: argparse.Namespace) -> Embedding:
    """The embedding named by ``--embedding`` and ``--limit`` (loaded once per run; ``emit``
    reports it); what loading dropped from a file is said on stderr."""
    loaded = getattr(args, _LOADED, None)
    check_trust(args, args.embedding)
    if loaded is None:
        from rnncore.embeddings import load_embedding

        loaded = load_embedding(args.embedding, progress=stderr_progress,
                                limit=getattr(args, "limit", None))
        for note in loaded.notes:
            print(f"note: {note}", file=sys.stderr)
        setattr(args, _LOADED, loaded)
    return loaded


def emit(args: argparse.Namespace, data: dict[str, Any], text: Callable[[], str]) -> int:
    """Print ``data`` as JSON with --json, otherwise the human text; returns exit code 0.

    Every JSON object starts with the same ``embedding`` object: ``info()`` of the embedding
    the verb loaded, or null for verbs that use none.
    """
    if args.json:
        loaded = getattr(args, _LOADED, None)
        data = {"embedding": loaded.info() if loaded is not None else None,
                **{k: v for k, v in data.items() if k != "embedding"}}
        print(_json_safe(dumps(data, indent=2, ensure_ascii=False, default=str)))
    else:
        print(escape_controls(text()))
    return 0


def _json_safe(text: str) -> str:
    """JSON with DEL, C1 and bidi controls escaped too (json escapes only C0 controls)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_requested(argv: list[str]) -> bool:
    """Whether ``--json`` is among the arguments (before parsing has finished or when it fails)."""
    return "--json" in argv[: argv.index("--")] if "--" in argv else "--json" in argv


def report_error(message: str, as_json: bool, kind: str = "error") -> None:
    """An error for people on stderr: ``error: ...`` or, under --json, a JSON object."""
    if as_json:
        print(_json_safe(json.dumps({"error": message, "kind": kind}, ensure_ascii=False)),
              file=sys.stderr)
    else:
        print(f"error: {escape_controls(message, keep='')}", file=sys.stderr)
