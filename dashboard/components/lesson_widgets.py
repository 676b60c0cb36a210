"""The live widgets a lesson file can place with ``[[widget: NAME]]`` (see data/lessons/).

Each widget is a few lines over the same ``rnncore`` calls the pages use, with its own widget
keys (``lw_…``) so that lessons never disturb the pages' state. Words typed by users are shown
in tables and charts, never as Markdown.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard.components import style
from dashboard.components.downloads import plot, shared_figure
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.rnn_tables import visible_trace, whole_height
from dashboard.components.safe import show
from dashboard.components.shared_results import shared_result
from dashboard.components.training import job_controls, progress_text
from dashboard.components.variance_chart import explained_variance_bars
from dashboard.components.wordlists import parse_words
from rnncore.bias import bias_direction, direct_bias, extremes, project, weat, wordsets
from rnncore.constants import COURSE_WORDS
from rnncore.embeddings import analogy, distance_matrix, lookup, paired_distances
from rnncore.explain import direct_bias_verdict, effect_verdict, p_verdict

LESSON_WEAT_PERMUTATIONS = 100_000  # the WEAT page's default: exact for small sets


def _direction():
    """The gender direction of the active embedding (shared per server), or None with a
    sentence saying why not (an uploaded embedding may know too few of the definitional pairs)."""
    embedding = current_embedding()
    try:
        return shared_result("lesson_direction", embedding, {}, lambda: bias_direction(
            embedding, wordsets.definitional_pairs(), "pca"))
    except ValueError as exc:
        st.warning(f"This embedding has no gender direction: {show(exc)}. The rest of the "
                   "lesson still works; the default embedding (w2v-news-31k) has every pair.",
                   icon=":material/info:")
        return None


# --- embeddings ------------------------------------------------------------------------------

def course_distances() -> None:
    """Two word lists compared element-wise, d = 1 - cos."""
    embedding = current_embedding()
    left, right = st.columns(2)
    first = parse_words(left.text_input("First list", "woman, man, woman, man",
                                        key="lw_dist_left"))
    second = parse_words(right.text_input("Second list", "nurse, nurse, mother, father",
                                          key="lw_dist_right"))
    if len(first) != len(second) or not first:
        st.error(f"Give two lists of the same length (now {len(first)} and {len(second)} "
                 "words): the i-th words are compared.")
        return
    table = paired_distances(embedding, first, second)
    table["pair"] = table["a"] + " – " + table["b"]
    valid = table.dropna(subset=["distance"])
    if len(valid) < len(table):
        st.warning(show(lookup(embedding, [*first, *second]).summary()) + ".")

    def chart():
        fig = px.bar(valid, x="pair", y="distance", text_auto=".4f", color="a",
                     color_discrete_map=style.colour_map(valid["a"]),
                     labels={"pair": "", "distance": "d = 1 − cos", "a": "first word"})
        fig.update_layout(height=340)
        return style.legend_on_top(fig)

    plot(shared_figure("lesson_distances", embedding, {"lists": [first, second]}, chart),
         "lesson_distances", ready=True)


def distance_heatmap() -> None:
    """Every pair of the 26 course words."""
    embedding = current_embedding()

    def chart():
        matrix = distance_matrix(embedding, list(COURSE_WORDS))
        fig = px.imshow(matrix, color_continuous_scale="RdBu", zmin=0, zmax=1.2, aspect="auto",
                        labels={"color": "1 − cos"})
        fig.update_xaxes(dtick=1)  # every word labelled (plotly skips some when they are dense)
        fig.update_yaxes(dtick=1)
        fig.update_layout(height=28 * len(COURSE_WORDS) + 140)  # a row per label, projected too
        return fig

    plot(shared_figure("lesson_distance_heatmap", embedding, {}, chart),
         "lesson_distance_heatmap", ready=True)
    st.caption("Red: close (small distance); blue: far. Hover a cell for its value.")


# --- analogies -------------------------------------------------------------------------------

def analogy_both_ways() -> None:
    """a : b :: c : ? answered with the input words excluded and allowed."""
    embedding = current_embedding()
    cols = st.columns(3)
    a = cols[0].text_input("a", "man", key="lw_an_a").strip()
    b = cols[1].text_input("b", "doctor", key="lw_an_b").strip()
    c = cols[2].text_input("c", "woman", key="lw_an_c").strip()
    if not (a and b and c):
        st.info("Type the three words.")
        return
    try:
        excluded, allowed = shared_result("analogy_both", embedding, {
            "abc": [a, b, c], "topn": 5, "method": "add"}, lambda: (
            analogy(embedding, a, b, c, 5), analogy(embedding, a, b, c, 5, allow_inputs=True)))
    except (KeyError, ValueError) as exc:
        st.error(show(exc.args[0] if exc.args else exc))
        return
    left, right = st.columns(2)
    left.markdown("**Inputs excluded** (what most tools do)")
    left.dataframe(excluded.table(), hide_index=True)
    right.markdown("**Inputs allowed**")
    right.dataframe(allowed.table(), hide_index=True)
    st.info(show(excluded.note()), icon=":material/info:")


# --- measuring bias --------------------------------------------------------------------------

def gender_direction() -> None:
    """The PCA of the definitional pairs: how much one direction explains."""
    direction = _direction()
    if direction is None:
        return
    explained_variance_bars(direction.explained_variance_ratio, "lesson_direction",
                            label="share of the variance", digits=2)
    st.caption(f"{len(direction.pairs)} definitional pairs (she–he, woman–man, …); the first "
               f"component explains {direction.explained_variance_ratio[0]:.0%} of their "
               "differences.")


def projections() -> None:
    """DirectBias of the neutral professions and the most extreme ones on each side."""
    embedding, direction = current_embedding(), _direction()
    words = [w for w in wordsets.neutral_professions() if w in embedding]
    if direction is None:
        return
    if len(words) < 2:
        st.warning(f"This embedding knows {len(words)} of the neutral professions: too few "
                   "for DirectBias.", icon=":material/info:")
        return
    value = direct_bias(embedding, words, direction)
    st.metric(f"DirectBias of {len(words)} neutral professions", f"{value:.3f}")
    st.caption(direct_bias_verdict(value) + ".")

    def chart():
        ends = extremes(project(embedding, words, direction), 8, direction.positive_end,
                        direction.negative_end)
        fig = px.bar(ends.iloc[::-1], x="projection", y="word", color="side", orientation="h",
                     color_discrete_map=style.colour_map(ends["side"]),
                     labels={"projection": f"cos(w, g)  ({direction.negative_end} ← → "
                                           f"{direction.positive_end})", "word": ""})
        fig.update_layout(height=460)
        return style.legend_on_top(fig)

    plot(shared_figure("lesson_projections", embedding, {}, chart), "lesson_projections",
         ready=True)


def weat_test() -> None:
    """One of Caliskan et al.'s tests with its effect size and p-value in words."""
    tests = wordsets.weat_tests()
    key = st.selectbox("Test", list(tests), index=list(tests).index("weat7"), key="lw_weat",
                       format_func=lambda k: f"{k.upper()}: {tests[k].title}")
    test = tests[key]
    embedding = current_embedding()
    try:
        with st.spinner("Running the permutation test…"):
            result = shared_result("lesson_weat", embedding, {"test": key}, lambda: weat(
                embedding, test.x, test.y, test.a, test.b, LESSON_WEAT_PERMUTATIONS, 0))
    except ValueError as exc:
        st.warning(f"This test cannot run on this embedding: {show(exc)}.",
                   icon=":material/info:")
        return
    c1, c2 = st.columns(2)
    c1.metric("Effect size d", f"{result.effect_size:.2f}")
    c1.caption(effect_verdict(result.effect_size, f"{test.x_name} ~ {test.a_name}",
                              f"{test.x_name} ~ {test.b_name}") + ".")
    c2.metric("p (one-sided)", f"{result.p_one_sided:.3g}")
    c2.caption(p_verdict(result.p_one_sided, result.n_permutations, result.exact) + ".")
    if test.iat_effect_size is not None:
        st.caption(f"People in the implicit association test: d = {test.iat_effect_size}.")


# --- debiasing -------------------------------------------------------------------------------

def debias_and_audit() -> None:
    """Hard debias on a copy with the Debias & audit page's defaults, its audit and pictures
    (one shared result: whichever of the two runs it first, the other shows it at once)."""
    from dashboard.components import debias_runs
    from dashboard.components.audit_charts import headline, show_pictures

    embedding = current_embedding()
    key = "lw_debias_result"
    if st.button("Debias (hard) and audit", type="primary", key="lw_debias_go"):
        bar = st.progress(0.0, text="Debiasing a copy…")
        try:
            result = debias_runs.debias_and_audit(
                embedding, debias_runs.DebiasRequest.default("hard"),
                progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
        except ValueError as exc:
            bar.empty()
            st.error(f"The audit could not run on this embedding: {show(exc)}. Try the default "
                     "embedding.")
            return
        bar.empty()
        st.session_state[key] = (embedding.sha256, result)
    stored = st.session_state.get(key)
    if not stored or stored[0] != embedding.sha256:
        st.info("Press the button: it takes a few seconds on two cores.")
        return
    headline(stored[1]["report"])
    show_pictures(stored[1]["report"], stored[1]["figures"])


# --- RNN by hand -----------------------------------------------------------------------------

def mit_trace() -> None:
    """The one-unit character RNN of the MIT lab, step by step."""
    from rnncore.rnn.mit import MitRNN, trace

    table = trace(MitRNN.worked_example(), None)
    states = pd.DataFrame({"step": table["step"], "state": [s[0] for s in table["new state"]]})
    fig = px.bar(states, x="step", y="state",
                 color=style.sign_colours(states["state"], "#0072B2", "#D55E00"),
                 color_discrete_map="identity", labels={"state": "state s_t"})
    fig.update_layout(height=300)
    plot(fig, "lesson_mit_states")
    st.dataframe(visible_trace(table, digits=4), hide_index=True, height=whole_height(table))
    st.metric("Generated", "".join(table["output"]).replace("\n", "\\n"))


def ist_example() -> None:
    """The IST tagger's forward pass with every weight 0.1."""
    from rnncore.rnn import tagger

    weights, inputs, targets = tagger.worked_example()
    table, loss = tagger.trace(weights, inputs, targets)
    st.dataframe(visible_trace(table, digits=4), hide_index=True)
    c1, c2 = st.columns(2)
    c1.metric("Loss (summed cross-entropy)", f"{loss:.6f}")
    c2.metric("2 ln 2", f"{2 * math.log(2):.6f}")


def parity() -> None:
    """Parity with binary threshold units (AND, OR, then XOR)."""
    from rnncore.rnn import handbuilt

    text = st.text_input("Bits", "0101101011", key="lw_parity")
    try:
        table = handbuilt.parity(handbuilt.parse_bits(text))
    except ValueError as exc:
        st.error(show(exc))
        return
    st.dataframe(table, hide_index=True)
    st.metric("Parity bits", "".join(str(v) for v in table["y_t = XOR"]))


# --- character LMs ---------------------------------------------------------------------------

@st.cache_resource(show_spinner="Loading the names…")
def _names_corpus():
    from rnncore.corpora import text as corpora

    return corpora.load_corpus("names")


def names_lm() -> None:
    """Train a small names model, then sample with temperature and top-k."""
    from rnncore.generate import Decoding, novelty, sample_items
    from rnncore.models.char_lm import CharLMConfig
    from rnncore.train.char_lm import TrainSettings, char_lm_task

    corpus = _names_corpus()
    seconds = st.number_input("Training time (s)", 1, 120, 20, key="lw_names_seconds")

    def make_task():
        config = CharLMConfig(vocab_size=1, cell="lstm", members=2)
        return char_lm_task(corpus.text, config, TrainSettings(seconds=float(seconds)))

    def render(job) -> None:
        latest = job.latest or {}
        if not job.done:
            st.progress(latest.get("fraction", 0.0),
                        f"step {latest['step']}, loss {latest['loss']:.3f}"
                        if "loss" in latest else "starting…")
        elif job.result is not None:
            st.metric("Validation loss (nats/char)", f"{job.result.val_loss:.3f}")
            st.caption(f"Uniform guessing over the {len(job.result.vocab)} symbols would score "
                       f"{math.log(len(job.result.vocab)):.2f}.")

    job = job_controls("lw_names_job", "Train on the census names", make_task, render)
    if job is None or not job.done or job.result is None:
        return
    model, vocab = job.result.model, job.result.vocab
    c1, c2 = st.columns(2)
    temperature = c1.slider("Temperature", 0.1, 2.0, 1.0, 0.1, key="lw_names_temp")
    top_k = c2.select_slider("Top-k", ["all", 1, 2, 3, 5], "all", key="lw_names_topk")
    decoding = Decoding(temperature=temperature, top_k=None if top_k == "all" else int(top_k))
    made = sample_items(model, vocab, 20, corpus.start, corpus.end, decoding=decoding)
    report = novelty(made, corpus.items)
    st.metric("New names (not in the census list)", f"{report['share_new']:.0%}")
    st.dataframe(pd.DataFrame({"generated name": [m.capitalize() for m in made]}),
                 hide_index=True, height=whole_height(made))  # one name per row, all 20
    st.caption(decoding.describe())


# --- does the bias reach the model? ----------------------------------------------------------

def bias_reaches_model() -> None:
    """Sentiment classifier and word LM on original vs hard-debiased vectors, one short run."""
    from rnncore.shift import ShiftSettings, run_shift
    from rnncore.train.sentiment import TrainSettings
    from rnncore.train.word_lm import LMSettings

    embedding = current_embedding()
    c1, c2 = st.columns(2)
    seconds = c1.number_input("Seconds per model", 1, 120, 10, key="lw_shift_seconds")
    with_lm = c2.checkbox("Also the word LM and its pronoun probe", True, key="lw_shift_lm")

    def make_task():
        settings = ShiftSettings(
            seeds=(0,), lm=with_lm, train_rows=3000,
            training=TrainSettings(epochs=2, seconds=float(seconds), patience=1),
            lm_training=LMSettings(epochs=1, seconds=float(seconds)), n_boot=200, n_perm=200)
        return lambda report, should_stop: run_shift(embedding, settings, report=report,
                                                     should_stop=should_stop)

    def render(job) -> None:
        latest = job.latest or {}
        if not job.done:
            st.progress(min(latest.get("fraction", 0.0), 1.0),
                        progress_text(job, latest.get("message", "starting")))
            return
        if job.result is None:
            return
        st.caption(f"Took {job.elapsed:.0f} s on this server.")
        shift_charts(job.result)

    job_controls("lw_shift_job", "Train on original and debiased vectors", make_task, render)


MODELS = {"rnn": "Sentiment RNN", "baseline": "Word-list baseline (no training)"}
VECTORS = {"original": "#8C8C8C", "debiased": "#000000"}


def shift_charts(result) -> None:
    """The short run's result: whether the models learned, then one chart per model and
    quantity (sentiment gaps in probability; the LM's pronoun preference and its correlation in
    a table), each probe named with its two groups."""
    notes = result.quality_notes()
    for note in notes:
        st.warning(note, icon=":material/warning:")
    quality = result.quality[result.quality["metric"].isin(["test_accuracy", "perplexity"])]
    if not quality.empty:
        table = quality.pivot_table(index=["model", "metric"], columns="embedding",
                                    values="value", sort=False).reset_index()
        table["model"] = table["model"].map({**MODELS, "lm": "Word LM"})
        table["metric"] = table["metric"].map({"test_accuracy": "test accuracy",
                                               "perplexity": "held-out perplexity"})
        st.dataframe(table, hide_index=True, column_config={
            c: st.column_config.NumberColumn(format="%.3f") for c in table.columns[2:]})
    table = result.comparison()
    gaps = table[table["kind"] == "gap"]
    titles = result.gaps.drop_duplicates("probe").set_index("probe")["title"]
    for model, name in MODELS.items():
        rows = gaps[gaps["model"] == model]
        if rows.empty:
            continue
        long = rows.melt(id_vars=["probe"], value_vars=list(VECTORS), var_name="vectors",
                         value_name="gap")
        long["probe"] = long["probe"].map(titles).fillna(long["probe"])
        fig = px.bar(long, x="gap", y="probe", color="vectors", barmode="group",
                     orientation="h", color_discrete_map=VECTORS, title=name,
                     labels={"probe": "", "gap": "P(positive): first group − second group"})
        fig.add_vline(x=0, line_color="#8C8C8C")
        fig.update_layout(height=140 + 60 * rows["probe"].nunique())
        plot(style.legend_on_top(fig), f"lesson_bias_shift_{model}")
    st.caption("Each probe is named *first group vs second group*; a bar to the right means "
               "the classifier scored the same sentences more positive with the first group's "
               "words. One seed, so training noise is not measured here (the Sentiment & bias "
               "shift page runs several)." + (" **The warning above applies: these are not "
               "findings.**" if notes else ""))
    lm = gaps[gaps["model"] == "lm"]
    if not lm.empty:
        st.markdown("**Word LM: does it prefer *her* or *his* after a profession?**")
        st.dataframe(pd.DataFrame({
            "measure": lm["probe"].map(titles).fillna(lm["probe"]),
            "original": lm["original"], "debiased": lm["debiased"]}), hide_index=True,
            column_config={c: st.column_config.NumberColumn(format="%.3f")
                           for c in ("original", "debiased")})
        st.caption("Mean log-ratio: above 0, the model gives *her* more probability than *his* "
                   "on average over the professions. Pearson r: how closely a profession's "
                   "preference follows its place on the embedding's gender direction (0 = not "
                   "at all, 1 = perfectly).")


WIDGETS: dict[str, Callable[[], None]] = {
    "course_distances": course_distances,
    "distance_heatmap": distance_heatmap,
    "analogy_both_ways": analogy_both_ways,
    "gender_direction": gender_direction,
    "projections": projections,
    "weat_test": weat_test,
    "debias_and_audit": debias_and_audit,
    "mit_trace": mit_trace,
    "ist_example": ist_example,
    "parity": parity,
    "names_lm": names_lm,
    "bias_reaches_model": bias_reaches_model,
}
OWN_REFRESH = {"names_lm", "bias_reaches_model"}  # training panels: a fragment of their own
