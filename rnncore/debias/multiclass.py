"""Multiclass hard debias (Manzini et al. 2019): hard debias for a subspace of k >= 2 groups.

* subspace ``B`` (rows orthonormal): :func:`rnncore.bias.directions.bias_subspace` of the
  dimension's defining sets;
* neutralize: ``v <- normalize(v - B^T B v)`` for every word except the defining words and the
  ``keep`` words (for gender: Bolukbasi's gender-specific words);
* equalize, for each equalize set ``E`` (default: the defining sets, as in Manzini et al.'s code),
  with the *original* vectors: ``mu = mean(E)``, ``mu_B = B^T B mu``, ``nu = mu - mu_B`` and
  ``e <- nu + sqrt(1 - |nu|^2) (e_B - mu_B) / |e_B - mu_B|``.

This is WEFE 1.0.1's ``MulticlassHardDebias`` (its ``ignore`` = our ``keep``); the one
definition choice is the default size of the subspace: ``k - 1`` components here (all that k
groups span), 10 in WEFE (``pca_args``), which for race and religion includes directions of
(near) zero variance. ``bench/wefe_debias.py`` compares the two with the same size.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rnncore.bias import dimensions
from rnncore.bias.dimensions import Dimension
from rnncore.bias.directions import BiasSubspace, bias_subspace
from rnncore.debias.base import Debiaser, new_embedding

WordSet = tuple[str, ...]


def resolve_dimension(dimension: Dimension | str) -> Dimension:
    """A :class:`Dimension` as given, or the built-in one of that name."""
    return dimensions.builtin(dimension) if isinstance(dimension, str) else dimension


class MulticlassHardDebias(Debiaser):
    """Manzini et al.'s multiclass hard debias with scikit-learn's shape: ``fit``, ``transform``.

    After ``fit``: ``subspace_`` (a :class:`BiasSubspace`), ``direction_`` (its first component
    as a BiasDirection, for the audit), ``keep_`` (words left unneutralized) and
    ``equalize_sets_`` (the sets found in the vocabulary).
    """

    def __init__(self, dimension: Dimension | str = "race", n_components: int | None = None,
                 equalize_sets: Sequence[Sequence[str]] | None = None,
                 keep: Sequence[str] | None = None) -> None:
        self.dimension = dimension
        self.n_components = n_components
        self.equalize_sets = equalize_sets
        self.keep = keep

    def fit(self, embedding, subspace: BiasSubspace | None = None) -> MulticlassHardDebias:
        """Find the subspace (or take ``subspace``), the kept words and the sets to equalize."""
        dimension = resolve_dimension(self.dimension)
        self.dimension_ = dimension
        self.subspace_ = subspace or bias_subspace(embedding, dimension, self.n_components)
        self.direction_ = self.subspace_.direction(embedding)
        keep = dimension.specific_words if self.keep is None else self.keep
        self.keep_ = frozenset(keep) | frozenset(dimension.defining_words)
        sets = dimension.defining_sets if self.equalize_sets is None else self.equalize_sets
        self.equalize_sets_ = [tuple(s) for s in sets
                               if len(s) >= 2 and all(w in embedding for w in s)]
        return self

    def transform(self, embedding, name: str | None = None):
        """A new Embedding, neutralized and equalized (the input is untouched)."""
        self.check_fitted()
        basis = self.subspace_.components
        vectors = embedding.vectors
        coords = vectors @ basis.T.astype(np.float32)
        kept = np.zeros(len(embedding), dtype=bool)
        kept[[embedding.index(w) for w in self.keep_ if w in embedding]] = True
        coords[kept] = 0.0
        # |v - B^T B v| = sqrt(1 - |Bv|^2) for unit v and orthonormal B
        scale = 1.0 / np.sqrt(np.maximum(1.0 - (coords * coords).sum(axis=1), 1e-12,
                                         dtype=np.float32))
        scale[kept] = 1.0
        out = (vectors - coords @ basis.astype(np.float32)) * scale[:, None]
        for words in self.equalize_sets_:
            rows = [embedding.index(w) for w in words]
            original = vectors[rows].astype(np.float64)
            mean = original.mean(axis=0)
            mean_b = basis.T @ (basis @ mean)
            nu = mean - mean_b
            offset = original @ basis.T @ basis - mean_b
            norms = np.linalg.norm(offset, axis=1, keepdims=True)
            if np.any(norms == 0):
                continue  # identical projections: nothing to equalize
            out[rows] = nu + np.sqrt(max(1.0 - nu @ nu, 0.0)) * offset / norms
        key = self.dimension_.key
        return new_embedding(embedding, out, name or f"{embedding.name}+multiclass-{key}",
                             f"multiclass hard debias of {key} (Manzini et al. 2019, "
                             f"{self.subspace_.n_components} component(s)) of "
                             f"{embedding.name} [{embedding.sha256[:12]}]")
