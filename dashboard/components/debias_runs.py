"""One debias + audit per (embedding, settings) for the whole server, whichever page asks.

The Debias & audit page and Lesson 4 ask through :func:`debias_and_audit` with the same
settings (the page's defaults: ``DebiasRequest.default``), so the same shared key: the first
session computes the debiased copy, its audit and its four pictures; every later one, on either
page, draws them (components/shared_results.py). A result ``rnncore prepare-class`` saved
(``rnncore.audit.runs``) is read from the cache instead of computed.
"""

from __future__ import annotations

from collections.abc import Callable

from dashboard.components.audit_charts import audit_figures
from dashboard.components.shared_results import count_build, shared_result
from rnncore.audit import runs
from rnncore.audit.runs import AuditFailed, DebiasRequest

__all__ = ["AuditFailed", "DebiasRequest", "debias_and_audit"]
Progress = Callable[[float, str], None]


def debias_and_audit(embedding, request: DebiasRequest, progress: Progress | None = None
                     ) -> dict:
    """The shared result ``{"source_sha", "report", "accuracies", "figures"}`` of ``request``
    on ``embedding``: built (or read from the cache) once per server; raises
    :class:`AuditFailed` or ValueError."""
    report_to = progress or (lambda fraction, message: None)

    def build() -> dict:
        stored = runs.load(runs.stored_path(runs.results_home(), embedding, request), embedding,
                           request)
        if stored is not None:
            count_build("debias_audit_loaded", request.method)
            report, accuracies = stored
        else:
            report, accuracies = runs.debias_and_audit(
                embedding, request, lambda f, m: report_to(0.95 * f, m))
        report_to(0.97, "Drawing the pictures…")
        return {"source_sha": embedding.sha256, "report": report, "accuracies": accuracies,
                "figures": audit_figures(report)}

    return shared_result("debias_audit", embedding, request.params(), build, heavy=True)
