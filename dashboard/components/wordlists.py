"""Word-list input shared by every page that asks for words, with an OOV report."""

from __future__ import annotations

import re

import streamlit as st

from rnncore.embeddings import Embedding, Lookup, lookup


def parse_words(text: str) -> list[str]:
    """Words from text separated by commas or new lines (multi-word phrases kept)."""
    return [w.strip() for w in re.split(r"[,\n]", text) if w.strip()]


def word_list_input(label: str, default: list[str], key: str, height: int = 120) -> list[str]:
    """A text area for a list of words (comma or newline separated)."""
    text = st.text_area(label, ", ".join(default), key=key, height=height,
                        help="Separate words with commas or new lines.")
    return parse_words(text)


def oov_report(embedding: Embedding, words: list[str], what: str = "list") -> Lookup:
    """Look ``words`` up and show which are missing, with suggestions; returns the Lookup."""
    report = lookup(embedding, words)
    if report.missing:
        st.warning(f"{what.capitalize()}: {report.summary()}.", icon=":material/help:")
    return report
