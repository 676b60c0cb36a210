"""Bias directions: from one pair, from the mean of pair differences, or by PCA (Bolukbasi et al.).

Every direction is a unit float64 vector oriented so that the first words of the pairs
(``she``, ``woman`` ...) project positively.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from rnncore.bias import wordsets
from rnncore.embeddings import Embedding

METHODS = ("pca", "mean", "pair")
MIN_FIRST_COMPONENT = 0.5  # responsibly's threshold for a usable first principal component

Pair = tuple[str, str]


@dataclass(frozen=True)
class BiasDirection:
    """A unit direction in embedding space, how it was found, and from which word pairs."""

    vector: np.ndarray
    method: str
    pairs: tuple[Pair, ...]
    dropped: tuple[Pair, ...] = ()
    explained_variance_ratio: tuple[float, ...] = field(default=())

    @property
    def positive_end(self) -> str:
        """The word at the positive end of the direction (first word of the first pair)."""
        return self.pairs[0][0]

    @property
    def negative_end(self) -> str:
        """The word at the negative end of the direction (second word of the first pair)."""
        return self.pairs[0][1]

    @property
    def warning(self) -> str | None:
        """A sentence for people when the PCA direction explains too little of the pairs."""
        if self.method != "pca" or not self.explained_variance_ratio:
            return None
        first = self.explained_variance_ratio[0]
        if first >= MIN_FIRST_COMPONENT:
            return None
        return (f"the first principal component explains only {first:.0%} of the variance of "
                f"the centred pairs (below {MIN_FIRST_COMPONENT:.0%}): the pairs do not share "
                "one clear direction, so projections on it mean little")

    def info(self) -> dict[str, object]:
        """JSON-ready facts (without the vector itself)."""
        return {"method": self.method, "pairs": [list(p) for p in self.pairs],
                "dropped_pairs": [list(p) for p in self.dropped],
                "explained_variance_ratio": list(self.explained_variance_ratio),
                "positive_end": self.positive_end, "negative_end": self.negative_end,
                "warning": self.warning}


def usable_pairs(embedding: Embedding, pairs: Sequence[Pair]) -> tuple[list[Pair], list[Pair]]:
    """Split ``pairs`` into those with both words in the vocabulary and the dropped ones."""
    kept, dropped = [], []
    for a, b in pairs:
        (kept if a in embedding and b in embedding and a != b else dropped).append((a, b))
    return kept, dropped


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(vector)
    if norm == 0:
        raise ValueError("the pairs give a zero direction (are the two words identical?)")
    return vector / norm




def bias_direction(embedding: Embedding, pairs: Sequence[Pair] | None = None,
                   method: str = "pca", n_components: int = 10) -> BiasDirection:
    """The bias direction of ``pairs`` (default: Bolukbasi's definitional pairs).

    * ``pair``: ``normalize(a - b)`` of the first pair (default she - he);
    * ``mean``: the normalised mean of the differences ``a_i - b_i``;
    * ``pca``: the first principal component of the pairs' vectors centred on each pair's mean
      (Bolukbasi et al. 2016), with the explained-variance ratios of up to ``n_components``.

    Pairs with an out-of-vocabulary word are dropped and reported; ValueError when none is left.
    """
    if method not in METHODS:
        raise ValueError(f"unknown direction method {method!r}; choose one of {METHODS}")
    if pairs is None:
        pairs = [("she", "he")] if method == "pair" else wordsets.definitional_pairs()
    pairs = [(str(a), str(b)) for a, b in pairs]
    kept, dropped = usable_pairs(embedding, pairs)
    if not kept:
        raise ValueError("no pair has both words in the vocabulary; dropped: "
                         + ", ".join(f"{a}-{b}" for a, b in dropped))
    left = embedding.matrix([a for a, _ in kept]).astype(np.float64)
    right = embedding.matrix([b for _, b in kept]).astype(np.float64)
    ratios: tuple[float, ...] = ()
    if method == "pair":
        kept = kept[:1]
        vector = _unit(left[0] - right[0])
    elif method == "mean":
        vector = _unit((left - right).mean(axis=0))
    else:
        if len(kept) < 2:
            raise ValueError("PCA needs at least two pairs in the vocabulary")
        centre = (left + right) / 2
        centred = np.vstack([left - centre, right - centre])
        from sklearn.decomposition import PCA  # here: WEAT and projections need no sklearn

        pca = PCA(n_components=min(n_components, len(centred), embedding.dim))
        pca.fit(centred)
        ratios = tuple(float(r) for r in pca.explained_variance_ratio_)
        vector = _unit(pca.components_[0])
        if (left - right).sum(axis=0) @ vector < 0:  # PCA's sign is arbitrary
            vector = -vector
    vector.setflags(write=False)
    return BiasDirection(vector, method, tuple(kept), tuple(dropped), ratios)
