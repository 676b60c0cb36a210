"""DirectBias (Bolukbasi et al. 2016): how strongly neutral words lean along the bias direction."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rnncore.bias.projections import project
from rnncore.embeddings import Embedding
from rnncore.inputs.numbers import check_number


def direct_bias(embedding: Embedding, neutral_words: Sequence[str], direction,
                c: float = 1.0) -> float:
    """``DirectBias_c = (1/|N|) sum_{w in N} |cos(w, g)|^c`` over the in-vocabulary words.

    ``c`` sets the strictness; with ``c = 0`` a word counts 1 when its projection is non-zero
    and 0 otherwise, as in the paper.
    ValueError when no neutral word is in the vocabulary or ``c`` is negative.
    """
    c = check_number(c, "DirectBias strictness c", minimum=0.0)
    projections = project(embedding, neutral_words, direction)["projection"].to_numpy()
    if len(projections) == 0:
        raise ValueError("none of the neutral words is in the vocabulary")
    if c == 0:
        return float(np.mean(projections != 0))
    return float(np.mean(np.abs(projections) ** c))


def subspace_bias(embedding: Embedding, words: Sequence[str], subspace) -> float:
    """Mean length of the words' projections on a bias subspace: ``mean_w |B w|``.

    ``B`` holds the subspace's orthonormal components as rows (a :class:`BiasSubspace`); with one
    component this is DirectBias with ``c = 1``. ValueError when no word is in the vocabulary.
    """
    found = [w for w in dict.fromkeys(words) if w in embedding]
    if not found:
        raise ValueError("none of the words is in the vocabulary")
    coords = embedding.matrix(found).astype(np.float64) @ subspace.components.T
    return float(np.mean(np.linalg.norm(coords, axis=1)))
