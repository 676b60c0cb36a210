"""Start/stop controls for a training job, with its place in the server's queue, live progress
and a kept result.

Every training on the server goes through ONE ``TrainingQueue`` (at most N at once, N = cores or
``BIASLAB_TRAINING_SLOTS``); a waiting student sees their place ("2nd in line") and Stop takes
the job out of the queue. The job lives in ``st.session_state[key]``: touching another widget
reruns the page but neither stops the job nor loses its result. While it waits or runs, a
fragment refreshes only the progress panel. When the session ends (tab closed), its jobs are
stopped or dequeued and memory is handed back (``session_release``).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Callable

import streamlit as st

from rnncore.train import Job, Task
from rnncore.train.queue import TrainingQueue, ordinal


@st.cache_resource(show_spinner=False)
def training_queue() -> TrainingQueue:
    """The server's one training queue."""
    return TrainingQueue()


def trim_memory() -> None:
    """Collect garbage and give freed heap pages back to the OS (glibc ``malloc_trim``)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _release(jobs: list[Job]) -> None:
    queue = training_queue()
    for job in jobs:
        if not job.done:
            queue.cancel(job)
    jobs.clear()
    trim_memory()


@st.cache_resource(show_spinner=False, scope="session", on_release=_release)
def session_jobs() -> list[Job]:
    """This session's jobs; Streamlit calls ``_release`` on them when the session disconnects."""
    return []


def job_controls(key: str, start_label: str, make_task: Callable[[], Task],
                 render: Callable[[Job], None], refresh_seconds: float = 0.75) -> Job | None:
    """Draw Start/Stop buttons and the job's panel; returns the session's job for ``key``.

    ``make_task`` is called when the user presses Start (read the page's widgets there);
    ``render(job)`` draws progress and, once ``job.done``, the result.
    """
    queue = training_queue()
    job: Job | None = st.session_state.get(key)
    active = job is not None and not job.done
    start_col, stop_col, _ = st.columns([2, 1, 4])
    if start_col.button(start_label, type="primary", disabled=active, key=f"{key}-start"):
        job = queue.submit(make_task(), name=key)
        session_jobs().append(job)
        st.session_state[key] = job
        active = True
    if stop_col.button("Stop", disabled=not active, key=f"{key}-stop") and job is not None:
        queue.cancel(job)
    if job is None:
        return None

    def panel() -> None:
        current: Job = st.session_state[key]
        if current.waiting:
            place = queue.place(current)
            st.info(f"Waiting for a free slot: **{ordinal(place)} in line** ({queue.running} "
                    f"training now, at most {queue.slots} at once on this server).",
                    icon=":material/hourglass_top:")
            return
        if current.done and current.started_at is None:
            st.info("Removed from the queue before it started.")
            return
        if current.error:
            st.error(f"The run failed: {current.error}")
        render(current)
        if current.done and st.session_state.get(f"{key}-shown") is not current:
            st.session_state[f"{key}-shown"] = current
            st.rerun()  # one full rerun so the finished result is drawn without refreshing

    st.fragment(panel, run_every=refresh_seconds if active else None)()
    return job
