"""The explained-variance bars of a bias direction's principal components."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.express as px

from dashboard.components import style
from dashboard.components.downloads import plot


def explained_variance_bars(ratios: Sequence[float], key: str,
                            label: str = "explained variance ratio", digits: int = 3) -> None:
    """One neutral bar per component (PC1, PC2, …), its share of the variance on a 0–1 axis."""
    table = pd.DataFrame({"component": [f"PC{i + 1}" for i in range(len(ratios))],
                          label: list(ratios)})
    fig = px.bar(table, x="component", y=label, text_auto=f".{digits}f",
                 color_discrete_sequence=[style.NEUTRAL])
    fig.update_layout(height=300, yaxis_range=[0, 1])
    plot(fig, key)
