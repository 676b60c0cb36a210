"""The classic word-level sentiment baseline (Speer 2017; Sweeney & Najafian 2019, RNSB).

A logistic regression learns positive vs negative from the *vectors* of the Hu & Liu lexicon
words; a sentence is scored by the mean of its known words' predicted P(positive). Because it
sees only the vectors, any bias in the geometry (names, gendered words) goes straight into the
scores: the simplest model to set beside the RNN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from rnncore.corpora.lexicon import OpinionLexicon, load_opinion_lexicon
from rnncore.corpora.reviews import tokenize
from rnncore.embeddings import Embedding
from rnncore.models.word_vocab import EmbeddingVocab


@dataclass
class LexiconBaseline:
    """Logistic regression on word vectors of the opinion lexicon, sentences by word means."""

    C: float = 1.0
    seed: int = 0

    def fit(self, embedding: Embedding, lexicon: OpinionLexicon | None = None) -> LexiconBaseline:
        """Train the classifier on the opinion lexicon's words in ``embedding``; returns self."""
        lexicon = lexicon or load_opinion_lexicon()
        self.vocab_ = EmbeddingVocab(embedding)
        rows, labels = [], []
        for label, words in ((1, lexicon.positive), (0, lexicon.negative)):
            for word in words:
                ids = self.vocab_.ids(word)
                if len(ids) == 1 and ids[0] != self.vocab_.unk_id:
                    rows.append(ids[0])
                    labels.append(label)
        x, y = embedding.vectors[rows], np.array(labels)
        x_train, x_test, y_train, y_test = train_test_split(
            x, y, test_size=0.1, random_state=self.seed, stratify=y)
        self.model_ = LogisticRegression(C=self.C, max_iter=2000).fit(x_train, y_train)
        self.word_accuracy_ = float(self.model_.score(x_test, y_test))
        self.n_words_ = {"positive": int(y.sum()), "negative": int(len(y) - y.sum())}
        self.model_.fit(x, y)
        return self

    def word_scores(self, words: Sequence[str]) -> np.ndarray:
        """P(positive) for each word (NaN for out-of-vocabulary words)."""
        out = np.full(len(words), np.nan)
        known = [(i, ids[0]) for i, w in enumerate(words)
                 if len(ids := self.vocab_.ids(w)) == 1 and ids[0] != self.vocab_.unk_id]
        if known:
            idx, rows = zip(*known, strict=True)
            out[list(idx)] = self.model_.predict_proba(
                self.vocab_.embedding.vectors[list(rows)])[:, 1]
        return out

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """P(positive) of each sentence: the mean over its known words (0.5 if none)."""
        tokens = [tokenize(text) for text in texts]
        unique = list(dict.fromkeys(w for words in tokens for w in words))
        # one classifier call for every distinct word (not one per sentence: ~100x fewer calls)
        score = dict(zip(unique, self.word_scores(unique), strict=True)) if unique else {}
        out = np.empty(len(texts))
        for i, words in enumerate(tokens):
            scores = np.array([score[w] for w in words], dtype=np.float64)
            scores = scores[~np.isnan(scores)]
            out[i] = scores.mean() if scores.size else 0.5
        return out
