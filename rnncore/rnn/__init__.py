"""The NumPy RNN from scratch (float64, for teaching) and hand-built RNNs.

``core``: one Elman RNN (forward, NLL, BPTT, SGD); ``mit``: the MIT character RNN, its traces
and ``test_word``; ``tagger``: the IST many-to-many tagger; ``gradcheck``: numerical gradients;
``torch_twin``: the same model in torch; ``handbuilt``: summing, larger-stream and parity RNNs;
``sweep``: the difficulty sweep over strings x hidden sizes x steps.
"""

from rnncore.rnn.core import Weights, backward, forward, loss_and_gradients, nll, sgd_step
from rnncore.rnn.mit import MitRNN, WordResult, sample_strings, test_word, trace

__all__ = ["MitRNN", "Weights", "WordResult", "backward", "forward", "loss_and_gradients", "nll",
           "sample_strings", "sgd_step", "test_word", "trace"]
