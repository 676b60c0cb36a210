"""RIPA, the Relational Inner Product Association (Ethayarajh, Duvenaud & Hirst 2019).

For one pair of target words (x, y) the relation vector is ``b = (x - y) / ||x - y||`` and a
word's association is its inner product ``RIPA(w) = <w, b>``. With sets, WEFE 1.0.1 pairs the
i-th word of target set 1 with the i-th of target set 2 (``b_i``), averages each attribute
word's ``<a, b_i>`` over the pairs, and returns the mean over the attribute words. Template:
2 target sets x 1 attribute set.

Difference: WEFE pairs ``len(set 1)`` words and fails when set 2 is shorter; here the pairs
stop at the shorter set (the unpaired words are reported).
"""

from __future__ import annotations

import numpy as np


def ripa(target_1: np.ndarray, target_2: np.ndarray,
         attribute: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """RIPA, and each attribute word's mean and (population) sd over the pairs."""
    n = min(len(target_1), len(target_2))
    b = target_1[:n] - target_2[:n]
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    scores = attribute @ b.T  # (|A|, pairs)
    per_word = scores.mean(axis=1)
    return float(per_word.mean()), per_word, scores.std(axis=1)
