"""Shared pieces of the input layer: the error, bounded reads, strict decoding, path checks.

Every file that enters the library (from the CLI or an upload) is read with a byte limit that is
checked *before* the content is read or decoded, and every refusal is an :class:`InputError`
whose message names the file, the line or field, and the limit, without echoing long content.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path

QUOTE_CHARS = 40  # longest piece of user content quoted back in a message
_BIDI = {0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


class InputError(ValueError):
    """An input that cannot be used; the message names the file, the place and the limit."""


def escape_controls(text: str, keep: str = "\n\t") -> str:
    """``text`` with control characters (ESC, BEL, C1 codes, bidi overrides) written as
    ``\\x1b``-style escapes, so that printing it cannot drive a terminal."""
    def bad(ch: str) -> bool:
        return ch not in keep and (unicodedata.category(ch) == "Cc" or ord(ch) in _BIDI)

    if not any(bad(ch) for ch in text):
        return text
    return "".join(ch.encode("unicode_escape").decode("ascii") if bad(ch) else ch
                   for ch in text)


def quote(token: object, limit: int = QUOTE_CHARS) -> str:
    """``token`` quoted for a message: control characters escaped, cut after ``limit`` chars."""
    raw = str(token)
    text = escape_controls(raw[: limit * 2], keep="")  # never escape a whole huge line
    if len(raw) <= limit and len(text) <= limit:
        return repr(text)
    return repr(text[:limit]) + f"… ({len(raw):,} characters)"


def size_text(n_bytes: int) -> str:
    """``n_bytes`` for people (``1.5 MB``, ``300 kB``, ``12 bytes``)."""
    if n_bytes >= 10**6:
        return f"{n_bytes / 10**6:.1f} MB"
    if n_bytes >= 10**3:
        return f"{n_bytes / 10**3:.0f} kB"
    return f"{n_bytes} bytes"


def check_size(n_bytes: int, name: str, max_bytes: int, what: str = "file",
               error: type[InputError] = InputError) -> None:
    """Refuse ``n_bytes`` over ``max_bytes`` with a message naming ``name`` and the limit."""
    if n_bytes > max_bytes:
        raise error(f"{name} is {size_text(n_bytes)}; the limit for a {what} is "
                         f"{size_text(max_bytes)}")


def input_file(path: str | Path, what: str = "file") -> Path:
    """``path`` as an existing, readable regular file, or an InputError saying what is wrong."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file (the {what} was not found)")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a {what}")
    if not path.is_file():
        raise InputError(f"{path} is not a regular file")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: permission denied (cannot read the {what})")
    return path


def read_file(path: str | Path, max_bytes: int, what: str = "file") -> bytes:
    """The bytes of ``path``, refused before reading when larger than ``max_bytes``."""
    path = input_file(path, what)
    check_size(path.stat().st_size, str(path), max_bytes, what)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what} ({exc.strerror})") from None
    check_size(len(data), str(path), max_bytes, what)  # it grew while we looked
    return data


def decode_utf8(data: bytes, name: str, what: str = "file",
                error: type[InputError] = InputError) -> str:
    """UTF-8 text (a BOM is allowed); refuses binary data and other encodings, naming the line."""
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise error(f"{name} is not a text file (NUL byte on line {line}); save the "
                         f"{what} as UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(f"{name} is not UTF-8 text (invalid byte 0x{data[exc.start]:02x} on "
                         f"line {line}); save the {what} as UTF-8 and try again") from None


def output_file(path: str | Path, what: str = "output file") -> Path:
    """``path`` checked for writing before any work starts: its folder exists and is writable,
    and it is not itself a folder (an existing file is overwritten)."""
    path = Path(path)
    if str(path).strip() == "":
        raise InputError(f"the {what} path is empty")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file name for the {what}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise InputError(f"cannot write the {what} {path}: the folder {parent} does not exist")
    if not parent.is_dir():
        raise InputError(f"cannot write the {what} {path}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"cannot write the {what} {path}: the folder {parent} is not writable")
    if path.exists() and not path.is_file():
        raise InputError(f"cannot write the {what} {path}: it is a device or special file, "
                         "not a regular file")
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(f"cannot write the {what} {path}: the file is read-only")
    try:  # proven, not assumed: /proc and /sys pass os.access but refuse new files
        fd, probe = tempfile.mkstemp(prefix=".rnncore-probe-", dir=parent)
        os.close(fd)
        os.remove(probe)
    except OSError as exc:
        raise InputError(f"cannot write the {what} {path}: the folder {parent} does not accept "
                         f"new files ({exc.strerror or exc})") from None
    return path


def write_atomically(path: str | Path, write: Callable[[Path], object],
                     what: str = "output file") -> Path:
    """Call ``write(temporary path)`` in ``path``'s folder, then move the result onto ``path``
    (``os.replace``): a failure leaves no partial file and is an InputError naming ``path``."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=parent)
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise InputError(f"cannot write the {what} {path}: "
                         f"{exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)
    return path


def output_format(path: str | Path, suffixes: Mapping[str, str], names: Mapping[str, str],
                  requested: str | None = None, default: str | None = None,
                  what: str = "output file") -> str:
    """The format to write ``path`` in, chosen by its suffix, checked before any work starts.

    ``suffixes`` maps a suffix (``.txt``) to a format key, ``names`` a format key to words for
    people (``word2vec text``). A suffix that names one format must agree with ``requested``;
    a name without a suffix takes ``requested`` or ``default``; any other suffix is refused,
    so a binary file never lands under a text file's name.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    known = ", ".join(f"{s} ({names[k]})" for s, k in suffixes.items())
    if not suffix:
        if requested is None and default is None:
            raise InputError(f"{path}: give the {what} a name ending in {known}")
        return requested or default  # type: ignore[return-value]
    if suffix not in suffixes:
        raise InputError(f"{path}: a {what} ends in {known}, not {suffix}")
    chosen = suffixes[suffix]
    if requested is not None and requested != chosen:
        ends = " or ".join(s for s, k in suffixes.items() if k == requested)
        raise InputError(f"{path} ends in {suffix}, which means {names[chosen]}, but "
                         f"{names[requested]} was asked for; end the name in {ends}, or leave "
                         "the format out (the suffix chooses it)")
    return chosen
