"""Rank several embeddings by how biased they are, per metric and overall (WEFE's ranking).

WEFE 1.0.1 (``run_queries(..., aggregate_results=True)`` then ``create_ranking``): per metric,
each embedding's scores over the queries are aggregated as the mean of their absolute values
(``abs_avg``), and the embeddings are ranked on it, lowest first (rank 1 = least biased).
Equal scores share a rank, the competition ranking (1, 1, 3): pandas' ``rank(method="min")``,
which WEFE's ``create_ranking`` offers as ``method="min"``; WEFE's default, ``"first"``, gives
tied embeddings different ranks by the order they were listed in, so the same embedding under
two names would rank 1 and 2 (the WEFE bench passes ``method="min"`` to compare like with
like). The overall ranking sums each embedding's ranks over the metrics (what WEFE's
``plot_ranking`` stacks) and ranks that sum the same way.

One deliberate difference: WEFE takes ``|score|``, right for WEAT, RND, RNSB and RIPA (0 = no
bias) but backwards for ECT and MAC, whose bias-free value is 1 (a perfect rank correlation;
orthogonal targets). Here every metric aggregates ``|score - no-bias value|``
(:data:`rnncore.bias.scores.NO_BIAS`), which equals WEFE's ``|score|`` for the other four;
for ECT and MAC the table also has WEFE's mean ``|score|``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from rnncore.bias import wordsets
from rnncore.bias.query import Query
from rnncore.bias.scores import METRICS, NAMES, NO_BIAS, score_all, weat_query
from rnncore.embeddings import Embedding
from rnncore.progress import Progress


def builtin_queries(source: str = wordsets.DEFAULT_LIST_SOURCE) -> dict[str, Query]:
    """Caliskan et al.'s ten WEAT tests as queries, by test key (``weat1`` ... ``weat10``)."""
    return {key: weat_query(test) for key, test in wordsets.weat_tests(source).items()}


def score_embeddings(embeddings: Mapping[str, Embedding], queries: Mapping[str, Query],
                     metrics: Sequence[str] = METRICS, seed: int | None = 0,
                     lowercase: bool = False, progress: Progress | None = None) -> pd.DataFrame:
    """One row per (embedding, metric, sub-query): ``embedding, metric, query, value, note``.

    Each query is split into the sub-queries that fit each metric; their names start with
    the query's key (``"weat1: Flowers and Insects wrt Pleasant"``). ``lowercase`` tries
    words not found in lower case (lower-cased vocabularies such as GloVe's).
    """
    rows = []
    for i, (name, embedding) in enumerate(embeddings.items()):
        def report(fraction: float, message: str, i: int = i, name: str = name) -> None:
            if progress:
                progress((i + fraction) / len(embeddings), f"{name}: {message}")

        results = score_all(embedding, list(queries.values()), metrics, seed=seed,
                            prefixes=[f"{key}: " for key in queries], lowercase=lowercase,
                            progress=report)
        rows += [{"embedding": name, "metric": r.metric, "query": r.query, "value": r.value,
                  "note": r.note} for r in results]
    return pd.DataFrame(rows, columns=["embedding", "metric", "query", "value", "note"])


def rank_embeddings(scores: pd.DataFrame) -> pd.DataFrame:
    """Per embedding: each metric's aggregated bias (mean ``|score - no-bias value|``) and rank,
    the sum of the ranks and the overall rank (1 = least biased), best first."""
    order = list(dict.fromkeys(scores["embedding"]))
    metrics = [m for m in METRICS if m in set(scores["metric"])]
    table = pd.DataFrame(index=pd.Index(order, name="embedding"))
    for metric in metrics:
        rows = scores[scores["metric"] == metric]
        bias = (rows["value"] - NO_BIAS[metric]).abs().groupby(rows["embedding"]).mean()
        table[f"{NAMES[metric]} bias"] = bias.reindex(order)
        if NO_BIAS[metric]:  # WEFE's aggregate, printed beside ours (see the module docstring)
            table[f"{NAMES[metric]} mean |score| (WEFE)"] = rows["value"].abs().groupby(
                rows["embedding"]).mean().reindex(order)
        table[f"{NAMES[metric]} rank"] = table[f"{NAMES[metric]} bias"].rank(
            method="min").astype("Int64")
    ranks = table[[f"{NAMES[m]} rank" for m in metrics]]
    table["rank sum"] = ranks.sum(axis=1).astype("Int64")
    table["overall rank"] = table["rank sum"].rank(method="min").astype(int)
    return table.sort_values(["overall rank", "rank sum"]).reset_index()
