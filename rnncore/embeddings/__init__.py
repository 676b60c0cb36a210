"""Embeddings: the immutable Embedding, loaders, OOV-aware lookup, distances, analogies,
benchmarks and 2D maps."""

from rnncore.embeddings.analogies import METHODS, AnalogyResult, analogy, solve_batch
from rnncore.embeddings.benchmarks import (
    BENCHMARKS,
    AnalogyEvaluation,
    Benchmark,
    BenchmarkRun,
    PairEvaluation,
    evaluate,
    evaluate_all,
    evaluate_analogies,
    evaluate_word_pairs,
    parse_analogies,
    read_analogies,
    read_word_pairs,
    run_benchmarks,
)
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
from rnncore.embeddings.maps import MAP_METHODS, WordMap, neighbour_lists, word_map

__all__ = [
    "DEFAULT_EMBEDDING", "MAX_UPLOAD_BYTES", "Embedding", "EmbeddingFormatError", "Lookup",
    "Missing", "cosine_distance", "distance_matrix", "load_builtin", "load_embedding",
    "load_file", "load_upload", "lookup", "neighbors", "paired_distances",
    "BENCHMARKS", "MAP_METHODS", "METHODS", "AnalogyEvaluation", "AnalogyResult", "Benchmark",
    "PairEvaluation", "WordMap", "analogy", "evaluate", "evaluate_all", "evaluate_analogies",
    "evaluate_word_pairs", "neighbour_lists", "read_analogies", "read_word_pairs",
    "solve_batch", "word_map", "BenchmarkRun", "run_benchmarks", "parse_analogies",
]
