"""Bias metrics: WEAT, RND, RNSB, MAC, ECT and RIPA on a built-in WEAT test or your own sets."""

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard.components import presentation
from dashboard.components.downloads import csv_download, plot
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.links import bind_all
from dashboard.components.links import choice as url_choice
from dashboard.components.wordlists import word_groups_input
from rnncore.bias import wordsets
from rnncore.bias.query import Query
from rnncore.bias.scores import MEANING, METRICS, NAMES, NO_BIAS, TEMPLATES, score_all

CUSTOM = "custom"
RESULT = "metrics_result"

st.title("Bias metrics")
presentation.intro("bias_metrics")
embedding = current_embedding()

bind_all({"metrics_lists": url_choice(wordsets.LIST_SOURCES), "metrics_chosen": url_choice(
    METRICS, multi=True), "metrics_seed": (0, 2**31 - 1), "metrics_seeds": (1, 50),
    "metrics_lowercase": bool})  # in the URL
cols = st.columns([3, 2])
source = cols[1].radio("Word lists of the WEAT tests", list(wordsets.LIST_SOURCES),
                       format_func=lambda s: "the paper's (Caliskan et al.)" if s == "paper"
                       else "WEFE's", horizontal=True, key="metrics_lists")
tests = wordsets.weat_tests(source)
choice = cols[0].selectbox("Query", [*tests, CUSTOM], key="metrics_test",
                           format_func=lambda k: "Your own sets" if k == CUSTOM
                           else f"{k.upper()} · {tests[k].title}")
st.caption(f"Lists: {wordsets.LIST_SOURCES[source]}.")
template = tests[choice] if choice != CUSTOM else tests["weat6"]
groups = word_groups_input(
    "Sets: the first two are the targets, the rest the attributes (one line per set: "
    "`name: words`; or a .csv with one column per set)",
    {template.x_name: template.x, template.y_name: template.y, template.a_name: template.a,
     template.b_name: template.b},
    key=f"metrics_sets_{source}_{choice}", height=180)

if choice != CUSTOM:
    left_out = pd.DataFrame(wordsets.dropped_words(tests[choice], embedding),
                            columns=["set", "role", "word", "reason", "correction"])
    if len(left_out):
        st.markdown(f"**Words of this test's list left out or corrected** on the active "
                    f"embedding ({len(left_out)}):")
        st.dataframe(left_out.drop(columns="role"), hide_index=True, key="metrics_left_out")
    else:
        st.caption("Every word of this test's list is used.")

metrics = st.multiselect("Metrics", list(METRICS), default=list(METRICS),  # a row of its
                         format_func=NAMES.get, key="metrics_chosen")  # own: no name cut
cols = st.columns(3)
seed = cols[0].number_input("RNSB seed", 0, 2**31 - 1, 0, key="metrics_seed")
n_seeds = cols[1].number_input("RNSB seeds for the spread", 1, 50, 10, key="metrics_seeds")
lowercase = cols[2].checkbox("Try lower case", key="metrics_lowercase",
                             help="Look a word up in lower case when it is missing as "
                                  "written (WEFE's lowercase preprocessor), e.g. for GloVe.")

sets = list(groups.groups.items())
if st.button("Compute the metrics", type="primary", key="metrics_run"):
    if len(sets) < 3:
        st.error(f"Give at least three sets: two target sets and one attribute set (got "
                 f"{len(sets)}).")
        st.stop()
    query = Query.build(dict(sets[:2]), dict(sets[2:]))
    with st.spinner("Scoring…"):
        results = score_all(embedding, [query], metrics or list(METRICS), seed=int(seed),
                            seeds=range(int(n_seeds)) if n_seeds > 1 else (),
                            lowercase=lowercase)
    st.session_state[RESULT] = (embedding.sha256, query, results)

stored = st.session_state.get(RESULT)
if not stored or stored[0] != embedding.sha256:
    st.info("Press **Compute the metrics**.")
    st.stop()
_, query, results = stored
table = pd.DataFrame([{
    "metric": NAMES[r.metric], "query": r.query, "value": r.value,
    "no-bias value": NO_BIAS[r.metric],
    "RNSB mean over seeds": r.spread["mean"] if r.spread else None,
    "RNSB sd over seeds": r.spread["sd"] if r.spread else None,
    "WEAT effect size (WEFE, population sd)": r.details.get("effect_size_ddof0"),
    "WEAT effect size (sample sd)": r.details.get("effect_size_ddof1"),
    "RND summed (Garg et al.)": r.details.get("sum (Garg et al.)"),
    "note": r.note} for r in results])
skipped = [NAMES[m] for m in metrics if not any(r.metric == m for r in results)]
if skipped:
    st.warning(f"Not computed: {', '.join(skipped)} (needs "
               + "; ".join(f"{NAMES[m]}: {TEMPLATES[m][0] or 'any number of'} target and "
                           f"{TEMPLATES[m][1] or 'any number of'} attribute sets"
                           for m in metrics if NAMES[m] in skipped) + ").")
dropped = {name: words for r in results for name, words in r.dropped.items() if words}
if dropped:
    st.markdown("**Not in the vocabulary** (left out):")
    st.dataframe(pd.DataFrame([{"set": k, "words": ", ".join(v)} for k, v in dropped.items()]),
                 hide_index=True, key="metrics_oov")
SHORT = {"no-bias value": "no bias", "RNSB mean over seeds": "RNSB mean",
         "RNSB sd over seeds": "RNSB sd", "WEAT effect size (WEFE, population sd)": "d (pop.)",
         "WEAT effect size (sample sd)": "d (sample)", "RND summed (Garg et al.)": "RND sum"}
# short headers (the full name on hover): every column fits 1400 px
shown = table.replace("", None).dropna(axis=1, how="all")  # no empty note column
lead = [c for c in ("metric", "query", "value", "no-bias value", "note") if c in shown]
shown = shown[[*lead, *(c for c in shown.columns if c not in lead)]]  # a note before details
st.dataframe(shown, hide_index=True, key="metrics_table", placeholder="–", column_config={
    "metric": st.column_config.TextColumn(width=60),
    "query": st.column_config.TextColumn(width=300),
    "note": st.column_config.TextColumn(width="medium"),
    **{c: st.column_config.NumberColumn(SHORT.get(c), format="%.5f", help=c,
                                        width=75 if c in ("value", "no-bias value") else 85)
       for c in shown.columns if c not in ("metric", "query", "note")}})
csv_download(table, "bias_metrics.csv", key="csv-metrics")

chart = table.dropna(subset=["value"]).assign(
    attributes=lambda t: "wrt " + t["query"].str.split(" wrt ").str[-1],
    distance=lambda t: t["value"] - t["no-bias value"])
if len(chart):
    fig = px.bar(chart, x="distance", y="attributes", facet_col="metric",
                 facet_col_wrap=1, orientation="h", facet_row_spacing=0.35 / len(
                     chart["metric"].unique()), text_auto=".3g",
                 title=f"{query.name.split(' wrt ')[0]}: each metric's distance "
                       "from its no-bias value (0 = no bias)",
                 labels={"distance": "", "attributes": ""})
    fig.update_traces(marker_color="#4D4D4D", textposition="outside", cliponaxis=False)
    for trace in fig.data:  # one per metric: its axis from 0, with room for the value's text
        low, high = min(0.0, float(min(trace.x))), max(0.0, float(max(trace.x)))
        span = (high - low) or 1.0  # 0 stays inside, its tick and line visible
        fig.layout["xaxis" + trace.xaxis[1:]].range = [
            low - (0.3 if low < 0 else 0.06) * span, high + (0.3 if high > 0 else 0.06) * span]
    fig.update_xaxes(matches=None, showticklabels=True, zeroline=True, zerolinewidth=2,
                     zerolinecolor="#4D4D4D")
    fig.update_yaxes(matches=None, showticklabels=True)
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    per_row = 70 + 28 * chart["attributes"].nunique()
    fig.update_layout(showlegend=False, height=120 + chart["metric"].nunique() * per_row)
    plot(fig, "bias_metrics")
with st.expander("What each number means"):
    st.dataframe(pd.DataFrame([{"metric": NAMES[m], "template (targets × attributes)":
                                f"{TEMPLATES[m][0] or 'n'} × {TEMPLATES[m][1] or 'n'}",
                                "definition": MEANING[m]} for m in METRICS]),
                 hide_index=True, key="metrics_meaning")
