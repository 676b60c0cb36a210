"""Count-based word LMs over the id sequences a word LM reads: the baselines of its perplexity.

``KneserNey``: interpolated Kneser-Ney (Chen & Goodman 1998, section 2.8 with one discount per
order, ``D = n1 / (n1 + 2 n2)``). The highest order uses raw counts, the lower ones continuation
counts (how many different words precede an n-gram), and the lowest is interpolated with the
uniform distribution, so every word of the vocabulary has a probability:

``p_k(w | h) = max(c_k(h w) - D_k, 0) / c_k(h) + D_k * types_k(h) / c_k(h) * p_{k-1}(w | h')``

(a context never seen falls through to the shorter one). Each sequence is read after
``order - 2`` padding marks, so that its first prediction has a full context and the lower
orders' first words have something before them. ``LaplaceUnigram``: add-one word frequencies.
Both predict exactly the tokens a word LM predicts (every id after the first of a sequence),
so their perplexities compare with its own on the same vocabulary and ``<unk>``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

PAD = -1


class LaplaceUnigram:
    """P(w) = (count(w) + 1) / (tokens + vocabulary): the floor any LM must beat."""

    def __init__(self, vocab_size: int) -> None:
        self.vocab_size = vocab_size

    def fit(self, sequences: Sequence[Sequence[int]]) -> LaplaceUnigram:
        """Count the predicted tokens (all but each sequence's first)."""
        self.counts_ = Counter(t for s in sequences for t in s[1:])
        self.total_ = sum(self.counts_.values())
        return self

    def perplexity(self, sequences: Sequence[Sequence[int]]) -> float:
        """exp(mean negative log-probability of every predicted token)."""
        denominator = self.total_ + self.vocab_size
        logs = [math.log((self.counts_[t] + 1) / denominator) for s in sequences for t in s[1:]]
        return math.exp(-sum(logs) / len(logs))


class KneserNey:
    """Interpolated Kneser-Ney n-gram of ``order`` over ids ``0 .. vocab_size - 1``."""

    def __init__(self, vocab_size: int, order: int = 3) -> None:
        if order < 2:
            raise ValueError("Kneser-Ney needs an order of at least 2")
        self.vocab_size, self.order = vocab_size, order

    def _grams(self, sequence: Sequence[int]) -> list[tuple[int, ...]]:
        padded = [PAD] * (self.order - 2) + list(sequence)
        return [tuple(padded[i - self.order + 1:i + 1])
                for i in range(self.order - 1, len(padded))]

    def fit(self, sequences: Sequence[Sequence[int]]) -> KneserNey:
        """Count every order: raw counts at the top, continuation counts below."""
        counts: list[Counter] = [Counter() for _ in range(self.order + 1)]
        counts[self.order] = Counter(g for s in sequences for g in self._grams(s))
        for k in range(self.order - 1, 0, -1):  # distinct (k+1)-grams -> continuation counts
            counts[k] = Counter(g[1:] for g in {g[-(k + 1):] for g in counts[k + 1]})
        self.counts_ = counts
        self.contexts_: list[dict[tuple[int, ...], list[int]]] = []  # context: [total, types]
        self.discounts_ = [0.0]
        for k in range(self.order + 1):
            contexts: dict[tuple[int, ...], list[int]] = defaultdict(lambda: [0, 0])
            for gram, n in counts[k].items():
                entry = contexts[gram[:-1]]
                entry[0] += n
                entry[1] += 1
            self.contexts_.append(dict(contexts))
            if k:
                histogram = Counter(n for n in counts[k].values() if n <= 2)
                n1, n2 = histogram[1], histogram[2]
                self.discounts_.append(n1 / (n1 + 2 * n2) if n1 else 0.5)
        return self

    def prob(self, history: Sequence[int], word: int) -> float:
        """P(word | the last ``order - 1`` ids of ``history``)."""
        p = 1.0 / self.vocab_size
        history = tuple(history)
        for k in range(1, self.order + 1):
            context = history[len(history) - (k - 1):] if k > 1 else ()
            seen = self.contexts_[k].get(context)
            if seen is None:
                continue
            total, types = seen
            discount = self.discounts_[k]
            p = (max(self.counts_[k][(*context, word)] - discount, 0.0)
                 + discount * types * p) / total
        return p

    def perplexity(self, sequences: Sequence[Sequence[int]]) -> float:
        """exp(mean negative log-probability of every predicted token)."""
        logs = [math.log(self.prob(g[:-1], g[-1])) for s in sequences for g in self._grams(s)]
        return math.exp(-sum(logs) / len(logs))
