"""Class models: the models the RNN pages show by default, trained once and kept in the cache.

Each is trained with a fixed seed and the documented budget and stored as our own checkpoint
under ``$RNNCORE_CLASS_HOME`` or ``<cache>/class/<budget>/<name>/`` (``model.pt`` + ``meta.json``
with the config and metrics), loaded with ``torch.load(weights_only=True)``:

* ``sentiment-original`` / ``sentiment-hard``: the sentiment RNN (``SentimentConfig()``,
  ``TrainSettings()``) on w2v-news-31k and on its hard-debiased copy (default parameters);
* ``charlm-hamlet`` / ``charlm-names``: the character LM (``CharLMConfig``, ``TrainSettings()``);
* ``wordlm-original`` / ``wordlm-hard``: the word LM (``WordLMConfig()``, ``LMSettings()``) on the
  Rotten Tomatoes snippets over w2v-news-31k and over its hard-debiased copy, with the pronoun
  probe's professions and pronouns in its vocabulary.

The budget is ``full`` or ``quick`` (seconds, for tests and dry runs), chosen by argument or
``$BIASLAB_CLASS_BUDGET``. Either is a fixed amount of work, never a wall-clock limit: whole
epochs for the sentiment and word LMs, ``CHAR_STEPS`` steps per member for the character LMs,
with fixed seeds and one torch thread, so an idle and a busy server train the same models (a
student's own training keeps its time budget). ``python -m rnncore prepare-class`` trains the
missing ones ahead of a lesson and says how long each took.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from rnncore.assets.cache import cache_home
from rnncore.constants import DEFAULT_EMBEDDING
from rnncore.corpora.reviews import Split, reviews_split
from rnncore.embeddings import Embedding, load_builtin
from rnncore.models.char_lm import CharLM, CharLMConfig, CharVocab, save_checkpoint
from rnncore.models.checkpoint import load_checkpoint
from rnncore.models.sentiment import SentimentConfig, SentimentEnsemble
from rnncore.models.word_lm import SPECIALS, WordLM, WordLMConfig
from rnncore.models.word_vocab import EmbeddingVocab
from rnncore.train import char_lm as char_training
from rnncore.train.jobs import Report, ShouldStop
from rnncore.train.sentiment import TrainSettings, encode, predict_ids, train_sentiment
from rnncore.train.side_by_side import run_side_by_side
from rnncore.train.word_lm import LMCorpus, LMRun, LMSettings, LMVocab, lm_corpus, train_word_lm

EMBEDDING = DEFAULT_EMBEDDING
SENTIMENT = {"sentiment-original": None, "sentiment-hard": "hard"}  # name: debias method
CHAR_LM = {"charlm-hamlet": "hamlet", "charlm-names": "names"}      # name: corpus
WORD_LM = {"wordlm-original": None, "wordlm-hard": "hard"}     # name: debias method
WORD_LM_CORPUS = "snippets"
ON_EMBEDDING = {**SENTIMENT, **WORD_LM}  # the models that read the (debiased) class embedding
NAMES = (*SENTIMENT, *CHAR_LM, *WORD_LM)
BUDGETS = ("full", "quick")
QUICK_ROWS = 1500  # training rows of the quick sentiment budget
QUICK_LM_ROWS = 500  # training sentences of the quick word-LM budget (15 steps: 5 % validate)
CHAR_STEPS = 1500  # steps per member of the character-LM class models (full budget)
QUICK_CHAR_STEPS = 40


def budget(value: str | None = None) -> str:
    """``value``, else ``$BIASLAB_CLASS_BUDGET``, else ``full``."""
    chosen = value or os.environ.get("BIASLAB_CLASS_BUDGET") or "full"
    if chosen not in BUDGETS:
        raise ValueError(f"unknown class-model budget {chosen!r}; choose {' or '.join(BUDGETS)}")
    return chosen


def sentiment_budget(which: str) -> tuple[SentimentConfig, TrainSettings]:
    """The sentiment class model's config and training budget (``quick`` for tests, else full)."""
    if which == "quick":
        return SentimentConfig(members=1, hidden=16), TrainSettings(epochs=1, seconds=None)
    return SentimentConfig(), replace(TrainSettings(), seconds=None, threads=1)


def char_budget(which: str) -> tuple[CharLMConfig | None, char_training.TrainSettings]:
    """The char LM class models' config (None: the defaults) and budget (``quick`` or full)."""
    if which == "quick":
        return (CharLMConfig(vocab_size=1, members=2, hidden=32),
                char_training.TrainSettings(seconds=None, max_steps=QUICK_CHAR_STEPS, threads=1))
    return None, replace(char_training.TrainSettings(), seconds=None, max_steps=CHAR_STEPS,
                         threads=1)


def word_budget(which: str) -> tuple[WordLMConfig, LMSettings]:
    """The word-LM class models' config and budget (``quick``: one pass over the first
    ``QUICK_LM_ROWS`` sentences; else the page's defaults, all their epochs, no time limit)."""
    if which == "quick":
        return WordLMConfig(hidden=32), LMSettings(epochs=1, seconds=None, threads=1)
    return WordLMConfig(), replace(LMSettings(), seconds=None, threads=1)


def class_home(which: str | None = None) -> Path:
    """Where the class models of budget ``which`` live."""
    root = os.environ.get("RNNCORE_CLASS_HOME")
    return (Path(root) if root else cache_home() / "class") / budget(which)


def _path(name: str, which: str | None) -> Path:
    if name not in NAMES:
        raise ValueError(f"unknown class model {name!r}; choose from {', '.join(NAMES)}")
    return class_home(which) / name


def is_prepared(name: str, which: str | None = None) -> bool:
    """Whether class model ``name`` is already trained and stored in the cache."""
    return (_path(name, which) / "meta.json").is_file()


def meta(name: str, which: str | None = None) -> dict[str, Any]:
    """The stored config and metrics of a prepared class model."""
    return json.loads((_path(name, which) / "meta.json").read_text(encoding="utf-8"))


def fingerprint(name: str, which: str | None = None) -> str:
    """A hash of the stored class model ``name`` (its checkpoint and meta): results computed
    with it are keyed by it. Hashed once per file version (path, size, modification time)."""
    folder = _path(name, which)
    stats = [(folder / f).stat() for f in ("model.pt", "meta.json")]
    return _hashed(str(folder), tuple((s.st_size, s.st_mtime_ns) for s in stats))


@lru_cache(maxsize=64)
def _hashed(folder: str, _version: tuple) -> str:
    digest = hashlib.sha256()
    for part in ("model.pt", "meta.json"):
        digest.update((Path(folder) / part).read_bytes())
    return digest.hexdigest()[:16]


def class_embedding(name: str, original: Embedding | None = None) -> Embedding:
    """The embedding a sentiment or word-LM class model reads (the original or its debiased
    copy)."""
    from rnncore.shift.compare import debiased

    original = original or load_builtin(EMBEDDING)
    method = ON_EMBEDDING[name]
    return original if method is None else debiased(original, method)


def _write(folder: Path, checkpoint: Callable[[Path], None], info: dict[str, Any]) -> None:
    """Write model.pt then meta.json (the marker) atomically into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        checkpoint(Path(tmp) / "model.pt")
        os.replace(Path(tmp) / "model.pt", folder / "model.pt")
        (Path(tmp) / "meta.json").write_text(json.dumps(info, indent=1, default=str),
                                             encoding="utf-8")
        os.replace(Path(tmp) / "meta.json", folder / "meta.json")


def _quick_rows(data: Split, which: str) -> Split:
    return data if which == "full" else replace(data, train=data.train.iloc[:QUICK_ROWS])


def prepare(name: str, which: str | None = None, report: Report | None = None,
            should_stop: ShouldStop | None = None, embedding: Embedding | None = None,
            force: bool = False) -> dict[str, Any]:
    """Train class model ``name`` unless it is stored already; return its meta."""
    which = budget(which)
    if is_prepared(name, which) and not force:
        return meta(name, which)
    folder = _path(name, which)
    if name in SENTIMENT:
        embedding = embedding or class_embedding(name)
        config, settings = sentiment_budget(which)
        run = train_sentiment(embedding, _quick_rows(reviews_split(), which), config, settings,
                              report, should_stop)
        info = {"name": name, "kind": "sentiment", "budget": which,
                "embedding": embedding.name, "embedding_sha256": embedding.sha256,
                "debias": SENTIMENT[name], **run.summary()}
        state = run.model.state_dict()  # the frozen matrix is not in it (non-persistent)
        _write(folder, lambda p: torch.save({"state_dict": state, "config": config.as_dict(),
                                             "extra": list(run.vocab.extra)}, p), info)
        return info
    if name in WORD_LM:
        return _prepare_word_lm(name, which, folder, embedding or class_embedding(name), report,
                                should_stop)
    from rnncore.corpora.text import load_corpus

    config, settings = char_budget(which)
    result = char_training.train_char_lm(load_corpus(CHAR_LM[name]).text, config, settings,
                                         report, should_stop)
    info = {"name": name, "kind": "charlm", "budget": which, "corpus": CHAR_LM[name],
            **result.summary()}
    _write(folder, lambda p: save_checkpoint(p, result.model, result.vocab, {"name": name}), info)
    return info


def probe_words() -> list[str]:
    """The pronoun probe's professions and pair words (kept in a word LM's vocabulary)."""
    from rnncore.bias import wordsets
    from rnncore.probes.inputs import read_pairs

    pairs = read_pairs("pronoun_pairs.csv")
    return [*wordsets.neutral_professions(), *(w for p in pairs for w in p)]


def word_corpus(which: str) -> LMCorpus:
    """The snippets a word-LM class model of budget ``which`` trains and is scored on."""
    corpus = lm_corpus(WORD_LM_CORPUS)
    if which == "quick":
        corpus = replace(corpus, train=corpus.train[:QUICK_LM_ROWS],
                         heldout=corpus.heldout[:QUICK_LM_ROWS // 5])
    return corpus


def _prepare_word_lm(name: str, which: str, folder: Path, embedding: Embedding,
                     report: Report | None, should_stop: ShouldStop | None) -> dict[str, Any]:
    config, settings = word_budget(which)
    corpus = word_corpus(which)
    run = train_word_lm(embedding, corpus, config, settings, probe_words(), report,
                        should_stop)
    info = {"name": name, "kind": "wordlm", "budget": which, **run.summary(),
            "embedding_sha256": embedding.sha256, "debias": WORD_LM[name],
            "history": run.history.to_dict("records")}
    state = {k: v for k, v in run.model.state_dict().items() if k != "frozen"}  # the embedding's
    _write(folder, lambda p: torch.save({"state_dict": state, "config": config.as_dict(),  # rows
                                         "settings": settings.as_dict(),
                                         "words": run.vocab.words[len(SPECIALS):]}, p), info)
    return info


@dataclass
class ClassSentiment:
    """A stored sentiment class model over its (shared, read-only) embedding."""

    model: SentimentEnsemble
    vocab: EmbeddingVocab
    meta: dict[str, Any]

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """P(positive) for raw sentences."""
        return predict_ids(self.model, encode(self.vocab, texts))


def load_sentiment(name: str, embedding: Embedding, which: str | None = None) -> ClassSentiment:
    """The stored sentiment model ``name`` over ``embedding`` (which must be the one it was
    trained on: same sha256)."""
    info = meta(name, which)
    if info["embedding_sha256"] != embedding.sha256:
        raise ValueError(f"{name} was trained on another embedding ({info['embedding']})")
    data = torch.load(_path(name, which) / "model.pt", map_location="cpu", weights_only=True)
    vocab = EmbeddingVocab(embedding, data["extra"])
    model = SentimentEnsemble(embedding.vectors, SentimentConfig(**data["config"]),
                              vocab.extra_vectors())
    model.load_state_dict(data["state_dict"])
    model.eval()
    return ClassSentiment(model, vocab, info)


def load_word_lm(name: str, embedding: Embedding, which: str | None = None) -> LMRun:
    """The stored word-LM class model ``name`` over ``embedding`` (the one it was trained on:
    same sha256), as the ``LMRun`` a training returns (history and perplexity from its meta)."""
    info = meta(name, which)
    if info["embedding_sha256"] != embedding.sha256:
        raise ValueError(f"{name} was trained on another embedding ({info['embedding']})")
    data = torch.load(_path(name, which) / "model.pt", map_location="cpu", weights_only=True)
    vocab = LMVocab(embedding, data["words"])
    config = WordLMConfig(**data["config"])
    model = WordLM(vocab.vectors(), config)
    model.load_state_dict({**data["state_dict"], "frozen": model.frozen})
    model.eval()
    return LMRun(model, vocab, config, LMSettings(**data["settings"]),
                 pd.DataFrame(info["history"]), info["perplexity"], info["heldout_unk_rate"],
                 info["train_seconds"], info["stopped"], info["corpus"],
                 info.get("validation_perplexity", float("nan")), info.get("best_epoch", 0),
                 info.get("train_cpu_seconds", float("nan")))


def load_char_lm(name: str, which: str | None = None) -> tuple[CharLM, CharVocab, dict]:
    """(model, vocab, meta) of a stored character-LM class model."""
    model, vocab, _ = load_checkpoint(_path(name, which) / "model.pt")
    return model, vocab, meta(name, which)


def prepare_all(which: str | None = None, names: Sequence[str] = NAMES,
                progress: Callable[[str, dict], None] | None = None) -> list[dict[str, Any]]:
    """Prepare every class model in ``names`` (the hard-debiased embedding is computed once).

    The word LMs train on one torch thread each, so the two missing ones train side by side,
    one per core. Each meta comes with ``trained`` (False: it was stored already),
    ``side_by_side`` (the models trained at the same time) and the wall and process-CPU seconds
    of its preparation (``prepare_seconds``, ``prepare_cpu_seconds``: those of the pair for
    models trained side by side; a debiased embedding computed for it included).
    """
    original = load_builtin(EMBEDDING)
    embeddings: dict[str, Embedding] = {}
    missing_lms = [n for n in names if n in WORD_LM and not is_prepared(n, which)]
    groups = [[n] for n in names if n not in missing_lms]
    groups.insert(next((i for i, g in enumerate(groups) if g[0] in WORD_LM), len(groups)),
                  missing_lms)
    infos: dict[str, dict[str, Any]] = {}
    for group in filter(None, groups):
        started, cpu = time.perf_counter(), time.process_time()
        trained = [not is_prepared(name, which) for name in group]
        tasks = []
        for name, fresh in zip(group, trained, strict=True):
            embedding = None
            if name in ON_EMBEDDING and fresh:
                key = ON_EMBEDDING[name] or "original"
                embeddings.setdefault(key, class_embedding(name, original))
                embedding = embeddings[key]
            tasks.append(lambda n=name, e=embedding: prepare(
                n, which, embedding=e, report=(lambda u: progress(n, u)) if progress else None))
        results = run_side_by_side(tasks)
        for name, info, fresh in zip(group, results, trained, strict=True):
            infos[name] = info | {"trained": fresh, "side_by_side": group if fresh else [name],
                                  "prepare_seconds": time.perf_counter() - started,
                                  "prepare_cpu_seconds": time.process_time() - cpu}
    return [infos[name] for name in names]


__all__ = ["NAMES", "ClassSentiment", "budget", "class_embedding", "class_home", "fingerprint",
           "is_prepared", "load_char_lm", "load_sentiment", "load_word_lm", "meta", "prepare",
           "prepare_all", "probe_words"]
