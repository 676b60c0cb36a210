"""rnncore: word embeddings, their biases, and the recurrent networks built on them.

One import for notebooks: ``import rnncore as rc`` reaches the common verbs, each imported from
its submodule on first use (``rnncore._lazy``), so ``import rnncore`` itself costs nothing::

    import rnncore as rc
    emb = rc.load("w2v-news-31k")                  # a built-in name or a vector file
    rc.neighbours(emb, "nurse", topn=5)
    rc.analogy(emb, "man", "king", "woman")
    t = rc.wordsets.weat_tests()["weat7"]
    rc.weat(emb, t.x, t.y, t.a, t.b).effect_size   # ddof=1 (sample sd) by default
    rc.score(emb, rc.weat_query(t), "rnd")
    d = rc.bias_direction(emb)
    hard = rc.HardDebias().fit_transform(emb, direction=d)
    rc.audit(emb, hard, d, "hard")

Layers (data flows one way, README "Architecture"): inputs -> assets -> embeddings, corpora ->
bias -> debias -> audit -> models, rnn, generate -> train -> probes -> shift -> class_models ->
this facade -> cli; the dashboard on top.
"""

from rnncore._lazy import lazy_exports
from rnncore.constants import COURSE_WORDS as COURSE_WORDS
from rnncore.constants import DEFAULT_EMBEDDING

__version__ = "0.1.0"

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "embeddings.loaders": ("DEFAULT_EMBEDDING", "load_builtin", "load_embedding"),
    "embeddings.embedding": ("Embedding",),
    "embeddings.lookup": ("lookup",),
    "embeddings.distances": ("cosine_distance", "neighbours", "paired_distances"),
    "embeddings.analogies": ("analogy",),
    "embeddings.benchmarks": ("evaluate",),
    "bias.directions": ("bias_direction", "bias_subspace"),
    "bias.direct_bias": ("direct_bias",),
    "bias.projections": ("project",),
    "bias.weat": ("weat",),
    "bias.scores": ("score", "weat_query"),
    "bias.query": ("Query",),
    "debias.base": ("Debiaser",),
    "debias.hard": ("HardDebias",),
    "debias.inlp": ("INLP",),
    "debias.multiclass": ("MulticlassHardDebias",),
    "debias.double_hard": ("DoubleHardDebias",),
    "debias.hsr": ("HalfSiblingRegression",),
    "debias.methods": ("run_debias",),
}, modules=("audit", "bias.wordsets"))


def load(spec: str = DEFAULT_EMBEDDING, progress=None):
    """An embedding by built-in name (``w2v-news-31k``, ``glove-6b-50d``) or vector-file path
    (see :func:`rnncore.embeddings.load_embedding`)."""
    from rnncore.embeddings.loaders import load_embedding

    return load_embedding(spec, progress=progress)


__all__ = sorted([*__all__, "COURSE_WORDS", "DEFAULT_EMBEDDING", "load"])
