"""AppTest helpers: run the real app (navigation + sidebar) and switch to a page."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    st.cache_data.clear()
    yield


def open_page(page: str | None = None, timeout: float = 60) -> AppTest:
    """Run the app and switch to the page file ``page`` of dashboard/views (``"distances.py"``)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"views/{page}")
        at.run()
    return at
