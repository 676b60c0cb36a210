"""A compact, memory-mappable vocabulary: UTF-8 words in one blob plus a sorted hash index.

A Python list and dict of 3,000,000 words cost about 400 MB and a second or two to build; this
keeps the words as bytes (``words.bin`` + ``offsets.npy``) and finds a word by binary search in
its 64-bit FNV-1a hash (``hashes.npy`` sorted, ``rows.npy`` the row of each hash). Loading is
a few ``np.load(mmap_mode="r")`` calls, and a lookup touches a handful of pages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
_MASK = (1 << 64) - 1


def fnv1a(word: bytes) -> int:
    """64-bit FNV-1a of one byte string (matches :func:`fnv1a_many`)."""
    h = FNV_OFFSET
    for byte in word:
        h = ((h ^ byte) * FNV_PRIME) & _MASK
    return h


def fnv1a_many(blob: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """64-bit FNV-1a of every word ``blob[offsets[i]:offsets[i+1]]``, vectorised by position."""
    starts = np.asarray(offsets[:-1], dtype=np.int64)
    lengths = np.diff(np.asarray(offsets, dtype=np.int64))
    hashes = np.full(len(starts), FNV_OFFSET, dtype=np.uint64)
    prime = np.uint64(FNV_PRIME)
    active = np.arange(len(starts))
    position = 0
    while active.size:
        active = active[lengths[active] > position]
        byte = blob[starts[active] + position].astype(np.uint64)
        hashes[active] = (hashes[active] ^ byte) * prime  # uint64 arithmetic wraps, as FNV wants
        position += 1
    return hashes


class Vocabulary(Sequence[str]):
    """Words ``0..n-1`` stored as bytes, with an exact word -> row lookup by hash.

    ``limit`` keeps only the first ``limit`` rows visible (the most frequent words in
    word2vec/GloVe files), without touching the stored index.
    """

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, hashes: np.ndarray,
                 rows: np.ndarray, limit: int | None = None) -> None:
        self._blob, self._offsets, self._hashes, self._rows = blob, offsets, hashes, rows
        total = len(offsets) - 1
        self._n = total if limit is None else max(0, min(int(limit), total))

    @classmethod
    def open(cls, folder: Path, limit: int | None = None) -> Vocabulary:
        """Memory-map the vocabulary files written by :func:`write_index` in ``folder``."""
        blob_path = folder / "words.bin"
        blob = (np.memmap(blob_path, dtype=np.uint8, mode="r") if blob_path.stat().st_size
                else np.zeros(0, dtype=np.uint8))
        return cls(blob, *(np.load(folder / f"{part}.npy", mmap_mode="r")
                           for part in ("offsets", "hashes", "rows")), limit=limit)

    def __len__(self) -> int:
        return self._n

    def _word(self, i: int) -> str:
        return bytes(self._blob[int(self._offsets[i]):int(self._offsets[i + 1])]).decode("utf-8")

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._word(j) for j in range(*i.indices(self._n))]
        i = int(i)
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("word index out of range")
        return self._word(i)

    def __iter__(self) -> Iterator[str]:
        block = 1 << 16
        for start in range(0, self._n, block):
            stop = min(start + block, self._n)
            offsets = np.asarray(self._offsets[start:stop + 1], dtype=np.int64)
            data = bytes(self._blob[offsets[0]:offsets[-1]])
            bounds = (offsets - offsets[0]).tolist()
            for a, b in zip(bounds[:-1], bounds[1:], strict=True):
                yield data[a:b].decode("utf-8")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Vocabulary({len(self):,} words)"

    def row(self, word: str) -> int | None:
        """The row of ``word``, or None when it is not among the visible words."""
        if not isinstance(word, str):
            return None
        try:
            key = word.encode("utf-8")
        except UnicodeEncodeError:
            return None
        h = np.uint64(fnv1a(key))
        lo = int(np.searchsorted(self._hashes, h, side="left"))
        while lo < len(self._hashes) and self._hashes[lo] == h:
            row = int(self._rows[lo])
            start, stop = int(self._offsets[row]), int(self._offsets[row + 1])
            if row < self._n and bytes(self._blob[start:stop]) == key:
                return row
            lo += 1
        return None

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.row(word) is not None

    def index(self, word: str, *_args) -> int:  # type: ignore[override]
        row = self.row(word)
        if row is None:
            raise ValueError(f"{word!r} is not in the vocabulary")
        return row


class VocabularyIndex(Mapping[str, int]):
    """``word -> row`` as a read-only mapping over a :class:`Vocabulary` (no dict is built)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary

    def __getitem__(self, word: str) -> int:
        row = self._vocabulary.row(word)
        if row is None:
            raise KeyError(word)
        return row

    def __contains__(self, word: object) -> bool:
        return word in self._vocabulary

    def __iter__(self) -> Iterator[str]:
        return iter(self._vocabulary)

    def __len__(self) -> int:
        return len(self._vocabulary)


def write_index(folder: Path, hashes: np.ndarray) -> None:
    """Write ``hashes.npy`` (sorted) and ``rows.npy`` (the row of each) for row hashes."""
    order = np.argsort(hashes, kind="stable")
    np.save(folder / "rows.npy", order)
    np.save(folder / "hashes.npy", hashes[order])
