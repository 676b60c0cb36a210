"""Benchmarks: analogy accuracy and word-similarity correlations for the active embedding."""

import plotly.express as px
import streamlit as st

from dashboard.components.downloads import csv_download, plot
from dashboard.components.embedding_picker import current_embedding
from rnncore.embeddings import BENCHMARKS, METHODS, AnalogyEvaluation, BenchmarkRun, run_benchmarks


@st.cache_resource(show_spinner=False)
def _runs() -> dict[tuple, BenchmarkRun]:
    """Finished runs shared by every session, keyed by (embedding sha256, settings)."""
    return {}


st.title("Benchmarks")
st.markdown(
    "Intrinsic evaluation with gensim's rules: analogies are solved with 3CosAdd (or 3CosMul) "
    "over the first *N* words, case-insensitively, input words excluded; word-pair sets are "
    "scored by the Spearman correlation between cosine similarity and human ratings. "
    "Questions and pairs with a missing word are skipped and counted: **coverage** is the "
    "share that was evaluated, so compare embeddings only at similar coverage. SimLex-999 "
    "rates *similarity* (coffee–cup low), WordSim-353, MEN and MTurk mix in *relatedness*.")
embedding = current_embedding()
st.caption(f"Active embedding: **{embedding.name}** ({len(embedding):,} words)")

with st.form("bench"):
    keys = st.multiselect("Benchmarks", list(BENCHMARKS), default=list(BENCHMARKS),
                          format_func=lambda k: BENCHMARKS[k].name, key="bench_keys")
    cols = st.columns(2)
    method = cols[0].radio("Analogy method", list(METHODS), format_func=METHODS.get,
                           horizontal=True, key="bench_method")
    restrict = cols[1].number_input("Only the first N words take part (gensim: 300,000)",
                                    min_value=1000, value=300_000, step=10_000,
                                    key="bench_restrict")
    submitted = st.form_submit_button("Run benchmarks", type="primary")

settings = (embedding.sha256, tuple(keys), method, int(restrict))
runs = _runs()
stored = settings in runs
if submitted and keys and not stored:
    bar = st.progress(0.0, text="Starting…")
    runs[settings] = run_benchmarks(
        embedding, list(keys), method, int(restrict),
        progress=lambda f, msg: bar.progress(min(max(f, 0.0), 1.0), text=msg))
    bar.empty()
    while len(runs) > 32:  # keep the store small: drop the oldest runs
        runs.pop(next(iter(runs)))
if not keys:
    st.info("Pick at least one benchmark.")
    st.stop()
run = runs.get(settings)
if run is None:
    st.info("Press **Run benchmarks** (the analogies take a few seconds on the default "
            "embedding, longer on GloVe). Results are kept per embedding for everyone.")
    st.stop()

table = run.table()
st.subheader("Results")
if stored:
    st.caption("Stored result from an earlier run on this embedding (same sha256 and "
               "settings), shared by every session.")
st.dataframe(
    table[["name", "metric", "value", "coverage", "evaluated", "total", "skipped_oov"]],
    hide_index=True, column_config={
        "value": st.column_config.NumberColumn(format="%.4f"),
        "coverage": st.column_config.ProgressColumn(format="percent", min_value=0.0,
                                                    max_value=1.0)})
csv_download(table, f"benchmarks_{embedding.name}.csv", key="csv-bench")
fig = px.bar(table, x="name", y="value", color="metric", text_auto=".3f",
             hover_data={"coverage": ":.1%", "evaluated": True, "total": True},
             labels={"name": "", "value": "accuracy / Spearman ρ"})
fig.update_yaxes(range=[min(0.0, float(table["value"].min())), 1.0])
plot(fig, f"benchmarks_{embedding.name}")

for key, result in run.results.items():
    if isinstance(result, AnalogyEvaluation):
        with st.expander(f"{BENCHMARKS[key].name}: accuracy per section"):
            st.dataframe(result.sections, hide_index=True, column_config={
                "accuracy": st.column_config.NumberColumn(format="%.4f"),
                "coverage": st.column_config.NumberColumn(format="%.3f")})
            csv_download(result.sections, f"{key}_sections.csv", key=f"csv-{key}-sections")
            wrong = result.questions[result.questions["predicted"].notna()
                                     & ~result.questions["correct"]]
            csv_download(wrong, f"{key}_mistakes.csv", label="Download the mistakes (CSV)",
                         key=f"csv-{key}-wrong")
            sections = result.sections.iloc[:-1]
            fig = px.bar(sections, x="accuracy", y="section", orientation="h",
                         hover_data={"coverage": ":.1%", "evaluated": True},
                         labels={"section": ""})
            fig.update_yaxes(autorange="reversed")
            plot(fig, f"{key}_sections")
    elif result.missing_words:
        with st.expander(f"{BENCHMARKS[key].name}: {len(result.missing_words)} missing words"):
            st.write(", ".join(result.missing_words[:300]))
            csv_download(result.pairs, f"{key}_pairs.csv", key=f"csv-{key}-pairs")
