"""Start/stop controls for a background training job, with live progress and a kept result.

The job lives in ``st.session_state[key]``: touching another widget reruns the page but neither
stops the job nor loses its result. While it runs, a fragment refreshes only the progress panel.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.components.safe import show
from rnncore.train import Job, Task


def job_controls(key: str, start_label: str, make_task: Callable[[], Task],
                 render: Callable[[Job], None], refresh_seconds: float = 0.75) -> Job | None:
    """Draw Start/Stop buttons and the job's panel; returns the session's job for ``key``.

    ``make_task`` is called when the user presses Start (read the page's widgets there);
    ``render(job)`` draws progress and, once ``job.done``, the result.
    """
    job: Job | None = st.session_state.get(key)
    running = job is not None and job.running
    start_col, stop_col, _ = st.columns([2, 1, 4])
    if start_col.button(start_label, type="primary", disabled=running, key=f"{key}-start"):
        job = Job(make_task(), name=key).start()
        st.session_state[key] = job
        running = True
    if stop_col.button("Stop", disabled=not running, key=f"{key}-stop") and job is not None:
        job.stop()
    if job is None:
        return None

    def panel() -> None:
        current: Job = st.session_state[key]
        if current.error:
            st.error(f"The run failed: {show(current.error)}")
        render(current)
        if current.done and st.session_state.get(f"{key}-shown") is not current:
            st.session_state[f"{key}-shown"] = current
            st.rerun()  # one full rerun so the finished result is drawn without refreshing

    st.fragment(panel, run_every=refresh_seconds if running else None)()
    return job
