"""What every debias method shares: scikit-learn's estimator contract and the new embedding.

A :class:`Debiaser` is configured by ``__init__`` (parameters stored as given), learns from an
embedding in ``fit(embedding, **fit_params)`` (attributes it learns end with ``_``, such as
``direction_``) and returns a new Embedding from ``transform(embedding)``; the input is never
modified. ``fit_transform(embedding, **fit_params)`` passes ``fit_params`` to ``fit``, so
``HardDebias().fit_transform(emb, direction=d)`` works. ``transform`` before ``fit`` raises
scikit-learn's ``NotFittedError`` (a ``ValueError`` and an ``AttributeError``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rnncore.embeddings import Embedding


class Debiaser:
    """Base class of the debias methods (scikit-learn's ``fit``/``transform`` contract)."""

    def fit(self, embedding: Embedding, **fit_params: Any) -> Debiaser:
        """Learn what to remove from ``embedding``; returns ``self``."""
        raise NotImplementedError

    def transform(self, embedding: Embedding, name: str | None = None) -> Embedding:
        """A new, debiased Embedding (the input is untouched)."""
        raise NotImplementedError

    def fit_transform(self, embedding: Embedding, name: str | None = None,
                      **fit_params: Any) -> Embedding:
        """``fit(embedding, **fit_params)`` then ``transform(embedding, name)``."""
        return self.fit(embedding, **fit_params).transform(embedding, name)

    def is_fitted(self) -> bool:
        """Whether ``fit`` has run: an attribute ending with ``_`` exists (scikit-learn's rule)."""
        return any(k.endswith("_") and not k.startswith("__") for k in vars(self))

    def check_fitted(self) -> None:
        """Raise scikit-learn's ``NotFittedError`` unless ``fit`` has run."""
        if not self.is_fitted():
            from sklearn.exceptions import NotFittedError

            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet: call "
                                 "fit(embedding) before transform, or use fit_transform")

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters given to ``__init__`` (scikit-learn's ``get_params``)."""
        import inspect

        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {p: getattr(self, p) for p in names}

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


def new_embedding(original: Embedding, vectors: np.ndarray, name: str, source: str,
                  normalized: bool = True) -> Embedding:
    """A new Embedding over ``original``'s words.

    ``normalized=True`` (the default) says the rows already have unit length (the debias methods
    normalise as they go): ``vectors`` is taken over, not copied, which skips a full extra pass
    over the matrix. With ``normalized=False`` the rows are normalised into a new array.
    """
    return original.with_vectors(vectors, name=name, source=source, normalized=normalized)
