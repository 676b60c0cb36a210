"""Half-Sibling Regression (Yang & Feng 2020): subtract what the definitional words predict.

The vectors of the definitional words ``V_d`` (d x m, one column per word) are the "half
sibling": a ridge regression of every other word's vector on them,
``W = (V_d^T V_d + alpha I)^-1 V_d^T V_n``, estimates the part of each word that the
definitional words explain, and that part is subtracted: ``v <- v - V_d W``. As one matrix,
``v <- (I - V_d (V_d^T V_d + alpha I)^-1 V_d^T) v`` for every non-definitional word (computed
once as a d x d matrix instead of an m x n one: same numbers, a fraction of the work).
The definitional words keep their vectors.

WEFE 1.0.1's ``HalfSiblingRegression`` (``alpha = 60``) leaves the new vectors unnormalised;
ours are unit rows as every Embedding (the bench compares after normalising WEFE's rows).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.linalg import solve

from rnncore.bias import wordsets
from rnncore.bias.dimensions import Dimension
from rnncore.bias.directions import bias_subspace
from rnncore.debias.base import Debiaser, new_embedding
from rnncore.debias.multiclass import resolve_dimension


def default_definitional_words(dimension: Dimension) -> tuple[str, ...]:
    """Gender: Bolukbasi's 218 gender-specific seed words; other dimensions: the defining words."""
    if dimension.key == "gender":
        return tuple(dict.fromkeys([*dimension.defining_words, *wordsets.gender_specific_seed()]))
    return dimension.defining_words


class HalfSiblingRegression(Debiaser):
    """Yang & Feng's HSR with scikit-learn's shape: ``fit`` then ``transform``.

    After ``fit``: ``definitional_words_`` (in the vocabulary), ``projection_`` (the d x d
    matrix applied to every other word) and ``direction_`` (the dimension's first PCA
    component, for the audit).
    """

    def __init__(self, dimension: Dimension | str = "gender",
                 definitional_words: Sequence[str] | None = None, alpha: float = 60.0) -> None:
        self.dimension = dimension
        self.definitional_words = definitional_words
        self.alpha = alpha

    def fit(self, embedding) -> HalfSiblingRegression:
        """Learn the projection that removes what the definitional words predict."""
        if self.alpha <= 0:
            raise ValueError("alpha must be positive")
        dimension = resolve_dimension(self.dimension)
        self.dimension_ = dimension
        self.direction_ = bias_subspace(embedding, dimension).direction(embedding)
        words = (default_definitional_words(dimension) if self.definitional_words is None
                 else self.definitional_words)
        self.definitional_words_ = [w for w in dict.fromkeys(words) if w in embedding]
        if not self.definitional_words_:
            raise ValueError("none of the definitional words is in the vocabulary")
        vd = embedding.matrix(self.definitional_words_).astype(np.float64).T  # d x m
        gram = vd.T @ vd + self.alpha * np.eye(vd.shape[1])
        self.projection_ = np.eye(embedding.dim) - vd @ solve(gram, vd.T, assume_a="pos")
        return self

    def transform(self, embedding, name: str | None = None):
        """A new embedding: every vector minus its prediction, rows back to unit length."""
        self.check_fitted()
        out = embedding.vectors @ self.projection_.T.astype(np.float32)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        rows = [embedding.index(w) for w in self.definitional_words_]
        out[rows] = embedding.vectors[rows]  # bit-identical
        key = self.dimension_.key
        return new_embedding(embedding, out, name or f"{embedding.name}+hsr-{key}",
                             f"half-sibling regression of {key} (Yang & Feng 2020, alpha "
                             f"{self.alpha:g}) of {embedding.name} [{embedding.sha256[:12]}]")
