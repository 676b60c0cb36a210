"""The input layer: every file that enters (word list, word-group CSV, labelled CSV, probe
templates, corpus text, analogy questions, checkpoint) goes through one module per kind.

Each module reads a path (CLI) or the bytes of an upload (pages) through the same parser, with
explicit limits checked before anything large is read or allocated, and refuses bad input with
an :class:`InputError` (a ``ValueError``) that names the file, the line or field, and the limit.
Embedding files have their own parser in :mod:`rnncore.embeddings.loaders`.

Modules: ``words`` (word lists), ``pairs`` (group,word CSVs), ``labelled`` (text,label CSVs),
``templates`` (probe templates), ``corpus`` (training text), ``analogies`` (questions),
``checkpoint`` (character-LM ``.pt`` files), ``numbers`` (counts, seeds, budgets and shares a
user chooses); ``base`` holds the shared checks (and the output path and format checks).
"""

from rnncore.inputs.base import (
    InputError,
    check_size,
    decode_utf8,
    escape_controls,
    input_file,
    output_file,
    quote,
    read_file,
)

__all__ = ["InputError", "check_size", "decode_utf8", "escape_controls", "input_file",
           "output_file", "quote", "read_file"]
