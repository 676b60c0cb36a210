"""Training precision: auto follows the CPU; bf16 training still learns."""

import pytest
import torch

from rnncore.corpora import text as corpora
from rnncore.models.char_lm import CharLMConfig
from rnncore.train.char_lm import TrainSettings, train_char_lm
from rnncore.train.precision import bf16_is_native, resolve_precision


def test_auto_follows_the_cpu_and_names_are_checked():
    assert resolve_precision("auto") == ("bf16" if bf16_is_native() else "fp32")
    assert resolve_precision("fp32") == "fp32" and resolve_precision("bf16") == "bf16"
    with pytest.raises(ValueError, match="precision"):
        TrainSettings(precision="fp16")


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_both_precisions_learn_and_keep_float32_weights(precision):
    config = CharLMConfig(1, embed=8, hidden=32, members=1, ngram_order=0)
    settings = TrainSettings(seconds=None, max_steps=60, batch=16, seq_len=32, lr=1e-2,
                             precision=precision)
    result = train_char_lm(corpora.names().text, config, settings)
    assert result.precision == precision
    assert all(p.dtype == torch.float32 for p in result.model.parameters())
    assert result.val_loss < 2.6 and result.networks_val_loss is None
