"""What the WEFE side scripts share: read the job, build WEFE's model, write the result.

Runs in the separate WEFE venv (numpy 1.26) and does not import rnncore: the vectors come from
the built embedding's vectors.npy + vocab.txt named in the job. The side scripts are run as
``python bench/_wefe_*_side.py JOB OUT``, so this module is found next to them.
"""

import json
import logging
import sys
from collections.abc import Callable

import numpy as np
from gensim.models import KeyedVectors
from wefe.word_embedding_model import WordEmbeddingModel

logging.disable(logging.WARNING)
NAME = "w2v-news-31k"


def model_of(vectors: np.ndarray, words: list[str], name: str = NAME) -> WordEmbeddingModel:
    """WEFE's model of ``vectors`` (rows in the order of ``words``)."""
    kv = KeyedVectors(vectors.shape[1], count=0, dtype=np.float32)
    kv.add_vectors(words[: len(vectors)], np.array(vectors, dtype=np.float32))
    return WordEmbeddingModel(kv, name)


def read_job(job_path: str) -> tuple[dict, np.ndarray, list[str]]:
    """The job, its vectors and the words of those vectors (the vocabulary cut to their rows)."""
    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    vectors = np.load(job["vectors"])
    with open(job["vocab"], encoding="utf-8") as handle:
        words = handle.read().split("\n")[: len(vectors)]
    return job, vectors, words


def write_result(out_path: str, result: object, indent: int | None = None) -> None:
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=indent)


def run_main(main: Callable[[str, str], None]) -> None:
    """``main(JOB, OUT)`` from the command line."""
    main(sys.argv[1], sys.argv[2])
