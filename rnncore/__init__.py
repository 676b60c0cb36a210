"""rnncore: word embeddings, their biases, and the recurrent networks built on them.

Layers (data flows one way): assets -> embeddings -> bias/debias -> models -> probes.
"""

__version__ = "0.1.0"
