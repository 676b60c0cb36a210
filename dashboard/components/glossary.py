"""The glossary (data/glossary.md) as a page, and the link to it that every page shows."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.components import presentation
from dashboard.navigation import page

GLOSSARY = Path(__file__).resolve().parents[2] / "data" / "glossary.md"


def entries(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The glossary's heading and its ``**term** · definition`` paragraphs as (term, text)."""
    head, *paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    found = []
    for paragraph in paragraphs:
        term, sep, definition = paragraph.partition(" · ")
        found.append((term.strip("*"), definition) if sep else ("", paragraph))
    return head, found


def show_glossary() -> None:
    """Draw data/glossary.md (our own file: Markdown and formulas are rendered); when
    presenting, one closed expander per term."""
    text = GLOSSARY.read_text(encoding="utf-8")
    if not presentation.active():
        st.markdown(text)
        return
    head, found = entries(text)
    st.markdown(head)
    for term, definition in found:
        if term:
            with st.expander(term):
                st.markdown(definition)
        else:
            st.caption(definition)


def glossary_link() -> None:
    """A link to the glossary in the sidebar (called by the app for every page)."""
    st.sidebar.page_link(page("glossary.py"), label="Glossary: what the numbers mean",
                         icon=":material/menu_book:")
