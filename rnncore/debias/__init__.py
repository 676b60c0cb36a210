"""Debiasing methods with scikit-learn's shape: ``fit(embedding)``, ``transform(embedding)``.

Each ``transform`` returns a new Embedding; the input embedding is never modified. Names are
imported from their submodule on first use (``rnncore._lazy``): ``rnncore.debias.methods``
lists the methods without importing them.
"""

from rnncore._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "double_hard": ("DoubleHardDebias",),
    "hard": ("HardDebias",),
    "hsr": ("HalfSiblingRegression",),
    "inlp": ("INLP",),
    "methods": ("RECIPES", "run_debias"),
    "multiclass": ("MulticlassHardDebias",),
})
