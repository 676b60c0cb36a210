"""Load embeddings: the built-ins by name, word2vec binary/text, GloVe or fastText text, uploads.

Vector files of any size are read strictly and streamed once into the data cache
(``converted/vectors-<sha256>-v1``), then memory-mapped. Uploads are parsed, never unpickled: a
pickle (gensim ``.kv``/``.model``, torch ``.pt``) is refused. A gensim-native ``.kv`` loads only
from a local path the user names, memory-mapped.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from rnncore.assets import Progress, ensure_built
from rnncore.assets.build import builtin_names
from rnncore.assets.cache import cache_home, sha256_file
from rnncore.constants import DEFAULT_EMBEDDING
from rnncore.embeddings.embedding import Embedding
from rnncore.embeddings.vectorfile import (
    CONVERT_VERSION,
    EmbeddingFormatError,
    Limits,
    Sniffed,
    convert,
    sniff,
)
from rnncore.embeddings.vocabulary import Vocabulary

__all__ = ["DEFAULT_EMBEDDING", "MAX_UPLOAD_BYTES", "EmbeddingFormatError", "load_builtin",
           "load_embedding", "load_file", "load_upload"]
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
LOCAL_LIMITS = Limits()
FORMATS = ("auto", "word2vec-bin", "word2vec-text", "glove-text", "kv")
_PICKLE_SUFFIXES = {".kv", ".model", ".pt", ".pth", ".pkl", ".pickle", ".npy", ".joblib"}


def load_builtin(name: str = DEFAULT_EMBEDDING, progress: Progress | None = None) -> Embedding:
    """Load a built-in embedding (building it into the cache on first use), memory-mapped."""
    built = ensure_built(name, progress)
    vectors = np.load(built.vectors_path, mmap_mode="r")
    words = built.vocab_path.read_text(encoding="utf-8").split("\n")[: built.meta["n_words"]]
    return Embedding(words, vectors, name=name, source=built.meta["source"],
                     sha256=built.meta["sha256"], normalized=True)


def converted_folder(sha256: str) -> Path:
    """Where the converted form of a vector file with this sha256 lives in the cache."""
    return cache_home() / "converted" / f"vectors-{sha256}-v{CONVERT_VERSION}"


def _read_meta(folder: Path) -> dict | None:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if meta.get("convert_version") == CONVERT_VERSION else None


def open_converted(folder: Path, name: str, limit: int | None = None,
                   meta: dict | None = None) -> Embedding:
    """Memory-map a converted folder: only the pages a query touches become resident."""
    meta = meta or _read_meta(folder)
    if meta is None:
        raise EmbeddingFormatError(f"{folder} holds no converted vectors")
    if limit is not None and limit < 1:
        raise EmbeddingFormatError(f"the word limit must be at least 1, not {limit}")
    vectors = np.load(folder / "vectors.npy", mmap_mode="r")
    sha256 = meta["sha256"]
    if limit is not None and limit < len(vectors):
        vectors = vectors[:limit]
        sha256 = hashlib.sha256(f"{sha256}:first {limit} words".encode()).hexdigest()
    return Embedding(Vocabulary.open(folder, limit), vectors, name=name,
                     source=f"{meta['format']} file {meta['file']}", sha256=sha256,
                     normalized=True, notes=meta.get("notes", ()))


def _convert_once(path: Path, display: str, sniffed: Sniffed, sha256: str, limits: Limits,
                  progress: Progress | None) -> tuple[Path, dict]:
    """Convert ``path`` into the cache unless it is there; one process converts, others wait."""
    from filelock import FileLock

    folder = converted_folder(sha256)
    meta = _read_meta(folder)
    if meta is not None:
        return folder, meta
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder) + ".lock"):
        meta = _read_meta(folder)  # another process may have finished while we waited
        if meta is not None:
            return folder, meta
        shutil.rmtree(folder, ignore_errors=True)  # an unfinished folder from a crash
        for stale in folder.parent.glob(f".{folder.name}-*"):  # a crashed converter's work
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
        try:
            meta = convert(path, tmp / "out", sniffed, display, sha256, limits, progress)
            os.replace(tmp / "out", folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return folder, meta


def load_file(path: str | Path, fmt: str = "auto", limit: int | None = None,
              name: str | None = None, sha256: str | None = None,
              progress: Progress | None = None, limits: Limits = LOCAL_LIMITS) -> Embedding:
    """Load word vectors from ``path`` (word2vec binary/text, GloVe text, fastText .vec, or a
    local gensim .kv).

    Vector files are read strictly (see :mod:`rnncore.embeddings.vectorfile`) and converted
    once into the data cache, keyed by the file's sha256; every later load memory-maps that
    conversion. ``limit`` keeps the first N words (the most frequent ones in these formats).
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise EmbeddingFormatError(f"unknown format {fmt!r}; choose one of {FORMATS}")
    if not path.is_file():
        raise EmbeddingFormatError(f"no such file: {path}")
    name = name or path.name
    if fmt == "kv" or (fmt == "auto" and path.suffix == ".kv"):
        from gensim.models import KeyedVectors

        kv = KeyedVectors.load(str(path), mmap="r")
        if limit:
            kv = _first(kv, limit)
        return Embedding.from_keyed_vectors(kv, name=name, source=f"gensim file {path}")
    sniffed = sniff(path, name, limits)
    if fmt not in ("auto", sniffed.fmt):
        raise EmbeddingFormatError(f"{name}: the content is {sniffed.fmt}, not {fmt}")
    known = sha256 is not None
    if sha256 is None:
        sha256 = _known_sha256(path)
    if sha256 is None:
        if progress and path.stat().st_size > 64 * 2**20:
            progress(0.0, f"checking {name} (sha256)")
        sha256 = sha256_file(path)
    folder, meta = _convert_once(path, name, sniffed, sha256, limits, progress)
    if not known:
        _remember_sha256(path, sha256)
    return open_converted(folder, name, limit, meta)


def _stamp_file(path: Path) -> Path:
    key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()
    return cache_home() / "converted" / "by-path" / f"{key}.json"


def _stamp(path: Path) -> dict:
    info = path.stat()
    return {"path": str(path.resolve()), "size": info.st_size, "mtime_ns": info.st_mtime_ns,
            "inode": info.st_ino}


def _known_sha256(path: Path) -> str | None:
    """The sha256 recorded for this exact file (same path, size, mtime and inode), so that a
    second load of a 3.6 GB file does not hash it again; None when unknown or changed."""
    try:
        record = json.loads(_stamp_file(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    sha256 = record.pop("sha256", None)
    if record != _stamp(path) or _read_meta(converted_folder(str(sha256))) is None:
        return None
    return sha256


def _remember_sha256(path: Path, sha256: str) -> None:
    target = _stamp_file(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False,
                                     suffix=".tmp", encoding="utf-8") as tmp:
        json.dump({**_stamp(path), "sha256": sha256}, tmp)
    os.replace(tmp.name, target)


def _first(kv, limit: int):
    """The first ``limit`` words of a gensim KeyedVectors (a view, no copy)."""
    from gensim.models import KeyedVectors

    small = KeyedVectors(kv.vector_size, count=0, dtype=np.float32)
    small.index_to_key = list(kv.index_to_key[:limit])
    small.key_to_index = {w: i for i, w in enumerate(small.index_to_key)}
    small.vectors = kv.vectors[:limit]
    return small


def load_upload(data: bytes, filename: str, limit: int | None = None,
                max_bytes: int = MAX_UPLOAD_BYTES, progress: Progress | None = None
                ) -> Embedding:
    """Parse uploaded bytes as word vectors; pickles are refused, never loaded.

    The same strict parser as :func:`load_file`, converting into a private temporary folder
    (not the shared cache, so uploads to a public server leave nothing on its disk): the
    files are deleted at once and stay readable through the memory map until the embedding
    is released.
    """
    suffix = Path(filename).suffix.lower()
    if suffix in _PICKLE_SUFFIXES:
        raise EmbeddingFormatError(
            f"{suffix} files are pickles or binary arrays and are never loaded from an upload; "
            "upload word2vec (.bin/.txt) or GloVe text instead")
    if len(data) > max_bytes:
        raise EmbeddingFormatError(
            f"the upload is {len(data) / 2**20:.1f} MB; the limit is {max_bytes / 2**20:.0f} MB")
    limits = Limits(max_bytes=max_bytes)
    with tempfile.TemporaryDirectory(prefix="rnncore-upload-", ignore_cleanup_errors=True) as tmp:
        path = Path(tmp) / "upload"
        path.write_bytes(data)
        sniffed = sniff(path, filename, limits)
        folder = Path(tmp) / "converted"
        meta = convert(path, folder, sniffed, filename, hashlib.sha256(data).hexdigest(),
                       limits, progress)
        path.unlink()
        return open_converted(folder, filename, limit, meta)


def load_embedding(spec: str = DEFAULT_EMBEDDING, progress: Progress | None = None,
                   limit: int | None = None) -> Embedding:
    """A built-in name (``w2v-news-31k``, ``glove-6b-50d``) or a path to a vector file;
    ``limit`` keeps its first N words (the most frequent in word2vec and GloVe files)."""
    if limit is not None and limit < 1:
        raise EmbeddingFormatError(f"the word limit must be at least 1, not {limit}")
    if spec in builtin_names():
        embedding = load_builtin(spec, progress)
        if limit is None or limit >= len(embedding):
            return embedding
        return Embedding(embedding.words[:limit], embedding.vectors[:limit],
                         name=f"{spec}[:{limit}]", source=embedding.source, normalized=True,
                         sha256=hashlib.sha256(f"{embedding.sha256}:first {limit} words"
                                               .encode()).hexdigest())
    if not Path(spec).exists():
        raise EmbeddingFormatError(
            f"{spec!r} is neither a built-in embedding ({', '.join(builtin_names())}) "
            "nor an existing file")
    return load_file(spec, limit=limit, progress=progress)
