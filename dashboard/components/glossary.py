"""The glossary (data/glossary.md) as a page, and the link to it that every page shows."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

GLOSSARY = Path(__file__).resolve().parents[2] / "data" / "glossary.md"
PAGE = "views/glossary.py"


def show_glossary() -> None:
    """Draw data/glossary.md (our own file: Markdown and formulas are rendered)."""
    st.markdown(GLOSSARY.read_text(encoding="utf-8"))


def glossary_link() -> None:
    """A link to the glossary in the sidebar (called by the app for every page)."""
    st.sidebar.page_link(PAGE, label="Glossary: what the numbers mean", icon=":material/menu_book:")
