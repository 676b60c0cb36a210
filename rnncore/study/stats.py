"""A study's statistics: per embedding, method, model and group, the shift of the probe gap
(debiased minus original) with a bootstrap interval over seeds and templates.

The shift is paired: at each seed and template, the debiased model's gap minus the original
model's gap (same seed: same data order, same initial weights). The interval resamples seeds
and templates with replacement (a two-way percentile bootstrap), so both the training noise
and the choice of templates widen it. The spread over seeds is the standard deviation of the
per-seed shift (mean over templates); from it, ``seeds_needed`` is how many seeds make the
95 % interval of the mean shift ``width`` wide (normal approximation: n = (2 z sd / width)^2).
Many groups x methods are tested at once, so the two-sided bootstrap p-values are adjusted
with Benjamini-Hochberg (false discovery rate) across every row of the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rnncore.study.spec import NONE
from rnncore.study.store import StudyFolder

KEYS = ["embedding", "method", "model", "group"]
CONFIDENCE = 0.95
Z = 1.959963984540054


def gaps_frame(records: list[dict]) -> pd.DataFrame:
    """One row per task, group and template: embedding, method, model, seed, group, template,
    gap."""
    rows = [{**{k: r["task"][k] for k in ("embedding", "method", "model", "seed")},
             "group": g["group"], "template": g["template"], "gap": g["gap"]}
            for r in records for g in r["gaps"]]
    return pd.DataFrame(rows, columns=["embedding", "method", "model", "seed", "group",
                                       "template", "gap"])


def quality_frame(records: list[dict]) -> pd.DataFrame:
    """Per embedding, method, model and metric: mean, sd and count over seeds, and the shift
    of the mean against the original vectors."""
    rows = [{**{k: r["task"][k] for k in ("embedding", "method", "model", "seed")},
             "metric": m, "value": v}
            for r in records for m, v in r["metrics"].items()]
    if not rows:
        return pd.DataFrame(columns=["embedding", "method", "model", "metric", "mean", "sd",
                                     "seeds", "shift"])
    table = (pd.DataFrame(rows).groupby(["embedding", "method", "model", "metric"], sort=False)
             ["value"].agg(mean="mean", sd="std", seeds="count").reset_index())
    base = table[table["method"] == NONE].set_index(["embedding", "model", "metric"])["mean"]
    table["shift"] = [row["mean"] - base.get((row["embedding"], row["model"], row["metric"]),
                                             np.nan) for _, row in table.iterrows()]
    return table


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN."""
    p = np.asarray(p, dtype=float)
    q = np.full_like(p, np.nan)
    ok = np.isfinite(p)
    values = p[ok]
    if values.size:
        order = np.argsort(values)
        ranked = values[order] * values.size / np.arange(1, values.size + 1)
        adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
        out = np.empty_like(values)
        out[order] = adjusted
        q[ok] = out
    return q


def two_way_bootstrap(d: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``d`` (seeds x templates) with seeds and templates resampled (``n_boot``)."""
    s, t = d.shape
    rows = np.arange(n_boot)[:, None]
    ws = np.zeros((n_boot, s))
    wt = np.zeros((n_boot, t))
    np.add.at(ws, (rows, rng.integers(0, s, (n_boot, s))), 1.0)
    np.add.at(wt, (rows, rng.integers(0, t, (n_boot, t))), 1.0)
    return np.einsum("bs,st,bt->b", ws, d, wt) / (s * t)


def shift_table(gaps: pd.DataFrame, n_boot: int = 2000, width: float | None = None,
                seed: int = 0) -> pd.DataFrame:
    """The shift per embedding, method, model and group (see the module docstring)."""
    columns = [*KEYS, "original", "debiased", "shift", "ci_low", "ci_high", "seed_sd",
               "seeds", "templates", "p_value", "q_value", "seeds_needed"]
    base = gaps[gaps["method"] == NONE].drop(columns="method")
    rows = []
    rng = np.random.default_rng(seed)
    for (embedding, method, model, group), part in gaps[gaps["method"] != NONE].groupby(
            KEYS, sort=False):
        paired = part.merge(base, on=["embedding", "model", "group", "seed", "template"],
                            suffixes=("", "_original"))
        if paired.empty:
            continue
        paired["d"] = paired["gap"] - paired["gap_original"]
        grid = paired.pivot_table(index="seed", columns="template", values="d").dropna()
        d = grid.to_numpy()
        if d.size == 0:
            continue
        shift = float(d.mean())
        boots = two_way_bootstrap(d, n_boot, rng)
        low, high = np.quantile(boots, [(1 - CONFIDENCE) / 2, (1 + CONFIDENCE) / 2])
        p = max(min(1.0, 2 * min(np.mean(boots <= 0), np.mean(boots >= 0))), 1 / n_boot)
        sd = float(d.mean(1).std(ddof=1)) if len(d) > 1 else np.nan
        target = width if width else abs(high - low) / 2
        needed = (math.ceil((2 * Z * sd / target) ** 2) if np.isfinite(sd) and target > 0
                  else None)
        kept = paired[paired["seed"].isin(grid.index)]
        rows.append({"embedding": embedding, "method": method, "model": model, "group": group,
                     "original": float(kept["gap_original"].mean()),
                     "debiased": float(kept["gap"].mean()), "shift": shift,
                     "ci_low": float(low), "ci_high": float(high), "seed_sd": sd,
                     "seeds": int(d.shape[0]), "templates": int(d.shape[1]), "p_value": p,
                     "seeds_needed": needed})
    table = pd.DataFrame(rows, columns=[c for c in columns if c != "q_value"])
    table.insert(columns.index("q_value"), "q_value", benjamini_hochberg(table["p_value"]))
    return table


@dataclass
class StudyReport:
    """A study's status, shifts, model quality and the notes that explain them."""

    status: dict
    shifts: pd.DataFrame
    quality: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """JSON-ready values (NaN as None)."""
        def clean(table: pd.DataFrame) -> list[dict]:
            return [{k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                     for k, v in row.items()} for row in table.to_dict("records")]
        return {"status": self.status, "shifts": clean(self.shifts),
                "quality": clean(self.quality), "notes": self.notes}


def study_report(folder: str, n_boot: int = 2000, width: float | None = None) -> StudyReport:
    """Read a study folder (never writing to it) and compute its report."""
    store = StudyFolder(folder)
    status = store.status()
    wanted = {t.key for t in store.tasks()}
    records = [r for r in store.all_records() if r["key"] in wanted]
    shifts = shift_table(gaps_frame(records), n_boot, width)
    what = f"{width:g} wide" if width else "half as wide as now"
    notes = [
        f"shift = debiased minus original probe gap, paired by seed and template; interval: "
        f"{CONFIDENCE:.0%} percentile bootstrap ({n_boot:,} resamples of seeds and templates).",
        f"multiple comparisons: Benjamini-Hochberg across all {len(shifts)} rows "
        "(embeddings x methods x models x groups); q_value < 0.05 keeps the expected share of "
        "false discoveries under 5 %.",
        f"seed_sd: spread of the per-seed shift; seeds_needed: seeds for an interval {what} "
        "(n = (2 z sd / width)^2; the templates' share of the width does not shrink with "
        "seeds).",
        "sentiment groups: P(positive) of group a minus group b; word LM groups: mean log "
        "P(female)/P(male) over professions.",
    ]
    if status["done"] < status["tasks"]:
        notes.insert(0, f"the study is not finished: {status['done']} of {status['tasks']} "
                     "tasks have records; the numbers cover those.")
    return StudyReport(status, shifts, quality_frame(records), notes)
