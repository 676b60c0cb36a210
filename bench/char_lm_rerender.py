"""How fast the Character LM page answers a temperature change (not a test: prints figures).

Trains the page's default model (four 1x384 LSTMs + a 6-gram) on Hamlet for a few seconds
through the page itself (AppTest), sets 250 characters, then times full page reruns after
changing the temperature: the first time a temperature is seen (generation) and again
(the per-session cache). Run it on this branch and, for the "before" figure, with
``--app /path/to/other/checkout/dashboard/app.py``.

    PY=~/.cache/biaslab/venv/bin/python
    $PY bench/char_lm_rerender.py [--seconds 5] [--app dashboard/app.py]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--app", default=str(Path(__file__).resolve().parents[1]
                                             / "dashboard" / "app.py"))
    args = parser.parse_args()
    at = AppTest.from_file(args.app, default_timeout=600)
    at.run()
    at.switch_page("views/char_lm.py").run()
    at.number_input(key="charlm_seconds").set_value(args.seconds)
    next(b for b in at.button if b.label == "Use these settings").click().run()
    at.button(key="char_lm_job-start").click().run()
    job = at.session_state["char_lm_job"]
    job.wait()
    at.run()
    at.number_input(key="gen_len").set_value(250).run()
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
    print(json.dumps({
        "app": args.app, "members": len(job.result.member_val_losses or [1]),
        "characters": 250,
        "rerun_new_temperature_s": {"median": round(statistics.median(first), 3),
                                    "max": round(max(first), 3)},
        "rerun_seen_temperature_s": {"median": round(statistics.median(again), 3),
                                     "max": round(max(again), 3)},
    }, indent=2))


if __name__ == "__main__":
    main()
