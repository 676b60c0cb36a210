"""Word lists from files: one parser (:mod:`rnncore.wordlists`) for the CLI and the pages.

``.txt``: one word or phrase per line; ``.csv``/``.tsv``: one column per group, group names in
the header row (so a header is never taken for a word). Binary files are refused, the size is
checked before reading, and there are limits on words and word length.
"""

from __future__ import annotations

from pathlib import Path

from rnncore.inputs.base import read_file
from rnncore.wordlists import MAX_BYTES, SUFFIXES, WordGroups, parse_upload


def looks_like_path(spec: str) -> bool:
    """Whether ``spec`` names a file rather than a built-in set (a suffix or a folder part)."""
    path = Path(spec)
    return path.exists() or path.suffix.lower() in SUFFIXES or len(path.parts) > 1


def read_word_file(path: str | Path) -> WordGroups:
    """The word groups of a ``.txt``/``.csv``/``.tsv`` file (see :func:`parse_upload`)."""
    data = read_file(path, MAX_BYTES, "word list")
    return parse_upload(data, str(path))
