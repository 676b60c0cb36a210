"""One queue for every training on a server: at most N jobs run at once, the others wait.

``TrainingQueue.submit(task)`` returns a ``Job`` (``rnncore.train.jobs``) that starts when a slot
is free (first come, first served); ``place(job)`` says where it stands (1 = next in line),
``cancel(job)`` removes a waiting job or asks a running one to stop. N defaults to the number
of CPU cores (each training uses about one), or ``BIASLAB_TRAINING_SLOTS``.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque

from rnncore.train.jobs import Job, Report, ShouldStop, Task


def default_slots() -> int:
    """``$BIASLAB_TRAINING_SLOTS`` or the number of CPU cores this process may use."""
    configured = os.environ.get("BIASLAB_TRAINING_SLOTS")
    if configured:
        return max(1, int(configured))
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class TrainingQueue:
    """A first-come-first-served queue running at most ``slots`` jobs at the same time."""

    def __init__(self, slots: int | None = None) -> None:
        self.slots = slots or default_slots()
        self._lock = threading.Lock()
        self._waiting: deque[Job] = deque()
        self._running: set[Job] = set()
        self.cancelled = 0

    def submit(self, task: Task, name: str = "job") -> Job:
        """Queue ``task``; it starts now if a slot is free, else when one frees up."""
        job: Job

        def run(report: Report, should_stop: ShouldStop):
            try:
                return task(report, should_stop)
            finally:
                self._finished(job)

        job = Job(run, name=name)
        with self._lock:
            self._waiting.append(job)
            self._pump()
        return job

    def _pump(self) -> None:
        while self._waiting and len(self._running) < self.slots:
            job = self._waiting.popleft()
            self._running.add(job)
            job.start()

    def _finished(self, job: Job) -> None:
        with self._lock:
            self._running.discard(job)
            self._pump()

    def place(self, job: Job) -> int:
        """1 for the next job in line, 2 for the one after, ...; 0 when not waiting."""
        with self._lock:
            for k, waiting in enumerate(self._waiting):
                if waiting is job:
                    return k + 1
        return 0

    def cancel(self, job: Job) -> None:
        """Take a waiting job out of the queue (it ends, never started) or stop a running one."""
        with self._lock:
            if job in self._waiting:
                self._waiting.remove(job)
                job.stop()
                job.finished_at = time.time()
                self.cancelled += 1
                return
        job.stop()

    @property
    def running(self) -> int:
        """How many jobs run now."""
        return len(self._running)

    @property
    def waiting(self) -> int:
        """How many jobs wait for a slot."""
        return len(self._waiting)
