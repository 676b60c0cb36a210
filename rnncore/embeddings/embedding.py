"""The one embedding object: a vocabulary, read-only unit vectors and an identity."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rnncore.embeddings.vocabulary import Vocabulary, VocabularyIndex

if TYPE_CHECKING:  # gensim (and scipy under it) is imported only when a view is asked for
    from gensim.models import KeyedVectors

BLOCK_ROWS = 1 << 16
# what Embedding.save writes: format key -> words for people, and the suffixes that name each
SAVE_FORMATS = {"binary": "word2vec binary", "text": "word2vec text",
                "kv": "gensim KeyedVectors"}
SAVE_SUFFIXES = {".bin": "binary", ".txt": "text", ".vec": "text", ".kv": "kv"}


def _unit_rows(vectors: np.ndarray, in_place: bool = False) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero) as float32, block by block.

    A new array unless ``in_place`` (then ``vectors`` must be a writable float32 array);
    the temporaries are one block, never the whole matrix.
    """
    out = vectors if in_place else np.empty(vectors.shape, dtype=np.float32)
    for start in range(0, len(vectors), BLOCK_ROWS):
        block = np.asarray(vectors[start:start + BLOCK_ROWS], dtype=np.float32)
        norms = np.linalg.norm(block, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        np.divide(block, norms, out=out[start:start + BLOCK_ROWS])
    return out


class Embedding:
    """Immutable word vectors: ``words[i]`` has the unit vector ``vectors[i]``.

    Arrays are read-only, so one cached instance can be shared by every user of a server.
    Every operation that changes vectors returns a new Embedding (see :meth:`with_vectors`).
    """

    def __init__(
        self,
        words: Sequence[str],
        vectors: np.ndarray,
        *,
        name: str,
        source: str,
        sha256: str | None = None,
        normalized: bool = False,
        notes: Sequence[str] = (),
        _owned: bool = False,
    ) -> None:
        index: Mapping[str, int]
        if isinstance(words, Vocabulary):  # compact, memory-mapped: no list or dict is built
            index = VocabularyIndex(words)
        else:
            words = [str(w) for w in words]
            index = {w: i for i, w in enumerate(words)}
            if len(index) != len(words):
                raise ValueError("the vocabulary has duplicate words")
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise ValueError(f"{len(words)} words but vectors of shape {vectors.shape}")
        if not normalized:
            vectors = _unit_rows(vectors, in_place=_owned and vectors.dtype == np.float32
                                 and vectors.flags.writeable)
        elif vectors.dtype != np.float32:
            vectors = vectors.astype(np.float32)
        if vectors.flags.writeable:
            vectors.setflags(write=False)
        self._words = words
        self._index = index
        self._vectors = vectors
        self.name = name
        self.source = source
        self._sha256 = sha256
        self.notes = tuple(notes)  # plain-text remarks from loading (e.g. rows dropped)

    # --- identity and shape -------------------------------------------------------------
    @property
    def words(self) -> Sequence[str]:
        """The vocabulary in file order (a list, or a memory-mapped :class:`Vocabulary` for
        converted files; do not modify it)."""
        return self._words

    @property
    def vectors(self) -> np.ndarray:
        """Read-only float32 unit vectors, one row per word."""
        return self._vectors

    @property
    def dim(self) -> int:
        """Number of dimensions of each vector."""
        return int(self._vectors.shape[1])

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: object) -> bool:
        return word in self._index

    def __repr__(self) -> str:
        return f"Embedding({self.name!r}, {len(self)} words x {self.dim})"

    @property
    def sha256(self) -> str:
        """The sha256 of the file it was loaded from, or of its content when derived."""
        if self._sha256 is None:
            digest = hashlib.sha256()
            digest.update("\n".join(self._words).encode())
            digest.update(np.ascontiguousarray(self._vectors).tobytes())
            self._sha256 = digest.hexdigest()
        return self._sha256

    def info(self) -> dict[str, object]:
        """The embedding's facts as plain JSON-ready values."""
        return {"name": self.name, "n_words": len(self), "dim": self.dim,
                "source": self.source, "sha256": self.sha256}

    # --- lookups --------------------------------------------------------------------------
    def index(self, word: str) -> int:
        """Row of ``word``; KeyError when it is not in the vocabulary."""
        return self._index[word]

    def vector(self, word: str) -> np.ndarray:
        """The read-only unit vector of ``word``; KeyError when it is not in the vocabulary."""
        return self._vectors[self._index[word]]

    def matrix(self, words: Iterable[str]) -> np.ndarray:
        """Stacked vectors of in-vocabulary ``words`` (KeyError on the first missing one)."""
        return self._vectors[[self._index[w] for w in words]]

    @cached_property
    def lowercase_index(self) -> dict[str, str]:
        """Lower-cased form -> first vocabulary word with that form (case-insensitive matching)."""
        first: dict[str, str] = {}
        for word in self._words:
            first.setdefault(word.lower(), word)
        return first

    @cached_property
    def kv(self) -> KeyedVectors:
        """A gensim view sharing this object's read-only arrays (for gensim's own verbs)."""
        from gensim.models import KeyedVectors

        kv = KeyedVectors(self.dim, count=0, dtype=np.float32)
        kv.index_to_key = self._words if isinstance(self._words, list) else list(self._words)
        kv.key_to_index = (self._index if isinstance(self._index, dict)
                           else {w: i for i, w in enumerate(kv.index_to_key)})
        kv.vectors = self._vectors
        kv.norms = np.ones(len(self), dtype=np.float32)
        return kv

    # --- new objects ------------------------------------------------------------------------
    def with_vectors(self, vectors: np.ndarray, *, name: str, source: str,
                     normalized: bool = False) -> Embedding:
        """A new embedding over the same words with other vectors.

        The rows are re-normalised into a new array, unless ``normalized`` says they already
        have unit length: then ``vectors`` itself is taken over (and made read-only). The
        word list and index are shared with this embedding, not rebuilt.
        """
        if vectors.shape != self._vectors.shape:
            raise ValueError(f"vectors of shape {vectors.shape} for an embedding of shape "
                             f"{self._vectors.shape}")
        if normalized:
            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        else:
            vectors = _unit_rows(np.asarray(vectors, dtype=np.float32))
        vectors.setflags(write=False)
        new = object.__new__(Embedding)
        new._words, new._index, new._vectors = self._words, self._index, vectors
        new.name, new.source, new._sha256, new.notes = name, source, None, ()
        if "lowercase_index" in self.__dict__:  # same words: share the cached lookup
            new.__dict__["lowercase_index"] = self.__dict__["lowercase_index"]
        return new

    def subset(self, words: Iterable[str], *, name: str | None = None) -> Embedding:
        """A new embedding restricted to the in-vocabulary ``words``, in the given order."""
        kept = [w for w in dict.fromkeys(words) if w in self._index]
        return Embedding(kept, self.matrix(kept).copy(), name=name or f"{self.name}[subset]",
                         source=f"subset of {self.name}", normalized=True)

    @classmethod
    def from_keyed_vectors(cls, kv: KeyedVectors, *, name: str = "keyed-vectors",
                           source: str = "gensim KeyedVectors", sha256: str | None = None
                           ) -> Embedding:
        """Import from gensim (vectors are copied once, then normalised in place); ``name`` and
        ``source`` say where the vectors came from (optional)."""
        return cls(list(kv.index_to_key), np.array(kv.vectors, dtype=np.float32), name=name,
                   source=source, sha256=sha256, _owned=True)

    def to_keyed_vectors(self) -> KeyedVectors:
        """Export as an independent, writable gensim KeyedVectors."""
        from gensim.models import KeyedVectors

        kv = KeyedVectors(self.dim, count=0, dtype=np.float32)
        kv.add_vectors(list(self._words), np.array(self._vectors))
        return kv

    def save_word2vec(self, path: str | Path, binary: bool = True) -> Path:
        """Write the vectors in word2vec format (binary by default); returns the path."""
        self.to_keyed_vectors().save_word2vec_format(str(path), binary=binary)
        return Path(path)

    def save(self, path: str | Path, fmt: str = "binary") -> Path:
        """Write the vectors as ``fmt``, a key of :data:`SAVE_FORMATS` (``kv``: gensim's own
        ``KeyedVectors.save``, a pickle); returns the path."""
        if fmt not in SAVE_FORMATS:
            raise ValueError(f"unknown vector format {fmt!r}; known: {', '.join(SAVE_FORMATS)}")
        if fmt == "kv":
            self.to_keyed_vectors().save(str(path))
            return Path(path)
        return self.save_word2vec(path, binary=fmt == "binary")
