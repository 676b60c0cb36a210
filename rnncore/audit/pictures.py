"""Tables behind the before/after pictures of an audit (the pages only draw them).

- :func:`projection_shift`: each chosen word's projection on the original direction, before and
  after (hard debias collapses the neutral words to 0, leaves gendered words alone).
- :func:`weat_shift`: each WEAT test's effect size before and after (it may fall, stay or flip).
- :func:`cluster_map`: Gonen & Goldberg's most biased words after debiasing, in 2D by PCA, with
  their *original* side and their k-means cluster (same side = bias still recoverable).
- :func:`neighbour_overlap`: per word, the share of its top neighbours kept by the debias.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA

from rnncore.audit.report import AuditReport

DEFAULT_PICTURE_WORDS = ("she", "he", "nurse", "homemaker", "receptionist", "programmer",
                         "surgeon", "architect", "brilliant", "captain")


def projection_shift(report: AuditReport,
                     words: Sequence[str] = DEFAULT_PICTURE_WORDS) -> pd.DataFrame:
    """Long table: word, embedding (before/after), projection on the original direction."""
    g = np.asarray(report.direction.vector, dtype=np.float64)
    rows = []
    for name, embedding in (("before", report.before), ("after", report.after)):
        for word in dict.fromkeys(words):
            if word in report.before and word in embedding:
                rows.append({"word": word, "embedding": name,
                             "projection": float(embedding.vector(word).astype(np.float64) @ g)})
    return pd.DataFrame(rows, columns=["word", "embedding", "projection"])


def weat_shift(report: AuditReport) -> pd.DataFrame:
    """Long table: test, title, embedding (before/after), effect size, p (one-sided)."""
    rows = [{"test": key, "title": f"{key.upper()}: {value['title']}", "embedding": name,
             "effect size": value[name]["effect_size"], "p": value[name]["p_one_sided"]}
            for key, value in report.weat.items() for name in ("before", "after")]
    return pd.DataFrame(rows, columns=["test", "title", "embedding", "effect size", "p"])


def cluster_map(report: AuditReport) -> pd.DataFrame:
    """The recoverability words after debiasing, in 2D (PCA), with original side and cluster."""
    rec = report.recoverability
    words = [*rec.positive_words, *rec.negative_words]
    ends = report.direction.positive_end, report.direction.negative_end
    sides = [f"{ends[0]} side before"] * len(rec.positive_words) \
        + [f"{ends[1]} side before"] * len(rec.negative_words)
    vectors = report.after.matrix(words).astype(np.float64)
    xy = PCA(n_components=2, random_state=rec.seed).fit_transform(vectors)
    clusters = KMeans(n_clusters=2, n_init=10, random_state=rec.seed).fit_predict(vectors)
    return pd.DataFrame({"word": words, "original side": sides, "x": xy[:, 0], "y": xy[:, 1],
                         "cluster": [f"cluster {c + 1}" for c in clusters]})


def neighbour_overlap(report: AuditReport) -> pd.DataFrame:
    """Per word: how many of its top neighbours before are still top neighbours after."""
    table = report.neighbors
    rows = []
    for word, group in table.groupby("word", sort=False):
        kept = len(set(group["before"]) & set(group["after"]))
        rows.append({"word": word, "kept": kept, "of": len(group),
                     "overlap": kept / len(group) if len(group) else float("nan")})
    return pd.DataFrame(rows, columns=["word", "kept", "of", "overlap"])
