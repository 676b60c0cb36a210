"""Case-aware word lookup with an out-of-vocabulary report."""

from __future__ import annotations

import difflib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rnncore.embeddings.embedding import Embedding

MAX_CACHED_SUGGESTIONS = 200_000  # (embedding sha256, word) -> Missing, least recently used out
MAX_CACHED_POOLS = 4  # embeddings whose spelling buckets are kept
MAX_SPELLING_SEARCHES = 200  # missing words of one list that get a closest-spelling search
_suggestions: OrderedDict[tuple[str, str, bool], Missing] = OrderedDict()
_pools: OrderedDict[str, dict[tuple[str, int], list[str]]] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class Missing:
    """A requested word that is not in the vocabulary, and what exists instead (if anything)."""

    word: str
    suggestion: str | None = None
    reason: str = "not in the vocabulary"


@dataclass(frozen=True)
class Lookup:
    """A looked-up word list: which request resolved to which vocabulary word, what is missing."""

    requested: list[str]
    resolved: dict[str, str] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)

    @property
    def found(self) -> list[str]:
        """Vocabulary words of the resolved requests, in request order, without duplicates."""
        return list(dict.fromkeys(self.resolved[w] for w in self.requested if w in self.resolved))

    @property
    def coverage(self) -> float:
        """Share of the distinct requested words that were found."""
        unique = set(self.requested)
        return len(unique & set(self.resolved)) / len(unique) if unique else 0.0

    def summary(self) -> str:
        """One sentence for people: how many were found and which are missing."""
        unique = len(set(self.requested))
        if not self.missing:
            return f"all {unique} words found"
        names = ", ".join(
            m.word + (f" (try {m.suggestion!r}: {m.reason})" if m.suggestion else "")
            for m in self.missing[:10])
        more = f" and {len(self.missing) - 10} more" if len(self.missing) > 10 else ""
        return (f"{unique - len(self.missing)} of {unique} words found "
                f"({self.coverage:.0%}); missing: {names}{more}")


def _variants(word: str) -> list[tuple[str, str]]:
    """Spelling variants worth trying, each with the reason shown to the user."""
    stripped = word.strip()
    phrase = "_".join(stripped.split())
    out = [(stripped, "surrounding spaces removed"), (phrase, "phrase form"),
           (stripped.lower(), "lower-case form"), (stripped.capitalize(), "capitalised form"),
           (stripped.title(), "title-case form"), (stripped.upper(), "upper-case form"),
           (phrase.lower(), "lower-case phrase form"), (phrase.title(), "title-case phrase form")]
    return [(v, why) for v, why in out if v and v != word]


def _buckets(embedding: Embedding) -> dict[tuple[str, int], list[str]]:
    """Lower-case vocabulary words by (first character, length), built once per embedding."""
    key = embedding.sha256
    with _lock:
        if key in _pools:
            _pools.move_to_end(key)
            return _pools[key]
    buckets: dict[tuple[str, int], list[str]] = {}
    for word in embedding.lowercase_index:
        buckets.setdefault((word[:1], len(word)), []).append(word)
    with _lock:
        _pools[key] = buckets
        while len(_pools) > MAX_CACHED_POOLS:
            _pools.popitem(last=False)
    return buckets


def _suggest(embedding: Embedding, word: str, close: bool) -> Missing:
    for variant, why in _variants(word):
        if variant in embedding:
            return Missing(word, variant, f"{why} exists")
    if close and word.strip():
        lower, key = embedding.lowercase_index, word.lower().strip()
        buckets = _buckets(embedding)
        pool = [w for n in range(len(key) - 2, len(key) + 3)
                for w in buckets.get((key[:1], n), ())]
        candidates = difflib.get_close_matches(key, pool, n=1, cutoff=0.8)
        if candidates:
            return Missing(word, lower[candidates[0]], "closest spelling")
    return Missing(word)


def suggest(embedding: Embedding, word: str, close: bool = True) -> Missing:
    """Why ``word`` is missing and which vocabulary word is the closest thing.

    Answers are cached per (embedding sha256, word), so a page rerun with the same list of
    thousands of unknown words costs dictionary lookups, not a vocabulary scan per word.
    """
    key = (embedding.sha256, word, close)
    with _lock:
        if key in _suggestions:
            _suggestions.move_to_end(key)
            return _suggestions[key]
    answer = _suggest(embedding, word, close)
    with _lock:
        _suggestions[key] = answer
        while len(_suggestions) > MAX_CACHED_SUGGESTIONS:
            _suggestions.popitem(last=False)
    return answer


def lookup(embedding: Embedding, words: Iterable[str], resolve_variants: bool = False,
           suggest_close: bool = True) -> Lookup:
    """Look ``words`` up exactly; missing ones get a suggestion.

    With ``resolve_variants`` a missing word whose case variant or phrase form exists resolves
    to that form and counts as found; close spellings are only ever suggested, and only for the
    first ``MAX_SPELLING_SEARCHES`` missing words (each search scans part of the vocabulary).
    """
    requested = [w for w in words]
    resolved: dict[str, str] = {}
    missing: list[Missing] = []
    searches = 0
    for word in dict.fromkeys(requested):
        if word in embedding:
            resolved[word] = word
            continue
        searches += 1
        info = suggest(embedding, word,
                       close=suggest_close and searches <= MAX_SPELLING_SEARCHES)
        if resolve_variants and info.suggestion and info.reason != "closest spelling":
            resolved[word] = info.suggestion
        else:
            missing.append(info)
    return Lookup(requested, resolved, missing)
