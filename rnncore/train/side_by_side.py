"""Train the members of an ensemble side by side, one Python thread per member.

torch releases the GIL inside its operators, so with one intra-op thread each, two members
on two cores train at nearly the speed of one alone (measured: 8 sentiment epochs in 37 s
for one member and for two at once). The small recurrent models here gain little from a
second intra-op thread (their per-step products are too small to split), so a second
independent member is the better use of the second core.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from rnncore.train.jobs import Report

T = TypeVar("T")


def run_side_by_side(tasks: Sequence[Callable[[], T]]) -> list[T]:
    """Run every task in its own thread and return their results in order.

    One task runs in the calling thread. The first error of any task is raised after all
    of them have ended (none is left running).
    """
    if len(tasks) == 1:
        return [tasks[0]()]
    results: list[Any] = [None] * len(tasks)
    errors: list[BaseException | None] = [None] * len(tasks)

    def work(index: int) -> None:
        try:
            results[index] = tasks[index]()
        except BaseException as exc:  # re-raised in the caller below
            errors[index] = exc

    threads = [threading.Thread(target=work, args=(i,), name=f"member-{i + 1}", daemon=True)
               for i in range(len(tasks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for error in errors:
        if error is not None:
            raise error
    return results


class MemberProgress:
    """Per-member reports merged into one stream: each update gets ``member`` (1-based) and
    the ensemble's ``fraction`` (the mean of the members' own fractions)."""

    def __init__(self, report: Report, members: int) -> None:
        self._report = report
        self._fractions = [0.0] * members
        self._lock = threading.Lock()

    def for_member(self, index: int) -> Report:
        """A report callback for member ``index`` that merges into the overall progress."""
        def report(update: dict[str, Any]) -> None:
            with self._lock:
                self._fractions[index] = float(update.get("fraction", self._fractions[index]))
                merged = {**update, "member": index + 1,
                          "fraction": sum(self._fractions) / len(self._fractions)}
                self._report(merged)

        return report
