"""Map: a word list in 2D (PCA, t-SNE or custom axes a − b / c − d), groups coloured."""

import plotly.express as px
import streamlit as st

from dashboard.components import presentation, style
from dashboard.components.downloads import csv_download, plot, shared_figure
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.fragments import part
from dashboard.components.links import bind_all
from dashboard.components.links import choice as url_choice
from dashboard.components.safe import show
from dashboard.components.shared_results import shared_result
from dashboard.components.wordlists import oov_panel, word_groups_input
from rnncore import class_results
from rnncore.embeddings import MAP_METHODS, neighbours, word_map

st.title("Map")
presentation.intro("map")
embedding = current_embedding()
bind_all({"map_text": str, "map_method": url_choice(MAP_METHODS), "map_xa": str,
          "map_xb": str, "map_yc": str, "map_yd": str, "map_perplexity": (2, 50)})
screens = presentation.Screens("map", ["Map", "Neighbours of a word on the map"])
screens.section(0, None)
groups = word_groups_input("Word groups", class_results.MAP_GROUPS, key="map")
report = oov_panel(embedding, groups, key="map")

method = st.radio("Projection", list(MAP_METHODS), format_func=MAP_METHODS.get,
                  horizontal=True, key="map_method")
options: dict = {}
if method == "axes":
    cols = st.columns(4)
    options["x_axis"] = (cols[0].text_input("x: a", "she", key="map_xa").strip(),
                         cols[1].text_input("x: b", "he", key="map_xb").strip())
    options["y_axis"] = (cols[2].text_input("y: c", "woman", key="map_yc").strip(),
                         cols[3].text_input("y: d", "man", key="map_yd").strip())
elif method == "tsne":
    options["perplexity"] = st.slider("Perplexity", 2, 50, 30, key="map_perplexity")

if report is None:
    st.stop()
settings = {"groups": report.resolved, "method": method, **options}
stored = ((class_results.map_key(embedding, report.resolved, method, options), class_results.MAP)
          if method == "tsne" else None)  # t-SNE: read from / kept in the results folder
try:  # once per server for these words and settings
    with st.spinner(f"Computing the {MAP_METHODS[method]} map…"):
        result = shared_result("word_map", embedding, settings,
                               lambda: word_map(embedding, report.resolved, method, **options),
                               stored=stored)
except (KeyError, ValueError) as exc:
    st.error(show(exc.args[0] if exc.args else exc), icon=":material/error:")
    st.stop()
for note in result.notes:
    st.caption(f":material/info: {show(note)}")


def chart():
    fig = px.scatter(result.points, x="x", y="y", color="group", text="word", hover_name="word",
                     color_discrete_map=style.colour_map(result.points["group"]),
                     hover_data={"word": True, "group": True, "x": ":.3f", "y": ":.3f"},
                     labels={"x": result.x_label, "y": result.y_label})
    fig.update_traces(textposition="top center", marker={"size": 9})
    fig.update_layout(height=620)
    style.legend_on_top(style.label_points(fig, height=620))
    if method == "axes":
        fig.add_hline(y=0, line_width=1, line_color="grey")
        fig.add_vline(x=0, line_width=1, line_color="grey")
    return fig


fig = shared_figure("word_map", embedding, settings, chart)
plot(fig, f"map_{method}", ready=True)
if note := style.hidden_note(fig):
    st.caption(show(note))  # words of the user's list: never Markdown
csv_download(result.points, f"map_{method}.csv", key="csv-map")

screens.section(1)


@part("map_neighbours")
def _neighbours() -> None:
    word = st.selectbox("Word", list(result.points["word"]), key="map_neighbour_word")
    topn = st.slider("Neighbours", 1, 50, 10, key="map_neighbour_topn")
    table = shared_result("neighbours", embedding, {"word": word, "topn": int(topn)},
                          lambda: neighbours(embedding, word, topn))
    st.dataframe(table, hide_index=True,
                 column_config={"similarity": st.column_config.NumberColumn(format="%.4f"),
                                "distance": st.column_config.NumberColumn(format="%.4f")})
    csv_download(table, f"neighbours_{word}.csv", key="csv-map-neigh")
