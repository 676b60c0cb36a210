"""The dashboard's pages, by section. Add a page here and a file under dashboard/pages/."""

from __future__ import annotations

import streamlit as st

SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    # section: [(file under dashboard/pages, title, material icon)]
    "Start": [("home.py", "Home", "home")],
    "Embeddings": [
        ("distances.py", "Distances", "straighten"),
    ],
}


def build_pages() -> dict[str, list[st.Page]]:
    return {
        section: [
            st.Page(f"pages/{file}", title=title, icon=f":material/{icon}:",
                    default=(file == "home.py"))
            for file, title, icon in entries
        ]
        for section, entries in SECTIONS.items()
    }
