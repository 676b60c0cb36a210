"""Which floating-point precision to train in on this CPU.

On CPUs that multiply bfloat16 in hardware (Intel AMX or AVX-512 BF16) torch's autocast runs
the recurrent layers about twice as fast in bfloat16 (measured: a 1 x 384 LSTM, batch 16,
23k -> 48k characters/s on one core) for the same loss per step. Elsewhere oneDNN has no
bfloat16 LSTM at all (on an AVX2-only CPU autocast fails with "could not create a primitive
descriptor for the LSTM forward propagation primitive"), so ``auto`` trains in float32 there
and asking for ``bf16`` is refused with a ValueError that says why. The environment variables
that cap the instruction set (``ONEDNN_MAX_CPU_ISA``, ``ATEN_CPU_CAPABILITY``) count: capped
below AVX-512 BF16, the CPU is treated as one without it. Weights, optimiser state and
evaluation are float32 either way.
"""

from __future__ import annotations

import os

import torch

PRECISIONS = ("auto", "fp32", "bf16")
# oneDNN's instruction-set caps below AVX-512 BF16 (ONEDNN_MAX_CPU_ISA, case-insensitive);
# AVX512_CORE still "supports" bfloat16 in oneDNN, emulated and slower
_ONEDNN_BELOW_BF16 = ("SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2", "AVX512_CORE",
                      "AVX512_CORE_VNNI")


def _onednn_bf16() -> bool:
    """oneDNN's own answer (it follows ONEDNN_MAX_CPU_ISA): False when it cannot run bf16."""
    if not torch.backends.mkldnn.is_available():
        return False
    check = getattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", None)
    return bool(check()) if check is not None else True


def bf16_unavailable_reason() -> str | None:
    """Why this CPU (as torch may use it) has no native bfloat16, or None when it has."""
    if not any(bool(getattr(torch.cpu, name, lambda: False)())
               for name in ("_is_amx_tile_supported", "_is_avx512_bf16_supported")):
        return "this CPU has neither AVX-512 BF16 nor AMX"
    for name in ("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"):
        cap = os.environ.get(name, "").strip()
        if cap.upper() in _ONEDNN_BELOW_BF16:
            return f"{name}={cap} keeps oneDNN below AVX-512 BF16"
    capability = torch.backends.cpu.get_cpu_capability()
    if not capability.startswith("AVX512"):
        return (f"torch runs its CPU kernels at {capability} here"
                + (" (ATEN_CPU_CAPABILITY)" if os.environ.get("ATEN_CPU_CAPABILITY") else ""))
    if not _onednn_bf16():
        return "oneDNN reports no bfloat16 support on this CPU"
    return None


def bf16_is_native() -> bool:
    """True when the CPU multiplies bfloat16 in hardware and nothing caps torch below it."""
    return bf16_unavailable_reason() is None


def resolve_precision(precision: str, option: str = "precision") -> str:
    """``fp32`` or ``bf16``; ``auto`` is bf16 where the CPU has it natively.

    ValueError (one line, naming ``option``) for an unknown name, and for ``bf16`` on a CPU
    without native bfloat16 (where oneDNN's LSTM would fail, or crawl).
    """
    if precision not in PRECISIONS:
        raise ValueError(f"{option} must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if precision == "auto":
        return "bf16" if bf16_is_native() else "fp32"
    if precision == "bf16" and (reason := bf16_unavailable_reason()) is not None:
        raise ValueError(f"{option} bf16 needs a CPU that runs bfloat16 natively (AVX-512 "
                         f"BF16 or AMX), and {reason}; use {option} fp32 or auto")
    return precision
