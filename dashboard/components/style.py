"""One visual language for every chart: a fixed colour per group side and per sign.

The woman/female side is always orange and the man/male side always blue (Okabe & Ito's
colour-blind-safe palette), on every page and in every lesson; a bar's colour follows the sign
of its value; other groups take the remaining palette colours in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import plotly.graph_objects as go

FEMALE, MALE, NEUTRAL = "#E69F00", "#0072B2", "#8C8C8C"
POSITIVE, NEGATIVE = "#CC79A7", "#009E73"  # the sign of a value that is not a gender side
OTHERS = ("#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
FEMALE_WORDS = {"she", "her", "hers", "herself", "woman", "women", "female", "females", "girl",
                "girls", "mother", "daughter", "sister", "queen", "lady", "feminine", "wife"}
MALE_WORDS = {"he", "him", "his", "himself", "man", "men", "male", "males", "boy", "boys",
              "father", "son", "brother", "king", "gentleman", "masculine", "husband"}


def side(name: str) -> str | None:
    """``"female"``/``"male"`` when the group name starts with or names one side, else None."""
    tokens = re.findall(r"[a-z]+", name.lower())
    for token in tokens:
        if token in FEMALE_WORDS:
            return "female"
        if token in MALE_WORDS:
            return "male"
    return None


def side_colour(name: str) -> str | None:
    """The fixed colour of a group named for a gender side, else None."""
    return {"female": FEMALE, "male": MALE}.get(side(name) or "")


def colour_map(names: Iterable[str]) -> dict[str, str]:
    """``color_discrete_map`` for plotly express: gender sides fixed, other groups in order."""
    mapping, others = {}, iter(OTHERS * 4)
    for name in dict.fromkeys(names):
        mapping[name] = side_colour(name) or next(others)
    return mapping


def sign_colours(values: Iterable[float], positive: str = POSITIVE,
                 negative: str = NEGATIVE) -> list[str]:
    """One colour per value by its sign (for bars): ``positive`` for > 0, else ``negative``."""
    return [positive if v > 0 else negative for v in values]


def legend_on_top(fig: go.Figure) -> go.Figure:
    """Put the legend above the plot, so it never covers an axis title."""
    fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.02,
                              "xanchor": "left", "x": 0, "title": None},
                      margin={"t": 60})
    return fig


def hover_labels(fig: go.Figure, max_labels: int = 25) -> go.Figure:
    """Dense scatters: show text labels only when there are few points, else on hover only."""
    n = sum(len(t.x) if t.x is not None else 0 for t in fig.data)
    if n > max_labels:
        fig.update_traces(mode="markers")
    else:
        fig.update_traces(textposition="top center", mode="markers+text")
    return fig
