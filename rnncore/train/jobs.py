"""Run a long task in a background thread that reports progress and honours a stop request.

A task is ``task(report, should_stop) -> result``: it calls ``report({...})`` with plain values
(step, loss, ...) as it goes and returns early when ``should_stop()`` is true. The dashboard keeps
the Job in the user's session and draws ``job.updates`` from a refreshing fragment, so a widget
change never kills the training; the CLI runs the same task in the foreground.

A job's thread runs at a lower CPU priority (``BACKGROUND_NICE``; on Linux the nice value is per
thread and the threads it starts inherit it, e.g. the ensemble's member threads): a training
then takes only the CPU that serving leaves, so a page's own work (generating text, drawing a
chart) on a busy server is not slowed by it. Measured with ``bench/char_lm_rerender.py
--training``.

At interpreter exit the jobs still running are asked to stop and waited for (up to
``EXIT_WAIT`` seconds): a thread still inside torch while Python finalises aborts the process
("terminate called without an active exception", exit code 134).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from typing import Any

Report = Callable[[dict[str, Any]], None]
ShouldStop = Callable[[], bool]
Task = Callable[[Report, ShouldStop], Any]
EXIT_WAIT = 30.0  # seconds; a stopped training still evaluates its model before it returns
BACKGROUND_NICE = 10  # a job thread's nice value (0 = normal; 10 gets ~1/10 of a contended core)
_running: weakref.WeakSet[Job] = weakref.WeakSet()


@atexit.register
def _stop_running_jobs() -> None:
    """Ask every running job to stop and wait for them (at most ``EXIT_WAIT`` in all); a job a
    queue starts meanwhile (a freed slot) is stopped too."""
    deadline = time.monotonic() + EXIT_WAIT
    while (jobs := list(_running)) and time.monotonic() < deadline:
        for job in jobs:
            job.stop()
        jobs[0].wait(max(0.0, deadline - time.monotonic()))


def yield_to_serving() -> None:
    """Lower the calling thread's CPU priority to ``BACKGROUND_NICE`` (Linux: this thread and
    the threads it starts; elsewhere, or without permission, nothing)."""
    with contextlib.suppress(AttributeError, OSError):
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid,
                       max(BACKGROUND_NICE, os.getpriority(os.PRIO_PROCESS, tid)))


class Job:
    """One background run of a task; thread-safe to read from another thread."""

    def __init__(self, task: Task, name: str = "job") -> None:
        self.name = name
        self._task = task
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.updates: list[dict[str, Any]] = []
        self.result: Any = None
        self.error: str | None = None
        self.started_at: float | None = None
        self.finished_at: float | None = None

    def start(self) -> Job:
        """Start the task in a background thread; returns the job."""
        if self._thread is not None:
            raise RuntimeError(f"{self.name} was already started")
        self.started_at = time.time()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        _running.add(self)
        self._thread.start()
        return self

    def _run(self) -> None:
        yield_to_serving()
        try:
            self.result = self._task(self.updates.append, self._stop.is_set)
        except Exception as exc:  # surfaced to the user through .error, never lost
            self.error = f"{type(exc).__name__}: {exc}"
            self.traceback = traceback.format_exc()
        finally:
            self.finished_at = time.time()
            _running.discard(self)

    def stop(self) -> None:
        """Ask the task to stop at its next check; its partial result is kept."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the task ends (or ``timeout``); True when it ended."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.done

    @property
    def stop_requested(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stop.is_set()

    @property
    def waiting(self) -> bool:
        """Queued and not started yet (``rnncore.train.queue``)."""
        return self._thread is None and self.finished_at is None

    @property
    def running(self) -> bool:
        """Whether the task has started and not finished."""
        return self._thread is not None and self.finished_at is None

    @property
    def done(self) -> bool:
        """Whether the task has finished (with a result or an error)."""
        return self.finished_at is not None

    @property
    def latest(self) -> dict[str, Any] | None:
        """The last progress update, or None."""
        return self.updates[-1] if self.updates else None

    @property
    def elapsed(self) -> float:
        """Seconds since the start (until the end when finished)."""
        if self.started_at is None:
            return 0.0
        return (self.finished_at or time.time()) - self.started_at
