"""Case-aware word lookup with an out-of-vocabulary report."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from rnncore.embeddings.embedding import Embedding


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


def suggest(embedding: Embedding, word: str, close: bool = True) -> Missing:
    """Why ``word`` is missing and which vocabulary word is the closest thing."""
    for variant, why in _variants(word):
        if variant in embedding:
            return Missing(word, variant, f"{why} exists")
    if close and word.strip():
        lower, key = embedding.lowercase_index, word.lower().strip()
        pool = [w for w in lower if w[:1] == key[:1] and abs(len(w) - len(key)) <= 2]
        candidates = difflib.get_close_matches(key, pool, n=1, cutoff=0.8)
        if candidates:
            return Missing(word, lower[candidates[0]], "closest spelling")
    return Missing(word)


def lookup(embedding: Embedding, words: Iterable[str], resolve_variants: bool = False,
           suggest_close: bool = True) -> Lookup:
    """Look ``words`` up exactly; missing ones get a suggestion.

    With ``resolve_variants`` a missing word whose case variant or phrase form exists resolves
    to that form and counts as found; close spellings are only ever suggested.
    """
    requested = [w for w in words]
    resolved: dict[str, str] = {}
    missing: list[Missing] = []
    for word in dict.fromkeys(requested):
        if word in embedding:
            resolved[word] = word
            continue
        info = suggest(embedding, word, close=suggest_close)
        if resolve_variants and info.suggestion and info.reason != "closest spelling":
            resolved[word] = info.suggestion
        else:
            missing.append(info)
    return Lookup(requested, resolved, missing)
