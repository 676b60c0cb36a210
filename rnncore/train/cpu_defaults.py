"""The character LM's defaults for this kind of CPU, chosen by measurement (bench/char_lm.py).

Training time goes almost all into the recurrent layers (oneDNN's LSTM forward and backward:
86 % of a step of a 1 x 384 LSTM, batch 16 x 64 characters; the embedding, decoder, dropout,
loss and Adam share the rest), so the speed of a CPU's LSTM kernels decides what a time budget
buys. Two kinds of CPU are told apart:

* ``bf16``: the CPU multiplies bfloat16 natively (AMX or AVX-512 BF16, not capped by
  ``ONEDNN_MAX_CPU_ISA`` / ``ATEN_CPU_CAPABILITY``): four 1 x 384 LSTMs in bfloat16, two at a
  time (1.437-1.439 nats/char on Hamlet in 120 s on an AMX machine).
* ``fp32``: everything else (AVX2, AVX-512 without BF16, other architectures): float32 through
  oneDNN, four 1 x 256 LSTMs, dropout 0.1, learning rate 8e-3. Measured on Hamlet under an AVX2
  cap at the steps a quiet 120 s buys (bench/README.md, seed 0): four 1 x 384 at 3e-3 1.527
  nats/char, four 1 x 256 at 3e-3 1.5005 (1.8x the characters per CPU second), at 5e-3 1.4720,
  at 8e-3 1.4568, dropout 0.1 at 5e-3 1.4551, both 1.4436; two 1 x 256 members for twice the
  steps 1.4500 at 5e-3, 1.4595 at 8e-3.

``CharLMConfig`` keeps the bf16 kind's values as its defaults; ``train_char_lm`` without a
config, the CLI and the Character LM page take this CPU's from ``char_lm_defaults``, and
``TrainSettings(lr=None)`` means this kind's learning rate.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

import torch

from rnncore.models.char_lm import CharLMConfig
from rnncore.train.precision import bf16_unavailable_reason, resolve_precision

# CPU seconds per step of one member (batch 16 x 64 characters) on an AMD EPYC (Zen 4) capped
# to AVX2: 1 x 384 LSTM 71-77 ms, 1 x 256 39-49 ms (its weights fit in a 2 MB L2 cache)
FP32_MODEL: dict[str, Any] = {"hidden": 256, "dropout": 0.1}  # fewer weights, more steps
LEARNING_RATES = {"bf16": 3e-3, "fp32": 8e-3}  # Adam's starting rate (cosine decay)


@dataclass(frozen=True)
class CPUDefaults:
    """A kind of CPU, what was seen of it, and the character LM's defaults chosen for it."""

    kind: str                      # "bf16" or "fp32"
    features: dict[str, Any]
    model: dict[str, Any] = field(default_factory=dict)  # CharLMConfig fields that differ
    lr: float = LEARNING_RATES["bf16"]  # for TrainSettings(lr=None)

    def config(self, vocab_size: int = 1, **given: Any) -> CharLMConfig:
        """``CharLMConfig`` with this kind's defaults; ``given`` fields win."""
        return replace(CharLMConfig(vocab_size), **{**self.model, **given})

    def describe(self) -> str:
        """One line: the kind, why, and the default model it picks."""
        config = self.config()
        model = (f"{config.members} x {config.layers}x{config.hidden} {config.cell.upper()}"
                 + (f" + {config.ngram_order}-gram" if config.uses_ngram else ""))
        bf16 = self.features["bf16"]
        why = ("native bfloat16" if self.kind == "bf16" else "float32 asked for"
               if bf16 == "native" else f"no native bfloat16: {bf16}")
        return (f"CPU kind {self.kind} ({why}; torch kernels {self.features['torch_kernels']}):"
                f" {model} in {'bfloat16' if self.kind == 'bf16' else 'float32'}, "
                f"learning rate {self.lr:g}")


def cpu_features() -> dict[str, Any]:
    """What torch sees of this CPU: instruction sets, the kernels it runs, any caps, bf16."""
    flags = {"avx2": "_is_avx2_supported", "avx512": "_is_avx512_supported",
             "avx512_bf16": "_is_avx512_bf16_supported", "amx": "_is_amx_tile_supported"}
    has = [name for name, check in flags.items()
           if bool(getattr(torch.cpu, check, lambda: False)())]
    caps = {name: os.environ[name] for name in ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA",
                                                "DNNL_MAX_CPU_ISA") if os.environ.get(name)}
    return {"instruction_sets": has, "torch_kernels": torch.backends.cpu.get_cpu_capability(),
            "caps": caps, "bf16": bf16_unavailable_reason() or "native"}


def char_lm_defaults(precision: str = "auto") -> CPUDefaults:
    """This CPU's kind and its character-LM defaults for training in ``precision`` (``auto``:
    bf16 where native; ``fp32`` on a bf16 CPU picks the fp32 kind's model)."""
    kind = resolve_precision(precision)
    return CPUDefaults(kind, cpu_features(), dict(FP32_MODEL) if kind == "fp32" else {},
                       LEARNING_RATES[kind])
