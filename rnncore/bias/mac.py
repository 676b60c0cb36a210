"""MAC, the Mean Average Cosine similarity (Manzini, Lim, Tsvetkov & Black 2019).

For every target word ``t`` (of every target set) and every attribute set ``A_j``:
``S(t, A_j) = (1/|A_j|) sum_{a in A_j} cos_distance(t, a)`` with
``cos_distance = 1 - cos``; MAC is the mean of all these ``S``. Near 1: the targets are
orthogonal to the attributes (no association); lower: closer. WEFE 1.0.1 computes it the same
way (a plain mean over every (target word, attribute set) pair, any number of sets).
"""

from __future__ import annotations

import numpy as np


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def mac(targets: list[np.ndarray], attributes: list[np.ndarray]) -> tuple[float, np.ndarray]:
    """MAC and the (all target words, attribute sets) matrix of ``S(t, A_j)``."""
    words = _unit(np.vstack(targets))
    scores = np.column_stack([1.0 - (words @ _unit(a).T).mean(axis=1) for a in attributes])
    return float(scores.mean()), scores
