"""Input validation that knows no domain: size limits checked before reading, strict UTF-8,
control characters escaped, output paths and formats checked, numbers a user chooses
(``numbers``); every refusal an :class:`InputError` (a ``ValueError``) that names the file, the
line or field, and the limit.

Each kind of file is read beside its parser, in its domain's package: word lists
(:func:`rnncore.wordlists.read_word_file`), ``group,word`` CSVs and probe templates
(:func:`rnncore.probes.inputs.read_groups`, :func:`~rnncore.probes.inputs.read_templates`),
labelled CSVs (:func:`rnncore.corpora.reviews.read_labelled`), training text
(:func:`rnncore.corpora.text.load_corpus`), analogy questions
(:func:`rnncore.embeddings.benchmarks.questions_from_bytes`), character-LM checkpoints
(:func:`rnncore.models.checkpoint.load_checkpoint`) and embedding files
(:mod:`rnncore.embeddings.loaders`).
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
