"""Language model & pronouns: a word-level RNN LM on frozen word2vec; P(she) vs P(he) by job."""

import math

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard.components import presentation, style
from dashboard.components.class_models import (
    WORD_LABELS,
    class_pronoun_probe,
    class_word_lms,
    word_lms_apply,
)
from dashboard.components.downloads import csv_download, digest, plot, shared_figure
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.links import bind_all, private_model
from dashboard.components.links import choice as url_choice
from dashboard.components.safe import show
from dashboard.components.shared_results import shared_result
from dashboard.components.training import job_controls
from rnncore.bias import wordsets
from rnncore.bias.dimensions import BUILTIN
from rnncore.corpora import text as texts
from rnncore.debias.methods import METHODS as DEBIAS_METHODS
from rnncore.explain import WEAK_PERPLEXITY, correlation_verdict, perplexity_verdict
from rnncore.limits import limit
from rnncore.models.word_lm import WordLMConfig
from rnncore.probes.inputs import (
    ProbeInputError,
    lm_prompts,
    parse_templates,
    read_pairs,
    read_probe_file,
)
from rnncore.probes.lm import probe_pronouns
from rnncore.shift.compare import debiased
from rnncore.train.word_lm import UNK, LMSettings, lm_corpus, train_word_lm

JOB = "word_lm_job"
CORPORA = {"Rotten Tomatoes snippets": "snippets", "Hamlet": "hamlet",
           "Upload a .txt": "upload"}


@st.cache_data(show_spinner="Preparing the corpus…")
def builtin_corpus(name: str):
    return lm_corpus(name)


st.title("Language model & pronouns")
presentation.intro("word_lm")
embedding = current_embedding()
with presentation.explain("Why the output layer is tied"):
    st.info(
        "**Output layer tied to the frozen embedding** (default): the hidden state is mapped into "
        f"the {embedding.dim}-d word space and scored against the same word vectors, "
        "*logits = W·h · Eᵀ + b*. "
        "Every prediction then goes through the embedding's geometry: a word is likely when it "
        "points the way the context points, so a debias that moves *she* and *he* moves the "
        "predictions too. An untied layer would learn its own output vectors from the corpus and "
        "hide the embedding from the output side; tying also has far fewer parameters to train in "
        "a minute (Press & Wolf 2017; Inan et al. 2017).", icon=":material/link:")

bind_all({"wlm_corpus": url_choice([c for c in CORPORA if CORPORA[c] != "upload"]),
          "wlm_cell": url_choice(["gru", "lstm", "rnn"]), "wlm_seed": limit("seed").bounds(),
          "wlm_prompt": str})  # in the URL
screens = presentation.Screens("word_lm", ["1 · Corpus", "2 · Model and training",
                                            "3 · Generate", "4 · Pronoun probe"])
screens.section(0)
choice = st.radio("Text", list(CORPORA), horizontal=True, key="wlm_corpus")
corpus = None
if CORPORA[choice] == "upload":
    upload = st.file_uploader("A plain-text file (UTF-8, up to 5 MB)", type=["txt"],
                              max_upload_size=5, key="wlm_upload")
    if upload is not None:
        try:
            raw = texts.from_upload(upload.getvalue(), upload.name)
            corpus = lm_corpus(raw.name, raw.text)
        except ValueError as exc:
            st.error(f"Could not use **{show(upload.name)}**: {show(exc)}")
else:
    corpus = builtin_corpus(CORPORA[choice])
if corpus is not None:
    st.caption(f"{show(corpus.source)}: {len(corpus.train):,} training and {len(corpus.heldout):,} "
               "held-out sentences.")

screens.section(1)
with st.form("wlm_settings"):
    c1, c2, c3, c4 = st.columns(4)
    cell = c1.selectbox("Cell", ["gru", "lstm", "rnn"], key="wlm_cell")
    tie = c1.checkbox("Tie the output to the embedding", True, key="wlm_tie")
    hidden = c2.number_input("Hidden size", *limit("wordlm.hidden").bounds(),
                             WordLMConfig().hidden, step=32,
                             key="wlm_hidden")
    epochs = c3.number_input("Epochs", *limit("wordlm.epochs").bounds(), LMSettings().epochs,
                             key="wlm_epochs")
    seconds = c3.number_input("Time limit (s)", *limit("page_seconds").bounds(), 60,
                              key="wlm_seconds")
    seed = c4.number_input("Seed", *limit("seed").bounds(), 0, key="wlm_seed")
    vectors = c4.selectbox("Vectors", ["original", *DEBIAS_METHODS], key="wlm_vectors",
                           format_func=lambda m: "original" if m == "original"
                           else f"debiased: {DEBIAS_METHODS[m]}",
                           help="train on a debiased copy (made when training starts) to see "
                                "the bias shift; the probe keeps the original gender direction")
    lm_dimension = c4.selectbox("Dimension (multiclass, half-sibling regression)",
                                list(BUILTIN), key="wlm_dimension")
    st.form_submit_button("Use these settings", key="wlm_apply")

pairs_text = read_probe_file("pronoun_pairs.csv")
default_pairs = read_pairs("pronoun_pairs.csv")
professions = wordsets.neutral_professions()


def make_task():
    if corpus is None:
        raise ValueError("choose a corpus first")
    config = WordLMConfig(cell=cell, hidden=int(hidden), tie=tie)
    settings = LMSettings(epochs=int(epochs), seconds=float(seconds), seed=int(seed))
    trained_on, words = embedding, [*professions, *(w for p in default_pairs for w in p)]

    method, dimension = vectors, lm_dimension

    def task(report, should_stop):
        source = trained_on
        if method != "original":
            report({"fraction": 0.0, "message": f"debiasing ({method})"})
            source = debiased(trained_on, method, dimension)
        return train_word_lm(source, corpus, config, settings, words, report, should_stop)

    return task


def render(job) -> None:
    latest = job.latest or {}
    if not job.done:
        st.progress(min(latest.get("fraction", 0.0), 1.0),
                    f"epoch {latest.get('epoch', 1)}, loss {latest.get('train_loss', 0):.3f}, "
                    f"{latest.get('seconds', 0):.0f} s"
                    + (" — stopping…" if job.stop_requested else ""))
    steps = pd.DataFrame([u for u in job.updates if u.get("phase") == "train"])
    epochs_seen = pd.DataFrame([u for u in job.updates if u.get("phase") == "epoch"])
    if not steps.empty:
        fig = go.Figure()
        fig.add_scatter(x=steps["seconds"], y=np.exp(steps["train_loss"]),
                        name="training perplexity (running mean loss)")
        if not epochs_seen.empty:
            fig.add_scatter(x=epochs_seen["seconds"], y=epochs_seen["validation_perplexity"],
                            name="validation perplexity (5 % of the training sentences)",
                            mode="lines+markers")
        fig.update_layout(xaxis_title="seconds", yaxis_title="perplexity", height=340,
                          yaxis_type="log")
        plot(fig, "word_lm_perplexity")
    run = job.result
    if job.done and run is not None:
        c1, c2, c3 = st.columns(3)
        c1.metric("Held-out perplexity", f"{run.perplexity:.1f}")
        c2.metric("Vocabulary", f"{len(run.vocab):,} words")
        c3.metric("Held-out <unk> rate", f"{run.unk_rate:.1%}")
        st.caption("Perplexity = exp(mean negative log-likelihood per predicted word) on the "
                   "held-out sentences, `</s>` and `<unk>` included: "
                   + perplexity_verdict(run.perplexity) + ".")


if corpus is not None:
    job_controls(JOB, "Train", make_task, render)

job = st.session_state.get(JOB)
own = job.result if job is not None and job.done else None

screens.section(2)
with_classes = word_lms_apply(embedding, CORPORA[choice])
private_model("wlm_model", own is not None, instead=(
    "showing the class model instead (train your own above to replace it)" if with_classes
    else "train your own above"))
# the class models (trained once per server on the snippets, original and hard-debiased vectors)
classes = class_word_lms(embedding) if with_classes else {}
class_name = "wordlm-hard" if vectors == "hard" else "wordlm-original"
run = own if own is not None else classes.get(WORD_LABELS[class_name])
if own is None and run is not None:
    st.caption(f"The class model: the word LM on the snippets over the "
               f"{'hard-debiased' if vectors == 'hard' else 'original'} vectors, trained once "
               f"on this server; {perplexity_verdict(run.perplexity)}. The probe below "
               "compares both. Train your own above to replace it.")
if run is None:
    st.info("Train the model above first.")
else:
    g1, g2, g3, g4 = st.columns([3, 1, 1, 1])
    prompt = g1.text_input("Start with", "the film is", key="wlm_prompt")
    temperature = g2.number_input("Temperature", 0.05, 3.0, 0.8, step=0.05, key="wlm_temp")
    top_k = g3.number_input("Top-k (0 = all)", *limit("wordlm.top_k").bounds(), 20, key="wlm_topk")
    n = g4.number_input("Samples", *limit("wordlm.samples").bounds(), 3, key="wlm_n")
    unknown = [w for w in prompt.split() if run.vocab.id(w) == UNK]
    if unknown:
        st.warning("Read as `<unk>` (not in the LM's vocabulary): " + ", ".join(unknown),
                   icon=":material/help:")
    def samples() -> list[str]:
        return [run.generate(prompt, temperature=temperature, top_k=int(top_k) or None, seed=i)
                for i in range(int(n))]

    made = samples() if own is not None else shared_result(  # a class model: once per server
        "wordlm_samples", embedding, {"model": class_name, "perplexity": run.perplexity,
                                      "prompt": prompt, "temperature": float(temperature),
                                      "top_k": int(top_k), "n": int(n)}, samples)
    for sample in made:
        st.markdown(f"> **{show(prompt)}** {show(sample)}")

screens.section(3, "4 · Pronoun probe: P(she) vs P(he) after “the {profession} said that”")
with presentation.explain("How the probe works"):
    st.markdown(
        presentation.page_texts()["word_lm-pronoun-probe"])
p1, p2 = st.columns(2)
prompts_text = p1.text_area("Prompts ({} = the profession)", "\n".join(lm_prompts()),
                            height=160, key="wlm_prompts")
pairs_input = p2.text_area("Pairs (female,male per line)", pairs_text, height=160,
                           key="wlm_pairs")
try:
    prompts = parse_templates(prompts_text)
    lines = [line.split(",") for line in pairs_input.splitlines()[1:] if line.strip()]
    pairs = [(a.strip(), b.strip()) for a, b in (line for line in lines if len(line) == 2)]
    if not pairs:
        raise ProbeInputError("give at least one pair female,male under the header line")
except ProbeInputError as exc:
    st.error(show(exc))
    prompts, pairs = [], []

models = {**({"your model": own} if own is not None else {}), **classes}
if models and prompts and pairs:
    missing_pairs = [w for p in pairs for w in p if run.vocab.id(w) == UNK]
    if missing_pairs:
        st.warning("Not in the LM's vocabulary (their probability is not measured): "
                   + ", ".join(missing_pairs), icon=":material/help:")
    probes = {}
    with st.spinner(f"Asking the model about {len(professions)} professions…"):
        for label, lm in models.items():
            probes[label] = (class_pronoun_probe(label, lm, professions, prompts, pairs,
                                                 embedding) if label in classes else
                             probe_pronouns(lm.next_probabilities, lm.vocab.embedding,
                                            professions, prompts, pairs,
                                            lambda w, lm=lm: lm.vocab.id(w) != UNK,
                                            direction_embedding=embedding))
    probe = next(iter(probes.values()))
    if probe.note():
        st.warning(show(probe.note()), icon=":material/help:")
    for label, lm in models.items():  # a weak model's preferences are not findings
        if lm.perplexity > WEAK_PERPLEXITY:
            st.warning(f"{label}: {perplexity_verdict(lm.perplexity)}.",
                       icon=":material/warning:")
    summary = pd.concat([p.correlations.assign(model=m) for m, p in probes.items()],
                        ignore_index=True)
    st.dataframe(summary.rename(columns={
        "n": "professions", "mean_log_ratio": "mean log-ratio", "pearson_r": "Pearson r",
        "pearson_p": "p (Pearson)", "spearman_rho": "Spearman ρ", "spearman_p": "p (Spearman)"})
        [["model", "pair", "professions", "mean log-ratio", "Pearson r", "p (Pearson)",
          "Spearman ρ", "p (Spearman)"]], hide_index=True,
        column_config={c: st.column_config.NumberColumn(format="%.3f") for c in (
            "mean log-ratio", "Pearson r", "Spearman ρ")})
    for row in summary.to_dict("records"):
        first, second = row["pair"].split("/")
        st.caption(f"**{row['model']}**, {show(row['pair'])}: on average the model gives "
                   f"*{show(first if row['mean_log_ratio'] > 0 else second)}* "
                   f"{math.exp(abs(row['mean_log_ratio'])):.2f}× the probability of "
                   f"*{show(second if row['mean_log_ratio'] > 0 else first)}*; "
                   + show(correlation_verdict(row["pearson_r"], row["pearson_p"],
                                              int(row["n"]), "its pronoun preference",
                                              "a profession's place on the gender direction"))
                   + ".")
    s1, s2 = st.columns(2)
    shown = s1.selectbox("Model to plot", list(probes), key="wlm_plot_model")
    probe = probes[shown]
    pair = s2.selectbox("Pair to plot", list(probe.correlations["pair"]), key="wlm_plot_pair")
    rows = probe.table[probe.table["pair"] == pair]
    rows = rows.assign(side=["she side" if p > 0 else "he side" for p in rows["projection"]])

    def chart():
        fig = px.scatter(rows, x="projection", y="log_ratio", hover_name="profession",
                         color="side",
                         color_discrete_map=style.colour_map(["she side", "he side"]),
                         labels={"projection": "projection on the gender direction (she +)",
                                 "log_ratio": f"mean log P({pair.split('/')[0]}) − "
                                              f"log P({pair.split('/')[1]})"})
        fig.add_hline(y=0, line_color="#8C8C8C")  # 0 = no preference, always on the axis
        fig.update_yaxes(rangemode="tozero")
        fig.update_layout(height=460)
        return style.legend_on_top(fig)

    plot(shared_figure("pronoun_probe", embedding, {"pair": pair, "rows": digest(rows)}, chart),
         "pronoun_probe", ready=True)
    spread = rows["log_ratio"].max() - rows["log_ratio"].min()
    st.caption(f"The line at 0 means no preference. The professions' log-ratios span "
               f"{spread:.2f} (from {rows['log_ratio'].min():.2f} to "
               f"{rows['log_ratio'].max():.2f}): "
               + ("nearly the same preference after every profession, so the model hardly "
                  "tells professions apart." if spread < 0.2 else
                  "professions differ; read the correlation above for whether they follow "
                  "the gender direction."))
    csv_download(pd.concat([p.table.assign(model=m) for m, p in probes.items()],
                           ignore_index=True), "pronoun_probe.csv", key="csv-pronoun")
