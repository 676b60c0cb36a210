"""The same 24-task study (1 embedding x 3 methods x 2 model kinds x 4 seeds, fixed steps) on
the local process pool with 1 and 2 workers and on a local Dask cluster of 2 workers.

Prints, per executor: wall time of the tasks (inputs prepared once beforehand and shared),
the speed-up against one local worker, the CPU seconds of the tasks, the engine's overhead
per task ((workers x wall - the tasks' own seconds) / tasks: start-up, imports, scheduling,
the idle tail), the peak memory of each worker process, and whether the records equal the
first run's seed for seed. The machine's load average is printed before and after: other work
on the machine slows every figure.

    python bench/study.py            # about 24 x 3 small trainings
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnncore.study.prepare import prepare_inputs  # noqa: E402
from rnncore.study.run import run_study  # noqa: E402
from rnncore.study.spec import read_spec  # noqa: E402
from rnncore.study.store import StudyFolder  # noqa: E402
from rnncore.study.task import comparable  # noqa: E402

SPEC = """\
[study]
name = "bench"
seeds = 4
models = ["sentiment", "lm"]

[[embeddings]]
name = "w2v"
source = "w2v-news-31k"
limit = 5000

[[methods]]
name = "hard"

[[methods]]
name = "hsr"

[probes]
groups = ["gender_terms", "census_names"]

[budget.sentiment]
train_rows = 600
eval_rows = 200
epochs = 1
hidden = 16

[budget.lm]
train_sentences = 400
heldout_sentences = 100
epochs = 1
hidden = 32
"""
RUNS = (("local", 1), ("local", 2), ("dask", 2))


def load() -> str:
    """The load average (1, 5, 15 minutes)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="biaslab-bench-study-"))
    try:
        spec_path = root / "bench.toml"
        spec_path.write_text(SPEC, encoding="utf-8")
        spec = read_spec(spec_path)
        print(f"load average before: {load()}")
        started = time.perf_counter()
        reference = root / "prepared"
        prepare_inputs(spec, StudyFolder(reference))
        print(f"inputs prepared once in {time.perf_counter() - started:.1f} s "
              f"({spec.n_tasks()} tasks; load {load()})")
        first = None
        base_wall = None
        print(f"{'executor':<10}{'workers':>8}{'wall s':>9}{'speed-up':>10}{'task CPU s':>12}"
              f"{'overhead/task s':>17}{'peak RSS per worker (MB)':>28}  same records  load")
        for executor, workers in RUNS:
            folder = root / f"{executor}-{workers}"
            shutil.copytree(reference / "inputs", folder / "inputs")
            summary = run_study(spec, folder, executor, workers)
            assert summary.trained == spec.n_tasks() and not summary.failed, summary
            records = {r["key"]: r for r in StudyFolder(folder).all_records()}
            wall = summary.run_seconds
            base_wall = base_wall or wall
            busy = sum(r["task_seconds"] for r in records.values())
            cpu = sum(r["cpu_seconds"] for r in records.values())
            overhead = (workers * wall - busy) / len(records)
            peaks: dict[int, float] = {}
            for r in records.values():
                pid = r["worker"]["pid"]
                peaks[pid] = max(peaks.get(pid, 0.0), r["worker"]["max_rss_mb"])
            same = {k: comparable(v) for k, v in records.items()}
            first = first or same
            print(f"{executor:<10}{workers:>8}{wall:>9.1f}{base_wall / wall:>10.2f}{cpu:>12.1f}"
                  f"{overhead:>17.2f}{', '.join(f'{v:.0f}' for v in peaks.values()):>28}  "
                  f"{'yes' if same == first else 'NO':<12}  {load()}")
        print(f"load average after: {load()}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
