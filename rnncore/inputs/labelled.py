"""Labelled sentences, a CSV ``text,label``, from a file or an upload."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rnncore.corpora.reviews import MAX_UPLOAD_BYTES, parse_labelled_csv
from rnncore.inputs.base import read_file


def read_labelled(path: str | Path) -> pd.DataFrame:
    """The ``text, label`` table of a CSV file (size checked before reading)."""
    return parse_labelled_csv(read_file(path, MAX_UPLOAD_BYTES, "labelled CSV"),
                              name=str(path))
