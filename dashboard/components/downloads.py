"""Download buttons: every table as CSV, every chart as HTML (PNG comes from plotly's toolbar).

Every download uses ``on_click="ignore"``: it needs no rerun, and a rerun would replace the
page's other files while the browser fetches them (a quick second click then failed with
MediaFileStorageError). A chart's HTML is made only when its button is pressed.

Building a plotly figure (plotly express, escaping, validation) costs more than most of what a
page computes: :func:`shared_figure` builds each finished figure once per server for the same
embedding and inputs, and every session's rerun draws that one read-only figure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.components import presentation
from dashboard.components.shared_results import shared_result
from dashboard.components.style import escape_figure, house_colours
from rnncore.csv_safe import safe_csv


def csv_download(table: pd.DataFrame, filename: str, label: str = "Download CSV",
                 index: bool = False, key: str | None = None) -> None:
    """A button that downloads ``table`` as a UTF-8 CSV file (formula-like cells neutralised)."""
    st.download_button(label, safe_csv(table, index=index).encode("utf-8"), file_name=filename,
                       mime="text/csv", icon=":material/download:", key=key or f"csv-{filename}",
                       on_click="ignore")


def chart_download(figure: go.Figure, filename: str, key: str | None = None) -> None:
    """A button that downloads ``figure`` as a standalone interactive HTML file."""
    st.download_button("Download chart (HTML)", lambda: figure.to_html(include_plotlyjs="cdn"),
                       file_name=filename, mime="text/html", icon=":material/download:",
                       key=key or f"html-{filename}", on_click="ignore")


def finished(figure: go.Figure) -> go.Figure:
    """``figure`` as it is drawn: its text escaped, plotly's default colours replaced
    (components/style.py)."""
    return house_colours(escape_figure(figure))


def shared_figure(kind: str, embedding, params: dict[str, Any],
                  build: Callable[[], go.Figure]) -> go.Figure:
    """The finished figure ``build()`` makes, built once per server for (``kind``, the
    embedding's sha256, ``params``) and shared read-only (``build`` depends on nothing else);
    draw it with ``plot(figure, filename, ready=True)``."""
    return shared_result(f"figure:{kind}", embedding, params, lambda: finished(build()))


def digest(table: pd.DataFrame) -> str:
    """A short fingerprint of ``table``'s content, for a shared figure's key."""
    return hashlib.sha256(table.to_json().encode("utf-8")).hexdigest()[:16]


def plot(figure: go.Figure, filename: str, ready: bool = False) -> None:
    """Show a plotly chart (its toolbar saves PNG as ``filename``) with an HTML download;
    the figure is :func:`finished` first unless ``ready`` (made by :func:`shared_figure`);
    in presentation mode its text is enlarged for a projector (on a copy: a shared
    figure is never changed)."""
    figure = figure if ready else finished(figure)
    if presentation.active():
        figure = presentation.projector(go.Figure(figure))
    st.plotly_chart(figure, config={"toImageButtonOptions": {"filename": filename, "scale": 2},
                                    "displaylogo": False})
    chart_download(figure, f"{filename}.html")
