"""Texts and labelled data from the pinned assets or from uploads (import the submodules).

``text``: Hamlet, the census first names, uploaded .txt files (character LMs);
``reviews``: labelled review snippets (sentiment); ``lexicon``: Hu & Liu opinion words.
"""
