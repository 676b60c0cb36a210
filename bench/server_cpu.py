"""Server CPU seconds per action of one student on a warm `streamlit run` (from /proc).

A real server on 127.0.0.1 and one headless Chromium walk the classroom path twice: the first
walk warms the server (libraries, embedding, shared results; it is the teacher), the second,
in a new browser context (a new session), is measured: for each action the server process's
utime + stime from /proc/PID/stat, from before the action until the server has been idle for
0.6 s (the figure includes what the server spends sending the page, unlike AppTest). Prints
CPU-s per action, the medians of page opens and of interactions, and the load average.

    python bench/server_cpu.py [--root DIR] [--walks 1]

``--root`` serves another checkout (e.g. ``git archive 8fc13d9 | tar -x -C /tmp/before``).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` (all its threads) in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def settle(page, pid: int, quiet: float = 0.6, limit: float = 120.0) -> None:
    """Wait until the app shows no running status and the server used no CPU for ``quiet``."""
    deadline = time.time() + limit
    last, since = cpu_seconds(pid), time.time()
    while time.time() < deadline:
        time.sleep(0.15)
        now = cpu_seconds(pid)
        running = page.get_by_test_id("stStatusWidget").count() > 0
        if now - last > 0.005 or running:
            last, since = now, time.time()
        elif time.time() - since >= quiet:
            return
    raise TimeoutError("the server did not become idle")


def start_server(root: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    """``streamlit run`` of ``root`` on a free loopback port; (process, url) once healthy."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=root, stdout=log_path.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not become healthy; see {log_path}")


def walk(page, url: str):
    """The classroom path: (label, kind, action) with kind "open" or "click"."""
    def nav(title: str):
        def go() -> None:
            link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=title,
                                                                  exact=True)
            if not link.is_visible():  # many pages: the sidebar shows "View N more"
                more = page.get_by_test_id("stSidebarNavViewButton")
                if more.count() and "more" in more.inner_text():
                    more.click()
            link.click()
        return go

    def heatmap_words() -> None:
        words = page.get_by_role("textbox", name="Words")
        words.fill("woman, man, nurse, doctor, king")
        words.press("Control+Enter")

    def slider_right() -> None:
        page.get_by_test_id("stSlider").last.get_by_role("slider").press("ArrowRight")

    def choose(label: str, option: str):
        def go() -> None:
            box = page.get_by_test_id("stSelectbox").filter(has_text=label).first
            box.get_by_role("combobox").click()
            page.keyboard.type(option)
            page.keyboard.press("Enter")
        return go

    return [
        ("Home (new session)", "home", lambda: page.goto(url)),
        ("Distances", "open", nav("Distances")),
        ("  heatmap words", "click", heatmap_words),
        ("Neighbours & analogies", "open", nav("Neighbours & analogies")),
        ("  neighbours slider", "click", slider_right),
        ("WEAT", "open", nav("WEAT")),
        ("  choose WEAT 6", "click", choose("Test", "WEAT6")),
        ("Debias & audit", "open", nav("Debias & audit")),
        ("  Debias and audit (default)", "shared",
         lambda: page.get_by_role("button", name="Debias and audit").click()),
        ("  method INLP", "click", lambda: page.get_by_text("INLP (Ravfogel").first.click()),
        ("Map", "open", nav("Map")),
        ("Sentiment & bias shift", "open", nav("Sentiment & bias shift")),
        ("Language model & pronouns", "open", nav("Language model & pronouns")),
        ("3 · Measuring bias", "open", nav("3 · Measuring bias")),
        ("4 · Debiasing", "open", nav("4 · Debiasing")),
        ("  Debias (hard) and audit (default)", "shared",
         lambda: page.get_by_role("button", name="Debias (hard) and audit").click()),
        ("6 · Character LMs", "open", nav("6 · Character LMs")),
        ("Home", "open", nav("Home")),
    ]


def main() -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--walks", type=int, default=1, help="measured walks (new sessions)")
    args = parser.parse_args()
    proc, url = start_server(args.root, Path("/tmp") / f"server_cpu_{os.getpid()}.log")
    figures: dict[str, list[float]] = {}
    kinds: dict[str, str] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
            for n in range(1 + args.walks):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.set_default_timeout(120_000)
                for label, kind, action in walk(page, url):
                    before = cpu_seconds(proc.pid)
                    action()
                    settle(page, proc.pid)
                    if page.get_by_test_id("stException").count():
                        print(f"  {label}: the page shows an exception", file=sys.stderr)
                    if n:  # the first walk warms the server
                        figures.setdefault(label, []).append(cpu_seconds(proc.pid) - before)
                        kinds[label] = kind
                context.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    print(f"server {args.root} · load average {Path('/proc/loadavg').read_text().split()[:3]}")
    print(f"{'action':40s} {'server CPU-s':>12s}")
    for label, values in figures.items():
        print(f"{label:40s} {statistics.median(values):12.3f}")
    for kind, title in (("open", "page opens (median)"), ("click", "interactions (median)")):
        values = [statistics.median(v) for k, v in figures.items() if kinds[k] == kind]
        if values:
            print(f"{title:40s} {statistics.median(values):12.3f}  max {max(values):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
