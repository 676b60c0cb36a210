"""Opt-in server-side timing of every script run: ``BIASLAB_TIMING=/path/file.jsonl``.

With the variable set, each script run of every session (a page open, a widget change, a button,
a fragment rerun) appends one JSON line to the file::

    {"t": 1765130000.1, "session": "3f2a9c1e", "page": "distances", "trigger": "widget",
     "widgets": ["dist_words"], "fragments": [], "wall_s": 0.21, "thread_cpu_s": 0.18,
     "process_cpu_s": 0.2, "bytes": 48210, "messages": 37, "end": "script_stopped_with_success",
     "overlapped": false, "partial": false}

- ``trigger``: ``page_open`` (the session's first run or another page), ``widget`` (the widget
  keys whose value changed or that were pressed are in ``widgets``), ``fragment`` (a rerun of the
  fragments in ``fragments``, by function name; ``widgets`` says which widget in it changed),
  ``auto_refresh`` (a fragment's ``run_every`` timer) or ``rerun`` (none of these: the browser
  asked again, or the run that follows one interrupted by a newer request; the interrupted one
  ends with ``"end": "script_stopped_for_rerun"``).
- ``wall_s``: the whole run as the server did it, widget callbacks and Streamlit's post-run
  garbage collection included. ``thread_cpu_s``: CPU time of the script thread alone (this
  session's Python work; not what torch/BLAS worker threads or the web server's thread did for
  it). ``process_cpu_s``: utime + stime of the whole server process over the run (every thread:
  exact when this run was the only one and no training ran; ``overlapped`` says whether another
  session's run overlapped it).
- ``bytes``: the serialized size of the ForwardMsgs the run enqueued for the browser
  (``ForwardMsg.ByteSize()``; a message the browser has cached counts as the reference sent).
- ``partial``: the run that installed the hook (the server's first), measured from that point.

The hook wraps ``ScriptRunner._run_script`` (every run, full or fragment, ends there) and listens
to the runner's ``on_event`` signal for the messages. Both are Streamlit internals (checked for
1.67): ``install`` raises if they changed, so a Streamlit upgrade fails the timing test instead
of silently recording nothing. Off (the variable unset) it costs one environment lookup a run.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.runtime.scriptrunner import ScriptRunner, ScriptRunnerEvent, get_script_run_ctx

ENV = "BIASLAB_TIMING"
_ID_PREFIX = "$$ID-"  # a widget id is "$$ID-<hash>-<user key>" (elements.lib.utils)
_TRIGGERS = {"trigger_value", "string_trigger_value", "json_trigger_value", "chat_input_value"}
_FINISHED = {ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS,
             ScriptRunnerEvent.SCRIPT_STOPPED_FOR_RERUN,
             ScriptRunnerEvent.SCRIPT_STOPPED_WITH_COMPILE_ERROR,
             ScriptRunnerEvent.FRAGMENT_STOPPED_WITH_SUCCESS}
_lock = threading.Lock()
_active: set[_Run] = set()
_RUN_ATTR = "_biaslab_timing_run"  # the runner's run in progress


def install() -> None:
    """Start recording (once per server) when ``BIASLAB_TIMING`` names a file; else nothing."""
    path = os.environ.get(ENV)
    if not path or getattr(ScriptRunner._run_script, "_biaslab_timing", None) == path:
        return
    _check_streamlit()
    original = getattr(ScriptRunner._run_script, "__wrapped__", ScriptRunner._run_script)

    @functools.wraps(original)
    def timed_run_script(self: ScriptRunner, rerun_data) -> None:
        _Run.begin(self, rerun_data, Path(path))
        try:
            original(self, rerun_data)
        finally:
            if (run := getattr(self, _RUN_ATTR, None)) is not None:
                run.finish()

    timed_run_script._biaslab_timing = path
    ScriptRunner._run_script = timed_run_script
    ctx = get_script_run_ctx()
    runner = getattr(getattr(ctx, "_enqueue", None), "__self__", None)
    if isinstance(runner, ScriptRunner) and getattr(runner, _RUN_ATTR, None) is None:
        _Run.begin(runner, None, Path(path), partial=True)  # this run: ends on its event


def _check_streamlit() -> None:
    """Raise when the Streamlit internals the hook relies on are not as in 1.67."""
    problems = []
    params = list(inspect.signature(ScriptRunner._run_script).parameters)
    if params != ["self", "rerun_data"]:
        problems.append(f"ScriptRunner._run_script{tuple(params)}")
    if not hasattr(ScriptRunnerEvent, "ENQUEUE_FORWARD_MSG"):
        problems.append("ScriptRunnerEvent.ENQUEUE_FORWARD_MSG")
    ctx = get_script_run_ctx()
    if ctx is None or not all(hasattr(ctx, name) for name in
                              ("_enqueue", "pages_manager", "session_state", "fragment_storage")):
        problems.append("ScriptRunContext fields")
    if problems:
        raise RuntimeError(f"{ENV}: this Streamlit changed what the timing hook uses "
                           f"({', '.join(problems)}); update dashboard/components/timing.py")


def _on_event(sender, event=None, forward_msg=None, **_kwargs) -> None:
    """The runner's signal: count each message's bytes; a partial run ends on its finish."""
    run = getattr(sender, _RUN_ATTR, None)
    if run is None:
        return
    if event is ScriptRunnerEvent.ENQUEUE_FORWARD_MSG and forward_msg is not None:
        run.bytes += forward_msg.ByteSize()
        run.messages += 1
    elif event in _FINISHED:
        run.end = event.name.lower()
        if run.partial or event is ScriptRunnerEvent.SCRIPT_STOPPED_FOR_RERUN:
            run.finish()
        if event is ScriptRunnerEvent.SCRIPT_STOPPED_FOR_RERUN:  # the runner goes on at once
            _Run.begin(sender, None, run.path, run.partial, trigger="rerun")


@dataclass(eq=False)
class _Run:
    """One script run being measured."""

    runner: ScriptRunner
    path: Path
    partial: bool
    page_before: str
    trigger: str
    widgets: list[str]
    fragments: list[str]
    started: float = field(default_factory=time.perf_counter)
    thread_cpu: float = field(default_factory=time.thread_time)
    process_cpu: float = field(default_factory=lambda: sum(os.times()[:2]))
    bytes: int = 0
    messages: int = 0
    end: str = ""
    overlapped: bool = False

    @classmethod
    def begin(cls, runner: ScriptRunner, rerun_data, path: Path, partial: bool = False,
              trigger: str = "page_open") -> _Run:
        """Start measuring ``runner``'s run of ``rerun_data`` (None: a run already under way,
        e.g. the one after an interrupted run, whose request the hook did not see)."""
        ctx = get_script_run_ctx()
        fragments = list(rerun_data.fragment_id_queue) if rerun_data is not None else []
        if rerun_data is not None:
            trigger = ("auto_refresh" if rerun_data.is_auto_rerun else
                       "fragment" if fragments else "widget")
        run = cls(runner, path, partial, ctx.page_script_hash, trigger,
                  _changed_widgets(ctx, rerun_data),
                  [_fragment_name(ctx, fragment_id) for fragment_id in fragments])
        setattr(runner, _RUN_ATTR, run)
        runner.on_event.connect(_on_event, weak=False)  # once per runner (same receiver)
        with _lock:
            _active.add(run)
            if len(_active) > 1:
                for other in _active:
                    other.overlapped = True
        return run

    def finish(self) -> None:
        """Write this run's line (in the script thread, after the run)."""
        wall = time.perf_counter() - self.started
        thread_cpu = time.thread_time() - self.thread_cpu
        process_cpu = sum(os.times()[:2]) - self.process_cpu
        setattr(self.runner, _RUN_ATTR, None)
        ctx = get_script_run_ctx()
        page = ctx.page_script_hash if ctx is not None else ""
        trigger = self.trigger
        if page != self.page_before:
            trigger = "page_open"
        elif trigger == "widget" and not self.widgets:
            trigger = "rerun"
        record = {"t": round(time.time() - wall, 3), "session": self.runner._session_id[:8],
                  "page": _page_name(ctx, page), "trigger": trigger, "widgets": self.widgets,
                  "fragments": self.fragments, "wall_s": round(wall, 4),
                  "thread_cpu_s": round(thread_cpu, 4), "process_cpu_s": round(process_cpu, 4),
                  "bytes": self.bytes, "messages": self.messages, "end": self.end,
                  "overlapped": self.overlapped, "partial": self.partial}
        with _lock:
            _active.discard(self)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record) + "\n")


def _changed_widgets(ctx, rerun_data) -> list[str]:
    """User keys of the widgets whose value in ``rerun_data`` differs from the session's (the
    state after the previous run) or that were triggered (a button press)."""
    if rerun_data is None or rerun_data.widget_states is None:
        return []
    before = {w.id: _value(w) for w in ctx.session_state.get_widget_states()}
    changed = []
    for state in rerun_data.widget_states.widgets:
        kind = state.WhichOneof("value")
        if kind in _TRIGGERS:
            pressed = state.trigger_value if kind == "trigger_value" else True
        else:
            pressed = before.get(state.id) != _value(state)
        if pressed:
            changed.append(_widget_key(state.id))
    return changed


def _value(state) -> object:
    """A widget state's value, comparable across the browser's and the server's encodings (a
    number input's 4 is an ``int_value`` from the browser, a ``double_value`` 4.0 here)."""
    kind = state.WhichOneof("value")
    value = getattr(state, kind) if kind else None
    if kind in ("int_value", "double_value"):
        return float(value)
    if kind in ("int_array_value", "double_array_value"):
        return tuple(float(x) for x in value.data)
    return value.SerializeToString() if hasattr(value, "SerializeToString") else value


def _widget_key(widget_id: str) -> str:
    """The key a page gave the widget (``(no key)`` when it gave none)."""
    if not widget_id.startswith(_ID_PREFIX):
        return widget_id
    key = widget_id[len(_ID_PREFIX):].split("-", 1)[-1]
    return "(no key)" if key == "None" else key


def _fragment_name(ctx, fragment_id: str) -> str:
    """The function name of a stored fragment (its wrapper's closure holds the function)."""
    try:
        wrapper = ctx.fragment_storage.lookup(fragment_id)
    except Exception:  # removed meanwhile: Streamlit skips it too
        return fragment_id
    cells = dict(zip(wrapper.__code__.co_freevars, wrapper.__closure__ or (), strict=False))
    func = cells.get("non_optional_func")
    if func is None:
        raise RuntimeError(f"{ENV}: this Streamlit stores fragments differently; update "
                           "dashboard/components/timing.py")
    return func.cell_contents.__qualname__


def _page_name(ctx, page_hash: str) -> str:
    """The page's URL path (``""`` for the default page)."""
    info = ctx.pages_manager.get_pages().get(page_hash) if ctx is not None else None
    return (info or {}).get("url_pathname", "") or ""
