"""How fast the Character LM page answers a temperature change (not a test: prints figures).

Trains the page's default model (four 1x384 LSTMs + a 6-gram) on Hamlet for a few seconds
through the page itself (AppTest), sets 250 characters, then times full page reruns after
changing the temperature: the first time a temperature is seen (generation) and again
(the per-session cache). Then, in the library, the time per generated character of that
model: fused (``rnncore.models.char_lm_fused``, what the page uses) and its members called
one by one (as before), with the same seed, and whether both give the same text.

``--before DIR`` runs the page part again in a subprocess on another checkout (e.g.
``git worktree add /tmp/charlm-main main``) and prints the before/after ratio.

The page's first visit queues the class model's training when the cache has none; with the
full budget that trained for two minutes behind the timed reruns (and was still running at
exit: "terminate called without an active exception", since fixed in ``rnncore.train.jobs``).
The bench therefore uses the quick class budget in a temporary folder and waits for it.

    PY=~/.cache/biaslab/venv/bin/python
    $PY bench/char_lm_rerender.py [--seconds 5] [--app dashboard/app.py] [--before DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
CHARACTERS = 250


def page_figures(app: str, seconds: int) -> tuple[dict, object]:
    """Train through the page, then time reruns after temperature changes; (figures, job)."""
    at = AppTest.from_file(app, default_timeout=600)
    at.run()
    at.switch_page("views/char_lm.py").run()
    at.number_input(key="charlm_seconds").set_value(seconds)
    next(b for b in at.button if b.label == "Use these settings").click().run()
    at.button(key="char_lm_job-start").click().run()
    job = at.session_state["char_lm_job"]
    job.wait()
    for thread in threading.enumerate():  # the class model's preparation (quick budget)
        if thread.name.startswith("class:"):
            thread.join()
    at.run()
    at.number_input(key="gen_len").set_value(CHARACTERS).run()
    first, again = [], []
    for temperature in (0.5, 0.9, 1.3, 0.6, 1.1):
        start = time.perf_counter()
        at.slider(key="gen_temp").set_value(temperature).run()
        first.append(time.perf_counter() - start)
    for temperature in (0.5, 0.9, 1.3):
        start = time.perf_counter()
        at.slider(key="gen_temp").set_value(temperature).run()
        again.append(time.perf_counter() - start)
    assert not at.exception, at.exception
    return {"app": app, "members": len(job.result.model.members), "characters": CHARACTERS,
            "rerun_new_temperature_s": {"median": round(statistics.median(first), 3),
                                        "max": round(max(first), 3)},
            "rerun_seen_temperature_s": {"median": round(statistics.median(again), 3),
                                         "max": round(max(again), 3)}}, job


def library_figures(model, vocab) -> dict:
    """Milliseconds per generated character, fused and member by member, same seed."""
    import torch

    from rnncore.generate import Decoding, generate_text

    class OneByOne(torch.nn.Module):  # not a CharLM: generation calls each member in turn
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, ids, hidden=None):
            return self.inner(ids, hidden)

    texts, times = {}, {}
    for name, net in (("one_by_one", OneByOne(model)), ("fused", model)) * 2:
        start = time.perf_counter()
        texts[name] = generate_text(net, vocab, "HAMLET\n", CHARACTERS, Decoding(temperature=0.8),
                                    seed=7)
        times.setdefault(name, []).append((time.perf_counter() - start) / CHARACTERS * 1e3)
    return {"ms_per_character": {k: round(min(v), 3) for k, v in times.items()},
            "ratio": round(min(times["one_by_one"]) / min(times["fused"]), 2),
            "same_text": texts["fused"] == texts["one_by_one"]}


def before_figures(checkout: Path, seconds: int) -> dict:
    """The page part of this bench on another checkout, in its own process."""
    out = subprocess.run([sys.executable, __file__, "--page-only", "--seconds", str(seconds),
                          "--app", str(checkout / "dashboard" / "app.py")],
                         capture_output=True, text=True, check=True, cwd=checkout)
    return json.loads(out.stdout[out.stdout.index("{"):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--app", default=str(ROOT / "dashboard" / "app.py"))
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    parser.add_argument("--page-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("BIASLAB_CLASS_BUDGET", "quick")
    os.environ.setdefault("RNNCORE_CLASS_HOME", tempfile.mkdtemp(prefix="biaslab-bench-"))
    result = {}
    if args.before:  # first, while this process has imported nothing of either checkout
        result["before"] = before_figures(args.before.resolve(), args.seconds)
    page, job = page_figures(args.app, args.seconds)
    result["page"] = page
    if not args.page_only:
        result["library"] = library_figures(job.result.model, job.result.vocab)
    if args.before:
        result["new_temperature_speedup"] = round(
            result["before"]["rerun_new_temperature_s"]["median"]
            / page["rerun_new_temperature_s"]["median"], 2)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result if not args.page_only else page, indent=2))


if __name__ == "__main__":
    main()
