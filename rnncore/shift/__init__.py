"""The bias shift: the same models on original and debiased vectors, over seeds."""

from rnncore.shift.compare import ShiftResult, ShiftSettings, debiased, run_shift

__all__ = ["ShiftResult", "ShiftSettings", "debiased", "run_shift"]
