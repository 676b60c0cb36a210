"""Bias measurement: directions, projections, DirectBias, WEAT, generated analogies, word sets;
WEAT, RND, RNSB, MAC, ECT and RIPA on one query (``scores``) and the ranking of embeddings."""

from rnncore.bias import wordsets
from rnncore.bias.directions import METHODS, BiasDirection, bias_direction
from rnncore.bias.generated_analogies import generate_analogies
from rnncore.bias.metrics import direct_bias
from rnncore.bias.projections import extremes, project, two_axis
from rnncore.bias.query import Query
from rnncore.bias.scores import METRICS as BIAS_METRICS
from rnncore.bias.scores import MetricResult, score, weat_query
from rnncore.bias.weat import WeatResult, weat

__all__ = ["BIAS_METRICS", "METHODS", "BiasDirection", "MetricResult", "Query", "WeatResult",
           "bias_direction", "direct_bias", "extremes", "generate_analogies", "project", "score",
           "two_axis", "weat", "weat_query", "wordsets"]
