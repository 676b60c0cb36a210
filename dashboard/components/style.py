"""One visual language for every chart: a fixed colour per group side and per sign.

The woman/female side is always orange and the man/male side always blue (Okabe & Ito's
colour-blind-safe palette), on every page and in every lesson; a bar's colour follows the sign
of its value; other groups take the remaining palette colours in order.

Plotly draws a subset of HTML in every text it shows (labels, ticks, hover boxes, legends,
titles: links, bold, styled spans), so :func:`escape_figure` escapes each string of a figure
before it is shown; :func:`~dashboard.components.downloads.plot` does it for every chart.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import numpy as np
import plotly.express as px
import plotly.graph_objects as go

FEMALE, MALE, NEUTRAL = "#E69F00", "#0072B2", "#8C8C8C"
POSITIVE, NEGATIVE = "#CC79A7", "#009E73"  # the sign of a value that is not a gender side
# no pale colour (Okabe & Ito's yellow vanished on a projector): wine instead
OTHERS = ("#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#882255", "#000000")
# series that are not groups (metrics, runs, single bars): never the gender sides' orange/blue
COLORWAY = (NEUTRAL, "#009E73", "#CC79A7", "#D55E00", "#882255", "#000000", "#999933")
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


def label_points(fig: go.Figure, max_labels: int = 60, width: int = 1000,
                 height: int = 520) -> go.Figure:
    """Scatter labels that never overlap: each label goes above, below, right or left of its
    dot, whichever is free (greedy, estimated in pixels for a ``width`` x ``height`` plot); a
    label with no free place, and every label of a plot with more than ``max_labels`` dots, is
    left to the hover box."""
    traces = [t for t in fig.data if t.x is not None and t.text is not None]
    n = sum(len(t.x) for t in traces)
    if not traces or n > max_labels:
        fig.update_traces(mode="markers")
        return fig
    xs = [float(v) for t in traces for v in t.x]
    ys = [float(v) for t in traces for v in t.y]
    x0, y0 = min(xs), min(ys)
    sx = width * 0.85 / ((max(xs) - x0) or 1.0)
    sy = height * 0.8 / ((max(ys) - y0) or 1.0)
    dots = [((x - x0) * sx, (y - y0) * sy) for x, y in zip(xs, ys, strict=True)]
    taken = [(px - 4, py - 4, px + 4, py + 4) for px, py in dots]  # the dots themselves
    for trace in traces:
        positions, texts = [], []
        for x, y, text in zip(trace.x, trace.y, trace.text, strict=True):
            px, py = (float(x) - x0) * sx, (float(y) - y0) * sy
            w, h = 6.5 * len(str(text)) + 4, 14
            boxes = {"top center": (px - w / 2, py + 5, px + w / 2, py + 5 + h),
                     "bottom center": (px - w / 2, py - 5 - h, px + w / 2, py - 5),
                     "middle right": (px + 6, py - h / 2, px + 6 + w, py + h / 2),
                     "middle left": (px - 6 - w, py - h / 2, px - 6, py + h / 2)}
            free = next((name for name, box in boxes.items()
                         if not any(_overlap(box, other) for other in taken)), None)
            positions.append(free or "top center")
            texts.append(text if free else "")
            if free:
                taken.append(boxes[free])
        trace.update(mode="markers+text", textposition=positions, text=texts)
    return fig


def hidden_labels(fig: go.Figure) -> list[str]:
    """The dots of a :func:`label_points` figure that have no label (hover them for the word):
    say them under the chart, so that no label goes missing silently."""
    hidden = []
    for trace in fig.data:
        names = trace.hovertext if trace.hovertext is not None else trace.text
        if names is None or trace.x is None:
            continue
        texts = trace.text if trace.mode == "markers+text" else [""] * len(trace.x)
        hidden += [str(n) for n, t in zip(names, texts, strict=True) if not t]
    return hidden


def hidden_note(fig: go.Figure) -> str | None:
    """A caption naming the unlabelled dots of ``fig`` (None when every dot has its label)."""
    hidden = hidden_labels(fig)
    if not hidden:
        return None
    shown = ", ".join(hidden[:12]) + (f" and {len(hidden) - 12} more" if len(hidden) > 12
                                      else "")
    return (f"{len(hidden)} dot(s) drawn without a label, where labels would overlap: "
            f"{shown}. Hover a dot for its word.")


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# keys whose strings plotly draws as text (trace and layout alike); "template" is ours, skipped
_TEXT_KEYS = {"text", "hovertext", "name", "legendgroup", "x", "y", "customdata", "labels",
              "ticktext", "tickvals", "categoryarray", "hovertemplate", "texttemplate"}
_TEMPLATE_TAGS = {"&lt;br&gt;": "<br>", "&lt;extra&gt;&lt;/extra&gt;": "<extra></extra>",
                  "&lt;b&gt;%{hovertext}&lt;/b&gt;": "<b>%{hovertext}</b>"}


def _escaped(value: object, template: bool = False) -> object:
    if isinstance(value, str):
        text = html.escape(value, quote=False)
        if template:  # plotly express's own tags in hover templates (the values stay escaped)
            for escaped, tag in _TEMPLATE_TAGS.items():
                text = text.replace(escaped, tag)
        return text
    if isinstance(value, np.ndarray):
        return (np.array([_escaped(v, template) for v in value.ravel()], dtype=object)
                .reshape(value.shape) if value.dtype.kind in "OUS" else value)
    if isinstance(value, list | tuple):
        return [_escaped(v, template) for v in value]
    return value


def _walk(node: object) -> object:
    if isinstance(node, dict):
        return {key: (_escaped(value, key.endswith("template")) if key in _TEXT_KEYS
                      and not isinstance(value, dict) else value if key == "template"
                      else _walk(value)) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [_walk(item) for item in node]
    return node


def escape_figure(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` whose every shown string is HTML-escaped (``<`` as ``&lt;`` …), so a
    user's word such as a link or a bold tag is drawn literally: plotly turns the entities
    back into the characters and renders no markup from them."""
    return go.Figure(_walk(fig.to_plotly_json()))


# plotly express's default colours, and the placeholders of Streamlit's plotly theme for them
_PLOTLY_DEFAULTS = [c.lower() for c in px.colors.qualitative.Plotly]
_STREAMLIT_DEFAULTS = [f"#0000{i:02d}" for i in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)]


def house_colours(fig: go.Figure) -> go.Figure:
    """Series that plotly chose a colour for get :data:`COLORWAY` instead (in place).

    Streamlit swaps plotly express's default colours for its own palette, whose first colour is
    a blue that would read as the man side; the gender sides' and our explicit colours stay."""
    def swap(colour: object) -> object:
        for defaults in (_PLOTLY_DEFAULTS, _STREAMLIT_DEFAULTS):
            if isinstance(colour, str) and colour.lower() in defaults:
                return COLORWAY[defaults.index(colour.lower()) % len(COLORWAY)]
        return colour

    for trace in fig.data:
        for part in ("marker", "line"):
            style_ = getattr(trace, part, None)
            if style_ is not None and getattr(style_, "color", None) is not None:
                style_.color = swap(style_.color)
    fig.update_layout(colorway=list(COLORWAY))  # series with no colour at all
    return fig
