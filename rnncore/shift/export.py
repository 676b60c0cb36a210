"""The shift result as Markdown, in the layout of the bias report (identity, parameters, tables)."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

from rnncore.jsonsafe import dumps
from rnncore.shift.compare import ShiftResult


def _num(value) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def shift_markdown(result: ShiftResult) -> str:
    """A readable report: embeddings, settings, quality and gaps original vs debiased."""
    data = result.as_dict()
    lines = [f"# Bias shift report: {', '.join(result.embeddings)}", "",
             f"Created {datetime.now(UTC).isoformat(timespec='seconds')} by biaslab "
             f"({data['format']}); {result.seconds:.0f} s"
             + (" (stopped early: partial result)" if result.stopped else "") + ".", "",
             "## Embeddings", "", "| | name | words | dim | sha256 |", "|---|---|---|---|---|"]
    lines += [f"| {key} | {e['name']} | {e['n_words']} | {e['dim']} | `{e['sha256']}` |"
              for key, e in result.embeddings.items()]
    lines += ["", "## Settings", "", f"```json\n{json.dumps(data['settings'], indent=2)}\n```",
              "", "## Original vs debiased (mean over seeds; noise = the larger sd over seeds)",
              "", "| kind | model | probe | debias | original | sd | debiased | sd | shift | "
              "noise | beyond 2x noise |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in data["comparison"]:
        lines.append("| " + " | ".join(_num(r[k]) for k in (
            "kind", "model", "probe", "debias", "original", "original_sd", "debiased",
            "debiased_sd", "shift", "noise", "beyond_noise")) + " |")
    lines += ["", "## Every run", "", "| embedding | seed | model | probe | gap | 95% CI | p |",
              "|---|---|---|---|---|---|---|"]
    for r in data["gaps"]:
        ci = (f"[{_num(r.get('ci_low'))}, {_num(r.get('ci_high'))}]"
              if r.get("ci_low") is not None else "–")
        lines.append(f"| {r['embedding']} | {r['seed']} | {r['model']} | {r['probe']} | "
                     f"{_num(r['gap'])} | {ci} | {_num(r.get('p_value'))} |")
    lines += ["", "## What the numbers mean", "",
              "- **gap**: mean P(positive) of group a minus group b over the templates (the "
              "sentiment probes), or the LM's mean log P(female)/P(male) over professions.",
              "- **95% CI**: bootstrap over the group's words; **p**: two-sided permutation test "
              "of the group labels.",
              "- **shift**: debiased minus original (means over seeds). A shift smaller than "
              "the spread over seeds is training noise, not an effect of the debias.", ""]
    lines += [f"- note: {n}" for n in result.notes]
    return "\n".join(lines) + "\n"


def shift_json(result: ShiftResult) -> str:
    """The whole result as strict JSON (NaN -> null)."""
    return dumps(result.as_dict(), indent=2, ensure_ascii=False, default=str)
