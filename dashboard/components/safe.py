"""User-supplied text shown back on a page: as text, never as Markdown or HTML.

Streamlit renders the body of ``st.markdown``, ``st.caption``, ``st.error``/``warning``/
``info``/``success`` and widget labels as Markdown (links, images, ``:red[...]`` directives,
bare-URL autolinks). :func:`show` escapes every ASCII punctuation character with a backslash
(CommonMark allows escaping any of them), so an uploaded word such as ``![x](http://...)``, a
file name or a token quoted from a parse error reads literally and makes no request. Control
characters are written as escapes too.
"""

from __future__ import annotations

import re

from rnncore.inputs import escape_controls

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def show(value: object) -> str:
    """``value`` as Markdown source that renders as exactly its text."""
    return _PUNCTUATION.sub(r"\\\1", escape_controls(str(value)))
