"""Real-browser fixtures: `streamlit run` on 127.0.0.1 and headless Debian Chromium (playwright).

Without /usr/bin/chromium these tests skip locally, but fail when BIASLAB_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


@pytest.fixture(scope="session")
def app_counters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file where the ``app_url`` server records its builds and script runs
    (``BIASLAB_DEBUG_COUNTERS``, one JSON line each)."""
    return tmp_path_factory.mktemp("counters") / "runs.jsonl"


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory, app_counters: Path) -> Iterator[str]:
    """The dashboard served by a real `streamlit run` on a free loopback port."""
    from tests.e2e.servers import streamlit_server  # (servers imports this module)

    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "BIASLAB_DEBUG_COUNTERS": str(app_counters)}
    with streamlit_server(sys.executable, env, log_path) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("BIASLAB_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; `./run.sh test` installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh browser page (1400x1000) with generous timeouts for cold pages.

    The first page a fresh server renders loads the embedding (several seconds on a cold
    machine), so actions and ``expect`` assertions both wait up to 60 s.
    """
    from playwright.sync_api import expect

    expect.set_options(timeout=60_000)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


def run_async_in_own_thread(coro_factory, timeout: float = 900.0):
    """Run an asyncio coroutine in a thread of its own (the sync playwright fixtures of other
    tests may own this thread's event loop); TimeoutError when it has not ended in ``timeout``
    seconds (a hung browser session must fail the test, not stall the suite)."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = asyncio.run(coro_factory())
        except BaseException as exc:  # re-raised below
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"the browser sessions did not end within {timeout:.0f} s")
    if "error" in box:
        raise box["error"]
    return box["value"]
