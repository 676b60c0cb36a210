"""A `streamlit run dashboard/app.py` of its own (any Python, any environment) for the cold-start
and deployment tests; the shared ``app_url`` fixture serves the machine's warm cache instead."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.conftest import ROOT, _free_port, _wait_healthy


@contextmanager
def streamlit_server(python: str, env: dict[str, str], log_path: Path) -> Iterator[str]:
    """Serve the dashboard with ``python`` and ``env`` on a free 127.0.0.1 port; yield its URL."""
    port = _free_port()
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [python, "-m", "streamlit", "run", "dashboard/app.py",
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
