"""Sentiment probe: templates x groups -> P(positive) -> gap per comparison with uncertainty.

Works with any scorer ``predict(sentences) -> P(positive)``: the RNN classifier and the
lexicon baseline alike. A word counts only when the embedding knows it (an unknown word would
be scored through <unk>, the same for every group); the others are reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rnncore.corpora.reviews import tokenize
from rnncore.embeddings import Embedding
from rnncore.models.word_vocab import EmbeddingVocab
from rnncore.probes.inputs import CheckedComparison, Comparison, check_comparison, fill
from rnncore.probes.stats import gap

Predict = Callable[[Sequence[str]], np.ndarray]
MAX_SENTENCES = 50_000  # templates x words scored at most; extra templates are cut (and said)


def known_in(embedding: Embedding) -> Callable[[str], bool]:
    """``word -> bool``: every token of the word resolves to a vector of ``embedding``."""
    vocab = EmbeddingVocab(embedding)

    def known(word: str) -> bool:
        tokens = tokenize(word)
        return bool(tokens) and all(vocab.is_known(t) for t in tokens)

    return known


@dataclass
class SentimentProbe:
    """Per-word scores and per-comparison gaps (group a minus group b)."""

    words: pd.DataFrame  # comparison, side, group, word, score (mean over templates)
    gaps: pd.DataFrame   # comparison, title, a, b, mean_a, mean_b, gap, ci_low, ci_high, ...
    templates: list[str]
    checked: list[CheckedComparison]
    cut: str = ""  # what the templates x words cap left out ('' when nothing)

    def notes(self) -> list[str]:
        """The comparisons' notes on left-out words and empty groups, and what was cut."""
        return [f"{c.comparison.title}: {c.note}" for c in self.checked if c.note] + (
            [self.cut] if self.cut else [])


def probe_sentiment(predict: Predict, comparisons: Sequence[Comparison],
                    templates: Sequence[str], known: Callable[[str], bool],
                    n_boot: int = 2000, n_perm: int = 2000, seed: int = 0) -> SentimentProbe:
    """Score every template filled with every known word; gaps with bootstrap CI and p."""
    checked = [check_comparison(c, known) for c in comparisons]
    words = sorted({w for c in checked for w in (*c.a, *c.b)})
    cut = ""
    keep = max(1, MAX_SENTENCES // max(1, len(words)))
    if len(templates) > keep:
        cut = (f"only the first {keep:,} of {len(templates):,} templates were scored: "
               f"templates x words ({len(templates):,} x {len(words):,}) is capped at "
               f"{MAX_SENTENCES:,} sentences")
        templates = list(templates)[:keep]
    sentences = [s for w in words for s in fill(templates, w)]
    scores = np.asarray(predict(sentences), dtype=np.float64) if sentences else np.empty(0)
    per_word = dict(zip(words, scores.reshape(len(words), len(templates)).mean(1), strict=True)
                    ) if words else {}
    word_rows, gap_rows = [], []
    for c in checked:
        comp = c.comparison
        for side, name, group in (("a", comp.a_name, c.a), ("b", comp.b_name, c.b)):
            word_rows += [{"comparison": comp.key, "side": side, "group": name, "word": w,
                           "score": per_word[w]} for w in group]
        result = gap(np.array([per_word[w] for w in c.a]), np.array([per_word[w] for w in c.b]),
                     n_boot=n_boot, n_perm=n_perm, seed=seed)
        gap_rows.append({"comparison": comp.key, "title": comp.title, "a": comp.a_name,
                         "b": comp.b_name, **result.as_dict(), "note": c.note,
                         "source": comp.source})
    return SentimentProbe(pd.DataFrame(word_rows), pd.DataFrame(gap_rows), list(templates),
                          checked, cut)
