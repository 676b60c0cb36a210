"""Dask distributed vs Ray on this machine, for the study executors: start-up, per-task
overhead, memory per worker, and what happens when a worker dies in the middle of a task.

Run it with a Python that has the engine (each engine in its own throw-away venv, so that the
install size can be measured too):

    python -m venv /tmp/v-dask && /tmp/v-dask/bin/pip install distributed==2026.8.0
    /tmp/v-dask/bin/python bench/study_engines.py dask
    python -m venv /tmp/v-ray && /tmp/v-ray/bin/pip install ray==2.60.0
    /tmp/v-ray/bin/python bench/study_engines.py ray

Tasks are trivial here (no torch): this measures the engine, not the models.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from pathlib import Path

N_TASKS = 400


def noop(i: int) -> int:
    """A task that does nothing: its round trip is the engine's overhead."""
    return i


def pid_and_sleep(marker: str, seconds: float) -> int:
    """Write this worker's pid to ``marker`` (first attempt), sleep, return the pid."""
    path = Path(marker)
    attempt = len(path.read_text().split()) if path.exists() else 0
    with path.open("a") as f:
        f.write(f"{os.getpid()}\n")
    time.sleep(seconds if attempt == 0 else 0.1)
    return os.getpid()


def rss_mb(pid: int) -> float:
    """Resident memory of one process from /proc (MB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_for_pid(marker: Path) -> int:
    while not marker.exists() or not marker.read_text().strip():
        time.sleep(0.01)
    return int(marker.read_text().split()[0])


def bench_dask() -> None:
    started = time.perf_counter()
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    client.submit(noop, -1, pure=False).result()
    print(f"start-up (import + 2 workers + first task): {time.perf_counter() - started:.2f} s")
    t = time.perf_counter()
    client.gather(client.map(noop, range(N_TASKS), pure=False))
    print(f"per-task overhead: {(time.perf_counter() - t) / N_TASKS * 1000:.2f} ms "
          f"({N_TASKS} no-op tasks, 2 workers)")
    pids = list(client.run(os.getpid).values())
    print("memory per worker (RSS, idle): " + ", ".join(f"{rss_mb(p):.0f} MB" for p in pids)
          + f"; scheduler + client process {rss_mb(os.getpid()):.0f} MB")
    marker = Path(tempfile.mkdtemp()) / "pids"
    future = client.submit(pid_and_sleep, str(marker), 5.0, pure=False)
    victim = wait_for_pid(marker)
    t = time.perf_counter()
    os.kill(victim, signal.SIGKILL)
    second = future.result()
    print(f"worker killed mid-task: rerun on pid {second} (killed {victim}), result after "
          f"{time.perf_counter() - t:.2f} s; workers now {len(client.scheduler_info()['workers'])}")
    client.close()
    cluster.close()


def bench_ray() -> None:
    started = time.perf_counter()
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    remote_noop = ray.remote(num_cpus=1)(noop)
    ray.get(remote_noop.remote(-1))
    print(f"start-up (import + init + first task): {time.perf_counter() - started:.2f} s")
    t = time.perf_counter()
    ray.get([remote_noop.remote(i) for i in range(N_TASKS)])
    print(f"per-task overhead: {(time.perf_counter() - t) / N_TASKS * 1000:.2f} ms "
          f"({N_TASKS} no-op tasks, 2 CPUs)")
    import psutil

    me = psutil.Process()
    children = me.children(recursive=True)
    workers = [c for c in children if "ray::" in " ".join(c.cmdline()[:1])]
    print("memory per worker (RSS, idle): " + ", ".join(
        f"{c.memory_info().rss / 2**20:.0f} MB" for c in workers)
        + f"; all Ray processes {sum(c.memory_info().rss for c in children) / 2**20:.0f} MB "
        f"in {len(children)} processes; driver {rss_mb(os.getpid()):.0f} MB")
    marker = Path(tempfile.mkdtemp()) / "pids"
    ref = ray.remote(num_cpus=1, max_retries=3)(pid_and_sleep).remote(str(marker), 5.0)
    victim = wait_for_pid(marker)
    t = time.perf_counter()
    os.kill(victim, signal.SIGKILL)
    second = ray.get(ref)
    print(f"worker killed mid-task: rerun on pid {second} (killed {victim}), result after "
          f"{time.perf_counter() - t:.2f} s")
    ray.shutdown()


if __name__ == "__main__":
    print(f"load average before: {Path('/proc/loadavg').read_text().split()[:3]}")
    {"dask": bench_dask, "ray": bench_ray}[sys.argv[1]]()
    print(f"load average after: {Path('/proc/loadavg').read_text().split()[:3]}")
