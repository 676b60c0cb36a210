"""The before/after audit of a debias: every number side by side, in one report.

DirectBias over the neutral words, the bias of every built-in dimension (gender, race,
religion: mean projection length of its measured words on its subspace), WEAT of the chosen
tests, Gonen & Goldberg's recoverability checks on the words most biased before debiasing,
nearest neighbours of chosen words and, when available, intrinsic benchmark quality. All
measurements use the direction (and subspaces) found on the *original* embedding, so before
and after are measured with the same ruler.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from rnncore.audit.recoverability import Recoverability, recoverability
from rnncore.bias import dimensions as bias_dimensions
from rnncore.bias import wordsets
from rnncore.bias.direct_bias import direct_bias, subspace_bias
from rnncore.bias.directions import BiasDirection, bias_subspace
from rnncore.bias.mac import mac
from rnncore.bias.weat import weat
from rnncore.bias.weat_titles import distinct_titles
from rnncore.embeddings import Embedding, neighbours
from rnncore.embeddings.benchmarks import evaluate_all
from rnncore.progress import Progress

DEFAULT_WEAT_TESTS = ("weat6", "weat7", "weat8")
DEFAULT_NEIGHBOR_WORDS = ("nurse", "programmer", "homemaker", "receptionist", "surgeon",
                          "brilliant")
DEFAULT_BENCHMARKS = ("simlex", "ws353", "men")

EXPLANATIONS = {
    "DirectBias": "mean |cos(w, g)| of the neutral words: how far they lean along the direction "
                  "(0 = none). Hard debias sets it to ~0 by construction: it only removes the "
                  "component that this number measures.",
    "dimension bias": "mean length of the measured words' projection on the dimension's subspace "
                      "(its principal components, found on the original embedding; 0 = none). "
                      "A debias of one dimension can leave the others as they were.",
    "MAC": "Manzini et al.'s mean average cosine distance between each group's defining words "
           "and the measured words (1 = unrelated; lower = closer). It looks at whole vectors.",
    "WEAT effect size": "difference of the two target sets' mean association with the attributes, "
                        "in standard deviations (|d| of 0.8 is large). It looks at whole "
                        "vectors, not only at the direction.",
    "WEAT p (one-sided)": "share of re-splits of the targets with a statistic at least as large: "
                          "small means the association is unlikely to be chance.",
    "k-means agreement": "two clusters of the most biased words (by the original projection) "
                         "compared with their original side; 0.5 = chance, 1 = perfect.",
    "classifier accuracy": "cross-validated accuracy of an RBF SVM predicting the original side "
                           "of the same words; far above 0.5 means the gender information is "
                           "still there, only no longer along the removed direction.",
    "benchmark": "intrinsic quality (Spearman for word-pair sets, accuracy for analogies): a "
                 "debias should not cost much here.",
}


@dataclass
class AuditReport:
    """Everything the audit measured; ``metrics`` is the one side-by-side table."""

    before: Embedding
    after: Embedding
    direction: BiasDirection
    method: str
    params: dict
    neutral_words: list[str]
    metrics: pd.DataFrame
    weat: dict[str, dict]
    recoverability: Recoverability
    neighbors: pd.DataFrame
    gender_specific: list[str] = field(default_factory=list)
    neighbor_words: list[str] = field(default_factory=list)
    permutations: int = 100_000
    seed: int = 0


def _metric(rows: list, name: str, group: str, before: float, after: float,
            explanation: str) -> None:
    rows.append({"metric": name, "group": group, "before": before, "after": after,
                 "change": after - before, "what it means": explanation})


def _dimension_mac(embedding: Embedding, dimension) -> float:
    """MAC with each group's defining words as a target set and the measured words as one
    attribute set (Manzini et al. 2019's evaluation, as ``rnncore.bias.mac``)."""
    groups = [embedding.matrix([s[i] for s in dimension.defining_sets if s[i] in embedding])
              for i in range(len(dimension.groups))]
    measured = embedding.matrix([w for w in dimension.neutral_words if w in embedding])
    return mac([g for g in groups if len(g)], [measured])[0]


def neighbor_table(before: Embedding, after: Embedding, words: Sequence[str],
                   topn: int = 10) -> pd.DataFrame:
    """The ``topn`` neighbours of each in-vocabulary word, before and after, rank by rank."""
    frames = []
    for word in dict.fromkeys(words):
        if word in before and word in after:
            old, new = neighbours(before, word, topn), neighbours(after, word, topn)
            frames.append(pd.DataFrame({"word": word, "rank": range(1, len(old) + 1),
                                        "before": old["word"], "after": new["word"]}))
    columns = ["word", "rank", "before", "after"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def _benchmarks(before: Embedding, after: Embedding, keys: Sequence[str], rows: list,
                progress: Progress) -> None:
    tables = {}
    for step, (name, embedding) in enumerate((("before", before), ("after", after))):
        progress(0.85 + 0.05 * step, f"benchmarks on the {name} embedding")
        tables[name] = evaluate_all(embedding, list(keys))
    for (_, old), (_, new) in zip(tables["before"].iterrows(), tables["after"].iterrows(),
                                  strict=True):
        _metric(rows, f"{old['name']} ({old['metric']})", "benchmark", float(old["value"]),
                float(new["value"]), EXPLANATIONS["benchmark"])


def audit(before: Embedding, after: Embedding, direction: BiasDirection, method: str,
          params: dict | None = None, neutral_words: Sequence[str] | None = None,
          gender_specific: Sequence[str] | None = None,
          weat_tests: Sequence[str] = DEFAULT_WEAT_TESTS,
          neighbor_words: Sequence[str] = DEFAULT_NEIGHBOR_WORDS,
          benchmarks: Sequence[str] = DEFAULT_BENCHMARKS,
          dimensions: Sequence[str] = bias_dimensions.BUILTIN, n_per_side: int = 500,
          vocabulary: str = "gonen-goldberg", permutations: int = 100_000, seed: int = 0,
          progress: Progress | None = None) -> AuditReport:
    """Measure ``before`` and ``after`` with the same direction, words and seeds."""
    def report(fraction: float, message: str) -> None:
        if progress:
            progress(fraction, message)

    neutral = list(neutral_words if neutral_words is not None else wordsets.neutral_professions())
    specific = list(gender_specific if gender_specific is not None
                    else wordsets.gender_specific())
    rows: list[dict] = []
    report(0.0, "DirectBias")
    _metric(rows, "DirectBias (c = 1)", "direct bias", direct_bias(before, neutral, direction),
            direct_bias(after, neutral, direction), EXPLANATIONS["DirectBias"])
    for key in dimensions:
        dimension = bias_dimensions.builtin(key)
        subspace = bias_subspace(before, dimension)
        _metric(rows, f"{dimension.title}: mean |projection| of {len(dimension.neutral_words)} "
                f"words on {subspace.n_components} component(s)", "dimension bias",
                subspace_bias(before, dimension.neutral_words, subspace),
                subspace_bias(after, dimension.neutral_words, subspace),
                EXPLANATIONS["dimension bias"])
        _metric(rows, f"{dimension.title}: MAC of its groups' words with the measured words",
                "dimension bias", _dimension_mac(before, dimension),
                _dimension_mac(after, dimension), EXPLANATIONS["MAC"])
    weat_results: dict[str, dict] = {}
    tests = wordsets.weat_tests()
    titles = distinct_titles(tests)
    for i, key in enumerate(weat_tests):
        report(0.05 + 0.3 * i / max(len(weat_tests), 1), f"WEAT {key}")
        test = tests[key]
        old, new = (weat(emb, test.x, test.y, test.a, test.b, permutations, seed)
                    for emb in (before, after))
        weat_results[key] = {"title": titles[key], "before": old.to_dict(),
                             "after": new.to_dict()}
        _metric(rows, f"{key} effect size: {titles[key]}", "WEAT", old.effect_size,
                new.effect_size, EXPLANATIONS["WEAT effect size"])
        _metric(rows, f"{key} p (one-sided)", "WEAT", old.p_one_sided, new.p_one_sided,
                EXPLANATIONS["WEAT p (one-sided)"])
    report(0.4, "Gonen & Goldberg: clustering and classifying the most biased words")
    recovered = recoverability(before, after, direction, specific, n_per_side, vocabulary, seed)
    _metric(rows, "k-means agreement with the original side", "Gonen & Goldberg",
            recovered.kmeans_before, recovered.kmeans_after, EXPLANATIONS["k-means agreement"])
    _metric(rows, f"classifier accuracy ({recovered.folds}-fold CV)", "Gonen & Goldberg",
            recovered.classifier_before, recovered.classifier_after,
            EXPLANATIONS["classifier accuracy"])
    report(0.8, "nearest neighbours")
    table = neighbor_table(before, after, neighbor_words)
    if benchmarks:
        _benchmarks(before, after, benchmarks, rows, report)
    report(1.0, "audit done")
    return AuditReport(before, after, direction, method, dict(params or {}), neutral,
                       pd.DataFrame(rows), weat_results, recovered, table, specific,
                       list(neighbor_words), permutations, seed)
