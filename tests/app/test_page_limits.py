"""The pages hold the bounds of the limits table (rnncore/limits.py), refuse a configuration
over the memory estimate with a plain message, and show user-typed group names literally in
headings too."""

from __future__ import annotations

import pytest

from dashboard.components.safe import show
from rnncore.limits import limit
from tests.app.conftest import open_page

# widget key (or label, for widgets without a key) -> the table entry it must follow
SHARED = {
    "char_lm.py": {"charlm_embed": "char.embed", "charlm_hidden": "char.hidden",
                   "charlm_layers": "char.layers", "charlm_members": "char.members",
                   "charlm_seq": "char.seq_len", "charlm_batch": "char.batch",
                   "charlm_seed": "seed", "charlm_ngram_order": "char.ngram_order",
                   "charlm_seconds": "page_seconds"},
    "sentiment_shift.py": {"sent_split_seed": "seed", "sent_hidden": "sentiment.hidden",
                           "sent_epochs": "sentiment.epochs", "sent_seed": "seed",
                           "sent_members": "sentiment.members", "shift_seeds": "shift.seeds",
                           "sent_seconds": "page_seconds"},
    "word_lm.py": {"wlm_hidden": "wordlm.hidden", "wlm_epochs": "wordlm.epochs",
                   "wlm_seed": "seed", "wlm_seconds": "page_seconds"},
    "rnn_from_scratch.py": {"Hidden units": "numpy_rnn.hidden", "Seed": "seed",
                            "sweep_seed": "seed", "Steps": "numpy_rnn.steps",
                            "Step size": "numpy_rnn.step_size"},
    "debias_audit.py": {"audit_seed": "seed"},
}


@pytest.mark.parametrize("page", list(SHARED))
def test_numeric_widgets_hold_the_table_bounds(page):
    at = open_page(page)
    assert not at.exception
    numbers = [*at.number_input, *at.slider]
    assert numbers
    followed = set()
    for widget in numbers:
        low, high = widget.min, widget.max
        assert low is not None and high is not None, widget.label  # no unbounded number
        key = SHARED[page].get(widget.key or "") or SHARED[page].get(widget.label)
        if key is None:
            continue
        bound = limit(key)
        followed.add(key)
        if widget.key in SHARED[page]:  # keyed widgets take the table's bounds exactly
            assert (low, high) == bound.bounds(), (page, widget.key)
        else:  # the others stay within it (a page may be stricter for the classroom)
            assert bound.low <= low and high <= bound.high, (page, widget.label)
    assert followed, page


def test_char_lm_page_refuses_every_size_at_its_maximum_with_a_message():
    at = open_page("char_lm.py")
    at.radio(key="charlm_corpus").set_value("Census first names").run()
    for widget in at.number_input:
        if (widget.key or "").startswith("charlm_"):
            widget.set_value(widget.max)
    next(b for b in at.button if b.label == "Use these settings").click().run()
    at.button(key="char_lm_job-start").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("needs about" in e and "at most 600 MB" in e for e in errors), errors
    assert "char_lm_job" not in at.session_state  # nothing was queued


PAYLOADS = ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "**bold**"]


def _texts(at) -> list[str]:
    """Every string a page renders as Markdown: headings, text, captions, messages, tabs and
    expander labels."""
    kinds = ("markdown", "header", "subheader", "title", "caption", "error", "warning",
             "info", "success")
    out = [str(el.value) for kind in kinds for el in at.get(kind)]
    out += [str(el.proto.label) for kind in ("tab", "expander") for el in at.get(kind)]
    return out


def test_bias_direction_headings_show_injected_group_names_literally():
    at = open_page("bias_direction.py")
    at.radio(key="bias_dimension").set_value("custom").run()
    at.text_area(key="bias_own_groups_text").set_value(
        f"{PAYLOADS[0]}: church, bible, priest\n{PAYLOADS[1]}: mosque, quran, imam\n"
        f"{PAYLOADS[2]}: synagogue, torah, rabbi").run()
    assert not at.exception
    texts = _texts(at)
    heading = next(t for t in texts if "Generated analogies" in t)
    assert not any(p in heading for p in PAYLOADS), heading
    assert show("**bold**") in heading and "\\[x\\]" in heading, heading  # shown as typed
    raw = [t for t in texts for p in PAYLOADS if p in t]
    assert raw == []
    # the gender pairs, with payloads as group names and as a pair's words
    at.radio(key="bias_dimension").set_value("gender").run()
    at.text_area(key="bias_pairs_in_text").set_value(
        f"{PAYLOADS[2]}: {PAYLOADS[1]}, she, her, woman\n{PAYLOADS[0]}: {PAYLOADS[2]}, he, his, "
        "man").run()
    assert not at.exception
    texts = _texts(at)
    assert any("Generated analogies" in t for t in texts)
    assert [t for t in texts for p in PAYLOADS if p in t] == []
