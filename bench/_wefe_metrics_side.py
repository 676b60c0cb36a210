"""WEFE's side of bench/wefe_metrics.py; runs in the separate WEFE venv (numpy 1.26).

Reads a job JSON (argv[1]), writes a result JSON (argv[2]); the job, the models and the result
go through ``_wefe_common``. It does not import rnncore. Each run is one metric on one
query with WEFE's defaults (RNSB with ``random_state=seed``), timed as the median of ``repeat``
calls of ``run_query``.
"""

import statistics
import time

import numpy as np
from _wefe_common import model_of, read_job, run_main, write_result
from wefe.metrics import ECT, MAC, RIPA, RND, RNSB, WEAT
from wefe.query import Query
from wefe.utils import create_ranking, run_queries

METRICS = {"weat": WEAT, "rnd": RND, "rnsb": RNSB, "mac": MAC, "ect": ECT, "ripa": RIPA}


def _ranking(job: dict, words: list[str]) -> dict:
    """WEFE's ranking: run_queries (abs_avg aggregation) per metric, then create_ranking
    with method="min" (WEFE's default "first" breaks ties by order; ours shares the rank)."""
    models = [model_of(np.load(path), words, name) for name, path in job["models"].items()]
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
    job, vectors, words = read_job(job_path)
    model = model_of(vectors, words)
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
    write_result(out_path, {"runs": out, "ranking": ranking})


if __name__ == "__main__":
    run_main(main)
