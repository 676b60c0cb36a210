"""The fused generation step gives the character LM's own distribution, on real trained weights."""

import numpy as np
import pytest
import torch

from rnncore.corpora import text as corpora
from rnncore.generate import Decoding, generate_text, sample_items
from rnncore.models.char_lm import CharLM, CharLMConfig
from rnncore.models.char_lm_fused import FusedCharLM, fused
from rnncore.train.char_lm import TrainSettings, train_char_lm

SHORT = TrainSettings(seconds=None, max_steps=3, batch=4, seq_len=32, val_fraction=0.02,
                      seed=0)  # a short validation text: quick to evaluate


@pytest.fixture(scope="module")
def hamlet():
    return corpora.hamlet()


@pytest.fixture(scope="module")
def default_model(hamlet):
    """The page's default model (four 1 x 384 LSTMs and the 6-gram), three steps each."""
    result = train_char_lm(hamlet.text, CharLMConfig(1), SHORT)
    return result.model, result.vocab


def prompt_ids(hamlet, vocab, length: int = 160) -> torch.Tensor:
    start = hamlet.text.index("HAMLET\nTo be, or not to be")
    return torch.tensor([vocab.encode(hamlet.text[start:start + length])])


def step_by_step(model, ids: torch.Tensor, read: int = 1) -> torch.Tensor:
    """The fused model's outputs: the first ``read`` characters in one pass, then one a step."""
    net = FusedCharLM(model.eval())
    with torch.inference_mode():
        out, state = net(ids[:, :read])
        outputs = [out]
        for t in range(read, ids.shape[1]):
            out, state = net(ids[:, t:t + 1], state)
            outputs.append(out)
    return torch.cat(outputs, 1)


def test_every_position_of_a_hamlet_prompt_gets_the_models_distribution(hamlet, default_model):
    model, vocab = default_model
    ids = prompt_ids(hamlet, vocab)
    with torch.no_grad():
        expected = torch.softmax(model(ids)[0], -1)
    for read in (1, 40):  # from the first character, and after a prefix read in one pass
        got = torch.softmax(step_by_step(model, ids, read), -1)
        assert got.shape == expected.shape
        assert torch.allclose(got, expected, atol=1e-5, rtol=0)
    assert expected.max(-1).values.mean() > 1.5 / len(vocab)  # not a uniform distribution


@pytest.mark.parametrize("config", [
    CharLMConfig(1, cell="gru", embed=16, hidden=32, layers=2, members=3, ngram_order=3),
    CharLMConfig(1, cell="rnn", nonlinearity="relu", embed=8, hidden=24, members=1,
                 ngram_order=0),  # one network, no n-gram: its raw logits
    CharLMConfig(1, cell="lstm", embed=8, hidden=24, layers=2, members=2, ngram_order=0),
], ids=["gru-2x32-3-members-3gram", "relu-rnn-alone", "lstm-2x24-2-members"])
def test_every_cell_depth_and_mixture_matches(hamlet, config):
    result = train_char_lm(hamlet.text, config, SHORT)
    ids = prompt_ids(hamlet, result.vocab, 80)
    with torch.no_grad():
        expected = result.model(ids)[0]
    assert torch.allclose(step_by_step(result.model, ids), expected, atol=1e-5, rtol=0)


def test_the_same_seed_gives_the_same_text_as_calling_the_members_in_turn(default_model):
    model, vocab = default_model

    class OneByOne(torch.nn.Module):  # not a CharLM: generation is not fused
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, ids, hidden=None):
            return self.inner(ids, hidden)

    assert isinstance(fused(model), FusedCharLM) and not isinstance(fused(OneByOne(model)),
                                                                     FusedCharLM)
    for decoding, seed in ((Decoding(temperature=0.8), 3), (Decoding(top_k=3), 0),
                           (Decoding(greedy=True), None)):
        text = generate_text(model, vocab, "HAMLET\n", 60, decoding, seed)
        assert len(text) == 60
        assert text == generate_text(OneByOne(model), vocab, "HAMLET\n", 60, decoding, seed)
    names = sample_items(model, vocab, 2, "H", "\n", max_len=15, seed=1)  # fused once for all
    assert names == sample_items(OneByOne(model), vocab, 2, "H", "\n", max_len=15, seed=1)


def test_the_ngrams_next_probs_are_its_probs_for_one_position(hamlet, default_model):
    model, vocab = default_model
    ngram = model.ngram
    ids = prompt_ids(hamlet, vocab, 60).numpy()
    table = ngram.probs(ids)[0]
    for t in range(ids.shape[1]):  # short contexts at the start, then the last `order` chars
        np.testing.assert_array_equal(ngram.next_probs(ids[0, :t + 1]), table[t])
    unseen = [vocab.chars.index("Z")] * 8  # a context never seen: shorter ones, then unigram
    assert ngram.next_probs(unseen).sum() == pytest.approx(1.0)


def test_one_fused_model_per_model_rebuilt_when_its_weights_change():
    import gc
    import weakref

    model = CharLM(CharLMConfig(30, embed=8, hidden=16, members=2, ngram_order=0)).eval()
    net = fused(model)
    assert fused(model) is net  # kept: not stacked again for the next generation
    with torch.no_grad():
        model.members[0].rnn.weight_hh_l0.add_(1.0)  # in place: a new fused model
    assert fused(model) is not net
    gone = weakref.ref(model)
    del model, net
    gc.collect()
    assert gone() is None  # the cache does not keep the model alive
