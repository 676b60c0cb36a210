"""The task function every executor runs: train one model on one prepared embedding, probe
it, and write its record atomically into the study folder.

``run_task(payload)`` takes plain values only (the folder, the task, its budget, the inputs'
sha256) and returns the record, so the same function runs in this process, in a local
process pool and on Dask workers. Large inputs are memory-mapped from the study folder and
kept per worker process (a worker that runs ten tasks on one embedding opens it once).
Torch and BLAS run on one thread inside a task, and training has a fixed number of steps and
no time limit: the same task gives the same record on every run.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import socket
import sys
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from rnncore.study.store import RECORD_FORMAT, StudyFolder, Task

PACKAGES = ("rnncore", "torch", "numpy", "scipy", "scikit-learn", "pandas", "gensim")


@lru_cache(maxsize=8)
def _embedding(path: str, stamp: tuple[int, int]):
    """The prepared vectors at ``path``, memory-mapped (one open per worker process)."""
    from rnncore.embeddings import Embedding

    del stamp  # part of the cache key: a rewritten folder is opened again
    folder = Path(path)
    words = (folder / "words.txt").read_text(encoding="utf-8").split("\n")
    vectors = np.load(folder / "vectors.npy", mmap_mode="r")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return Embedding(words, vectors, name=folder.name, source="study input",
                     sha256=meta["sha256"]["vectors.npy"], normalized=True)


@lru_cache(maxsize=16)
def _json(path: str, stamp: tuple[int, int]):
    del stamp
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{socket.gethostname()} cannot read {path}: every worker needs the study folder "
            "at the same path (a shared filesystem)") from None
    return info.st_mtime_ns, info.st_size


def cpu_features() -> dict[str, object]:
    """The CPU the task ran on: model name, torch's kernel level, vector extensions."""
    import torch

    flags, model = set(), platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
            elif line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    wanted = ("avx2", "fma", "avx512f", "avx512_bf16", "avx512_vnni", "amx_tile", "amx_bf16")
    return {"model": model, "machine": platform.machine(),
            "torch_capability": torch.backends.cpu.get_cpu_capability(),
            "flags": [f for f in wanted if f in flags]}


def versions() -> dict[str, str]:
    """Versions of the packages a result depends on, and Python's."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            if name == "rnncore":  # a checkout, not installed: the package's own version
                out[name] = sys.modules["rnncore"].__version__
    return out


def _sentiment(embedding, folder: Path, budget: dict, seed: int) -> tuple[dict, list, float]:
    import pandas as pd

    from rnncore.corpora.reviews import Split
    from rnncore.models.sentiment import SentimentConfig
    from rnncore.probes.inputs import Comparison, check_comparison, fill
    from rnncore.probes.sentiment import known_in
    from rnncore.train.sentiment import TrainSettings, train_sentiment

    data = _json(str(folder / "sentiment.json"), _stamp(folder / "sentiment.json"))
    probes = _json(str(folder / "probes.json"), _stamp(folder / "probes.json"))
    table = {k: pd.DataFrame(v, columns=["text", "label"]) for k, v in data.items()}
    split = Split(table["train"], table["validation"], table["test"], seed=0)
    run = train_sentiment(
        embedding, split,
        SentimentConfig(cell=budget["cell"], hidden=budget["hidden"], members=1),
        TrainSettings(epochs=budget["epochs"], batch_size=budget["batch_size"],
                      lr=budget["lr"], patience=budget["epochs"], seconds=None, seed=seed,
                      threads=1))
    metrics = {"test_accuracy": run.test.accuracy, "test_f1": run.test.f1,
               "validation_accuracy": run.validation.accuracy}
    known = known_in(embedding)
    templates = probes["templates"]
    checked = [check_comparison(Comparison(**c), known) for c in probes["comparisons"]]
    words = sorted({w for c in checked for w in (*c.a, *c.b)})
    scores = run.predict([s for w in words for s in fill(templates, w)]).reshape(
        len(words), len(templates)) if words else np.empty((0, len(templates)))
    per_word = dict(zip(words, scores, strict=True))
    gaps = []
    for c in checked:
        if not c.usable:
            continue
        a = np.mean([per_word[w] for w in c.a], axis=0)
        b = np.mean([per_word[w] for w in c.b], axis=0)
        gaps += [{"group": c.comparison.key, "template": t, "gap": float(a[t] - b[t]),
                  "n_a": len(c.a), "n_b": len(c.b)} for t in range(len(templates))]
    return metrics, gaps, run.train_seconds


def _lm(embedding, folder: Path, budget: dict, seed: int) -> tuple[dict, list, float]:
    from rnncore.models.word_lm import WordLMConfig
    from rnncore.train.word_lm import LMCorpus, LMSettings, train_word_lm

    data = _json(str(folder / "lm.json"), _stamp(folder / "lm.json"))
    probes = _json(str(folder / "probes.json"), _stamp(folder / "probes.json"))
    pairs = [tuple(p) for p in probes["pairs"]]
    professions = probes["professions"]
    run = train_word_lm(
        embedding, LMCorpus("snippets", data["train"], data["heldout"], data["source"]),
        WordLMConfig(cell=budget["cell"], hidden=budget["hidden"]),
        LMSettings(epochs=budget["epochs"], batch_size=budget["batch_size"], lr=budget["lr"],
                   seconds=None, seed=seed, threads=1),
        extra_words=[*professions, *(w for p in pairs for w in p)])
    metrics = {"perplexity": run.perplexity, "heldout_unk_rate": run.unk_rate}
    usable = [p for p in professions if run.vocab.id(p) != 0 and p in embedding]
    prompts = probes["prompts"]
    pair_words = [w for p in pairs for w in p]
    gaps = []
    if usable:
        from rnncore.probes.inputs import fill

        probs = run.next_probabilities([s for p in usable for s in fill(prompts, p)],
                                       pair_words).reshape(len(usable), len(prompts), -1)
        for k, (female, male) in enumerate(pairs):
            ratio = np.log(probs[:, :, 2 * k]) - np.log(probs[:, :, 2 * k + 1])
            gaps += [{"group": f"{female}/{male}", "template": t,
                      "gap": float(np.nanmean(ratio[:, t])), "n_a": len(usable),
                      "n_b": len(usable)} for t in range(len(prompts))]
    return metrics, gaps, run.train_seconds


def run_task(payload: dict) -> dict:
    """Train, probe and store one task; returns its record (see the module docstring)."""
    import torch
    from threadpoolctl import threadpool_limits

    folder = StudyFolder(payload["folder"])
    task = Task(**payload["task"])
    budget, inputs = payload["budget"], payload["inputs"]
    folder.mark_running(task)
    started = time.perf_counter()
    cpu_started = time.process_time()
    torch.set_num_threads(1)
    with threadpool_limits(1):
        vectors = folder.inputs / "vectors" / f"{task.embedding}__{task.method}"
        embedding = _embedding(str(vectors), _stamp(vectors / "vectors.npy"))
        body = _sentiment if task.model == "sentiment" else _lm
        metrics, gaps, train_seconds = body(embedding, folder.inputs, budget, task.seed)
    record = {"format": RECORD_FORMAT, "task": task.as_dict(), "key": task.key,
              "metrics": metrics, "gaps": gaps, "budget": budget,
              "steps": payload.get("steps"), "inputs": inputs,
              "train_seconds": round(train_seconds, 3),
              "task_seconds": round(time.perf_counter() - started, 3),
              "cpu_seconds": round(time.process_time() - cpu_started, 3),
              "cpu": cpu_features(), "versions": versions(),
              "worker": {"host": socket.gethostname(), "pid": os.getpid(),
                         "max_rss_mb": round(resource.getrusage(
                             resource.RUSAGE_SELF).ru_maxrss / 1024, 1)},
              "finished": time.time()}
    folder.write_record(task, record)
    return record


COMPARED = ("task", "metrics", "gaps", "budget", "steps", "inputs")


def comparable(record: dict) -> dict:
    """The part of a record that must be equal between two runs of the same task (not the
    timings, the worker or the clock)."""
    return {k: record[k] for k in COMPARED}
