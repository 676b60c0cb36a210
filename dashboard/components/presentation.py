"""Presentation mode for projecting in class: larger type, no sidebar, one lesson step a screen.

The mode lives in the link (``?present=1``), so a teacher can bookmark or share it; the toggle
in the sidebar writes the query parameter. Lessons show one step at a time while it is on and
pages collapse their explanations (:func:`explain`).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

import streamlit as st

PARAM = "present"
_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none;}
.stMainBlockContainer {max-width: 100%; padding-top: 2rem;}
.stMarkdown p, .stMarkdown li, .stAlert p {font-size: 1.35rem; line-height: 1.5;}
h1 {font-size: 3rem !important;} h2, h3 {font-size: 2rem !important;}
[data-testid="stMetricValue"] {font-size: 3rem;}
</style>
"""


def active() -> bool:
    """Whether this session shows the presentation layout (from the link)."""
    return st.query_params.get(PARAM) == "1"


def _set(on: bool) -> None:
    if on:
        st.query_params[PARAM] = "1"
    else:
        st.query_params.pop(PARAM, None)


def controls() -> None:
    """The toggle (sidebar) or, while presenting, a small exit button and the larger style."""
    if active():
        st.markdown(_CSS, unsafe_allow_html=True)  # fixed CSS of ours, never user text
        if st.button("Leave presentation mode", key="present_exit", icon=":material/close:"):
            _set(False)
            st.rerun()
    else:
        with st.sidebar:
            if st.toggle("Presentation mode", False, key="present_toggle",
                         help="Larger type, no sidebar, one lesson step per screen; "
                              "remembered in the link (?present=1)."):
                _set(True)
                st.rerun()


def explain(label: str = "Explanation") -> AbstractContextManager:
    """A block for explanations: inline normally, a closed expander when presenting."""
    return st.expander(label) if active() else nullcontext()
