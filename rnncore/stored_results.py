"""Results kept on disk as JSON, keyed by everything they depend on, read back instead of computed.

``StoredResults(folder)`` keeps one file per (kind, key): the key is a JSON-ready dict (an
embedding's sha256, a model's fingerprint, the words, the settings) and the store adds the code
version (:func:`code_version`: rnncore's sources and the numeric libraries' versions), so a
changed input or a changed program is computed again, never served from a stale file. A
:class:`Codec` turns a result into plain JSON and back; files are written atomically (a
temporary file renamed into place), read-only, and never unpickled. A file that is not JSON,
of another format or kind, for another key or code version, or that its codec cannot read is
ignored with a logged warning. At most ``max_files`` files of one kind are kept (the oldest go
first).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

FORMAT = 1
LIBRARIES = ("numpy", "pandas", "scikit-learn", "scipy", "torch")
log = logging.getLogger(__name__)


@cache
def code_version() -> str:
    """A hash of rnncore's Python sources and the numeric libraries' versions (results computed
    by other code are not reused)."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing".encode())
    return digest.hexdigest()[:16]


def canonical(key: dict[str, Any]) -> str:
    """The key as sorted, compact JSON (tuples read as lists)."""
    return json.dumps(key, sort_keys=True, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class Codec:
    """How a kind of result becomes plain JSON (``encode``) and is read back (``decode``)."""

    encode: Callable[[Any], dict]
    decode: Callable[[dict], Any]


def frame_to_json(table: pd.DataFrame) -> dict:
    """A DataFrame as columns, dtypes and rows of plain values (floats exactly)."""
    return {"columns": [str(c) for c in table.columns],
            "dtypes": [str(t) for t in table.dtypes],
            "data": table.astype(object).values.tolist()}


def frame_from_json(data: dict) -> pd.DataFrame:
    """The DataFrame :func:`frame_to_json` wrote, with its dtypes."""
    table = pd.DataFrame(data["data"], columns=data["columns"])
    return table.astype(dict(zip(data["columns"], data["dtypes"], strict=True)))


class StoredResults:
    """One JSON file per (kind, key) in ``folder``."""

    def __init__(self, folder: Path, max_files: int = 2048) -> None:
        self.folder, self.max_files = Path(folder), max_files

    def path(self, kind: str, key: dict[str, Any]) -> Path:
        """Where the result of ``kind`` for ``key`` is stored."""
        name = hashlib.sha256(f"{kind}\n{canonical(key)}".encode()).hexdigest()[:20]
        return self.folder / f"{kind}-{name}.json"

    def load(self, kind: str, key: dict[str, Any], codec: Codec) -> Any | None:
        """The stored result, or None (nothing stored, or a file that does not match: logged)."""
        path = self.path(kind, key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("stored result %s not read (%s); computing it", path, exc)
            return None
        try:
            data = json.loads(raw.decode("utf-8"))  # JSON only: never unpickled
            if not isinstance(data, dict) or data.get("format") != FORMAT \
                    or data.get("kind") != kind:
                raise ValueError("not a stored result of this kind and format")
            if data.get("code") != code_version():
                raise ValueError("computed by another version of the code")
            if canonical(data.get("key")) != canonical(key):
                raise ValueError("stored for other inputs")
            return codec.decode(data["result"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("stored result %s ignored (%s); computing it", path, exc)
            return None

    def save(self, kind: str, key: dict[str, Any], result: Any, codec: Codec) -> Path:
        """Write ``result`` for ``key`` atomically; keep at most ``max_files`` of ``kind``."""
        path = self.path(kind, key)
        text = json.dumps({"format": FORMAT, "kind": kind, "code": code_version(),
                           "key": json.loads(canonical(key)), "result": codec.encode(result)})
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=self.folder, prefix=f".{kind}-", suffix=".part")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(partial, 0o444)  # read-only, readable by a server running as another user
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        self._trim(kind)
        return path

    def _trim(self, kind: str) -> None:
        files = sorted(self.folder.glob(f"{kind}-*.json"), key=_mtime)
        for old in files[:max(0, len(files) - self.max_files)]:
            old.unlink(missing_ok=True)

    def get_or_compute(self, kind: str, key: dict[str, Any], compute: Callable[[], Any],
                       codec: Codec) -> tuple[Any, bool]:
        """(the stored result, True) or (``compute()``'s, stored now, False)."""
        stored = self.load(kind, key, codec)
        if stored is not None:
            return stored, True
        result = compute()
        self.save(kind, key, result, codec)
        return result, False


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


__all__ = ["Codec", "StoredResults", "code_version", "frame_from_json", "frame_to_json"]
