"""Training precision: auto follows the CPU; bf16 trains where the CPU runs it natively and is
refused in one line elsewhere (on a CPU capped to AVX2 in a subprocess too, so every CPU kind
runs the refusal path)."""

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from rnncore.corpora import text as corpora
from rnncore.models.char_lm import CharLMConfig
from rnncore.train.char_lm import TrainSettings, train_char_lm
from rnncore.train.cpu_defaults import FP32_MODEL, char_lm_defaults
from rnncore.train.precision import bf16_is_native, bf16_unavailable_reason, resolve_precision

NO_BF16 = bf16_unavailable_reason()
needs_bf16 = pytest.mark.skipif(NO_BF16 is not None, reason=f"no native bfloat16: {NO_BF16}")
ROOT = Path(__file__).resolve().parents[3]


def test_auto_follows_the_cpu_and_names_are_checked():
    assert resolve_precision("auto") == ("bf16" if bf16_is_native() else "fp32")
    assert char_lm_defaults().kind == resolve_precision("auto")
    fp32 = char_lm_defaults("fp32")  # float32 training gets the model chosen for it
    assert fp32.config().hidden == FP32_MODEL["hidden"] and "float32" in fp32.describe()
    assert fp32.config(hidden=48).hidden == 48  # what was given wins
    assert resolve_precision("fp32") == "fp32"
    with pytest.raises(ValueError, match="precision"):
        TrainSettings(precision="fp16")


@pytest.mark.parametrize("precision", ["fp32", pytest.param("bf16", marks=needs_bf16)])
def test_both_precisions_learn_and_keep_float32_weights(precision):
    config = CharLMConfig(1, embed=8, hidden=32, members=1, ngram_order=0)
    settings = TrainSettings(seconds=None, max_steps=60, batch=16, seq_len=32, lr=1e-2,
                             precision=precision)
    result = train_char_lm(corpora.names().text, config, settings)
    assert result.precision == precision
    assert all(p.dtype == torch.float32 for p in result.model.parameters())
    assert result.val_loss < 2.6 and result.networks_val_loss is None


@pytest.mark.skipif(NO_BF16 is None, reason="this CPU runs bfloat16 natively (the refusal "
                    "path runs in test_bf16_refused_in_one_line_when_the_isa_is_capped)")
def test_bf16_is_refused_on_this_cpu():
    with pytest.raises(ValueError, match="needs a CPU that runs bfloat16 natively"):
        TrainSettings(precision="bf16")
    assert resolve_precision("auto") == "fp32"


# run in a child whose torch is capped to AVX2: the check must say "no bfloat16" where oneDNN's
# LSTM really fails, the CLI must answer in one line with exit 2, and auto must train in fp32
CAPPED_CHILD = r"""
import contextlib, io, json, platform, torch
from rnncore.cli import main
from rnncore.corpora import text as corpora
from rnncore.models.char_lm import CharLMConfig
from rnncore.train.char_lm import TrainSettings, train_char_lm
from rnncore.train.cpu_defaults import FP32_MODEL, char_lm_defaults
from rnncore.train.cpu_defaults import char_lm_defaults
from rnncore.train.precision import bf16_unavailable_reason
out = {"reason": bf16_unavailable_reason(), "kind": char_lm_defaults().kind}
try:
    with torch.autocast("cpu", dtype=torch.bfloat16):
        torch.nn.LSTM(4, 8, batch_first=True)(torch.randn(2, 3, 4))
    out["lstm_bf16"] = "ran"
except RuntimeError as exc:
    out["lstm_bf16"] = str(exc)
for flags in ([], ["--json"]):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["train-char", "--corpus", "names", "--steps", "1", "--precision", "bf16",
                     *flags])
    out["cli" + "".join(flags)] = [code, err.getvalue()]
config = CharLMConfig(1, embed=8, hidden=16, members=1, ngram_order=0)
result = train_char_lm(corpora.names().text, config, TrainSettings(seconds=None, max_steps=5))
out["auto"] = result.precision
print(json.dumps(out))
"""


def test_bf16_refused_in_one_line_when_the_isa_is_capped():
    env = {**os.environ, "ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2"}
    child = subprocess.run([sys.executable, "-c", CAPPED_CHILD], env=env, cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, child.stderr
    out = json.loads(child.stdout.strip().splitlines()[-1])
    assert out["reason"] is not None and out["auto"] == "fp32" and out["kind"] == "fp32"
    if platform.machine().lower() in ("x86_64", "amd64"):  # what the check predicts
        assert "could not create a primitive descriptor" in out["lstm_bf16"]
    code, err = out["cli"]
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("error: --precision bf16 needs a CPU that runs bfloat16 natively")
    code, err = out["cli--json"]
    assert code == 2 and json.loads(err)["kind"] == "ValueError"
    assert "--precision bf16" in json.loads(err)["error"]
