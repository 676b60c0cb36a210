"""The Sentiment & bias shift and Language model & pronouns pages through AppTest."""

from __future__ import annotations

import time

from tests.app.conftest import open_page


def _wait(at, key: str, timeout: float = 240) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        state = at.session_state  # AppTest state: no .get()
        job = state[key] if key in state else None  # noqa: SIM401
        if job is not None and job.done:
            at.run()
            return
        time.sleep(1)
        at.run()
    raise AssertionError(f"{key} did not finish")


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_sentiment_page_probes_the_baseline_and_refuses_bad_uploads():
    at = open_page("sentiment_shift.py")
    assert not at.exception
    assert at.title[0].value == "Sentiment & bias shift"
    _button(at, "Probe").click().run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)
    assert "Train the RNN above" in text
    assert at.session_state["probe_result"]["baseline"].gaps["gap"].notna().any()
    at.radio(key="sent_source").set_value("Upload a CSV text,label").run()
    at.file_uploader(key="sent_upload").set_value(
        ("one.csv", b"text,label\n" + b"great,1\n" * 40, "text/csv")).run()
    assert any("all rows are positive" in e.value for e in at.error)


def test_sentiment_page_trains_probes_and_runs_a_small_shift():
    at = open_page("sentiment_shift.py", timeout=120)
    at.number_input(key="sent_seconds").set_value(3)
    at.number_input(key="sent_epochs").set_value(1)
    at.number_input(key="sent_hidden").set_value(8)
    at.button(key="sent_apply").click().run()
    _button(at, "Train").click().run()
    _wait(at, "sentiment_job")
    assert not at.exception
    assert any(m.label == "Test accuracy" for m in at.metric)
    assert at.query_params["sent_model"] in ("own", ["own"])  # a link says: a private model
    epochs = next(m for m in at.metric if m.label == "Best epoch per member").value
    assert epochs.count(",") == 1  # two members by default
    assert any("Each member alone" in c.value for c in at.caption)
    _button(at, "Probe").click().run()
    assert {"baseline", "rnn"} <= set(at.session_state["probe_result"])

    at.number_input(key="shift_seeds").set_value(2)
    at.number_input(key="shift_seconds").set_value(1)
    at.number_input(key="shift_rows").set_value(500)
    at.button(key="shift_apply").click().run()
    at.multiselect(key="probe_groups").set_value(["gender_terms"]).run()
    _button(at, "Run the comparison").click().run()
    _wait(at, "shift_job")
    assert not at.exception
    result = at.session_state["shift_job"].result
    assert set(result.embeddings) == {"original", "hard"}
    assert len(result.gaps[result.gaps["model"] == "rnn"]) == 4  # 2 embeddings x 2 seeds
    assert at.table  # task quality per embedding


def test_word_lm_page_trains_generates_and_probes():
    at = open_page("word_lm.py", timeout=120)
    assert not at.exception
    at.radio(key="wlm_corpus").set_value("Hamlet").run()
    at.number_input(key="wlm_seconds").set_value(3)
    at.number_input(key="wlm_epochs").set_value(1)
    at.number_input(key="wlm_hidden").set_value(32)
    at.button(key="wlm_apply").click().run()
    _button(at, "Train").click().run()
    _wait(at, "word_lm_job")
    assert not at.exception
    assert any(m.label == "Held-out perplexity" for m in at.metric)
    assert at.query_params["wlm_model"] in ("own", ["own"])  # a link says: a private model
    assert any(m.value.startswith("> **the film is**") for m in at.markdown)
    assert len(probe_summary(at))  # correlations of the pronoun probe


def probe_summary(at):
    """The pronoun probe's table of correlations (one row per model and pair)."""
    return next(d.value for d in at.dataframe if "Pearson r" in d.value.columns)
