"""torch modules (import the submodules): ``char_lm`` (character LM), ``char_lm_fused`` (its
members fused for generation), ``word_lm``, ``sentiment``, ``word_vocab`` (tokens -> embedding
rows), ``lexicon_baseline`` (word-level sentiment)."""
