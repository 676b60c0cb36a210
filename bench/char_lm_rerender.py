"""How fast the Character LM page answers a temperature change (not a test: prints figures).

Prints the CPU (model, vector extensions, the kernels torch picked), then times full page
reruns (AppTest: the page's script as the server runs it, without the browser) after a
temperature change with 250 characters: on the Hamlet class model (``--budget quick``: a
1 x 32 LSTM; ``--budget full``: the default model of this CPU kind, e.g. four 1x256 LSTMs + a
6-gram on an AVX2 CPU; trained first in this process into a temporary class folder unless
``RNNCORE_CLASS_HOME`` already holds it, with the seconds it took) at temperatures not seen
before, then the same ones in a second session
(the class model's texts are shared by every session); then on the page's default model (four
1x384 LSTMs + a 6-gram) trained through the page for ``--seconds``: temperatures not seen
before (generation) and again (the per-session cache). ``--training`` times new temperatures
once more while a student's training of the default model runs in the background (a ``Job``,
as the page starts it). Then, in the library, the time per generated character of that model:
fused (``rnncore.models.char_lm_fused``, what the page uses) and its members called one by one,
with the same seed, and whether both give the same text. Wall seconds: print the load beside
them (it is in the output).

An AVX2-only CPU (the goal's: <= 0.3 s on 2 cores) is emulated for torch with
``ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2``. ``--before DIR`` runs the page part again
in a subprocess on another checkout (e.g. ``git worktree add /tmp/charlm-main main``) and
prints the before/after ratio.

    PY=~/.cache/biaslab/venv/bin/python
    $PY bench/char_lm_rerender.py [--budget quick|full] [--seconds 5] [--training]
                                  [--app dashboard/app.py] [--before DIR]
    ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 \
        $PY bench/char_lm_rerender.py --budget full --training
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
CHARACTERS = 250
NEW = (0.5, 0.9, 1.3, 0.6, 1.1)  # temperatures timed; DURING: new ones while a training runs
DURING = (0.35, 0.75, 1.45, 0.65, 1.15)


def cpu_features() -> dict:
    """The CPU, the vector extensions it has and the kernels torch picked (which
    ``ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2`` lowers to an AVX2-only CPU's)."""
    import torch

    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines()
                  if line.startswith("model name")), platform.processor())
    flags = set(next((line.split(":", 1)[1].split() for line in info.splitlines()
                      if line.startswith("flags")), []))
    return {"model": model, "cores": len(os.sched_getaffinity(0)),
            "features": [f for f in ("avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16")
                         if f in flags],
            "torch_kernels": torch.backends.cpu.get_cpu_capability(),
            "emulation": {k: os.environ[k] for k in ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA")
                          if k in os.environ}}


def char_lm_session(app: str) -> AppTest:
    """A new session on the Character LM page (the class model shown), 250 characters."""
    at = AppTest.from_file(app, default_timeout=600)
    at.run()
    at.switch_page("views/char_lm.py").run()
    if not any(w.key == "gen_len" for w in at.number_input):
        raise RuntimeError("the Character LM page shows no class model (prepare_class_models "
                           "first)")
    at.number_input(key="gen_len").set_value(CHARACTERS).run()
    return at


def prepare_class_models() -> dict:
    """Train the Character LM page's class models (this budget) unless stored: seconds each."""
    from rnncore import class_models as cm

    took = {}
    for name in cm.CHAR_LM:
        start = time.perf_counter()
        meta = cm.prepare(name)
        took[name] = {"seconds": round(time.perf_counter() - start, 1),
                      "val_bits_per_char": round(meta.get("val_bits_per_char", float("nan")), 4)}
    return {"budget": cm.budget(), "prepared": took}


def rerun_seconds(at: AppTest, temperatures: tuple[float, ...]) -> dict:
    """Median and max wall seconds of a full page rerun after setting each temperature, and
    the median CPU seconds of this process over it (every thread: a training's too)."""
    times, cpu = [], []
    for temperature in temperatures:
        start, cpu_start = time.perf_counter(), sum(os.times()[:2])
        at.slider(key="gen_temp").set_value(temperature).run()
        times.append(time.perf_counter() - start)
        cpu.append(sum(os.times()[:2]) - cpu_start)
    assert not at.exception, at.exception
    return {"median": round(statistics.median(times), 3), "max": round(max(times), 3),
            "process_cpu_median": round(statistics.median(cpu), 3)}


def background_training():
    """A student's training of the default model for up to 10 minutes (a queued Job, as the
    page starts it); stop it with ``.stop()``."""
    from rnncore.corpora import text as corpora
    from rnncore.models.char_lm import CharLMConfig
    from rnncore.train import Job
    from rnncore.train.char_lm import TrainSettings, char_lm_task

    task = char_lm_task(corpora.load_corpus("hamlet").text, CharLMConfig(vocab_size=1),
                        TrainSettings(seconds=600))
    job = Job(task, name="bench-training").start()
    while job.latest is None and not job.done:  # until it trains (past its set-up)
        time.sleep(0.2)
    return job


def page_figures(app: str, seconds: int, training: bool = False) -> tuple[dict, object]:
    """Reruns after temperature changes on the class model (a new temperature, then the same
    ones in a second session), then on a model trained through the page (new, seen); with
    ``training``, new temperatures again while a student's training runs. (figures, job)"""
    figures: dict = {"app": app, "characters": CHARACTERS, "class_models": prepare_class_models()}
    at = char_lm_session(app)
    figures["class_model_new_temperature_s"] = rerun_seconds(at, NEW)
    # AppTest gives every session the same id: the second one is kept until the end, as its
    # clean-up would release the shared session-scoped jobs (the first session's training too)
    second = char_lm_session(app)
    figures["class_model_second_session_s"] = rerun_seconds(second, NEW)
    at.number_input(key="charlm_seconds").set_value(seconds)
    next(b for b in at.button if b.label == "Use these settings").click().run()
    at.button(key="char_lm_job-start").click().run()
    job = at.session_state["char_lm_job"]
    job.wait()
    at.run()
    if job.result is None:  # reported, not hidden: the class-model figures above still stand
        figures["own_model"] = (f"the page's training ended without a model (error "
                                f"{job.error!r}, started {job.started_at is not None})")
        return figures, None
    figures["members"] = len(job.result.model.members)
    figures["own_model_new_temperature_s"] = rerun_seconds(at, NEW)
    figures["own_model_seen_temperature_s"] = rerun_seconds(at, NEW[:3])
    if training:
        other = background_training()
        try:
            figures["while_training"] = {
                "own_model_new_temperature_s": rerun_seconds(at, DURING),
                "class_model_new_temperature_s": rerun_seconds(char_lm_session(app), DURING),
                "training_steps_during": other.latest.get("step")}
        finally:
            other.stop()
            other.wait()
    return figures, job


def library_figures(model, vocab) -> dict:
    """Milliseconds per generated character, fused and member by member, same seed."""
    import torch

    from rnncore.generate import Decoding, generate_text

    class OneByOne(torch.nn.Module):  # not a CharLM: generation calls each member in turn
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, ids, hidden=None):
            return self.inner(ids, hidden)

    texts, times, cpu = {}, {}, {}
    for name, net in (("one_by_one", OneByOne(model)), ("fused", model)) * 2:
        start, cpu_start = time.perf_counter(), time.thread_time()
        texts[name] = generate_text(net, vocab, "HAMLET\n", CHARACTERS, Decoding(temperature=0.8),
                                    seed=7)
        times.setdefault(name, []).append((time.perf_counter() - start) / CHARACTERS * 1e3)
        cpu.setdefault(name, []).append((time.thread_time() - cpu_start) / CHARACTERS * 1e3)
    return {"ms_per_character": {k: round(min(v), 3) for k, v in times.items()},
            "cpu_ms_per_character": {k: round(min(v), 3) for k, v in cpu.items()},
            "ratio": round(min(times["one_by_one"]) / min(times["fused"]), 2),
            "same_text": texts["fused"] == texts["one_by_one"]}


def before_figures(checkout: Path, seconds: int) -> dict:
    """The page part of this bench on another checkout, in its own process."""
    out = subprocess.run([sys.executable, __file__, "--page-only", "--seconds", str(seconds),
                          "--app", str(checkout / "dashboard" / "app.py")],
                         capture_output=True, text=True, check=True, cwd=checkout)
    return json.loads(out.stdout[out.stdout.index("{"):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", choices=["quick", "full"], default="quick",
                        help="the class models' budget (full: this CPU kind's default model)")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--app", default=str(ROOT / "dashboard" / "app.py"))
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    parser.add_argument("--training", action="store_true",
                        help="also time new temperatures while a student's training runs")
    parser.add_argument("--page-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if os.environ.get("ATEN_CPU_CAPABILITY", "").lower() in ("avx2", "default"):
        # torch.cpu still reports the real CPU's AVX-512 BF16, and training in bf16 then fails
        # in oneDNN ("could not create a primitive descriptor"): answer as an AVX2 CPU would
        sys.path.insert(0, str(Path(args.app).resolve().parents[1]))
        from rnncore.train import precision

        precision.bf16_is_native = lambda: False
    os.environ["BIASLAB_CLASS_BUDGET"] = args.budget
    os.environ.setdefault("RNNCORE_CLASS_HOME", tempfile.mkdtemp(prefix="biaslab-bench-"))
    result: dict = {"cpu": cpu_features()}
    if args.before:  # first, while this process has imported nothing of either checkout
        result["before"] = before_figures(args.before.resolve(), args.seconds)
    load_before = [round(x, 2) for x in os.getloadavg()]
    page, job = page_figures(args.app, args.seconds, args.training)
    result["page"] = page
    if not args.page_only and job is not None:
        result["library"] = library_figures(job.result.model, job.result.vocab)
    if args.before:
        result["new_temperature_speedup"] = {key: round(
            result["before"][key]["median"] / page[key]["median"], 2) for key in
            ("class_model_new_temperature_s", "own_model_new_temperature_s")}
    result["load_average"] = {"before": load_before,
                              "after": [round(x, 2) for x in os.getloadavg()]}
    print(json.dumps(result if not args.page_only else page, indent=2))


if __name__ == "__main__":
    main()
