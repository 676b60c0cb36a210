"""Plain-language verdicts for headline numbers: one wording for the CLI, pages and lessons.

Effect sizes use Cohen's (1988) conventional bands; p-values are read as "how often a random
re-split did as well", with the number of re-splits; DirectBias is placed on its 0..1 scale
next to the default embedding's figure; accuracies are compared with chance, and a trained
model with a simple baseline or a perplexity limit before its probes are read as findings.
"""

from __future__ import annotations

import math

COHEN_BANDS = ((0.2, "negligible"), (0.5, "small"), (0.8, "medium"))
DEFAULT_DIRECT_BIAS = 0.073  # w2v-news-31k, 303 neutral professions, PCA direction
ALPHA = 0.05


def tiny(value: float, digits: int = 3) -> str:
    """A number for people: ``≈ 0`` for values below 1e-4 in size, else ``digits`` significant."""
    if not math.isfinite(value):
        return "not defined"
    if abs(value) < 1e-4:
        return "≈ 0"
    return f"{value:.{digits}g}"


def effect_band(d: float) -> str:
    """Cohen's band of an effect size: negligible (< 0.2), small, medium (< 0.8) or large."""
    size = abs(d)
    return next((name for limit, name in COHEN_BANDS if size < limit), "large")


def effect_verdict(d: float, positive: str = "", negative: str = "") -> str:
    """``d = 1.89: a large effect (Cohen: |d| ≥ 0.8), towards X``."""
    if not math.isfinite(d):
        return "no effect size: a set has too few words or no spread"
    band = effect_band(d)
    limits = {"negligible": "|d| < 0.2", "small": "0.2 ≤ |d| < 0.5",
              "medium": "0.5 ≤ |d| < 0.8", "large": "|d| ≥ 0.8"}[band]
    side = positive if d > 0 else negative
    towards = f", in the direction {side}" if side and band != "negligible" else ""
    return f"d = {d:.2f}: a {band} effect (Cohen: {limits}){towards}"


def p_verdict(p: float, n_permutations: int, exact: bool) -> str:
    """A permutation p-value in words: how many re-splits did as well, as a count.

    Exact tests count every split (the observed one among them): ``p = hits / n``; sampled
    tests add the observed split to the sampled ones: ``p = (hits + 1) / (n + 1)``."""
    if not math.isfinite(p):
        return "no p-value"
    if exact:
        hits = round(p * n_permutations)
        count = (f"{hits:,} of all {n_permutations:,} possible re-splits of the words"
                 + (" (the observed split itself)" if hits == 1 else ""))
    else:
        hits = max(round(p * (n_permutations + 1)) - 1, 0)
        count = (f"{'none' if hits == 0 else f'{hits:,}'} of {n_permutations:,} random "
                 "re-splits of the words")
    if p < ALPHA:
        judgement = "unlikely to be chance (p below 0.05)"
    else:
        judgement = "could well be chance (p of 0.05 or more)"
    floor = (f"; with {n_permutations:,} re-splits no p below {1 / (n_permutations + 1):.1g} "
             "can be seen" if not exact and p <= 2 / (n_permutations + 1) else "")
    return (f"p = {p:.3g}: {count} gave an association at least as strong as the real "
            f"groups, so it is {judgement}{floor}")


def learned_verdict(accuracy: float, baseline: float, margin: float = 0.02) -> str | None:
    """None when a trained classifier's test ``accuracy`` beats a simple ``baseline`` by at
    least ``margin``; else a sentence saying that it did not learn the task well enough for
    its probe gaps (or their shifts) to mean anything."""
    if not (math.isfinite(accuracy) and math.isfinite(baseline)):
        return "the model's accuracy is not known, so its gaps cannot be read as findings"
    if accuracy >= baseline + margin:
        return None
    return (f"the trained model reaches {accuracy:.0%} test accuracy, not clearly above the "
            f"word-list baseline's {baseline:.0%}: it has not learned the task, so its gaps and "
            "their shifts are training noise, not findings (train longer or use the "
            "prepared class model)")


WEAK_PERPLEXITY = 300.0  # a word LM above this on held-out text has barely learned English


def perplexity_verdict(perplexity: float, limit: float = WEAK_PERPLEXITY) -> str:
    """A word LM's held-out perplexity in words: how many words it hesitates between."""
    if not math.isfinite(perplexity):
        return "no perplexity: the model was not evaluated"
    lead = (f"perplexity {perplexity:,.0f}: on held-out sentences the model is as unsure as if "
            f"it picked among {perplexity:,.0f} equally likely words")
    if perplexity > limit:
        return (f"{lead}, which is weak (above {limit:,.0f}): it writes little more than common "
                "words, so its pronoun preferences say more about word frequency than about "
                "the embedding")
    return f"{lead}; low enough (at most {limit:,.0f}) for its preferences to be worth reading"


def direct_bias_verdict(value: float, reference: float = DEFAULT_DIRECT_BIAS) -> str:
    """DirectBias on its scale: 0 = no lean along the direction; the default's professions."""
    if value < 1e-4:
        return (f"DirectBias {tiny(value)}: the words have no component along this direction "
                f"any more (0 = none; the default embedding's professions: {reference})")
    ratio = value / reference
    return (f"DirectBias {value:.3f} on a scale from 0 (no lean) to 1 (every word on the "
            f"direction): {ratio:.1f}× the default embedding's professions ({reference})")


def chance_verdict(accuracy: float, chance: float = 0.5, what: str = "the gender side") -> str:
    """An accuracy or agreement against chance: is ``what`` still recoverable?"""
    above = accuracy - chance
    if above < 0.05:
        judgement = f"about chance: {what} is not recoverable this way"
    elif above < 0.2:
        judgement = f"somewhat above chance: {what} is partly recoverable"
    else:
        judgement = f"far above chance: {what} is still recoverable"
    return f"{accuracy:.0%} (chance is {chance:.0%}): {judgement}"


def correlation_verdict(r: float, p: float, n: int, what: str, against: str) -> str:
    """A correlation in words: how closely ``what`` follows ``against`` over ``n`` items, and
    whether it could be chance."""
    if not (math.isfinite(r) and math.isfinite(p)):
        return f"no correlation: {what} does not vary over the {n} items"
    size = abs(r)
    strength = ("no" if size < 0.1 else "a weak" if size < 0.3 else "a moderate" if size < 0.5
                else "a strong")
    sign = "" if size < 0.1 else " (the same way)" if r > 0 else " (the opposite way)"
    chance = ("unlikely to be chance" if p < ALPHA else "could well be chance")
    return (f"r = {r:.2f} over {n} items: {strength} link{sign} between {against} and {what}; "
            f"p = {p:.2g}, so it {chance}")
