"""Before/after audits of a debias, Gonen & Goldberg's checks, and the exported bias report."""

from rnncore.audit.export import report_dict, to_json, to_markdown, word2vec_bytes
from rnncore.audit.recoverability import Recoverability, recoverability
from rnncore.audit.report import AuditReport, audit, neighbor_table

__all__ = ["AuditReport", "Recoverability", "audit", "neighbor_table", "recoverability",
           "report_dict", "to_json", "to_markdown", "word2vec_bytes"]
