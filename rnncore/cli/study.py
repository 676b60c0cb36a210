"""The ``study`` verb: run a bias-shift study (resumable) and read its status and report."""

from __future__ import annotations

import argparse
import sys

from rnncore.cli.common import add_verb, emit, positive_float, positive_int

VERBS = ("study",)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run(args: argparse.Namespace) -> int:
    from rnncore.study.executors import RAY_NOT_CHOSEN
    from rnncore.study.run import run_study
    from rnncore.study.spec import read_spec

    if args.executor == "ray":  # before reading anything: say why at once
        raise ValueError(RAY_NOT_CHOSEN)
    spec = read_spec(args.spec)
    summary = run_study(spec, args.folder, args.executor, args.workers, args.address, _say)
    data = summary.as_dict()
    emit(args, data, lambda: (
        f"study {summary.study} in {summary.folder}: {summary.trained} trained, "
        f"{summary.skipped} done before, {len(summary.failed)} failed, of {summary.tasks} "
        f"tasks ({summary.seconds:.1f} s on {summary.executor})"))
    return 1 if summary.failed else 0


def _status_text(status: dict) -> str:
    lines = [f"study {status['study']} ({status['folder']}): {status['done']}/{status['tasks']} "
             f"done, {status['running']} running, {status['interrupted']} interrupted, "
             f"{status['waiting']} waiting"]
    lines += [f"  running: {r['task']} on {r['host']} (pid {r['pid']}, {r['seconds']:.0f} s)"
              for r in status["now"]]
    lines += [f"  interrupted (its worker died; reruns with the next `study run`): {r['task']}"
              for r in status["interrupted_tasks"]]
    return "\n".join(lines)


def _status(args: argparse.Namespace) -> int:
    from rnncore.study.store import StudyFolder

    status = StudyFolder(args.study).status()
    return emit(args, status, lambda: _status_text(status))


def _report(args: argparse.Namespace) -> int:
    from rnncore.csv_safe import safe_csv
    from rnncore.inputs.base import output_file
    from rnncore.study.stats import study_report

    if args.out_csv:
        output_file(args.out_csv, "CSV table")
    report = study_report(args.study, args.bootstrap, args.width)
    if args.out_csv:
        safe_csv(report.shifts, args.out_csv)

    def text() -> str:
        import pandas as pd

        with pd.option_context("display.width", 160, "display.max_columns", 20,
                               "display.float_format", "{:.4f}".format):
            return "\n\n".join([
                _status_text(report.status),
                "Shift of the probe gap (debiased - original):\n"
                + report.shifts.to_string(index=False),
                "Model quality over seeds:\n" + report.quality.to_string(index=False),
                "\n".join(f"note: {n}" for n in report.notes)])

    return emit(args, report.as_dict(), text)


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``study`` verb with its actions ``run``, ``status`` and ``report``."""
    from rnncore.study.executors import EXECUTORS

    p = add_verb(subparsers, common, "study",
                 "bias-shift studies: seeds x debias methods x embeddings x model kinds",
                 "rnncore study run data/studies/example.toml --executor dask --workers 2",
                 "`study run SPEC` trains every task not yet done (resumable) on a local process "
                 "pool or Dask; `study status STUDY` and `study report STUDY` read a study "
                 "folder. The spec format is in the README (Studies).")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = actions.add_parser("run", parents=[common], help="run (or resume) a study",
                             description="Prepare the inputs and train every task that has "
                             "no record yet.")
    run.add_argument("spec", metavar="SPEC", help="the study spec (TOML)")
    run.add_argument("--executor", choices=EXECUTORS, default="local",
                     help="local: a process pool on this machine (default); dask: a Dask "
                     "cluster (local, or --address); serial: in this process")
    run.add_argument("--address", metavar="ADDR",
                     help="a Dask scheduler, e.g. tcp://scheduler-host:8786 (the study folder "
                     "must be on a filesystem every worker mounts at the same path)")
    run.add_argument("--workers", type=positive_int, metavar="N",
                     help="processes on this machine (default: one per core)")
    run.add_argument("--folder", metavar="DIR",
                     help="the study folder (default: the spec's folder / the study's name)")
    run.set_defaults(handler=_run)
    status = actions.add_parser("status", parents=[common], help="tasks done, running, left")
    status.add_argument("study", metavar="STUDY", help="the study folder")
    status.set_defaults(handler=_status)
    report = actions.add_parser("report", parents=[common],
                                help="shifts with intervals, quality, notes")
    report.add_argument("study", metavar="STUDY", help="the study folder")
    report.add_argument("--out-csv", metavar="FILE", help="write the shift table as CSV")
    report.add_argument("--bootstrap", type=positive_int, default=2000, metavar="N",
                        help="bootstrap resamples (default 2000)")
    report.add_argument("--width", type=positive_float, metavar="W",
                        help="the interval width to plan seeds for (default: half the "
                        "current width)")
    report.set_defaults(handler=_report)
