"""ECT, the Embedding Coherence Test (Dev & Phillips 2019).

Average each target set to one vector (``v_1``, ``v_2``); take the cosine similarity of each
to every attribute word (two vectors ``s_1``, ``s_2`` of length ``|A|``); ECT is Spearman's
rank correlation ``rho(s_1, s_2)``. 1 = both groups rank the attributes alike (no bias),
lower = they differ. Template: 2 target sets x 1 attribute set, as in WEFE 1.0.1 (which
averages the stored vectors, as here).
"""

from __future__ import annotations

import numpy as np


def _cosines(vector: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    return matrix @ vector / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(vector))


def ect(target_1: np.ndarray, target_2: np.ndarray,
        attribute: np.ndarray) -> tuple[float, np.ndarray]:
    """Spearman's rho and the ``(|A|, 2)`` cosine similarities to the two group means."""
    from scipy.stats import rankdata  # imported on use: importing the metrics stays light

    sims = np.column_stack([_cosines(t.mean(axis=0), attribute) for t in (target_1, target_2)])
    # Spearman's rho = Pearson's r of the (average-tie) ranks; scipy.stats.spearmanr gives
    # the same number with ~10x the call overhead on these short vectors (bench/wefe_metrics.py)
    ranks = rankdata(sims, axis=0)
    return float(np.corrcoef(ranks[:, 0], ranks[:, 1])[0, 1]), sims
