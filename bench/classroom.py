"""A class of N students on one server: latency per action, server-side cost, memory.

Starts a real ``streamlit run dashboard/app.py`` on 127.0.0.1 with the timing hook on
(``BIASLAB_TIMING``: one line per script run), lets one session walk the path (the teacher
before the lesson: it loads the libraries and builds the shared results; skip with
``--no-warmup``), waits for that session to be released, then runs N concurrent headless
Chromium sessions (one browser, one context each) that follow the classroom path: Home ->
Distances -> Neighbours & analogies -> WEAT (and its standard-deviation choice) -> Debias & audit
(default hard debias) -> sentiment probe on the class models -> the word LM page (its class
models and pronoun probe) -> Character LM (the class model) and a temperature change.

It prints, per action: what the browser waited (p50/p95/max; the browsers share the machine's
cores with the server) and the server's side from the hook (wall seconds of the runs the
action caused, their script-thread CPU and the bytes sent); the server's process CPU (utime +
stime, /proc) per student path; the server's RSS before the class, its peak and ``--after``
seconds after every session closed; how many times each shared object was built; and the
floor: the same number of sessions opening ``bench/floor_app.py`` (one plotly chart, one table)
on a server of its own and moving its slider once.

    python bench/classroom.py --sessions 30          # the class (goal: server p95 <= 2 s)
    python bench/classroom.py --sessions 30 60       # two classes, each on a fresh server
    python bench/classroom.py --sessions 1           # one student on a warm server

``--sessions 1`` is the one-student path: class models prepared with the quick budget in a
temporary folder (during the teacher's walk), then one student; it prints the median server CPU
per ordinary interaction, per page open, Home's, and what the second session paid for a shared
default result (the default hard debias + audit the teacher built). With more sessions the class
models must be prepared (``python -m rnncore prepare-class``) or the teacher's walk trains them
(budget from BIASLAB_CLASS_BUDGET). ``--server-cpus``/``--browser-cpus`` pin the server and the
browsers to separate cores (``taskset`` lists, e.g. ``0-1`` and ``2-7``) where the machine has
them. Figures are measured on a shared, loaded machine: compare them within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
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
ACTIONS = ("home", "distances", "analogies", "weat", "weat_ddof", "weat_ddof_back", "debias",
           "sentiment", "word_lm", "char_lm", "char_lm_temperature",
           "char_lm_temperature_2")  # the bench's path
CORE = ("distances", "analogies", "weat", "debias", "sentiment", "word_lm")  # the load test's
ORDINARY = {"weat_ddof", "gen_temp"}  # widget keys of the path's ordinary interactions
TIMEOUT_MS = 600_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], log_path: Path, app: str = "dashboard/app.py",
                 cpus: set[int] | None = None) -> tuple[subprocess.Popen, str]:
    """``streamlit run APP`` on a free loopback port (on ``cpus`` when given); returns
    (process, url) once healthy."""
    port = free_port()
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", app,
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **env},
        preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
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


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` (all its threads) in seconds, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


SETTLED = """() => !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
    && !document.querySelector('[data-stale="true"]')"""


async def settled(page) -> None:
    """Until the app shows no run under way (no running icon, no stale element), after 0.3 s
    for the run's start to reach the browser: the next action must not interrupt this one."""
    await page.wait_for_timeout(300)
    await page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)


async def student(browser, url: str, timings: dict[str, list[float]],
                  steps: tuple[str, ...] = CORE) -> None:
    """One student's classroom path in its own browser context (= one Streamlit session):
    the actions of ``steps`` (``CORE``, or ``ACTIONS`` with Home, the WEAT choice and the
    Character LM), in the path's order."""
    from playwright.async_api import expect

    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)

    async def step(name: str, action, ready) -> None:
        if name not in steps:
            return
        started = time.perf_counter()
        await action()
        target = ready()
        if asyncio.iscoroutine(target):
            await target
        else:  # an exception box ends the wait at once instead of after TIMEOUT_MS
            await expect(target.or_(page.get_by_test_id("stException")).first).to_be_visible(
                timeout=TIMEOUT_MS)
        await settled(page)
        await _no_exception(page)
        timings[name].append(time.perf_counter() - started)

    async def nav(title: str):  # a sidebar link: the same session (a URL would open a new one)
        link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)
        if not await link.is_visible():  # many pages: the sidebar shows "View N more"
            more = page.get_by_test_id("stSidebarNavViewButton")
            if await more.count() and "more" in await more.inner_text():
                await more.click()
        await link.click()

    async def temperature_up():
        slider = page.get_by_test_id("stSlider").filter(has_text="Temperature")
        await slider.get_by_role("slider").focus()
        await page.keyboard.press("ArrowRight")

    try:
        await step("home", lambda: page.goto(url),
                   lambda: page.get_by_role("heading", name="biaslab").first)
        await step("distances", (lambda: nav("Distances")) if "home" in steps
                   else (lambda: page.goto(f"{url}/distances")),
                   lambda: page.get_by_role("button", name="Download CSV").first)
        await step("analogies", lambda: nav("Neighbours & analogies"),
                   lambda: page.get_by_text("Input words allowed").first)
        await step("weat", lambda: nav("WEAT"),
                   lambda: page.get_by_text("Effect size d").first)
        # the run ends by writing the choice into the URL (the page's link)
        await step("weat_ddof", lambda: page.get_by_text("population (WEFE)").click(),
                   lambda: page.wait_for_url(re.compile(r"weat_ddof=0"), timeout=TIMEOUT_MS))
        await step("weat_ddof_back", lambda: page.get_by_text("sample (Caliskan)").click(),
                   lambda: page.wait_for_url(re.compile(r"weat_ddof=1"), timeout=TIMEOUT_MS))
        await nav("Debias & audit")
        await expect(page.get_by_role("button", name="Debias and audit")).to_be_visible(
            timeout=TIMEOUT_MS)
        await step("debias", lambda: page.get_by_role("button", name="Debias and audit").click(),
                   lambda: page.get_by_role("heading", name="Audit: before and after"))
        await step("sentiment", lambda: nav("Sentiment & bias shift"),
                   lambda: page.get_by_text("class RNN · hard debias").first)
        await step("word_lm", lambda: nav("Language model & pronouns"),
                   lambda: page.get_by_text("Model to plot").first)
        await step("char_lm", lambda: nav("Character LM"),
                   lambda: page.get_by_text("The class model for").first)
        await step("char_lm_temperature", temperature_up,
                   lambda: page.get_by_text("sampling, temperature 0.85").first)
        await step("char_lm_temperature_2", temperature_up,
                   lambda: page.get_by_text("sampling, temperature 0.9").first)
    finally:
        await context.close()


async def full_path(browser, url: str, timings: dict[str, list[float]]) -> None:
    """The bench's student: every action of ``ACTIONS``."""
    await student(browser, url, timings, ACTIONS)


async def floor_student(browser, url: str, timings: dict[str, list[float]]) -> None:
    """One session on the floor page: open it, move its slider once."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        started = time.perf_counter()
        await page.goto(url)
        await page.get_by_text("50 points").wait_for()
        await settled(page)
        timings["floor_open"].append(time.perf_counter() - started)
        started = time.perf_counter()
        await page.get_by_role("slider").focus()
        await page.keyboard.press("ArrowRight")
        await page.get_by_text("51 points").wait_for()
        await settled(page)
        timings["floor_slider"].append(time.perf_counter() - started)
    finally:
        await context.close()


async def run_class(url: str, sessions: int, stagger: float = 0.5,
                    walk=student) -> dict[str, list[float]]:
    """``sessions`` students at once (started ``stagger`` s apart); their timings per action."""
    from playwright.async_api import async_playwright

    timings: dict[str, list[float]] = defaultdict(list)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=CHROMIUM_ARGS)
        try:
            async def delayed(k: int) -> None:
                await asyncio.sleep(k * stagger)
                await walk(browser, url, timings)

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


def records(timing_file: Path, since: float = 0.0, until: float = float("inf")) -> list[dict]:
    """The timing hook's records of runs that started in [since, until)."""
    if not timing_file.exists():
        return []
    return [r for r in map(json.loads, timing_file.read_text().splitlines())
            if since <= r["t"] < until]


def server_actions(runs: list[dict]) -> list[dict]:
    """The hook's runs grouped into user actions, per session in time order: a page open or a
    widget change starts an action; the runs it causes without a user (a rerun, a fragment's
    timer) are added to it. Each: label, kind, widgets, wall/thread/process CPU s, bytes."""
    actions: list[dict] = []
    current: dict[str, dict] = {}
    for run in sorted(runs, key=lambda r: r["t"]):
        user = run["trigger"] == "page_open" or run["widgets"]
        if user or run["session"] not in current:
            page = run["page"] or "home"
            label = (f"open {page}" if run["trigger"] == "page_open"
                     else f"{page}: {', '.join(run['widgets'])}")
            action = {"label": label, "kind": run["trigger"], "page": page,
                      "widgets": run["widgets"], "wall_s": 0.0, "thread_cpu_s": 0.0,
                      "process_cpu_s": 0.0, "bytes": 0}
            current[run["session"]] = action
            actions.append(action)
        action = current[run["session"]]
        for key in ("wall_s", "thread_cpu_s", "process_cpu_s", "bytes"):
            action[key] += run[key]
    return actions


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 \
        else values[0]


def action_table(actions: list[dict]) -> list[str]:
    """Per action label: n, server wall p50/p95, script-thread CPU p50/p95, KB sent p50."""
    by_label: dict[str, list[dict]] = defaultdict(list)
    for action in actions:
        by_label[action["label"]].append(action)
    lines = [f"  {'action (server side)':<44} {'n':>3} {'wall p50':>8} {'p95':>6} "
             f"{'cpu p50':>7} {'p95':>6} {'KB p50':>7}"]
    for label, group in by_label.items():
        walls = [a["wall_s"] for a in group]
        cpus = [a["thread_cpu_s"] for a in group]
        sent = [a["bytes"] / 1024 for a in group]
        lines.append(f"  {label[:44]:<44} {len(group):>3} {percentile(walls, 50):>8.2f} "
                     f"{percentile(walls, 95):>6.2f} {percentile(cpus, 50):>7.3f} "
                     f"{percentile(cpus, 95):>6.3f} {statistics.median(sent):>7.0f}")
    return lines


def browser_table(timings: dict[str, list[float]], names) -> list[str]:
    lines = [f"  {'action (browser side)':<22} {'n':>3} {'p50 s':>7} {'p95 s':>7} {'max s':>7}"]
    for name in names:
        values = timings.get(name, [])
        if values:
            lines.append(f"  {name:<22} {len(values):>3} {percentile(values, 50):>7.1f} "
                         f"{percentile(values, 95):>7.1f} {max(values):>7.1f}")
    return lines


def one_student_summary(actions: list[dict]) -> list[str]:
    """The one-student figures: median process CPU per ordinary interaction, per page open,
    Home, and the second session's shared default result (Debias and audit)."""
    def median(group: list[dict]) -> str:
        return f"{statistics.median(a['process_cpu_s'] for a in group):.3f}" if group else "-"

    ordinary = [a for a in actions if set(a["widgets"]) & ORDINARY]
    opens = [a for a in actions if a["kind"] == "page_open" and a["page"] != "home"]
    home = [a for a in actions if a["kind"] == "page_open" and a["page"] == "home"]
    shared = [a for a in actions if a["page"] == "debias_audit" and a["kind"] != "page_open"]
    return ["one student on a warm server, server CPU (process utime+stime) median s:",
            f"  ordinary interaction ({', '.join(sorted(ORDINARY))}; n={len(ordinary)}): "
            f"{median(ordinary)} (goal <= 0.05)",
            f"  page open (n={len(opens)}): {median(opens)} (goal <= 0.2)",
            f"  Home: {median(home)} (goal <= 0.3)",
            f"  second session's Debias and audit (the teacher built the default): "
            f"{median(shared)} (goal <= 0.1)"]


def floor(sessions: int, stagger: float, work: Path, cpus: set[int] | None) -> list[str]:
    """The floor page on a server of its own: ``sessions`` open it and move the slider."""
    log = work / "floor-timing.jsonl"
    proc, url = start_server({"BIASLAB_TIMING": str(log)}, work / "floor.log",
                             app="bench/floor_app.py", cpus=cpus)
    try:
        asyncio.run(run_class(url, 1, walk=floor_student))  # its first run installs the hook
        before, started = cpu_seconds(proc.pid), time.time()
        timings = asyncio.run(run_class(url, sessions, stagger, walk=floor_student))
        spent = cpu_seconds(proc.pid) - before
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    actions = server_actions(records(log, since=started))
    return ([f"floor: bench/floor_app.py (one plotly chart, one table, one slider), "
             f"{sessions} sessions on its own server; server CPU {spent:.1f} s = "
             f"{spent / sessions:.3f} s per session (open + one slider move)"]
            + action_table(actions) + browser_table(timings, ("floor_open", "floor_slider")))


def one_class(sessions: int, args, work: Path, env: dict[str, str]) -> dict:
    """A class of ``sessions`` on a fresh server; every figure as printable lines."""
    timing_file, counters = work / "timing.jsonl", work / "builds.jsonl"
    proc, url = start_server({**env, "BIASLAB_TIMING": str(timing_file),
                              "BIASLAB_DEBUG_COUNTERS": str(counters)},
                             work / "server.log", cpus=args.server_cpus)
    sampler = RssSampler(proc.pid)
    load_before = os.getloadavg()
    try:
        time.sleep(2)
        cold = rss_mb(proc.pid)
        warmup_wait = args.warmup_wait if args.warmup_wait is not None else (
            5.0 if sessions == 1 else 130.0)
        if args.warmup:  # the teacher walks the path once before the lesson
            asyncio.run(run_class(url, 1, walk=full_path))
            time.sleep(warmup_wait)
        before = rss_mb(proc.pid)
        warm_builds = builds(counters)
        sampler.start()
        cpu_before, started = cpu_seconds(proc.pid), time.time()
        timings = asyncio.run(run_class(url, sessions, args.stagger, walk=full_path))
        closed = time.time()
        spent = cpu_seconds(proc.pid) - cpu_before
        time.sleep(args.after)
        after = rss_mb(proc.pid)
        sampler.stop()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    peak = max(mb for _, mb in sampler.samples)
    actions = server_actions(records(timing_file, since=started, until=closed))
    teacher = server_actions(records(timing_file, until=started))
    all_walls = [a["wall_s"] for a in actions]
    threads = sum(a["thread_cpu_s"] for a in actions)
    lines = [f"classroom bench: {sessions} concurrent sessions on one server, {os.cpu_count()} "
             f"cores (load average before {load_before[0]:.1f}, after "
             f"{os.getloadavg()[0]:.1f}), class took {closed - started:.0f} s"]
    lines += browser_table(timings, ACTIONS)
    lines += action_table(actions)
    lines.append(f"server side over all {len(actions)} actions: wall p50 "
                 f"{percentile(all_walls, 50):.2f} s, p95 {percentile(all_walls, 95):.2f} s "
                 "(goal p95 <= 2 s)")
    lines.append(f"server CPU during the class (process utime+stime): {spent:.1f} s = "
                 f"{spent / sessions:.2f} s per student path (script threads: "
                 f"{threads / sessions:.2f} s)")
    if teacher:
        lines.append(f"the teacher's walk-through (builds the shared results): server CPU "
                     f"{sum(a['process_cpu_s'] for a in teacher):.1f} s")
    lines.append(f"server RSS cold: {cold:.0f} MB; after the teacher's walk-through "
                 f"({'yes' if args.warmup else 'skipped'}): {before:.0f} MB")
    lines.append(f"server RSS before the class: {before:.0f} MB; peak: {peak:.0f} MB "
                 f"(goal <= 1024); {args.after:.0f} s after the last session closed: "
                 f"{after:.0f} MB (+{after - before:.0f} MB, goal <= +150)")
    lines.append("shared objects built: " + ", ".join(
        f"{k} x{v}" for k, v in sorted(builds(counters).items()))
        + f" (during the walk-through: {sum(warm_builds.values())})")
    trace = [(round(t - started, 1), round(mb)) for t, mb in sampler.samples[::20]]
    lines.append("RSS trace (s, MB) every ~10 s: "
                 + " ".join(f"{t}:{mb}" for t, mb in trace))
    if sessions == 1:
        lines += one_student_summary(actions)
    return {"sessions": sessions, "lines": lines, "p50": percentile(all_walls, 50),
            "p95": percentile(all_walls, 95), "cpu_per_path": spent / sessions, "peak": peak,
            "after": after - before}


def cpu_set(text: str | None) -> set[int] | None:
    """A taskset-style list ("0-1,4") as a set of CPU numbers."""
    if not text:
        return None
    cpus: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        cpus.update(range(int(low), int(high or low) + 1))
    return cpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[30],
                        help="class sizes, each on a fresh server (e.g. 30 60)")
    parser.add_argument("--after", type=float, default=120.0,
                        help="seconds to wait after the class before the last RSS reading")
    parser.add_argument("--no-warmup", dest="warmup", action="store_false",
                        help="start the class on a cold server (no teacher walk-through)")
    parser.add_argument("--warmup-wait", type=float, default=None,
                        help="seconds after the walk-through (its session is released); "
                             "default 130, 5 for one student")
    parser.add_argument("--stagger", type=float, default=0.5,
                        help="seconds between two students' start")
    parser.add_argument("--no-floor", dest="floor", action="store_false",
                        help="skip the bare-page floor")
    parser.add_argument("--server-cpus", type=cpu_set, help="pin the server (taskset list)")
    parser.add_argument("--browser-cpus", type=cpu_set, help="pin the browsers (taskset list)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="biaslab-classroom-"))
    env: dict[str, str] = {}
    if args.sessions == [1]:  # the one-student path: quick class models of its own
        env = {"BIASLAB_CLASS_BUDGET": "quick", "RNNCORE_CLASS_HOME": str(work / "class")}
    if args.browser_cpus:  # playwright's driver and Chromium inherit this process's CPUs
        os.sched_setaffinity(0, args.browser_cpus)
    results = []
    for sessions in args.sessions:
        folder = work / f"class-{sessions}"
        folder.mkdir()
        results.append(one_class(sessions, args, folder, env))
        print("\n".join(results[-1]["lines"]), flush=True)
    if args.floor:
        print("\n".join(floor(max(args.sessions), args.stagger, work, args.server_cpus)))
    if len(results) > 1:
        print(f"{'sessions':>8} {'server p50 s':>12} {'p95 s':>6} {'CPU s/path':>10} "
              f"{'peak MB':>8} {'after +MB':>9}")
        for r in results:
            print(f"{r['sessions']:>8} {r['p50']:>12.2f} {r['p95']:>6.2f} "
                  f"{r['cpu_per_path']:>10.2f} {r['peak']:>8.0f} {r['after']:>+9.0f}")
    print(f"server cores: {sorted(args.server_cpus) if args.server_cpus else 'all'}; "
          f"browsers: {sorted(args.browser_cpus) if args.browser_cpus else 'all'} "
          f"({os.cpu_count()} on this machine)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
