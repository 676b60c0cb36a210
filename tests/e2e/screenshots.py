"""Screenshots of every page at 1400x1000 for a visual check (a tool, not a test).

    ~/.cache/biaslab/venv/bin/python -m tests.e2e.screenshots [/tmp/shots] [--present] [--only=a,b]

Starts the dashboard on a free loopback port, opens every page of dashboard/navigation.py in
headless Chromium, waits until it has finished running, and saves a full-page PNG per page;
a few pages are shot again after their main button (analogies, all WEAT tests, debias + audit).
With ``--present`` every page is opened in presentation mode (``?present=1``) instead;
``--only=weat,map`` shoots only those pages (file names without ``.py``); ``--tabs`` also shoots
every tab of a page (after its main button when it has one), one file per tab.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from dashboard.navigation import SECTIONS
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, _free_port, _wait_healthy

PRESS = {"bias_direction": "Generate analogies", "weat": "Run all ten tests",
         "debias_audit": "Debias and audit", "lesson_debiasing": "Debias (hard) and audit",
         "distances": "Compare", "neighbours": "Solve", "benchmarks": "Run benchmarks",
         "bias_metrics": "Compute the metrics", "ranking": "Rank the embeddings"}


def _settle(page) -> None:
    """Wait until Streamlit has finished running the script (its status widget is gone)."""
    page.wait_for_timeout(1500)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=300_000)
    page.wait_for_timeout(1000)


def _shoot(page, path: Path) -> None:
    """The whole page at 1400 px wide: the viewport grows to the content's height."""
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(1000, min(int(height), 14_000))})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 1000})
    print(path)


def _shoot_tabs(page, stem: Path) -> None:
    """Each tab of the page after the first, clicked and shot as ``<stem>-tab<i>.png``."""
    tabs = page.get_by_role("tab")
    for i in range(1, tabs.count()):
        tabs.nth(i).click()
        page.wait_for_timeout(800)
        _shoot(page, stem.with_name(f"{stem.name}-tab{i}.png"))


def main(out: Path, present: bool = False, only: set[str] | None = None,
         tabs: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(url, proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for number, (file, _, _) in enumerate(
                    f for entries in SECTIONS.values() for f in entries):
                slug = file.removesuffix(".py")
                if only and slug not in only:
                    continue
                page.goto((url if slug == "home" else f"{url}/{slug}")
                          + ("?present=1" if present else ""))
                _settle(page)
                _shoot(page, out / f"{number:02d}-{slug}.png")
                if slug in PRESS and not present:  # (presenting, it may sit in another tab)
                    page.get_by_role("button", name=PRESS[slug], exact=True).first.click()
                    _settle(page)
                    _shoot(page, out / f"{number:02d}-{slug}-after.png")
                if tabs:
                    _shoot_tabs(page, out / f"{number:02d}-{slug}")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    only = next((set(a.split("=", 1)[1].split(",")) for a in sys.argv if a.startswith("--only=")),
                None)
    main(Path(args[0] if args else "/tmp/shots"), present="--present" in sys.argv, only=only,
         tabs="--tabs" in sys.argv)
