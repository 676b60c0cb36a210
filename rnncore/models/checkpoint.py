"""Character-LM checkpoints (``.pt``): validated against a schema before any model is built.

A ``.pt`` written by ``torch.save`` is a zip archive whose members are stored uncompressed: a
pickle (``data.pkl``) and one record per tensor. Checks, in order, each before the next step
allocates anything large:

1. the byte size (``max_bytes``) and the zip structure, read with :mod:`zipfile`: at most
   ``MAX_ZIP_MEMBERS`` members, none compressed (so a zip bomb cannot expand), a small pickle;
2. ``torch.load(weights_only=True)``: tensors and plain values only, never arbitrary objects;
3. the schema: ``config`` types and limits (vocabulary, embedding and hidden sizes, layers,
   members, parameters), ``state_dict`` names and shapes equal to those of the configured
   network (computed on torch's ``meta`` device, which allocates nothing), a vocabulary of
   distinct characters as long as the weights' vocabulary, n-gram ids within the vocabulary;
4. only then the model is built and the weights copied in.

Every refusal is an :class:`~rnncore.inputs.InputError` in words a student can act on.
"""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from dataclasses import fields
from pathlib import Path

import torch

from rnncore.inputs.base import InputError, check_size, input_file, quote, size_text
from rnncore.limits import limit
from rnncore.models.char_lm import CELLS, CharLM, CharLMConfig, CharNet, CharVocab

MAX_BYTES = 256 * 10**6
MAX_ZIP_MEMBERS = 512
MAX_PICKLE_BYTES = 10**6
# the sizes a checkpoint may ask for: the same table as the CLI's flags and the page's widgets
MAX_VOCAB = int(limit("char.vocab").high)
MAX_EMBED = int(limit("char.embed").high)
MAX_HIDDEN = int(limit("char.hidden").high)
MAX_LAYERS = int(limit("char.layers").high)
MAX_MEMBERS = int(limit("char.members").high)
MAX_PARAMETERS = 60_000_000
MAX_NGRAM_IDS = 20_000_000
_INTS = ("vocab_size", "embed", "hidden", "layers", "members", "ngram_order")
_FLOATS = ("dropout", "ngram_weight")
_LIMITS = {"vocab_size": MAX_VOCAB, "embed": MAX_EMBED, "hidden": MAX_HIDDEN,
           "layers": MAX_LAYERS, "members": MAX_MEMBERS}
_FIELDS = {f.name for f in fields(CharLMConfig)}


def load_checkpoint(source: str | Path | bytes, name: str | None = None,
                    max_bytes: int = MAX_BYTES) -> tuple[CharLM, CharVocab, dict]:
    """(model in eval mode, vocabulary, extra) from a path or the bytes of an upload.

    ``name`` is the file name used in messages (default: the path, or "the checkpoint").
    """
    if isinstance(source, bytes | bytearray):
        name = name or "the checkpoint"
        check_size(len(source), name, max_bytes, "checkpoint")
        data = bytes(source)
    else:
        path = input_file(source, "checkpoint")
        name = name or str(path)
        check_size(path.stat().st_size, name, max_bytes, "checkpoint")
        data = path.read_bytes()
    _check_archive(data, name)
    raw = _torch_load(data, name)
    config, state, vocab, ngram_ids, extra = _check_schema(raw, name)
    model = CharLM(config)
    model.load_state_dict(state)
    if ngram_ids is not None:
        model.attach_ngram(ngram_ids.numpy())
    model.eval()
    return model, vocab, extra


def _check_archive(data: bytes, name: str) -> None:
    """The zip structure, before torch reads anything."""
    if not data.startswith(b"PK\x03\x04"):
        raise InputError(f"{name} is not a character-LM checkpoint: checkpoints saved by this "
                         "project are zip archives written by torch.save, and this file is not")
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        raise InputError(f"{name} is damaged or incomplete (its zip directory cannot be read); "
                         "download or save the checkpoint again") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise InputError(f"{name} holds {len(members):,} files; a checkpoint holds at most "
                         f"{MAX_ZIP_MEMBERS}")
    packed = [m.filename for m in members if m.compress_type != zipfile.ZIP_STORED]
    if packed:
        raise InputError(f"{name} contains compressed parts ({quote(packed[0])}); torch.save "
                         "never compresses, so this is not a checkpoint saved by this project")
    total = sum(m.file_size for m in members)
    if total > len(data):
        raise InputError(f"{name} claims {size_text(total)} of content in a "
                         f"{size_text(len(data))} file; it is damaged or crafted")
    pickles = [m for m in members if m.filename.endswith("data.pkl")]
    if len(pickles) != 1:
        raise InputError(f"{name} is not a torch checkpoint (expected one data.pkl inside, "
                         f"found {len(pickles)})")
    if pickles[0].file_size > MAX_PICKLE_BYTES:
        raise InputError(f"{name}: its description (data.pkl) is "
                         f"{size_text(pickles[0].file_size)}; at most "
                         f"{size_text(MAX_PICKLE_BYTES)} is accepted")


def _torch_load(data: bytes, name: str) -> object:
    """``torch.load`` with ``weights_only=True``; torch's own advice is not passed on."""
    try:
        with warnings.catch_warnings():  # torch's warnings about odd pickles are not for people
            warnings.simplefilter("ignore")
            return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of a hostile file is one message
        text = str(exc)
        if "weights_only" in text or "Unsupported global" in text or "GLOBAL" in text:
            raise InputError(f"{name} contains Python objects other than tensors, numbers, "
                             "strings, lists and dicts; it is refused because loading them "
                             "could run code on this computer") from None
        raise InputError(f"{name} is damaged or not a checkpoint (torch could not read it: "
                         f"{type(exc).__name__})") from None


def _check_schema(raw: object, name: str):
    """(config, state_dict, vocab, ngram ids or None, extra) once everything agrees."""
    if not isinstance(raw, dict) or not {"state_dict", "config", "vocab"} <= set(raw):
        keys = ", ".join(quote(k) for k in list(raw)[:5]) if isinstance(raw, dict) else \
            type(raw).__name__
        raise InputError(f"{name} is not a character-LM checkpoint: it needs the entries "
                         f"state_dict, config and vocab (found {keys or 'nothing'})")
    state, config = raw["state_dict"], raw["config"]
    if not isinstance(config, dict):
        raise InputError(f"{name}: the config must be a dictionary of settings, not "
                         f"{type(config).__name__}")
    if not isinstance(state, dict) or not all(
            isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in state.items()):
        raise InputError(f"{name}: the weights (state_dict) must map names to tensors")
    config = dict(config)
    if "members" not in config:  # a single network saved before ensembles existed
        config["members"] = 1
        state = {f"members.0.{key}": value for key, value in state.items()}
    config.setdefault("ngram_order", 0)  # saved before the n-gram existed
    config = _check_config(config, name)
    _check_weights(state, config, name)
    vocab = _check_vocab(raw["vocab"], config, name)
    ngram_ids = _check_ngram_ids(raw.get("ngram_ids"), config, name)
    extra = raw.get("extra") or {}
    if not isinstance(extra, dict):
        raise InputError(f"{name}: 'extra' must be a dictionary, not {type(extra).__name__}")
    return config, state, vocab, ngram_ids, extra


def _check_config(config: dict, name: str) -> CharLMConfig:
    unknown = sorted(str(k) for k in config if k not in _FIELDS)
    if unknown:
        raise InputError(f"{name}: unknown setting(s) in the config: "
                         f"{', '.join(quote(k) for k in unknown[:5])}")
    for key in _INTS:
        value = config.get(key)
        if key in config and (isinstance(value, bool) or not isinstance(value, int)):
            raise InputError(f"{name}: config {key} must be a whole number, not "
                             f"{quote(value)}")
    for key in _FLOATS:
        value = config.get(key)
        if key in config and (isinstance(value, bool) or not isinstance(value, int | float)
                              or not math.isfinite(value)):
            raise InputError(f"{name}: config {key} must be a number, not {quote(value)}")
    for key in ("cell", "nonlinearity"):
        if key in config and not isinstance(config[key], str):
            raise InputError(f"{name}: config {key} must be text such as "
                             f"{' / '.join(CELLS) if key == 'cell' else 'tanh'}")
    if "vocab_size" not in config:
        raise InputError(f"{name}: the config does not say the vocabulary size")
    for key, most in _LIMITS.items():
        if key in config and config[key] > most:
            raise InputError(f"{name} asks for {key.replace('_', ' ')} {config[key]:,}; this "
                             f"project loads at most {most:,} (a checkpoint it trained never "
                             "has more)")
    try:
        return CharLMConfig(**config)
    except ValueError as exc:
        raise InputError(f"{name}: invalid config ({exc})") from None


def _check_weights(state: dict, config: CharLMConfig, name: str) -> None:
    """Names and shapes of ``state`` equal those of ``config``'s model (built on ``meta``)."""
    with torch.device("meta"):
        net = CharNet(config)
    shapes = {f"members.{i}.{k}": tuple(v.shape) for i in range(config.members)
              for k, v in net.state_dict().items()}
    n_params = sum(math.prod(s) for s in shapes.values())
    if n_params > MAX_PARAMETERS:
        raise InputError(f"{name} describes a model of {n_params:,} parameters; at most "
                         f"{MAX_PARAMETERS:,} are loaded")
    missing = [k for k in shapes if k not in state]
    extra = [k for k in state if k not in shapes]
    if missing or extra:
        what = (f"missing {', '.join(quote(k) for k in missing[:3])}" if missing else
                f"unexpected {', '.join(quote(k) for k in extra[:3])}")
        raise InputError(f"{name}: the weights do not match the config "
                         f"({config.members} x {config.layers}-layer {config.cell} of hidden "
                         f"size {config.hidden}): {what}")
    for key, shape in shapes.items():
        tensor = state[key]
        if tuple(tensor.shape) != shape:
            raise InputError(f"{name}: weight {quote(key)} has shape {tuple(tensor.shape)} but "
                             f"the config needs {shape}")
        if not tensor.is_floating_point():
            raise InputError(f"{name}: weight {quote(key)} is {tensor.dtype}, not a float")
        if not bool(torch.isfinite(tensor).all()):
            raise InputError(f"{name}: weight {quote(key)} contains NaN or infinite values")


def _check_vocab(vocab: object, config: CharLMConfig, name: str) -> CharVocab:
    if not isinstance(vocab, str):
        raise InputError(f"{name}: the vocabulary must be a string of characters, not "
                         f"{type(vocab).__name__}")
    if not vocab:
        raise InputError(f"{name}: the vocabulary is empty")
    if len(set(vocab)) != len(vocab):
        raise InputError(f"{name}: the vocabulary lists some characters twice")
    if len(vocab) != config.vocab_size:
        raise InputError(f"{name}: the vocabulary has {len(vocab)} characters but the weights "
                         f"are for {config.vocab_size}; the file is damaged or was edited")
    return CharVocab(vocab)


def _check_ngram_ids(ids: object, config: CharLMConfig, name: str) -> torch.Tensor | None:
    if ids is None:
        return None
    if not isinstance(ids, torch.Tensor) or ids.dim() != 1 or ids.is_floating_point() \
            or ids.is_complex() or ids.dtype == torch.bool:
        raise InputError(f"{name}: the n-gram text (ngram_ids) must be a list of character "
                         "ids")
    if ids.numel() > MAX_NGRAM_IDS:
        raise InputError(f"{name}: the n-gram text has {ids.numel():,} characters; at most "
                         f"{MAX_NGRAM_IDS:,} are loaded")
    if ids.numel() and (int(ids.min()) < 0 or int(ids.max()) >= config.vocab_size):
        raise InputError(f"{name}: the n-gram text uses character ids outside the "
                         f"vocabulary of {config.vocab_size}")
    return ids
