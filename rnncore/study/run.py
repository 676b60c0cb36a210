"""Run a study: prepare its inputs, list its tasks, skip the finished ones, run the others.

A task is done when its record is in the folder; running a study again trains only what is
missing (new seeds, new methods, tasks whose worker died). A record made with other settings
than the spec's (another budget, other probes or inputs) is never mixed in: the run stops and
says which task, so that the study goes into a new folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rnncore.study.executors import execute
from rnncore.study.prepare import prepare_inputs
from rnncore.study.spec import StudySpec, fingerprint
from rnncore.study.store import StudyFolder, Task

Report = Callable[[str], None]
TASK_VERSION = 1


@dataclass
class RunSummary:
    """What one ``study run`` did."""

    study: str
    folder: str
    executor: str
    tasks: int
    skipped: int
    trained: int
    failed: list[dict] = field(default_factory=list)
    seconds: float = 0.0  # all of it
    run_seconds: float = 0.0  # the executor's part (after the inputs were prepared)

    def as_dict(self) -> dict:
        """JSON-ready values."""
        return asdict(self)


def default_folder(spec: StudySpec) -> Path:
    """``<the spec's folder>/<study name>``."""
    return spec.path.parent / spec.name


def study_tasks(spec: StudySpec, manifest: dict) -> list[Task]:
    """Every (embedding, method, model, seed), with the fingerprint of what its result
    depends on: the prepared inputs' sha256, the model's budget and the probes."""
    tasks = []
    for emb in spec.embeddings:
        for method in spec.methods:
            vectors = manifest["vectors"][f"{emb.name}__{method.name}"]["sha256"]
            for model in spec.models:
                budget = asdict(spec.sentiment if model == "sentiment" else spec.lm)
                data = manifest["files"]["sentiment.json" if model == "sentiment" else "lm.json"]
                key = fingerprint(TASK_VERSION, vectors, budget, data,
                                  manifest["files"]["probes.json"])
                tasks += [Task(emb.name, method.name, model, seed, key) for seed in spec.seeds]
    return tasks


def _payload(spec: StudySpec, folder: StudyFolder, task: Task, manifest: dict) -> dict:
    budget = spec.sentiment if task.model == "sentiment" else spec.lm
    data = "sentiment.json" if task.model == "sentiment" else "lm.json"
    vectors = manifest["vectors"][f"{task.embedding}__{task.method}"]["sha256"]
    return {"folder": str(folder.folder.resolve()), "task": task.as_dict(),
            "task_key": task.key, "budget": asdict(budget), "steps": budget.steps(),
            "inputs": {"vectors.npy": vectors["vectors.npy"], "words.txt": vectors["words.txt"],
                       data: manifest["files"][data],
                       "probes.json": manifest["files"]["probes.json"]}}


def run_study(spec: StudySpec, folder: str | Path | None = None, executor: str = "local",
              workers: int | None = None, address: str | None = None,
              report: Report | None = None) -> RunSummary:
    """Prepare, then run every unfinished task of ``spec`` on ``executor``."""
    report = report or (lambda message: None)
    started = time.perf_counter()
    store = StudyFolder(folder or default_folder(spec))
    manifest = prepare_inputs(spec, store, report)
    tasks = study_tasks(spec, manifest)
    todo = []
    for task in tasks:
        record = store.read_record(task)
        if record is None:
            todo.append(task)
        elif record["task"]["fingerprint"] != task.fingerprint:
            raise ValueError(f"{store.record_path(task)} was made with other settings or inputs "
                             "than this spec's (budget, probes, data or vectors): run this spec "
                             "in a new folder (--folder) or remove the old records")
    store.write_tasks(spec.name, tasks, spec.path.read_text(encoding="utf-8"))
    summary = RunSummary(spec.name, str(store.folder), executor, len(tasks),
                         len(tasks) - len(todo), 0)
    report(f"{len(tasks)} tasks: {summary.skipped} done before, {len(todo)} to run on "
           f"{executor}")

    def on_record(record: dict) -> None:
        task = Task(**record["task"])
        if store.read_record(task) is None:  # a remote worker without the shared folder
            store.write_record(task, record)
        summary.trained += 1
        shown = ", ".join(f"{k} {v:.4f}" for k, v in record["metrics"].items())
        report(f"[{summary.skipped + summary.trained}/{len(tasks)}] {task.key}: {shown} "
               f"({record['train_seconds']:.1f} s training)")

    def on_error(payload: dict, exc: BaseException) -> None:
        summary.failed.append({"task": payload["task_key"], "error": f"{type(exc).__name__}: "
                               f"{exc}"})
        report(f"FAILED {payload['task_key']}: {type(exc).__name__}: {exc}")

    executing = time.perf_counter()
    execute([_payload(spec, store, t, manifest) for t in todo], executor, on_record, on_error,
            workers, address)
    summary.run_seconds = round(time.perf_counter() - executing, 2)
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary
