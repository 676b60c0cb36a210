"""Bias measurement: directions, projections, DirectBias, WEAT, generated analogies, word sets."""

from rnncore.bias import dimensions, wordsets
from rnncore.bias.directions import (
    METHODS,
    BiasDirection,
    BiasSubspace,
    bias_direction,
    bias_subspace,
)
from rnncore.bias.generated_analogies import generate_analogies
from rnncore.bias.metrics import direct_bias, subspace_bias
from rnncore.bias.projections import extremes, project, two_axis
from rnncore.bias.weat import WeatResult, weat

__all__ = ["METHODS", "BiasDirection", "BiasSubspace", "WeatResult", "bias_direction",
           "bias_subspace", "dimensions", "direct_bias", "extremes", "generate_analogies",
           "project", "subspace_bias", "two_axis", "weat", "wordsets"]
