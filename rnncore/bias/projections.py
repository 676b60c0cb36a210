"""Projections of words on a bias direction: the table, the extremes, and VERB's two-axis view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from rnncore.embeddings import Embedding
from rnncore.inputs.numbers import check_count


def _direction(direction) -> np.ndarray:
    return np.asarray(getattr(direction, "vector", direction), dtype=np.float64)


def project(embedding: Embedding, words: Sequence[str], direction) -> pd.DataFrame:
    """``cos(w, g)`` of each in-vocabulary word (unit vectors), largest first.

    Columns ``word`` and ``projection``; out-of-vocabulary words are left out (report them with
    ``rnncore.embeddings.lookup``). ``direction`` is a BiasDirection or a unit vector.
    """
    found = [w for w in dict.fromkeys(words) if w in embedding]
    values = embedding.matrix(found).astype(np.float64) @ _direction(direction) if found else []
    table = pd.DataFrame({"word": found, "projection": np.asarray(values, dtype=float)})
    return table.sort_values("projection", ascending=False, kind="stable").reset_index(drop=True)


def extremes(table: pd.DataFrame, n: int = 10, positive: str = "she",
             negative: str = "he") -> pd.DataFrame:
    """The ``n`` largest and ``n`` smallest projections of :func:`project`'s table, each with
    the side its sign puts it on (a word ranked among the "smallest" can still be positive).
    ValueError when ``n`` is below 1."""
    n = check_count(n, "the number of extreme words")
    n = min(n, len(table) // 2) if len(table) < 2 * n else n
    ends = pd.concat([table.head(n), table.tail(n).iloc[::-1]], ignore_index=True)
    return ends.assign(side=[positive if p > 0 else negative for p in ends["projection"]])


def two_axis(embedding: Embedding, groups: Mapping[str, Sequence[str]],
             direction) -> pd.DataFrame:
    """VERB's view: x = projection on the direction, y = first principal component of the rest.

    The y axis is the first principal component of the words' vectors with their bias component
    removed (``v - (v.g) g``), fitted on all the plotted words. Columns: word, group, x, y.
    """
    g = _direction(direction)
    rows = [(w, name) for name, words in groups.items() for w in dict.fromkeys(words)
            if w in embedding]
    if len(rows) < 2:
        raise ValueError("give at least two in-vocabulary words to draw")
    words = [w for w, _ in rows]
    vectors = embedding.matrix(words).astype(np.float64)
    x = vectors @ g
    rest = vectors - np.outer(x, g)
    rest -= rest.mean(axis=0)
    _, _, vt = np.linalg.svd(rest, full_matrices=False)
    y = rest @ vt[0]
    return pd.DataFrame({"word": words, "group": [name for _, name in rows], "x": x, "y": y})
