"""biaslab dashboard entry point: ``streamlit run dashboard/app.py``."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the repo root
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard.components import presentation, timing  # noqa: E402
from dashboard.components.embedding_picker import embedding_sidebar  # noqa: E402
from dashboard.components.fragments import count_run  # noqa: E402
from dashboard.components.glossary import glossary_link  # noqa: E402
from dashboard.components.links import link_box  # noqa: E402
from dashboard.components.training import track_session  # noqa: E402
from dashboard.navigation import session_pages  # noqa: E402

timing.install()  # BIASLAB_TIMING=/path/file.jsonl: one line per script run (else nothing)
st.set_page_config(page_title="biaslab", page_icon=":material/hub:", layout="wide")
count_run("app")  # a full run (a part of a page that reruns alone does not come here)
navigation = st.navigation(session_pages(), expanded=True)  # every page visible, lessons too
track_session()  # this session's jobs are released (memory handed back) when it disconnects
embedding_sidebar()
glossary_link()
presentation.controls()
try:
    navigation.run()
finally:  # also after st.stop(): the link carries the inputs the page just wrote to the URL
    link_box()
