"""Embeddings: the immutable Embedding, loaders, OOV-aware lookup and distances."""

from rnncore.embeddings.distances import (
    cosine_distance,
    distance_matrix,
    neighbors,
    paired_distances,
)
from rnncore.embeddings.embedding import Embedding
from rnncore.embeddings.loaders import (
    DEFAULT_EMBEDDING,
    MAX_UPLOAD_BYTES,
    EmbeddingFormatError,
    load_builtin,
    load_embedding,
    load_file,
    load_upload,
)
from rnncore.embeddings.lookup import Lookup, Missing, lookup

__all__ = [
    "DEFAULT_EMBEDDING", "MAX_UPLOAD_BYTES", "Embedding", "EmbeddingFormatError", "Lookup",
    "Missing", "cosine_distance", "distance_matrix", "load_builtin", "load_embedding",
    "load_file", "load_upload", "lookup", "neighbors", "paired_distances",
]
