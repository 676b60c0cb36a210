"""Studies: open a bias-shift study that the CLI ran (or is running) and read its shifts.

The page never starts a study; it reads a study folder: the shipped example, or a folder under
the one the operator configured (``BIASLAB_STUDIES_DIR``, environment or secrets). Reading is
cached by folder and by the records' change stamp, so a running study's new records appear on
the next reload and an unchanged study is read once.
"""

import os
from pathlib import Path

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard.components import presentation, style
from dashboard.components.downloads import csv_download, plot
from dashboard.components.safe import show
from rnncore.study.stats import study_report
from rnncore.study.store import StudyFolder

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "studies" / "example"
STUDIES_DIR_ENV = "BIASLAB_STUDIES_DIR"
MODEL_TITLES = {"sentiment": "Sentiment RNN: shift of the P(positive) gap",
                "lm": "Word LM: shift of the mean log P(female)/P(male)"}


def server_studies() -> dict[str, Path]:
    """The study folders the page may open: the example and those under the configured folder
    (visitors never type a path)."""
    found = {"example (shipped with biaslab)": EXAMPLE}
    configured = os.environ.get(STUDIES_DIR_ENV)
    if not configured:
        try:
            configured = st.secrets.get(STUDIES_DIR_ENV)
        except (FileNotFoundError, KeyError):
            configured = None
    root = Path(configured) if configured else None
    if root is not None and root.is_dir():
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and not folder.is_symlink() and StudyFolder(folder).exists():
                found[folder.name] = folder
    return found


@st.cache_data(max_entries=16, show_spinner=False)
def read_study(folder: str, stamp: tuple, width: float | None) -> dict:
    """The study's report as plain tables (cached by folder, change stamp and width)."""
    del stamp  # part of the cache key: a new record or marker reads the folder again
    report = study_report(folder, width=width)
    return {"status": report.status, "shifts": report.shifts, "quality": report.quality,
            "notes": report.notes}


def forest_plot(shifts: pd.DataFrame, model: str) -> go.Figure:
    """One dot per embedding x group x method with its interval; 0 = no shift."""
    table = shifts[shifts["model"] == model].copy()
    table["row"] = table["group"] + " · " + table["embedding"]
    table["plus"] = table["ci_high"] - table["shift"]
    table["minus"] = table["shift"] - table["ci_low"]
    fig = px.scatter(table, x="shift", y="row", color="method", error_x="plus",
                     error_x_minus="minus",
                     color_discrete_map=style.colour_map(table["method"]),
                     hover_data={"original": ":.4f", "debiased": ":.4f", "ci_low": ":.4f",
                                 "ci_high": ":.4f", "seeds": True, "q_value": ":.3f",
                                 "plus": False, "minus": False},
                     labels={"shift": "shift (debiased − original)", "row": ""},
                     title=MODEL_TITLES.get(model, model))
    fig.add_vline(x=0, line_color=style.NEUTRAL, line_dash="dot")
    fig.update_layout(scattermode="group", height=140 + 46 * table["row"].nunique())
    fig.update_yaxes(autorange="reversed")
    return style.legend_on_top(fig)


st.title("Studies")
presentation.intro("studies")
studies = server_studies()
choice = st.selectbox("Study", list(studies), key="study_choice",
                      help="The shipped example, or a study folder under the server's "
                      f"{STUDIES_DIR_ENV}.")
folder = studies[choice]
store = StudyFolder(folder)
if not store.exists():
    st.error(f"{show(choice)}: no study found there (no tasks.json).")
    st.stop()

left, right = st.columns([3, 1])
plan = right.number_input("Plan seeds for an interval width of", min_value=0.0, value=0.0,
                          step=0.005, format="%.3f", key="study_width",
                          help="0: plan for an interval half as wide as now.")
right.button("Reload", icon=":material/refresh:", key="study_reload",
             help="Read the folder again (a running study adds records as tasks finish).")
with st.spinner("Reading the study…"):
    data = read_study(str(folder), store.stamp(), plan or None)
status = data["status"]
left.progress(status["done"] / max(status["tasks"], 1),
              text=f"{status['done']} of {status['tasks']} tasks done · {status['running']} "
              f"running · {status['interrupted']} interrupted · {status['waiting']} waiting")
if status["now"] or status["interrupted_tasks"]:
    with left.expander("Tasks in progress"):
        st.dataframe(pd.DataFrame(status["now"] + status["interrupted_tasks"]),
                     hide_index=True)

shifts, quality = data["shifts"], data["quality"]
if shifts.empty:
    st.info("No shift yet: it needs finished tasks on the original vectors and on a debiased "
            "copy at the same seed.")
    st.stop()
models = sorted(set(shifts["model"]), key=lambda m: (m != "sentiment", m))  # sentiment first
model = st.radio("Model", models, horizontal=True, key="study_model",
                 format_func=lambda m: {"sentiment": "Sentiment RNN", "lm": "Word LM"}.get(m, m))
plot(forest_plot(shifts, model), f"study_{status['study']}_{model}_forest")
st.caption("Dots: the mean shift over seeds and templates; bars: 95 % bootstrap intervals "
           "(seeds and templates resampled). A bar that crosses the dotted line at 0 is within "
           "the noise.")

st.subheader("Shifts")
st.dataframe(shifts, hide_index=True, column_config={
    c: st.column_config.NumberColumn(format="%.4f")
    for c in ("original", "debiased", "shift", "ci_low", "ci_high", "seed_sd")})
csv_download(shifts, f"study_{status['study']}_shifts.csv", key="csv-study-shifts")
st.subheader("Model quality over seeds")
st.dataframe(quality, hide_index=True, column_config={
    c: st.column_config.NumberColumn(format="%.4f") for c in ("mean", "sd", "shift")})
csv_download(quality, f"study_{status['study']}_quality.csv", key="csv-study-quality")
with st.expander("How to read the numbers"):
    for note in data["notes"]:
        st.write(note)
