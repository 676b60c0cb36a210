"""Word lists from people: pasted text, .txt/.csv uploads, messy input, and the OOV report."""

from __future__ import annotations

import unicodedata

import pytest

from rnncore.wordlists import (
    MAX_WORDS,
    WordListError,
    oov_report,
    parse_csv,
    parse_text,
    parse_upload,
)


def test_pasted_text_with_and_without_groups():
    assert parse_text("king, queen\nnurse").groups == {"words": ["king", "queen", "nurse"]}
    groups = parse_text("female: she, her\nmale: he,him\n  \nmale: man")
    assert groups.groups == {"female": ["she", "her"], "male": ["he", "him", "man"]}
    assert parse_text("").groups == {} and not parse_text(" , \n")


def test_txt_upload_is_one_word_or_phrase_per_line():
    groups = parse_upload(b"king\nNew York\n\n  queen  \nking\n", "royals.txt")
    assert groups.groups == {"royals": ["king", "New York", "queen"]}
    assert any("repeated" in n and "king" in n for n in groups.notes)


def test_csv_columns_are_groups_and_ragged_columns_work():
    data = b"female,male\nshe,he\nher,him\nqueen\n,king\nwoman,man,extra\n"
    groups = parse_csv(data)
    assert groups.groups == {"female": ["she", "her", "queen", "woman"],
                             "male": ["he", "him", "king", "man"], "column 3": ["extra"]}
    assert any("different lengths" in n for n in groups.notes)
    assert any("unnamed" in n for n in groups.notes)
    tsv = parse_upload(b"a\tb\nx\ty\n", "list.tsv")
    assert tsv.groups == {"a": ["x"], "b": ["y"]}
    semicolon = parse_upload(b"a;b\nx;y\n", "excel.csv")
    assert semicolon.groups == {"a": ["x"], "b": ["y"]}


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "empty.csv", "empty"),
    (b"   \n\n", "blank.txt", "empty"),
    (b"female,male\n", "header.csv", "no words"),
    (b"\x00\x01binary", "x.txt", "not a text file"),
    (b"king", "list.xlsx", ".txt"),
])
def test_unusable_uploads_give_a_clear_message(data, name, message):
    with pytest.raises(WordListError, match=message):
        parse_upload(data, name)


def test_size_limits():
    with pytest.raises(WordListError, match="limit"):
        parse_upload(b"a\n" * 100, "big.txt", max_bytes=50)
    with pytest.raises(WordListError, match="more than"):
        parse_text("\n".join(f"w{i}" for i in range(MAX_WORDS + 1)))


def test_unicode_is_normalised_and_other_encodings_are_read():
    decomposed = unicodedata.normalize("NFD", "naïve")
    groups = parse_upload(f"\ufeff{decomposed}\ncafé\n".encode(), "u.txt")
    assert groups.groups["u"] == ["naïve", "café"]
    latin = parse_upload("naïve\ncafé\n".encode("cp1252"), "old.txt")
    assert latin.groups["old"] == ["naïve", "café"] and "Windows-1252" in latin.notes[0]


def test_oov_report_finds_variants_and_flags_lost_groups(w2v):
    groups = parse_text("places: paris, New York, London, qzxqzx\nroyals: king, queen")
    report = oov_report(w2v, groups, threshold=0.2)
    words = report.words.set_index("word")
    assert words.loc["paris", "status"] == "variant" and words.loc["paris", "use"] == "Paris"
    assert words.loc["New York", "use"] == "New_York"
    assert words.loc["qzxqzx", "status"] == "missing"
    places = report.groups.set_index("group").loc["places"]
    assert places["lost"] == pytest.approx(0.25) and bool(places["flagged"])
    assert report.flagged == ["places"]
    assert report.resolved == {"places": ["Paris", "New_York", "London"],
                               "royals": ["king", "queen"]}
    assert "places" in report.message() and "25%" in report.message()
    strict = oov_report(w2v, groups, threshold=0.2, use_variants=False)
    assert strict.resolved["places"] == ["London"]
    assert not oov_report(w2v, groups, threshold=0.5).flagged


def test_entirely_oov_and_mixed_case_lists(w2v):
    report = oov_report(w2v, ["qzxqzx", "zzqqxx"])
    assert report.flagged == ["words"] and report.resolved == {"words": []}
    assert "none of the 2 words" in report.message()
    mixed = oov_report(w2v, ["King", "KING", "king", "naïve"])
    assert mixed.resolved["words"] == ["King", "KING", "king", "naïve"]
    assert mixed.message().startswith("Every word")
