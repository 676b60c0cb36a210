"""The bias shift: the same models trained on the original and on debiased embeddings.

For each embedding (original and each debiased copy: hard debias, INLP, multiclass hard debias,
Double-Hard debias, half-sibling regression) and each seed, the same sentiment classifier
(same data, split, hyper-parameters and seed) is trained and probed, and optionally the same
word LM; the classic lexicon baseline is probed beside it (deterministic: one run per
embedding). Every number is kept per seed so that a shift smaller than the spread over seeds
(training noise) is shown as such.

The shift's per-model budget is smaller than the standalone default (``SHIFT_SENTIMENT``: 5
epochs, at most 40 s) so that 3 seeds x 2 embeddings, debias included, fit in 10 minutes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from rnncore.bias import wordsets
from rnncore.corpora.reviews import Split, reviews_split
from rnncore.debias.methods import ANY_DIMENSION, METHODS, run_debias
from rnncore.embeddings import Embedding
from rnncore.models.lexicon_baseline import LexiconBaseline
from rnncore.models.sentiment import SentimentConfig
from rnncore.models.word_lm import WordLMConfig
from rnncore.probes.inputs import (
    Comparison,
    builtin_comparisons,
    lm_prompts,
    read_pairs,
    sentiment_templates,
)
from rnncore.probes.lm import probe_pronouns
from rnncore.probes.sentiment import known_in, probe_sentiment
from rnncore.train.jobs import Report, ShouldStop
from rnncore.train.sentiment import TrainSettings, train_sentiment
from rnncore.train.word_lm import LMCorpus, LMSettings, lm_corpus, train_word_lm

DEBIAS = tuple(METHODS)
SHIFT_SENTIMENT = TrainSettings(epochs=5, seconds=40.0, patience=2)
SHIFT_LM = LMSettings(epochs=2, seconds=20.0)


def debiased(embedding: Embedding, method: str, dimension: str = "gender") -> Embedding:
    """A new, debiased copy of ``embedding`` by ``method`` with its default parameters.

    ``dimension`` applies to the methods that take one (multiclass, hsr); the others remove
    gender.
    """
    return run_debias(embedding, method,
                      dimension if method in ANY_DIMENSION else "gender").after


@dataclass(frozen=True)
class ShiftSettings:
    debias: tuple[str, ...] = ("hard",)
    dimension: str = "gender"  # for the methods that take one (multiclass, hsr)
    seeds: tuple[int, ...] = (0, 1, 2)
    sentiment: SentimentConfig = field(default_factory=SentimentConfig)
    training: TrainSettings = SHIFT_SENTIMENT
    lm: bool = False
    lm_config: WordLMConfig = field(default_factory=lambda: WordLMConfig(hidden=128))
    lm_training: LMSettings = SHIFT_LM
    train_rows: int | None = None  # a subset of the training split (tests, quick looks)
    n_boot: int = 1000
    n_perm: int = 1000

    def as_dict(self) -> dict[str, object]:
        """The settings as JSON-ready values."""
        return {"debias": list(self.debias), "dimension": self.dimension,
                "seeds": list(self.seeds),
                "sentiment_model": self.sentiment.as_dict(),
                "sentiment_training": self.training.as_dict(), "lm": self.lm,
                "lm_model": self.lm_config.as_dict() if self.lm else None,
                "lm_training": self.lm_training.as_dict() if self.lm else None,
                "train_rows": self.train_rows, "bootstrap": self.n_boot,
                "permutations": self.n_perm}


@dataclass
class ShiftResult:
    """Per (embedding, seed): task quality and every probe's gap; plus the embeddings' identity."""

    quality: pd.DataFrame  # embedding, seed, model, metric, value
    gaps: pd.DataFrame     # embedding, seed, model, probe, title, gap, ci_low, ci_high, p_value
    embeddings: dict[str, dict]
    settings: ShiftSettings
    seconds: float
    notes: list[str]
    stopped: bool = False

    def summary(self) -> pd.DataFrame:
        """Per model, probe and embedding: mean, sd, min and max over seeds."""
        rows = pd.concat([
            self.quality.rename(columns={"metric": "probe"}).assign(kind="quality"),
            self.gaps.rename(columns={"gap": "value"})[
                ["embedding", "seed", "model", "probe", "value"]].assign(kind="gap"),
        ])
        return (rows.groupby(["kind", "model", "probe", "embedding"], sort=False)["value"]
                .agg(mean="mean", sd="std", low="min", high="max", n="count").reset_index())

    def comparison(self) -> pd.DataFrame:
        """Each debiased embedding against the original: the shift of the mean and the noise.

        ``noise`` is the larger of the two spreads over seeds (sd); ``beyond_noise`` is true when
        the shift exceeds twice that (with one run, as for the baseline, it is left empty).
        """
        summary = self.summary()
        original = summary[summary["embedding"] == "original"].set_index(
            ["kind", "model", "probe"])
        rows = []
        for (name, kind, model, probe), group in summary[summary["embedding"] != "original"] \
                .groupby(["embedding", "kind", "model", "probe"], sort=False):
            if (kind, model, probe) not in original.index:
                continue
            base, other = original.loc[(kind, model, probe)], group.iloc[0]
            noise = np.nanmax([base["sd"], other["sd"]]) if other["n"] > 1 else np.nan
            shift = other["mean"] - base["mean"]
            rows.append({"kind": kind, "model": model, "probe": probe, "debias": name,
                         "original": base["mean"], "original_sd": base["sd"],
                         "debiased": other["mean"], "debiased_sd": other["sd"], "shift": shift,
                         "noise": noise,
                         "beyond_noise": (bool(abs(shift) > 2 * noise)
                                          if np.isfinite(noise) else None)})
        return pd.DataFrame(rows)

    def quality_notes(self) -> list[str]:
        """Sentences for the models that did not learn their task well enough for their probes
        to be findings: a sentiment RNN not clearly above the word-list baseline's accuracy
        (per embedding, mean over seeds), a word LM whose perplexity is weak."""
        from rnncore.explain import WEAK_PERPLEXITY, learned_verdict, perplexity_verdict

        notes = []
        table = self.quality
        for name in dict.fromkeys(table["embedding"]) if not table.empty else ():
            rows = table[table["embedding"] == name]
            accuracy = rows[(rows["model"] == "rnn") & (rows["metric"] == "test_accuracy")]
            baseline = rows[(rows["model"] == "baseline") & (rows["metric"] == "test_accuracy")]
            if not accuracy.empty and not baseline.empty and (verdict := learned_verdict(
                    float(accuracy["value"].mean()), float(baseline["value"].mean()))):
                notes.append(f"Sentiment RNN on the {name} vectors: {verdict}.")
            perplexity = rows[(rows["model"] == "lm") & (rows["metric"] == "perplexity")]
            if not perplexity.empty and perplexity["value"].mean() > WEAK_PERPLEXITY:
                notes.append(f"Word LM on the {name} vectors: "
                             f"{perplexity_verdict(float(perplexity['value'].mean()))}.")
        return notes

    def as_dict(self) -> dict[str, object]:
        """Everything as JSON-ready values (the CLI's ``shift --json``)."""
        return {"format": "biaslab shift report v1", "seconds": round(self.seconds, 1),
                "stopped": self.stopped, "embeddings": self.embeddings,
                "settings": self.settings.as_dict(), "notes": self.notes,
                "quality": self.quality.to_dict("records"), "gaps": self.gaps.to_dict("records"),
                "comparison": self.comparison().to_dict("records")}


def _sentiment_rows(run, name: str, seed: int) -> list[dict]:
    return [{"embedding": name, "seed": seed, "model": "rnn", "metric": m, "value": v}
            for m, v in (("test_accuracy", run.test.accuracy), ("test_f1", run.test.f1),
                         ("train_seconds", run.train_seconds))]


def _gap_rows(probe, name: str, seed: int, model: str) -> list[dict]:
    keep = ["probe", "title", "mean_a", "mean_b", "gap", "ci_low", "ci_high", "p_value",
            "n_a", "n_b"]
    table = probe.gaps.rename(columns={"comparison": "probe"})[keep]
    return [{"embedding": name, "seed": seed, "model": model, **r}
            for r in table.to_dict("records")]


def run_shift(embedding: Embedding, settings: ShiftSettings | None = None,
              data: Split | None = None, comparisons: Sequence[Comparison] | None = None,
              templates: Sequence[str] | None = None, lm_data: LMCorpus | None = None,
              report: Report | None = None, should_stop: ShouldStop | None = None
              ) -> ShiftResult:
    """Train and probe on ``embedding`` and on each debiased copy, for every seed.

    ``report`` gets ``{"fraction", "message", ...}`` after every step; ``should_stop`` ends the
    run after the current model (the partial result is returned, ``stopped=True``).
    """
    settings = settings or ShiftSettings()
    report = report or (lambda update: None)
    should_stop = should_stop or (lambda: False)
    started = time.perf_counter()
    report({"fraction": 0.0, "message": "loading the reviews and probes", "seconds": 0.0})
    data = data or reviews_split()
    if settings.train_rows:
        data = replace(data, train=data.train.sample(
            n=min(settings.train_rows, len(data.train)), random_state=0).reset_index(drop=True))
    known = known_in(embedding)
    comparisons = list(comparisons or builtin_comparisons(known).values())
    templates = list(templates or sentiment_templates())
    professions = wordsets.neutral_professions()
    pairs, prompts = read_pairs("pronoun_pairs.csv"), lm_prompts()
    if settings.lm:
        lm_data = lm_data or lm_corpus("snippets")

    steps = (1 + len(settings.debias)) * len(settings.seeds) * (2 if settings.lm else 1)
    done, quality, gaps, notes, identities = 0, [], [], [], {}

    def tell(message: str, **extra) -> None:
        report({"fraction": done / steps, "message": message,
                "seconds": time.perf_counter() - started, **extra})

    def inner(message: str) -> Report:
        def forward(update: dict) -> None:
            fraction = (done + update.get("fraction", 0.0)) / steps
            report({"fraction": min(fraction, 1.0), "message": message,
                    "seconds": time.perf_counter() - started})
        return forward

    names = ["original", *settings.debias]
    stopped = False
    for name in names:
        if should_stop():
            stopped = True
            break
        if name == "original":
            current = embedding
        else:
            tell(f"debiasing ({name})")
            current = debiased(embedding, name, settings.dimension)
        identities[name] = current.info()
        tell(f"word-list baseline ({name})")
        baseline = LexiconBaseline().fit(current)
        probe = probe_sentiment(baseline.predict, comparisons, templates, known,
                                settings.n_boot, settings.n_perm)
        gaps += _gap_rows(probe, name, 0, "baseline")
        quality.append({"embedding": name, "seed": 0, "model": "baseline",
                        "metric": "test_accuracy", "value": float(np.mean(
                            (baseline.predict(list(data.test["text"])) >= 0.5)
                            == data.test["label"].to_numpy()))})
        if name == "original":
            notes += probe.notes()
        for seed in settings.seeds:
            if should_stop():
                stopped = True
                break
            label = f"{name}, seed {seed}"
            tell(f"sentiment RNN: {label} (reading the reviews into word ids)")
            run = train_sentiment(current, data, settings.sentiment,
                                  replace(settings.training, seed=seed),
                                  inner(f"sentiment RNN: {label}"), should_stop)
            quality += _sentiment_rows(run, name, seed)
            probe = probe_sentiment(run.predict, comparisons, templates, known,
                                    settings.n_boot, settings.n_perm, seed)
            gaps += _gap_rows(probe, name, seed, "rnn")
            done += 1
            tell(f"sentiment RNN done: {label}", test_accuracy=run.test.accuracy)
            if settings.lm and not should_stop():
                lm = train_word_lm(current, lm_data, settings.lm_config,
                                   replace(settings.lm_training, seed=seed),
                                   extra_words=[*professions, *(w for p in pairs for w in p)],
                                   report=inner(f"word LM: {label}"),
                                   should_stop=should_stop)
                quality.append({"embedding": name, "seed": seed, "model": "lm",
                                "metric": "perplexity", "value": lm.perplexity})
                pronouns = probe_pronouns(lm.next_probabilities, current, professions, prompts,
                                          pairs, lambda w, lm=lm: lm.vocab.id(w) != 0,
                                          direction_embedding=embedding)
                for r in pronouns.correlations.to_dict("records"):
                    gaps.append({"embedding": name, "seed": seed, "model": "lm",
                                 "probe": f"log P({r['pair']}) mean", "title":
                                 f"mean log-ratio {r['pair']} over professions",
                                 "gap": r["mean_log_ratio"], "p_value": np.nan})
                    gaps.append({"embedding": name, "seed": seed, "model": "lm",
                                 "probe": f"r(projection, log P({r['pair']}))", "title":
                                 f"Pearson r of the log-ratio {r['pair']} with the original "
                                 "gender projection", "gap": r["pearson_r"],
                                 "p_value": r["pearson_p"]})
                done += 1
                tell(f"word LM done: {label}", perplexity=lm.perplexity)
    report({"fraction": 1.0, "message": "done", "seconds": time.perf_counter() - started})
    return ShiftResult(pd.DataFrame(quality), pd.DataFrame(gaps), identities, settings,
                       time.perf_counter() - started, notes, stopped)


