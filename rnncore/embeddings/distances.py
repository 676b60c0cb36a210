"""Cosine distances ``d = 1 - cos``: element-wise between lists, pairwise matrices, neighbours."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from rnncore.embeddings.blocks import similarities, top_order
from rnncore.embeddings.embedding import Embedding
from rnncore.embeddings.lookup import lookup


def cosine_distance(embedding: Embedding, a: str, b: str) -> float:
    """``1 - cos(a, b)``; KeyError when either word is missing."""
    return float(1.0 - np.dot(embedding.vector(a), embedding.vector(b)))


def paired_distances(embedding: Embedding, left: Sequence[str], right: Sequence[str]
                     ) -> pd.DataFrame:
    """The course's ``t1(w1list, w2list)``: distance of ``left[i]`` to ``right[i]`` for each i.

    Pairs with an out-of-vocabulary word get ``distance = NaN`` and a ``reason``.
    """
    if len(left) != len(right):
        raise ValueError(f"the two lists differ in length ({len(left)} vs {len(right)}); "
                         "distances are taken element by element")
    report = lookup(embedding, [*left, *right])
    why = {m.word: m for m in report.missing}
    rows = []
    for a, b in zip(left, right, strict=True):
        absent = [w for w in (a, b) if w in why]
        if absent:
            reason = "; ".join(
                f"{w!r} not in vocabulary" + (f" (try {why[w].suggestion!r})"
                                              if why[w].suggestion else "") for w in absent)
            rows.append({"a": a, "b": b, "distance": np.nan, "reason": reason})
        else:
            rows.append({"a": a, "b": b, "distance": cosine_distance(embedding, a, b),
                         "reason": None})
    return pd.DataFrame(rows, columns=["a", "b", "distance", "reason"])


def distance_matrix(embedding: Embedding, words: Sequence[str]) -> pd.DataFrame:
    """Pairwise ``1 - cos`` of the in-vocabulary ``words`` (labels in request order)."""
    found = lookup(embedding, words, suggest_close=False).found
    m = embedding.matrix(found)
    dist = np.clip(1.0 - m @ m.T, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    return pd.DataFrame(dist, index=found, columns=found)


def neighbours(embedding: Embedding, word: str, topn: int = 10) -> pd.DataFrame:
    """The ``topn`` nearest words to ``word`` by cosine, excluding itself (exact; the
    vocabulary is read in row blocks, see :mod:`rnncore.embeddings.blocks`)."""
    if topn < 1:
        raise ValueError(f"topn must be at least 1, not {topn}")
    sims = similarities(embedding.vectors, embedding.vector(word))[0]
    own = embedding.index(word)
    top = [int(i) for i in top_order(sims, topn + 1) if i != own][:topn]
    return pd.DataFrame({"word": [embedding.words[i] for i in top],
                         "similarity": sims[top].astype(float),
                         "distance": (1.0 - sims[top]).astype(float)})


def neighbors(embedding: Embedding, word: str, topn: int = 10) -> pd.DataFrame:
    """Deprecated spelling of :func:`neighbours` (kept for old code; same result)."""
    import warnings

    warnings.warn("rnncore.embeddings.neighbors is deprecated: use neighbours",
                  DeprecationWarning, stacklevel=2)
    return neighbours(embedding, word, topn)
