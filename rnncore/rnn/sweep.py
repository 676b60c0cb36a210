"""The MIT difficulty sweep: which strings need how much hidden state and how many SGD steps.

A cell (string, hidden size) trains once up to the largest step count and is evaluated (100
samples) at each checkpoint; it stops at the first checkpoint with >= ``threshold`` exact
reproductions (a larger step count is only needed when smaller ones fail). A string's difficulty
is the smallest hidden size that succeeds, then the fewest steps. Cells run in a process pool
(one per core) and are cached on disk by their parameters, so a second run is instant.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from rnncore.assets import cache_home
from rnncore.rnn.mit import TrainConfig, count_exact, sample_strings, train

COURSE_STRINGS = ("aaaaaaaaaa", "aabaaabbaaaababaabaa", "abcdefghijklmnopqrstuvwxyz",
                  "abcabcabcabcabc")
HIDDEN_SIZES = (1, 2, 4, 8, 16, 32)
CHECKPOINTS = (1000, 5000, 10000, 15000, 20000)


@dataclass(frozen=True)
class Cell:
    """One (string, hidden size) training run with its evaluation settings."""

    word: str
    hidden: int
    checkpoints: tuple[int, ...] = CHECKPOINTS
    step_size: float = 0.05
    seed: int = 0
    n_samples: int = 100
    threshold: int = 95

    def key(self) -> str:
        """A short hash of the cell's settings (its cache key)."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:20]

    def train_seed(self) -> int:
        """A seed per cell from the base seed, the string and the hidden size (reproducible)."""
        return zlib.crc32(f"{self.seed}:{self.word}:{self.hidden}".encode())


@dataclass
class CellResult:
    word: str
    hidden: int
    exact_by_steps: dict[int, int] = field(default_factory=dict)  # checkpoint -> exact / 100
    solved_at: int | None = None  # first checkpoint reaching the threshold

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready values."""
        return {"word": self.word, "hidden": self.hidden, "solved_at": self.solved_at,
                "exact_by_steps": {str(k): v for k, v in self.exact_by_steps.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CellResult:
        """The result read back from :meth:`as_dict`'s values."""
        return cls(data["word"], data["hidden"],
                   {int(k): v for k, v in data["exact_by_steps"].items()}, data["solved_at"])


def results_dir() -> Path:
    """Folder of the cached sweep results in the data cache."""
    return cache_home() / "results" / "rnn_sweep"


def _cache_file(cell: Cell, cache_dir: Path | None) -> Path:
    return (cache_dir or results_dir()) / f"{cell.key()}.json"


def cached(cell: Cell, cache_dir: Path | None = None) -> CellResult | None:
    """The stored result of ``cell`` (under ``cache_dir``, default ``results_dir()``) or None."""
    path = _cache_file(cell, cache_dir)
    if not path.exists():
        return None
    try:
        return CellResult.from_dict(json.loads(path.read_text()))
    except (ValueError, KeyError):
        return None


def run_cell(cell: Cell, cache_dir: Path | None = None) -> CellResult:
    """Train one cell, evaluating at each checkpoint; stops at the first success. Cached."""
    hit = cached(cell, cache_dir)
    if hit is not None:
        return hit
    result = CellResult(cell.word, cell.hidden)
    seed = cell.train_seed()

    def evaluate(step: int, model) -> bool:
        samples = sample_strings(model, cell.n_samples, seed=seed + step,
                                 max_len=2 * len(cell.word) + 10)
        result.exact_by_steps[step] = count_exact(samples, cell.word)
        if result.exact_by_steps[step] >= cell.threshold:
            result.solved_at = step
            return True
        return False

    config = TrainConfig(hidden=cell.hidden, steps=max(cell.checkpoints),
                         step_size=cell.step_size, seed=seed)
    train(cell.word, config, checkpoints=cell.checkpoints, on_checkpoint=evaluate)
    path = _cache_file(cell, cache_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result.as_dict()))
    tmp.replace(path)
    return result


@dataclass
class SweepResult:
    cells: list[CellResult]
    checkpoints: tuple[int, ...]
    threshold: int

    def table(self) -> pd.DataFrame:
        """One row per (string, hidden): exact reproductions at each checkpoint tried."""
        rows = []
        for c in self.cells:
            row = {"string": c.word, "hidden": c.hidden, "solved at steps": c.solved_at}
            for step in self.checkpoints:
                row[f"exact@{step}"] = c.exact_by_steps.get(step)
            rows.append(row)
        table = pd.DataFrame(rows).sort_values(["string", "hidden"], kind="stable")
        return table.astype({c: "Int64" for c in table.columns if c not in ("string",)})

    def difficulty(self) -> pd.DataFrame:
        """Per string: smallest hidden size that reaches the threshold, then fewest steps."""
        rows = []
        words = list(dict.fromkeys(c.word for c in self.cells))
        for word in words:
            solved = sorted((c.hidden, c.solved_at) for c in self.cells
                            if c.word == word and c.solved_at is not None)
            hidden, steps = solved[0] if solved else (None, None)
            rows.append({"string": word, "length": len(word), "min hidden": hidden,
                         "steps": steps})
        table = pd.DataFrame(rows).astype({"min hidden": "Int64", "steps": "Int64"})
        table["rank"] = (table[["min hidden", "steps"]].fillna(10**9)
                         .apply(tuple, axis=1).rank(method="min").astype(int))
        return table.sort_values(["rank", "string"]).reset_index(drop=True)


def make_cells(words: Sequence[str], hidden_sizes: Sequence[int], checkpoints: Sequence[int],
               step_size: float, seed: int, n_samples: int = 100,
               threshold: int = 95) -> list[Cell]:
    """The (string, hidden) cells of a sweep, checked for usable strings and sizes."""
    for word in words:
        if not word or "." in word or "\n" in word:
            raise ValueError(f"bad string {word!r}: non-empty, without '.' or newlines")
    if not words or not hidden_sizes or not checkpoints:
        raise ValueError("give at least one string, one hidden size and one step count")
    if min(hidden_sizes) < 1 or min(checkpoints) < 1:
        raise ValueError("hidden sizes and step counts must be positive")
    return [Cell(w, h, tuple(sorted(checkpoints)), step_size, seed, n_samples, threshold)
            for w in dict.fromkeys(words) for h in sorted(set(hidden_sizes))]


def cached_sweep(words: Sequence[str] = COURSE_STRINGS,
                 hidden_sizes: Sequence[int] = HIDDEN_SIZES,
                 checkpoints: Sequence[int] = CHECKPOINTS, step_size: float = 0.05,
                 seed: int = 0, n_samples: int = 100, threshold: int = 95,
                 cache_dir: Path | None = None) -> SweepResult | None:
    """The sweep's result if every cell is already on disk, else None (nothing is trained)."""
    cells = make_cells(words, hidden_sizes, checkpoints, step_size, seed, n_samples, threshold)
    hits = [cached(c, cache_dir) for c in cells]
    if any(h is None for h in hits):
        return None
    return SweepResult(hits, tuple(sorted(checkpoints)), threshold)


def sweep(words: Sequence[str] = COURSE_STRINGS, hidden_sizes: Sequence[int] = HIDDEN_SIZES,
          checkpoints: Sequence[int] = CHECKPOINTS, step_size: float = 0.05, seed: int = 0,
          n_samples: int = 100, threshold: int = 95, workers: int = 2,
          cache_dir: Path | None = None,
          progress: Callable[[int, int, CellResult], None] | None = None,
          should_stop: Callable[[], bool] | None = None) -> SweepResult:
    """Run every (string, hidden) cell (cached ones instantly); ``progress(done, total, cell)``.

    With ``should_stop``, pending cells are cancelled and the finished ones returned.
    ``cache_dir`` defaults to ``results_dir()`` under the rnncore cache.
    """
    cells = make_cells(words, hidden_sizes, checkpoints, step_size, seed, n_samples, threshold)
    results: dict[Cell, CellResult] = {}
    todo = []
    for cell in cells:
        hit = cached(cell, cache_dir)
        if hit is None:
            todo.append(cell)
        else:
            results[cell] = hit
            if progress:
                progress(len(results), len(cells), hit)
    if todo:
        # spawn, not fork: the dashboard process has threads (and torch) that fork would copy
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=max(1, workers), mp_context=context)
        stopped = False
        try:
            pending = {pool.submit(run_cell, cell, cache_dir): cell for cell in todo}
            while pending and not stopped:
                finished, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in finished:
                    cell = pending.pop(future)
                    results[cell] = future.result()
                    if progress:
                        progress(len(results), len(cells), results[cell])
                stopped = should_stop is not None and should_stop()
        finally:
            # on stop, do not wait for the cells still training (they finish and cache)
            pool.shutdown(wait=not stopped, cancel_futures=True)
    ordered = [results[c] for c in cells if c in results]
    return SweepResult(ordered, tuple(sorted(checkpoints)), threshold)


def sweep_task(**params: Any):
    """A ``rnncore.train.jobs`` task running ``sweep(**params)``; reports done/total per cell."""

    def task(report, should_stop) -> SweepResult:
        def progress(done: int, total: int, cell: CellResult) -> None:
            report({"done": done, "total": total, "word": cell.word, "hidden": cell.hidden,
                    "solved_at": cell.solved_at})

        return sweep(**params, progress=progress, should_stop=should_stop)

    return task
