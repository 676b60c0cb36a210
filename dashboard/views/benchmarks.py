"""Benchmarks: analogy accuracy and word-similarity correlations for the active embedding."""

import plotly.express as px
import streamlit as st

from dashboard.components import presentation
from dashboard.components.downloads import csv_download, plot
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.links import bind_all
from dashboard.components.links import choice as url_choice
from dashboard.components.safe import show
from dashboard.components.shared_results import peek, shared_result
from rnncore.embeddings import (
    BENCHMARKS,
    METHODS,
    AnalogyEvaluation,
    BenchmarkRun,
    evaluate_analogies,
    parse_analogies,
    run_benchmarks,
)
from rnncore.embeddings.benchmarks import MAX_QUESTION_BYTES, questions_from_bytes
from rnncore.inputs import InputError, check_size


def show_run(run: BenchmarkRun, stored: bool) -> None:
    """The summary table and chart, then per-benchmark details."""
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
                show_sections(result, key)
        elif result.missing_words:
            with st.expander(f"{BENCHMARKS[key].name}: {len(result.missing_words)} "
                             "missing words"):
                st.write(", ".join(result.missing_words[:300]))
                csv_download(result.pairs, f"{key}_pairs.csv", key=f"csv-{key}-pairs")


def show_sections(result: AnalogyEvaluation, key: str) -> None:
    """Accuracy per section as a table and a chart, and the mistakes as CSV."""
    st.dataframe(result.sections, hide_index=True, column_config={
        "accuracy": st.column_config.NumberColumn(format="%.4f"),
        "coverage": st.column_config.NumberColumn(format="%.3f")})
    csv_download(result.sections, f"{key}_sections.csv", key=f"csv-{key}-sections")
    wrong = result.questions[result.questions["predicted"].notna()
                             & ~result.questions["correct"]]
    csv_download(wrong, f"{key}_mistakes.csv", label="Download the mistakes (CSV)",
                 key=f"csv-{key}-wrong")
    fig = px.bar(result.sections.iloc[:-1], x="accuracy", y="section", orientation="h",
                 hover_data={"coverage": ":.1%", "evaluated": True}, labels={"section": ""})
    fig.update_yaxes(autorange="reversed")
    plot(fig, f"{key}_sections")


st.title("Benchmarks")
presentation.intro("benchmarks")
embedding = current_embedding()
st.caption(f"Active embedding: **{show(embedding.name)}** ({len(embedding):,} words)")

bind_all({"bench_keys": url_choice(BENCHMARKS, multi=True), "bench_method": url_choice(
    METHODS), "bench_restrict": (1000, 10**9), "own_analogies": str})  # in the URL
screens = presentation.Screens("benchmarks", ["Benchmarks", "Your own analogy questions"])
screens.section(0, None)
with st.form("bench"):
    keys = st.multiselect("Benchmarks", list(BENCHMARKS), default=list(BENCHMARKS),
                          format_func=lambda k: BENCHMARKS[k].name, key="bench_keys")
    cols = st.columns(2)
    method = cols[0].radio("Analogy method", list(METHODS), format_func=METHODS.get,
                           horizontal=True, key="bench_method")
    restrict = cols[1].number_input(
        "Only the first N words take part (gensim's default: 300,000)", min_value=1000,
        value=max(1000, min(300_000, len(embedding))), step=10_000,
        key=f"bench_restrict_{embedding.sha256[:8]}",  # the default follows the embedding
        help=f"This embedding has {len(embedding):,} words; a larger N changes nothing.")
    submitted = st.form_submit_button("Run benchmarks", type="primary")

settings = {"keys": list(keys), "method": method, "restrict": int(restrict)}
run: BenchmarkRun | None = peek("benchmarks", embedding, settings)  # shared by every session
stored = run is not None
if submitted and keys and not stored:
    bar = st.progress(0.0, text="Starting…")
    run = shared_result("benchmarks", embedding, settings, lambda: run_benchmarks(
        embedding, list(keys), method, int(restrict),
        progress=lambda f, msg: bar.progress(min(max(f, 0.0), 1.0), text=msg)))
    bar.empty()

if not keys:
    st.info("Pick at least one benchmark.")
elif run is None:
    st.info("Press **Run benchmarks** (the analogies take a few seconds on the default "
            "embedding, longer on GloVe). Results are kept per embedding for everyone.")
else:
    show_run(run, stored)

screens.section(1)
st.caption("Lines `a b c d` (a is to b as c is to d), optionally under `: section` headers, "
            "as in Google's `questions-words.txt`. Evaluated like the benchmarks above.")
own_col, file_col = st.columns([3, 2])
own_text = own_col.text_area("Questions", "man king woman queen\nParis France Rome Italy",
                             key="own_analogies", height=120)
own_file = file_col.file_uploader("…or upload a .txt", type=["txt"], key="own_analogies_file",
                                  max_upload_size=MAX_QUESTION_BYTES // 2**20)
try:
    if own_file is not None:
        check_size(own_file.size, own_file.name, MAX_QUESTION_BYTES, "questions file")
        questions = questions_from_bytes(own_file.getvalue(), own_file.name)
    else:
        questions = parse_analogies(own_text)
except InputError as exc:
    st.error(f"Could not read the questions: {show(exc)}.")
    questions = parse_analogies("")
if questions.empty:
    st.info("No line with exactly four words yet.")
else:
    with st.spinner(f"Solving {len(questions):,} analogies…"):
        own = evaluate_analogies(embedding, questions, "your questions", method,
                                 int(restrict))
    evaluated = int(own.total["evaluated"])
    st.metric(f"Accuracy on {evaluated} of {len(questions)} questions",
              f"{own.accuracy:.1%}" if evaluated else "–",
              help="Only questions with all four words in the (restricted) vocabulary count.")
    if evaluated < len(questions):
        st.caption(f"{len(questions) - evaluated} question(s) not answered: a word is not in "
                   f"the embedding's first {int(restrict):,} words (see *not answered* below).")
    shown = own.questions.assign(predicted=[
        p if not m else f"not answered: {m} not in the vocabulary"
        for p, m in zip(own.questions["predicted"], own.questions["missing"], strict=True)],
        correct=[c if not m else None
                 for c, m in zip(own.questions["correct"], own.questions["missing"], strict=True)])
    show_cols = ["section", "a", "b", "c", "d", "predicted", "correct"]
    st.dataframe(shown[show_cols], hide_index=True)
    csv_download(own.questions, "my_analogies.csv", key="csv-own")
