"""Where a study's tasks run: this process, a local process pool, or a Dask cluster.

Every executor runs the same function, :func:`rnncore.study.task.run_task`, on the same plain
payloads and hands each finished record to ``on_record`` as it arrives. Scheduling, retries
after a worker's death and placement are the engines' own:

- ``serial``: one task after the other in this process (debugging, tests).
- ``local``: ``concurrent.futures.ProcessPoolExecutor`` (spawned processes, one task per core,
  BLAS/OpenMP/torch pinned to one thread each). A worker that dies breaks Python's pool: the
  unfinished tasks are submitted again to a new pool, at most ``RETRIES`` times.
- ``dask``: Dask distributed. Without an address, a ``LocalCluster`` of ``workers`` processes
  (one thread each) on 127.0.0.1; with ``--address tcp://HOST:8786``, an existing scheduler.
  Dask reschedules the task of a worker that dies (up to its ``allowed-failures``).
- ``ray``: not supported; Dask was chosen by measurement (see bench/README.md).

This module imports nothing heavy at its top: spawned workers set their thread variables
before NumPy and torch load.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

EXECUTORS = ("local", "dask", "ray", "serial")
RETRIES = 2
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
RAY_NOT_CHOSEN = (
    "the ray executor is not available: this project runs studies on Dask distributed, chosen "
    "by measurement on a 2-core machine (install 44 MB against 259 MB, start-up 4.6 s against "
    "16.9 s, 50 MB per idle worker against about 80 MB plus 600 MB of Ray's own processes; both "
    "rerun a killed worker's task; see bench/README.md). Use --executor dask (with --address "
    "for a cluster) or --executor local")

OnRecord = Callable[[dict], None]
OnError = Callable[[dict, BaseException], None]


def pin_threads() -> None:
    """One BLAS/OpenMP/torch thread in this (worker) process: a core per task."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    import torch

    torch.set_num_threads(1)


def run_serial(payloads: Sequence[dict], on_record: OnRecord, on_error: OnError) -> None:
    """Run the tasks one after the other in this process."""
    from rnncore.study.task import run_task

    for payload in payloads:
        try:
            on_record(run_task(payload))
        except Exception as exc:  # noqa: BLE001 - reported per task, the others go on
            on_error(payload, exc)


def run_local(payloads: Sequence[dict], workers: int, on_record: OnRecord,
              on_error: OnError) -> None:
    """A process pool of ``workers`` spawned processes; resubmits after a worker died."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from rnncore.study.task import run_task

    pending = list(payloads)
    for attempt in range(RETRIES + 1):
        broken: list[dict] = []
        context = multiprocessing.get_context("spawn")  # never fork a process holding torch
        with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                 initializer=pin_threads) as pool:
            futures = {pool.submit(run_task, p): p for p in pending}
            for future in as_completed(futures):
                payload = futures[future]
                try:
                    on_record(future.result())
                except BrokenProcessPool as exc:
                    if attempt == RETRIES:
                        on_error(payload, exc)
                    else:
                        broken.append(payload)
                except Exception as exc:  # noqa: BLE001 - reported per task
                    on_error(payload, exc)
        if not broken:
            return
        pending = broken


def dask_client(address: str | None, workers: int):
    """A Dask client: of the scheduler at ``address``, or of a new local cluster."""
    from distributed import Client, LocalCluster

    if address:
        return Client(address, timeout="20s"), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None)
    return Client(cluster), cluster


def run_dask(payloads: Sequence[dict], address: str | None, workers: int,
             on_record: OnRecord, on_error: OnError, client=None) -> None:
    """Submit every task to Dask and take the records as they finish.

    ``client``: an existing Client (the caller keeps it open); otherwise one is made for
    ``address`` or a local cluster of ``workers`` processes, and closed at the end.
    """
    from distributed import as_completed

    from rnncore.study.task import run_task

    own = client is None
    cluster = None
    if own:
        client, cluster = dask_client(address, workers)
    try:
        futures = {client.submit(run_task, p, pure=False,
                                 key=f"study-{p['task_key']}-{p['task']['fingerprint']}"): p
                   for p in payloads}
        for future in as_completed(futures):
            payload = futures[future]
            try:
                on_record(future.result())
            except Exception as exc:  # noqa: BLE001 - KilledWorker after too many deaths too
                on_error(payload, exc)
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


def execute(payloads: Sequence[dict], executor: str, on_record: OnRecord, on_error: OnError,
            workers: int | None = None, address: str | None = None) -> None:
    """Run ``payloads`` on ``executor`` (one of :data:`EXECUTORS`)."""
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    if executor == "ray":
        raise ValueError(RAY_NOT_CHOSEN)
    if address and executor != "dask":
        raise ValueError("--address names a Dask scheduler: use it with --executor dask")
    workers = workers or os.cpu_count() or 1
    if not payloads:
        return
    if executor == "serial":
        run_serial(payloads, on_record, on_error)
    elif executor == "local":
        run_local(payloads, workers, on_record, on_error)
    else:
        try:
            import distributed  # noqa: F401
        except ModuleNotFoundError:
            raise ValueError("--executor dask needs Dask distributed, which is not installed; "
                             "install it with: pip install 'rnncore[study]'") from None
        run_dask(payloads, address, workers, on_record, on_error)
