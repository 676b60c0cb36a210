"""Interpolated character n-gram (Witten-Bell smoothing), counted on a training text.

``p_n(c | h) = lam_h * count(h c) / count(h) + (1 - lam_h) * p_{n-1}(c | h')`` with
``lam_h = count(h) / (count(h) + types(h))`` (``types``: distinct characters seen after ``h``),
``h'`` the context one character shorter and the uniform distribution below order 0
(Witten & Bell 1991; Chen & Goodman 1998, section 2.7). Longer contexts that never occurred in
the training text are skipped. The character LM mixes it with its networks: it remembers
exact spellings (names, repeated lines) that a small recurrent network only approximates.

Counts of each order are a sparse matrix (contexts x characters), the contexts numbered by a
base-``vocab_size`` code of their characters and looked up by binary search. Counting sorts the
(context, next character) codes of one order at a time, so a 4.5 MB text needs about 100 MB
for a moment and some 30-60 MB after.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class _Counts:
    """One order: sorted context codes, their next-character counts, totals and types."""

    keys: np.ndarray          # int64 [contexts], sorted
    counts: sparse.csr_matrix  # [contexts, vocab]
    totals: np.ndarray        # float64 [contexts]
    types: np.ndarray         # float64 [contexts]


def max_order(vocab_size: int) -> int:
    """The longest context whose code, with the next character, fits in an int64."""
    return max(0, int(62 / math.log2(max(vocab_size, 2))) - 1)


def context_codes(ids: np.ndarray, order: int, vocab_size: int, start: int) -> list[np.ndarray]:
    """For each position ``k >= start`` of the rows of ``ids`` [B, L], the codes of the
    contexts of length 1..order ending at ``k`` (-1 where the row is too short)."""
    rows, length = ids.shape
    positions = np.arange(start, length)
    code = np.zeros((rows, len(positions)), dtype=np.int64)
    codes = []
    for n in range(1, order + 1):
        back = positions - (n - 1)
        valid = back >= 0
        code = code + ids[:, np.maximum(back, 0)].astype(np.int64) * vocab_size ** (n - 1)
        codes.append(np.where(valid, code, -1))
    return codes


class CharNGram:
    """Witten-Bell interpolated n-gram over character ids ``0 .. vocab_size - 1``."""

    def __init__(self, ids: np.ndarray, vocab_size: int, order: int) -> None:
        self.ids = np.asarray(ids, dtype=np.int64)
        self.vocab_size = vocab_size
        self.order = min(order, max_order(vocab_size))
        if len(self.ids) < 2:
            raise ValueError("the n-gram needs a text of two characters at least")
        nexts = self.ids[1:]
        self._unigram = self._count(nexts)
        self._orders = []
        code = np.zeros(len(nexts), dtype=np.int64)
        for n in range(1, self.order + 1):  # contexts of length n ending before each next
            code[n - 1:] += self.ids[: len(nexts) - n + 1] * vocab_size ** (n - 1)
            self._orders.append(self._count(nexts[n - 1:] + code[n - 1:] * vocab_size))

    def _count(self, pairs: np.ndarray) -> _Counts:
        """Counts from the codes ``context * vocab_size + next`` of every occurrence."""
        pairs, counts = np.unique(pairs, return_counts=True)
        contexts, nexts = np.divmod(pairs, self.vocab_size)
        starts = np.flatnonzero(np.r_[True, contexts[1:] != contexts[:-1]])
        table = sparse.csr_matrix((counts.astype(np.float32), nexts.astype(np.int32),
                                   np.r_[starts, len(pairs)]),
                                  shape=(len(starts), self.vocab_size))
        return _Counts(contexts[starts], table,
                       np.add.reduceat(counts, starts).astype(np.float64),
                       np.diff(table.indptr).astype(np.float64))

    def probs(self, ids: np.ndarray, history: np.ndarray | None = None) -> np.ndarray:
        """P(next character | text up to and including each position of ``ids`` [B, T]);
        ``history`` [B, H] is the text before ``ids`` (its last ``order`` characters count).
        Returns float64 [B, T, vocab_size]."""
        ids = np.asarray(ids, dtype=np.int64)
        start = 0 if history is None else history.shape[1]
        full = ids if history is None else np.concatenate([history, ids], axis=1)
        rows, steps = ids.shape
        p = np.full((rows * steps, self.vocab_size), 1.0 / self.vocab_size)
        every = np.zeros(rows * steps, dtype=np.int64)
        codes = [every] + [c.ravel() for c in context_codes(full, self.order, self.vocab_size,
                                                             start)]
        for table, code in zip([self._unigram, *self._orders], codes, strict=True):
            slot = np.minimum(np.searchsorted(table.keys, code), len(table.keys) - 1)
            found = (code >= 0) & (table.keys[slot] == code)
            if not found.any():
                break  # no longer context can occur either
            row = slot[found]
            total, types = table.totals[row, None], table.types[row, None]
            seen = table.counts[row].toarray()
            p[found] = (seen + types * p[found]) / (total + types)
        return p.reshape(rows, steps, self.vocab_size)

    def history(self, ids: np.ndarray, history: np.ndarray | None = None) -> np.ndarray:
        """The context to carry after reading ``ids``: the last ``order`` characters."""
        full = ids if history is None else np.concatenate([history, ids], axis=1)
        return full[:, max(0, full.shape[1] - self.order):]
