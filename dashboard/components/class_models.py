"""The class models (``rnncore.train.class_models``) as every session sees them: trained once per
server (through the training queue, only when missing from the cache), loaded once, shared.

``class_sentiment_probes`` gives the sentiment probe of the class RNN on the original and on the
hard-debiased default embedding, one shared computation per (templates, groups);
``class_word_lms`` and ``class_pronoun_probe`` do the same for the word LM's pronoun probe.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import streamlit as st

from dashboard.components.embedding_picker import builtin_embedding
from dashboard.components.shared_results import count_build, shared_result
from dashboard.components.training import training_queue
from rnncore.probes.lm import PronounProbe, probe_pronouns
from rnncore.probes.sentiment import known_in, probe_sentiment
from rnncore.shift.compare import debiased
from rnncore.train import Job
from rnncore.train import class_models as cm
from rnncore.train.queue import ordinal
from rnncore.train.word_lm import UNK, LMRun

LABELS = {"sentiment-original": "class RNN · original",
          "sentiment-hard": "class RNN · hard debias"}
WORD_LABELS = {"wordlm-original": "class LM · original", "wordlm-hard": "class LM · hard debias"}


@st.cache_resource(show_spinner=False)
def _preparations() -> tuple[threading.Lock, dict[str, Job]]:
    """The server's preparation jobs, by class model name (at most one each), and their lock."""
    return threading.Lock(), {}


def class_embedding(name: str):
    """The shared embedding a sentiment or word-LM class model reads (hard debias computed
    once)."""
    original = builtin_embedding(cm.EMBEDDING)
    method = cm.ON_EMBEDDING[name]
    if method is None:
        return original
    return shared_result("debiased", original, {"method": method},
                         lambda: debiased(original, method), heavy=True)


def _prepare_task(name: str, embedding):
    def task(report, should_stop):
        if not cm.is_prepared(name):
            count_build("class_model_trained", name)
        return cm.prepare(name, report=report, should_stop=should_stop, embedding=embedding)
    return task


def ensure_prepared(names: Sequence[str]) -> bool:
    """True when every class model in ``names`` is stored; otherwise queue the missing ones
    (once per server) and draw where their preparation stands."""
    missing = [n for n in names if not cm.is_prepared(n)]
    if not missing:
        return True
    (lock, jobs), queue = _preparations(), training_queue()
    embeddings = {name: class_embedding(name) for name in missing if name in cm.ON_EMBEDDING}
    with lock:  # one preparation per model however many sessions ask at once
        for name in missing:
            if name not in jobs or (jobs[name].done and not jobs[name].error
                                    and not cm.is_prepared(name)):
                jobs[name] = queue.submit(_prepare_task(name, embeddings.get(name)),
                                          name=f"class:{name}")
    states = []
    for name in missing:
        job = jobs[name]
        if job.error:
            states.append(f"{name}: failed ({job.error})")
        elif job.waiting:
            states.append(f"{name}: {ordinal(queue.place(job))} in line")
        else:
            fraction = float((job.latest or {}).get("fraction", 0.0))
            states.append(f"{name}: training, {min(fraction, 1.0):.0%}")
    st.info("The class models are trained once for everybody on this server (budget "
            f"*{cm.budget()}*): " + "; ".join(states) + ". This panel updates by itself.",
            icon=":material/model_training:")
    return False


def class_sentiment(name: str) -> cm.ClassSentiment:
    """The stored sentiment class model, loaded once per server over its shared embedding."""
    embedding = class_embedding(name)
    return shared_result("class_model", embedding, {"name": name, "budget": cm.budget()},
                         lambda: cm.load_sentiment(name, embedding))


def class_char_lm(corpus_key: str):
    """(model, vocab, meta) of the character-LM class model of a built-in corpus, loaded once
    per server; None while it is being prepared (the progress is drawn)."""
    name = next(n for n, c in cm.CHAR_LM.items() if c == corpus_key)
    if not class_models_ready([name]):
        return None
    return shared_result("class_model", builtin_embedding(cm.EMBEDDING),
                         {"name": name, "budget": cm.budget()}, lambda: cm.load_char_lm(name))


def class_char_lm_output(corpus_key: str, key: tuple, compute):
    """``compute()`` (text the character-LM class model of ``corpus_key`` generates for the
    prompt and settings in ``key``) once per server, shared by every session."""
    name = next(n for n, c in cm.CHAR_LM.items() if c == corpus_key)
    return shared_result("class_char_lm_output", builtin_embedding(cm.EMBEDDING),
                         {"name": name, "budget": cm.budget(), "key": key}, compute)


def class_models_ready(names: Sequence[str]) -> bool:
    """``ensure_prepared``, and while preparing, a poll that reruns the page once they are."""
    if ensure_prepared(names):
        return True

    @st.fragment(run_every=2.0)
    def poll() -> None:
        if all(cm.is_prepared(n) for n in names):
            st.rerun()

    poll()
    return False


def class_probes(embedding, comparisons, templates) -> dict:
    """{label: SentimentProbe} of both sentiment class models (shared for the same inputs),
    or {} when the active embedding is not the class models' one or they are not ready."""
    if not (comparisons and templates) or embedding.sha256 != class_embedding(
            "sentiment-original").sha256:
        return {}
    if not class_models_ready(list(LABELS)):
        return {}
    results = {}
    for name, label in LABELS.items():
        model = class_sentiment(name)
        embedding = class_embedding(name)
        params = {"model": name, "budget": cm.budget(), "templates": list(templates),
                  "comparisons": [repr(c) for c in comparisons]}
        results[label] = shared_result(
            "class_probe", embedding, params,
            lambda m=model, e=embedding: probe_sentiment(m.predict, comparisons, templates,
                                                         known_in(e)))
    return results


def word_lms_apply(embedding, corpus: str) -> bool:
    """Whether the word-LM class models fit a page on ``embedding`` and ``corpus``."""
    return corpus == cm.WORD_LM_CORPUS and \
        embedding.sha256 == class_embedding("wordlm-original").sha256


def class_word_lms(embedding) -> dict[str, LMRun]:
    """{label: LMRun} of both word-LM class models (snippets; original and hard-debiased
    vectors), loaded once per server; {} when ``embedding`` is not theirs or while they are
    being prepared (the progress is drawn)."""
    if embedding.sha256 != class_embedding("wordlm-original").sha256:
        return {}
    if not class_models_ready(list(WORD_LABELS)):
        return {}
    return {label: shared_result("class_model", class_embedding(name),
                                 {"name": name, "budget": cm.budget()},
                                 lambda n=name: cm.load_word_lm(n, class_embedding(n)))
            for name, label in WORD_LABELS.items()}


def class_pronoun_probe(label: str, run: LMRun, professions, prompts, pairs,
                        direction_embedding) -> PronounProbe:
    """The pronoun probe of a word-LM class model, computed once per server for the same
    professions, prompts and pairs (gender direction from ``direction_embedding``)."""
    params = {"model": label, "budget": cm.budget(), "professions": list(professions),
              "prompts": list(prompts), "pairs": [list(p) for p in pairs],
              "direction": direction_embedding.sha256}
    return shared_result(
        "class_probe", run.vocab.embedding, params,
        lambda: probe_pronouns(run.next_probabilities, run.vocab.embedding, professions,
                               prompts, pairs, lambda w: run.vocab.id(w) != UNK,
                               direction_embedding=direction_embedding))
