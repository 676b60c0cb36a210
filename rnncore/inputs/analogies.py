"""Analogy questions (``a b c d`` lines under ``: section`` headers) from an upload or file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rnncore.embeddings.benchmarks import parse_analogies
from rnncore.inputs.base import InputError, check_size, decode_utf8, read_file

MAX_BYTES = 2 * 2**20
MAX_QUESTIONS = 20_000


def questions_from_bytes(data: bytes, name: str) -> pd.DataFrame:
    """The questions of an upload: at most 2 MB and 20,000 questions, strict UTF-8."""
    check_size(len(data), name, MAX_BYTES, "questions file")
    text = decode_utf8(data, name, "questions file")
    if text.count("\n") > 4 * MAX_QUESTIONS:
        raise InputError(f"{name} has {text.count(chr(10)):,} lines; at most "
                         f"{4 * MAX_QUESTIONS:,} are read")
    questions = parse_analogies(text)
    if len(questions) > MAX_QUESTIONS:
        raise InputError(f"{name} has {len(questions):,} questions; at most "
                         f"{MAX_QUESTIONS:,} are evaluated")
    return questions


def read_questions(path: str | Path) -> pd.DataFrame:
    """The questions of a file (see :func:`questions_from_bytes`)."""
    return questions_from_bytes(read_file(path, MAX_BYTES, "questions file"), str(path))
