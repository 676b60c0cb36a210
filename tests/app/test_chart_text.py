"""Plotly draws a subset of HTML in labels, ticks, legends and hover boxes: user words and group
names must reach a chart escaped (shown literally), whichever page draws it."""

from __future__ import annotations

import json

import pandas as pd
import plotly.express as px

from dashboard.components.style import escape_figure
from tests.app.conftest import open_page

LINK, BOLD = "<a href='x'>w</a>", "<b>b</b>"


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for key, value in node.items() if key != "template" for s in _strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return [node] if isinstance(node, str) else []


def _chart_strings(at) -> list[str]:
    charts = at.get("plotly_chart")
    assert charts
    return [s for chart in charts for s in _strings(json.loads(chart.proto.spec))]


def test_words_in_every_text_field_are_escaped():
    table = pd.DataFrame({"x": [0.1, 0.2], "y": [1.0, 2.0], "word": [LINK, BOLD],
                          "group": [BOLD, "she"]})
    fig = px.scatter(table, x="x", y="y", text="word", color="group", hover_name="word",
                     hover_data={"word": True}, facet_col="group", title=LINK)
    fig.add_bar(x=[LINK, BOLD], y=[1, 2], name=LINK)
    shown = _strings(escape_figure(fig).to_plotly_json())
    assert not any("<a" in s or "<b>b" in s for s in shown), [s for s in shown if "<" in s]
    assert "&lt;a href='x'&gt;w&lt;/a&gt;" in shown  # text, hover text, title, bar ticks
    assert "&lt;b&gt;b&lt;/b&gt;" in shown  # legend name
    assert any(s == "group=&lt;b&gt;b&lt;/b&gt;" for s in shown)  # facet title
    hover = escape_figure(fig).data[0].hovertemplate  # plotly express's own tags survive
    assert hover.startswith("<b>%{hovertext}</b><br>") and hover.endswith("<extra></extra>")
    assert fig.data[0].text[0] == LINK  # the figure passed in is left as it was


def test_map_and_weat_draw_group_names_literally():
    at = open_page("map.py")
    at.text_area(key="map_text").set_value(f"{LINK}: she, her, woman\n{BOLD}: he, him, man")
    at.run()
    assert not at.exception
    shown = _chart_strings(at)
    assert not any("<a " in s or "<b>b" in s for s in shown)
    assert sum("&lt;a href='x'&gt;w&lt;/a&gt;" in s for s in shown) >= 2  # legend and hover

    at = open_page("weat.py")
    sets = next(t for t in at.text_area if (t.key or "").startswith("weat_sets_"))
    sets.set_value(
        f"{LINK}: math, algebra, geometry\n{BOLD}: poetry, art, dance\n"
        "male: man, he, boy\nfemale: woman, she, girl")
    at.run()
    assert not at.exception
    shown = _chart_strings(at)
    assert not any("<a " in s or "<b>b" in s for s in shown)
    assert any("&lt;b&gt;b&lt;/b&gt;" in s for s in shown)


def test_series_without_a_group_colour_never_take_the_gender_sides_colours():
    from dashboard.components import style

    single = px.bar(pd.DataFrame({"pair": ["a", "b"], "d": [0.2, 0.4]}), x="pair", y="d")
    sides = px.bar(pd.DataFrame({"w": ["x", "y"], "p": [0.1, -0.1], "side": ["woman", "man"]}),
                   x="w", y="p", color="side", color_discrete_map=style.colour_map(["woman",
                                                                                    "man"]))
    assert style.house_colours(single).data[0].marker.color == style.NEUTRAL
    assert [t.marker.color for t in style.house_colours(sides).data] == [style.FEMALE,
                                                                          style.MALE]
    assert not {style.FEMALE, style.MALE} & set(style.COLORWAY)
