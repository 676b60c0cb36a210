"""Neighbours & analogies: nearest words with distances, and a : b :: c : ? shown honestly."""

import plotly.express as px
import streamlit as st

from dashboard.components import presentation
from dashboard.components.downloads import csv_download, plot, shared_figure
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.fragments import part
from dashboard.components.links import bind, bind_all
from dashboard.components.links import choice as url_choice
from dashboard.components.safe import show
from dashboard.components.shared_results import shared_result
from dashboard.components.wordlists import oov_panel, word_groups_input
from rnncore.embeddings import METHODS, analogy, neighbour_lists

PRESETS = {
    "man : king :: woman : ?": ("man", "king", "woman"),
    "man : programmer :: woman : ? (Bolukbasi et al. 2016)": ("man", "programmer", "woman"),
    "man : doctor :: woman : ?": ("man", "doctor", "woman"),
    "France : Paris :: Italy : ?": ("France", "Paris", "Italy"),
    "he : brilliant :: she : ?": ("he", "brilliant", "she"),
}

st.title("Neighbours & analogies")
embedding = current_embedding()

screens = presentation.Screens("neighbours", ["Analogies: a is to b as c is to ?",
                                               "Nearest neighbours"])
screens.section(0)
presentation.intro("neighbours", "How the analogies are solved")


def _solve(a: str, b: str, c: str, topn: int, method: str) -> tuple:
    """Both answers (input words excluded, allowed), once per server for these inputs."""
    return shared_result("analogy_both", embedding, {"abc": [a, b, c], "topn": topn,
                                                     "method": method}, lambda: (
        analogy(embedding, a, b, c, topn, method),
        analogy(embedding, a, b, c, topn, method, allow_inputs=True)))


@part("neighbours_analogy")
def _analogy() -> None:
    bind_all({"analogy_preset": url_choice(PRESETS), "analogy_method": url_choice(METHODS),
              "analogy_topn": (1, 30)})  # in the URL
    preset = st.selectbox("Examples", list(PRESETS), key="analogy_preset")
    for slot in "abc":  # the three words of the analogy, in the URL too
        bind(f"analogy_{slot}_{preset}", f"analogy_{slot}")
    with st.form("analogy"):
        cols = st.columns(3)
        a = cols[0].text_input("a", PRESETS[preset][0], key=f"analogy_a_{preset}")
        b = cols[1].text_input("b", PRESETS[preset][1], key=f"analogy_b_{preset}")
        c = cols[2].text_input("c", PRESETS[preset][2], key=f"analogy_c_{preset}")
        opts = st.columns(2)
        method = opts[0].radio("Method", list(METHODS), format_func=METHODS.get,
                               horizontal=True, key="analogy_method")
        topn = opts[1].slider("Answers", 1, 30, 10, key="analogy_topn")
        st.form_submit_button("Solve", type="primary")

    if not (a.strip() and b.strip() and c.strip()):
        st.info("Type the three words a, b and c.")
        return
    try:
        excluded, allowed = _solve(a.strip(), b.strip(), c.strip(), int(topn), method)
    except (KeyError, ValueError) as exc:
        st.error(show(exc.args[0] if exc.args else exc), icon=":material/help:")
        return
    if any(k != v for k, v in excluded.resolved.items()):
        st.caption("Resolved: " + ", ".join(f"{k} → {v}" for k, v in
                                            excluded.resolved.items() if k != v))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Input words excluded** (the usual convention): "
                    f"**{show(excluded.answers[0][0])}**")
        if excluded.best_is_input:
            st.warning(f"The best word overall is the input word "
                       f"**{show(excluded.best_overall[0])}** "
                       f"({excluded.best_overall[1]:.3f}); it was excluded.",
                       icon=":material/visibility_off:")
        st.dataframe(excluded.table(), hide_index=True,
                     column_config={"score": st.column_config.NumberColumn(format="%.4f")})
        csv_download(excluded.table(), "analogy_inputs_excluded.csv", key="csv-an-ex")
    with right:
        st.markdown(f"**Input words allowed**: **{show(allowed.answers[0][0])}**")
        st.dataframe(allowed.table(), hide_index=True,
                     column_config={"score": st.column_config.NumberColumn(format="%.4f")})
        csv_download(allowed.table(), "analogy_inputs_allowed.csv", key="csv-an-al")
    st.info(show(excluded.note()), icon=":material/info:")


screens.section(1)


def _chart(table, words: list[str]):
    shown = table[table["word"].isin(words[:6])]
    fig = px.bar(shown, x="distance", y="neighbour", facet_col="word", facet_col_wrap=3,
                 orientation="h", labels={"distance": "1 − cos", "neighbour": ""},
                 hover_data={"similarity": ":.4f", "distance": ":.4f"})
    fig.update_yaxes(matches=None, autorange="reversed", showticklabels=True)
    fig.update_layout(height=320 * ((min(len(words), 6) + 2) // 3))
    return fig


@part("neighbours_lists")
def _neighbours() -> None:
    bind_all({"neigh_text": str, "neigh_topn": (1, 50)})
    st.caption("The closest words by cosine, with the distance $d = 1 - \\cos$.")
    groups = word_groups_input("Words", ["king", "nurse", "programmer"], key="neigh")
    report = oov_panel(embedding, groups, key="neigh")
    topk = st.slider("Neighbours per word", 1, 50, 10, key="neigh_topn")
    if report is None:
        return
    words = list(dict.fromkeys(w for ws in report.resolved.values() for w in ws))
    params = {"words": words, "topk": int(topk)}
    table = shared_result("neighbour_lists", embedding, params,
                          lambda: neighbour_lists(embedding, words, topk))
    st.dataframe(table, hide_index=True,
                 column_config={"similarity": st.column_config.NumberColumn(format="%.4f"),
                                "distance": st.column_config.NumberColumn(format="%.4f")})
    csv_download(table, "neighbours.csv", key="csv-neigh")
    if len(words) > 6:
        st.caption(f"The chart shows the first 6 of {len(words)} words; the table has all.")
    plot(shared_figure("neighbours", embedding, params, lambda: _chart(table, words)),
         "neighbours", ready=True)
