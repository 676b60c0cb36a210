"""Probe templates (one sentence per line with one ``{}`` slot) from a file or an upload."""

from __future__ import annotations

from pathlib import Path

from rnncore.inputs.base import read_file
from rnncore.probes.inputs import MAX_UPLOAD_BYTES, templates_from_bytes


def read_templates(path: str | Path) -> list[str]:
    """Templates of ``path``: at most 2 MB and 1,000 templates, strict UTF-8."""
    return templates_from_bytes(read_file(path, MAX_UPLOAD_BYTES, "templates file"), str(path))
