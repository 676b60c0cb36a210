"""Bias measurement: directions, projections, DirectBias, WEAT, generated analogies, word sets."""

from rnncore.bias import wordsets
from rnncore.bias.directions import METHODS, BiasDirection, bias_direction

__all__ = ["METHODS", "BiasDirection", "bias_direction", "wordsets"]
