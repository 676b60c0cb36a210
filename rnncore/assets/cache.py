"""Where rnncore keeps downloaded archives, extracted members and built embeddings, and how
builders share it: one file lock per thing built, atomic publication, a log of what was made."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

EVENTS = "events.log"


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


@contextmanager
def cache_lock(name: str, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold ``locks/<name>.lock`` in the cache: one thread or process at a time, re-entrant in a
    thread. ``waiting`` is called once when another holder makes this one wait."""
    folder = cache_home() / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    # One instance per path; holds are per thread (thread_local), so threads exclude each other.
    lock = FileLock(folder / f"{name}.lock", is_singleton=True, preserve_lock_file=True)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if waiting is not None:
            waiting()
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def publish_dir(tmp: Path, final: Path) -> bool:
    """Atomically rename the finished folder ``tmp`` to ``final``; False (``tmp`` removed) when a
    complete ``final`` from another builder is already there, which is kept."""
    try:
        os.replace(tmp, final)
        return True
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
        shutil.rmtree(tmp, ignore_errors=True)
        return False


def log_event(message: str) -> None:
    """Append one line (UTC time, process id, ``message``) to ``events.log`` in the cache."""
    path = cache_home() / EVENTS
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{stamp} pid={os.getpid()} {message}\n")
