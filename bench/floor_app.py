"""The classroom bench's floor: a bare Streamlit page with one plotly chart, one table and one
slider, timed by the dashboard's hook (``BIASLAB_TIMING``). What any Streamlit page costs the
server, to read the dashboard's figures against (``streamlit run bench/floor_app.py``)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import plotly.express as px  # noqa: E402
import streamlit as st  # noqa: E402

from dashboard.components import timing  # noqa: E402

timing.install()
st.title("Floor")
points = st.slider("Points", 10, 200, 50, key="floor_points")
frame = pd.DataFrame(np.random.default_rng(0).normal(size=(points, 2)), columns=["x", "y"])
st.plotly_chart(px.scatter(frame, x="x", y="y"))
st.dataframe(frame.head(20))
st.caption(f"{points} points")
