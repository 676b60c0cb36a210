"""Bias-metric verbs: ``metrics`` (WEAT, RND, RNSB, MAC, ECT, RIPA on a query) and ``rank``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from rnncore.cli.bias import read_words
from rnncore.cli.common import (
    add_verb,
    bounded,
    check_trust,
    embedding_from,
    emit,
    hidden_alias,
    stderr_progress,
)

if TYPE_CHECKING:
    from rnncore.bias.query import Query
    from rnncore.embeddings import Embedding

VERBS = ("metrics", "rank")
# the keys of rnncore.bias.scores.METRICS and wordsets.LIST_SOURCES, spelled out so that
# building the parser imports no library module (a test checks that they agree)
METRIC_CHOICES = ("weat", "rnd", "rnsb", "mac", "ect", "ripa")
LIST_CHOICES = ("paper", "wefe")


def _metric_and_list_options(p: argparse.ArgumentParser) -> None:
    """``--metric`` and ``--lists``, the same on ``metrics`` and ``rank``."""
    p.add_argument("--metric", nargs="+", choices=(*METRIC_CHOICES, "all"), metavar="METRIC",
                   help=f"one or more of {', '.join(METRIC_CHOICES)}, or all (default: all)")
    p.add_argument("--lists", choices=LIST_CHOICES, default="paper",
                   help="word lists of the WEAT tests: the paper's (default) or WEFE's")


def _metric_list(values: list[str] | None) -> list[str]:
    chosen = values or ["all"]
    return list(METRIC_CHOICES) if "all" in chosen else list(dict.fromkeys(chosen))


def _queries(args: argparse.Namespace, embedding: Embedding) -> tuple[dict[str, Query],
                                                                      list[dict]]:
    """The queries asked for and, for built-in tests, the words their lists leave out."""
    from rnncore.bias import wordsets
    from rnncore.bias.query import Query
    from rnncore.bias.scores import weat_query

    if args.target or args.attribute:
        if len(args.target or []) < 2 or not args.attribute:
            raise ValueError("give at least two --target sets and one --attribute set")
        query = Query.build({spec: read_words(spec) for spec in args.target},
                            {spec: read_words(spec) for spec in args.attribute})
        return {"custom": query}, []
    tests = wordsets.weat_tests(args.lists)
    keys = list(tests) if args.test in (None, "all") else [args.test]
    unknown = [k for k in keys if k not in tests]
    if unknown:
        raise KeyError(f"unknown WEAT test {unknown[0]!r}; known: {', '.join(tests)}, all")
    return {k: weat_query(tests[k]) for k in keys}, [{"test": k, **row} for k in keys
                                                     for row in wordsets.dropped_words(
                                                         tests[k], embedding)]


def _metrics(args: argparse.Namespace) -> int:
    from rnncore.bias import wordsets
    from rnncore.bias.scores import NAMES, score_all

    embedding = embedding_from(args)
    metrics = _metric_list(args.metric)
    queries, left_out = _queries(args, embedding)
    custom = "custom" in queries
    seeds = range(args.seeds) if args.seeds > 1 else ()
    results = score_all(embedding, list(queries.values()), metrics, seed=args.seed, seeds=seeds,
                        prefixes=[f"{k}: " for k in queries], lowercase=args.lowercase)
    if results and not any(isinstance(r.value, float) and r.value == r.value for r in results):
        # nothing could be scored: the same exit status 2 as `weat` on the same sets
        why = (results[0].note or "no score").removeprefix("not scored: ")
        raise ValueError(f"nothing could be scored: {why}")
    data = {"embedding": embedding.info(), "metrics": metrics,
            "lists": None if custom else args.lists,
            "list_source": None if custom else wordsets.LIST_SOURCES[args.lists],
            "lowercase": args.lowercase,
            "queries": {k: q.to_dict() for k, q in queries.items()},
            "left_out_words": left_out, "results": [r.to_dict() for r in results]}

    def text() -> str:
        lines = [] if custom else [f"lists: {data['list_source']}"]
        for r in results:
            extra = ""
            if r.spread:
                extra = (f"  (seeds {r.spread['seeds'][0]}-{r.spread['seeds'][-1]}: mean "
                         f"{r.spread['mean']:.6f}, sd {r.spread['sd']:.6f})")
            if r.metric == "rnd" and r.details:
                extra = f"  (summed over A as Garg et al.: {r.details['sum (Garg et al.)']:.6f})"
            if r.metric == "weat" and "effect_size" in r.details:
                extra = (f"  (effect size {r.details['effect_size_ddof0']:.4f} with WEFE's "
                         f"population sd; {r.details['effect_size_ddof1']:.4f} with the sample sd)")
            lines.append(f"{NAMES[r.metric]:<5} {r.value:>10.6f}  {r.query}{extra}"
                         + (f"  [{r.note}]" if r.note else ""))
        for row in left_out:
            fix = f" -> {row['correction']}" if row["correction"] else ""
            lines.append(f"left out of {row['test']} {row['set']}: {row['word']}{fix} "
                         f"({row['reason']})")
        return "\n".join(lines)

    return emit(args, data, text)


def _rank(args: argparse.Namespace) -> int:
    from rnncore.bias.ranking import builtin_queries, rank_embeddings, score_embeddings
    from rnncore.csv_safe import safe_csv
    from rnncore.embeddings import load_embedding
    from rnncore.inputs.base import output_file, write_atomically

    if args.out_csv:
        output_file(args.out_csv, "ranking CSV")  # before any work
    for spec in [*args.embeddings, *(args.hard_debias or [])]:
        check_trust(args, spec)
    embeddings = {spec: load_embedding(spec, progress=stderr_progress)
                  for spec in args.embeddings}
    for spec in args.hard_debias or []:
        from rnncore.debias import HardDebias  # only this option needs the debias layer

        base = embeddings.get(spec) or load_embedding(spec, progress=stderr_progress)
        embeddings[f"{spec} (hard debias)"] = HardDebias().fit(base).transform(base)
    metrics = _metric_list(args.metric)
    scores = score_embeddings(embeddings, builtin_queries(args.lists), metrics, seed=args.seed,
                              lowercase=not args.exact, progress=stderr_progress)
    table = rank_embeddings(scores)
    if args.out_csv:
        write_atomically(args.out_csv, lambda path: safe_csv(table, path), "ranking CSV")
    data = {"embeddings": {k: e.info() for k, e in embeddings.items()}, "metrics": metrics,
            "lists": args.lists, "lowercase": not args.exact,
            "ranking": table.to_dict("records"), "scores": scores.to_dict("records"),
            "csv": args.out_csv}
    return emit(args, data, lambda: table.to_string(index=False, float_format="%.4f"))


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``metrics`` and ``rank`` verbs."""
    p = add_verb(subparsers, common, "metrics",
                 "WEAT, RND, RNSB, MAC, ECT, RIPA on a WEAT test or your sets",
                 "rnncore metrics --test weat7 --metric weat mac --lists wefe",
                 "RNSB is seeded; its spread over --seeds seeds is reported.")
    _metric_and_list_options(p)
    p.add_argument("--test", metavar="NAME", help="weat1 ... weat10 or all (default: all)")
    p.add_argument("--target", action="append", metavar="SET_OR_FILE",
                   help="a target set (built-in name or file); give it twice or more")
    p.add_argument("--attribute", action="append", metavar="SET_OR_FILE",
                   help="an attribute set (built-in name or file); once or more")
    p.add_argument("--seed", type=bounded("seed"), default=0, help="RNSB's split and solver seed")
    p.add_argument("--seeds", type=bounded("metrics.seeds"), default=10,
                   help="also run RNSB with seeds 0..N-1 and report mean and sd (1 = off)")
    p.add_argument("--lowercase", action="store_true",
                   help="try words not found in lower case (e.g. GloVe)")
    p.set_defaults(handler=_metrics)

    p = add_verb(subparsers, common, "rank",
                 "rank embeddings by bias over the WEAT tests, per metric",
                 "rnncore rank --hard-debias w2v-news-31k --out-csv ranking.csv",
                 "Each metric ranks the embeddings by |score|; the overall rank sums the ranks.")
    p.add_argument("--embeddings", nargs="+", default=["w2v-news-31k", "glove-6b-50d"],
                   metavar="NAME_OR_PATH", help="built-in names or files (default: both "
                   "built-ins)")
    p.add_argument("--hard-debias", action="append", metavar="NAME_OR_PATH",
                   help="also rank a hard-debiased copy of this embedding (repeatable)")
    _metric_and_list_options(p)
    p.add_argument("--seed", type=bounded("seed"), default=0, help="RNSB's seed")
    p.add_argument("--exact", action="store_true",
                   help="exact lookups only (default: words not found are tried in lower "
                        "case, so that GloVe's vocabulary finds the names)")
    p.add_argument("--out-csv", metavar="FILE", help="also write the ranking table as CSV")
    hidden_alias(p, "--csv", "out_csv")
    p.set_defaults(handler=_rank)
