"""Plain-language verdicts for headline numbers: one wording for the CLI, pages and lessons.

Effect sizes use Cohen's (1988) conventional bands; p-values are read as "how often a random
re-split did as well", with the number of re-splits; DirectBias is placed on its 0..1 scale
next to the default embedding's figure; accuracies are compared with chance.
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
    """A permutation p-value in words, with how many re-splits it rests on."""
    if not math.isfinite(p):
        return "no p-value"
    how = (f"all {n_permutations:,} possible re-splits" if exact
           else f"{n_permutations:,} random re-splits")
    share = f"{p:.1%}" if p >= 0.001 else f"{p:.1g}"
    if p < ALPHA:
        judgement = "unlikely to be chance (below 0.05)"
    else:
        judgement = "could well be chance (0.05 or more)"
    floor = (f"; with {n_permutations:,} re-splits no p below {1 / (n_permutations + 1):.1g} "
             "can be seen" if not exact and p <= 2 / (n_permutations + 1) else "")
    return (f"p = {p:.3g}: {share} of {how} gave an association at least as strong, "
            f"so it is {judgement}{floor}")


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
