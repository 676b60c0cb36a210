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

import itertools
import math
from collections.abc import Iterator, Sequence
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


def context_codes(ids: np.ndarray, order: int, vocab_size: int,
                  start: int) -> Iterator[tuple[np.ndarray, int]]:
    """For n = 1..order: the codes of the contexts of length n ending at each position
    ``k >= start`` of the rows of ``ids`` [B, L], and the first column where the row is long
    enough (columns before it hold shorter contexts). The array is updated in place for the
    next n: use it before asking for the next."""
    length = ids.shape[1]
    code = np.zeros((ids.shape[0], length - start), dtype=np.int64)
    for n in range(1, order + 1):
        first = max(0, n - 1 - start)
        code[:, first:] += ids[:, start + first - (n - 1):length - (n - 1)] * vocab_size ** (n - 1)
        yield code, first


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
        for code, first in context_codes(self.ids[None, :-1], self.order, vocab_size, 0):
            pairs = code[0, first:] * vocab_size  # context, then the character after it
            pairs += nexts[first:]
            self._orders.append(self._count(pairs))

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
        codes = context_codes(full, self.order, self.vocab_size, start)
        unigram = (np.zeros((rows, steps), dtype=np.int64), 0)
        for table, (code, first) in zip([self._unigram, *self._orders],
                                        itertools.chain([unigram], codes), strict=True):
            slot = np.minimum(np.searchsorted(table.keys, code), len(table.keys) - 1)
            found = table.keys[slot] == code
            found[:, :first] = False
            slot, found = slot.ravel(), found.ravel()
            if not found.any():
                break  # no longer context can occur either
            row = slot[found]
            total, types = table.totals[row, None], table.types[row, None]
            seen = _dense_rows(table.counts, row)
            p[found] = (seen + types * p[found]) / (total + types)
        return p.reshape(rows, steps, self.vocab_size)

    def next_probs(self, context: Sequence[int]) -> np.ndarray:
        """P(next character | ``context``), its last ``order`` characters counting: one row of
        ``probs`` for a single position (generation), without its array set-up (float64 [V])."""
        context = list(context)[-self.order:] if self.order else []
        p = np.full(self.vocab_size, 1.0 / self.vocab_size)
        code = 0
        for n, table in enumerate([self._unigram, *self._orders]):
            if n:
                if n > len(context):
                    break
                code += context[-n] * self.vocab_size ** (n - 1)
            slot = int(np.searchsorted(table.keys, code))
            if slot == len(table.keys) or table.keys[slot] != code:
                break  # no longer context can occur either
            seen = _dense_rows(table.counts, np.array([slot]))[0]
            total, types = table.totals[slot], table.types[slot]
            p = (seen + types * p) / (total + types)
        return p

    def history(self, ids: np.ndarray, history: np.ndarray | None = None) -> np.ndarray:
        """The context to carry after reading ``ids``: the last ``order`` characters."""
        full = ids if history is None else np.concatenate([history, ids], axis=1)
        return full[:, max(0, full.shape[1] - self.order):]


def _dense_rows(table: sparse.csr_matrix, rows: np.ndarray, few: int = 16) -> np.ndarray:
    """``table[rows].toarray()``; for a few rows (generation reads one per step) by slicing
    the CSR arrays directly, which skips scipy's fancy-indexing overhead (about 1 ms a call,
    a fifth of a generation step measured under load)."""
    if len(rows) > few:
        return table[rows].toarray()
    out = np.zeros((len(rows), table.shape[1]), dtype=table.dtype)
    for i, r in enumerate(rows):
        start, end = table.indptr[r], table.indptr[r + 1]
        out[i, table.indices[start:end]] = table.data[start:end]
    return out
