"""A study folder: the spec, the task list, the prepared inputs, one JSON record per task.

Layout::

    spec.toml            the spec the study was last run with (a copy)
    tasks.json           every task of the study (what "done" is counted against)
    inputs/              prepared inputs (memory-mapped vectors, data subsets, probes)
    records/<task>.json  one finished task each, written atomically (temporary file + rename)
    running/<task>.json  a task a worker has started (host, pid, start); removed when done

A record exists completely or not at all, so a worker that dies loses only its own task; a
marker left in ``running/`` by a dead worker shows as interrupted, and the task runs again.
Reading a study never writes to it.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

RECORD_FORMAT = "biaslab study record v1"


@dataclass(frozen=True)
class Task:
    """One training: an embedding, a debias method, a model kind and a seed."""

    embedding: str
    method: str
    model: str
    seed: int
    fingerprint: str = ""  # of the settings the result depends on (spec.fingerprint)

    @property
    def key(self) -> str:
        """The task's file name stem: ``emb__method__model__s3``."""
        return f"{self.embedding}__{self.method}__{self.model}__s{self.seed}"

    def as_dict(self) -> dict:
        """The task as a plain dict."""
        return asdict(self)


def write_json_atomic(path: Path, data: object) -> None:
    """Write ``data`` as JSON to ``path`` all at once: a temporary file in the same folder,
    flushed to disk, then renamed over ``path`` (readers see the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True, allow_nan=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class StudyFolder:
    """Reads and writes one study folder (see the module docstring for the layout)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.records = self.folder / "records"
        self.running = self.folder / "running"
        self.inputs = self.folder / "inputs"

    def exists(self) -> bool:
        """Whether the folder holds a study (its task list)."""
        return (self.folder / "tasks.json").is_file()

    def tasks(self) -> list[Task]:
        """Every task of the study, from ``tasks.json``."""
        path = self.folder / "tasks.json"
        if not path.is_file():
            raise FileNotFoundError(f"{self.folder} holds no study (no tasks.json): run "
                                    "`rnncore study run SPEC` first")
        return [Task(**t) for t in json.loads(path.read_text(encoding="utf-8"))["tasks"]]

    def write_tasks(self, name: str, tasks: list[Task], spec_text: str) -> None:
        """Record the study's task list and a copy of its spec."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "spec.toml").write_text(spec_text, encoding="utf-8")
        write_json_atomic(self.folder / "tasks.json",
                          {"name": name, "tasks": [t.as_dict() for t in tasks]})

    def name(self) -> str:
        """The study's name (from ``tasks.json``)."""
        return json.loads((self.folder / "tasks.json").read_text(encoding="utf-8"))["name"]

    def record_path(self, task: Task) -> Path:
        """Where ``task``'s record lives."""
        return self.records / f"{task.key}.json"

    def read_record(self, task: Task) -> dict | None:
        """The finished record of ``task`` or None."""
        try:
            return json.loads(self.record_path(task).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def all_records(self) -> list[dict]:
        """Every finished record in the folder (sorted by task key)."""
        if not self.records.is_dir():
            return []
        return [json.loads(p.read_text(encoding="utf-8"))
                for p in sorted(self.records.glob("*.json"))]

    def write_record(self, task: Task, record: dict) -> None:
        """Store a finished task's record atomically and clear its running marker."""
        write_json_atomic(self.record_path(task), record)
        (self.running / f"{task.key}.json").unlink(missing_ok=True)

    def mark_running(self, task: Task) -> None:
        """Say that this process has started ``task``."""
        write_json_atomic(self.running / f"{task.key}.json",
                          {"host": socket.gethostname(), "pid": os.getpid(),
                           "started": time.time()})

    def stamp(self) -> tuple[float, float, int]:
        """Changes whenever a record or marker is added or removed (a cache key)."""
        def mtime(path: Path) -> float:
            try:
                return path.stat().st_mtime
            except FileNotFoundError:
                return 0.0
        count = len(list(self.records.glob("*.json"))) if self.records.is_dir() else 0
        return mtime(self.records), mtime(self.running), count

    def status(self) -> dict:
        """Counts of done, running, interrupted and waiting tasks, and the tasks that run now.

        A marker whose process is gone (same host) counts as interrupted: its worker died and
        the next ``study run`` trains it again.
        """
        tasks = self.tasks()
        done = {p.stem for p in self.records.glob("*.json")} if self.records.is_dir() else set()
        here = socket.gethostname()
        running, interrupted = [], []
        for task in tasks:
            if task.key in done:
                continue
            path = self.running / f"{task.key}.json"
            try:
                marker = json.loads(path.read_text(encoding="utf-8"))
            except (FileNotFoundError, ValueError):
                continue
            dead = marker.get("host") == here and not _alive(int(marker.get("pid", 0)))
            (interrupted if dead else running).append(
                {"task": task.key, "host": marker.get("host"), "pid": marker.get("pid"),
                 "seconds": round(time.time() - float(marker.get("started", 0)), 1)})
        n_done = sum(t.key in done for t in tasks)
        return {"study": self.name(), "folder": str(self.folder), "tasks": len(tasks),
                "done": n_done, "running": len(running), "interrupted": len(interrupted),
                "waiting": len(tasks) - n_done - len(running) - len(interrupted),
                "now": running, "interrupted_tasks": interrupted}
