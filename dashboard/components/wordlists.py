"""The one word-list widget: paste or upload (.txt/.csv), then an OOV report with flags.

Parsing and the report live in :mod:`rnncore.wordlists`; this module only draws them.
``word_list_input``/``parse_words``/``oov_report`` are the simple text-area form used inside
``st.form`` (Distances); ``word_groups_input`` + ``oov_panel`` are the full widget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from dashboard.components.downloads import csv_download
from dashboard.components.safe import show
from rnncore.embeddings import Embedding, Lookup, lookup
from rnncore.wordlists import (
    LOSS_THRESHOLD,
    MAX_BYTES,
    OOVReport,
    WordGroups,
    WordListError,
    parse_text,
    parse_upload,
    split_words,
)
from rnncore.wordlists import oov_report as full_oov_report

PASTE_HELP = ("Separate words with commas or new lines. A line `name: w1, w2` starts a named "
              "group. Phrases keep their spaces (`New York` is matched to `New_York`).")
UPLOAD_HELP = (".txt: one word or phrase per line. .csv: one column per group, group names in "
               "the first row; columns may have different lengths.")


def parse_words(text: str) -> list[str]:
    """Words from text separated by commas or new lines (multi-word phrases kept)."""
    return split_words(text)


def word_list_input(label: str, default: list[str], key: str, height: int = 120) -> list[str]:
    """A text area for one list of words (comma or newline separated); works inside forms."""
    text = st.text_area(label, ", ".join(default), key=key, height=height, help=PASTE_HELP)
    return parse_words(text)


def oov_report(embedding: Embedding, words: list[str], what: str = "list") -> Lookup:
    """Look ``words`` up and show which are missing, with suggestions; returns the Lookup."""
    report = lookup(embedding, words)
    if report.missing:
        st.warning(f"{what.capitalize()}: {show(report.summary())}.", icon=":material/help:")
    return report


def _as_text(default: Mapping[str, Sequence[str]] | Sequence[str]) -> str:
    if isinstance(default, Mapping):
        return "\n".join(f"{name}: {', '.join(words)}" for name, words in default.items())
    return ", ".join(default)


def word_groups_input(label: str, default: Mapping[str, Sequence[str]] | Sequence[str],
                      key: str, height: int = 140) -> WordGroups:
    """Paste groups into a text area or upload a .txt/.csv (the upload wins while present)."""
    paste_col, upload_col = st.columns([3, 2])
    text = paste_col.text_area(label, _as_text(default), key=f"{key}_text", height=height,
                               help=PASTE_HELP)
    uploaded = upload_col.file_uploader(
        "…or upload a word list (.txt or .csv)", type=["txt", "csv", "tsv"], key=f"{key}_file",
        help=UPLOAD_HELP + f" Up to {MAX_BYTES // 2**20} MB.", max_upload_size=MAX_BYTES // 2**20)
    try:
        if uploaded is not None:
            groups = parse_upload(uploaded.getvalue(), uploaded.name)
            upload_col.caption(f"Using **{show(uploaded.name)}**: {len(groups.groups)} group(s), "
                               f"{len(groups)} words (remove the file to use the text box).")
        else:
            groups = parse_text(text)
    except WordListError as exc:
        st.error(f"Could not read the word list: {show(exc)}.", icon=":material/error:")
        return WordGroups({})
    for note in groups.notes:
        st.caption(f":material/info: {show(note)}")
    return groups


def oov_panel(embedding: Embedding, groups: WordGroups, key: str) -> OOVReport | None:
    """Show the OOV report; returns it when the list may be used, None when it must not be.

    A group that loses more than the threshold is flagged and nothing is computed on it until
    the user says so; a list with no word in the vocabulary is never used.
    """
    if not groups:
        st.info("The word list is empty: type words or upload a .txt/.csv file.")
        return None
    with st.expander("Out-of-vocabulary settings"):
        threshold = st.slider("Flag a group that loses more than", 0, 100,
                              int(LOSS_THRESHOLD * 100), 5, format="%d%%", key=f"{key}_threshold")
        use_variants = st.toggle("Use the case variant or phrase form when it exists", True,
                                 key=f"{key}_variants")
    report = full_oov_report(embedding, groups, threshold / 100, use_variants)
    if report.groups["missing"].any() or report.groups["variant"].any():
        # compact: only the groups that lost or changed words, flags as words (not checkboxes)
        shown = report.groups[(report.groups["missing"] > 0) | (report.groups["variant"] > 0)]
        shown = shown.assign(flagged=shown["flagged"].map({True: "⚑ too many lost",
                                                           False: ""}))
        st.dataframe(shown, hide_index=True, key=f"{key}_oov_groups",
                     column_order=["group", "words", "missing", "variant", "lost", "flagged"],
                     column_config={"lost": st.column_config.ProgressColumn(
                         "lost", format="percent", min_value=0.0, max_value=1.0)})
    if not report.missing.empty:
        with st.expander(f"{len(report.missing)} word(s) not found as typed"):
            st.dataframe(report.missing, hide_index=True)
    csv_download(report.words, "oov_report.csv", label="Download the OOV report (CSV)",
                 key=f"{key}_oov_csv")
    usable = sum(len(ws) for ws in report.resolved.values())
    if usable == 0:
        st.error("None of these words is in the vocabulary of this embedding; nothing can be "
                 "computed. Check the spelling or the case, or pick another embedding.",
                 icon=":material/block:")
        return None
    if report.flagged:
        st.warning(show(report.message()), icon=":material/flag:")
        if not st.checkbox("Compute on the words that remain anyway", key=f"{key}_accept"):
            return None
    else:
        st.caption(show(report.message()))
    return report
