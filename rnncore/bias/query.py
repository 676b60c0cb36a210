"""A bias query: named target sets x named attribute sets (WEFE's ``Query``), and its vectors.

Every metric of :mod:`rnncore.bias.scores` takes a :class:`Query`. :func:`embed_query` looks its
words up (exactly, no case folding: WEFE's default ``preprocessors=[{}]``; with
``lowercase=True`` a word not found is tried in lower case, WEFE's
``preprocessors=[{}, {"lowercase": True}]``, e.g. for GloVe), drops missing and repeated words,
and applies WEFE's ``lost_vocabulary_threshold`` (default 0.2): when any set loses a larger
share of its words, the query cannot be scored and every metric returns NaN with the reason.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from rnncore.embeddings import Embedding, lookup

LOST_VOCABULARY_THRESHOLD = 0.2  # WEFE 1.0.1's default


def _name(targets: Sequence[str], attributes: Sequence[str]) -> str:
    """WEFE's query name: ``"T1 and T2 wrt A1 and A2"``."""
    return f"{' and '.join(targets)} wrt {' and '.join(attributes)}"


@dataclass(frozen=True)
class Query:
    """Target sets and attribute sets, each with a name (WEFE's ``Query``)."""

    targets: tuple[tuple[str, ...], ...]
    attributes: tuple[tuple[str, ...], ...]
    target_names: tuple[str, ...]
    attribute_names: tuple[str, ...]
    name: str = ""

    def __post_init__(self) -> None:
        if len(self.targets) != len(self.target_names) or len(self.attributes) != len(
                self.attribute_names):
            raise ValueError("every word set needs a name")
        if not self.targets or not self.attributes:
            raise ValueError("a query needs at least one target set and one attribute set")
        object.__setattr__(self, "targets", tuple(tuple(s) for s in self.targets))
        object.__setattr__(self, "attributes", tuple(tuple(s) for s in self.attributes))
        object.__setattr__(self, "target_names", tuple(self.target_names))
        object.__setattr__(self, "attribute_names", tuple(self.attribute_names))
        if not self.name:
            object.__setattr__(self, "name", _name(self.target_names, self.attribute_names))

    @classmethod
    def build(cls, targets: dict[str, Sequence[str]], attributes: dict[str, Sequence[str]],
              name: str = "") -> Query:
        """A query from ``{set name: words}`` dictionaries (in order)."""
        return cls(tuple(tuple(w) for w in targets.values()),
                   tuple(tuple(w) for w in attributes.values()), tuple(targets),
                   tuple(attributes), name)

    @property
    def template(self) -> tuple[int, int]:
        """(number of target sets, number of attribute sets)."""
        return len(self.targets), len(self.attributes)

    def subqueries(self, n_targets: int, n_attributes: int, prefix: str = "") -> list[Query]:
        """Every query of ``n_targets`` of its target sets and ``n_attributes`` of its
        attribute sets, in WEFE's order (``Query.get_subqueries``); ``prefix`` starts each name."""
        if n_targets > len(self.targets) or n_attributes > len(self.attributes):
            raise ValueError(f"query {self.name!r} has only {self.template} sets")
        out = []
        for t in itertools.combinations(range(len(self.targets)), n_targets):
            for a in itertools.combinations(range(len(self.attributes)), n_attributes):
                names_t = [self.target_names[i] for i in t]
                names_a = [self.attribute_names[i] for i in a]
                out.append(Query(tuple(self.targets[i] for i in t),
                                 tuple(self.attributes[i] for i in a), tuple(names_t),
                                 tuple(names_a), prefix + _name(names_t, names_a)))
        return out

    def to_dict(self) -> dict:
        """The query's name and word sets as JSON-ready values."""
        pairs = (zip(self.target_names, self.targets, strict=True),
                 zip(self.attribute_names, self.attributes, strict=True))
        return {"name": self.name, "targets": {n: list(w) for n, w in pairs[0]},
                "attributes": {n: list(w) for n, w in pairs[1]}}


@dataclass(frozen=True)
class EmbeddedQuery:
    """A query's vectors (float64 matrices of the words found, in set order)."""

    query: Query
    targets: tuple[np.ndarray, ...]
    attributes: tuple[np.ndarray, ...]
    target_words: tuple[tuple[str, ...], ...]
    attribute_words: tuple[tuple[str, ...], ...]
    dropped: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problem: str = ""  # why the query cannot be scored ("" when it can)


def _found(embedding: Embedding, wanted: Sequence[str],
           lowercase: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(vocabulary words found, in order and without repeats; requested words not found)."""
    report = lookup(embedding, wanted, suggest_close=False)
    missing = tuple(m.word for m in report.missing)
    if not lowercase:
        return tuple(report.found), missing
    resolved = {w: w if w in embedding else w.lower() for w in wanted
                if w in embedding or w.lower() in embedding}
    return (tuple(dict.fromkeys(resolved[w] for w in wanted if w in resolved)),
            tuple(w for w in missing if w not in resolved))


def embed_query(embedding: Embedding, query: Query,
                lost_vocabulary_threshold: float = LOST_VOCABULARY_THRESHOLD,
                lowercase: bool = False) -> EmbeddedQuery:
    """Look up every set of ``query``; ``problem`` says which set lost too many words."""
    words, matrices, dropped, problems = [], [], {}, []
    for name, wanted in zip((*query.target_names, *query.attribute_names),
                            (*query.targets, *query.attributes), strict=True):
        found, missing = _found(embedding, wanted, lowercase)
        words.append(found)
        matrices.append(embedding.matrix(found).astype(np.float64) if found
                        else np.zeros((0, embedding.dim)))
        dropped[name] = missing
        unique = len(dict.fromkeys(wanted))
        lost = (unique - len(found)) / unique if unique else 1.0
        if lost > lost_vocabulary_threshold or not found:
            problems.append(f"set {name!r} lost {unique - len(found)} of its {unique} words "
                            f"({lost:.0%} > {lost_vocabulary_threshold:.0%})")
    n = len(query.targets)
    return EmbeddedQuery(query, tuple(matrices[:n]), tuple(matrices[n:]), tuple(words[:n]),
                         tuple(words[n:]), dropped, "; ".join(problems))
