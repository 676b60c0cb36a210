"""Start/stop controls for a training job, with its place in the server's queue, live progress
and a kept result.

Every training on the server goes through ONE ``TrainingQueue`` (at most N at once, N = cores or
``BIASLAB_TRAINING_SLOTS``); a waiting student sees their place ("2nd in line") and Stop takes
the job out of the queue. The job lives in ``st.session_state[key]``: touching another widget
reruns the page but neither stops the job nor loses its result. While it waits or runs, a
fragment refreshes only the progress panel. When the session ends (tab closed), its jobs are
stopped or dequeued and memory is handed back; once Streamlit's reconnect window has passed,
the closed sessions themselves are shut down (``reap_closed_sessions``).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import os
import threading
from collections.abc import Callable

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.components.safe import show
from dashboard.components.shared_results import count_build
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


def reap_closed_sessions() -> int:
    """Shut down the closed sessions whose reconnect window has passed; returns how many.

    Streamlit 1.67 keeps a closed tab's session (its ``session_state``, download-button data
    and dataframe sources) for ``server.disconnectedSessionTTL`` seconds in case it reconnects,
    but only forgets it on the next write to its session store and never shuts it down, so after
    a class nothing is released. Measured with bench/classroom.py: without this, RSS stayed
    ~15 MB per student above the pre-class level. Uses Streamlit internals: if they change it
    raises RuntimeError saying so (tests/e2e/test_session_release.py fails), never a silent 0.
    """
    try:
        manager = runtime.get_instance()._session_mgr
        lock, cache = manager._storage_lock, manager._session_storage._cache
        with lock:
            live = set(cache)  # iteration skips expired entries without removing them
            stale = [info for key, info in list(cache._data.items()) if key not in live]
            len(cache)  # a length query reaps the expired entries
    except (AttributeError, TypeError) as exc:
        raise RuntimeError(f"Streamlit {st.__version__}'s session internals changed "
                           f"({type(exc).__name__}: {exc}): closed sessions are not shut down; "
                           "update reap_closed_sessions") from exc
    for info in stale:
        info.session.shutdown()
    return len(stale)


def _after_reconnect_window() -> None:
    try:
        count_build("sessions_shut_down", str(reap_closed_sessions()))
    except RuntimeError as exc:
        logging.getLogger(__name__).error("%s", exc)
        count_build("session_reaper_failed", str(exc))
    trim_memory()


def reap_delay() -> float:
    """Seconds from a tab's disconnect to the reaper: Streamlit's reconnect window
    (``server.disconnectedSessionTTL``) + 5 s, or ``BIASLAB_SESSION_REAP_SECONDS``."""
    chosen = os.environ.get("BIASLAB_SESSION_REAP_SECONDS")
    if chosen:
        return float(chosen)
    return float(st.get_option("server.disconnectedSessionTTL")) + 5.0


M_ARENA_MAX = -8  # glibc mallopt parameter


@st.cache_resource(show_spinner=False)
def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Cap glibc's malloc arenas (once per server; like MALLOC_ARENA_MAX=2).

    Every session runs its script in its own thread and glibc gives threads their own arenas,
    whose freed memory stays in the process: bench/classroom.py measured 6 students leaving
    +70 MB after they left with the default, -7 MB with two arenas (peak 721 vs 648 MB).
    """
    try:
        return bool(ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # not glibc
        return False


def _release(jobs: list[Job]) -> None:
    queue = training_queue()
    running = [job for job in jobs if not job.done]
    for job in running:
        queue.cancel(job)
    jobs.clear()
    if running:
        count_build("jobs_stopped", str(len(running)))
    trim_memory()
    timer = threading.Timer(reap_delay(), _after_reconnect_window)
    timer.daemon = True
    timer.start()


@st.cache_resource(show_spinner=False, scope="session", on_release=_release)
def session_jobs() -> list[Job]:
    """This session's jobs; Streamlit calls ``_release`` on them when the session disconnects."""
    limit_malloc_arenas()
    return []


def track_session() -> None:
    """Register this session's release hook (called by the app on every run; does nothing
    outside a script run, e.g. when a multiprocessing child re-imports the app's main)."""
    if get_script_run_ctx() is not None:
        session_jobs()


def progress_text(job: Job, message: str) -> str:
    """``message`` with the seconds so far and, once a twentieth is done, the seconds left at
    the pace measured on this server so far (no fixed estimate: machines and loads differ)."""
    fraction = min(float((job.latest or {}).get("fraction", 0.0)), 1.0)
    elapsed = job.elapsed
    if 0.05 <= fraction < 1.0:
        left = elapsed * (1 - fraction) / fraction
        return (f"{message} · {elapsed:.0f} s so far, about {left:.0f} s left at this "
                "server's pace")
    return f"{message} · {elapsed:.0f} s so far"


def job_controls(key: str, start_label: str, make_task: Callable[[], Task],
                 render: Callable[[Job], None], refresh_seconds: float = 0.75) -> Job | None:
    """Draw Start/Stop buttons and the job's panel; returns the session's job for ``key``.

    ``make_task`` is called when the user presses Start (read the page's widgets there);
    ``render(job)`` draws progress and, once ``job.done``, the result.
    """
    queue = training_queue()
    job: Job | None = st.session_state.get(key)
    active = job is not None and not job.done
    start_col, stop_col, _ = st.columns([3, 1, 3])  # (long labels stay whole on a projector)
    if start_col.button(start_label, type="primary", disabled=active, key=f"{key}-start"):
        try:
            task = make_task()
        except ValueError as exc:  # settings refused before anything is built: a message
            st.error(show(exc))
        else:
            job = queue.submit(task, name=key)
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
            st.error(f"The run failed: {show(current.error)}")
        render(current)
        if current.done and st.session_state.get(f"{key}-shown") is not current:
            st.session_state[f"{key}-shown"] = current
            st.rerun()  # one full rerun so the finished result is drawn without refreshing

    st.fragment(panel, run_every=refresh_seconds if active else None)()
    return job
