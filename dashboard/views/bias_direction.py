"""Bias direction & projections: a dimension's direction, words projected on it, the spread."""

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard.components import presentation, style
from dashboard.components.downloads import csv_download, plot
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.links import bind_all
from dashboard.components.links import choice as url_choice
from dashboard.components.safe import show
from dashboard.components.shared_results import shared_result
from dashboard.components.variance_chart import explained_variance_bars
from dashboard.components.wordlists import oov_panel, word_groups_input
from rnncore.bias import (
    bias_direction,
    bias_subspace,
    dimensions,
    direct_bias,
    extremes,
    generate_analogies,
    project,
    two_axis,
    wordsets,
)
from rnncore.explain import direct_bias_verdict

METHOD_LABELS = {"pca": "PCA of the centred pairs (Bolukbasi et al.)",
                 "mean": "Mean of the pair differences", "pair": "One pair (the first)"}
PAIRS_KEY = "bias_pairs"  # read by the Debias & audit page
ANALOGIES_KEY = "bias_analogies_result"  # not the form's key: that one belongs to the widget
DIMENSION_LABELS = {"gender": "gender (pairs)", "race": "race (Manzini et al.)",
                    "religion": "religion (Manzini et al.)", "custom": "your own groups"}

st.title("Bias direction & projections")
presentation.intro("bias_direction")
embedding = current_embedding()

bind_all({"bias_dimension": url_choice(DIMENSION_LABELS), "bias_pairs_in_text": str,
          "bias_method": url_choice(METHOD_LABELS), "bias_words_text": str,
          "bias_groups_text": str, "bias_n_extreme": (3, 30), "bias_an_n": (10, 100),
          "bias_an_delta": (0.5, 1.2), "bias_an_vocab": url_choice([2000, 5000, 10000, 20000])})
screens = presentation.Screens("bias_direction", [
    "1 · Dimension, groups and method", "2 · Projections", "3 · Two axes", "4 · Analogies"])
screens.section(0)
dim_key = st.radio("Dimension", list(DIMENSION_LABELS), format_func=DIMENSION_LABELS.get,
                   horizontal=True, key="bias_dimension",
                   help="race and religion: Manzini et al. 2019's defining sets; your groups: "
                        "any number of groups, the i-th words of each forming one set")
if dim_key == "gender":
    dimension = dimensions.builtin("gender")
    female, male = wordsets.female_definitional(), wordsets.male_definitional()
    groups = word_groups_input(
        "Pairs: two groups, matched by position (upload a .csv with two columns)",
        {"female": female, "male": male}, key="bias_pairs_in", height=110)
    method = st.radio("Method", list(METHOD_LABELS), format_func=METHOD_LABELS.get,
                      horizontal=True, key="bias_method")
    lists = list(groups.groups.values())
    if len(lists) != 2 or len(lists[0]) != len(lists[1]) or not lists[0]:
        st.error("Give exactly two groups of the same length: the i-th words form a pair "
                 f"(got {len(lists)} group(s) of lengths {[len(x) for x in lists]}).")
        st.stop()
    pairs = list(zip(lists[0], lists[1], strict=True))
    try:
        direction = bias_direction(embedding, pairs, method)
    except ValueError as exc:
        st.error(f"No direction: {show(exc)}.")
        st.stop()
    st.session_state[PAIRS_KEY] = list(direction.pairs) if method != "pair" else pairs
    if direction.dropped:
        st.warning("Pairs with a word not in the vocabulary were left out: "
                   + ", ".join(f"{show(a)}–{show(b)}" for a, b in direction.dropped),
                   icon=":material/help:")
    st.caption(f"Direction from {len(direction.pairs)} pair(s); positive = "
               f"**{show(direction.positive_end)}** side, negative = "
               f"**{show(direction.negative_end)}** side.")
else:
    try:
        if dim_key == "custom":
            own = word_groups_input(
                "Your groups: one line per group (`name: w1, w2, …`) or a .csv with one column "
                "per group; the i-th words of the groups form one defining set",
                {"christian": ["church", "bible", "priest"],
                 "muslim": ["mosque", "quran", "imam"], "jewish": ["synagogue", "torah", "rabbi"]},
                key="bias_own_groups", height=110)
            dimension = dimensions.from_groups(own)
        else:
            dimension = dimensions.builtin(dim_key)
        subspace = bias_subspace(embedding, dimension)
    except ValueError as exc:
        st.error(f"No subspace: {show(exc)}.")
        st.stop()
    st.dataframe(pd.DataFrame(dimension.defining_sets, columns=list(dimension.groups)),
                 hide_index=True, key="bias_defining_sets")
    if subspace.dropped:
        st.warning("Sets with a word not in the vocabulary were left out: "
                   + "; ".join(", ".join(map(show, s)) for s in subspace.dropped),
                   icon=":material/help:")
    component = st.radio("Component to project on", range(subspace.n_components),
                         format_func=lambda i: f"PC{i + 1}", horizontal=True,
                         key="bias_component")
    direction = subspace.direction(embedding, component)
    st.caption(f"{len(dimension.groups)} groups span at most {len(dimension.groups) - 1} "
               f"directions (PCA of {len(subspace.sets)} centred sets). PC{component + 1}: "
               f"positive = **{show(direction.positive_end)}** side, negative = "
               f"**{show(direction.negative_end)}** side (the groups whose words project "
               "highest and lowest)." + (f" Source: {show(dimension.source)}."
                                         if dimension.source else ""))
if direction.explained_variance_ratio:
    explained_variance_bars(direction.explained_variance_ratio, "explained_variance")
    if dim_key != "gender":
        share = sum(direction.explained_variance_ratio[:len(dimension.groups) - 1])
        st.info(f"The first {len(dimension.groups) - 1} components explain {share:.1%} of the "
                "variance of the centred sets.")
    elif direction.warning:
        st.warning(f"Weak direction: {show(direction.warning)}.", icon=":material/warning:")
    else:
        st.success(f"The first component explains {direction.explained_variance_ratio[0]:.1%} "
                   "of the variance: the pairs share one clear direction.")

screens.section(1)
measured = list(dimension.neutral_words) or list(wordsets.neutral_professions())
words_key = "bias_words" if dim_key == "gender" else f"bias_words_{dim_key}"
words_in = word_groups_input("Words to project (by default the dimension's measured words: "
                             "neutral professions for gender, Manzini et al.'s stereotype "
                             "words for race and religion)", measured, key=words_key, height=90)
report = oov_panel(embedding, words_in, key=words_key)
if report is not None:
    words = list(dict.fromkeys(w for ws in report.resolved.values() for w in ws))
    table = project(embedding, words, direction)
    cols = st.columns(2)
    value = direct_bias(embedding, words, direction)
    cols[0].metric("DirectBias (c = 1) of these words", f"{value:.4f}")
    cols[0].caption(direct_bias_verdict(value) + ".")
    n = cols[1].slider("Extreme words per side", 3, 30, 10, key="bias_n_extreme")
    ends = extremes(table, n, direction.positive_end, direction.negative_end)
    fig = px.bar(ends.iloc[::-1], x="projection", y="word", color="side", orientation="h",
                 color_discrete_map=style.colour_map(ends["side"]),
                 labels={"projection": f"cos(w, g)  ({direction.negative_end} ← → "
                                       f"{direction.positive_end})", "word": ""})
    fig.update_layout(height=max(360, 22 * len(ends)))
    plot(style.legend_on_top(fig), "projections_extremes")
    csv_download(table, "projections.csv", key="csv-projections")

screens.section(2, "3 · Two axes: the direction and what remains")
presentation.intro("bias_direction-two-axes", "How to read this picture")
extreme_words = extremes(project(embedding, measured, direction), 8)
if dim_key == "gender":
    default_groups = {
        f"{direction.positive_end} words": [a for a, _ in direction.pairs],
        f"{direction.negative_end} words": [b for _, b in direction.pairs],
    }
else:
    default_groups = {name: list(dict.fromkeys(s[i] for s in dimension.defining_sets))
                      for i, name in enumerate(dimension.groups)}
default_groups["measured words (extreme)"] = list(extreme_words["word"])
groups_key = "bias_groups" if dim_key == "gender" else f"bias_groups_{dim_key}"
groups2 = word_groups_input("Groups to draw (one line per group: `name: words`)",
                            default_groups, key=groups_key, height=110)
report2 = oov_panel(embedding, groups2, key=groups_key)
if report2 is not None:
    try:
        points = two_axis(embedding, report2.resolved, direction)
    except ValueError as exc:
        st.info(show(exc))
    else:
        fig = px.scatter(points, x="x", y="y", color="group", text="word", hover_name="word",
                         color_discrete_map=style.colour_map(points["group"]),
                         labels={"x": "projection on the bias direction",
                                 "y": "first PC of the remainder"})
        fig.update_layout(height=520)
        plot(style.legend_on_top(style.label_points(fig)), "two_axis")
        if note := style.hidden_note(fig):
            st.caption(show(note))  # words of the user's list: never Markdown
        st.caption("Labels that would overlap another are left out: hover a dot for its word.")
        csv_download(points, "two_axis.csv", key="csv-two-axis")

screens.section(3, f"4 · Generated analogies ({show(direction.positive_end)} : "
                   f"{show(direction.negative_end)} :: x : y)")
st.caption(presentation.page_texts()["bias_direction-generated-analogies"])
with st.form("bias_analogies_form"):
    cols = st.columns(3)
    n_pairs = cols[0].slider("Pairs", 10, 100, 30, key="bias_an_n")
    delta = cols[1].slider("δ (max distance)", 0.5, 1.2, 1.0, 0.05, key="bias_an_delta")
    restrict = cols[2].select_slider("Most frequent words used", [2000, 5000, 10000, 20000],
                                     value=5000, key="bias_an_vocab")
    go = st.form_submit_button("Generate analogies")
if go:
    bar = st.progress(0.0, text="Scoring pairs…")
    found = shared_result(  # one read-only table per (embedding, pairs, settings) per server
        "generated_analogies", embedding, {"pairs": list(direction.pairs), "method": method,
                                           "n": n_pairs, "delta": delta, "vocab": restrict},
        lambda: generate_analogies(embedding, direction, n_pairs, delta, restrict,
                                   progress=lambda f, m: bar.progress(min(f, 1.0), text=m)))
    bar.empty()
    st.session_state[ANALOGIES_KEY] = (embedding.sha256, found)
stored = st.session_state.get(ANALOGIES_KEY)
if stored and stored[0] == embedding.sha256:
    found = stored[1].rename(columns={"x": direction.positive_end + " : x",
                                      "y": direction.negative_end + " : y"})
    st.dataframe(found, hide_index=True,
                 column_config={"score": st.column_config.NumberColumn(format="%.3f"),
                                "distance": st.column_config.NumberColumn(format="%.3f")})
    csv_download(stored[1], "generated_analogies.csv", key="csv-analogies")
