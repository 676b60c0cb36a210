"""WEFE's side of bench/debias_weat.py; runs in the separate WEFE venv (numpy 1.26).

Reads a job JSON (argv[1]) written by the bench, writes a result JSON (argv[2]); the job, the
model and the result go through ``_wefe_common``. It does not import rnncore.
"""

import time

import numpy as np
from _wefe_common import model_of, read_job, run_main, write_result
from wefe.debias.hard_debias import HardDebias
from wefe.metrics import WEAT
from wefe.query import Query


def main(job_path: str, out_path: str) -> None:
    job, vectors, words = read_job(job_path)
    model = model_of(vectors, words)
    out = {}

    start = time.perf_counter()
    debias = HardDebias(verbose=False, criterion_name="gender").fit(
        model, definitional_pairs=job["definitional_pairs"],
        equalize_pairs=job["equalize_pairs"])
    fitted = time.perf_counter()
    debiased = debias.transform(model, ignore=job["gender_specific"], copy=True)
    done = time.perf_counter()
    out["hard_fit_s"], out["hard_transform_s"] = fitted - start, done - fitted
    np.save(job["debiased_out"], np.asarray(debiased.wv.vectors, dtype=np.float32))
    out["debiased_words"] = list(debiased.wv.index_to_key) == words
    if job.get("hard_only"):  # a timing round of bench/debias_weat.py
        write_result(out_path, out, indent=2)
        return

    weat = WEAT()
    out["effect_sizes"] = {}
    for key, test in job["tests"].items():
        query = Query([test["x"], test["y"]], [test["a"], test["b"]])
        result = weat.run_query(query, model, lost_vocabulary_threshold=0.95,
                                preprocessors=[{}])
        out["effect_sizes"][key] = float(result["effect_size"])

    test = job["tests"][job["p_value_test"]]
    query = Query([test["x"], test["y"]], [test["a"], test["b"]])
    start = time.perf_counter()
    result = weat.run_query(query, model, calculate_p_value=True,
                            p_value_iterations=job["p_value_iterations"],
                            p_value_test_type="right-sided", lost_vocabulary_threshold=0.95,
                            preprocessors=[{}])
    out["weat_p_s"] = time.perf_counter() - start
    out["weat_p_value"] = float(result["p_value"])
    write_result(out_path, out, indent=2)


if __name__ == "__main__":
    run_main(main)
