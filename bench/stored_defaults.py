"""CPU seconds a new server pays for what the pages show by default, with and without the
results ``prepare-class`` stores (rnncore.class_results), and what ``prepare-class`` adds.

    RNNCORE_CLASS_HOME=DIR BIASLAB_CLASS_BUDGET=quick python bench/stored_defaults.py \
        [--before /tmp/main-checkout] [--no-prepare]

1. ``prepare-class`` (the budget of ``$BIASLAB_CLASS_BUDGET``) in DIR, unless ``--no-prepare``:
   its output (the models stored already or trained, then each kind of result it stored, with
   the wall and CPU seconds the results took) and the load average.
2. Each configuration in a fresh process (a new server; AppTest, compiled pages kept):
   ``stored``: DIR with its results; ``computed``: the same class models without them;
   ``before``: the checkout ``--before`` (e.g. ``git archive b872284 | tar -x -C DIR``) on the
   same models. In each, a warm-up (the libraries imported, Home and Distances opened: the
   embedding loaded), then two sessions, one after the other, open each page and do its action:
   the Map's t-SNE, the Character LM page's temperature step (Hamlet class model), the
   Sentiment & bias shift page (the class models' probes), the Language model page (the word
   LMs' pronoun probe). ``time.process_time()`` around each run (this process, all threads).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPERATURE = 1.35
ACTIONS = {  # page -> (action label, widget kind, key, value)
    "map.py": ("t-SNE", "radio", "map_method", "tsne"),
    "char_lm.py": (f"temperature {TEMPERATURE}", "slider", "gen_temp", TEMPERATURE),
    "sentiment_shift.py": None,
    "word_lm.py": None,
}


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def child(root: Path) -> None:
    """One configuration in this (fresh) process: JSON lines of CPU seconds per run."""
    sys.path.insert(0, str(root))
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    from streamlit.testing.v1 import AppTest, app_test

    scripts = app_test.ScriptCache()
    app_test.ScriptCache = lambda: scripts  # compiled pages kept, as a server does
    app = str(root / "dashboard" / "app.py")

    def timed(call) -> float:
        start = time.process_time()
        call()
        return time.process_time() - start

    start = time.process_time()
    import plotly.express  # noqa: F401  the libraries the pages import, once per server
    import sklearn.manifold  # noqa: F401
    import torch  # noqa: F401

    warm = AppTest.from_file(app, default_timeout=600)
    warm.run()
    warm.switch_page("views/distances.py")
    warm.run()
    print(json.dumps({"warm_up": time.process_time() - start}), flush=True)
    for session in (1, 2):
        for page, action in ACTIONS.items():
            at = AppTest.from_file(app, default_timeout=600)
            at.run()
            at.switch_page(f"views/{page}")
            opened = timed(at.run)
            acted = None
            if action is not None:
                _, kind, key, value = action
                widget = getattr(at, kind)(key=key)
                acted = timed(lambda w=widget, v=value: w.set_value(v).run())
            errors = [str(e.value)[:120] for e in at.exception]
            print(json.dumps({"session": session, "page": page, "open": opened,
                              "action": acted, "errors": errors}), flush=True)


def run_child(label: str, root: Path, home: Path) -> list[dict]:
    env = {**os.environ, "RNNCORE_CLASS_HOME": str(home)}
    done = subprocess.run([sys.executable, __file__, "--child", str(root)], env=env,
                          capture_output=True, text=True, cwd=root, check=False)
    if done.returncode:
        print(f"{label}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
        return []
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout, measured without results")
    parser.add_argument("--no-prepare", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    home = Path(os.environ.get("RNNCORE_CLASS_HOME", ""))
    if not home.name:
        parser.error("set RNNCORE_CLASS_HOME to a class home of your own")
    budget = os.environ.get("BIASLAB_CLASS_BUDGET", "full")
    if not args.no_prepare:
        print(f"$ rnncore prepare-class {'--quick' if budget == 'quick' else ''}  "
              f"(load average before: {_load()})")
        subprocess.run([sys.executable, "-m", "rnncore", "prepare-class",
                        *(["--quick"] if budget == "quick" else [])], cwd=ROOT, check=True,
                       stderr=subprocess.DEVNULL)
    bare = Path(tempfile.mkdtemp(prefix="stored-defaults-"))  # the models, no results
    try:
        for model in (home / budget).iterdir():
            shutil.copytree(model, bare / budget / model.name)
        configs = [("stored", ROOT, home), ("computed", ROOT, bare)]
        if args.before:
            configs.append(("before", args.before.resolve(), bare))
        results = {}
        for label, root, folder in configs:
            print(f"{label}: a new server (load average before: {_load()})", flush=True)
            if label != "stored":
                shutil.rmtree(bare / "results", ignore_errors=True)  # nothing stored
            results[label] = run_child(label, root, folder)
    finally:
        shutil.rmtree(bare, ignore_errors=True)
    print(f"\nCPU-s per run (this process, all threads), budget {budget}; "
          f"load average after: {_load()}")
    labels = [c[0] for c in configs]
    print(f"{'':>9s} {'page':22s} {'run':18s} " + " ".join(f"{lab:>9s}" for lab in labels))
    for session in (1, 2):
        for page, action in ACTIONS.items():
            for what in ("open", "action"):
                if what == "action" and action is None:
                    continue
                cells = []
                for lab in labels:
                    row = next((r for r in results[lab] if r.get("session") == session
                                and r["page"] == page), None)
                    cells.append(f"{row[what]:9.3f}" if row else f"{'-':>9s}")
                name = "open" if what == "open" else action[0]
                print(f"{'session ' + str(session):>9s} {page:22s} {name:18s} " + " ".join(cells))
    for lab in labels:
        warm = next((r["warm_up"] for r in results[lab] if "warm_up" in r), None)
        errors = [e for r in results[lab] for e in r.get("errors", [])]
        print(f"{lab}: warm-up {warm if warm is None else round(warm, 1)} CPU-s"
              + (f"; exceptions: {errors}" if errors else ""))


if __name__ == "__main__":
    main()
