"""A debias + audit run as one request, and its result saved as JSON to be read back.

:class:`DebiasRequest` holds what a run depends on (the Debias & audit page's inputs; its
defaults are the page's); :func:`debias_and_audit` runs it. ``rnncore prepare-class`` saves the
default runs of the class embedding with :func:`save` (plain JSON, no pickle); a server that
finds the file :func:`load` s it instead of computing: the debiased copy is made again (the
same sha256 is required) and every measured figure is read from the file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rnncore.assets.cache import cache_home
from rnncore.audit.recoverability import Recoverability
from rnncore.audit.report import (
    DEFAULT_BENCHMARKS,
    DEFAULT_NEIGHBOR_WORDS,
    DEFAULT_WEAT_TESTS,
    AuditReport,
    audit,
)
from rnncore.bias import bias_direction, dimensions, wordsets
from rnncore.bias.directions import BiasDirection
from rnncore.debias.methods import ANY_DIMENSION, DEFAULTS, run_debias
from rnncore.embeddings import Embedding

Progress = Callable[[float, str], None]
FORMAT = 1


class AuditFailed(ValueError):
    """The debias worked; the audit could not measure it."""


@dataclasses.dataclass
class DebiasRequest:
    """What a debias + audit run depends on; the defaults are the Debias & audit page's."""

    method: str = "hard"
    dimension: Any = dataclasses.field(default_factory=lambda: dimensions.builtin("gender"))
    options: dict[str, Any] = dataclasses.field(default_factory=dict)
    pairs: list = dataclasses.field(default_factory=lambda: list(wordsets.definitional_pairs()))
    tests: list[str] = dataclasses.field(default_factory=lambda: list(DEFAULT_WEAT_TESTS))
    neighbours: list[str] = dataclasses.field(
        default_factory=lambda: list(DEFAULT_NEIGHBOR_WORDS))
    n_side: int = 500
    vocabulary: str = "gonen-goldberg"
    seed: int = 0
    benchmarks: list[str] = dataclasses.field(default_factory=lambda: list(DEFAULT_BENCHMARKS))

    @classmethod
    def default(cls, method: str = "hard") -> DebiasRequest:
        """The page's default settings for ``method`` (what the lessons show)."""
        return cls(method=method, options=dict(DEFAULTS[method]))

    def params(self) -> dict[str, Any]:
        """Everything the result depends on besides the embedding (a JSON-ready key)."""
        return {"method": self.method, "dimension": repr(self.dimension),
                "options": self.options, "pairs": self.pairs, "tests": self.tests,
                "neighbours": self.neighbours, "n_side": int(self.n_side),
                "vocabulary": self.vocabulary, "seed": int(self.seed),
                "benchmarks": self.benchmarks}

    def digest(self) -> str:
        """A short hash of :meth:`params` (the stored file's name)."""
        text = json.dumps(self.params(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def debias(self, embedding: Embedding, progress: Progress | None = None):
        """The fitted method and the debiased copy (``rnncore.debias.methods.DebiasRun``)."""
        direction = (bias_direction(embedding, self.pairs, "pca")
                     if self.method not in ANY_DIMENSION else None)
        return run_debias(embedding, self.method, self.dimension, dict(self.options), direction,
                          progress=progress)


def debias_and_audit(embedding: Embedding, request: DebiasRequest,
                     progress: Progress | None = None) -> tuple[AuditReport, list | None]:
    """Run ``request`` on ``embedding``: (the audit report, INLP's accuracies or None).
    :class:`AuditFailed` when the audit cannot measure it; ValueError when the debias fails."""
    report_to = progress or (lambda fraction, message: None)
    run = request.debias(embedding, lambda f, m: report_to(0.3 * min(f, 1.0), m))
    try:
        report = audit(embedding, run.after, run.direction, request.method, run.params,
                       neutral_words=list(request.dimension.neutral_words) or None,
                       gender_specific=run.kept, weat_tests=request.tests,
                       neighbor_words=request.neighbours, benchmarks=request.benchmarks,
                       n_per_side=int(request.n_side), vocabulary=request.vocabulary,
                       seed=int(request.seed),
                       progress=lambda f, m: report_to(0.3 + 0.7 * min(f, 1.0), m))
    except ValueError as exc:
        raise AuditFailed(str(exc)) from exc
    accuracies = getattr(run.model, "accuracies_", None)
    return report, (None if accuracies is None else [float(a) for a in accuracies])


def results_home() -> Path:
    """Where prepared results live: ``results`` beside the class models (``RNNCORE_CLASS_HOME``,
    else the cache's ``class`` folder)."""
    root = os.environ.get("RNNCORE_CLASS_HOME")
    return (Path(root) if root else cache_home() / "class") / "results"


def stored_path(folder: Path, embedding: Embedding, request: DebiasRequest) -> Path:
    """Where the result of ``request`` on ``embedding`` is saved in ``folder``."""
    return folder / f"debias-audit-{request.method}-{embedding.sha256[:16]}-{request.digest()}.json"


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def save(path: Path, request: DebiasRequest, report: AuditReport,
         accuracies: list | None) -> None:
    """Write the result as JSON (every float exactly), atomically."""
    data = {
        "format": FORMAT, "params": request.params(), "before": report.before.sha256,
        "after": report.after.sha256, "method": report.method, "params_used": report.params,
        "neutral_words": report.neutral_words, "weat": report.weat,
        "recoverability": dataclasses.asdict(report.recoverability),
        "direction": dataclasses.asdict(report.direction),
        "direction_dtype": str(report.direction.vector.dtype),
        "metrics": _split(report.metrics), "neighbors": _split(report.neighbors),
        "gender_specific": report.gender_specific, "neighbor_words": report.neighbor_words,
        "permutations": report.permutations, "seed": report.seed, "accuracies": accuracies}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(_plain(data)), encoding="utf-8")
    partial.replace(path)


def _split(table: pd.DataFrame) -> dict:
    return {"columns": list(table.columns), "data": table.astype(object).values.tolist()}


def _table(data: dict) -> pd.DataFrame:
    return pd.DataFrame(data["data"], columns=data["columns"]).infer_objects()


def load(path: Path, embedding: Embedding, request: DebiasRequest
         ) -> tuple[AuditReport, list | None] | None:
    """The saved result of ``request`` on ``embedding``, or None when there is none or it does
    not match (another format, other settings, another embedding or debiased copy)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (data.get("format") != FORMAT or data.get("before") != embedding.sha256
            or json.dumps(data.get("params"), sort_keys=True)
            != json.dumps(_plain(request.params()), sort_keys=True)):
        return None
    after = request.debias(embedding).after
    if after.sha256 != data["after"]:
        return None
    direction = data["direction"]
    report = AuditReport(
        before=embedding, after=after,
        direction=BiasDirection(
            vector=np.asarray(direction["vector"], dtype=data["direction_dtype"]),
            method=direction["method"],
            pairs=tuple(tuple(p) for p in direction["pairs"]),
            dropped=tuple(tuple(p) for p in direction["dropped"]),
            explained_variance_ratio=tuple(direction["explained_variance_ratio"]),
            ends=tuple(direction["ends"]) if direction["ends"] else None),
        method=data["method"], params=data["params_used"], neutral_words=data["neutral_words"],
        metrics=_table(data["metrics"]), weat=data["weat"],
        recoverability=Recoverability(**{
            k: tuple(v) if isinstance(v, list) else v
            for k, v in data["recoverability"].items()}),
        neighbors=_table(data["neighbors"]), gender_specific=data["gender_specific"],
        neighbor_words=data["neighbor_words"], permutations=data["permutations"],
        seed=data["seed"])
    return report, data["accuracies"]
