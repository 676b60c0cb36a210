"""Bias-shift studies: embeddings x debias methods x model kinds x seeds, as resumable tasks
on a local process pool or a Dask cluster, with their statistics.

``spec`` lives in :mod:`rnncore.study.spec`; here: ``store`` (the study folder), ``prepare``
(inputs memory-mapped by the workers), ``task`` (the task function), ``executors``, ``run``
and ``stats`` (shifts with bootstrap intervals over seeds and templates).
"""

from rnncore._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "run": ("RunSummary", "run_study"),
    "stats": ("StudyReport", "study_report"),
    "store": ("StudyFolder", "Task"),
})
