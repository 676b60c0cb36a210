"""Products against a whole vocabulary in row blocks, so temporaries stay bounded.

Over a memory-mapped 3,000,000 x 300 matrix a product ``queries @ vectors.T`` reads the file
block by block; every temporary is at most ``queries x BLOCK_ROWS``, never ``n_words x dim``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

BLOCK_ROWS = 1 << 16


def row_blocks(n_rows: int, block_rows: int = BLOCK_ROWS) -> Iterator[slice]:
    """Consecutive slices covering ``range(n_rows)``."""
    for start in range(0, n_rows, block_rows):
        yield slice(start, min(start + block_rows, n_rows))


def similarities(vectors: np.ndarray, queries: np.ndarray,
                 block_rows: int = BLOCK_ROWS) -> np.ndarray:
    """``queries @ vectors.T`` as float32 ``(n_queries, n_words)``, computed in row blocks."""
    queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
    out = np.empty((len(queries), len(vectors)), dtype=np.float32)
    for rows in row_blocks(len(vectors), block_rows):
        np.matmul(queries, np.asarray(vectors[rows]).T, out=out[:, rows])
    return out


def top_order(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` best scores, best first, ties by index (the prefix of a stable
    descending sort), without sorting the whole array."""
    n = len(scores)
    k = min(k, n)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    threshold = np.partition(scores, n - k)[n - k]
    candidates = np.flatnonzero(scores >= threshold)
    return candidates[np.argsort(-scores[candidates], kind="stable")][:k]


def stable_rank(scores: np.ndarray, i: int) -> int:
    """1-based rank of ``scores[i]`` in a stable descending sort."""
    value = scores[i]
    return int(np.count_nonzero(scores > value) + np.count_nonzero(scores[:i] == value)) + 1
