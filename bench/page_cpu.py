"""CPU seconds per page open and per ordinary interaction, through AppTest, on a warm process.

Every page of the classroom path is opened once to warm the process (imports, the default
embedding, shared results), then each is opened again in a *new* session and timed, and a few
ordinary interactions on it are timed: ``time.process_time()`` around ``AppTest.run()`` (this
process's CPU, all threads: the script run plus AppTest's reading of the page it sent, so a
little more than a server pays; a server's sending of the page is not in it). AppTest compiles
every page again on every run; here, as on a server, the compiled pages are kept.
``--profile PAGE`` prints a cProfile of that page's timed opens and interactions.

    python bench/page_cpu.py [--repeat 3] [--pages home distances ...] [--profile weat]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")

from streamlit.testing.v1 import AppTest, app_test  # noqa: E402

_SCRIPTS = app_test.ScriptCache()
app_test.ScriptCache = lambda: _SCRIPTS  # compiled pages kept across runs, as a server does

APP = str(ROOT / "dashboard" / "app.py")
Act = Callable[[AppTest], object]


def _text(key: str, value: str) -> Act:
    return lambda at: at.text_area(key=key).set_value(value)


def _choose(kind: str, key: str, index: int) -> Act:
    def act(at: AppTest) -> object:
        widget = getattr(at, kind)(key=key)
        return widget.set_value(widget.options[index] if kind != "slider" else index)
    return act


# page file -> ordinary interactions (label, action); each is timed after the open
PAGES: dict[str, list[tuple[str, Act]]] = {
    "home.py": [],
    "distances.py": [("matrix words", _text("dist_matrix_words", "woman, man, nurse, doctor")),
                     ("matrix words back", _text("dist_matrix_words", "woman, man, king"))],
    "neighbours.py": [("neighbours slider", lambda at: at.slider(key="neigh_topn").set_value(5)),
                      ("analogy preset", lambda at: at.selectbox(key="analogy_preset")
                       .select_index(1))],
    "weat.py": [("choose a test", lambda at: at.selectbox(key="weat_test").select_index(0)),
                ("choose another", lambda at: at.selectbox(key="weat_test").select_index(6))],
    "debias_audit.py": [("debias and audit", lambda at: at.button[0].click()),
                        ("method radio", lambda at: at.radio(key="debias_method")
                         .set_value("inlp"))],
    "map.py": [("neighbour slider", lambda at: at.slider(key="map_neighbour_topn").set_value(5))],
    "sentiment_shift.py": [],
    "word_lm.py": [],
    "lesson_measuring_bias.py": [],
    "lesson_debiasing.py": [],
    "lesson_char_lm.py": [],
    "char_lm.py": [],
    "bias_direction.py": [],
}


_PROFILE: dict[str, cProfile.Profile | None] = {"on": None}


def _profile_script_runs() -> None:
    """Profile the script thread's runs while ``_PROFILE["on"]`` holds a profiler."""
    from streamlit.runtime.scriptrunner import script_runner

    original = script_runner.ScriptRunner._run_script

    def run(self, *args, **kwargs):
        profiler = _PROFILE["on"]
        if profiler is None:
            return original(self, *args, **kwargs)
        profiler.enable()
        try:
            return original(self, *args, **kwargs)
        finally:
            profiler.disable()

    script_runner.ScriptRunner._run_script = run


def _timed(call: Callable[[], object], profiler: cProfile.Profile | None = None) -> float:
    _PROFILE["on"] = profiler
    start = time.process_time()
    try:
        call()
    finally:
        _PROFILE["on"] = None
    return time.process_time() - start


def open_page(page: str, profiler: cProfile.Profile | None = None) -> tuple[AppTest, float, float]:
    """A new session: (AppTest, CPU-s of its first run (Home), CPU-s of opening ``page``)."""
    at = AppTest.from_file(APP, default_timeout=300)
    first = _timed(at.run)
    at.switch_page(f"views/{page}")
    opened = _timed(at.run, profiler)
    if at.exception:
        print(f"  {page}: exception {at.exception[0].value[:200]}", file=sys.stderr)
    return at, first, opened


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed sessions per page")
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    parser.add_argument("--profile", help="a page file to profile (its timed opens)")
    args = parser.parse_args()
    pages = [p if p.endswith(".py") else f"{p}.py" for p in args.pages]
    print(f"load average before: {Path('/proc/loadavg').read_text().split()[:3]}")
    warm = time.process_time()
    for page in pages:  # warm-up: imports, embedding, shared results, lesson widgets
        at, _, _ = open_page(page)
        for _, act in PAGES.get(page, []):
            act(at)
            at.run()
    print(f"warm-up: {time.process_time() - warm:.1f} CPU-s")
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        _profile_script_runs()
    homes, opens, actions = [], [], []
    print(f"{'page / action':42s} {'median CPU-s':>12s} {'max':>6s}")
    for page in pages:
        page_opens, acts = [], {}
        for _ in range(args.repeat):
            prof = profiler if args.profile and page.startswith(args.profile) else None
            at, first, opened = open_page(page, prof)
            homes.append(first)
            page_opens.append(opened)
            for label, act in PAGES.get(page, []):
                acts.setdefault(label, []).append(_timed(lambda a=act, t=at: a(t).run(), prof))
        opens.extend(page_opens)
        print(f"{'open ' + page:42s} {statistics.median(page_opens):12.3f} {max(page_opens):6.3f}")
        for label, times in acts.items():
            actions.extend(times)
            print(f"{'  ' + label:42s} {statistics.median(times):12.3f} {max(times):6.3f}")
    print(f"{'Home (first run of a session)':42s} {statistics.median(homes):12.3f} "
          f"{max(homes):6.3f}")
    print(f"{'all page opens':42s} {statistics.median(opens):12.3f} {max(opens):6.3f}")
    if actions:
        actions.sort()
        p95 = actions[min(len(actions) - 1, round(0.95 * (len(actions) - 1)))]
        print(f"{'all interactions (median, p95)':42s} {statistics.median(actions):12.3f} "
              f"{p95:6.3f}")
    print(f"load average after: {Path('/proc/loadavg').read_text().split()[:3]}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
