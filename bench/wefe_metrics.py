"""Bench: WEAT, RND, RNSB, MAC, ECT and RIPA of rnncore against WEFE 1.0.1 (in its own venv,
bench/setup_wefe_venv.sh) on the same vectors and the same word sets, in one run.

    ~/.cache/biaslab/venv/bin/python bench/wefe_metrics.py [--lists wefe] [--repeat 5] [--seeds 10]
        [--write-reference] [--skip-wefe]

Every built-in WEAT test (WEFE's lists by default) is one query; each metric scores the
sub-queries that fit its template (RND, ECT, RIPA: "X and Y wrt A", "X and Y wrt B"). RNSB runs
once per seed (WEFE with ``random_state=seed``). Both sides are timed the same way, in
``--repeat`` interleaved rounds (every run of ours once, then WEFE's side once with every run
once); each run's time is its median over the rounds. Prints, per metric, the largest
|ours - WEFE|, the median time of each side per query and the ratio, then WEAT 3, 9 and
10's effect sizes
with both list sources, the ranking of w2v-news-31k and its hard-debiased copy beside WEFE's
(``run_queries`` with ``abs_avg`` + ``create_ranking``), and RNSB's spread over the seeds.

Exit status: 1 when a metric differs from WEFE's by more than 1e-5, 2 when WEFE's venv is
missing (0 with ``--skip-wefe``: our side only). ``--write-reference`` stores WEFE's numbers in
tests/data/wefe_reference.json, which the unit tests compare with (no WEFE needed there).
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

from bench._reference import finite_or_none, update_reference  # noqa: E402
from rnncore.assets import ensure_built  # noqa: E402
from rnncore.bias import wordsets  # noqa: E402
from rnncore.bias.query import Query  # noqa: E402
from rnncore.bias.ranking import rank_embeddings, score_embeddings  # noqa: E402
from rnncore.bias.scores import (  # noqa: E402
    METRICS,
    NAMES,
    NO_BIAS,
    fitting_queries,
    score,
    weat_query,
)
from rnncore.debias import HardDebias  # noqa: E402
from rnncore.embeddings import load_builtin  # noqa: E402

WEFE_VENV = Path(os.environ.get("WEFE_VENV", Path.home() / ".cache/biaslab/wefe-venv"))
TOLERANCE = 1e-5
RANKED = ("weat", "rnd", "rnsb", "mac", "ect")  # WEFE's RIPA fails on WEAT 2 (see above)


def timed(func, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", choices=tuple(wordsets.LIST_SOURCES), default="wefe")
    parser.add_argument("--repeat", type=int, default=5,
                        help="interleaved rounds per timing (median)")
    parser.add_argument("--seeds", type=int, default=10, help="RNSB seeds 0..N-1")
    parser.add_argument("--write-reference", action="store_true",
                        help="store WEFE's numbers in tests/data/wefe_reference.json")
    parser.add_argument("--skip-wefe", action="store_true",
                        help="exit 0 when WEFE's venv is missing (our side only)")
    args = parser.parse_args()

    embedding = load_builtin("w2v-news-31k")
    np.asarray(embedding.vectors).sum()  # page the memory-mapped vectors in before timing
    tests = wordsets.weat_tests(args.lists)
    runs, ours, calls = [], [], []
    for key, test in tests.items():
        for metric in METRICS:
            for sub in fitting_queries(weat_query(test), metric, prefix=f"{key}: "):
                for seed in (range(args.seeds) if metric == "rnsb" else [0]):
                    calls.append(lambda s=sub, m=metric, sd=seed: score(
                        embedding, s, m, seed=sd)[0])
                    ours.append({"metric": metric, "query": sub.name, "seed": seed,
                                 "times": []})
                    runs.append({"metric": metric, "seed": seed, "query": {
                        "targets": [list(t) for t in sub.targets],
                        "attributes": [list(a) for a in sub.attributes],
                        "target_names": list(sub.target_names),
                        "attribute_names": list(sub.attribute_names)}})

    def our_round() -> None:
        for call, o in zip(calls, ours, strict=True):
            seconds, result = timed(call, 1)
            o.update(value=result.value, effect_size=result.details.get("effect_size_ddof0"))
            o["times"].append(seconds)
            o["seconds"] = statistics.median(o["times"])

    print(f"{len(runs)} runs ({args.lists} lists, {len(tests)} WEAT tests, RNSB x "
          f"{args.seeds} seeds) on w2v-news-31k; timings: median of {args.repeat} interleaved "
          f"rounds; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    our_round()

    python = WEFE_VENV / "bin" / "python"
    if not python.exists():
        for _ in range(args.repeat - 1):
            our_round()
        print(f"WEFE venv missing ({python}); run bench/setup_wefe_venv.sh for the comparison")
        sys.exit(0 if args.skip_wefe else 2)
    built = ensure_built("w2v-news-31k")
    hard = HardDebias().fit(embedding).transform(embedding)
    unique = {key: Query.build({f"{key}: {test.x_name}": test.x, f"{key}: {test.y_name}": test.y},
                               {f"{key}: {test.a_name}": test.a, f"{key}: {test.b_name}": test.b})
              for key, test in tests.items()}  # unique set names: WEFE merges same-named queries
    with tempfile.TemporaryDirectory() as tmp:
        np.save(Path(tmp) / "hard.npy", np.asarray(hard.vectors))
        job = {"vectors": str(built.vectors_path), "vocab": str(built.vocab_path),
               "runs": runs, "repeat": 1, "ranking": {
                   "models": {"w2v-news-31k": str(built.vectors_path),
                              "w2v-news-31k + hard debias": str(Path(tmp) / "hard.npy")},
                   "metrics": list(RANKED),
                   "queries": [{"targets": [list(t) for t in q.targets],
                                "attributes": [list(a) for a in q.attributes],
                                "target_names": list(q.target_names),
                                "attribute_names": list(q.attribute_names)}
                               for q in unique.values()]}}
        wefe_rounds = []
        for round_no in range(args.repeat):
            if round_no:
                our_round()
                job["ranking"] = None  # WEFE's ranking once, in the last round's file
            Path(tmp, "job.json").write_text(json.dumps(job))
            print(f"round {round_no + 1}: running WEFE in {WEFE_VENV} …", flush=True)
            subprocess.run([str(python), str(ROOT / "bench" / "_wefe_metrics_side.py"),
                            str(Path(tmp) / "job.json"), str(Path(tmp) / "wefe.json")],
                           check=True)
            wefe_rounds.append(json.loads(Path(tmp, "wefe.json").read_text()))
        wefe_all = {"runs": wefe_rounds[-1]["runs"], "ranking": wefe_rounds[0]["ranking"]}
    wefe = wefe_all["runs"]
    for i, w in enumerate(wefe):
        if "error" not in w:
            w["seconds"] = statistics.median(r["runs"][i]["seconds"] for r in wefe_rounds)
    if args.write_reference:
        update_reference(f"metrics ({args.lists} lists)", {
            "embedding": {"name": embedding.name, "sha256": embedding.sha256},
            "lists": args.lists, "seeds": args.seeds,
            "runs": [{"metric": o["metric"], "query": o["query"], "seed": o["seed"],
                      **({"error": w["error"]} if "error" in w else {
                          "value": finite_or_none(w["result"]),
                          **({"effect_size": finite_or_none(w["effect_size"])}
                             if o["metric"] == "weat" else {})})}
                     for o, w in zip(ours, wefe, strict=True)]})
    above = []

    print(f"\n{'metric':7} {'runs':>5} {'max |ours - WEFE|':>18} {'ours s/query':>13} "
          f"{'WEFE s/query':>13} {'WEFE/ours':>10}")
    for metric in METRICS:
        pairs = [(o, w) for o, w in zip(ours, wefe, strict=True) if o["metric"] == metric]
        failed = [(o, w) for o, w in pairs if "error" in w]
        both = [(o, w) for o, w in pairs if "error" not in w]
        gaps = [abs(o["value"] - w["result"]) for o, w in both
                if not (np.isnan(o["value"]) and np.isnan(w["result"]))]
        t_ours = statistics.median(o["seconds"] for o, _ in both)
        t_wefe = statistics.median(w["seconds"] for _, w in both)
        print(f"{NAMES[metric]:7} {len(both):5d} {max(gaps):18.2e} {t_ours:13.6f} "
              f"{t_wefe:13.6f} {t_wefe / t_ours:9.1f}x"
              + ("" if max(gaps) <= TOLERANCE else "  ABOVE 1e-5"))
        if max(gaps) > TOLERANCE:
            above.append(metric)
        for o, w in failed:
            print(f"        WEFE fails on {o['query']!r}: {w['error'][:90]} "
                  f"(ours: {o['value']:.6f})")
        nan = [o["query"] for o, w in both if np.isnan(o["value"]) and np.isnan(w["result"])]
        if nan:
            print(f"        both NaN (a set lost > 20 % of its words): {', '.join(nan)}")

    print(f"\nWEAT effect sizes (population sd, as WEFE): ours / WEFE, both with the "
          f"{args.lists} lists / ours with the paper's lists")
    paper = wordsets.weat_tests("paper")
    weat_rows = {o["query"].split(":")[0]: (o, w) for o, w in zip(ours, wefe, strict=True)
                 if o["metric"] == "weat"}
    for key in ("weat3", "weat9", "weat10"):
        o, w = weat_rows[key]
        mine = score(embedding, weat_query(paper[key]), "weat")[0].details["effect_size_ddof0"]
        by_reason: dict[str, list[str]] = {}
        for r in wordsets.dropped_words(paper[key], embedding):
            word = r["word"] + (f" -> {r['correction']}" if r["correction"] else "")
            by_reason.setdefault(r["reason"], []).append(word)
        dropped = "; ".join(f"{reason}: {', '.join(words) if len(words) < 6 else len(words)}"
                            for reason, words in by_reason.items())
        print(f"  {key}: {o['effect_size']:.4f} / {w['effect_size']:.4f} / {mine:.4f}"
              f"  (paper's list leaves out: {dropped or 'nothing'})")

    print("\nRanking of w2v-news-31k and its hard-debiased copy over the ten tests "
          "(per metric: mean |score - no-bias value| over the queries; WEFE: mean |score|):")
    ours_scores = score_embeddings({"w2v-news-31k": embedding,
                                    "w2v-news-31k + hard debias": hard}, unique, RANKED)
    table = rank_embeddings(ours_scores).set_index("embedding")
    theirs = wefe_all["ranking"]
    for metric in RANKED:
        rows = ours_scores[ours_scores["metric"] == metric]
        plain = rows["value"].abs().groupby(rows["embedding"]).mean()  # WEFE's abs_avg
        for name in table.index:
            w_score = theirs["scores"][metric][name]
            mine = table.loc[name, f"{NAMES[metric]} bias"]
            print(f"  {NAMES[metric]:5} {name:28} ours {mine:.6f}"
                  f" (rank {table.loc[name, f'{NAMES[metric]} rank']})"
                  + (f", mean |score| {plain[name]:.6f}" if NO_BIAS[metric] else "")
                  + f"; WEFE {w_score:.6f} (rank {theirs['ranks'][metric][name]:.0f})"
                  + f"; |ours - WEFE| {abs(plain[name] - w_score):.1e}")
    print("  overall: " + ", ".join(f"{name} {row['overall rank']} (rank sum {row['rank sum']})"
                                    for name, row in table.iterrows()))

    print(f"\nRNSB over seeds 0-{args.seeds - 1} (ours; WEFE gives the same per seed):")
    for key in tests:
        values = [o["value"] for o in ours if o["metric"] == "rnsb"
                  and o["query"].startswith(f"{key}: ")]
        print(f"  {key}: mean {np.mean(values):.5f}, sd {np.std(values, ddof=1):.5f}, "
              f"min {min(values):.5f}, max {max(values):.5f}")
    if above:
        print(f"\nFAILED: {', '.join(NAMES[m] for m in above)} differ from WEFE by more than "
              f"{TOLERANCE:g}")
        sys.exit(1)


if __name__ == "__main__":
    main()
