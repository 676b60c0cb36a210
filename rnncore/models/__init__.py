"""torch modules (import the submodules): ``char_lm`` (character LM), ``word_lm``, ``sentiment``,
``word_vocab`` (tokens -> embedding rows), ``lexicon_baseline`` (word-level sentiment)."""
