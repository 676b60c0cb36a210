"""Bias measurement: directions, projections, DirectBias, WEAT, generated analogies, word sets."""

from rnncore.bias import wordsets
from rnncore.bias.directions import METHODS, BiasDirection, bias_direction
from rnncore.bias.generated_analogies import generate_analogies
from rnncore.bias.metrics import direct_bias
from rnncore.bias.projections import extremes, project, two_axis
from rnncore.bias.weat import WeatResult, weat

__all__ = ["METHODS", "BiasDirection", "WeatResult", "bias_direction", "direct_bias", "extremes",
           "generate_analogies", "project", "two_axis", "weat", "wordsets"]
