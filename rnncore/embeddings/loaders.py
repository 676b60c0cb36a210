"""Load embeddings: the built-ins by name, word2vec binary/text or GloVe text files, uploads.

Uploads are parsed, never unpickled: a pickle (gensim ``.kv``/``.model``, torch ``.pt``) is refused.
A gensim-native ``.kv`` loads only from a local path the user names, memory-mapped.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

import numpy as np

from rnncore.assets import Progress, ensure_built
from rnncore.assets.build import builtin_names
from rnncore.assets.cache import sha256_file
from rnncore.embeddings.embedding import Embedding

DEFAULT_EMBEDDING = "w2v-news-31k"
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
MAX_VECTOR_BYTES = 600 * 1024 * 1024
MAX_DIM = 4096
FORMATS = ("auto", "word2vec-bin", "word2vec-text", "glove-text", "kv")
_HEADER = re.compile(rb"^\s*(\d+)\s+(\d+)\s*$")
_PICKLE_SUFFIXES = {".kv", ".model", ".pt", ".pth", ".pkl", ".pickle", ".npy", ".joblib"}


class EmbeddingFormatError(ValueError):
    """A file could not be read as word vectors; the message says why, for a person."""


def load_builtin(name: str = DEFAULT_EMBEDDING, progress: Progress | None = None) -> Embedding:
    """Load a built-in embedding (building it into the cache on first use), memory-mapped."""
    built = ensure_built(name, progress)
    vectors = np.load(built.vectors_path, mmap_mode="r")
    words = built.vocab_path.read_text(encoding="utf-8").split("\n")[: built.meta["n_words"]]
    return Embedding(words, vectors, name=name, source=built.meta["source"],
                     sha256=built.meta["sha256"], normalized=True)


def _looks_like_pickle(head: bytes) -> bool:
    return head[:1] == b"\x80" or head[:2] in (b"PK",) or b"gensim.models" in head[:4096]


def detect_format(path: Path) -> tuple[str, int | None, int]:
    """Guess ``(format, claimed_words, dim)`` from a file's first bytes.

    Raises EmbeddingFormatError with the reason when it is no word-vector file.
    """
    with open(path, "rb") as handle:
        head = handle.read(65536)
    if not head.strip():
        raise EmbeddingFormatError("the file is empty")
    if _looks_like_pickle(head):
        raise EmbeddingFormatError(
            "this looks like a pickle or archive (gensim .kv/.model, torch .pt, .npy, .zip). "
            "Uploads are never unpickled; save the vectors with gensim's save_word2vec_format "
            "(binary or text) and upload that file instead")
    first, _, rest = head.partition(b"\n")
    header = _HEADER.match(first)
    if header:
        count, dim = int(header.group(1)), int(header.group(2))
        _check_dim(dim)
        second = rest.partition(b"\n")[0]
        try:
            tokens = second.decode("utf-8").split()
            [float(t) for t in tokens[1:]]
            is_text = len(tokens) == dim + 1
        except (UnicodeDecodeError, ValueError):
            is_text = False
        return ("word2vec-text" if is_text else "word2vec-bin"), count, dim
    try:
        tokens = first.decode("utf-8").rstrip().split(" ")
        [float(t) for t in tokens[1:]]
    except (UnicodeDecodeError, ValueError):
        raise EmbeddingFormatError(
            "not a word-vector file: expected a word2vec header line 'N_WORDS DIM' or GloVe "
            "text lines 'word v1 v2 ...'") from None
    if len(tokens) < 2:
        raise EmbeddingFormatError("the first line has a word but no numbers")
    _check_dim(len(tokens) - 1)
    return "glove-text", None, len(tokens) - 1


def _check_dim(dim: int) -> None:
    if not 1 <= dim <= MAX_DIM:
        raise EmbeddingFormatError(f"a vector size of {dim} is not plausible (1..{MAX_DIM})")


def _check_room(path: Path, fmt: str, claimed: int | None, dim: int, limit: int | None) -> None:
    """Refuse headers that promise more vectors than the file or the memory budget can hold."""
    if claimed is None:
        return
    wanted = min(claimed, limit) if limit else claimed
    if wanted * dim * 4 > MAX_VECTOR_BYTES:
        raise EmbeddingFormatError(
            f"{wanted:,} words x {dim} would need {wanted * dim * 4 / 2**20:,.0f} MB; "
            "set a 'most frequent N words' limit")
    size = path.stat().st_size
    per_word = dim * 4 if fmt == "word2vec-bin" else dim * 2
    if size < wanted * per_word:
        raise EmbeddingFormatError(
            f"the header promises {claimed:,} words of {dim} numbers, but the file is only "
            f"{size:,} bytes: it is truncated or the header is wrong")


def load_file(path: str | Path, fmt: str = "auto", limit: int | None = None,
              name: str | None = None, sha256: str | None = None,
              source_name: str | None = None) -> Embedding:
    """Load word vectors from ``path`` (word2vec binary/text, GloVe text, or local gensim .kv);
    ``source_name`` is the file name to report (an upload's own name, not its temporary file)."""
    from gensim.models import KeyedVectors

    path = Path(path)
    if fmt not in FORMATS:
        raise EmbeddingFormatError(f"unknown format {fmt!r}; choose one of {FORMATS}")
    if not path.is_file():
        raise EmbeddingFormatError(f"no such file: {path}")
    name = name or path.name
    if fmt == "kv" or (fmt == "auto" and path.suffix == ".kv"):
        kv = KeyedVectors.load(str(path), mmap="r")
        return Embedding.from_keyed_vectors(kv, name=name, source=f"gensim file {path}")
    detected, claimed, dim = detect_format(path)
    if fmt == "auto":
        fmt = detected
    _check_room(path, fmt, claimed, dim, limit)
    try:
        kv = KeyedVectors.load_word2vec_format(
            str(path), binary=fmt == "word2vec-bin", no_header=fmt == "glove-text",
            limit=limit, unicode_errors="replace")
    except (ValueError, EOFError, UnicodeDecodeError, IndexError, OverflowError,
            MemoryError) as exc:
        raise EmbeddingFormatError(f"could not read it as {fmt}: {exc}") from None
    if len(kv) == 0:
        raise EmbeddingFormatError("the file holds no vectors")
    if not np.isfinite(kv.vectors).all():
        raise EmbeddingFormatError("some vectors contain NaN or infinite values")
    try:
        return Embedding.from_keyed_vectors(kv, name=name,
                                            source=f"{fmt} file {source_name or path.name}",
                                            sha256=sha256 or sha256_file(path))
    except ValueError as exc:
        raise EmbeddingFormatError(str(exc)) from None


def load_upload(data: bytes, filename: str, limit: int | None = None,
                max_bytes: int = MAX_UPLOAD_BYTES) -> Embedding:
    """Parse uploaded bytes as word vectors; pickles are refused, never loaded."""
    suffix = Path(filename).suffix.lower()
    if suffix in _PICKLE_SUFFIXES:
        raise EmbeddingFormatError(
            f"{suffix} files are pickles or binary arrays and are never loaded from an upload; "
            "upload word2vec (.bin/.txt) or GloVe text instead")
    if len(data) > max_bytes:
        raise EmbeddingFormatError(
            f"the upload is {len(data) / 2**20:.1f} MB; the limit is {max_bytes / 2**20:.0f} MB")
    with tempfile.NamedTemporaryFile(suffix=suffix or ".vec") as tmp:
        tmp.write(data)
        tmp.flush()
        return load_file(tmp.name, limit=limit, name=filename,
                         sha256=hashlib.sha256(data).hexdigest(),
                         source_name=f"{Path(filename).name} (uploaded)")


def load_embedding(spec: str = DEFAULT_EMBEDDING, progress: Progress | None = None,
                   limit: int | None = None) -> Embedding:
    """A built-in name (``w2v-news-31k``, ``glove-6b-50d``) or a path to a vector file."""
    if spec in builtin_names():
        return load_builtin(spec, progress)
    if not Path(spec).exists():
        raise EmbeddingFormatError(
            f"{spec!r} is neither a built-in embedding ({', '.join(builtin_names())}) "
            "nor an existing file")
    return load_file(spec, limit=limit)
