"""The dashboard's pages, by section. Add a page here and its file under dashboard/views/.

Page files live in dashboard/views/, NOT dashboard/pages/: Streamlit auto-discovers a `pages/`
folder beside the entry script and then runs those files without app.py on deep links and
reruns (no sidebar, wrong navigation), in the browser and in AppTest alike.
"""

from __future__ import annotations

import streamlit as st

VIEWS = "views"
SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    # section: [(file under dashboard/views, title, material icon)]
    "Start": [("home.py", "Home", "home"), ("glossary.py", "Glossary", "menu_book")],
    "Lessons": [
        ("lesson_embeddings.py", "1 · Words as vectors", "school"),
        ("lesson_analogies.py", "2 · Analogies", "school"),
        ("lesson_measuring_bias.py", "3 · Measuring bias", "school"),
        ("lesson_debiasing.py", "4 · Debiasing", "school"),
        ("lesson_rnn_by_hand.py", "5 · An RNN by hand", "school"),
        ("lesson_char_lm.py", "6 · Character LMs", "school"),
        ("lesson_bias_reaches_model.py", "7 · Does the bias reach the model?", "school"),
    ],
    "Embeddings": [
        ("distances.py", "Distances", "straighten"),
        ("neighbours.py", "Neighbours & analogies", "hub"),
        ("map.py", "Map", "scatter_plot"),
        ("benchmarks.py", "Benchmarks", "leaderboard"),
    ],
    "Bias": [
        ("bias_direction.py", "Bias direction & projections", "explore"),
        ("weat.py", "WEAT", "balance"),
        ("bias_metrics.py", "Bias metrics", "functions"),
        ("ranking.py", "Embedding ranking", "format_list_numbered"),
        ("debias_audit.py", "Debias & audit", "cleaning_services"),
    ],
    "Recurrent networks": [
        ("rnn_from_scratch.py", "RNN from scratch", "calculate"),
        ("char_lm.py", "Character LM", "text_fields"),
    ],
    "Bias in RNNs": [
        ("sentiment_shift.py", "Sentiment & bias shift", "sentiment_satisfied"),
        ("word_lm.py", "Language model & pronouns", "record_voice_over"),
        ("studies.py", "Studies", "science"),
    ],
}


_PAGES = "navigation_pages"


def session_pages() -> dict[str, list[st.Page]]:
    """:func:`build_pages` once per session: resolving the page files costs on every run
    otherwise. Kept per session, not per server: a page object holds state of the run that
    navigates to it."""
    pages = st.session_state.get(_PAGES)
    if pages is None:
        pages = st.session_state[_PAGES] = build_pages()
    return pages


def page(file: str) -> st.Page:
    """This session's page object of ``file`` (under dashboard/views), for ``st.page_link``
    (a path would be resolved on every run)."""
    index = [f for entries in SECTIONS.values() for f, _, _ in entries].index(file)
    return [p for entries in session_pages().values() for p in entries][index]


def build_pages() -> dict[str, list[st.Page]]:
    return {
        section: [
            st.Page(f"{VIEWS}/{file}", title=title, icon=f":material/{icon}:",
                    default=(file == "home.py"))
            for file, title, icon in entries
        ]
        for section, entries in SECTIONS.items()
    }
