"""Time the vectorised Google analogy evaluation against gensim's ``evaluate_word_analogies``.

    python bench/analogies.py [--embedding w2v-news-31k] [--every 1] [--repeat 3]
        [--restrict-vocab 300000]

Both run in this process on the same questions file, the same vectors (``Embedding.kv`` shares
the arrays) and the same rules (restrict_vocab=300000, case-insensitive). Prints both times,
their ratio and both accuracies (which must agree). Both sides are timed the same way: ``--repeat``
runs each, interleaved (ours, gensim, ours, gensim, ...), and the median of each side; the
first run of each is the cold one (vocabulary, norms). Timings depend on the machine and its
load; the load average is printed.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rnncore.embeddings import BENCHMARKS, evaluate_analogies, load_embedding  # noqa: E402


def sample(source: Path, every: int, target: Path) -> Path:
    """Every ``every``-th question of each section (all of them when every == 1)."""
    kept, count = [], 0
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith(": "):
            kept.append(line)
            count = 0
        else:
            if count % every == 0:
                kept.append(line)
            count += 1
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embedding", default="w2v-news-31k")
    parser.add_argument("--every", type=int, default=1, help="use every N-th question")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each side, interleaved (median)")
    parser.add_argument("--restrict-vocab", type=int, default=300_000)
    args = parser.parse_args()
    logging.getLogger("gensim").setLevel(logging.WARNING)

    embedding = load_embedding(args.embedding)
    with tempfile.TemporaryDirectory() as tmp:
        path = sample(BENCHMARKS["google"].path(), args.every, Path(tmp) / "questions.txt")
        ours_times, gensim_times = [], []
        kv = embedding.kv
        for _ in range(args.repeat):
            start = time.perf_counter()
            ours = evaluate_analogies(embedding, path, restrict_vocab=args.restrict_vocab)
            ours_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            theirs, _ = kv.evaluate_word_analogies(str(path), restrict_vocab=args.restrict_vocab)
            gensim_times.append(time.perf_counter() - start)

    ours_time, gensim_time = statistics.median(ours_times), statistics.median(gensim_times)
    evaluated = int(ours.total["evaluated"])
    print(f"embedding        {embedding.name} ({len(embedding):,} x {embedding.dim})")
    print(f"questions        {int(ours.total['total']):,} in file, {evaluated:,} in vocabulary "
          f"(restrict_vocab={args.restrict_vocab:,})")
    print(f"load average     {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"rnncore          {ours_time:8.2f} s  (median of {args.repeat}, interleaved; first "
          f"{ours_times[0]:.2f} s)  accuracy {ours.accuracy:.4%}")
    print(f"gensim           {gensim_time:8.2f} s  (median of {args.repeat}, interleaved; first "
          f"{gensim_times[0]:.2f} s)  accuracy {theirs:.4%}")
    print(f"speed-up         {gensim_time / ours_time:8.1f}x")
    print(f"accuracy gap     {abs(ours.accuracy - theirs) * 100:.4f} percentage points")


if __name__ == "__main__":
    main()
