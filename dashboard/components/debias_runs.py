"""One debias + audit per (embedding, settings) for the whole server, whichever page asks.

The Debias & audit page and Lesson 4 ask through :func:`debias_and_audit` with the same
settings (the page's defaults: :func:`default_request`), so the same shared key: the first
session computes the debiased copy, its audit and its four pictures; every later one, on either
page, draws them (components/shared_results.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dashboard.components.audit_charts import audit_figures
from dashboard.components.shared_results import shared_result
from rnncore.audit import audit
from rnncore.audit.report import DEFAULT_BENCHMARKS, DEFAULT_NEIGHBOR_WORDS, DEFAULT_WEAT_TESTS
from rnncore.bias import bias_direction, dimensions, wordsets
from rnncore.debias.methods import ANY_DIMENSION, DEFAULTS, run_debias

Progress = Callable[[float, str], None]


class AuditFailed(ValueError):
    """The debias worked; the audit could not measure it."""


@dataclass
class DebiasRequest:
    """What a debias + audit run depends on (the Debias & audit page's inputs)."""

    method: str = "hard"
    dimension: Any = field(default_factory=lambda: dimensions.builtin("gender"))
    options: dict[str, Any] = field(default_factory=dict)
    pairs: list = field(default_factory=lambda: list(wordsets.definitional_pairs()))
    tests: list[str] = field(default_factory=lambda: list(DEFAULT_WEAT_TESTS))
    neighbours: list[str] = field(default_factory=lambda: list(DEFAULT_NEIGHBOR_WORDS))
    n_side: int = 500
    vocabulary: str = "gonen-goldberg"
    seed: int = 0
    benchmarks: list[str] = field(default_factory=lambda: list(DEFAULT_BENCHMARKS))

    def params(self) -> dict[str, Any]:
        """The shared key's parameters."""
        return {"method": self.method, "dimension": repr(self.dimension),
                "options": self.options, "pairs": self.pairs, "tests": self.tests,
                "neighbours": self.neighbours, "n_side": int(self.n_side),
                "vocabulary": self.vocabulary, "seed": int(self.seed),
                "benchmarks": self.benchmarks}


def default_request(method: str = "hard") -> DebiasRequest:
    """The page's default settings for ``method`` (what the lessons show)."""
    return DebiasRequest(method=method, options=dict(DEFAULTS[method]))


def debias_and_audit(embedding, request: DebiasRequest, progress: Progress | None = None
                     ) -> dict:
    """The shared result ``{"source_sha", "report", "accuracies", "figures"}`` of ``request``
    on ``embedding``: built once per server (raises :class:`AuditFailed` or ValueError)."""
    report_to = progress or (lambda fraction, message: None)

    def build() -> dict:
        method, dimension = request.method, request.dimension
        direction = (bias_direction(embedding, request.pairs, "pca")
                     if method not in ANY_DIMENSION else None)
        run = run_debias(embedding, method, dimension, dict(request.options), direction,
                         progress=lambda f, m: report_to(0.3 * min(f, 1.0), m))
        try:
            report = audit(embedding, run.after, run.direction, method, run.params,
                           neutral_words=list(dimension.neutral_words) or None,
                           gender_specific=run.kept, weat_tests=request.tests,
                           neighbor_words=request.neighbours, benchmarks=request.benchmarks,
                           n_per_side=int(request.n_side), vocabulary=request.vocabulary,
                           seed=int(request.seed),
                           progress=lambda f, m: report_to(0.3 + 0.65 * min(f, 1.0), m))
        except ValueError as exc:
            raise AuditFailed(str(exc)) from exc
        report_to(0.97, "Drawing the pictures…")
        return {"source_sha": embedding.sha256, "report": report,
                "accuracies": getattr(run.model, "accuracies_", None),
                "figures": audit_figures(report)}

    return shared_result("debias_audit", embedding, request.params(), build, heavy=True)
