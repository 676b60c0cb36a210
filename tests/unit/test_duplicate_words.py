"""Repeated words in uploaded groups: said in plain words and handled the same way in the CLI
and the pages. Defining sets (a bias dimension: the i-th words of the groups form one set) are
refused, since dropping a repeat shifts every word after it into the wrong set; group,word
CSVs (unpaired groups) keep a repeated word once, with a note, and refuse a word in both
groups compared."""

from __future__ import annotations

import pytest

from rnncore.bias import dimensions
from rnncore.cli import main
from rnncore.probes.inputs import ProbeInputError, parse_groups_csv, read_groups
from rnncore.wordlists import read_word_file

# rows: (church, mosque) (bible, quran) (church, imam) (priest, quran); dropping each column's
# repeat used to leave three sets, one of them (priest, imam): a pair nobody wrote
REPEATS = "christian,muslim\nchurch,mosque\nbible,quran\nchurch,imam\npriest,quran\n"


def test_a_dimension_upload_with_repeats_is_refused(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text(REPEATS, encoding="utf-8")
    groups = read_word_file(path)  # the parser drops the repeats and says so
    assert groups.repeated == {"christian": ["church"], "muslim": ["quran"]}
    with pytest.raises(ValueError, match="'christian' lists 'church' more than once"):
        dimensions.from_groups(groups)
    with pytest.raises(ValueError, match="more than once"):  # plain lists: the same rule
        dimensions.from_groups({"a": ["x", "y", "x"], "b": ["u", "v", "w"]})
    with pytest.raises(ValueError, match="'church' is in both group 'a' and group 'b'"):
        dimensions.from_groups({"a": ["church", "bible"], "b": ["mosque", "church"]})
    ok = dimensions.from_groups(read_word_file(_write(tmp_path, "ok.csv",
                                                      "a,b\nchurch,mosque\nbible,quran\n")))
    assert ok.defining_sets == (("church", "mosque"), ("bible", "quran"))


def _write(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_debias_groups_with_repeats_exit_2_before_any_work(capsys, tmp_path):
    out = tmp_path / "out.bin"
    code = main(["debias", "hsr", "--groups", str(_write(tmp_path, "g.csv", REPEATS)),
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "lists 'church' more than once" in err and "Traceback" not in err
    assert not out.exists()


def test_group_word_csv_keeps_a_repeat_once_with_a_note(tmp_path):
    text = "group,word\nf,she\nf,her\nf,she\nm,he\nm,him\n"
    (comparison,) = read_groups(_write(tmp_path, "pairs.csv", text))  # the CLI's reader
    assert comparison.a == ("she", "her") and comparison.b == ("he", "him")
    assert comparison.notes == (str(tmp_path / "pairs.csv")
                                + ": 'f' lists 'she' (line 4) again; each word is counted once",)
    (same,) = parse_groups_csv(text.encode(), name="up.csv")  # the page's parser
    assert same.a == comparison.a and same.notes[0].startswith("up.csv: 'f' lists 'she'")
    with pytest.raises(ProbeInputError, match="'she' is in both 'f' and 'm'"):
        parse_groups_csv(b"group,word\nf,she\nm,he\nm,she\n", name="up.csv")
