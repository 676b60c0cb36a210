"""The one progress callback every long computation takes: ``progress(fraction, message)``,
with ``fraction`` in [0, 1]; the CLI prints it to stderr, the pages draw a bar."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[float, str], None]


def no_progress(fraction: float, message: str) -> None:
    """A progress callback that shows nothing."""
