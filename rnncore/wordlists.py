"""Word lists from people: pasted text, uploaded ``.txt``/``.csv`` files, and their OOV report.

* pasted text: words separated by commas or new lines; a line ``name: w1, w2`` starts a group;
* ``.txt``: one word or phrase per line (the file name is the group);
* ``.csv``/``.tsv``: one column per group, the header row holds the group names; columns may
  have different lengths.

Words are stripped and Unicode-normalised (NFC); duplicates inside a group are dropped with a note.
Uploads are decoded as text (UTF-8, else Windows-1252) and never executed or unpickled.
:func:`oov_report` says per word whether it is in the vocabulary, which case variant or phrase
form (``new_york``) exists instead, and per group the share that is lost; a group that loses more
than the threshold is flagged, so a page can stop before computing anything on it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

import pandas as pd

from rnncore.embeddings.embedding import Embedding
from rnncore.embeddings.lookup import MAX_SPELLING_SEARCHES, suggest
from rnncore.inputs.base import InputError, check_size, quote, read_file
from rnncore.inputs.numbers import check_fraction

MAX_BYTES = 2 * 2**20
MAX_WORDS = 5000
MAX_WORD_CHARS = 100  # the longest word or phrase of a list
MAX_GROUPS = 50  # columns of a CSV word list
LOSS_THRESHOLD = 0.2
SUFFIXES = (".txt", ".csv", ".tsv")
_GROUP_LINE = re.compile(r"^\s*([^:,]{1,60}?)\s*:\s*(.*)$")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)


class WordListError(InputError):
    """A word list that cannot be used; the message says why, for a person."""


@dataclass(frozen=True)
class WordGroups:
    """Named groups of words (order kept), with notes on what parsing changed."""

    groups: dict[str, list[str]]
    notes: list[str] = field(default_factory=list)
    repeated: dict[str, list[str]] = field(default_factory=dict)  # per group: dropped repeats

    @property
    def words(self) -> list[str]:
        """Every word once, in order of first appearance."""
        return list(dict.fromkeys(w for ws in self.groups.values() for w in ws))

    def __len__(self) -> int:
        return sum(len(ws) for ws in self.groups.values())

    def __bool__(self) -> bool:
        return len(self) > 0


def clean_word(word: str) -> str:
    """Strip, drop invisible characters, collapse inner spaces, NFC-normalise."""
    word = unicodedata.normalize("NFC", word.translate(_INVISIBLE))
    return " ".join(word.split())


def split_words(text: str) -> list[str]:
    """Words from text separated by commas or new lines (phrases with spaces kept)."""
    return [w for w in (clean_word(p) for p in re.split(r"[,\n;\t]", text)) if w]


def _build(raw: Mapping[str, Sequence[str]], notes: list[str],
           source: str = "the list") -> WordGroups:
    """Clean, de-duplicate and size-check raw groups."""
    total = sum(len(ws) for ws in raw.values())
    if total > MAX_WORDS:  # counted before cleaning anything
        nonblank = sum(1 for ws in raw.values() for w in ws if w.strip())
        if nonblank > MAX_WORDS:
            raise WordListError(f"{source} has {nonblank:,} words, more than the "
                                f"{MAX_WORDS:,} a word list may hold")
    groups: dict[str, list[str]] = {}
    repeated: dict[str, list[str]] = {}
    for name, words in raw.items():
        cleaned = [w for w in (clean_word(w) for w in words) if w]
        long = next((w for w in cleaned if len(w) > MAX_WORD_CHARS), None)
        if long is not None:
            raise WordListError(f"{source}: {quote(long)} is longer than the "
                                f"{MAX_WORD_CHARS} characters a word or phrase may have")
        unique = list(dict.fromkeys(cleaned))
        if len(unique) < len(cleaned):
            dups = [w for w in unique if cleaned.count(w) > 1]
            repeated[name] = dups
            notes.append(f"{name}: dropped {len(cleaned) - len(unique)} repeated "
                         f"word(s) ({', '.join(dups[:5])}{' …' if len(dups) > 5 else ''})")
        if unique:
            groups[name] = unique
        else:
            notes.append(f"{name}: no words")
    total = sum(len(ws) for ws in groups.values())
    if total > MAX_WORDS:
        raise WordListError(f"{source} has {total:,} words, more than the {MAX_WORDS:,} a "
                            "word list may hold")
    seen: dict[str, str] = {}
    for name, words in groups.items():
        for w in words:
            if w in seen and seen[w] != name:
                notes.append(f"{w!r} is in both {seen[w]!r} and {name!r}")
            seen.setdefault(w, name)
    return WordGroups(groups, notes, repeated)


def parse_text(text: str, default_group: str = "words") -> WordGroups:
    """Pasted text: ``w1, w2`` or one per line; ``name: w1, w2`` lines make named groups."""
    raw: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = _GROUP_LINE.match(line)
        name, rest = (clean_word(match.group(1)), match.group(2)) if match else (default_group,
                                                                                 line)
        raw.setdefault(name or default_group, []).extend(split_words(rest))
    return _build(raw, [])


def decode(data: bytes, name: str = "the file") -> tuple[str, list[str]]:
    """Text of an upload: UTF-8 (BOM allowed), else Windows-1252 with a note; binary refused."""
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise WordListError(f"{name} is not a text file (NUL byte on line {line}); upload a "
                            ".txt or .csv saved as text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return data.decode("cp1252", errors="replace"), [
            f"{name} is not UTF-8 (first bad byte on line {line}); it was read as "
            "Windows-1252 (check accented words)"]


def parse_txt(data: bytes, group: str = "words", name: str = "the file") -> WordGroups:
    """A ``.txt`` upload: one word or phrase per line."""
    text, notes = decode(data, name)
    return _build({group: text.splitlines()}, notes, name)


def parse_csv(data: bytes, delimiter: str | None = None, name: str = "the file") -> WordGroups:
    """A ``.csv``/``.tsv`` upload: one column per group, group names in the header row."""
    text, notes = decode(data, name)
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter or _sniff(text))
            if any(c.strip() for c in r)]
    if not rows:
        raise WordListError("the CSV file has no rows")
    width = max(len(r) for r in rows)
    if width > MAX_GROUPS:
        raise WordListError(f"{name} has {width:,} columns; a word list may have at most "
                            f"{MAX_GROUPS} groups (one per column)")
    header = [clean_word(h) for h in rows[0]]
    if width > len(header):
        notes.append(f"some rows have {width} cells but the header names {len(header)} "
                     "columns; the extra cells form unnamed groups")
    names, used = [], set()
    for i in range(width):
        name = (header[i] if i < len(header) else "") or f"column {i + 1}"
        while name in used:
            name += "'"
        used.add(name)
        names.append(name)
    raw = {n: [r[i] for r in rows[1:] if i < len(r)] for i, n in enumerate(names)}
    lengths = {n: sum(1 for w in ws if w.strip()) for n, ws in raw.items()}
    if len(set(lengths.values())) > 1:
        notes.append("columns have different lengths (" + ", ".join(
            f"{n}: {k}" for n, k in lengths.items()) + ")")
    if len(rows) == 1:
        raise WordListError("the CSV file has a header row but no words under it; put one "
                            "group per column with its name in the first row")
    return _build(raw, notes, name)


def _sniff(text: str) -> str:
    """The delimiter of the first line: tab, semicolon or comma."""
    first = text.split("\n", 1)[0]
    return max(("\t", ";", ","), key=lambda d: (first.count(d), d == ","))


def parse_upload(data: bytes, filename: str, max_bytes: int = MAX_BYTES) -> WordGroups:
    """Parse an uploaded word list by its suffix (.txt, .csv, .tsv)."""
    path = PurePath(filename)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise WordListError(f"{quote(filename, limit=4096)}: a word list is a .txt (one word "
                            "per line) or a .csv or .tsv (one column per group)")
    check_size(len(data), filename, max_bytes, "word list", WordListError)
    if not data.strip():
        raise WordListError(f"{filename} is empty")
    if suffix == ".txt":
        return parse_txt(data, group=path.stem or "words", name=filename)
    return parse_csv(data, "\t" if suffix == ".tsv" else None, name=filename)


def read_word_file(path: str | Path) -> WordGroups:
    """The word groups of a ``.txt``/``.csv``/``.tsv`` file (see :func:`parse_upload`)."""
    return parse_upload(read_file(path, MAX_BYTES, "word list"), str(path))


def looks_like_path(spec: str) -> bool:
    """Whether ``spec`` names a file rather than a built-in set (a suffix or a folder part)."""
    path = Path(spec)
    return path.exists() or path.suffix.lower() in SUFFIXES or len(path.parts) > 1


# --- the OOV report ------------------------------------------------------------------------------

@dataclass(frozen=True)
class OOVReport:
    """Per word and per group: what is in the vocabulary, what exists instead, what is lost."""

    words: pd.DataFrame  # group, word, status (found/variant/missing), use, note
    groups: pd.DataFrame  # group, words, found, variant, missing, lost, flagged
    threshold: float

    @property
    def resolved(self) -> dict[str, list[str]]:
        """Per group, the vocabulary words to compute on (variants replaced when allowed)."""
        usable = self.words.dropna(subset=["use"])
        return {g: list(dict.fromkeys(usable.loc[usable["group"] == g, "use"]))
                for g in self.groups["group"]}

    @property
    def flagged(self) -> list[str]:
        """Groups that lost more than the threshold share of their words."""
        return list(self.groups.loc[self.groups["flagged"], "group"])

    @property
    def missing(self) -> pd.DataFrame:
        """The words that were not found, with their status."""
        return self.words[self.words["status"] != "found"]

    def message(self) -> str:
        """One paragraph for people: what is lost and which groups are flagged."""
        if self.groups.empty:
            return "The list is empty."
        parts = []
        for row in self.groups.itertuples():
            if row.found + row.variant == 0:
                parts.append(f"none of the {row.words} words of {row.group!r} is in the "
                             "vocabulary")
            elif row.flagged:
                parts.append(f"{row.group!r} loses {row.lost:.0%} of its words ({row.missing} "
                             f"of {row.words}), more than the {self.threshold:.0%} threshold")
        if parts:
            return "Flagged: " + "; ".join(parts) + "."
        lost = int(self.groups["missing"].sum())
        variants = int(((self.words["status"] == "variant") & self.words["use"].notna()).sum())
        via = f" ({variants} through a case variant or phrase form)" if variants else ""
        if lost == 0:
            return "Every word is in the vocabulary" + via + "."
        return f"{lost} word(s) missing, within the {self.threshold:.0%} threshold{via}."

    def to_dict(self) -> dict[str, object]:
        """The report as JSON-ready values."""
        return {"threshold": self.threshold, "flagged": self.flagged,
                "groups": self.groups.to_dict("records"),
                "missing": self.missing.to_dict("records")}


def oov_report(embedding: Embedding, groups: WordGroups | Mapping[str, Sequence[str]]
               | Sequence[str], threshold: float = LOSS_THRESHOLD,
               use_variants: bool = True) -> OOVReport:
    """Look every word up; a group losing more than ``threshold`` of its words is flagged.

    A missing word whose case variant or phrase form exists (``New York`` -> ``New_York``) is
    marked ``variant``; with ``use_variants`` that form is used and the word is not lost.
    ValueError when ``threshold`` is not a share between 0 and 1.
    """
    threshold = check_fraction(threshold, "the loss threshold")
    if isinstance(groups, WordGroups):
        groups = groups.groups
    elif not isinstance(groups, Mapping):
        groups = {"words": list(groups)}
    rows = []
    searches = 0
    for group, words in groups.items():
        for word in dict.fromkeys(words):
            if word in embedding:
                rows.append((group, word, "found", word, ""))
                continue
            searches += 1
            info = suggest(embedding, word, close=searches <= MAX_SPELLING_SEARCHES)
            if searches > MAX_SPELLING_SEARCHES and info.suggestion is None:
                info = replace(info, reason=f"not in the vocabulary (spellings are searched "
                                            f"for the first {MAX_SPELLING_SEARCHES} only)")
            if info.suggestion and info.reason != "closest spelling":
                rows.append((group, word, "variant", info.suggestion if use_variants else None,
                             f"{info.suggestion!r}: {info.reason}"))
            else:
                note = f"did you mean {info.suggestion!r}?" if info.suggestion else info.reason
                rows.append((group, word, "missing", None, note))
    words = pd.DataFrame(rows, columns=["group", "word", "status", "use", "note"])
    summary = []
    for group in groups:
        mine = words[words["group"] == group]
        counts = mine["status"].value_counts()
        lost = int(mine["use"].isna().sum())
        share = lost / len(mine) if len(mine) else 1.0
        summary.append({"group": group, "words": len(mine), "found": int(counts.get("found", 0)),
                        "variant": int(counts.get("variant", 0)),
                        "missing": lost, "lost": share, "flagged": share > threshold})
    table = pd.DataFrame(summary, columns=["group", "words", "found", "variant", "missing",
                                           "lost", "flagged"])
    return OOVReport(words, table.astype({"flagged": bool}), threshold)
