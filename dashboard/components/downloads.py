"""Download buttons: every table as CSV, every chart as HTML (PNG comes from plotly's toolbar).

Every download uses ``on_click="ignore"``: it needs no rerun, and a rerun would replace the
page's other files while the browser fetches them (a quick second click then failed with
MediaFileStorageError).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.components import presentation
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
    st.download_button("Download chart (HTML)", figure.to_html(include_plotlyjs="cdn"),
                       file_name=filename, mime="text/html", icon=":material/download:",
                       key=key or f"html-{filename}", on_click="ignore")


def plot(figure: go.Figure, filename: str) -> None:
    """Show a plotly chart (its toolbar saves PNG as ``filename``) with an HTML download;
    its text is escaped first and plotly's default colours replaced (components/style.py);
    in presentation mode its text is enlarged for a projector."""
    figure = house_colours(escape_figure(figure))  # (a copy: the caller's figure is untouched)
    if presentation.active():
        figure = presentation.projector(figure)
    st.plotly_chart(figure, config={"toImageButtonOptions": {"filename": filename, "scale": 2},
                                    "displaylogo": False})
    chart_download(figure, f"{filename}.html")
