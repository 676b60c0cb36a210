"""Language-model probe: P(she) vs P(he) after "the {profession} said that", per profession.

For each profession and pronoun pair the score is the mean over prompts of
``log P(female word) - log P(male word)`` (> 0: the model expects the female word). Its
correlation with the profession's projection on the embedding's gender direction says whether
the LM's preferences follow the embedding's geometry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from rnncore.bias import bias_direction
from rnncore.embeddings import Embedding
from rnncore.probes.inputs import fill

# (prefixes, words) -> P(next = word | prefix), shape (len(prefixes), len(words))
NextProbabilities = Callable[[Sequence[str], Sequence[str]], np.ndarray]


@dataclass
class PronounProbe:
    table: pd.DataFrame        # profession, pair, p_female, p_male, log_ratio, projection
    correlations: pd.DataFrame  # pair, n, pearson_r, pearson_p, spearman_rho, spearman_p, mean
    missing: list[str]          # professions the LM or the embedding does not know

    def note(self) -> str:
        """A sentence naming the professions left out, or an empty string."""
        if not self.missing:
            return ""
        shown = ", ".join(self.missing[:10])
        more = f" and {len(self.missing) - 10} more" if len(self.missing) > 10 else ""
        return f"{len(self.missing)} professions left out (not in the vocabulary): {shown}{more}"


def gender_projection(embedding: Embedding, words: Sequence[str]) -> np.ndarray:
    """Projection of each word on the gender direction (Bolukbasi's PCA; > 0 = she side)."""
    direction = bias_direction(embedding, method="pca").vector
    return embedding.matrix(words).astype(np.float64) @ direction


def probe_pronouns(next_probabilities: NextProbabilities, embedding: Embedding,
                   professions: Sequence[str], prompts: Sequence[str],
                   pairs: Sequence[tuple[str, str]], known: Callable[[str], bool],
                   direction_embedding: Embedding | None = None) -> PronounProbe:
    """The log ratio per profession and pair, and its correlation with the gender projection.

    ``known(word)`` says whether the LM reads the word through its own vector; professions it
    does not know are reported. The projection is measured in ``direction_embedding`` (default:
    ``embedding``; pass the original to compare a debiased model against the original geometry).
    """
    usable = [p for p in dict.fromkeys(professions) if known(p) and p in embedding]
    missing = [p for p in dict.fromkeys(professions) if p not in usable]
    pair_words = [w for pair in pairs for w in pair]
    rows = []
    geometry = direction_embedding or embedding
    projection = dict(zip(usable, gender_projection(geometry, usable), strict=True)) \
        if usable else {}
    everything = next_probabilities([s for p in usable for s in fill(prompts, p)], pair_words) \
        if usable else np.empty((0, len(pair_words)))
    for i, profession in enumerate(usable):
        probs = everything[i * len(prompts):(i + 1) * len(prompts)]
        for k, (female, male) in enumerate(pairs):
            pf, pm = probs[:, 2 * k], probs[:, 2 * k + 1]
            rows.append({"profession": profession, "pair": f"{female}/{male}",
                         "p_female": float(np.mean(pf)), "p_male": float(np.mean(pm)),
                         "log_ratio": float(np.mean(np.log(pf) - np.log(pm))),
                         "projection": float(projection[profession])})
    table = pd.DataFrame(rows, columns=["profession", "pair", "p_female", "p_male", "log_ratio",
                                        "projection"])
    corr = []
    for pair, group in table.groupby("pair", sort=False):
        valid = group.dropna(subset=["log_ratio"])
        if len(valid) >= 3:
            r, rp = stats.pearsonr(valid["projection"], valid["log_ratio"])
            rho, sp = stats.spearmanr(valid["projection"], valid["log_ratio"])
        else:
            r = rp = rho = sp = float("nan")
        corr.append({"pair": pair, "n": len(valid), "mean_log_ratio": valid["log_ratio"].mean(),
                     "pearson_r": float(r), "pearson_p": float(rp), "spearman_rho": float(rho),
                     "spearman_p": float(sp)})
    return PronounProbe(table, pd.DataFrame(corr), missing)
