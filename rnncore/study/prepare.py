"""Prepare a study's inputs once, in its folder, before any task runs.

Each (embedding, method) pair becomes ``inputs/vectors/<embedding>__<method>/`` (``vectors.npy``
float32 unit rows + ``words.txt``), which every worker memory-maps: a debiased copy is computed
once by the driver and read from disk by all tasks (the operating system shares the pages
between the workers of one machine), never sent once per task. The data subsets and the probes
are small JSON files beside them. Every file's sha256 goes into ``inputs/manifest.json`` and from
there into each record.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from rnncore.assets.cache import sha256_file
from rnncore.study.spec import BUILTIN, NONE, StudySpec, fingerprint
from rnncore.study.store import StudyFolder, write_json_atomic

Progress = Callable[[str], None]
PREPARE_VERSION = 1


def vectors_dir(folder: StudyFolder, embedding: str, method: str) -> Path:
    """Where the prepared vectors of (embedding, method) live."""
    return folder.inputs / "vectors" / f"{embedding}__{method}"


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_vectors(target: Path, words: list[str], vectors: np.ndarray, meta: dict) -> dict:
    """Write the folder at once (temporary folder + rename); returns its file hashes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))
    try:
        np.save(tmp / "vectors.npy", np.ascontiguousarray(vectors, dtype=np.float32))
        (tmp / "words.txt").write_text("\n".join(words), encoding="utf-8")
        meta = {**meta, "sha256": {"vectors.npy": sha256_file(tmp / "vectors.npy"),
                                   "words.txt": sha256_file(tmp / "words.txt")}}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return meta


def _read_meta(target: Path) -> dict | None:
    try:
        return json.loads((target / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _prepare_vectors(spec: StudySpec, folder: StudyFolder, progress: Progress) -> dict:
    from rnncore.assets.build import builtin_names
    from rnncore.debias.methods import run_debias
    from rnncore.embeddings import load_embedding

    out = {}
    for emb in spec.embeddings:
        loaded = None
        for method in spec.methods:
            key = fingerprint(PREPARE_VERSION, emb, method)
            target = vectors_dir(folder, emb.name, method.name)
            meta = _read_meta(target)
            if meta is None or meta.get("fingerprint") != key:
                if loaded is None:
                    progress(f"loading {emb.name} ({emb.source})")
                    source = emb.source if emb.source in builtin_names() else \
                        str(spec.resolve(emb.source))
                    loaded = load_embedding(source, limit=emb.limit)
                if method.method == NONE:
                    vectors, params = loaded.vectors, {}
                else:
                    progress(f"debiasing {emb.name} with {method.name} ({method.method})")
                    run = run_debias(loaded, method.method, method.dimension, method.options)
                    vectors, params = run.after.vectors, run.params
                meta = _write_vectors(target, list(loaded.words), vectors, {
                    "fingerprint": key, "embedding": emb.name, "source": emb.source,
                    "limit": emb.limit, "original_sha256": loaded.sha256,
                    "method": method.method, "dimension": method.dimension,
                    "params": json.loads(json.dumps(params, default=str))})
            out[f"{emb.name}__{method.name}"] = meta
    return out


def _data_files(spec: StudySpec) -> dict[str, object]:
    from rnncore.bias import wordsets
    from rnncore.corpora.reviews import reviews_split
    from rnncore.probes.inputs import (
        builtin_comparisons,
        lm_prompts,
        read_groups,
        read_templates,
        sentiment_templates,
    )
    from rnncore.train.word_lm import lm_corpus

    data = reviews_split()
    s, lm = spec.sentiment, spec.lm

    def rows(table, n):
        table = table.sample(n=min(n, len(table)), random_state=0)
        return [[str(t), int(y)] for t, y in zip(table["text"], table["label"], strict=True)]

    sentiment = {"train": rows(data.train, s.train_rows),
                 "validation": rows(data.validation, s.eval_rows),
                 "test": rows(data.test, s.eval_rows)}
    corpus = lm_corpus("snippets")
    lm_data = {"train": corpus.train[: lm.train_sentences],
               "heldout": corpus.heldout[: lm.heldout_sentences], "source": corpus.source}
    p = spec.probes
    templates = sentiment_templates() if p.templates == BUILTIN else \
        read_templates(spec.resolve(p.templates))
    prompts = lm_prompts() if p.prompts == BUILTIN else read_templates(spec.resolve(p.prompts))
    if len(p.groups) == 1 and p.groups[0].endswith(".csv"):
        comparisons = read_groups(spec.resolve(p.groups[0]))
    else:
        builtin = builtin_comparisons()
        unknown = [g for g in p.groups if g not in builtin]
        if unknown:
            from rnncore.study.spec import SpecError

            raise SpecError(f"{spec.path}: probes.groups: unknown comparison {unknown[0]!r}; "
                            f"built-in: {', '.join(builtin)} (or one group,word CSV)")
        comparisons = [builtin[g] for g in p.groups]
    probes = {"templates": templates, "prompts": prompts, "pairs": [list(x) for x in p.pairs],
              "professions": list(wordsets.neutral_professions()),
              "comparisons": [{"key": c.key, "title": c.title, "a_name": c.a_name,
                               "a": list(c.a), "b_name": c.b_name, "b": list(c.b)}
                              for c in comparisons]}
    return {"sentiment.json": sentiment, "lm.json": lm_data, "probes.json": probes}


def prepare_inputs(spec: StudySpec, folder: StudyFolder,
                   progress: Progress | None = None) -> dict:
    """Build (or reuse) every input of the study; returns the manifest (file -> sha256)."""
    progress = progress or (lambda message: None)
    folder.inputs.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, content in _data_files(spec).items():
        text = json.dumps(content, ensure_ascii=False, sort_keys=True)
        path = folder.inputs / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")  # rewritten only when it changed
        files[name] = _sha256_bytes(text.encode("utf-8"))
    vectors = _prepare_vectors(spec, folder, progress)
    manifest = {"files": files, "vectors": vectors}
    write_json_atomic(folder.inputs / "manifest.json", manifest)
    return manifest
