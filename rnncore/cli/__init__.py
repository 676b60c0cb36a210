"""``rnncore VERB`` (or ``python -m rnncore VERB``): argparse verbs, each a few lines over the
library.

Each module in COMMAND_MODULES defines ``register(subparsers, common)`` that adds its verbs; a
verb's handler takes the parsed args and returns an exit code. A module that lists its verbs in
``VERBS`` is only registered when one of them runs (or for the full help), and verb modules
import the library inside their handlers: ``rnncore info`` loads neither torch nor pandas.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from rnncore import __version__
from rnncore.assets import AssetError
from rnncore.cli.common import (
    EMBEDDING_HELP,
    TRUST_HELP,
    bounded,
    common_parent,
    json_requested,
    report_error,
)
from rnncore.embeddings.loaders import DEFAULT_EMBEDDING, EmbeddingFormatError

COMMAND_MODULES = [
    "rnncore.cli.embeddings",
    "rnncore.cli.analysis",
    "rnncore.cli.rnn",
    "rnncore.cli.bias",
    "rnncore.cli.metrics",
    "rnncore.cli.word_models",
    "rnncore.cli.classroom",
    "rnncore.cli.study",
]
EXTRAS = {"torch": "rnn", "streamlit": "dashboard", "plotly": "dashboard"}


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line on stderr, as JSON when ``--json`` was given (exit status 2
    either way)."""

    as_json = False

    def error(self, message: str):  # type: ignore[override]
        if not self.as_json:  # one line, as every other refusal (the usage is in --help)
            self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        report_error(f"{self.prog}: {message}", as_json=True, kind="usage")
        raise SystemExit(2)


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--embedding", default=DEFAULT_EMBEDDING, metavar="NAME_OR_PATH",
                        help=EMBEDDING_HELP)
    parser.add_argument("--limit", type=bounded("limit"), default=None, metavar="N",
                        help="keep only the first N words of a vector file (the most frequent)")
    parser.add_argument("--json", action="store_true",
                        help="print machine-readable JSON (errors too, on stderr)")
    parser.add_argument("--trust-pickle", action="store_true", help=TRUST_HELP)


def _verb_of(argv: list[str]) -> str | None:
    """The verb named in ``argv`` (None when there is none or the arguments do not parse)."""
    pre = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    _global_options(pre)
    pre.add_argument("verb", nargs="?")
    try:
        return pre.parse_known_args(argv)[0].verb
    except argparse.ArgumentError:
        return None


def build_parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The parser of every verb, or only of the module that declares ``verb`` in ``VERBS``."""
    parser = _Parser(prog="rnncore",
                     description="Word embeddings, their biases, and the RNNs built on them. "
                                 "`rnncore VERB --help` describes a verb with an example.")
    _global_options(parser)
    parser.add_argument("--version", action="version", version=f"rnncore {__version__}")
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    common = common_parent()
    modules = [importlib.import_module(name) for name in COMMAND_MODULES]
    owners = [m for m in modules if verb is not None and verb in getattr(m, "VERBS", ())]
    for module in owners or modules:
        module.register(subparsers, common)
    return parser


def _missing_package(exc: ModuleNotFoundError) -> str | None:
    """A message for a verb whose optional dependency is not installed (None: not that case)."""
    top = (exc.name or "").split(".")[0]
    if top not in EXTRAS:
        return None
    return (f"this command needs {top}, which is not installed; "
            f"install it with: pip install 'rnncore[{EXTRAS[top]}]'")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input, with a message)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    as_json = json_requested(argv)
    _Parser.as_json = as_json
    args = build_parser(_verb_of(argv)).parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except (AssetError, EmbeddingFormatError, ValueError, KeyError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        report_error(str(message), as_json, type(exc).__name__)
        return 2
    except ModuleNotFoundError as exc:
        message = _missing_package(exc)
        if message is None:
            raise
        report_error(message, as_json, "missing-dependency")
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): stop quietly; point stdout at devnull so that
        # the interpreter's final flush does not raise again (Python docs, "SIGPIPE")
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:  # a path that went bad during the run: one line, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        report_error(where + (exc.strerror or str(exc)), as_json, "os-error")
        return 2
