"""Before/after audits of a debias, Gonen & Goldberg's checks, and the exported bias report.

The package is callable: ``rnncore.audit(before, after, direction, method)`` is
:func:`rnncore.audit.report.audit`, so ``import rnncore as rc; rc.audit(...)`` works whether or
not this package was imported before.
"""

import sys
import types

from rnncore.audit.export import report_dict, to_json, to_markdown, word2vec_bytes
from rnncore.audit.recoverability import Recoverability, recoverability
from rnncore.audit.report import AuditReport, audit, neighbor_table

__all__ = ["AuditReport", "Recoverability", "audit", "neighbor_table", "recoverability",
           "report_dict", "to_json", "to_markdown", "word2vec_bytes"]


class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs) -> AuditReport:
        """:func:`rnncore.audit.report.audit`."""
        return audit(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
