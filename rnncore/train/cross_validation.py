"""Stratified k-fold cross-validation of the sentiment classifier (the protocol Kim 2014 reports).

``stratified_folds`` cuts a ``text, label`` table with scikit-learn's ``StratifiedKFold``
(shuffled with a fixed seed): fold ``i`` is the test set, and the other folds are split again,
stratified, into training rows and a validation slice (``validation_share`` of them). Nothing
is chosen on a test fold: each member keeps its best epoch on the validation slice, and the
settings are fixed before the folds are drawn. ``cross_validate`` trains and scores one model
per fold and reports per-fold accuracy, mean and sd, wall and CPU seconds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass

import pandas as pd
from sklearn.model_selection import StratifiedKFold, train_test_split

from rnncore.corpora.reviews import Split
from rnncore.embeddings import Embedding
from rnncore.models.sentiment import SentimentConfig
from rnncore.train.jobs import ShouldStop
from rnncore.train.sentiment import SentimentRun, TrainSettings, train_sentiment

FOLD_SEED = 20240601
VALIDATION_SHARE = 1 / 9  # of the training folds: 80/10/10 overall with 10 folds


def stratified_folds(table: pd.DataFrame, k: int = 10, seed: int = FOLD_SEED,
                     validation_share: float = VALIDATION_SHARE) -> Iterator[Split]:
    """The ``k`` splits of ``table``: test = one fold, train + validation = the others."""
    if k < 2:
        raise ValueError(f"cross-validation needs at least 2 folds, not {k}")
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for index, (rest_rows, test_rows) in enumerate(folds.split(table, table["label"])):
        rest = table.iloc[rest_rows]
        train, validation = train_test_split(rest, test_size=validation_share,
                                             random_state=seed + index, stratify=rest["label"])
        yield Split(*(t.reset_index(drop=True) for t in (train, validation,
                                                          table.iloc[test_rows])), seed=seed)


@dataclass(frozen=True)
class FoldScore:
    """One fold's model: test and validation accuracy, each member's, time spent."""

    fold: int
    test_accuracy: float
    test_f1: float
    validation_accuracy: float
    member_test_accuracy: list[float]
    best_epochs: list[int]
    train_seconds: float
    cpu_seconds: float
    sizes: dict[str, int]


@dataclass(frozen=True)
class CrossValidation:
    """Per-fold scores with their mean and spread (sample sd over folds)."""

    k: int
    seed: int
    folds: list[FoldScore]

    @staticmethod
    def _mean_sd(values: list[float]) -> tuple[float, float | None]:
        return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else None

    @property
    def mean_accuracy(self) -> float:
        """Mean test accuracy over the folds run."""
        return self._mean_sd([f.test_accuracy for f in self.folds])[0]

    @property
    def sd_accuracy(self) -> float | None:
        """Sample standard deviation of the test accuracy over the folds (None for one)."""
        return self._mean_sd([f.test_accuracy for f in self.folds])[1]

    def summary(self, test: bool = True) -> dict[str, object]:
        """JSON-ready figures; ``test=False`` leaves every test figure out (for choosing
        settings on validation data only)."""
        hidden = {"test_accuracy", "test_f1", "member_test_accuracy"}
        rows = [{k: v for k, v in asdict(f).items() if test or k not in hidden}
                for f in self.folds]
        valid_mean, valid_sd = self._mean_sd([f.validation_accuracy for f in self.folds])
        out: dict[str, object] = {"k": self.k, "fold_seed": self.seed, "folds_run": len(rows),
                                  "folds": rows, "mean_validation_accuracy": valid_mean,
                                  "sd_validation_accuracy": valid_sd,
                                  "mean_train_seconds": statistics.mean(
                                      f.train_seconds for f in self.folds),
                                  "mean_cpu_seconds": statistics.mean(
                                      f.cpu_seconds for f in self.folds)}
        if test:
            members = [a for f in self.folds for a in f.member_test_accuracy]
            out |= {"mean_test_accuracy": self.mean_accuracy,
                    "sd_test_accuracy": self.sd_accuracy,
                    "mean_member_test_accuracy": statistics.mean(members)}
        return out


def cross_validate(embedding: Embedding, table: pd.DataFrame, k: int = 10,
                   config: SentimentConfig | None = None, settings: TrainSettings | None = None,
                   only: Sequence[int] | None = None, seed: int = FOLD_SEED,
                   on_fold: Callable[[FoldScore], None] | None = None,
                   should_stop: ShouldStop | None = None) -> CrossValidation:
    """Train and score the classifier on each fold of ``table`` (or only the folds ``only``,
    0-based); ``on_fold`` gets each fold's score as soon as it is known. Give ``settings``
    without a time limit (``seconds=None``) for figures that do not depend on the load."""
    scores: list[FoldScore] = []
    for index, data in enumerate(stratified_folds(table, k, seed)):
        if only is not None and index not in only:
            continue
        if should_stop and should_stop():
            break
        cpu = time.process_time()
        run: SentimentRun = train_sentiment(embedding, data, config, settings,
                                            should_stop=should_stop)
        score = FoldScore(index, run.test.accuracy, run.test.f1, run.validation.accuracy,
                          [m.accuracy for m in run.member_test], run.best_epochs,
                          run.train_seconds, time.process_time() - cpu, data.sizes())
        scores.append(score)
        if on_fold:
            on_fold(score)
    return CrossValidation(k, seed, scores)
