"""Analogies generated along a bias direction, as Bolukbasi et al. 2016 do (she:he :: x:y).

Among the ``restrict_vocab`` first words, every pair (x, y) with ``|x - y| <= delta`` (delta = 1
means an angle of at most 60 degrees: the pair is semantically close) is scored by
``cos(x - y, g)``; the top pairs, each word used at most once per side, are returned.
As Nissim et al. 2020 point out, such pairs never allow x = y, so they show what the direction
separates, not what an analogy solver would answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rnncore.embeddings import Embedding
from rnncore.progress import Progress

ROWS = 1024  # rows of the distance matrix computed at once


def generate_analogies(embedding: Embedding, direction, n: int = 50, delta: float = 1.0,
                       restrict_vocab: int = 10_000, progress: Progress | None = None
                       ) -> pd.DataFrame:
    """The ``n`` best pairs x:y; columns x, y, score = cos(x - y, g), distance = ``|x - y|``."""
    g = np.asarray(getattr(direction, "vector", direction), dtype=np.float32)
    vectors = embedding.vectors[:restrict_vocab]
    words = embedding.words[:restrict_vocab]
    proj = vectors @ g
    keep = max(4 * n, 200)
    found_x, found_y, found_score, found_dist = [], [], [], []
    for start in range(0, len(vectors), ROWS):
        block = vectors[start:start + ROWS]
        dist2 = np.maximum(2.0 - 2.0 * (block @ vectors.T), 0.0)  # |x - y|^2 for unit vectors
        rows, cols = np.nonzero((dist2 <= delta * delta) & (dist2 > 1e-10))
        if len(rows):
            dist = np.sqrt(dist2[rows, cols])
            score = (proj[start + rows] - proj[cols]) / dist
            best = np.argsort(-score)[:keep]
            found_x.append(start + rows[best])
            found_y.append(cols[best])
            found_score.append(score[best])
            found_dist.append(dist[best])
        if progress:
            done = min(start + ROWS, len(vectors))
            progress(done / len(vectors), f"pairs of {done:,}/{len(vectors):,} words")
    if not found_x:
        return pd.DataFrame(columns=["x", "y", "score", "distance"])
    xs, ys = np.concatenate(found_x), np.concatenate(found_y)
    scores, dists = np.concatenate(found_score), np.concatenate(found_dist)
    rows, used_x, used_y = [], set(), set()
    for i in np.argsort(-scores, kind="stable"):
        if xs[i] in used_x or ys[i] in used_y:
            continue
        used_x.add(xs[i])
        used_y.add(ys[i])
        rows.append({"x": words[xs[i]], "y": words[ys[i]], "score": float(scores[i]),
                     "distance": float(dists[i])})
        if len(rows) == n:
            break
    return pd.DataFrame(rows)
