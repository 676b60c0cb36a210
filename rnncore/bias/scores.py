"""Six bias metrics on one :class:`~rnncore.bias.query.Query`: WEAT, RND, RNSB, MAC, ECT, RIPA.

Each metric has WEFE 1.0.1's template (numbers of target x attribute sets; ``None`` = any):
a query of another shape is split into the sub-queries that fit (WEFE's ``get_subqueries``),
e.g. RND on X, Y x A, B scores "X and Y wrt A" and "X and Y wrt B". Values follow WEFE's
default conventions (see each metric's module); :data:`NO_BIAS` gives each metric's
bias-free value (what the ranking measures the distance to).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from rnncore.bias.ect import ect
from rnncore.bias.mac import mac
from rnncore.bias.query import LOST_VOCABULARY_THRESHOLD, EmbeddedQuery, Query, embed_query
from rnncore.bias.ripa import ripa
from rnncore.bias.rnd import rnd
from rnncore.bias.rnsb import rnsb, rnsb_spread
from rnncore.bias.weat import DEFAULT_DDOF, effect_size
from rnncore.embeddings import Embedding
from rnncore.inputs.numbers import check_count
from rnncore.progress import Progress

TEMPLATES: dict[str, tuple[int | None, int | None]] = {
    "weat": (2, 2), "rnd": (2, 1), "rnsb": (None, 2), "mac": (None, None), "ect": (2, 1),
    "ripa": (2, 1)}
METRICS = tuple(TEMPLATES)
NAMES = {"weat": "WEAT", "rnd": "RND", "rnsb": "RNSB", "mac": "MAC", "ect": "ECT",
         "ripa": "RIPA"}
NO_BIAS = {"weat": 0.0, "rnd": 0.0, "rnsb": 0.0, "mac": 1.0, "ect": 1.0, "ripa": 0.0}
MEANING = {
    "weat": "S = sum_x s(x,A,B) - sum_y s(y,A,B) (WEFE's result); 0 = no bias",
    "rnd": "mean over A of ||a - mean(T1)|| - ||a - mean(T2)||; > 0: A nearer T2; 0 = no bias",
    "rnsb": "KL divergence of the targets' negative-class probabilities from uniform; 0 = none",
    "mac": "mean cosine distance of target words to each attribute set; 1 = orthogonal",
    "ect": "Spearman rho of the attributes' similarity to the two target means; 1 = no bias",
    "ripa": "mean <a, (t1 - t2)/||t1 - t2||> over attribute words and target pairs; 0 = none",
}


@dataclass(frozen=True)
class MetricResult:
    """One metric on one (sub)query: value, per-word details, dropped words, notes."""

    metric: str
    query: str
    value: float
    details: dict = field(default_factory=dict)
    dropped: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""
    spread: dict | None = None  # RNSB over seeds: seeds, values, mean, sd

    def to_dict(self) -> dict:
        """The result as JSON-ready values (dropped words as lists)."""
        data = asdict(self)
        data["dropped"] = {k: list(v) for k, v in self.dropped.items()}
        return data


def _weat(eq: EmbeddedQuery, ddof: int = DEFAULT_DDOF) -> tuple[float, dict]:
    """WEAT (Caliskan et al. 2017) as WEFE 1.0.1 returns it: the statistic
    ``S = sum_x s(x, A, B) - sum_y s(y, A, B)`` with ``s(w, A, B) = mean_a cos(w, a) -
    mean_b cos(w, b)``; the effect size ``d = (mean_x s - mean_y s) / sd_{X u Y} s`` with
    ``ddof`` (``effect_size``; default 1, the sample sd, as :func:`rnncore.bias.weat.weat`),
    and with both sds (``effect_size_ddof0``: WEFE's population sd; ``effect_size_ddof1``)."""
    x, y = eq.targets
    a, b = (m / np.linalg.norm(m, axis=1, keepdims=True) for m in eq.attributes)
    w = np.vstack([x, y])
    w = w / np.linalg.norm(w, axis=1, keepdims=True)
    s = (w @ a.T).mean(axis=1) - (w @ b.T).mean(axis=1)
    s_x, s_y = s[:len(x)], s[len(x):]
    return float(s_x.sum() - s_y.sum()), {
        "effect_size": effect_size(s, len(x), ddof), "ddof": ddof,
        "effect_size_ddof0": effect_size(s, len(x), 0),
        "effect_size_ddof1": effect_size(s, len(x), 1),
        "association": dict(zip([*eq.target_words[0], *eq.target_words[1]], s.tolist(),
                                strict=True))}


def _score(eq: EmbeddedQuery, metric: str, seed: int | None, seeds: Sequence[int],
           ddof: int = DEFAULT_DDOF) -> tuple[float, dict, str, dict | None]:
    """value, details, note, spread for one embedded query that fits ``metric``."""
    t, a = eq.targets, eq.attributes
    if metric == "weat":
        value, details = _weat(eq, ddof)
        return value, details, "", None
    if metric == "rnd":
        value, per_word = rnd(t[0], t[1], a[0])
        return value, {"sum (Garg et al.)": float(per_word.sum()),
                       "distance_by_word": dict(zip(eq.attribute_words[0], per_word.tolist(),
                                                    strict=True))}, "", None
    if metric == "ect":
        value, sims = ect(t[0], t[1], a[0])
        return value, {"similarities": {w: s.tolist() for w, s in
                                        zip(eq.attribute_words[0], sims, strict=True)}}, "", None
    if metric == "mac":
        value, scores = mac(list(t), list(a))
        words = [w for ws in eq.target_words for w in ws]
        names = eq.query.attribute_names
        return value, {"targets_eval": {w: dict(zip(names, row.tolist(), strict=True))
                                        for w, row in zip(words, scores, strict=True)}}, "", None
    if metric == "ripa":
        value, mean, sd = ripa(t[0], t[1], a[0])
        n1, n2 = len(t[0]), len(t[1])
        note = (f"target sets have {n1} and {n2} words: only the first {min(n1, n2)} pairs "
                "are used (WEFE uses as many pairs as set 1 has words)") if n1 != n2 else ""
        return value, {"word_values": {w: {"mean": m, "std": s} for w, m, s in
                                       zip(eq.attribute_words[0], mean.tolist(),
                                           sd.tolist(), strict=True)}}, note, None
    if metric == "rnsb":
        value, p, accuracy = rnsb(list(t), a[0], a[1], seed)
        words = [w for ws in eq.target_words for w in ws]
        spread = rnsb_spread(list(t), a[0], a[1], seeds) if seeds else None
        return value, {"negative_probability": dict(zip(words, p.tolist(), strict=True)),
                       "classifier_accuracy": accuracy, "seed": seed}, "", spread
    raise KeyError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")


def fitting_queries(query: Query, metric: str, prefix: str = "") -> list[Query]:
    """The query itself when it has ``metric``'s shape, else its sub-queries that do."""
    if metric not in TEMPLATES:
        raise KeyError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")
    n_t, n_a = TEMPLATES[metric]
    want = (n_t or len(query.targets), n_a or len(query.attributes))
    if want == query.template:
        return [query if not prefix else Query(query.targets, query.attributes,
                                               query.target_names, query.attribute_names,
                                               prefix + query.name)]
    if want[0] > query.template[0] or want[1] > query.template[1]:
        return []
    return query.subqueries(*want, prefix=prefix)


def score(embedding: Embedding, query: Query, metric: str, seed: int | None = 0,
          seeds: Sequence[int] = (), prefix: str = "",
          lost_vocabulary_threshold: float = LOST_VOCABULARY_THRESHOLD,
          lowercase: bool = False, ddof: int = DEFAULT_DDOF) -> list[MetricResult]:
    """``metric`` on every (sub)query of ``query`` that fits its template (empty list: none).

    WEAT's ``details["effect_size"]`` uses ``ddof`` (default 1, the sample sd, the same as
    :func:`rnncore.bias.weat.weat`; 0 is WEFE's population sd, also in ``effect_size_ddof0``).
    ``seed`` seeds RNSB; ``seeds`` (e.g. ``range(10)``) adds RNSB's spread over those seeds.
    A query with a set that lost more than ``lost_vocabulary_threshold`` of its words scores
    NaN with the reason in ``note`` (WEFE returns NaN too). ``lowercase`` tries words not
    found in lower case (see :func:`~rnncore.bias.query.embed_query`).
    """
    results = []
    for sub in fitting_queries(query, metric, prefix):
        eq = embed_query(embedding, sub, lost_vocabulary_threshold, lowercase)
        if eq.problem:
            results.append(MetricResult(metric, sub.name, float("nan"), dropped=eq.dropped,
                                        note=f"not scored: {eq.problem}"))
            continue
        try:
            value, details, note, spread = _score(eq, metric, seed, seeds, ddof)
        except ValueError as exc:
            if metric != "rnsb":
                raise
            # too few attribute words for RNSB's stratified split (WEFE omits the run: NaN)
            results.append(MetricResult(metric, sub.name, float("nan"), dropped=eq.dropped,
                                        note=f"not scored: {exc}"))
            continue
        results.append(MetricResult(metric, sub.name, value, details, eq.dropped, note, spread))
    return results


def score_all(embedding: Embedding, queries: Sequence[Query], metrics: Sequence[str] = METRICS,
              seed: int | None = 0, seeds: Sequence[int] = (), prefixes: Sequence[str] = (),
              lowercase: bool = False, progress: Progress | None = None) -> list[MetricResult]:
    """Every metric on every query (each split into the sub-queries that fit the metric).

    ValueError when ``seed`` or one of ``seeds`` is negative (RNSB's generator refuses them)."""
    for value in ([] if seed is None else [seed]) + list(seeds):
        check_count(value, "the RNSB seed", minimum=0)
    out = []
    for i, query in enumerate(queries):
        if progress:
            progress(i / max(len(queries), 1), query.name)
        for metric in metrics:
            out += score(embedding, query, metric, seed, seeds,
                         prefixes[i] if prefixes else "", lowercase=lowercase)
    if progress:
        progress(1.0, "done")
    return out


def weat_query(test) -> Query:
    """A WEAT test (:class:`~rnncore.bias.wordsets.WeatTest`) as a 2 x 2 query."""
    return Query((test.x, test.y), (test.a, test.b), (test.x_name, test.y_name),
                 (test.a_name, test.b_name))
