"""Studies: a spec refused with its line and reason; a tiny real study run serially and on a
real local Dask cluster of two worker processes (one killed mid-task), equal seed for seed;
resuming trains nothing new; an interrupted task is rerun; the statistics."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as scipy_stats

from rnncore.cli import main
from rnncore.study.run import run_study
from rnncore.study.spec import SpecError, read_spec
from rnncore.study.stats import (
    benjamini_hochberg,
    gaps_frame,
    shift_table,
    study_report,
    two_way_bootstrap,
)
from rnncore.study.store import StudyFolder, Task
from rnncore.study.task import comparable

TINY = """\
[study]
name = "tiny"
seeds = [0, 1]
models = ["sentiment", "lm"]

[[embeddings]]
name = "w2v"
source = "w2v-news-31k"
limit = 2000

[[methods]]
name = "hsr"

[probes]
groups = ["gender_terms"]

[budget.sentiment]
train_rows = 96
eval_rows = 48
epochs = 1
hidden = 8

[budget.lm]
train_sentences = 96
heldout_sentences = 24
epochs = 1
hidden = 16
"""


def _spec(tmp_path: Path, text: str = TINY, name: str = "tiny.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "expected"), [
    (("seeds = [0, 1]", "seeds = [0, 0]"), "line 3, study.seeds: lists a seed twice"),
    (("limit = 2000", "limit = 'many'"), "line 9, embeddings[0].limit: must be a whole number"),
    (('name = "hsr"', 'name = "hsr"\noptions = { bogus = 1 }'),
     "line 13, methods[0].options: hsr has no option bogus"),
    (("epochs = 1\nhidden = 8", "epochs = 0\nhidden = 8"),
     "line 20, budget.sentiment.epochs: must be between 1"),
    (('models = ["sentiment", "lm"]', 'models = ["sentiment", "gpt"]'),
     "line 4, study.models: 'gpt' is not a model kind"),
    (("[probes]", "[probes]\ncolour = 1"), "line 15, probes.colour: unknown key"),
    (("seeds = [0, 1]", "seeds = [0, 1"), "not valid TOML"),
])
def test_a_malformed_spec_is_refused_with_its_line_and_reason(tmp_path, change, expected):
    path = _spec(tmp_path, TINY.replace(*change))
    with pytest.raises(SpecError) as caught:
        read_spec(path)
    message = str(caught.value)
    assert message.startswith(str(path.resolve())), message
    assert expected in message, message
    if expected == "not valid TOML":
        assert "line 4" in message  # tomllib's position of the unclosed list


def test_the_cli_refuses_a_bad_spec_and_ray_without_a_traceback(tmp_path, capsys):
    path = _spec(tmp_path, TINY.replace('source = "w2v-news-31k"', 'source = "nowhere.bin"'))
    assert main(["study", "run", str(path), "--json"]) == 2
    error = json.loads(capsys.readouterr().err)
    assert "line 8, embeddings[0].source" in error["error"]
    assert main(["study", "run", str(path), "--executor", "ray"]) == 2
    assert "chosen by measurement" in capsys.readouterr().err
    assert main(["study", "run", str(path), "--executor", "ray", "--json"]) == 2
    assert "not available" in json.loads(capsys.readouterr().err)["error"]


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> tuple[Path, Path]:
    """The tiny study run in this process: (spec, folder)."""
    root = tmp_path_factory.mktemp("study")
    spec = _spec(root)
    summary = run_study(read_spec(spec), root / "serial", "serial")
    assert (summary.trained, summary.skipped, summary.failed) == (8, 0, [])
    return spec, root / "serial"


def _records(folder: Path) -> dict[str, dict]:
    return {r["key"]: r for r in StudyFolder(folder).all_records()}


@pytest.mark.slow
def test_a_dask_cluster_with_a_killed_worker_gives_the_serial_records(serial, tmp_path):
    spec, serial_folder = serial
    folder = tmp_path / "dask"
    store = StudyFolder(folder)
    outcome: dict = {}
    run = threading.Thread(target=lambda: outcome.update(summary=run_study(
        read_spec(spec), folder, "dask", workers=2)), daemon=True)
    run.start()
    victim, before = None, {}
    deadline = time.monotonic() + 600
    while victim is None and run.is_alive() and time.monotonic() < deadline:
        done = {p.stem for p in store.records.glob("*.json")} if store.records.is_dir() else set()
        for marker in (store.running.glob("*.json") if done else []):
            if marker.stem not in done:
                try:
                    victim = (marker.stem, json.loads(marker.read_text())["pid"])
                except (FileNotFoundError, ValueError):
                    continue
                before = {p.stem: (p.stat().st_mtime_ns, p.read_bytes())
                          for p in store.records.glob("*.json")}
                os.kill(victim[1], signal.SIGKILL)  # a Dask worker process, mid-task
                break
        time.sleep(0.005)
    run.join(900)
    assert victim is not None, "no task was seen running"
    summary = outcome["summary"]
    assert summary.failed == [] and summary.trained == 8
    records = _records(folder)
    expected = _records(serial_folder)
    assert set(records) == set(expected)
    for key in expected:  # seed for seed, bit for bit
        assert comparable(records[key]) == comparable(expected[key]), key
    assert records[victim[0]]["worker"]["pid"] != victim[1]  # the killed task ran again
    for key, (mtime, content) in before.items():  # finished records were kept as they were
        path = store.records / f"{key}.json"
        assert (path.stat().st_mtime_ns, path.read_bytes()) == (mtime, content)
    assert StudyFolder(folder).status()["done"] == 8


def test_a_second_run_trains_nothing_and_an_interrupted_task_reruns(serial, capsys):
    spec, folder = serial
    store = StudyFolder(folder)
    stamps = {p.name: p.stat().st_mtime_ns for p in store.records.glob("*.json")}
    assert main(["study", "run", str(spec), "--folder", str(folder), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["trained"], summary["skipped"]) == (0, 8)
    assert {p.name: p.stat().st_mtime_ns for p in store.records.glob("*.json")} == stamps

    task = Task("w2v", "hsr", "sentiment", 1)
    old = store.read_record(task)
    store.record_path(task).unlink()  # its worker died: a marker of a dead process remains
    store.running.mkdir(exist_ok=True)
    (store.running / f"{task.key}.json").write_text(json.dumps(
        {"host": os.uname().nodename, "pid": 2**22 + 1, "started": time.time()}))
    status = store.status()
    assert (status["done"], status["interrupted"]) == (7, 1)
    assert main(["study", "status", str(folder)]) == 0
    assert "interrupted" in capsys.readouterr().out
    again = run_study(read_spec(spec), folder, "serial")
    assert (again.trained, again.skipped) == (1, 7)
    assert comparable(store.read_record(task)) == comparable(old)
    assert store.status()["interrupted"] == 0


def test_report_shifts_are_the_paired_differences_of_the_records(serial, tmp_path, capsys):
    _, folder = serial
    records = StudyFolder(folder).all_records()
    gaps = gaps_frame(records)
    table = shift_table(gaps, n_boot=500)
    assert len(table) == 3  # gender_terms (sentiment) + she/he, her/his (LM)
    for row in table.itertuples():
        pick = gaps[(gaps["model"] == row.model) & (gaps["group"] == row.group)]
        deb = pick[pick["method"] == "hsr"].set_index(["seed", "template"])["gap"]
        org = pick[pick["method"] == "none"].set_index(["seed", "template"])["gap"]
        assert row.shift == pytest.approx(float((deb - org).mean()), abs=1e-12)
        assert row.ci_low <= row.shift <= row.ci_high
        assert row.seeds == 2 and row.templates == len(deb) // 2
    out = tmp_path / "shifts.csv"
    assert main(["study", "report", str(folder), "--out-csv", str(out), "--bootstrap",
                 "300", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["status"]["done"] == 8 and len(report["shifts"]) == 3
    assert "Benjamini-Hochberg" in " ".join(report["notes"])
    assert out.read_text().splitlines()[0].startswith("embedding,method,model,group")
    assert study_report(str(folder), n_boot=300).quality["seeds"].eq(2).all()


def test_benjamini_hochberg_and_the_two_way_bootstrap():
    p = np.array([0.001, 0.04, 0.03, 0.5, np.nan, 0.2])
    q = benjamini_hochberg(p)
    ok = np.isfinite(p)
    assert np.allclose(q[ok], scipy_stats.false_discovery_control(p[ok], method="bh"))
    assert np.isnan(q[~ok]).all()
    rng = np.random.default_rng(0)
    assert np.allclose(two_way_bootstrap(np.full((3, 4), 0.25), 50, rng), 0.25)
    d = rng.normal(size=(30, 20)) + np.arange(20) * 0.1  # templates differ, seeds are noise
    boots = two_way_bootstrap(d, 4000, rng)
    assert abs(boots.mean() - d.mean()) < 0.02
    seeds_only = np.std([d[rng.integers(0, 30, 30)].mean() for _ in range(2000)])
    assert boots.std() > seeds_only  # resampling templates widens the interval
