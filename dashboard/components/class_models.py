"""The class models (``rnncore.class_models``) as every session sees them: trained once per
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
from dashboard.components.training import progress_text, training_queue
from rnncore import class_models as cm
from rnncore import class_results
from rnncore.probes.lm import PronounProbe
from rnncore.shift.compare import debiased
from rnncore.train import Job
from rnncore.train.queue import ordinal
from rnncore.train.word_lm import LMRun

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


def _queue(names: Sequence[str]) -> dict[str, Job]:
    """Queue the preparation of every class model in ``names`` that is missing (once per server
    however many sessions ask); returns the server's preparation jobs by name."""
    missing = [n for n in names if not cm.is_prepared(n)]
    (lock, jobs), queue = _preparations(), training_queue()
    embeddings = {name: class_embedding(name) for name in missing if name in cm.ON_EMBEDDING}
    with lock:  # one preparation per model however many sessions ask at once
        for name in missing:
            if name not in jobs or (jobs[name].done and not jobs[name].error
                                    and not cm.is_prepared(name)):
                jobs[name] = queue.submit(_prepare_task(name, embeddings.get(name)),
                                          name=f"class:{name}")
    return jobs


def _where(name: str, job: Job | None) -> str:
    """Where one class model's preparation stands, in words with its steps and its time."""
    if cm.is_prepared(name):
        return f"{name}: ready"
    if job is None:
        return f"{name}: not prepared"
    if job.error:
        return f"{name}: failed ({job.error})"
    if job.waiting:
        return f"{name}: waiting, {ordinal(training_queue().place(job))} in line"
    latest = job.latest or {}
    if "step" not in latest:
        return progress_text(job, f"{name}: loading its data")
    done = f"step {int(latest['step']):,}"
    if latest.get("steps"):
        done += f" of {int(latest['steps']):,}"
    if latest.get("epoch") is not None:
        done += f" in epoch {int(float(latest['epoch']) + 0.999):,}"
    return progress_text(job, f"{name}: training, {done}")


def preparation_status(names: Sequence[str]) -> None:
    """A panel that redraws every two seconds with each class model's steps and the time left
    at this server's pace, and reruns the page once all of ``names`` are stored."""
    @st.fragment(run_every=2.0)
    def panel() -> None:
        if all(cm.is_prepared(n) for n in names):
            st.rerun()
        jobs = _preparations()[1]
        st.info("The class models are trained once for everybody on this server (budget "
                f"*{cm.budget()}*); before a lesson, prepare them on Home or with "
                "`python -m rnncore prepare-class`.\n\n"
                + "\n".join(f"- {_where(n, jobs.get(n))}" for n in names),
                icon=":material/model_training:")

    panel()


def ensure_prepared(names: Sequence[str]) -> bool:
    """True when every class model in ``names`` is stored; otherwise queue the missing ones
    (once per server) and draw where their preparation stands."""
    if all(cm.is_prepared(n) for n in names):
        return True
    _queue(names)
    preparation_status(names)
    return False


def class_models_panel() -> None:
    """Home's view of the class models: which are stored, a button that prepares the missing
    ones for the whole server (with their progress), and the command that does the same."""
    ready = [n for n in cm.NAMES if cm.is_prepared(n)]
    jobs = _preparations()[1]
    if len(ready) == len(cm.NAMES):
        st.success(f"All {len(cm.NAMES)} class models are prepared (budget *{cm.budget()}*): "
                   "the sentiment, language-model and character-LM pages open without "
                   "training.", icon=":material/check_circle:")
        return
    st.warning(f"{len(ready)} of {len(cm.NAMES)} class models are prepared. The pages that show "
               "them (Sentiment & bias shift, Language model & pronouns, Character LM) would "
               "train the missing ones first, which takes minutes: prepare them before class "
               "with the button, or on the server with `python -m rnncore prepare-class`.",
               icon=":material/model_training:")
    if st.button("Prepare the class models now", key="class_prepare", type="primary",
                 icon=":material/play_arrow:"):
        _queue(cm.NAMES)
        preparation_status(cm.NAMES)
    elif started := [n for n in cm.NAMES if n in jobs and n not in ready]:
        preparation_status(started)  # another page's preparation: shown, nothing more queued


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


def class_models_ready(names: Sequence[str]) -> bool:
    """``ensure_prepared``, and while preparing, a poll that reruns the page once they are."""
    return ensure_prepared(names)


def class_probes(embedding, comparisons, templates) -> dict:
    """{label: SentimentProbe} of both sentiment class models (shared for the same inputs),
    or {} when the active embedding is not the class models' one or they are not ready."""
    if not (comparisons and templates) or embedding.sha256 != class_embedding(
            "sentiment-original").sha256:
        return {}
    if not class_models_ready(list(LABELS)):
        return {}
    results = {}
    for name, label in LABELS.items():  # the model is loaded only when the probe is computed
        key = class_results.sentiment_probe_key(name, cm.budget(), templates, comparisons)
        results[label] = shared_result(
            "class_probe", embedding, key,
            lambda n=name: class_results.sentiment_probe(class_sentiment(n).predict,
                                                         comparisons, templates,
                                                         class_embedding(n)),
            stored=(key, class_results.SENTIMENT_PROBE))
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
    professions, prompts and pairs (gender direction from ``direction_embedding``), or read
    from the results folder."""
    name = next(n for n, shown in WORD_LABELS.items() if shown == label)
    key = class_results.pronoun_probe_key(name, cm.budget(), professions, prompts, pairs,
                                          direction_embedding)
    return shared_result(
        "class_probe", run.vocab.embedding, key,
        lambda: class_results.pronoun_probe(run, professions, prompts, pairs,
                                            direction_embedding),
        stored=(key, class_results.PRONOUN_PROBE))
