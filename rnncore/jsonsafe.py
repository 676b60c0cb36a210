"""Strict JSON for every export: NaN and ±inf become null (JSON has neither), numpy scalars and
arrays become plain numbers and lists. The CLI's ``--json``, the audit and the shift reports
all write through :func:`dumps`, which refuses anything still not finite (``allow_nan=False``)."""

from __future__ import annotations

import json
import math
from typing import Any


def finite(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None, recursively (dicts, lists,
    tuples; numpy scalars and arrays through their ``tolist``)."""
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        value = value.tolist()  # numpy scalar or array
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def dumps(value: Any, **kwargs: Any) -> str:
    """``json.dumps`` of :func:`finite` ``(value)``, strict (valid JSON whatever the numbers)."""
    return json.dumps(finite(value), allow_nan=False, **kwargs)
