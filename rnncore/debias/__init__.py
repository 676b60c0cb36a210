"""Debiasing methods with scikit-learn's shape: ``fit(embedding)``, ``transform(embedding)``.

Each ``transform`` returns a new Embedding; the input embedding is never modified.
"""

from rnncore.debias.hard import HardDebias
from rnncore.debias.inlp import INLP

__all__ = ["INLP", "HardDebias"]
