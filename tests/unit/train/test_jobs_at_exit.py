"""A process that exits while a background job runs torch ends cleanly (the job is stopped)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = textwrap.dedent("""
    import time
    import torch
    from rnncore.train.jobs import Job

    def task(report, should_stop):
        a = torch.randn(300, 300)
        while not should_stop():
            a = torch.tanh(a @ a)
            report({"step": 1})

    job = Job(task).start()
    while not job.updates:
        time.sleep(0.01)
    print("leaving while the job runs")
""")


def test_exiting_while_a_job_runs_torch_does_not_abort():
    # without the exit hook: "terminate called without an active exception", exit code 134
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)
    assert "leaving while the job runs" in done.stdout
    assert done.returncode == 0, done.stderr
    assert "terminate called" not in done.stderr


def test_a_job_and_the_threads_it_starts_run_at_background_priority():
    import threading

    from rnncore.train.jobs import BACKGROUND_NICE, Job

    def nice() -> int:
        tid = threading.get_native_id()
        with open(f"/proc/self/task/{tid}/stat", encoding="ascii") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[16])

    def task(report, should_stop):
        child: list[int] = []
        thread = threading.Thread(target=lambda: child.append(nice()))
        thread.start()
        thread.join()
        return nice(), child[0]

    mine = nice()
    job = Job(task).start()
    job.wait(30)
    lowered = max(BACKGROUND_NICE, mine)
    assert job.result == (lowered, lowered) and nice() == mine  # the caller keeps its own
