"""The Hu & Liu (2004) opinion lexicon: about 2,000 positive and 4,800 negative English words.

Read from the pinned ``wefe`` wheel (Latin-1 text, ``;`` comment lines). Used by the word-level
sentiment baseline (Speer 2017; Sweeney & Najafian 2019): a classifier on the words' vectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rnncore.assets import asset_path

LEXICON_ASSET = "wefe"
LEXICON_MEMBERS = {"positive": "wefe/datasets/data/positive-words.txt",
                   "negative": "wefe/datasets/data/negative-words.txt"}


@dataclass(frozen=True)
class OpinionLexicon:
    positive: tuple[str, ...]
    negative: tuple[str, ...]


def read_word_list(path: Path) -> list[str]:
    """Words of a Hu & Liu file: one per line, ``;`` starts a comment, Latin-1 encoded."""
    text = path.read_bytes().decode("latin-1")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.startswith(";")]


def load_opinion_lexicon() -> OpinionLexicon:
    """The positive and negative word lists (words in both lists are dropped from both)."""
    pos, neg = (read_word_list(asset_path(LEXICON_ASSET, LEXICON_MEMBERS[k]))
                for k in ("positive", "negative"))
    both = set(pos) & set(neg)
    return OpinionLexicon(tuple(w for w in pos if w not in both),
                          tuple(w for w in neg if w not in both))
