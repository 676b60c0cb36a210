"""Embedding ranking: several embeddings scored on the WEAT tests with every metric, ranked."""

import plotly.express as px
import streamlit as st

from dashboard.components import presentation
from dashboard.components.downloads import csv_download, plot
from dashboard.components.embedding_picker import BUILTINS, builtin_embedding
from dashboard.components.links import bind_all
from dashboard.components.links import choice as url_choice
from dashboard.components.shared_results import shared_result
from rnncore.bias import wordsets
from rnncore.bias.ranking import builtin_queries, rank_embeddings, score_embeddings
from rnncore.bias.scores import METRICS, NAMES
from rnncore.constants import DEFAULT_EMBEDDING
from rnncore.shift.compare import debiased as shift_debiased

RESULT = "ranking_result"
HARD = "w2v-news-31k + hard debias"
UPLOADED = "embedding_uploaded"  # the sidebar picker's session upload
DEBIASED = "debias_result"  # the Debias & audit page's result in this session

st.title("Embedding ranking")
presentation.intro("ranking")

candidates = {name: name for name in BUILTINS} | {HARD: HARD}
upload = st.session_state.get(UPLOADED)
if upload is not None:
    candidates["upload"] = "your upload"
debiased = getattr((st.session_state.get(DEBIASED) or {}).get("report"), "after", None)
if debiased is not None:
    candidates["debiased"] = "debiased on the Debias & audit page"
bind_all({"ranking_embeddings": url_choice([*BUILTINS, HARD], multi=True),
          "ranking_lists": url_choice(wordsets.LIST_SOURCES), "ranking_metrics": url_choice(
              METRICS, multi=True), "ranking_seed": (0, 2**31 - 1), "ranking_lowercase": bool})
cols = st.columns([3, 2])
chosen = cols[0].multiselect("Embeddings", list(candidates), default=[*BUILTINS, HARD],
                             format_func=candidates.get, key="ranking_embeddings")
source = cols[1].radio("Word lists", list(wordsets.LIST_SOURCES), horizontal=True,
                       format_func=lambda s: "the paper's" if s == "paper" else "WEFE's",
                       key="ranking_lists")
cols = st.columns([3, 1, 2])
metrics = cols[0].multiselect("Metrics", list(METRICS), default=list(METRICS),
                              format_func=NAMES.get, key="ranking_metrics")
seed = cols[1].number_input("RNSB seed", 0, 2**31 - 1, 0, key="ranking_seed")
lowercase = cols[2].checkbox("Try lower case", value=True, key="ranking_lowercase",
                             help="GloVe's vocabulary is lower case: without this it misses "
                                  "every name and six of the ten tests cannot be scored.")


def _embedding(key: str):
    if key == "upload":
        return upload
    if key == "debiased":
        return debiased
    if key == HARD:
        base = builtin_embedding(DEFAULT_EMBEDDING)  # one shared copy per server (class models too)
        return shared_result("debiased", base, {"method": "hard"},  # the class models' copy
                             lambda: shift_debiased(base, "hard"), heavy=True)
    return builtin_embedding(key)


if st.button("Rank the embeddings", type="primary", key="ranking_run"):
    if len(chosen) < 2 or not metrics:
        st.error("Choose at least two embeddings and one metric.")
        st.stop()
    bar = st.progress(0.0, text="Loading the embeddings…")
    embeddings = {}
    for key in chosen:
        bar.progress(0.0, text=f"Preparing {candidates[key]}…")
        embeddings[candidates[key] if key in ("upload", "debiased") else key] = _embedding(key)
    scores = score_embeddings(embeddings, builtin_queries(source), metrics, seed=int(seed),
                              lowercase=lowercase,
                              progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
    bar.empty()
    st.session_state[RESULT] = (scores, rank_embeddings(scores))

stored = st.session_state.get(RESULT)
if not stored:
    st.info("Press **Rank the embeddings**.")
    st.stop()
scores, table = stored
st.subheader("Ranking")
st.dataframe(table, hide_index=True, key="ranking_table", column_config={
    c: st.column_config.NumberColumn(format="%.4f") for c in table.columns
    if c.endswith(("bias", "(WEFE)"))})
st.caption("Bias = mean distance from the metric's no-bias value (0; 1 for MAC and ECT). WEFE "
           "ranks by mean |score|, which for MAC and ECT favours the more biased embedding: its "
           "value is shown beside ours.")
csv_download(table, "embedding_ranking.csv", key="csv-ranking")
ranks = table.melt(id_vars="embedding", value_vars=[c for c in table if c.endswith(" rank")
                                                    and c != "overall rank"],
                   var_name="metric", value_name="rank")
ranks["metric"] = ranks["metric"].str.removesuffix(" rank")
fig = px.bar(ranks, x="rank", y="embedding", color="metric", orientation="h",
             labels={"rank": "sum of the ranks (shorter = less biased)", "embedding": ""})
fig.update_layout(yaxis={"categoryorder": "total descending"}, height=220 + 40 * len(table))
plot(fig, "embedding_ranking")
unscored = scores[scores["value"].isna()]
if len(unscored):
    st.warning(f"{len(unscored)} of {len(scores)} scores could not be computed (a set lost "
               "more than 20 % of its words); the table below says which.")
with st.expander("Every score"):
    st.dataframe(scores.assign(metric=scores["metric"].map(NAMES)), hide_index=True,
                 key="ranking_scores")
    csv_download(scores, "embedding_ranking_scores.csv", key="csv-ranking-scores")
