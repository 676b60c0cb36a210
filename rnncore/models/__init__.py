"""torch modules (import the submodules): ``char_lm`` (character LM), ``word_lm``, ``sentiment``."""
