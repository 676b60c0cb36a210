"""Gonen & Goldberg 2019 ("Lipstick on a pig"): is the gender of the most biased words still there?

Take the words most biased *before* debiasing (``n`` with the largest and ``n`` with the
smallest projection on the original direction, among the words the debias neutralized) and
label each with its original side. On the debiased vectors, then ask:

* k-means (k = 2): how well do the two clusters agree with the original sides
  (``max(acc, 1 - acc)``, 0.5 = chance);
* an RBF-kernel SVM: its cross-validated accuracy in predicting the original side.

Both stay far above chance after hard debias: the projection is gone, the neighbourhoods are not.
The k-means figure depends strongly on which words are selected, so the selection is reported.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.svm import SVC

from rnncore.bias.clusters import kmeans_agreement
from rnncore.embeddings import Embedding

VOCABULARIES = {
    "gonen-goldberg": "lower-case words of the 50,000 most frequent, under 20 characters, without "
                      "digits or punctuation (underscores joining clean parts allowed), not "
                      "gender-specific (Gonen & Goldberg's filter)",
    "all": "every vocabulary word that is not gender-specific",
}
_PUNCT = set(string.punctuation) - {"_"}


def _clean(word: str) -> bool:
    return (word == word.lower() and len(word) < 20 and not any(c.isdigit() for c in word)
            and not any(c in _PUNCT for c in word) and not word.startswith("_")
            and not word.endswith("_"))


def candidate_words(embedding: Embedding, exclude: Iterable[str],
                    vocabulary: str = "gonen-goldberg") -> list[str]:
    """The words the selection draws from (see :data:`VOCABULARIES`)."""
    if vocabulary not in VOCABULARIES:
        raise ValueError(f"unknown vocabulary {vocabulary!r}; choose one of {list(VOCABULARIES)}")
    excluded = set(exclude)
    words = embedding.words[:50_000] if vocabulary == "gonen-goldberg" else embedding.words
    keep = _clean if vocabulary == "gonen-goldberg" else (lambda _w: True)
    return [w for w in words if w not in excluded and keep(w)]


def most_biased(embedding: Embedding, direction, candidates: list[str],
                n_per_side: int = 500) -> tuple[list[str], list[str]]:
    """The ``n_per_side`` candidates with the largest and the smallest projection."""
    if 2 * n_per_side > len(candidates):
        raise ValueError(f"only {len(candidates)} candidate words for {n_per_side} per side")
    g = np.asarray(getattr(direction, "vector", direction), dtype=np.float64)
    proj = embedding.matrix(candidates).astype(np.float64) @ g
    order = np.argsort(-proj, kind="stable")
    return ([candidates[i] for i in order[:n_per_side]],
            [candidates[i] for i in order[::-1][:n_per_side]])


def classifier_accuracy(vectors: np.ndarray, labels: np.ndarray, seed: int = 0,
                        folds: int = 5) -> float:
    """Mean stratified ``folds``-fold cross-validated accuracy of an RBF SVM."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return float(cross_val_score(SVC(kernel="rbf"), vectors, labels, cv=splitter).mean())


@dataclass(frozen=True)
class Recoverability:
    """k-means agreement and classifier accuracy on the same words, before and after."""

    kmeans_before: float
    kmeans_after: float
    classifier_before: float
    classifier_after: float
    positive_words: tuple[str, ...]
    negative_words: tuple[str, ...]
    vocabulary: str
    seed: int
    folds: int

    @property
    def selection(self) -> str:
        """Which words the checks used, as a sentence for people."""
        n = len(self.positive_words)
        return (f"the {n} + {n} words with the largest and smallest projection on the original "
                f"direction, among {VOCABULARIES[self.vocabulary]}")


def recoverability(before: Embedding, after: Embedding, direction, exclude: Iterable[str],
                   n_per_side: int = 500, vocabulary: str = "gonen-goldberg", seed: int = 0,
                   folds: int = 5) -> Recoverability:
    """Gonen & Goldberg's two checks on the most biased words, before and after debiasing."""
    positive, negative = most_biased(before, direction,
                                     candidate_words(before, exclude, vocabulary), n_per_side)
    words = [*positive, *negative]
    labels = np.array([1] * len(positive) + [0] * len(negative))
    scores = {}
    for name, embedding in (("before", before), ("after", after)):
        vectors = embedding.matrix(words)
        scores[f"kmeans_{name}"] = kmeans_agreement(vectors, labels, seed)
        scores[f"classifier_{name}"] = classifier_accuracy(vectors, labels, seed, folds)
    return Recoverability(**scores, positive_words=tuple(positive),
                          negative_words=tuple(negative), vocabulary=vocabulary, seed=seed,
                          folds=folds)
