"""RNN from scratch: structures, MIT and IST worked examples, hand-built RNNs, test_word, sweep."""

import math

import numpy as np
import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard.components import presentation
from dashboard.components.downloads import csv_download, plot
from dashboard.components.links import bind_all
from dashboard.components.links import choice as url_choice
from dashboard.components.rnn_tables import visible_trace, whole_height
from dashboard.components.safe import show
from dashboard.components.training import job_controls
from rnncore.limits import limit
from rnncore.rnn import handbuilt, tagger
from rnncore.rnn.gradcheck import gradient_check
from rnncore.rnn.mit import MitRNN, test_word, trace
from rnncore.rnn.sweep import CHECKPOINTS, COURSE_STRINGS, HIDDEN_SIZES, cached_sweep, sweep_task
from rnncore.rnn.torch_twin import compare_with_torch


def structure_dot(kind: str, steps: int = 3) -> str:
    """Graphviz source of an unrolled RNN: inputs x (bottom), states h, outputs y (top)."""
    lines = ["digraph {", "rankdir=BT; node [shape=box, style=rounded, fontsize=11];"]
    enc, dec = (steps, steps) if kind == "encoder-decoder" else (steps, 0)
    total = enc + dec
    for t in range(1, total + 1):
        lines.append(f'h{t} [label="h{t}", style="rounded,filled", fillcolor="#e8eaf6"];')
        if t > 1:
            lines.append(f"h{t - 1} -> h{t};")
        has_x = (kind == "one-to-many" and t == 1) or (kind in ("many-to-one", "many-to-many")) \
            or (kind == "encoder-decoder" and t <= enc)
        has_y = (kind == "one-to-many") or (kind == "many-to-one" and t == total) \
            or kind == "many-to-many" or (kind == "encoder-decoder" and t > enc)
        if has_x:
            lines.append(f'x{t} [label="x{t}"]; x{t} -> h{t};')
        if has_y:
            lines.append(f'y{t} [label="y{t}", style="rounded,filled", fillcolor="#fff3e0"]; '
                         f"h{t} -> y{t};")
    lines.append("}")
    return "\n".join(lines)


STRUCTURES = {
    "one-to-many": "one input, a sequence out: a caption from an image's feature vector",
    "many-to-one": "a sequence in, one output: the sentiment of a review (trained on the "
                   "Sentiment page)",
    "many-to-many": "aligned: one output per input, e.g. part-of-speech tags, or the next "
                    "character in a language model (trained on the Character LM page)",
    "encoder-decoder": "a sequence in, another of a different length out: translation",
}

st.title("RNN from scratch")
presentation.intro("rnn_from_scratch")

bind_all({"structure": url_choice(STRUCTURES), "mit_text": str, "parity_in": str,
          "sweep_seed": (0, 10_000)})  # in the URL
tab_struct, tab_mit, tab_ist, tab_hand, tab_word, tab_sweep = st.tabs(
    ["Structures", "MIT worked example", "IST worked example", "Hand-built RNNs",
     "test_word", "Difficulty sweep"])

with tab_struct:
    kind = st.radio("Structure", list(STRUCTURES), horizontal=True, key="structure")
    st.caption(STRUCTURES[kind])
    st.graphviz_chart(structure_dot(kind))
    presentation.intro("rnn_from_scratch-variants", "Variants")

with tab_mit:
    presentation.intro("rnn_from_scratch-mit")
    model = MitRNN.worked_example()
    with st.expander("The course's trained weights (Wss, Wsx, Wss0, Wo, Wo0)"):
        st.json(model.course_weights())
    text = st.text_input("Feed a string instead (teacher forcing; empty: generate)", "",
                         key="mit_text", max_chars=60)
    try:
        table = trace(model, text or None)
    except ValueError as exc:
        st.error(show(exc))
    else:
        st.dataframe(visible_trace(table), hide_index=True, height=whole_height(table))
        csv_download(table, "mit_trace.csv", key="csv-mit-trace")
        states = pd.DataFrame({"step": table["step"], "state": [s[0] for s in table["new state"]],
                               "p(a)": [p[0] for p in table["p"]]})
        fig = px.line(states, x="step", y=["state", "p(a)"], markers=True)
        fig.add_hline(y=0, line_dash="dot")
        plot(fig, "mit_states")
        st.metric("Generated", "".join(table["output"]).replace("\n", "\\n"))

with tab_ist:
    presentation.intro("rnn_from_scratch-ist")
    weights, X, y = tagger.worked_example()
    table, loss = tagger.trace(weights, X, y)
    st.dataframe(visible_trace(table), hide_index=True)
    left, right = st.columns(2)
    left.metric("Loss (summed cross-entropy)", f"{loss:.10f}")
    right.metric("2 ln 2", f"{2 * math.log(2):.10f}")
    st.markdown(f"By hand: $z1_1 = 0.1\\cdot 4 + 0.1 = 0.5$, $h_1 = \\tanh(0.5) = "
                f"{math.tanh(0.5):.6f}$, $z2_1 = 0.3\\tanh(0.5) + 0.1 = "
                f"{0.3 * math.tanh(0.5) + 0.1:.6f}$; $z1_2 = 1.1 + 0.3\\tanh(0.5) = "
                f"{1.1 + 0.3 * math.tanh(0.5):.6f}$.")
    st.subheader("Backprop through time, checked twice")
    grads = tagger.gradients(weights, X, y)
    with st.expander("BPTT gradients"):
        for name, g in grads.items():
            st.write(f"d loss / d {name}", np.round(g, 8))
    left, right = st.columns(2)
    with left:
        st.caption("NumPy BPTT vs central finite differences")
        st.dataframe(gradient_check(weights, X, y), hide_index=True)
    with right:
        st.caption("NumPy vs torch (nn.RNN + nn.Linear, float64, autograd)")
        st.dataframe(compare_with_torch(weights, X, y), hide_index=True,
                     column_config={"max_abs_diff": st.column_config.NumberColumn(format="%.2e")})

with tab_hand:
    st.markdown("Weights chosen by hand, no training: each network is unrolled step by step.")
    st.subheader("Summing RNN")
    st.caption("$h_t = 1 \\cdot h_{t-1} + 1 \\cdot x_t$, a linear unit: the output is the "
               "running sum.")
    try:
        st.dataframe(handbuilt.summing(handbuilt.parse_numbers(
            st.text_input("Numbers", "3 1 4 1 5 9", key="sum_in"))), hide_index=True)
    except ValueError as exc:
        st.error(show(exc))
    st.subheader("Which stream is larger?")
    st.caption("$h_t = h_{t-1} + a_t - b_t$: positive means stream A has the larger total so far.")
    left, right = st.columns(2)
    a_text = left.text_input("Stream A", "1 0 3 2", key="stream_a")
    b_text = right.text_input("Stream B", "2 2 0 1", key="stream_b")
    try:
        st.dataframe(handbuilt.larger_stream(handbuilt.parse_numbers(a_text),
                                             handbuilt.parse_numbers(b_text)), hide_index=True)
    except ValueError as exc:
        st.error(show(exc))
    st.subheader("Parity with binary threshold units")
    presentation.intro("rnn_from_scratch-parity")
    with st.expander("The hand-chosen weights"):
        st.json(handbuilt.PARITY_WEIGHTS)
    bits_text = st.text_input("Bits", "0101101011", key="parity_in")
    try:
        parity_table = handbuilt.parity(handbuilt.parse_bits(bits_text))
    except ValueError as exc:
        st.error(show(exc))
    else:
        st.dataframe(parity_table, hide_index=True)
        st.metric("Parity bits", "".join(str(v) for v in parity_table["y_t = XOR"]))

with tab_word:
    presentation.intro("rnn_from_scratch-test-word")
    with st.form("test_word_form"):
        c1, c2, c3, c4, c5 = st.columns(5)
        word = c1.text_input("String", "abcabcabcabcabc", max_chars=40)
        hidden = c2.number_input("Hidden units", *limit("numpy_rnn.hidden").bounds(), 8)
        steps = c3.number_input("Steps", 100, 20000, 5000, step=500)
        step_size = c4.number_input("Step size", 0.001, 1.0, 0.05, format="%.3f")
        seed = c5.number_input("Seed", *limit("seed").bounds(), 0)
        st.form_submit_button("Use these settings")

    def make_word_task():
        params = {"word": word, "hidden": int(hidden), "steps": int(steps),
                  "step_size": float(step_size), "seed": int(seed)}

        def task(report, should_stop):
            return test_word(**params, should_stop=should_stop,
                             progress=lambda s, loss: report({"step": s, "loss": loss,
                                                              "steps": params["steps"]}))
        return task

    def render_word(job) -> None:
        latest = job.latest or {}
        if not job.done:
            step, loss = latest.get("step", 0), latest.get("loss", float("nan"))
            st.progress(min(1.0, step / max(1, latest.get("steps", 1))),
                        f"step {step}, loss {loss:.4f}")
            return
        result = job.result
        if result is None:
            return
        c1, c2 = st.columns(2)
        c1.metric("Exact reproductions", f"{result.exact} / {result.n_samples}")
        c2.metric("Final loss (nats, summed)", f"{result.final_loss:.4f}")
        losses = pd.DataFrame({"step": 100 * np.arange(1, len(result.losses) + 1),
                               "loss": result.losses})
        plot(px.line(losses, x="step", y="loss", log_y=True), "test_word_loss")
        counts = pd.Series([s.replace("\n", "\\n") for s in result.samples]).value_counts()
        st.dataframe(counts.rename_axis("sample").reset_index(name="count"), hide_index=True)
        st.caption("Trace of the trained model, generating greedily from `.`:")
        st.dataframe(visible_trace(trace(result.model, None, max_steps=2 * len(result.word) + 5)),
                     hide_index=True)

    if word and ("." in word):
        st.error("The string may not contain '.', the start symbol.")
    else:
        job_controls("rnn_test_word", "Train on the string", make_word_task, render_word)

with tab_sweep:
    presentation.intro("rnn_from_scratch-sweep")
    words = st.multiselect("Strings", list(COURSE_STRINGS), default=list(COURSE_STRINGS),
                           accept_new_options=True, key="sweep_words")
    c1, c2 = st.columns(2)
    sizes = c1.multiselect("Hidden sizes", list(HIDDEN_SIZES), default=list(HIDDEN_SIZES),
                           key="sweep_hidden")
    sweep_seed = c2.number_input("Seed", *limit("seed").bounds(), 0, key="sweep_seed")
    params = {"words": tuple(words), "hidden_sizes": tuple(sizes), "checkpoints": CHECKPOINTS,
              "seed": int(sweep_seed)}

    def render_sweep_result(result) -> None:
        difficulty = result.difficulty()
        st.subheader("Difficulty")
        st.dataframe(difficulty, hide_index=True)
        csv_download(difficulty, "difficulty.csv", key="csv-difficulty")
        table = result.table()
        best = table[[c for c in table.columns if c.startswith("exact@")]].max(axis=1)
        table = table.assign(**{"best exact": best})
        fig = px.density_heatmap(table, x="hidden", y="string", z="best exact",
                                 histfunc="max", text_auto=True, range_color=(0, 100),
                                 color_continuous_scale="Blues")
        fig.update_xaxes(type="category")
        plot(fig, "sweep_heatmap")
        st.caption("Best exact reproductions (of 100) per cell; the table below has the count "
                   "at each step number tried.")
        st.dataframe(table, hide_index=True)
        csv_download(table, "sweep_cells.csv", key="csv-sweep")
        ordered = " < ".join(show(w) for w in difficulty["string"])
        st.markdown(f"**Ordering measured here (easiest first):** {ordered}.")

    try:
        ready = cached_sweep(**params) if words and sizes else None
    except ValueError as exc:
        st.error(show(exc))
        ready = None
    if ready is not None:
        st.success("From the cache (already computed with these settings).")
        render_sweep_result(ready)
    elif words and sizes:
        def render_sweep(job) -> None:
            latest = job.latest or {}
            if not job.done:
                done, total = latest.get("done", 0), latest.get("total", 1)
                st.progress(done / total, f"{done} of {total} cells (two at a time)"
                            + (f"; last: {latest['word']} hidden {latest['hidden']}"
                               if latest else ""))
            elif job.result is not None:
                render_sweep_result(job.result)

        st.info("Not computed yet with these settings: it trains up to "
                f"{len(words) * len(sizes)} small RNNs (about two minutes for the course's "
                "four strings on two cores).")
        job_controls("rnn_sweep", "Run the sweep", lambda: sweep_task(**params), render_sweep)
    presentation.intro("rnn_from_scratch-why", "Why this order?")
