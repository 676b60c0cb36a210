"""Distances: the course exercise d = 1 - cos between two word lists, and a pairwise heatmap."""

import plotly.express as px
import streamlit as st

from dashboard.components import presentation
from dashboard.components.downloads import csv_download, plot, shared_figure
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.fragments import part
from dashboard.components.links import bind_all
from dashboard.components.wordlists import oov_report, word_list_input
from rnncore.constants import COURSE_WORDS
from rnncore.embeddings import distance_matrix, paired_distances

st.title("Cosine distances")
presentation.intro("distances")
embedding = current_embedding()

screens = presentation.Screens("distances", ["Two lists, element by element",
                                              "Pairwise distances of one list"])
screens.section(0)


@part("distances_pairs")
def _pairs() -> None:
    bind_all({"dist_left": str, "dist_right": str})  # in the URL (also on this part's reruns)
    with st.form("pairs"):
        left_col, right_col = st.columns(2)
        with left_col:
            left = word_list_input("First list", ["woman", "man", "woman", "man"],
                                   key="dist_left")
        with right_col:
            right = word_list_input("Second list", ["nurse", "nurse", "mother", "father"],
                                    key="dist_right")
        st.form_submit_button("Compare", type="primary")

    if len(left) != len(right):
        st.error(f"The lists must have the same length (they have {len(left)} and "
                 f"{len(right)} words): the distance is taken between the i-th words of each.")
    elif not left:
        st.info("Type words in both lists.")
    else:
        table = paired_distances(embedding, left, right)
        oov_report(embedding, [*left, *right], "your lists")
        shown = table.assign(pair=table["a"] + " – " + table["b"])
        columns = ["a", "b", "distance"] + (["reason"] if table["reason"].notna().any() else [])
        st.dataframe(shown[columns], hide_index=True,
                     column_config={"distance": st.column_config.NumberColumn(format="%.4f")})
        csv_download(table, "distances.csv", key="csv-pairs")
        valid = shown.dropna(subset=["distance"])
        if not valid.empty:
            fig = shared_figure("distances", embedding, {"left": left, "right": right},
                                lambda: px.bar(valid, x="pair", y="distance", text_auto=".4f",
                                               labels={"pair": "", "distance": "1 − cos"}))
            plot(fig, "distances", ready=True)


screens.section(1)


@part("distances_matrix")
def _matrix() -> None:
    bind_all({"dist_matrix_words": str})
    words = word_list_input("Words", list(COURSE_WORDS), key="dist_matrix_words")
    report = oov_report(embedding, words)
    if len(report.found) < 2:
        st.info("Give at least two words that are in the vocabulary.")
        return
    matrix = distance_matrix(embedding, words)

    def heatmap():
        fig = px.imshow(matrix, color_continuous_scale="RdBu", zmin=0, zmax=1.2, aspect="auto",
                        labels={"color": "1 − cos"})
        fig.update_layout(height=max(420, 22 * len(matrix)))
        return fig

    plot(shared_figure("distance_heatmap", embedding, {"words": words}, heatmap),
         "distance_heatmap", ready=True)
    csv_download(matrix, "distance_matrix.csv", index=True, key="csv-matrix")
