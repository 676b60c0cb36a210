"""The budget both frozen-vector trainers (sentiment RNN, word LM) share: whole epochs and an
optional time limit, checked when the settings are made."""

from __future__ import annotations

from dataclasses import asdict


class EpochBudget:
    """Mixin for a frozen settings dataclass with ``epochs`` and ``seconds`` (None: no limit)."""

    def __post_init__(self) -> None:
        epochs, seconds = self.epochs, self.seconds  # type: ignore[attr-defined]
        if epochs < 1:
            raise ValueError(f"train for at least 1 epoch, not {epochs}")
        if seconds is not None and not seconds > 0:
            raise ValueError(f"the time limit must be positive seconds (or none), not {seconds}")

    def as_dict(self) -> dict[str, object]:
        """The settings as a plain dict."""
        return asdict(self)  # type: ignore[call-overload]
