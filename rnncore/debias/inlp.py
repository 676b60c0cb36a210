"""INLP, Iterative Nullspace Projection (Ravfogel et al. 2020).

Train a linear classifier to tell the two gender sides apart, project every vector onto the
nullspace of its weights, and repeat on the projected data: after ``n_iterations`` rounds the
subspace the classifiers used is removed from every word (``v <- normalize(P v)``).
The training words are, by default, the words most biased by projection on the PCA gender
direction (``n_words`` per side, gender-specific words included, as in the paper).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from rnncore.bias.directions import BiasDirection, bias_direction
from rnncore.debias.base import Debiaser, new_embedding
from rnncore.progress import Progress

CLASSIFIERS = ("svm", "logistic")


def most_biased_words(embedding, direction: np.ndarray, n_per_side: int,
                      exclude: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """The ``n_per_side`` words with the largest and the smallest projection on ``direction``."""
    proj = embedding.vectors @ direction.astype(np.float32)
    order = np.argsort(-proj, kind="stable")
    ranked = [embedding.words[i] for i in order if embedding.words[i] not in exclude]
    if 2 * n_per_side > len(ranked):
        raise ValueError(f"asked for {n_per_side} words per side but only {len(ranked)} "
                         "words are available")
    return ranked[:n_per_side], ranked[::-1][:n_per_side]


def _classifier(kind: str, seed: int):
    if kind == "svm":
        return LinearSVC(C=1.0, dual=False, max_iter=2000, random_state=seed)
    return LogisticRegression(C=1.0, max_iter=500, random_state=seed)


class INLP(Debiaser):
    """Iterative nullspace projection with scikit-learn's shape: ``fit`` then ``transform``.

    After ``fit``: ``projection_`` (the d x d matrix P), ``accuracies_`` (held-out accuracy of
    each iteration's classifier, measured before its direction is removed), ``directions_``
    (the removed unit directions, one row each), ``words_`` and ``labels_`` (the training words,
    1 = positive end), ``direction_`` (the PCA direction used to pick the words).
    """

    def __init__(self, n_iterations: int = 20, n_words: int = 2500, classifier: str = "svm",
                 test_size: float = 0.3, random_state: int = 0) -> None:
        self.n_iterations = n_iterations
        self.n_words = n_words
        self.classifier = classifier
        self.test_size = test_size
        self.random_state = random_state

    def fit(self, embedding, words: Sequence[str] | None = None,
            labels: Sequence[int] | None = None, direction: BiasDirection | None = None,
            progress: Progress | None = None) -> INLP:
        """Learn the projection; ``words``/``labels`` override the default training words."""
        if self.classifier not in CLASSIFIERS:
            raise ValueError(f"unknown classifier {self.classifier!r}; choose one of "
                             f"{CLASSIFIERS}")
        if not 1 <= self.n_iterations <= embedding.dim:
            raise ValueError(f"n_iterations must be between 1 and {embedding.dim}")
        self.direction_ = direction or bias_direction(embedding)
        if words is None:
            positive, negative = most_biased_words(embedding, self.direction_.vector,
                                                   self.n_words)
            words, labels = [*positive, *negative], [1] * len(positive) + [0] * len(negative)
        elif labels is None or len(labels) != len(words):
            raise ValueError("give one label per training word")
        kept = [(w, int(y)) for w, y in zip(words, labels, strict=True) if w in embedding]
        if len({y for _, y in kept}) < 2:
            raise ValueError("the training words must cover two classes in the vocabulary")
        self.words_ = [w for w, _ in kept]
        self.labels_ = np.array([y for _, y in kept])
        x = embedding.matrix(self.words_).astype(np.float64)
        x_train, x_test, y_train, y_test = train_test_split(
            x, self.labels_, test_size=self.test_size, random_state=self.random_state,
            stratify=self.labels_)
        dim = embedding.dim
        basis = np.zeros((0, dim))
        projection = np.eye(dim)
        accuracies = []
        for step in range(self.n_iterations):
            clf = _classifier(self.classifier, self.random_state + step)
            clf.fit(x_train @ projection, y_train)
            accuracies.append(float(clf.score(x_test @ projection, y_test)))
            for w in np.atleast_2d(clf.coef_) @ projection:  # stay in the current nullspace
                w = w - basis.T @ (basis @ w)
                norm = np.linalg.norm(w)
                if norm > 1e-10:
                    basis = np.vstack([basis, w / norm])
            projection = np.eye(dim) - basis.T @ basis
            if progress:
                progress((step + 1) / self.n_iterations,
                         f"INLP iteration {step + 1}/{self.n_iterations}: "
                         f"accuracy {accuracies[-1]:.1%}")
        self.accuracies_ = accuracies
        self.directions_ = basis
        self.projection_ = projection
        return self

    def transform(self, embedding, name: str | None = None):
        """A new Embedding with every vector projected (``P v``) and re-normalised."""
        self.check_fitted()
        projected = embedding.vectors @ self.projection_.astype(np.float32)
        return new_embedding(embedding, projected, name or f"{embedding.name}+inlp",
                             f"INLP ({len(self.accuracies_)} iterations, Ravfogel et al. 2020) "
                             f"of {embedding.name} [{embedding.sha256[:12]}]", normalized=False)
