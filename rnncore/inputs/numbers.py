"""Numbers a user chooses (counts, seeds, budgets, shares): one check for the CLI and the pages.

The CLI turns these checks into argparse ``type=`` validators (:mod:`rnncore.cli.common`); the
library functions the pages call run the same checks, so a limit holds whichever way a number
arrives. A refusal is an :class:`~rnncore.inputs.base.InputError` (a ``ValueError``).
"""

from __future__ import annotations

import math

from rnncore.inputs.base import InputError
from rnncore.limits import limit


def _label(name: str) -> str:
    return f"{name} " if name else ""


def check_count(value: int, name: str = "", minimum: int = 1) -> int:
    """``value`` as a whole number of at least ``minimum`` (1: a count where 0 means nothing)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or (
            isinstance(value, float) and not value.is_integer()):
        raise InputError(f"{_label(name)}must be a whole number, not {value!r}")
    if value < minimum:
        raise InputError(f"{_label(name)}must be at least {minimum:,}, not {int(value):,}")
    return int(value)


def check_number(value: float, name: str = "", minimum: float | None = None,
                 maximum: float | None = None, above: bool = False) -> float:
    """``value`` as a finite number within ``[minimum, maximum]`` (``above``: strictly greater
    than ``minimum``, for budgets and rates where 0 means nothing)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{_label(name)}must be a finite number, not {value!r}")
    if minimum is not None and (value <= minimum if above else value < minimum):
        word = "greater than" if above else "at least"
        raise InputError(f"{_label(name)}must be {word} {minimum:g}, not {value:g}")
    if maximum is not None and value > maximum:
        raise InputError(f"{_label(name)}must be at most {maximum:g}, not {value:g}")
    return float(value)


def check_fraction(value: float, name: str = "") -> float:
    """``value`` as a share between 0 and 1 (both included)."""
    return check_number(value, name, 0.0, 1.0)


def check_share(value: float, name: str = "") -> float:
    """``value`` as a share from 0 up to but not including 1 (dropout, a mixing weight)."""
    value = check_number(value, name, 0.0)
    if value >= 1.0:
        raise InputError(f"{_label(name)}must be below 1, not {value:g}")
    return value


def check_limit(value: float, key: str, name: str = "") -> float | int:
    """``value`` within the limit ``key`` of :data:`rnncore.limits.LIMITS`; the refusal names
    ``name`` (a flag, a field) and says why the limit is there."""
    bound = limit(key)
    try:
        if bound.whole:
            checked: float | int = check_count(value, name, int(bound.low))
            if checked > bound.high:
                raise InputError(f"{_label(name)}must be at most {int(bound.high):,}, not "
                                 f"{_big(checked)}")
            return checked
        return check_number(value, name, bound.low, bound.high, above=bound.above)
    except InputError as exc:
        raise InputError(f"{exc} — {bound.reason}") from None


def _big(value: float) -> str:
    """A refused number for a message: whole digits up to 15 of them, else 1e+12 style."""
    return f"{value:,}" if abs(value) < 10**15 else f"{value:.3g}"
