"""Start-up time of the command line against the imports every embedding tool pays.

Prints the median wall time of several runs of ``rnncore info --json`` on the default embedding
(as ``python -m rnncore``, from this checkout) and of ``python -c "import numpy, gensim"``, run
alternately in the same session, and their ratio (target: info <= 1.5x the imports). With
``--imports`` it also lists which heavy libraries ``info`` and ``distance`` import (none of
torch, and for ``info`` none of pandas, scipy, scikit-learn or gensim).

    python bench/cli_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "pandas", "scipy", "sklearn", "gensim")
COMMANDS = {
    "rnncore info --json": [sys.executable, "-m", "rnncore", "info", "--json"],
    "python -c 'import numpy, gensim'": [sys.executable, "-c", "import numpy, gensim"],
}


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def heavy_imports(verb: list[str]) -> list[str]:
    script = ("import sys, json, contextlib, io; from rnncore.cli import main\n"
              f"with contextlib.redirect_stdout(io.StringIO()): main({verb!r})\n"
              f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (median)")
    parser.add_argument("--imports", action="store_true",
                        help="also list the heavy libraries info and distance import")
    args = parser.parse_args()
    for cmd in COMMANDS.values():  # warm the file cache and the .pyc files once
        timed(cmd)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):  # alternate, so that load changes hit both alike
        for name, cmd in COMMANDS.items():
            times[name].append(timed(cmd))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(f"{name:34} median {medians[name]:.3f} s "
              f"(min {min(values):.3f}, max {max(values):.3f}, {len(values)} runs)")
    info, imports = medians.values()
    print(f"ratio info / imports: {info / imports:.2f} (target <= 1.5)")
    if args.imports:
        for verb in (["info", "--json"], ["distance", "woman:nurse"]):
            print(f"rnncore {' '.join(verb)} imports: {heavy_imports(verb) or 'none'} of {HEAVY}")


if __name__ == "__main__":
    main()
