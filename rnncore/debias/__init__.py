"""Debiasing methods with scikit-learn's shape: ``fit(embedding)``, ``transform(embedding)``.

Each ``transform`` returns a new Embedding; the input embedding is never modified.
"""

from rnncore.debias.double_hard import DoubleHardDebias
from rnncore.debias.hard import RECIPES, HardDebias
from rnncore.debias.hsr import HalfSiblingRegression
from rnncore.debias.inlp import INLP
from rnncore.debias.multiclass import MulticlassHardDebias

__all__ = ["INLP", "RECIPES", "DoubleHardDebias", "HalfSiblingRegression", "HardDebias",
           "MulticlassHardDebias"]
