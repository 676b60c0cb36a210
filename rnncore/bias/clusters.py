"""Do words still cluster by their side? 2-means agreement with known labels."""

from __future__ import annotations

import numpy as np


def kmeans_agreement(vectors: np.ndarray, labels: np.ndarray, seed: int = 0,
                     n_init: int = 10) -> float:
    """Agreement of a 2-means clustering (``n_init`` starts) with ``labels``:
    ``max(acc, 1 - acc)`` (0.5 = chance, 1 = the clusters are the sides)."""
    from sklearn.cluster import KMeans

    clusters = KMeans(n_clusters=2, n_init=n_init, random_state=seed).fit_predict(vectors)
    accuracy = float(np.mean(clusters == labels))
    return max(accuracy, 1.0 - accuracy)
