"""The gap between two groups' mean scores, with a bootstrap interval and a permutation p-value.

The unit of sampling is the word: each word's score is its mean over the templates. The
bootstrap resamples words within each group (percentile interval); the permutation test
shuffles the group labels of the words (two-sided; ``p = (1 + #{|gap*| >= |gap|}) / (1 + n)``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Gap:
    """Mean of group a, mean of group b, their difference and its uncertainty."""

    mean_a: float
    mean_b: float
    gap: float
    ci_low: float
    ci_high: float
    p_value: float
    n_a: int
    n_b: int
    confidence: float = 0.95

    def as_dict(self) -> dict[str, float | int]:
        """The gap and its uncertainty as a plain dict."""
        return asdict(self)

    @classmethod
    def empty(cls, n_a: int = 0, n_b: int = 0) -> Gap:
        """A gap of NaNs for groups that cannot be compared."""
        nan = float("nan")
        return cls(nan, nan, nan, nan, nan, nan, n_a, n_b)


def gap(a: np.ndarray, b: np.ndarray, n_boot: int = 2000, n_perm: int = 2000,
        confidence: float = 0.95, seed: int = 0) -> Gap:
    """``mean(a) - mean(b)`` with a bootstrap CI and a two-sided permutation p-value.

    Empty groups give a Gap of NaNs (reported by the caller, not an error).
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.size == 0 or b.size == 0:
        return Gap.empty(a.size, b.size)
    rng = np.random.default_rng(seed)
    observed = a.mean() - b.mean()
    boots = (a[rng.integers(0, a.size, (n_boot, a.size))].mean(1)
             - b[rng.integers(0, b.size, (n_boot, b.size))].mean(1))
    tail = (1 - confidence) / 2
    low, high = np.quantile(boots, [tail, 1 - tail])
    pooled = np.concatenate([a, b])
    perms = np.argsort(rng.random((n_perm, pooled.size)), axis=1)
    shuffled = pooled[perms]
    diffs = shuffled[:, : a.size].mean(1) - shuffled[:, a.size:].mean(1)
    p = (1 + np.sum(np.abs(diffs) >= abs(observed) - 1e-12)) / (1 + n_perm)
    return Gap(float(a.mean()), float(b.mean()), float(observed), float(low), float(high),
               float(p), int(a.size), int(b.size), confidence)
