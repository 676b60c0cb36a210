"""The input layer's limits and messages, CSV formula neutralising, cached suggestions, and the
probe's templates x words cap, on the real data."""

from __future__ import annotations

import csv
import io

import pytest

from rnncore.csv_safe import FORMULA_STARTS, safe_csv
from rnncore.embeddings.lookup import suggest
from rnncore.inputs import InputError, output_file, quote, read_file
from rnncore.wordlists import WordListError, oov_report, parse_text, parse_upload

FORMULAS = ["=HYPERLINK(\"http://127.0.0.1:9/\",\"x\")", "+1+1", "-2+3", "@SUM(1)",
            "\tTAB", "\rCR"]


def test_csv_exports_start_no_cell_with_a_formula(w2v):
    upload = ("\n".join(["king", "queen", *FORMULAS[:4]]) + "\n").encode()
    report = oov_report(w2v, parse_upload(upload, "list.txt"))
    for table in (report.words, report.groups):
        rows = list(csv.reader(io.StringIO(safe_csv(table))))
        cells = [c for row in rows for c in row]
        assert not any(c.startswith(FORMULA_STARTS) for c in cells), cells
    words = list(csv.DictReader(io.StringIO(safe_csv(report.words))))
    assert {r["word"] for r in words} >= {"'" + f for f in FORMULAS[:4]} | {"king", "queen"}
    groups = list(csv.DictReader(io.StringIO(safe_csv(report.groups.assign(delta=-0.25)))))
    assert groups[0]["delta"] == "-0.25" and float(groups[0]["lost"]) == pytest.approx(4 / 6)


def test_limits_are_checked_before_reading_and_quotes_are_short(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 3_000_000)
    with pytest.raises(InputError, match=r"big\.txt is 3\.0 MB; the limit for a word list"):
        read_file(big, 2 * 2**20, "word list")
    token = quote("A" * 1_000_000 + "\x1b[2J")
    assert len(token) < 80 and "1,000,004 characters" in token
    with pytest.raises(WordListError, match=r"longer than the 100 characters") as info:
        parse_text("king, " + "q" * 5000)
    assert len(str(info.value)) < 200
    with pytest.raises(InputError, match="is a folder"):
        output_file(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        output_file(tmp_path / "missing" / "out.csv")
    assert output_file(tmp_path / "out.csv") == tmp_path / "out.csv"


def test_suggestions_are_cached_per_embedding_and_word(w2v):
    first = suggest(w2v, "kingg")
    assert first.suggestion == "king" and first.reason == "closest spelling"
    assert suggest(w2v, "kingg") is first  # the cached answer, not a new search
    assert suggest(w2v, "kingg", close=False) is not first
    assert suggest(w2v, "kingg", close=False).suggestion is None


def test_the_probe_cuts_templates_beyond_the_cap_and_says_so(w2v, monkeypatch):
    import rnncore.probes.sentiment as sentiment
    from rnncore.models.lexicon_baseline import LexiconBaseline
    from rnncore.probes.inputs import builtin_comparisons

    known = sentiment.known_in(w2v)
    comparison = builtin_comparisons(known)["gender_terms"]
    templates = [f"Sentence {i} is about {{}}." for i in range(50)]
    monkeypatch.setattr(sentiment, "MAX_SENTENCES", 200)
    probe = sentiment.probe_sentiment(LexiconBaseline().fit(w2v).predict, [comparison],
                                      templates, known, n_boot=50, n_perm=50)
    n_words = len({*probe.checked[0].a, *probe.checked[0].b})
    assert len(probe.templates) == 200 // n_words < 50
    assert any(f"only the first {200 // n_words} of 50 templates" in n for n in probe.notes())
