"""The word-LM class models: training time and held-out perplexity per budget, and the memory
they add to a server.

1. Trains ``wordlm-original`` and ``wordlm-hard`` into a fresh class home at the ``quick`` budget
   and (unless ``--no-full``) at the ``full`` one, side by side (``prepare_all``: one torch
   thread each), and prints each one's training CPU seconds, validation perplexity per epoch,
   the epoch kept, test perplexity, vocabulary and stored size, and beside the perplexity a
   Laplace unigram and interpolated Kneser-Ney bigram and trigram
   (``rnncore.models.word_ngram``) counted on the same training sentences, with the same
   vocabulary and ``<unk>``, scored on the same test tokens.
2. Starts a real ``streamlit run dashboard/app.py`` on 127.0.0.1 over those models (``--budget``)
   and samples its RSS: one headless Chromium session opens the Distances page (w2v-news-31k
   loaded), the Language model page on Hamlet (torch and the page, no class model), then on the
   snippets (the hard-debiased copy, which the sentiment class models share on a real server,
   the two word-LM class models and their pronoun probes); then
   ``--sessions`` more sessions open the Language model page at once. Prints the RSS after each
   step, the bytes of the models' tensors and of the hard-debiased copy, and how many times each
   word-LM class model was loaded (1 = shared).

    python bench/word_lm_class.py                    # both budgets, server on full
    python bench/word_lm_class.py --no-full --budget quick --sessions 3
    python bench/word_lm_class.py --home /tmp/class   # reuse models trained there before
    python bench/word_lm_class.py --no-server         # training and perplexities only

Figures are measured on a shared, loaded machine: compare them within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from classroom import CHROMIUM, CHROMIUM_ARGS, rss_mb, start_server  # noqa: E402

NAMES = ("wordlm-original", "wordlm-hard")
TIMEOUT_MS = 600_000


def train(home: Path, budget: str) -> list[dict]:
    """Prepare both word-LM class models at ``budget`` in ``home``, side by side (one torch
    thread each, ``prepare_all``); one row per model."""
    os.environ["RNNCORE_CLASS_HOME"] = str(home)
    from rnncore import class_models as cm
    from rnncore.embeddings import load_builtin

    infos = cm.prepare_all(budget, NAMES)
    original = load_builtin(cm.EMBEDDING)
    hard = cm.class_embedding("wordlm-hard", original)
    rows = []
    for info, embedding in zip(infos, (original, hard), strict=True):
        name = info["name"]
        run = cm.load_word_lm(name, embedding, budget)
        rows.append({"name": name, "budget": budget, "side_by_side": info["side_by_side"],
                     "pair_wall_seconds": round(info["prepare_seconds"], 1),
                     "pair_cpu_seconds": round(info["prepare_cpu_seconds"], 1),
                     "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
                     "train_cpu_seconds": info.get("train_cpu_seconds"),
                     "train_seconds": info["train_seconds"], "stopped": info["stopped"],
                     "epochs": len(info["history"]), "best_epoch": info.get("best_epoch"),
                     "validation_perplexities": [round(r["validation_perplexity"], 1)
                                                 for r in info["history"]
                                                 if "validation_perplexity" in r],
                     "test_perplexity": round(info["perplexity"], 1),
                     **baselines(run, budget),
                     "vocabulary": info["vocabulary"],
                     "stored_kb": (home / budget / name / "model.pt").stat().st_size // 1024,
                     "tensor_mb": round(sum(t.numel() * t.element_size() for t in
                                            run.model.state_dict().values()) / 2**20, 1),
                     "hard_copy_mb": round(hard.vectors.nbytes / 2**20, 1)})
    return rows


def step_seconds(steps: int = 40, warm_up: int = 5) -> str:
    """CPU seconds of one training step of the full word-LM class model (batch of the
    class budget, one torch thread, ``time.thread_time``), the mean over ``steps`` after
    ``warm_up``, and what an epoch of them costs."""
    import numpy as np
    import torch
    from torch import nn

    from rnncore import class_models as cm
    from rnncore.corpora.reviews import tokenize
    from rnncore.embeddings import load_builtin
    from rnncore.models.word_lm import WordLM
    from rnncore.train import word_lm as lm

    config, settings = cm.word_budget("full")
    torch.set_num_threads(settings.threads)
    corpus = cm.word_corpus("full")
    vocab = lm.LMVocab.build(load_builtin(cm.EMBEDDING), (tokenize(s) for s in corpus.train),
                             settings.min_count, cm.probe_words())
    train = lm.sequences(vocab, lm.validation_split(corpus.train)[0])
    torch.manual_seed(0)
    model = WordLM(vocab.vectors(), config).train()
    optimiser = torch.optim.Adam(model.parameters(), lr=settings.lr)
    generator = torch.Generator().manual_seed(0)
    order = np.random.default_rng(0).permutation(len(train))
    times = []
    for k in range(warm_up + steps):
        started = time.thread_time()
        inputs, targets = lm._batch([train[i] for i in order[k * settings.batch_size:
                                                                (k + 1) * settings.batch_size]])
        loss = lm.batch_loss(model, inputs, targets, generator)
        optimiser.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), settings.clip)
        optimiser.step()
        times.append(time.thread_time() - started)
    mean, epoch = float(np.mean(times[warm_up:])), -(-len(train) // settings.batch_size)
    return (f"one training step of the full class model: {mean:.4f} CPU-s (median "
            f"{np.median(times[warm_up:]):.4f}, {steps} steps after {warm_up}), x {epoch} steps "
            f"= {mean * epoch:.0f} CPU-s an epoch; load "
            + " ".join(Path("/proc/loadavg").read_text().split()[:3]))


def baselines(run, budget: str) -> dict[str, float]:
    """Test perplexity of a Laplace unigram and Kneser-Ney bigram and trigram on the LM's own
    vocabulary, counted on all its class-model budget's training sentences (those the LM
    trained on and its validation slice), scored on the same test sentences."""
    from rnncore import class_models as cm
    from rnncore.models.word_ngram import KneserNey, LaplaceUnigram
    from rnncore.train.word_lm import sequences

    corpus = cm.word_corpus(budget)
    train = sequences(run.vocab, corpus.train)
    heldout = sequences(run.vocab, corpus.heldout)
    return {"unigram_perplexity": round(LaplaceUnigram(len(run.vocab)).fit(train)
                                        .perplexity(heldout), 1),
            **{f"kneser_ney_{order}gram_perplexity".replace("2gram", "bigram")
               .replace("3gram", "trigram"): round(KneserNey(len(run.vocab), order).fit(train)
                                                   .perplexity(heldout), 1)
               for order in (2, 3)}}


def table(rows: list[dict]) -> str:
    """The rows as the table bench/README.md quotes."""
    lines = [f"{'model':16} {'budget':6} {'train CPU s':>11} {'epochs':>6} {'kept':>4} "
             f"{'validation ppl per epoch':>26} {'test ppl':>8} {'unigram':>8} {'KN 2':>6} "
             f"{'KN 3':>6}"]
    for r in rows:
        lines.append(f"{r['name']:16} {r['budget']:6} {r['train_cpu_seconds'] or 0:11.1f} "
                     f"{r['epochs']:6} {r['best_epoch'] or 0:4} "
                     f"{' '.join(f'{v:.1f}' for v in r['validation_perplexities']):>26} "
                     f"{r['test_perplexity']:8.1f} {r['unigram_perplexity']:8.1f} "
                     f"{r['kneser_ney_bigram_perplexity']:6.1f} "
                     f"{r['kneser_ney_trigram_perplexity']:6.1f}")
    for budget in dict.fromkeys(r["budget"] for r in rows):
        pair = next(r for r in rows if r["budget"] == budget)
        lines.append(f"{budget}: the pair side by side {pair['pair_wall_seconds']:.1f} s wall, "
                     f"{pair['pair_cpu_seconds']:.1f} s CPU, load {pair['loadavg']}")
    return "\n".join(lines)


async def visit(url: str, sessions: int, pid: int) -> dict[str, float]:
    """RSS (MB) after each step of the visit described in the module docstring."""
    from playwright.async_api import async_playwright, expect

    rss = {"start": rss_mb(pid)}

    async def open_lm(context) -> None:
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        await page.goto(f"{url}/word_lm")
        await expect(page.get_by_text("class LM · hard debias").first).to_be_visible(
            timeout=TIMEOUT_MS)

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": 1400, "height": 1000})
            page = await context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            await page.goto(f"{url}/distances")
            await expect(page.get_by_role("button", name="Download CSV").first).to_be_visible(
                timeout=TIMEOUT_MS)
            rss["distances page (w2v-news-31k loaded)"] = rss_mb(pid)
            await page.goto(f"{url}/word_lm?wlm_corpus=Hamlet")
            await expect(page.get_by_text("Train the model above first").first).to_be_visible(
                timeout=TIMEOUT_MS)
            rss["+ word LM page on Hamlet (torch, no class model)"] = rss_mb(pid)
            await open_lm(context)
            rss["+ word LM page (hard copy, two word-LM class models, probes)"] = rss_mb(pid)
            contexts = [await browser.new_context() for _ in range(sessions)]
            await asyncio.gather(*(open_lm(c) for c in contexts))
            rss[f"+ {sessions} more sessions on the word LM page"] = rss_mb(pid)
        finally:
            await browser.close()
    return rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-full", action="store_true", help="skip the full budget")
    parser.add_argument("--budget", choices=("quick", "full"), default="full",
                        help="the budget the server uses")
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--no-server", action="store_true", help="skip the server part")
    parser.add_argument("--home", type=Path, help="a class home to reuse (models stored there "
                        "are not trained again: wall_seconds is then the load time)")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="wordlm-class-"))
    budgets = ["quick"] + ([] if args.no_full else ["full"])
    if not args.no_full:
        print(step_seconds(), flush=True)
    rows = [row for budget in budgets for row in train(home, budget)]
    for row in rows:
        print(json.dumps(row))
    print(table(rows))
    if args.no_server:
        return 0
    if args.budget not in budgets:
        print(f"budget {args.budget} was not trained: no server run")
        return 0
    counters = home / "builds.jsonl"
    env = {"RNNCORE_CLASS_HOME": str(home), "BIASLAB_CLASS_BUDGET": args.budget,
           "BIASLAB_DEBUG_COUNTERS": str(counters)}
    proc, url = start_server(env, home / "server.log")
    try:
        rss = asyncio.run(visit(url, args.sessions, proc.pid))
    finally:
        proc.terminate()
        proc.wait(30)
    steps = list(rss.items())
    for (label, value), previous in zip(steps, [None, *[v for _, v in steps[:-1]]],
                                        strict=True):
        delta = "" if previous is None else f"  ({value - previous:+.0f} MB)"
        print(f"RSS {label}: {value:.0f} MB{delta}")
    loads = [json.loads(line) for line in counters.read_text().splitlines()]
    for name in NAMES:
        count = sum(1 for b in loads if b["kind"] == "class_model" and f'"{name}"' in b["key"])
        print(f"{name}: loaded {count} time(s) for {args.sessions + 1} sessions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
