"""WEFE's side of bench/wefe_metrics.py; runs in the separate WEFE venv (numpy 1.26).

Reads a job JSON (argv[1]), writes a result JSON (argv[2]). It does not import rnncore: the
vectors come from the built embedding's vectors.npy + vocab.txt. Each run is one metric on one
query with WEFE's defaults (RNSB with ``random_state=seed``), timed as the median of ``repeat``
calls of ``run_query``.
"""

import json
import logging
import statistics
import sys
import time

import numpy as np
from gensim.models import KeyedVectors
from wefe.metrics import ECT, MAC, RIPA, RND, RNSB, WEAT
from wefe.query import Query
from wefe.utils import create_ranking, run_queries
from wefe.word_embedding_model import WordEmbeddingModel

logging.disable(logging.WARNING)
METRICS = {"weat": WEAT, "rnd": RND, "rnsb": RNSB, "mac": MAC, "ect": ECT, "ripa": RIPA}


def _model(vectors_path: str, words: list[str], name: str) -> WordEmbeddingModel:
    vectors = np.load(vectors_path)
    kv = KeyedVectors(vectors.shape[1], count=0, dtype=np.float32)
    kv.add_vectors(words[: len(vectors)], np.array(vectors, dtype=np.float32))
    return WordEmbeddingModel(kv, name)


def _ranking(job: dict, words: list[str]) -> dict:
    """WEFE's ranking: run_queries (abs_avg aggregation) per metric, then create_ranking
    with method="min" (WEFE's default "first" breaks ties by order; ours shares the rank)."""
    models = [_model(path, words, name) for name, path in job["models"].items()]
    queries = [Query(q["targets"], q["attributes"], q["target_names"], q["attribute_names"])
               for q in job["queries"]]
    aggregated = []
    for metric in job["metrics"]:
        cls = METRICS[metric]
        template = cls.metric_template
        aggregated.append(run_queries(
            cls, queries, models, metric_params={"random_state": 0} if metric == "rnsb" else {},
            generate_subqueries=template[1] == 1, aggregate_results=True,
            aggregation_function="abs_avg", return_only_aggregation=True))
    ranking = create_ranking(aggregated, method="min")  # ties share a rank, as ours
    scores = {metric: table.iloc[:, -1].to_dict()
              for metric, table in zip(job["metrics"], aggregated, strict=True)}
    ranks = {metric: ranking.iloc[:, i].to_dict() for i, metric in enumerate(job["metrics"])}
    return {"scores": scores, "ranks": ranks}


def main(job_path: str, out_path: str) -> None:
    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    with open(job["vocab"], encoding="utf-8") as handle:
        words = handle.read().split("\n")
    model = _model(job["vectors"], words, "w2v-news-31k")
    out = []
    for run in job["runs"]:
        q = run["query"]
        query = Query(q["targets"], q["attributes"], q["target_names"], q["attribute_names"])
        metric = METRICS[run["metric"]]()
        params = {"random_state": run["seed"]} if run["metric"] == "rnsb" else {}
        times, result = [], None
        try:
            for _ in range(job["repeat"]):
                start = time.perf_counter()
                result = metric.run_query(query, model, **params)
                times.append(time.perf_counter() - start)
        except Exception as exc:  # noqa: BLE001 - reported, not hidden: WEFE fails on some
            out.append({"error": f"{type(exc).__name__}: {exc}"})
            continue
        out.append({"result": float(result["result"]),
                    "effect_size": float(result.get("effect_size", np.nan)),
                    "seconds": statistics.median(times)})
    ranking = _ranking(job["ranking"], words) if job.get("ranking") else None
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump({"runs": out, "ranking": ranking}, handle)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
