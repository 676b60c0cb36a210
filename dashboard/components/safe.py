"""User-supplied text shown back on a page: as text, never as Markdown or HTML.

Streamlit renders the body of ``st.markdown``, ``st.caption``, ``st.error``/``warning``/
``info``/``success`` and widget labels as Markdown (links, images, ``:red[...]``/
``:material/...:`` directives, bare-URL autolinks). :func:`show` neutralises every construct
while keeping the text readable in the page source:

* characters that open inline Markdown (``\\ ` * _ [ ] < > ! ~ $ | { } # &``) get a backslash;
* a line that would start a heading, quote, list or rule gets its first mark escaped;
* ``:word[`` / ``:word/...:`` directives get their colon as ``&#58;``;
* bare web addresses (a scheme followed by a colon and two slashes, or a leading
  "www" and a dot) and e-mail addresses are autolinked by remark-gfm on the
  decoded text, after any escaping, so an invisible WORD JOINER (U+2060) is put where their
  patterns need contiguous characters;
* control characters are written as visible escapes (``\\x1b``).

So an uploaded word such as a Markdown image pointing at a web address, a file name or a
token quoted from a parse error reads literally, links nowhere and makes no request
(tests/e2e/test_markup_injection.py).
"""

from __future__ import annotations

import re

from rnncore.inputs import escape_controls

JOINER = "\u2060"
_COLON = "\ue000"  # a private-use placeholder for a directive's colon
_INLINE = re.compile(r"([\\`*_\[\]<>!~$|{}#&])")
_LINE_START = re.compile(r"(?m)^(\s*)([-+=>]|\d+(?=[.)]))")
_DIRECTIVE = re.compile(r":(?=[\w/-]+[\[:])")
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=ftp)(?=:)|(?<=www)(?=\.)|(?=@)")


def show(value: object) -> str:
    """``value`` as Markdown source that renders as exactly its text."""
    text = _AUTOLINK.sub(JOINER, escape_controls(str(value)))
    text = _DIRECTIVE.sub(_COLON, text.replace(_COLON, ""))
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2).isdigit()
                                                   else m.group(2) + "\\"), text)
    return text.replace(_COLON, "&#58;")  # after escaping "&": this one must stay an entity
