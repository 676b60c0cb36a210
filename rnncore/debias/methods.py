"""Every debias method by name, with its options: one entry point for the CLI, pages and shift.

``run_debias(embedding, "multiclass", "race")`` fits and transforms and returns what the audit
needs: the new embedding, the direction it is measured with, the words the method kept, and the
parameters it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rnncore.debias.options import DEFAULT_RECIPE, RECIPES, SCOPES
from rnncore.progress import Progress

if TYPE_CHECKING:  # the methods themselves are imported when one runs (a light CLI)
    from rnncore.bias.dimensions import Dimension
    from rnncore.bias.directions import BiasDirection
    from rnncore.embeddings import Embedding

__all__ = ["DEFAULTS", "DEFAULT_RECIPE", "METHODS", "RECIPES", "SCOPES", "DebiasRun",
           "run_debias"]

METHODS = {
    "hard": "Hard debias (Bolukbasi et al. 2016)",
    "inlp": "INLP (Ravfogel et al. 2020)",
    "multiclass": "Multiclass hard debias (Manzini et al. 2019)",
    "double-hard": "Double-Hard debias (Wang et al. 2020)",
    "hsr": "Half-sibling regression (Yang & Feng 2020)",
}
ANY_DIMENSION = ("multiclass", "hsr")  # the others remove gender (two groups)
DEFAULTS: dict[str, dict[str, object]] = {
    "hard": {"recipe": DEFAULT_RECIPE},
    "inlp": {"n_iterations": 20, "n_words": 2500, "classifier": "svm", "random_state": 0},
    "multiclass": {"n_components": None},
    "double-hard": {"n_words": 1000, "n_candidates": 4, "scope": "all", "random_state": 0},
    "hsr": {"alpha": 60.0},
}


@dataclass
class DebiasRun:
    """A fitted method, its new embedding, and what the audit measures it with."""

    method: str
    dimension: Dimension
    model: object
    after: Embedding
    direction: BiasDirection
    kept: list[str]
    params: dict = field(default_factory=dict)


def _params(method: str, model, options: dict) -> dict:
    facts: dict[str, object] = dict(options)
    hard = model if method == "hard" else getattr(model, "hard_", None)  # Double-Hard's step
    if hard is not None:
        facts["equalized_pairs"] = len(hard.equalize_pairs_)
        facts["gender_specific_words"] = len(hard.gender_specific_)
    if method == "double-hard":
        facts["frequency_component"] = model.frequency_component_ + 1
        facts["kmeans_agreements"] = [round(a, 4) for a in model.agreements_]
    if method == "multiclass":
        facts["n_components"] = model.subspace_.n_components
        facts["equalized_sets"] = len(model.equalize_sets_)
        facts["kept_words"] = len(model.keep_)
    if method == "hsr":
        facts["definitional_words"] = len(model.definitional_words_)
    if method == "inlp":
        facts["accuracies"] = [round(a, 4) for a in model.accuracies_]
    return facts


def run_debias(embedding: Embedding, method: str, dimension: Dimension | str = "gender",
               options: dict | None = None, direction: BiasDirection | None = None,
               progress: Progress | None = None) -> DebiasRun:
    """Fit ``method`` on ``embedding`` and transform it (the input is never modified).

    ``options`` override :data:`DEFAULTS` of the method; ``direction`` (gender methods only)
    replaces the PCA direction of Bolukbasi's pairs, e.g. one picked on the Bias direction page.
    ValueError for an unknown method or option, or a dimension the method cannot remove.
    """
    from threadpoolctl import threadpool_limits

    from rnncore.debias.double_hard import DoubleHardDebias
    from rnncore.debias.hard import HardDebias
    from rnncore.debias.hsr import HalfSiblingRegression
    from rnncore.debias.inlp import INLP
    from rnncore.debias.multiclass import MulticlassHardDebias, resolve_dimension

    if method not in METHODS:
        raise ValueError(f"unknown debias method {method!r}; choose from {', '.join(METHODS)}")
    unknown = set(options or {}) - set(DEFAULTS[method])
    if unknown:
        raise ValueError(f"{method} has no option {', '.join(sorted(unknown))}; it takes "
                         f"{', '.join(DEFAULTS[method]) or 'none'}")
    chosen = {**DEFAULTS[method], **(options or {})}
    dim = resolve_dimension(dimension)
    if method not in ANY_DIMENSION and dim.key != "gender":
        raise ValueError(f"{method} removes gender only; for {dim.key} use "
                         + " or ".join(ANY_DIMENSION))
    report = progress or (lambda f, m: None)
    # one BLAS thread: OpenBLAS splits products differently by thread count, which changes
    # the last bits, and so the sha256 of the result; with one thread the same input gives
    # the same bytes on every machine (class models are keyed by that sha256)
    with threadpool_limits(1):
        if method == "hard":
            model = HardDebias(**chosen).fit(embedding, direction=direction)
            kept = model.gender_specific_
        elif method == "inlp":
            model = INLP(**chosen).fit(embedding, direction=direction, progress=report)
            kept = dim.specific_words
        elif method == "double-hard":
            model = DoubleHardDebias(**chosen).fit(embedding, direction=direction, progress=report)
            kept = dim.specific_words
        elif method == "multiclass":
            model = MulticlassHardDebias(dim, **chosen).fit(embedding)
            kept = model.keep_
        else:
            model = HalfSiblingRegression(dim, **chosen).fit(embedding)
            kept = model.definitional_words_
        report(0.9, f"{METHODS[method]}: transforming {len(embedding):,} words")
        after = model.transform(embedding)
    report(1.0, "debiased")
    return DebiasRun(method, dim, model, after, model.direction_, sorted(kept),
                     _params(method, model, chosen))

