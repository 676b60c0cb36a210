"""Time and memory of the hostile-input paths of issue #15, measured in this run.

    python bench/hostile_inputs.py [--words 5000] [--skip-page]

1. Checkpoints: the 1.6 KB checkpoint whose config asks for hidden size 12,000 x 8 networks
   and the ~2.4 MB zip bomb (2.4 GB inflated), each refused in a fresh subprocess; prints the
   refusal time and the peak RSS of that process (ru_maxrss, which includes the ~interpreter
   + torch import, also printed for a process that only imports).
2. Spelling suggestions: a list of N unknown words (55 kB for 5,000) through the OOV report
   the pages use, first run and rerun, on w2v-news-31k and GloVe 6B 50d; then (unless
   ``--skip-page``) the Map page through AppTest with that list uploaded: first run, rerun.

Timings depend on the machine and its load (2 shared cores here).
"""

from __future__ import annotations

import argparse
import random
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.hostile.corpus import FILES, zip_bomb  # noqa: E402

CHILD = """
import re, sys, time
sys.path.insert(0, {root!r})
from rnncore.models.checkpoint import load_checkpoint
def peak():  # VmHWM, kB (ru_maxrss would include the parent the child was forked from)
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
base = peak()
start = time.perf_counter()
try:
    load_checkpoint({path!r})
    outcome = "LOADED"
except ValueError as exc:
    outcome = str(exc)
seconds = time.perf_counter() - start
print(f"{{seconds:.4f}} {{base / 1024:.0f}} {{peak() / 1024:.0f}} {{outcome[:90]}}")
"""


def checkpoint_refusal(path: Path) -> str:
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), path=str(path))],
                         capture_output=True, text=True, check=True).stdout.strip()
    seconds, base, peak, message = out.split(" ", 3)
    return (f"{path.name:<28} refused in {float(seconds) * 1000:7.1f} ms, peak RSS {peak} MB "
            f"(after imports {base} MB): {message}")


def unknown_words(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(6, 12)))
            for _ in range(n)]


def oov_runs(name: str, words: list[str]) -> None:
    from rnncore.embeddings import load_builtin
    from rnncore.wordlists import oov_report

    embedding = load_builtin(name)
    times = []
    for _ in range(2):
        start = time.perf_counter()
        report = oov_report(embedding, {"words": words})
        times.append(time.perf_counter() - start)
    print(f"{name:<14} oov_report of {len(words):,} unknown words: first {times[0]:.2f} s, "
          f"rerun {times[1]:.3f} s ({int((report.words['status'] != 'found').sum()):,} "
          "not found)")


def page_runs(words: list[str], embedding: str) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=900)
    at.run()
    at.sidebar.selectbox[0].set_value(embedding).run()
    at.switch_page("views/map.py").run()
    data = "\n".join(words).encode()
    times = []
    [uploader] = [u for u in at.get("file_uploader") if "word list" in u.label]
    start = time.perf_counter()
    uploader.set_value(("unknown.txt", data, "text/plain"))
    at.run()
    times.append(time.perf_counter() - start)
    start = time.perf_counter()
    at.run()
    times.append(time.perf_counter() - start)
    print(f"Map page, {embedding}, {len(words):,}-word upload ({len(data) / 1000:.0f} kB): "
          f"first run {times[0]:.2f} s, rerun {times[1]:.2f} s; errors on page: "
          f"{[e.value[:60] for e in at.error]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--skip-page", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bomb = zip_bomb(Path(tmp) / "ckpt_zip_bomb.pt")
        for path in (FILES / "ckpt_oversized_config.pt", bomb):
            print(checkpoint_refusal(path))
    words = unknown_words(args.words)
    for name in ("w2v-news-31k", "glove-6b-50d"):
        oov_runs(name, words)
    if not args.skip_page:
        for name in ("w2v-news-31k", "glove-6b-50d"):
            page_runs(unknown_words(args.words, seed=1), name)  # words not seen above


if __name__ == "__main__":
    main()
