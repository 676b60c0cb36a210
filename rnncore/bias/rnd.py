"""RND, the Relative Norm Distance (Garg, Schiebinger, Jurafsky & Zou 2018).

Garg et al. measure how much closer a set of attribute words (e.g. occupations) is to the
average vector of one group (``v_1``) than to the average vector of another (``v_2``):
``RND = sum_{a in A} ||a - v_1||_2 - ||a - v_2||_2``. Positive: A is closer to group 2.

WEFE 1.0.1's conventions, followed here: the *mean* over the attribute words instead of the
sum (``RND_WEFE = RND / |A|``), group averages of the vectors as stored (unit rows here),
Euclidean distance (``distance="norm"``). Template: 2 target sets x 1 attribute set.
"""

from __future__ import annotations

import numpy as np


def rnd(target_1: np.ndarray, target_2: np.ndarray,
        attribute: np.ndarray) -> tuple[float, np.ndarray]:
    """The RND (WEFE's mean form) and each attribute word's ``||a - v_1|| - ||a - v_2||``."""
    per_word = (np.linalg.norm(attribute - target_1.mean(axis=0), axis=1)
                - np.linalg.norm(attribute - target_2.mean(axis=0), axis=1))
    return float(per_word.mean()), per_word
