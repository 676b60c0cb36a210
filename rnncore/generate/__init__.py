"""Decoding strategies over logits (generic: characters or words) and the generation loop."""

from rnncore.generate.loop import generate_ids, next_candidates, prime
from rnncore.generate.sampling import (
    Decoding,
    as_logits,
    greedy,
    probabilities,
    sample,
    top_candidates,
)

__all__ = [
    "Decoding", "as_logits", "generate_ids", "greedy", "next_candidates", "prime",
    "probabilities", "sample", "top_candidates",
]
