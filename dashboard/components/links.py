"""Page inputs in the URL (``st.query_params``): a reload or a shared link reopens the analysis.

``bind(key, param)`` is called before the widget with ``key`` is drawn (a page calls
``bind_all`` once near its top). On the session's first run it copies the URL's value into
``st.session_state[key]`` (so the widget starts there); on every later run it writes the
widget's current value back to the URL. A value the widget cannot take (not among the options,
out of bounds, wrong type) is ignored and the widget keeps its default. Lists travel as
repeated parameters (``?words=a&words=b``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import streamlit as st

_LOADED = "links_loaded"  # keys already read from the URL in this session


def _parse(raw: list[str], kind: type, item: type = str) -> Any:
    if kind is list:
        return [_parse([v], item) for v in raw]
    value = raw[-1]
    if kind is bool:
        return {"true": True, "false": False}[value.lower()]
    return kind(value)


def _serialise(value: Any) -> str | list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value).lower() if isinstance(value, bool) else str(value)


def bind(key: str, param: str | None = None, kind: type = str,
         options: Iterable[Any] | None = None, bounds: tuple[float, float] | None = None,
         item: type = str) -> None:
    """Keep the widget ``key`` and the URL parameter ``param`` (default: ``key``) in step."""
    param = param or key
    state = st.session_state
    loaded: set[str] = state.setdefault(_LOADED, set())
    if key not in loaded:
        loaded.add(key)
        raw = st.query_params.get_all(param)
        if raw and key not in state:
            try:
                value = _parse(raw, kind, item)
            except (KeyError, ValueError, TypeError):
                return
            allowed = list(options) if options is not None else None
            if allowed is not None and any(v not in allowed for v in (
                    value if kind is list else [value])):
                return
            if bounds is not None and not bounds[0] <= value <= bounds[1]:
                return
            state[key] = value
            return
    if key in state:
        value = _serialise(state[key])
        if st.query_params.get_all(param) != (value if isinstance(value, list) else [value]):
            st.query_params[param] = value


@dataclass(frozen=True)
class Choice:
    """A single choice among ``options`` (``multi``: a list of them, as a multiselect)."""

    options: tuple
    multi: bool = False


def choice(options: Iterable[Any], multi: bool = False) -> Choice:
    return Choice(tuple(options), multi)


def bind_all(spec: dict[str, Any]) -> None:
    """``bind`` every widget key of ``spec``: ``{key: str | bool | list | (low, high) |
    choice(options[, multi=True])}``; the URL parameter is named after the key."""
    for key, kind in spec.items():
        if isinstance(kind, Choice):
            first = kind.options[0] if kind.options else ""
            bind(key, kind=list if kind.multi else type(first), options=kind.options,
                 item=type(first))
        elif isinstance(kind, tuple):
            bind(key, kind=type(kind[0]), bounds=kind)
        else:
            bind(key, kind=kind)


def link_box() -> None:
    """A "Link to this analysis" box in the sidebar with the page URL and its inputs (the code
    box has a copy button)."""
    base = st.context.url
    if not base:
        return
    query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    with st.sidebar.expander("Link to this analysis", icon=":material/link:"):
        st.code(base + (f"?{query}" if query else ""), language=None, wrap_lines=True)
        st.caption("Opens the same inputs on a built-in embedding; uploads and models trained "
                   "in a session stay in that session.")


GONE = ("The {what} in the session this link came from is gone (models live only as long as "
        "their session); {instead}.")


def private_model(param: str, own: bool, what: str = "model trained",
                  instead: str = "showing the class model instead (train your own above to "
                                 "replace it)") -> None:
    """Keep ``param`` in the URL saying whether the page shows a model of this session
    (``own``: trained or loaded here) or the class model (``class``).

    A link or reload opens a new session, where such a model no longer exists: when the URL
    says ``own`` on the session's first run and the page has no model of its own, the page says
    so in one sentence (until the session trains its own), as the sidebar does for an upload.
    """
    state = st.session_state
    loaded: set[str] = state.setdefault(_LOADED, set())
    gone = f"{param}_gone"
    if param not in loaded:
        loaded.add(param)
        if st.query_params.get(param) == "own" and not own:
            state[gone] = True
    if own:
        state.pop(gone, None)
    elif state.get(gone):
        st.info(GONE.format(what=what, instead=instead), icon=":material/link_off:")
    value = "own" if own else "class"
    if st.query_params.get(param) != value:
        st.query_params[param] = value
