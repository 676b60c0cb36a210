"""Character LM: train a torch char-level RNN/LSTM/GRU, watch it learn, generate, pick."""

import math

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard.components import presentation
from dashboard.components.class_models import class_char_lm
from dashboard.components.downloads import plot
from dashboard.components.links import bind_all, private_model
from dashboard.components.links import choice as url_choice
from dashboard.components.safe import show
from dashboard.components.shared_results import from_files, stores
from dashboard.components.training import job_controls
from rnncore import class_results
from rnncore.corpora import text as corpora
from rnncore.generate import (
    Decoding,
    complete,
    generate_text,
    novelty,
    sample_items,
    top_next,
)
from rnncore.inputs import check_size
from rnncore.limits import check_char_lm_memory, limit
from rnncore.models.char_lm import CharLMConfig, checkpoint_bytes
from rnncore.models.checkpoint import load_checkpoint
from rnncore.train.char_lm import TrainSettings, char_lm_task
from rnncore.train.cpu_defaults import char_lm_defaults

JOB = "char_lm_job"
DEFAULTS = char_lm_defaults()  # this CPU kind's
MODEL, TRAINING = DEFAULTS.config(), TrainSettings(lr=DEFAULTS.lr)
CKPT_MB = 50  # upload limit of a checkpoint, checked again by the loader
CORPORA = {"Hamlet": "hamlet", "Census first names": "names", "Upload a .txt": "upload"}


def visible(ch: str) -> str:
    return {"\n": "⏎", " ": "␣", "\t": "⇥"}.get(ch, ch)


@st.cache_resource(show_spinner="Loading the corpus…")
def builtin_corpus(key: str) -> corpora.TextCorpus:
    return corpora.load_corpus(key)


st.title("Character language model")
with presentation.explain():  # collapsed in presentation mode
    st.markdown(
        presentation.page_texts()["char_lm"])

bind_all({"charlm_corpus": url_choice([c for c in CORPORA if CORPORA[c] != "upload"]),
          "charlm_cell": url_choice(["lstm", "gru", "rnn"]), "charlm_seconds": (1, 600),
          "charlm_seed": limit("seed").bounds(), "gen_prefix": str, "gen_temp": (0.1, 2.0),
          "gen_seed": limit("seed").bounds()})  # in the URL
screens = presentation.Screens("char_lm", ["1 · Corpus", "2 · Model and training", "3 · Generate"])
screens.section(0)
choice = st.radio("Corpus", list(CORPORA), horizontal=True, key="charlm_corpus")
corpus = None
if CORPORA[choice] == "upload":
    upload = st.file_uploader("A plain-text file (UTF-8, up to 5 MB)", type=["txt"],
                              max_upload_size=5, key="charlm_upload")
    if upload is not None:
        try:
            corpus = corpora.from_upload(upload.getvalue(), upload.name)
        except ValueError as exc:
            st.error(show(exc))
else:
    corpus = builtin_corpus(CORPORA[choice])
if corpus is not None:
    info = corpus.info()
    st.caption(f"{show(info['source'])}: {info['characters']:,} characters, "
               f"{info['distinct_characters']} distinct"
               + (f", {info['items']:,} names (one per line, `.` starts and ⏎ ends each)"
                  if info["items"] else ""))
    with st.expander("Beginning of the text"):
        st.code(corpus.text[:600], language=None)

screens.section(1)
with st.form("charlm_settings"):
    c1, c2, c3, c4 = st.columns(4)
    cell = c1.selectbox("Cell", ["lstm", "gru", "rnn"], key="charlm_cell")
    nonlinearity = c1.selectbox("Nonlinearity (vanilla RNN)", ["tanh", "relu"],
                                key="charlm_nonlin")
    embed = c2.number_input("Embedding size",
                            *limit("char.embed").bounds(), MODEL.embed, key="charlm_embed")
    hidden = c2.number_input("Hidden size",
                             *limit("char.hidden").bounds(), MODEL.hidden, step=32,
                             key="charlm_hidden")
    layers = c3.number_input("Layers",
                             *limit("char.layers").bounds(), MODEL.layers, key="charlm_layers")
    members = c1.number_input("Ensemble members",
                              *limit("char.members").bounds(), MODEL.members, key="charlm_members",
                              help="Independently trained networks whose next-character "
                                   "distributions are averaged. Two train at a time (one per "
                                   "CPU core); more train in rounds that split the time.")
    dropout = c3.number_input("Dropout", 0.0, 0.8, MODEL.dropout, step=0.05,
                              key="charlm_dropout")
    seconds = c4.number_input("Training time (s)",
                              *limit("page_seconds").bounds(), 60, key="charlm_seconds")
    seq_len = c4.number_input("Sequence length",
                              *limit("char.seq_len").bounds(), TRAINING.seq_len, key="charlm_seq")
    c5, c6, c7, c8 = st.columns(4)
    batch = c5.number_input("Parallel streams (batch)",
                            *limit("char.batch").bounds(), TRAINING.batch,
                            key="charlm_batch")
    lr = c6.number_input("Learning rate (Adam)", 1e-5, 1e-1, TRAINING.lr, format="%.4f",
                         key="charlm_lr")
    seed = c7.number_input("Seed", *limit("seed").bounds(), 0, key="charlm_seed")
    ngram_order = c8.number_input("N-gram order (0 = none)", *limit("char.ngram_order").bounds(),
                                  MODEL.ngram_order,
                                  key="charlm_ngram_order",
                                  help="Longest context of the character n-gram mixed in.")
    ngram_weight = c8.number_input("N-gram weight", 0.0, 0.9, MODEL.ngram_weight, step=0.05,
                                   key="charlm_ngram_weight",
                                   help="The n-gram's share of the next-character "
                                        "distribution.")
    st.form_submit_button("Use these settings")


def make_task():
    if corpus is None:
        raise ValueError("choose a corpus first")
    config = CharLMConfig(vocab_size=1, cell=cell, embed=int(embed), hidden=int(hidden),
                          layers=int(layers), nonlinearity=nonlinearity, dropout=float(dropout),
                          members=int(members), ngram_order=int(ngram_order),
                          ngram_weight=float(ngram_weight))
    settings = TrainSettings(seconds=float(seconds), seq_len=int(seq_len), batch=int(batch),
                             lr=float(lr), seed=int(seed), eval_every=50)
    check_char_lm_memory(len(set(corpus.text)), config.embed, config.hidden, config.layers,
                         config.members, settings.batch, settings.seq_len,
                         settings.side_by_side, config.cell)  # a message, not a failed job
    st.session_state["charlm_trained_on"] = corpus
    return char_lm_task(corpus.text, config, settings)


def loss_figure(updates: list[dict]) -> go.Figure:
    """Per member, one colour: the training loss of each step (faint), its rolling mean
    (solid) and the validation loss (dashed, dots); the final validation loss of the whole
    model (the members' mean mixed with the n-gram) as a star."""
    rows = pd.DataFrame([u for u in updates if "loss" in u])
    fig = go.Figure()
    colours = px.colors.qualitative.Plotly
    for member, part in (rows.groupby("member") if not rows.empty else []):
        style = {"legendgroup": str(member), "line": {"color": colours[(member - 1) % 10]}}
        fig.add_scatter(x=part["step"], y=part["loss"], opacity=0.25, showlegend=False,
                        name=f"member {member}: training loss", **style)
        fig.add_scatter(x=part["step"], y=part["loss"].rolling(20, min_periods=1).mean(),
                        name=f"member {member}", **style)
        val = part.dropna(subset=["val_loss"]) if "val_loss" in part else part.iloc[:0]
        if not val.empty:
            fig.add_scatter(x=val["step"], y=val["val_loss"], mode="lines+markers",
                            showlegend=False, name=f"member {member}: validation loss",
                            legendgroup=str(member),
                            line={"color": colours[(member - 1) % 10], "dash": "dash"})
    final = [u for u in updates if u.get("final")]
    if final:
        fig.add_scatter(x=[final[-1]["step"]], y=[final[-1]["val_loss"]], mode="markers",
                        marker={"symbol": "star", "size": 14}, name="whole model: validation")
    fig.update_layout(xaxis_title="step (of each member)", yaxis_title="nats per character",
                      height=360)
    return fig


def render(job) -> None:
    latest = job.latest or {}
    if not job.done:
        text = (f"step {latest['step']}, loss {latest['loss']:.3f}" if "loss" in latest
                else "starting…")
        st.progress(latest.get("fraction", 0.0),
                    text + (" — stopping…" if job.stop_requested else ""))
    plot(loss_figure(list(job.updates)), "char_lm_loss")
    st.caption(presentation.page_texts()["char_lm-loss-chart"])
    result = job.result
    if job.done and result is not None:
        c1, c2, c3, c4 = st.columns(4)
        c1.metric("Validation loss (nats/char)", f"{result.val_loss:.3f}")
        c2.metric("Bits per character", f"{result.val_loss / math.log(2):.3f}")
        c3.metric("Characters / s (all members)", f"{result.chars_per_second:,.0f}")
        c4.metric("Epochs (per member)", f"{result.epochs:.2f}")
        if result.members_note:  # e.g. "2 of 4 members trained (training was stopped ...)"
            st.warning(result.members_note, icon=":material/warning:")
        parts = []
        if result.member_val_losses:
            parts.append("each member alone: " + ", ".join(
                f"{loss:.3f}" for loss in result.member_val_losses))
        if result.networks_val_loss is not None:
            parts.append(f"the networks averaged: {result.networks_val_loss:.3f}")
        if parts:
            st.caption("Validation loss, " + "; ".join(parts)
                       + f" nats/char; the whole model: {result.val_loss:.3f}. "
                       + f"Trained in {result.precision}.")
        if result.cpu:
            st.caption("Defaults for this computer: " + show(result.cpu["defaults"]) + ".")
        st.download_button("Download checkpoint (.pt)",
                           lambda: checkpoint_bytes(result.model, result.vocab),  # on click
                           file_name="char_lm.pt", icon=":material/download:",
                           key="charlm-ckpt", on_click="ignore")


if corpus is not None:
    job_controls(JOB, "Train", make_task, render)

screens.section(2)
job = st.session_state.get(JOB)
model = vocab = None
trained_on = None
class_key = None  # set when the class model is shown: its texts are shared
if job is not None and job.done and job.result is not None:
    model, vocab = job.result.model, job.result.vocab
    trained_on = st.session_state.get("charlm_trained_on")
with st.expander("…or load a checkpoint (.pt)"):
    ckpt = st.file_uploader("Checkpoint", type=["pt"], max_upload_size=CKPT_MB,
                            key="charlm_ckpt")
    if ckpt is not None:
        loaded = st.session_state.get("charlm_ckpt_loaded")
        if loaded is None or loaded[0] != ckpt.file_id:  # validate each upload once
            try:
                check_size(ckpt.size, "the uploaded checkpoint", CKPT_MB * 10**6, "checkpoint")
                loaded = (ckpt.file_id, *load_checkpoint(
                    ckpt.getvalue(), "the uploaded checkpoint", CKPT_MB * 10**6))
            except ValueError as exc:
                loaded = (ckpt.file_id, str(exc))
            st.session_state["charlm_ckpt_loaded"] = loaded
        if len(loaded) == 2:
            st.error(f"Could not load {show(ckpt.name)}: {show(loaded[1])}",
                     icon=":material/error:")
        else:
            model, vocab = loaded[1], loaded[2]
            trained_on = None
private_model("charlm_model", model is not None, "model trained or loaded",
              "showing the class model instead (train your own above to replace it)"
              if CORPORA[choice] != "upload" else "train your own above")
if model is None and CORPORA[choice] != "upload" and (shared := class_char_lm(CORPORA[choice])):
    model, vocab, class_meta = shared  # trained once for everybody, read-only
    trained_on = corpus
    class_key = (class_meta["name"], class_meta["budget"], class_meta["val_loss_nats_per_char"])
    st.caption(f"The class model for {show(choice)} (trained once on this server, "
               f"{class_meta['val_loss_nats_per_char']:.3f} nats/char on held-out text); "
               "train your own above to replace it.")
if model is None:
    st.info("Train a model above (or load a checkpoint) to generate text.")
    st.stop()

start = trained_on.start if trained_on is not None and trained_on.start else None
end = trained_on.end if trained_on is not None else None
default_prefix = class_results.default_prefix(start, vocab)
if st.session_state.get("charlm_model_id") != id(model):  # another model: drop prompts it
    st.session_state["charlm_model_id"] = id(model)  # cannot read (typed for the previous one)
    for prompt_key in ("gen_prefix", "topk_prefix", "complete_prefix", "pick_text"):
        if not all(c in vocab for c in st.session_state.get(prompt_key, "")):
            del st.session_state[prompt_key]

VIEWS = ["Sample", "Top-k: k = 1, 2, 3", "Names", "Complete a prefix", "Pick the next character"]
view = st.radio("Show", VIEWS, horizontal=True, key="charlm_view")
# only the chosen view runs (tabs would generate for all five on every rerun)


def remembered(key: tuple, compute, stored: dict | None = None):
    """``compute()`` remembered by ``key`` (prompt and settings): for the class model, once
    per server (read from the results folder when ``stored``, its file key, matches a file
    ``prepare-class`` wrote; else computed and stored); for a student's own model, per session
    (the cache holds the model itself, so another model starts a new one; 64 at most)."""
    if class_key is not None:
        load = None
        if stored is not None:
            load, compute = from_files("class_text", stored, compute, class_results.TEXT)
        return stores()["text"].get_or_build((*class_key, *key), compute, load)
    held = st.session_state.get("charlm_generated")
    if held is None or held[0] is not model:
        held = st.session_state["charlm_generated"] = (model, {})
    cache = held[1]
    if key not in cache:
        if len(cache) >= 64:
            cache.pop(next(iter(cache)))
        cache[key] = compute()
    return cache[key]


def generated(prefix: str, length: int, decoding: Decoding, seed: int) -> str:
    """``generate_text`` remembered per session by (model, prompt, settings)."""
    stored = None if class_key is None else class_results.sample_key(
        class_key[0], class_key[1], prefix, length, decoding, seed)
    return remembered(("sample", prefix, length, decoding, seed),
                      lambda: generate_text(model, vocab, prefix, length, decoding, seed),
                      stored)


if view == VIEWS[0]:
    c1, c2, c3, c4 = st.columns(4)
    prefix = c1.text_input("Prefix (priming)", default_prefix, key="gen_prefix")
    mode = c2.selectbox("Decoding", ["sample", "greedy"], key="gen_mode")
    temperature = round(c3.slider("Temperature", 0.1, 2.0, class_results.TEMPERATURE, 0.05,
                                  key="gen_temp"), 2)  # a step, as the browser may send 0.85…01
    top_k = c4.number_input("Top-k (0 = all)", 0, len(vocab), 0, key="gen_topk")
    c5, c6 = st.columns(2)
    length = c5.number_input("Characters", *limit("char.length").bounds(),
                             class_results.SAMPLE_LENGTH, key="gen_len")
    gen_seed = c6.number_input("Seed", *limit("seed").bounds(), class_results.SAMPLE_SEED,
                               key="gen_seed")
    decoding = Decoding(greedy=mode == "greedy", temperature=temperature,
                        top_k=int(top_k) or None)
    try:
        st.code(prefix + generated(prefix, int(length), decoding, int(gen_seed)),
                language=None, wrap_lines=True)
        st.caption(decoding.describe())
    except ValueError as exc:
        st.error(show(exc))

if view == VIEWS[1]:
    st.markdown(presentation.page_texts()["char_lm-top-k"])
    k_prefix = st.text_input("Prefix", default_prefix, key="topk_prefix")
    cols = st.columns(3)
    for k, col in zip(class_results.TOP_K[0], cols, strict=True):
        try:
            out = generated(k_prefix, class_results.TOP_K[1], Decoding(top_k=k), 0)
        except ValueError as exc:
            col.error(str(exc))
        else:
            col.markdown(f"**k = {k}**")
            col.code(k_prefix + out, language=None, wrap_lines=True)

if view == VIEWS[2]:
    if start and end:
        c1, c2 = st.columns(2)
        n_names = c1.number_input("How many", 5, 500, 50, key="names_n")
        names_temp = c2.slider("Temperature", 0.1, 2.0, 1.0, 0.05, key="names_temp")
        made = remembered(("names", int(n_names), names_temp, start, end),
                          lambda: sample_items(model, vocab, int(n_names), start, end,
                                               decoding=Decoding(temperature=names_temp)))
        report = novelty(made, trained_on.items)
        c1, c2 = st.columns(2)
        c1.metric("New names (not in the census list)", f"{report['share_new']:.0%}")
        c2.metric("Copied from the list", f"{report['known']} of {report['samples']}")
        known = set(trained_on.items)
        st.dataframe(pd.DataFrame({"name": [m.capitalize() for m in made],
                                   "in the census list": [m in known for m in made]}),
                     hide_index=True)
    else:
        st.info("Train on the census first names to generate names and check how many are new.")

if view == VIEWS[3]:
    st.markdown("Type a prefix; the model extends it with the **most likely** character, step "
                "by step, until the end symbol.")
    typed = st.text_input("Prefix", default_prefix, key="complete_prefix")
    try:
        completed = remembered(("complete", typed, end),
                               lambda: complete(model, vocab, typed, 60, stop=end))
        st.code(typed + completed, language=None, wrap_lines=True)
    except ValueError as exc:
        st.error(show(exc))

if view == VIEWS[4]:
    st.markdown("You choose: the five most likely next characters, with their probabilities. "
                "Click one to append it.")
    if "pick_text" not in st.session_state or st.session_state.get("pick_vocab") != vocab.chars:
        st.session_state["pick_text"] = default_prefix
        st.session_state["pick_vocab"] = vocab.chars

    def append(ch: str) -> None:
        st.session_state["pick_text"] += ch

    def reset() -> None:
        st.session_state["pick_text"] = default_prefix

    current = st.session_state["pick_text"]
    st.code(current.replace("\n", "⏎\n"), language=None)
    candidates = top_next(model, vocab, current, 5)
    cols = st.columns(6)
    for i, ((ch, p), col) in enumerate(zip(candidates, cols, strict=False)):
        col.button(f"{visible(ch)}  {p:.1%}", key=f"pick-{i}", on_click=append, args=(ch,),
                   width="stretch")
    cols[5].button("Reset", key="pick-reset", on_click=reset)
    st.caption(f"Characters picked: {len(current) - len(default_prefix)}")
