"""Bias measurement: directions, projections, DirectBias, WEAT, generated analogies, word sets;
WEAT, RND, RNSB, MAC, ECT and RIPA on one query (``scores``) and the ranking of embeddings.

Names are imported from their submodule on first use (see ``rnncore._lazy``), so WEAT does not
pay for scikit-learn and a projection does not pay for the WEAT code.
"""

from rnncore._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "directions": ("DIRECTION_METHODS", "METHODS", "BiasDirection", "BiasSubspace",
                   "bias_direction",
                   "bias_subspace"),
    "generated_analogies": ("generate_analogies",),
    "direct_bias": ("direct_bias", "subspace_bias"),
    "projections": ("extremes", "project", "two_axis"),
    "query": ("Query",),
    "scores": ("MetricResult", "score", "weat_query"),
    "weat": ("WeatResult", "weat"),
}, modules=("dimensions", "wordsets"))
