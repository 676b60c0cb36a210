"""A two-page app for the timing hook's test: a widget outside a fragment, a slider and a button
inside one, and a second page (``streamlit run tests/e2e/apps/timing_app.py``)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard.components import timing  # noqa: E402

timing.install()


@st.fragment
def inside_part() -> None:
    value = st.slider("Inside", 0, 10, 3, key="inside")
    st.button("Press", key="press")
    st.write(f"inside is {value}")


def first() -> None:
    outside = st.number_input("Outside", 0, 10, 1, key="outside")
    st.write(f"outside is {outside}")
    inside_part()


def second() -> None:
    st.write("the second page")


st.navigation([st.Page(first, title="First", url_path="first", default=True),
               st.Page(second, title="Second", url_path="second")]).run()
