"""One JSON cleaner (rnncore.jsonsafe) for the CLI and the library: NaN and ±inf become null, so
every --json output and every exported report is valid (strict) JSON."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from rnncore.cli.common import emit
from rnncore.jsonsafe import dumps, finite


def _strict(text: str):
    def refuse(token: str):
        raise ValueError(f"not JSON: {token}")
    return json.loads(text, parse_constant=refuse)


def test_nan_and_both_infinities_become_null_recursively():
    value = {"a": float("nan"), "b": [float("inf"), -np.inf, np.float32(1.5)],
             "c": (np.arange(2), {"d": np.float64("nan")})}
    assert finite(value) == {"a": None, "b": [None, None, 1.5], "c": [[0, 1], {"d": None}]}
    assert _strict(dumps(value)) == finite(value)
    with pytest.raises(ValueError):
        json.dumps(value, allow_nan=False, default=list)  # what the cleaner saves us from


def test_the_cli_emits_valid_json_for_infinite_values(capsys):
    emit(argparse.Namespace(json=True), {"ratio": float("inf"), "low": -float("inf"),
                                         "gap": float("nan")}, lambda: "")
    assert _strict(capsys.readouterr().out) == {"embedding": None, "ratio": None, "low": None,
                                                "gap": None}
