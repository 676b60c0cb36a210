"""Home: what biaslab does, the loaded embedding's facts, and where to go next."""

import streamlit as st

from dashboard.components import presentation
from dashboard.components.class_models import class_models_panel
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.lesson import start_here
from dashboard.components.safe import show
from dashboard.navigation import SECTIONS, page

st.title("biaslab")
presentation.intro("home")

start_here()

st.subheader("Before the lesson: the class models")
class_models_panel()

embedding = current_embedding()
info = embedding.info()
st.subheader("Loaded embedding")
cols = st.columns(3)
cols[0].metric("Name", info["name"])
cols[1].metric("Words", f"{info['n_words']:,}")
cols[2].metric("Dimensions", info["dim"])
st.caption(f"Source: {show(info['source'])} · sha256 `{info['sha256'][:16]}…`")

st.subheader("Pages")
for section, entries in SECTIONS.items():
    if section in ("Start", "Lessons"):
        continue
    st.markdown(f"**{section}**")
    for file, title, icon in entries:
        st.page_link(page(file), label=title, icon=f":material/{icon}:")
