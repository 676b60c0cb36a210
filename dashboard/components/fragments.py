"""Parts of a page that rerun alone: a widget change inside a part reruns only that part.

Streamlit reruns the whole app (navigation, sidebar, embedding picker, every section of the
page) on each widget change. ``@part("name")`` above a function runs it at once as an
``st.fragment``: a change of a widget inside it reruns just that function. A part leaves no
values to the code after it; it reads what it needs from the enclosing run (kept from the last
full run) or from ``st.session_state``.

With ``BIASLAB_DEBUG_COUNTERS=/path/file`` every run of a part, and every full run of the app
(:func:`count_run` in app.py), appends ``{"kind": "run", "key": name, "pid"}`` there.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.components.shared_results import count_build


def count_run(name: str) -> None:
    """Record one run of ``name`` (only when BIASLAB_DEBUG_COUNTERS names a file)."""
    count_build("run", name)


def part(name: str) -> Callable[[Callable[[], None]], None]:
    """Decorator: run the function below now, as the fragment ``name`` (unique on its page)."""
    def run(body: Callable[[], None]) -> None:
        def fragment() -> None:
            count_run(name)
            body()

        fragment.__qualname__ = fragment.__name__ = f"part_{name}"  # the fragment's identity
        st.fragment(fragment)()

    return run
