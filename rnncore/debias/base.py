"""What every debias method shares: building the new embedding from unit vectors."""

from __future__ import annotations

import numpy as np

from rnncore.embeddings import Embedding


def new_embedding(original: Embedding, vectors: np.ndarray, name: str, source: str,
                  normalize: bool = False) -> Embedding:
    """A new Embedding over ``original``'s words; ``vectors`` is taken over (not copied).

    With ``normalize=False`` the rows must already have unit length (the debias methods
    normalise as they go), which skips a full extra pass over the matrix.
    """
    return original.with_vectors(vectors, name=name, source=source, normalized=not normalize)
