"""Decoding strategies over logits (generic: characters or words) and the generation loop."""

from rnncore.generate.chars import complete, generate_text, novelty, sample_items, top_next
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
    "Decoding", "as_logits", "complete", "generate_ids", "generate_text", "greedy",
    "next_candidates", "novelty", "prime", "probabilities", "sample", "sample_items",
    "top_candidates", "top_next",
]
