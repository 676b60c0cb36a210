"""Start-up time of the dashboard: a real `streamlit run` on 127.0.0.1, first with an empty data
cache (fetch + build of the default embedding), then again on the filled cache.

    python bench/cold_start.py [--browsers 1] [--python PATH]

Prints one JSON document: for each start, seconds until the server is healthy and until every
browser (headless Chromium, all opened at once) shows Home with the loaded embedding.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.servers import streamlit_server  # noqa: E402


def _start(python: str, home: Path, browsers: int, log: Path) -> dict:
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with streamlit_server(python, {**os.environ, "RNNCORE_HOME": str(home)}, log) as url:
        healthy = time.monotonic() - started
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            pages = [browser.new_context().new_page() for _ in range(browsers)]
            opened = time.monotonic()
            for page in pages:
                page.goto(url, wait_until="commit")
            shown = []
            for page in pages:
                page.get_by_text(re.compile(r"sha256 [0-9a-f]{16}")).wait_for(timeout=600_000)
                shown.append(round(time.monotonic() - opened, 1))
            browser.close()
    return {"server_healthy_s": round(healthy, 1), "home_shown_s": shown,
            "from_launch_to_first_home_s": round(healthy + min(shown), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browsers", type=int, default=1)
    parser.add_argument("--python", default=sys.executable, help="the server's interpreter")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "cache"
        cold = _start(args.python, home, args.browsers, Path(tmp) / "cold.log")
        warm = _start(args.python, home, args.browsers, Path(tmp) / "warm.log")
    print(json.dumps({"browsers": args.browsers, "cold_empty_cache": cold, "warm_cache": warm},
                     indent=1))


if __name__ == "__main__":
    main()
