"""Bias directions and subspaces: one pair, the mean of pair differences, or PCA.

Every direction is a unit float64 vector oriented so that the first words of the pairs
(``she``, ``woman`` ...) project positively. :func:`bias_subspace` generalises the PCA direction
to any number of groups (Manzini et al. 2019): the principal components of the defining sets,
each centred on its own mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from rnncore.bias import wordsets
from rnncore.bias.dimensions import Dimension
from rnncore.embeddings import Embedding

DIRECTION_METHODS = ("pca", "mean", "pair")
METHODS = DIRECTION_METHODS  # deprecated name (rnncore.embeddings has its own METHODS)
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
    ends: tuple[str, str] | None = None  # names of the two ends (groups); default: first pair

    @property
    def positive_end(self) -> str:
        """The positive end: ``ends[0]`` (a group) if set, else the first word of the first pair."""
        return self.ends[0] if self.ends else self.pairs[0][0]

    @property
    def negative_end(self) -> str:
        """The negative end: ``ends[1]`` (a group) if set, else the first pair's second word."""
        return self.ends[1] if self.ends else self.pairs[0][1]

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


WordSet = tuple[str, ...]


@dataclass(frozen=True)
class BiasSubspace:
    """Orthonormal directions (rows of ``components``) spanned by a dimension's defining sets.

    ``components`` is read-only float64 ``(n_components, dim)``; ``sets`` are the defining sets
    used (all words in the vocabulary), ``dropped`` the others.
    """

    components: np.ndarray
    dimension: Dimension
    sets: tuple[WordSet, ...]
    dropped: tuple[WordSet, ...] = ()
    explained_variance_ratio: tuple[float, ...] = ()

    @property
    def vector(self) -> np.ndarray:
        """The first component, so that a subspace works wherever a direction does."""
        return self.components[0]

    @property
    def n_components(self) -> int:
        """How many directions span the subspace."""
        return len(self.components)

    def coordinates(self, vectors: np.ndarray) -> np.ndarray:
        """Each row's coordinates in the subspace, shape ``(n, n_components)``."""
        return np.asarray(vectors, dtype=np.float64) @ self.components.T

    def group_means(self, embedding: Embedding, component: int = 0) -> np.ndarray:
        """Mean coordinate of each group's defining words on one component."""
        coords = self.coordinates(embedding.matrix([w for s in self.sets for w in s]))
        per_group = coords[:, component].reshape(len(self.sets), len(self.dimension.groups))
        return per_group.mean(axis=0)

    def direction(self, embedding: Embedding, component: int = 0) -> BiasDirection:
        """One component as a BiasDirection between the groups at its two ends."""
        if not 0 <= component < self.n_components:
            raise ValueError(f"component must be between 0 and {self.n_components - 1}")
        means = self.group_means(embedding, component)
        top, bottom = int(np.argmax(means)), int(np.argmin(means))
        vector = np.array(self.components[component])
        vector.setflags(write=False)
        groups = self.dimension.groups
        return BiasDirection(vector, "pca", tuple((s[top], s[bottom]) for s in self.sets),
                             tuple((s[top], s[bottom]) for s in self.dropped),
                             self.explained_variance_ratio, (groups[top], groups[bottom]))

    def info(self) -> dict[str, object]:
        """JSON-ready facts (without the vectors)."""
        return {"dimension": self.dimension.info(), "n_components": self.n_components,
                "sets": [list(s) for s in self.sets],
                "dropped_sets": [list(s) for s in self.dropped],
                "explained_variance_ratio": list(self.explained_variance_ratio)}


def bias_subspace(embedding: Embedding, dimension: Dimension, n_components: int | None = None,
                  max_ratios: int = 10) -> BiasSubspace:
    """The first ``n_components`` principal components of the centred defining sets.

    Each defining set (one word per group) is centred on its own mean and the centred vectors of
    all sets are stacked (Bolukbasi et al. 2016 for pairs, Manzini et al. 2019 for k groups).
    ``n_components`` defaults to ``k - 1`` (a set of k words spans at most k - 1 directions;
    gender gives Bolukbasi's one direction); explained-variance ratios of up to ``max_ratios``
    components are kept. Sets with a word outside the vocabulary are dropped and reported.
    Each component's sign is fixed so that the first group's words project above the set means.
    """
    kept = [s for s in dimension.defining_sets if all(w in embedding for w in s)
            and len(set(s)) == len(s)]
    dropped = [s for s in dimension.defining_sets if s not in kept]
    k = len(dimension.groups)
    n_components = k - 1 if n_components is None else n_components
    if not kept:
        raise ValueError(f"no defining set of {dimension.key!r} has all its words in the "
                         "vocabulary")
    vectors = embedding.matrix([w for s in kept for w in s]).astype(np.float64)
    centred = (vectors.reshape(len(kept), k, -1)
               - vectors.reshape(len(kept), k, -1).mean(axis=1, keepdims=True)).reshape(
        len(kept) * k, -1)
    rank_limit = min(len(centred), embedding.dim)
    if not 1 <= n_components <= rank_limit:
        raise ValueError(f"n_components must be between 1 and {rank_limit} for "
                         f"{len(kept)} defining set(s) of {k} words")
    from sklearn.decomposition import PCA  # here: WEAT and projections need no sklearn

    pca = PCA(n_components=min(max(n_components, max_ratios), rank_limit)).fit(centred)
    components = pca.components_[:n_components].copy()
    first_group = centred.reshape(len(kept), k, -1)[:, 0].sum(axis=0)
    components[first_group @ components.T < 0] *= -1  # PCA's signs are arbitrary
    components.setflags(write=False)
    ratios = tuple(float(r) for r in pca.explained_variance_ratio_[:max_ratios])
    return BiasSubspace(components, dimension, tuple(kept), tuple(dropped), ratios)
