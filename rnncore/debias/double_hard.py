"""Double-Hard debias (Wang et al. 2020): remove a frequency direction, then hard debias.

Word frequency shapes the top principal components of an embedding and bends the gender
direction. Double-Hard debias

1. centres the vectors (``mean`` of all words) and takes the top principal components ``u_i``;
2. for each of the first ``n_candidates`` components, removes it (``v - mean - (u_i.v) u_i``)
   and the gender direction ``g`` from the ``n_words`` most female and most male words
   (``cos(w, she) - cos(w, he)``), clusters them with 2-means and measures how well the
   clusters still match the two sides; the component with the lowest agreement is the
   frequency direction;
3. removes that component from every word and hard-debiases the result (``scope="all"``, Wang
   et al.'s code: neutralize + equalize with the direction found again on the new vectors).

``scope="target"`` is WEFE 1.0.1's ``DoubleHardDebias`` instead: only the ``2 * n_words`` words
of step 2 change (frequency component and ``g`` removed, no equalize). Definition choices,
compared in ``bench/wefe_debias.py``: exact PCA (WEFE: ``IncrementalPCA`` by default) and a
seeded 2-means (one k-means++ start, as in WEFE, which leaves it unseeded); our vectors are
unit rows as always (WEFE leaves the changed words unnormalised).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.decomposition import PCA
from threadpoolctl import threadpool_limits

from rnncore.bias import wordsets
from rnncore.bias.clusters import kmeans_agreement
from rnncore.bias.directions import BiasDirection, bias_direction
from rnncore.debias.base import Debiaser, new_embedding
from rnncore.debias.hard import HardDebias
from rnncore.debias.options import SCOPES

Pair = tuple[str, str]


class DoubleHardDebias(Debiaser):
    """Wang et al.'s Double-Hard debias with scikit-learn's shape: ``fit`` then ``transform``.

    After ``fit``: ``direction_`` (the PCA gender direction), ``mean_``, ``components_`` (top
    principal components of the centred vectors), ``target_words_``/``target_labels_`` (the
    most biased words, 1 = ``she`` side), ``agreements_`` (2-means agreement per candidate) and
    ``frequency_component_`` (the index of the removed component).
    """

    def __init__(self, definitional_pairs: Sequence[Pair] | None = None,
                 bias_words: Pair = ("she", "he"), n_words: int = 1000, n_candidates: int = 4,
                 scope: str = "all", equalize_pairs: Sequence[Pair] | None = None,
                 keep: Sequence[str] | None = None, random_state: int = 0) -> None:
        self.definitional_pairs = definitional_pairs
        self.bias_words = bias_words
        self.n_words = n_words
        self.n_candidates = n_candidates
        self.scope = scope
        self.equalize_pairs = equalize_pairs
        self.keep = keep
        self.random_state = random_state

    def _without(self, vectors: np.ndarray, component: np.ndarray) -> np.ndarray:
        """``v - mean - (u.v) u`` (Wang et al. project the uncentred vector), float64."""
        vectors = np.asarray(vectors, dtype=np.float64)
        return vectors - self.mean_ - np.outer(vectors @ component, component)

    def fit(self, embedding, direction: BiasDirection | None = None,
            progress=None) -> DoubleHardDebias:
        """Direction, principal components, most biased words and the frequency component."""
        if self.scope not in SCOPES:
            raise ValueError(f"unknown scope {self.scope!r}; choose one of {SCOPES}")
        missing = [w for w in self.bias_words if w not in embedding]
        if missing:
            raise ValueError(f"bias words not in the vocabulary: {', '.join(missing)}")
        if not 1 <= self.n_candidates <= min(embedding.dim, 20):
            raise ValueError("n_candidates must be between 1 and 20")
        if 2 * self.n_words > len(embedding):
            raise ValueError(f"n_words = {self.n_words} per side needs more than "
                             f"{len(embedding):,} words")
        # one BLAS/OpenMP thread: on a busy 2-core machine the default threads made this fit
        # 8-15 s instead of 0.9-2.4 s (bench/wefe_debias.py), and on a quiet one it costs ~nothing
        with threadpool_limits(1):
            return self._fit(embedding, direction, progress)

    def _fit(self, embedding, direction, progress) -> DoubleHardDebias:
        self.direction_ = direction or bias_direction(embedding, self.definitional_pairs)
        vectors = embedding.vectors
        self.mean_ = vectors.mean(axis=0, dtype=np.float64)
        # the covariance route is exact and ~10x quicker than an SVD of the 31k x 300 matrix
        pca = PCA(self.n_candidates, svd_solver="covariance_eigh").fit(vectors)
        self.components_ = pca.components_.astype(np.float64)
        a, b = (embedding.vector(w).astype(np.float32) for w in self.bias_words)
        score = vectors @ a - vectors @ b
        keep = frozenset(self.keep or ())
        order = [i for i in np.argsort(score, kind="stable") if embedding.words[i] not in keep]
        rows = np.array(order[:self.n_words] + order[-self.n_words:])
        self.target_words_ = [embedding.words[i] for i in rows]
        self.target_labels_ = np.repeat([0, 1], self.n_words)
        g = self.direction_.vector
        self.agreements_ = []
        for i, component in enumerate(self.components_):
            x = self._without(vectors[rows], component)
            x -= np.outer(x @ g, g)
            self.agreements_.append(kmeans_agreement(x, self.target_labels_, self.random_state,
                                                     n_init=1))  # Wang et al.: one start
            if progress:
                progress((i + 1) / len(self.components_),
                         f"Double-Hard: component {i + 1}/{len(self.components_)}, "
                         f"2-means agreement {self.agreements_[-1]:.1%}")
        self.frequency_component_ = int(np.argmin(self.agreements_))
        self.target_rows_ = rows
        return self

    def transform(self, embedding, name: str | None = None):
        """A new Embedding (the input is untouched); see the module docstring for ``scope``."""
        self.check_fitted()
        u = self.components_[self.frequency_component_]
        label = (f"Double-Hard debias (Wang et al. 2020, component "
                 f"{self.frequency_component_ + 1}, scope {self.scope}) of {embedding.name} "
                 f"[{embedding.sha256[:12]}]")
        name = name or f"{embedding.name}+double-hard"
        if self.scope == "target":
            g = self.direction_.vector
            out = np.array(embedding.vectors)
            x = self._without(out[self.target_rows_], u)
            x -= np.outer(x @ g, g)
            out[self.target_rows_] = x / np.linalg.norm(x, axis=1, keepdims=True)
            return new_embedding(embedding, out, name, label)  # other rows stay bit-identical
        centred = self._without(embedding.vectors, u)
        step = new_embedding(embedding, centred.astype(np.float32), name, label, normalized=False)
        hard = HardDebias(self.definitional_pairs, self.equalize_pairs,
                          self.keep if self.keep is not None else wordsets.gender_specific())
        self.hard_ = hard.fit(step)
        out = hard.transform(step, name)
        return new_embedding(embedding, out.vectors, name, label)
