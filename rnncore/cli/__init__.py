"""``python -m rnncore VERB``: argparse verbs, each a few lines over the library.

Each module in COMMAND_MODULES defines ``register(subparsers, common)`` that adds its verbs; a
verb's handler takes the parsed args and returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from rnncore.assets import AssetError
from rnncore.cli.common import common_parent
from rnncore.embeddings import DEFAULT_EMBEDDING, EmbeddingFormatError

COMMAND_MODULES = [
    "rnncore.cli.core",
    "rnncore.cli.explore",
    "rnncore.cli.rnn",
    "rnncore.cli.bias",
    "rnncore.cli.shift",
    "rnncore.cli.classroom",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m rnncore",
        description="Word embeddings, their biases, and the RNNs built on them.")
    parser.add_argument("--embedding", default=DEFAULT_EMBEDDING, metavar="NAME_OR_PATH",
                        help="w2v-news-31k (default), glove-6b-50d, or a word2vec/GloVe file")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    common = common_parent()
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except (AssetError, EmbeddingFormatError, ValueError, KeyError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): stop quietly; point stdout at devnull so that
        # the interpreter's final flush does not raise again (Python docs, "SIGPIPE")
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
