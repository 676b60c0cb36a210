"""Word groups to compare, as a CSV ``group,word`` (one word per row), from a file or upload."""

from __future__ import annotations

from pathlib import Path

from rnncore.inputs.base import read_file
from rnncore.probes.inputs import MAX_UPLOAD_BYTES, Comparison, parse_groups_csv


def read_groups(path: str | Path) -> list[Comparison]:
    """The comparisons of a ``group,word`` CSV file (two groups)."""
    return parse_groups_csv(read_file(path, MAX_UPLOAD_BYTES, "group,word CSV"),
                            name=str(path))
