"""Where rnncore keeps downloaded archives, extracted members and built embeddings."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_home() -> Path:
    """The cache root: ``$RNNCORE_HOME`` or ``~/.cache/rnncore``."""
    return Path(os.environ.get("RNNCORE_HOME") or Path.home() / ".cache" / "rnncore")


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()
