"""Step-by-step RNN traces made readable: vectors as short strings, newlines made visible."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def vector_text(values: Iterable[float], digits: int = 6) -> str:
    """A vector as ``[0.123456, …]`` with ``digits`` decimals."""
    return "[" + ", ".join(f"{v:.{digits}f}" for v in values) + "]"


def whole_height(table: pd.DataFrame | list) -> int:
    """A dataframe height in pixels that shows every row of ``table`` (or list) without
    scrolling (so no step of a trace hides below the fold)."""
    return 35 * (len(table) + 1) + 3


def visible_trace(table: pd.DataFrame, digits: int = 6) -> pd.DataFrame:
    """A copy of a trace for display: list columns as text, ``\\n`` characters shown as ``\\n``."""
    shown = table.copy()
    for col in shown.columns:
        if shown[col].map(lambda v: isinstance(v, list)).all():
            shown[col] = shown[col].map(lambda v: vector_text(v, digits))
    for col in ("input", "output"):
        if col in shown:
            shown[col] = shown[col].map(lambda ch: "\\n" if ch == "\n" else ch)
    return shown
