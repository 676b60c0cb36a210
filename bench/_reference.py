"""The WEFE 1.0.1 reference the unit tests compare with (tests/data/wefe_reference.json).

bench/wefe_metrics.py and bench/wefe_debias.py write their WEFE side's numbers into one section
each (``--write-reference``); tests/unit/bias/test_wefe_parity.py and
tests/unit/debias/test_wefe_parity.py compare rnncore with them at 1e-5 without WEFE installed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

REFERENCE = Path(__file__).resolve().parent.parent / "tests" / "data" / "wefe_reference.json"
SAMPLE_SEED = 20240601
SAMPLE_ROWS = 6


def update_reference(section: str, data: object, path: Path = REFERENCE) -> None:
    """Replace ``section`` of the reference file with ``data`` (other sections are kept)."""
    reference = json.loads(path.read_text()) if path.exists() else {}
    reference[section] = data
    reference["wefe"] = "1.0.1"
    path.write_text(json.dumps(reference, sort_keys=True, allow_nan=False, separators=(",", ":"))
                    + "\n")
    print(f"wrote the {section!r} section of {path}")


def finite_or_none(value: float | None) -> float | None:
    """JSON has no NaN: None stands for it."""
    return None if value is None or not np.isfinite(value) else float(value)


def sampled_rows(vectors: np.ndarray, words: list[str], must: list[str]) -> dict:
    """A checksum of ``vectors`` (sha256 of the float32 bytes, the sum, the sum of squares) and
    some rows by word: ``must`` (words a method changes) plus a seeded random sample."""
    rng = np.random.default_rng(SAMPLE_SEED)
    picked = list(dict.fromkeys(w for w in must if w in set(words)))[:SAMPLE_ROWS]
    index = {w: i for i, w in enumerate(words)}
    picked += [words[i] for i in rng.choice(len(words), SAMPLE_ROWS, replace=False)]
    v32 = np.ascontiguousarray(vectors, dtype=np.float32)
    return {"shape": list(v32.shape), "sha256": hashlib.sha256(v32.tobytes()).hexdigest(),
            "sum": float(v32.astype(np.float64).sum()),
            "sum_of_squares": float((v32.astype(np.float64) ** 2).sum()),
            "rows": {w: [round(float(x), 8) for x in v32[index[w]]] for w in picked}}
