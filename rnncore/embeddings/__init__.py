"""Embeddings: the immutable Embedding, loaders, OOV-aware lookup, distances, analogies,
benchmarks and 2D maps.

Names are imported from their submodule on first use (see ``rnncore._lazy``): loading an
embedding does not import pandas, and nothing here imports gensim until it is needed.
"""

from rnncore._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "analogies": ("ANALOGY_METHODS", "METHODS", "AnalogyResult", "analogy", "solve_batch"),
    "benchmarks": ("BENCHMARKS", "AnalogyEvaluation", "Benchmark", "BenchmarkRun",
                   "PairEvaluation", "evaluate", "evaluate_all", "evaluate_analogies",
                   "evaluate_word_pairs", "parse_analogies", "read_analogies", "read_word_pairs",
                   "run_benchmarks"),
    "distances": ("cosine_distance", "distance_matrix", "neighbors", "neighbours",
                  "paired_distances"),
    "embedding": ("Embedding",),
    "loaders": ("DEFAULT_EMBEDDING", "MAX_UPLOAD_BYTES", "EmbeddingFormatError", "load_builtin",
                "load_embedding", "load_file", "load_upload"),
    "lookup": ("Lookup", "Missing", "lookup"),
    "maps": ("MAP_METHODS", "WordMap", "neighbour_lists", "word_map"),
})
