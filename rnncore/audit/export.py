"""The bias report as one JSON document and as readable Markdown.

The JSON holds the embeddings' identity (name, source, sha256), the word lists, parameters,
seeds and every metric; the Markdown is rendered from that same dictionary.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from rnncore.audit.report import EXPLANATIONS, AuditReport
from rnncore.embeddings import Embedding
from rnncore.jsonsafe import dumps, finite

FORMAT_VERSION = 1


def report_dict(report: AuditReport) -> dict:
    """Everything in the report as JSON-ready values."""
    rec = report.recoverability
    return finite({
        "format": f"biaslab bias report v{FORMAT_VERSION}",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "embedding_before": report.before.info(),
        "embedding_after": report.after.info(),
        "debias": {"method": report.method, "parameters": report.params},
        "direction": report.direction.info(),
        "seed": report.seed,
        "weat_permutations": report.permutations,
        "word_lists": {
            "neutral_words": report.neutral_words,
            "gender_specific": report.gender_specific,
            "neighbor_words": report.neighbor_words,
            "most_biased_positive": list(rec.positive_words),
            "most_biased_negative": list(rec.negative_words),
        },
        "metrics": report.metrics.drop(columns=["what it means"]).to_dict("records"),
        "weat": report.weat,
        "gonen_goldberg": {
            "selection": rec.selection, "vocabulary": rec.vocabulary, "seed": rec.seed,
            "kmeans_agreement": {"before": rec.kmeans_before, "after": rec.kmeans_after},
            "classifier_accuracy": {"before": rec.classifier_before,
                                    "after": rec.classifier_after,
                                    "model": "SVC(kernel='rbf')", "folds": rec.folds},
        },
        "neighbors": report.neighbors.to_dict("records"),
        "explanations": EXPLANATIONS,
    })


def to_json(report: AuditReport) -> str:
    """The audit report as indented JSON text."""
    return dumps(report_dict(report), indent=2, ensure_ascii=False)


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1e-3 and value != 0 else f"{value:.4f}"
    return str(value)


def to_markdown(report: AuditReport) -> str:
    """A readable report: identity, parameters, the metric table, the checks explained."""
    data = report_dict(report)
    before, after = data["embedding_before"], data["embedding_after"]
    lines = [
        f"# Bias report: {data['debias']['method']} on {before['name']}", "",
        f"Created {data['created']} by biaslab.", "",
        "## Embeddings", "",
        "| | name | words | dim | sha256 |", "|---|---|---|---|---|",
        f"| before | {before['name']} | {before['n_words']} | {before['dim']} | "
        f"`{before['sha256']}` |",
        f"| after | {after['name']} | {after['n_words']} | {after['dim']} | "
        f"`{after['sha256']}` |", "",
        "## Parameters", "",
        f"- debias method: {data['debias']['method']}, parameters: "
        f"`{json.dumps(data['debias']['parameters'])}`",
        f"- direction: {data['direction']['method']} of "
        + ", ".join(f"{a}–{b}" for a, b in data["direction"]["pairs"])
        + ("; explained variance ratios "
           + ", ".join(f"{r:.3f}" for r in data["direction"]["explained_variance_ratio"])
           if data["direction"]["explained_variance_ratio"] else ""),
        f"- seed {data['seed']}, WEAT permutation budget {data['weat_permutations']:,}",
        f"- neutral words for DirectBias: {len(data['word_lists']['neutral_words'])}",
        f"- Gonen & Goldberg selection: {data['gonen_goldberg']['selection']}", "",
        "## Metrics (measured with the original direction)", "",
        "| metric | before | after | change |", "|---|---|---|---|",
    ]
    lines += [f"| {m['metric']} | {_number(m['before'])} | {_number(m['after'])} | "
              f"{_number(m['change'])} |" for m in data["metrics"]]
    lines += ["", "## What the numbers mean", ""]
    lines += [f"- **{name}**: {text}" for name, text in EXPLANATIONS.items()]
    lines += ["", "A debiased embedding can still be biased: removing the projection on one "
              "direction leaves the words' other coordinates, and therefore their neighbours, "
              "in place. The most biased words still cluster by their old gender and a "
              "classifier still recovers it (Gonen & Goldberg 2019).", "",
              "## Nearest neighbours", "", "| word | rank | before | after |", "|---|---|---|---|"]
    lines += [f"| {r['word']} | {r['rank']} | {r['before']} | {r['after']} |"
              for r in data["neighbors"]]
    return "\n".join(lines) + "\n"


def word2vec_bytes(embedding: Embedding, binary: bool = True) -> bytes:
    """The embedding in word2vec format as bytes (for a download)."""
    with tempfile.TemporaryDirectory() as folder:
        path = embedding.save_word2vec(Path(folder) / "vectors.bin", binary=binary)
        return path.read_bytes()
