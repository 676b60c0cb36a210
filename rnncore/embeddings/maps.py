"""2D maps of a word list: PCA, t-SNE, or custom axes (x on a - b, y on c - d).

Custom axes follow whatlies and the Embedding Projector: a word's x is the scalar projection of its
unit vector on the unit direction ``a - b`` (positive = closer to a), and likewise y on ``c - d``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rnncore.embeddings.distances import neighbours
from rnncore.embeddings.embedding import Embedding
from rnncore.embeddings.lookup import lookup

MAP_METHODS = {"pca": "PCA", "tsne": "t-SNE", "axes": "Custom axes"}


@dataclass(frozen=True)
class WordMap:
    """Where the words landed (``word``, ``group``, ``x``, ``y``) and how the axes were made."""

    points: pd.DataFrame
    method: str
    x_label: str
    y_label: str
    notes: list[str] = field(default_factory=list)


def _group_table(embedding: Embedding, groups: Mapping[str, Sequence[str]] | Sequence[str]
                 ) -> tuple[pd.DataFrame, list[str]]:
    """In-vocabulary words with their group (first group wins for a repeated word), and notes."""
    if not isinstance(groups, Mapping):
        groups = {"words": list(groups)}
    rows, notes = [], []
    for group, words in groups.items():
        report = lookup(embedding, list(words), suggest_close=False)
        rows += [(w, group) for w in report.found]
        if report.missing:
            notes.append(f"{group}: {report.summary()}")
    table = pd.DataFrame(rows, columns=["word", "group"]).drop_duplicates("word")
    return table.reset_index(drop=True), notes


def _axis(embedding: Embedding, pair: tuple[str, str]) -> np.ndarray:
    for word in pair:
        if word not in embedding:
            raise KeyError(f"axis word {word!r} is not in the vocabulary: "
                           f"{lookup(embedding, [word]).summary()}")
    direction = embedding.vector(pair[0]) - embedding.vector(pair[1])
    norm = np.linalg.norm(direction)
    if norm == 0:
        raise ValueError(f"the axis {pair[0]} - {pair[1]} has no direction (same vector)")
    return direction / norm


def word_map(embedding: Embedding, groups: Mapping[str, Sequence[str]] | Sequence[str],
             method: str = "pca", x_axis: tuple[str, str] | None = None,
             y_axis: tuple[str, str] | None = None, perplexity: float = 30.0,
             seed: int = 0) -> WordMap:
    """Place the in-vocabulary words of ``groups`` in 2D (``method``: pca, tsne or axes).

    Missing words are left out and listed in ``notes``. t-SNE's perplexity is capped below the
    number of words (scikit-learn requires it) and the cap is noted.
    """
    if method not in MAP_METHODS:
        raise ValueError(f"unknown map method {method!r}; choose one of {', '.join(MAP_METHODS)}")
    table, notes = _group_table(embedding, groups)
    need = {"pca": 2, "tsne": 3, "axes": 1}[method]
    if len(table) < need:
        raise ValueError(f"{MAP_METHODS[method]} needs at least {need} words in the vocabulary; "
                         f"{len(table)} found")
    vectors = embedding.matrix(table["word"])
    if method == "axes":
        if not x_axis or not y_axis:
            raise ValueError("custom axes need two word pairs: x = a - b and y = c - d")
        xy = np.stack([vectors @ _axis(embedding, x_axis), vectors @ _axis(embedding, y_axis)], 1)
        labels = (f"{x_axis[0]} − {x_axis[1]}", f"{y_axis[0]} − {y_axis[1]}")
    elif method == "pca":
        from sklearn.decomposition import PCA

        pca = PCA(n_components=2, random_state=seed).fit(vectors)
        xy = pca.transform(vectors)
        share = pca.explained_variance_ratio_
        labels = (f"PC1 ({share[0]:.0%} of variance)", f"PC2 ({share[1]:.0%} of variance)")
    else:
        from sklearn.manifold import TSNE
        from threadpoolctl import threadpool_limits

        used = min(perplexity, (len(table) - 1) / 3)
        if used < perplexity:
            notes.append(f"t-SNE perplexity lowered from {perplexity:g} to {used:.1f} "
                         f"for {len(table)} words")
        # one thread: a word list is small and more OpenMP threads only spin (the same map in
        # 0.1 CPU-s instead of 1-20 on a busy 2-core server, bench/README "Stored defaults")
        with threadpool_limits(1):
            xy = TSNE(n_components=2, perplexity=used, metric="cosine", init="pca",
                      random_state=seed).fit_transform(vectors)
        labels = ("t-SNE 1", "t-SNE 2")
    points = table.assign(x=xy[:, 0].astype(float), y=xy[:, 1].astype(float))
    return WordMap(points, method, labels[0], labels[1], notes)


def neighbour_lists(embedding: Embedding, words: Sequence[str], topn: int = 10) -> pd.DataFrame:
    """The ``topn`` nearest words of each in-vocabulary word, with cosine and ``1 - cos``."""
    frames = [neighbours(embedding, w, topn).rename(columns={"word": "neighbour"})
              .assign(word=w, rank=lambda t: range(1, len(t) + 1))
              for w in lookup(embedding, words).found]
    if not frames:
        return pd.DataFrame(columns=["word", "rank", "neighbour", "similarity", "distance"])
    return pd.concat(frames, ignore_index=True)[["word", "rank", "neighbour", "similarity",
                                                 "distance"]]
