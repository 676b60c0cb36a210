"""CSV export that spreadsheets cannot execute: the one writer behind every CSV download.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some
treat a leading tab or carriage return the same way) as a formula, so a word such as
``=HYPERLINK(...)`` in an uploaded list would run when a user opens the export. Following
OWASP's advice on CSV injection, such *text* cells get a leading single quote; numbers stay
numbers (``-0.25`` in a float column is written as is).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` with a leading ``'`` when it is text that a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_table(table: pd.DataFrame, index: bool = False) -> pd.DataFrame:
    """A copy of ``table`` whose text cells (and column names) are neutralised."""
    out = table.reset_index() if index else table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def safe_csv(table: pd.DataFrame, path: str | Path | None = None, index: bool = False) -> str:
    """``table`` as CSV text with formula-like text cells neutralised; written to ``path``
    too when given."""
    text = safe_table(table, index).to_csv(index=False)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
