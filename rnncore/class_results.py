"""What the lessons and the classroom path show by default, stored beside the class models.

The t-SNE map of the Map page's default groups, the class character LMs' samples at every
temperature step of the Character LM page (its default prefix, length and seed; and the Top-k
view's three samples), and the probes of the class models with the pages' default inputs (the
sentiment probe of both sentiment RNNs, the pronoun probe of both word LMs). Each is a
``rnncore.stored_results`` file in the results folder (``rnncore.audit.runs.results_home``)
keyed by what it depends on: the embedding's sha256 or the class model's fingerprint, the
words, the settings (and the code version, added by the store). :func:`precompute` computes the
missing ones (``rnncore prepare-class``); a page builds the same key, reads the file when it
matches and computes (and stores) the result otherwise.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from threadpoolctl import threadpool_limits

from rnncore import class_models as cm
from rnncore.audit.runs import results_home
from rnncore.embeddings import Embedding, WordMap, load_builtin, word_map
from rnncore.generate import Decoding, generate_text
from rnncore.generate.loop import one_thread as torch_one_thread
from rnncore.probes.inputs import (
    CheckedComparison,
    Comparison,
    builtin_comparisons,
    lm_prompts,
    read_pairs,
    sentiment_templates,
)
from rnncore.probes.lm import PronounProbe, probe_pronouns
from rnncore.probes.sentiment import SentimentProbe, known_in, probe_sentiment
from rnncore.shift.compare import debiased
from rnncore.stored_results import Codec, StoredResults, frame_from_json, frame_to_json
from rnncore.wordlists import LOSS_THRESHOLD, oov_report, parse_text

Progress = Callable[[float, str], None]

MAP_GROUPS = {  # the Map page's default word groups
    "female": ["woman", "girl", "mother", "queen", "she", "her"],
    "male": ["man", "boy", "father", "king", "he", "him"],
    "occupations": ["doctor", "nurse", "programmer", "homemaker", "receptionist", "librarian",
                    "architect", "surgeon", "captain", "hairdresser", "nanny", "philosopher"],
}
TSNE_PERPLEXITY = 30  # the Map page's default
SAMPLE_LENGTH, SAMPLE_SEED = 300, 0  # the Character LM page's Sample view defaults
TEMPERATURE = 0.8
TEMPERATURES = tuple(round(0.1 + 0.05 * i, 2) for i in range(39))  # its slider: 0.1 ... 2.0
TOP_K = ((1, 2, 3), 250)  # the Top-k view: k and characters (temperature 1, seed 0)


def store() -> StoredResults:
    """The results folder beside the class models."""
    return StoredResults(results_home())


# --- the Map ---------------------------------------------------------------------------------
def groups_text(groups: Mapping[str, Sequence[str]]) -> str:
    """Groups as the word-list text box shows them (``name: w1, w2`` per line)."""
    return "\n".join(f"{name}: {', '.join(words)}" for name, words in groups.items())


def default_map_groups(embedding: Embedding) -> dict[str, list[str]]:
    """The Map page's default groups as its word-list panel resolves them on ``embedding``."""
    return oov_report(embedding, parse_text(groups_text(MAP_GROUPS)), LOSS_THRESHOLD,
                      True).resolved


def map_key(embedding: Embedding, groups: Mapping[str, Sequence[str]], method: str,
            options: Mapping[str, Any]) -> dict[str, Any]:
    """What a word map depends on."""
    return {"embedding": embedding.sha256, "groups": {g: list(w) for g, w in groups.items()},
            "method": method, "options": dict(options)}


MAP = Codec(
    lambda m: {"points": frame_to_json(m.points), "method": m.method, "x_label": m.x_label,
               "y_label": m.y_label, "notes": list(m.notes)},
    lambda d: WordMap(frame_from_json(d["points"]), str(d["method"]), str(d["x_label"]),
                      str(d["y_label"]), [str(n) for n in d["notes"]]))


# --- character-LM samples --------------------------------------------------------------------
def default_prefix(start: str | None, vocab) -> str:
    """The Character LM page's default prompt: the corpus's start symbol, else ``HAMLET⏎``
    (the model's first character when it cannot read that)."""
    prefix = start or "HAMLET\n"
    return prefix if all(c in vocab for c in prefix) else vocab.chars[0]


def sample_key(name: str, which: str, prefix: str, length: int, decoding: Decoding,
               seed: int) -> dict[str, Any]:
    """What a class character LM's sample depends on."""
    return {"model": name, "fingerprint": cm.fingerprint(name, which), "prefix": prefix,
            "length": int(length), "greedy": decoding.greedy,
            "temperature": float(decoding.temperature), "top_k": decoding.top_k,
            "seed": int(seed)}


def _text(data: dict) -> str:
    if not isinstance(data["text"], str):
        raise TypeError("the stored sample is not text")
    return data["text"]


TEXT = Codec(lambda text: {"text": text}, _text)


# --- probes ----------------------------------------------------------------------------------
def _comparison(c: Comparison) -> dict:
    return dataclasses.asdict(c)


def _comparison_from(d: dict) -> Comparison:
    return Comparison(str(d["key"]), str(d["title"]), str(d["a_name"]), tuple(d["a"]),
                      str(d["b_name"]), tuple(d["b"]), str(d["source"]), tuple(d["notes"]))


def sentiment_probe_key(name: str, which: str, templates: Sequence[str],
                        comparisons: Sequence[Comparison]) -> dict[str, Any]:
    """What the sentiment probe of a class model depends on."""
    return {"model": name, "fingerprint": cm.fingerprint(name, which),
            "templates": list(templates), "comparisons": [_comparison(c) for c in comparisons]}


SENTIMENT_PROBE = Codec(
    lambda p: {"words": frame_to_json(p.words), "gaps": frame_to_json(p.gaps),
               "templates": list(p.templates), "cut": p.cut,
               "checked": [{"comparison": _comparison(c.comparison), "a": list(c.a),
                            "b": list(c.b), "missing": c.missing} for c in p.checked]},
    lambda d: SentimentProbe(
        frame_from_json(d["words"]), frame_from_json(d["gaps"]),
        [str(t) for t in d["templates"]],
        [CheckedComparison(_comparison_from(c["comparison"]), tuple(c["a"]), tuple(c["b"]),
                           {str(k): list(v) for k, v in c["missing"].items()})
         for c in d["checked"]], str(d["cut"])))


def sentiment_inputs(embedding: Embedding) -> tuple[list[str], list[Comparison]]:
    """The Sentiment page's default templates and comparisons (all built-in groups)."""
    return sentiment_templates(), list(builtin_comparisons(known_in(embedding)).values())


def pronoun_probe_key(name: str, which: str, professions: Sequence[str], prompts: Sequence[str],
                      pairs: Sequence[Sequence[str]], direction: Embedding) -> dict[str, Any]:
    """What the pronoun probe of a word-LM class model depends on (the gender direction is
    measured in ``direction``)."""
    return {"model": name, "fingerprint": cm.fingerprint(name, which),
            "professions": list(professions), "prompts": list(prompts),
            "pairs": [list(p) for p in pairs], "direction": direction.sha256}


PRONOUN_PROBE = Codec(
    lambda p: {"table": frame_to_json(p.table), "correlations": frame_to_json(p.correlations),
               "missing": list(p.missing)},
    lambda d: PronounProbe(frame_from_json(d["table"]), frame_from_json(d["correlations"]),
                           [str(m) for m in d["missing"]]))


def pronoun_inputs() -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """The Language model page's default professions, prompts and pairs."""
    from rnncore.bias import wordsets

    return wordsets.neutral_professions(), lm_prompts(), read_pairs("pronoun_pairs.csv")


def sentiment_probe(predict, comparisons: Sequence[Comparison], templates: Sequence[str],
                    embedding: Embedding) -> SentimentProbe:
    """The sentiment probe of a model that reads ``embedding``, on one thread (see
    :func:`one_thread`)."""
    with one_thread():
        return probe_sentiment(predict, comparisons, templates, known_in(embedding))


def pronoun_probe(run, professions, prompts, pairs, direction: Embedding) -> PronounProbe:
    """The pronoun probe of a word LM (``rnncore.train.word_lm.LMRun``), on one thread."""
    from rnncore.train.word_lm import UNK

    with one_thread():
        return probe_pronouns(run.next_probabilities, run.vocab.embedding, professions,
                              prompts, pairs, lambda w: run.vocab.id(w) != UNK,
                              direction_embedding=direction)


@contextmanager
def one_thread() -> Iterator[None]:
    """torch and the BLAS/OpenMP pools on one thread while inside: these results are small
    and a busy server's second thread only spins (the quick class models' four probes took
    11 CPU-s on two threads at load average 8, 0.7 on one; the same numbers)."""
    with torch_one_thread(), threadpool_limits(1):
        yield


# --- before a lesson -------------------------------------------------------------------------
@dataclasses.dataclass
class _Job:
    kind: str
    what: str
    key: Callable[[], dict[str, Any]]
    compute: Callable[[], Any]
    codec: Codec


def _jobs(which: str, names: Sequence[str], original: Embedding
          ) -> tuple[list[_Job], list[dict]]:
    """What :func:`precompute` stores, and the rows of what it skips (models not prepared)."""
    vectors = cache(lambda method: original if method is None else debiased(original, method))

    def read(name: str) -> Embedding:  # the (debiased) embedding of a class model, made once
        return vectors(cm.ON_EMBEDDING[name])

    jobs: list[_Job] = []
    skipped = []
    groups = default_map_groups(original)
    options = {"perplexity": TSNE_PERPLEXITY}
    jobs.append(_Job("word_map", "Map: t-SNE of the default groups",
                     lambda: map_key(original, groups, "tsne", options),
                     lambda: word_map(original, groups, "tsne", **options), MAP))
    for name, corpus in cm.CHAR_LM.items():
        if name not in names:
            continue
        if not cm.is_prepared(name, which):
            skipped.append(name)
            continue
        from rnncore.corpora.text import load_corpus

        model, vocab, _ = cm.load_char_lm(name, which)
        prefix = default_prefix(load_corpus(corpus).start, vocab)
        decodings = [(Decoding(temperature=t), SAMPLE_LENGTH, SAMPLE_SEED) for t in TEMPERATURES]
        decodings += [(Decoding(top_k=k), TOP_K[1], 0) for k in TOP_K[0]]
        for decoding, length, seed in decodings:
            jobs.append(_Job(
                "class_text", f"{name}: {decoding.describe()}",
                lambda n=name, p=prefix, d=decoding, n_=length, s=seed:
                    sample_key(n, which, p, n_, d, s),
                lambda m=model, v=vocab, p=prefix, d=decoding, n_=length, s=seed:
                    generate_text(m, v, p, n_, d, s), TEXT))
    templates, comparisons = sentiment_inputs(original)
    for name in (n for n in cm.SENTIMENT if n in names):
        if not cm.is_prepared(name, which):
            skipped.append(name)
            continue
        jobs.append(_Job(
            "class_probe", f"{name}: sentiment probe",
            lambda n=name: sentiment_probe_key(n, which, templates, comparisons),
            lambda n=name: sentiment_probe(cm.load_sentiment(n, read(n), which).predict,
                                           comparisons, templates, read(n)),
            SENTIMENT_PROBE))
    professions, prompts, pairs = pronoun_inputs()
    for name in (n for n in cm.WORD_LM if n in names):
        if not cm.is_prepared(name, which):
            skipped.append(name)
            continue
        jobs.append(_Job(
            "class_probe", f"{name}: pronoun probe",
            lambda n=name: pronoun_probe_key(n, which, professions, prompts, pairs, original),
            lambda n=name: pronoun_probe(cm.load_word_lm(n, read(n), which), professions,
                                         prompts, pairs, original), PRONOUN_PROBE))
    return jobs, [{"kind": "class model", "what": f"{n}: not prepared", "state": "skipped",
                   "seconds": 0.0, "cpu_seconds": 0.0} for n in skipped]


def precompute(which: str | None = None, names: Sequence[str] = cm.NAMES,
               progress: Progress | None = None) -> list[dict]:
    """Store the Map's default t-SNE and every default result of the class models ``names``
    (those prepared with budget ``which``) that is not stored yet; one row per result: kind,
    what, state (saved / kept / skipped), seconds and CPU seconds."""
    which = cm.budget(which)
    report = progress or (lambda fraction, message: None)
    files = store()
    jobs, rows = _jobs(which, names, load_builtin(cm.EMBEDDING))
    for i, job in enumerate(jobs):
        report(i / max(1, len(jobs)), job.what)
        started, cpu = time.perf_counter(), time.process_time()
        with one_thread():
            _, kept = files.get_or_compute(job.kind, job.key(), job.compute, job.codec)
        rows.append({"kind": job.kind, "what": job.what, "state": "kept" if kept else "saved",
                     "seconds": time.perf_counter() - started,
                     "cpu_seconds": time.process_time() - cpu})
    report(1.0, "done")
    return rows


__all__ = ["MAP", "MAP_GROUPS", "PRONOUN_PROBE", "SENTIMENT_PROBE", "TEMPERATURES", "TEXT",
           "default_map_groups", "default_prefix", "map_key", "precompute", "pronoun_inputs",
           "pronoun_probe", "pronoun_probe_key", "sample_key", "sentiment_inputs",
           "sentiment_probe", "sentiment_probe_key", "store"]
