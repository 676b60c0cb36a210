"""User-supplied text shown back on a page: as text, never as Markdown or HTML.

Streamlit renders the body of ``st.markdown``, ``st.caption``, ``st.error``/``warning``/
``info``/``success`` and widget labels as Markdown (links, images, ``:red[...]`` directives,
bare-URL autolinks). :func:`show` writes every ASCII punctuation character as a numeric
character reference (``&#58;`` for ``:``), which Markdown renders as that character but which
starts no construct. Bare URLs (``http://``, ``www.``) and e-mail addresses are autolinked by
remark-gfm on the decoded text, after any escaping, so an invisible WORD JOINER (U+2060) is
put where the autolink patterns need contiguous characters. An uploaded word such as
``![x](http://...)``, a file name or a token quoted from a parse error thus reads literally,
links nowhere and makes no request (tests/e2e/test_markup_injection.py). Control characters
are written as visible escapes.
"""

from __future__ import annotations

import re

from rnncore.inputs import escape_controls

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?<=ftp)(?=:)|(?=@)")
JOINER = "\u2060"


def show(value: object) -> str:
    """``value`` as Markdown source that renders as exactly its text."""
    text = _AUTOLINK.sub(JOINER, escape_controls(str(value)))
    return _PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", text)
