"""WEFE's side of bench/wefe_debias.py; runs in the separate WEFE venv (numpy 1.26).

Reads a job JSON (argv[1]), writes a result JSON (argv[2]) and one .npy of debiased vectors per
run (in the job's vocabulary order). It does not import rnncore.
"""

import contextlib
import io
import time

import numpy as np
from _wefe_common import model_of, read_job, run_main, write_result
from wefe.debias.double_hard_debias import DoubleHardDebias
from wefe.debias.half_sibling_regression import HalfSiblingRegression
from wefe.debias.multiclass_hard_debias import MulticlassHardDebias
from wefe.word_embedding_model import WordEmbeddingModel


def _save(model: WordEmbeddingModel, words: list[str], path: str) -> None:
    np.save(path, np.asarray(model.wv[words], dtype=np.float32))


def main(job_path: str, out_path: str) -> None:
    job, vectors, words = read_job(job_path)
    model = model_of(vectors, words)
    out: dict[str, dict] = {}
    quiet = contextlib.redirect_stdout(io.StringIO())  # WEFE prints about copying the model
    for run in job["runs"]:
        start = time.perf_counter()
        with quiet:
            if run["method"] == "multiclass":
                debias = MulticlassHardDebias(pca_args={"n_components": run["n_components"]})
                debias.fit(model, definitional_sets=run["sets"], equalize_sets=run["sets"])
                fitted = time.perf_counter()
                result = debias.transform(model, ignore=run["keep"], copy=True)
                extra = {}
            elif run["method"] == "double-hard":
                debias = DoubleHardDebias(incremental_pca=run["incremental_pca"],
                                          n_words=run["n_words"],
                                          n_components=run["n_candidates"])
                chosen: list[int] = []
                find = debias._get_optimal_dimension

                def record(*a, find=find, chosen=chosen) -> int:  # the component WEFE picks
                    chosen.append(find(*a))
                    return chosen[-1]

                debias._get_optimal_dimension = record
                debias.fit(model, definitional_pairs=run["pairs"],
                           bias_representation=run["bias_words"])
                fitted = time.perf_counter()
                result = debias.transform(model, ignore=[], copy=True)
                extra = {"frequency_component": int(chosen[0]),
                         "target_words": list(debias.target_words)}
            else:
                debias = HalfSiblingRegression()
                debias.fit(model, definitional_words=run["words"], alpha=run["alpha"])
                fitted = time.perf_counter()
                result = debias.transform(model, copy=True)
                extra = {}
        done = time.perf_counter()
        _save(result, words, run["out"])
        out[run["name"]] = {"fit_s": fitted - start, "transform_s": done - fitted, **extra}
    write_result(out_path, out)


if __name__ == "__main__":
    run_main(main)
