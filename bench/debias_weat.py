"""Bench: hard debias of the whole default embedding and WEAT with 100,000 permutations,
against WEFE 1.0.1 run in its own virtual environment (bench/setup_wefe_venv.sh), in one run.

    ~/.cache/biaslab/venv/bin/python bench/debias_weat.py [--wefe-permutations 10000]

Hard debias is timed on both sides the same way: ``--rounds`` interleaved rounds (ours once,
then WEFE's side once, in its venv), each side's median; the WEAT timings are each side's own
(ours: median of ``--repeat``; WEFE's p-value loop once: it takes minutes). Prints the
timings, the ratios, and two agreement checks: WEAT effect sizes (ours with
ddof=0, as WEFE computes them) and the hard-debiased vectors. Exit status 1 when either differs
from WEFE by more than 1e-5, 2 when WEFE's venv is missing (0 with ``--skip-wefe``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rnncore.assets import ensure_built  # noqa: E402
from rnncore.bias import weat, wordsets  # noqa: E402
from rnncore.debias import HardDebias  # noqa: E402
from rnncore.embeddings import load_builtin  # noqa: E402

WEFE_VENV = Path(os.environ.get("WEFE_VENV", Path.home() / ".cache/biaslab/wefe-venv"))
TOLERANCE = 1e-5


def timed(func, repeat: int, spread: list[float] | None = None) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls and the last result; ``spread`` gets (min, max)."""
    times, result = [], None
    for _ in range(repeat):
        result = None  # free the previous result outside the timed call
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    if spread is not None:
        spread[:] = [min(times), max(times)]
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--permutations", type=int, default=100_000)
    parser.add_argument("--wefe-permutations", type=int, default=10_000)
    parser.add_argument("--test", default="weat7", help="the WEAT test timed on both sides")
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--rounds", type=int, default=5,
                        help="interleaved rounds of hard debias, ours then WEFE's (median)")
    parser.add_argument("--skip-wefe", action="store_true",
                        help="exit 0 when WEFE's venv is missing (our side only)")
    args = parser.parse_args()

    embedding = load_builtin("w2v-news-31k")
    np.asarray(embedding.vectors).sum()  # page the memory-mapped vectors in before timing
    tests = wordsets.weat_tests()
    test = tests[args.test]

    model = HardDebias().fit(embedding)
    fit_s, _ = timed(lambda: HardDebias().fit(embedding), args.repeat)
    hard_spread: list[float] = []
    hard_s, ours = timed(lambda: model.transform(embedding), args.repeat, hard_spread)
    weat_s, result = timed(lambda: weat(embedding, test.x, test.y, test.a, test.b,
                                        args.permutations, seed=0, exact=False), args.repeat)
    weat1 = tests["weat1"]
    weat1_s, _ = timed(lambda: weat(embedding, weat1.x, weat1.y, weat1.a, weat1.b,
                                    args.permutations, seed=0), args.repeat)
    print(f"rnncore hard debias ({len(embedding):,} x {embedding.dim}): transform "
          f"{hard_s:.4f} s (median of {args.repeat}; min {hard_spread[0]:.4f}, max "
          f"{hard_spread[1]:.4f}), fit {fit_s:.4f} s")
    print(f"rnncore WEAT {args.test}, {args.permutations:,} random permutations: {weat_s:.4f} s "
          f"(p = {result.p_one_sided:.5f}); weat1 (25 + 25 words): {weat1_s:.4f} s")

    python = WEFE_VENV / "bin" / "python"
    if not python.exists():
        print(f"WEFE venv missing ({python}); run bench/setup_wefe_venv.sh for the comparison")
        sys.exit(0 if args.skip_wefe else 2)
    built = ensure_built("w2v-news-31k")
    with tempfile.TemporaryDirectory() as tmp:
        job = {"vectors": str(built.vectors_path), "vocab": str(built.vocab_path),
               "definitional_pairs": [list(p) for p in wordsets.definitional_pairs()],
               "equalize_pairs": [list(p) for p in wordsets.equalize_pairs()],
               "gender_specific": list(wordsets.gender_specific()),
               "tests": {k: {"x": t.x, "y": t.y, "a": t.a, "b": t.b} for k, t in tests.items()},
               "p_value_test": args.test, "p_value_iterations": args.wefe_permutations,
               "debiased_out": str(Path(tmp) / "wefe_debiased.npy")}
        Path(tmp, "job.json").write_text(json.dumps(job))
        print(f"running WEFE in {WEFE_VENV} (its WEAT p-value loop is slow) …", flush=True)
        subprocess.run([str(python), str(ROOT / "bench" / "_wefe_side.py"),
                        str(Path(tmp) / "job.json"), str(Path(tmp) / "wefe.json")], check=True)
        wefe = json.loads(Path(tmp, "wefe.json").read_text())
        wefe_vectors = np.load(job["debiased_out"])
        Path(tmp, "hard.json").write_text(json.dumps({**job, "hard_only": True}))
        rounds: dict[str, list[float]] = {"ours": [], "wefe": []}
        for round_no in range(args.rounds):
            print(f"hard debias round {round_no + 1} of {args.rounds} …", flush=True)
            ours = None
            start = time.perf_counter()
            ours = HardDebias().fit(embedding).transform(embedding)
            rounds["ours"].append(time.perf_counter() - start)
            subprocess.run([str(python), str(ROOT / "bench" / "_wefe_side.py"),
                            str(Path(tmp) / "hard.json"), str(Path(tmp) / "hard_out.json")],
                           check=True)
            timing = json.loads(Path(tmp, "hard_out.json").read_text())
            rounds["wefe"].append(timing["hard_fit_s"] + timing["hard_transform_s"])
    ours_round, wefe_round = (statistics.median(rounds[k]) for k in ("ours", "wefe"))
    print(f"hard debias fit + transform, median of {args.rounds} interleaved rounds: rnncore "
          f"{ours_round:.3f} s, WEFE {wefe_round:.3f} s ({wefe_round / ours_round:.0f}x); load "
          f"average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    wefe_hard = wefe["hard_transform_s"]
    print(f"WEFE hard debias: transform {wefe_hard:.3f} s, fit {wefe['hard_fit_s']:.3f} s "
          f"-> rnncore is {wefe_hard / hard_s:.0f}x faster (transform)")
    per_ours = weat_s / args.permutations
    per_wefe = wefe["weat_p_s"] / args.wefe_permutations
    print(f"WEFE WEAT {args.test}, {args.wefe_permutations:,} permutations: "
          f"{wefe['weat_p_s']:.2f} s (p = {wefe['weat_p_value']:.5f}) -> rnncore with "
          f"{args.permutations:,} is {wefe['weat_p_s'] / weat_s:.0f}x faster in wall time, "
          f"{per_wefe / per_ours:.0f}x per permutation")
    diffs = {}
    for key, t in tests.items():
        mine = weat(embedding, t.x, t.y, t.a, t.b, permutations=1, ddof=0, exact=False)
        diffs[key] = abs(mine.effect_size - wefe["effect_sizes"][key])
    print("WEAT effect sizes, |rnncore (ddof=0) - WEFE| per test: "
          + ", ".join(f"{k} {v:.1e}" for k, v in diffs.items())
          + f"; max {max(diffs.values()):.1e}")
    gap = np.abs(wefe_vectors - np.asarray(ours.vectors)).max(axis=1)
    print(f"hard-debiased vectors, max |rnncore - WEFE| per word: max {gap.max():.2e}, "
          f"{int((gap > 1e-4).sum())} of {len(gap):,} words above 1e-4 "
          f"(same vocabulary order: {wefe['debiased_words']})")
    ratio = wefe_hard / hard_s
    print(f"targets: hard debias <= 0.04 s: {hard_s <= 0.04} ({hard_s:.4f} s); >= 5x WEFE: "
          f"{ratio >= 5} ({ratio:.0f}x); WEAT 100k <= 0.1 s: {weat_s <= 0.1} ({weat_s:.4f} s)")
    if max(diffs.values()) > TOLERANCE or gap.max() > TOLERANCE:
        print(f"FAILED: WEAT effect sizes differ by {max(diffs.values()):.1e}, hard-debiased "
              f"vectors by {gap.max():.1e} (tolerance {TOLERANCE:g})")
        sys.exit(1)


if __name__ == "__main__":
    main()
