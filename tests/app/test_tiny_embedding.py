"""A class that uploads a tiny embedding: every lesson and page opens, its buttons pressed with
the default inputs (tiny training budgets), and none of them shows an exception box; a page that
cannot work on so few words says so in a sentence."""

from __future__ import annotations

import pytest

from dashboard.navigation import SECTIONS
from tests.app.conftest import open_page
from tests.app.test_every_button import SMALL, _set_small, _wait_for_jobs

TINY = ["she", "he", "nurse", "doctor", "Paris", "good"]
PAGES = [file for entries in SECTIONS.values() for file, _, _ in entries]
TRAINING = {"char_lm.py", "rnn_from_scratch.py", "sentiment_shift.py", "word_lm.py",
            "lesson_char_lm.py", "lesson_bias_reaches_model.py", "lesson_rnn_by_hand.py"}


@pytest.fixture(scope="module")
def tiny_file(w2v, tmp_path_factory) -> bytes:
    path = w2v.subset(TINY).save_word2vec(tmp_path_factory.mktemp("tiny") / "tiny.bin")
    return path.read_bytes()


@pytest.mark.slow
def test_every_page_works_or_says_why_on_a_six_word_embedding(tiny_file: bytes) -> None:
    at = open_page(timeout=120)
    at.sidebar.get("file_uploader")[0].set_value(("tiny.bin", tiny_file,
                                                  "application/octet-stream"))
    at.run()
    assert {m.label: m.value for m in at.metric}["Words"] == str(len(TINY))
    failures = []
    for page in PAGES:
        at.switch_page(f"views/{page}")
        at.run()
        if at.exception:
            failures.append(f"{page} (opened): {at.exception[0].message}")
            continue
        if page in TRAINING:  # their buttons train models (tests/app/test_every_button.py)
            continue
        _set_small(at, SMALL.get(page, {}), set())
        for label in dict.fromkeys(b.label for b in at.button if not b.disabled):
            button = next((b for b in at.button if b.label == label and not b.disabled), None)
            if button is None:  # an earlier press removed it
                continue
            button.click().run()
            if not at.exception:
                _wait_for_jobs(at)  # (reruns the page: the press's own run is checked first)
            if at.exception:
                failures.append(f"{page} ({label}): {at.exception[0].message}")
                break
    assert not failures, "\n".join(failures)
