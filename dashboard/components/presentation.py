"""Presentation mode for projecting in class: larger type, no sidebar, one result per screen.

The mode lives in the link (``?present=1``), so a teacher can bookmark or share it; the toggle
in the sidebar writes the query parameter, and the session keeps it across page changes (which
clear the link's parameters). While it is on:

* explanations are closed expanders (:func:`explain`, :func:`intro` with the page texts of
  data/pages.md);
* a page's numbered sections become tabs, one section per screen (:class:`Screens`);
* lessons show one step (and one discussion question) per screen (components/lesson.py).
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

PARAM = "present"
_ON = "present_on"  # the session keeps the mode when a page change clears the link
_PAGES, _GOTO = "present_pages", "present_goto"
PAGES = Path(__file__).resolve().parents[2] / "data" / "pages.md"
_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none;}
.stMainBlockContainer {max-width: 100%; padding-top: 4.5rem;}
.stMarkdown p, .stMarkdown li, .stAlert p {font-size: 1.35rem; line-height: 1.5;}
h1 {font-size: 3rem !important;} h2, h3 {font-size: 2rem !important;}
[data-testid="stMetricValue"] {font-size: 3rem;}
[data-testid="stMetricLabel"] p, [data-testid="stCaptionContainer"],
[data-testid="stCaptionContainer"] p {font-size: 1.2rem;}
.stTabs [data-baseweb="tab"] p, [data-testid="stExpander"] summary p {font-size: 1.3rem;}
.stButton button, .stDownloadButton button, .stFormSubmitButton button {min-height: 3rem;}
.stButton button p, .stDownloadButton button p, .stFormSubmitButton button p,
[data-testid="stWidgetLabel"] p, [data-testid="stPopover"] button p {font-size: 1.3rem;}
[data-testid="stRadio"] label p, [data-testid="stCheckbox"] label p {font-size: 1.2rem;}
.stButton button:disabled p {color: #6b6b6b;}
input, textarea, [data-baseweb="select"] div {font-size: 1.25rem !important;}
</style>
"""
FONT = {"size": 18}  # chart text on a projector (plotly's default is 12)


def active() -> bool:
    """Whether this session shows the presentation layout (from the link)."""
    return st.query_params.get(PARAM) == "1"


def _set(on: bool) -> None:
    st.session_state[_ON] = on
    if on:
        st.query_params[PARAM] = "1"
    else:
        st.query_params.pop(PARAM, None)


def _pages_menu() -> None:
    """The pages, for moving on while the sidebar is hidden (the mode stays on): a list that
    closes when a page is picked (a popover of links stayed open over the new page)."""
    from dashboard.navigation import SECTIONS, VIEWS

    files = {f"{section} · {title}": f"{VIEWS}/{file}"
             for section, entries in SECTIONS.items() for file, title, _ in entries}

    def pick() -> None:  # remember the page and empty the list for the next screen
        st.session_state[_GOTO] = files[st.session_state[_PAGES]]
        st.session_state[_PAGES] = None

    st.selectbox("Pages", list(files), index=None, placeholder="Pages: go to…", key=_PAGES,
                 on_change=pick, label_visibility="collapsed")
    if target := st.session_state.pop(_GOTO, None):
        st.switch_page(target)


def controls() -> None:
    """The toggle (sidebar) or, while presenting, the larger style, a page menu and an exit."""
    if active():
        st.session_state[_ON] = True
    elif st.session_state.get(_ON):  # a page change dropped the parameter: put it back
        st.query_params[PARAM] = "1"
    if active():
        st.markdown(_CSS, unsafe_allow_html=True)  # fixed CSS of ours, never user text
        menu, _, leave = st.columns([3, 2, 3])
        with menu:
            _pages_menu()
        if leave.button("Leave presentation mode", key="present_exit", icon=":material/close:",
                        width="stretch"):
            _set(False)
            st.rerun()
    else:
        with st.sidebar:
            if st.toggle("Presentation mode", False, key="present_toggle",
                         help="Larger type, no sidebar, explanations folded, one result per "
                              "screen; remembered in the link (?present=1)."):
                _set(True)
                st.rerun()


def projector(figure: go.Figure) -> go.Figure:
    """``figure`` with text large enough for the back of a classroom (in place): every font,
    tick and title at least :data:`FONT`, and a taller plot to hold them."""
    size = FONT["size"]
    figure.update_layout(font={"size": size}, title_font={"size": size + 4},
                         legend_font={"size": size}, hoverlabel_font={"size": size})
    figure.update_xaxes(tickfont={"size": size}, title_font={"size": size})
    figure.update_yaxes(tickfont={"size": size}, title_font={"size": size})
    figure.update_annotations(font_size=size)
    figure.update_traces(textfont_size=size - 2, selector=lambda t: "textfont" in t)
    if figure.layout.height:
        figure.update_layout(height=int(figure.layout.height * 1.2))
    return figure


def explain(label: str = "Explanation") -> AbstractContextManager:
    """A block for explanations: inline normally, a closed expander when presenting."""
    return st.expander(label, icon=":material/info:") if active() else nullcontext()


@cache
def page_texts() -> dict[str, str]:
    """data/pages.md by ``## slug`` heading: each page's explanation (Markdown, ours)."""
    parts = re.split(r"(?m)^## (\S+)\s*$", PAGES.read_text(encoding="utf-8"))
    return {slug: text.strip() for slug, text in zip(parts[1::2], parts[2::2], strict=True)}


def intro(slug: str, label: str = "Explanation") -> None:
    """The page's explanation from data/pages.md, folded away when presenting."""
    with explain(label):
        st.markdown(page_texts()[slug])


class Screens:
    """A page's sections: a subheader each normally; one tab per section when presenting.

    ``section(i)`` starts section ``i``. In presentation mode the first call draws the tabs
    there and every call moves the output into the next tab, so the page code keeps its flat
    order (the script's containers are reset by Streamlit on every run).
    """

    def __init__(self, key: str, titles: list[str]) -> None:
        self.key, self.titles = key, titles
        self._tabs = None
        self._open = None

    def section(self, index: int, heading: str | None = "") -> None:
        """Start section ``index``; ``heading`` replaces its title above it when not
        presenting ("" = the title, None = no heading)."""
        if not active():
            if heading is not None:
                st.subheader(heading or self.titles[index])
            return
        if self._tabs is None:
            self._tabs = st.tabs(self.titles, key=f"present_screens_{self.key}")
        if self._open is not None:
            self._open.__exit__(None, None, None)
        self._open = self._tabs[index]
        self._open.__enter__()
