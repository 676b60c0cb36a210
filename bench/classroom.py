"""A class of N students on one server: latency per action and the server's memory.

Starts a real ``streamlit run dashboard/app.py`` on 127.0.0.1, lets one session walk the path
(the teacher before the lesson: it loads the libraries and builds the shared results; skip with
``--no-warmup``), waits for that session to be released, then runs N concurrent headless
Chromium sessions (one browser, one context each) that follow the
classroom path: Distances -> Analogies -> WEAT -> Debias & audit (default hard debias) ->
sentiment probe on the class models -> the word LM page (its class models and pronoun probe).
It samples the server's RSS (/proc) throughout and prints p50/p95 per action, the RSS before
the class, the peak, and the RSS two minutes (``--after``) after every session closed, plus how
many times each shared object was built.

    python bench/classroom.py --sessions 30          # the goal: peak <= 1.0 GB on 2 cores
    python bench/classroom.py --sessions 3 --after 10

The class models must be prepared (``python -m rnncore prepare-class``) or the server trains
them once on first use (budget from BIASLAB_CLASS_BUDGET). Figures are measured on a shared,
loaded machine: compare them within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
ACTIONS = ("distances", "analogies", "weat", "debias", "sentiment", "word_lm")
TIMEOUT_MS = 600_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], log_path: Path, app: str = "dashboard/app.py",
                 ) -> tuple[subprocess.Popen, str]:
    """``streamlit run APP`` on a free loopback port; returns (process, url) once healthy."""
    port = free_port()
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", app,
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **env})
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy in time")


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MB (from /proc/PID/status)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class RssSampler(threading.Thread):
    """Samples a process's RSS every ``every`` seconds into ``samples`` [(t, MB)]."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.samples = pid, every, []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.samples.append((time.time(), rss_mb(self.pid)))
            except OSError:
                return
            self._stop_event.wait(self.every)

    def stop(self) -> None:
        self._stop_event.set()


async def _no_exception(page) -> None:
    count = await page.get_by_test_id("stException").count()
    if count:
        text = await page.get_by_test_id("stException").first.inner_text()
        raise AssertionError(f"the page shows an exception: {text[:400]}")


async def student(browser, url: str, timings: dict[str, list[float]]) -> None:
    """One student's classroom path in its own browser context (= one Streamlit session)."""
    from playwright.async_api import expect

    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)

    async def step(name: str, action, ready) -> None:
        started = time.perf_counter()
        await action()
        # an exception box ends the wait at once instead of after TIMEOUT_MS
        await expect(ready().or_(page.get_by_test_id("stException")).first).to_be_visible(
            timeout=TIMEOUT_MS)
        await _no_exception(page)
        timings[name].append(time.perf_counter() - started)

    async def nav(title: str):  # a sidebar link: the same session (a URL would open a new one)
        link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)
        if not await link.is_visible():  # many pages: the sidebar shows "View N more"
            more = page.get_by_test_id("stSidebarNavViewButton")
            if await more.count() and "more" in await more.inner_text():
                await more.click()
        await link.click()

    try:
        await step("distances", lambda: page.goto(f"{url}/distances"),
                   lambda: page.get_by_role("button", name="Download CSV").first)
        await step("analogies", lambda: nav("Neighbours & analogies"),
                   lambda: page.get_by_text("Input words allowed").first)
        await step("weat", lambda: nav("WEAT"),
                   lambda: page.get_by_text("Effect size d").first)
        await nav("Debias & audit")
        await expect(page.get_by_role("button", name="Debias and audit")).to_be_visible(
            timeout=TIMEOUT_MS)
        await step("debias", lambda: page.get_by_role("button", name="Debias and audit").click(),
                   lambda: page.get_by_role("heading", name="Audit: before and after"))
        await step("sentiment", lambda: nav("Sentiment & bias shift"),
                   lambda: page.get_by_text("class RNN · hard debias").first)
        await step("word_lm", lambda: nav("Language model & pronouns"),
                   lambda: page.get_by_text("Model to plot").first)
    finally:
        await context.close()


async def run_class(url: str, sessions: int, stagger: float = 0.5) -> dict[str, list[float]]:
    """``sessions`` students at once (started ``stagger`` s apart); their timings per action."""
    from playwright.async_api import async_playwright

    timings: dict[str, list[float]] = defaultdict(list)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=CHROMIUM_ARGS)
        try:
            async def delayed(k: int) -> None:
                await asyncio.sleep(k * stagger)
                await student(browser, url, timings)

            results = await asyncio.gather(*(delayed(k) for k in range(sessions)),
                                           return_exceptions=True)
        finally:
            await browser.close()
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise RuntimeError(f"{len(errors)} of {sessions} sessions failed; first: {errors[0]!r}")
    return timings


def builds(counter_file: Path) -> Counter:
    """How many times each kind of shared object was built (BIASLAB_DEBUG_COUNTERS lines)."""
    if not counter_file.exists():
        return Counter()
    return Counter(json.loads(line)["kind"] for line in counter_file.read_text().splitlines())


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 \
        else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--after", type=float, default=120.0,
                        help="seconds to wait after the class before the last RSS reading")
    parser.add_argument("--no-warmup", dest="warmup", action="store_false",
                        help="start the class on a cold server (no teacher walk-through)")
    parser.add_argument("--warmup-wait", type=float, default=130.0,
                        help="seconds after the walk-through (its session is released)")
    parser.add_argument("--stagger", type=float, default=0.5,
                        help="seconds between two students' start")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="biaslab-classroom-"))
    counters = work / "builds.jsonl"
    proc, url = start_server({"BIASLAB_DEBUG_COUNTERS": str(counters)}, work / "server.log")
    sampler = RssSampler(proc.pid)
    try:
        time.sleep(2)
        cold = rss_mb(proc.pid)
        if args.warmup:  # the teacher walks the path once before the lesson
            asyncio.run(run_class(url, 1))
            time.sleep(args.warmup_wait)
        before = rss_mb(proc.pid)
        warm_builds = builds(counters)
        sampler.start()
        started = time.time()
        timings = asyncio.run(run_class(url, args.sessions, args.stagger))
        closed = time.time()
        time.sleep(args.after)
        after = rss_mb(proc.pid)
        sampler.stop()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    peak = max(mb for _, mb in sampler.samples)
    print(f"classroom bench: {args.sessions} concurrent sessions on one server, "
          f"{os.cpu_count()} cores (measured under load), class took {closed - started:.0f} s")
    print(f"{'action':<10} {'n':>3} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    for name in ACTIONS:
        values = timings.get(name, [])
        if values:
            print(f"{name:<10} {len(values):>3} {percentile(values, 50):>7.1f} "
                  f"{percentile(values, 95):>7.1f} {max(values):>7.1f}")
    print(f"server RSS cold: {cold:.0f} MB; after the teacher's walk-through "
          f"({'yes' if args.warmup else 'skipped'}): {before:.0f} MB")
    print(f"server RSS before the class: {before:.0f} MB; peak: {peak:.0f} MB "
          f"(goal <= 1024); {args.after:.0f} s after the last session closed: {after:.0f} MB "
          f"(+{after - before:.0f} MB, goal <= +150)")
    print("shared objects built: " + ", ".join(f"{k} x{v}" for k, v in
                                                sorted(builds(counters).items()))
          + f" (during the walk-through: {sum(warm_builds.values())})")
    trace = [(round(t - started, 1), round(mb)) for t, mb in sampler.samples[::20]]
    print("RSS trace (s, MB) every ~10 s: " + " ".join(f"{t}:{mb}" for t, mb in trace))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
