"""Strict, streaming reading of word-vector files into a memory-mappable folder.

Formats, decided from the content only (never from the file name):

* **word2vec binary**: a header line ``N_WORDS DIM`` then ``N_WORDS`` records
  ``word<space><DIM little-endian float32>`` (an optional newline before each word).
* **word2vec text** (fastText ``.vec`` too): the same header, then one line per word,
  ``word v1 ... vDIM``.
* **GloVe text**: no header; every line ``word v1 ... vDIM``.

After a header, the body is text when its first 64 KB hold no control byte other than tab, CR
and LF (float32 data practically always does); anything else is binary. Text is then read
strictly: every line must have exactly one word and DIM numbers, words must be UTF-8 without
control characters, a header's promises (word count, vector size) must hold, and a binary file
must end where its header says. Whatever breaks these rules is refused with the file's name, the
line (or word number) and the problem. Rows that are readable but unusable are dropped and
reported, not refused: a word seen before (the first occurrence is kept), a vector with NaN or
infinite values, an all-zero vector.

The output folder holds ``vectors.npy`` (float32 unit rows), ``words.bin`` + ``offsets.npy``
(the UTF-8 words), ``hashes.npy`` + ``rows.npy`` (the lookup index, see
:mod:`rnncore.embeddings.vocabulary`) and ``meta.json``. Rows are parsed chunk by chunk
(a few MB at a time), normalised and appended to the files, so the peak memory is the chunk's
temporaries plus 8 bytes per word for the hash index, whatever the size of the matrix.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rnncore.embeddings.vocabulary import fnv1a_many
from rnncore.progress import Progress

CONVERT_VERSION = 1
CHUNK_BYTES = 4 << 20
MAX_LINE_BYTES = 1 << 20
MAX_WORD_BYTES = 1000
NPY_HEADER_BYTES = 128
BLOCK = 1 << 16
_HEADER = re.compile(rb"^\s*(\d+)\s+(\d+)\s*$")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WS = np.zeros(256, dtype=bool)
_WS[[9, 10, 13, 32]] = True  # tab, LF, CR, space: the separators of text vector files


class EmbeddingFormatError(ValueError):
    """A file could not be read as word vectors; the message says why, for a person."""


@dataclass(frozen=True)
class Limits:
    """What a file may hold; checked before anything large is allocated."""

    max_bytes: int | None = None
    max_words: int = 50_000_000
    max_dim: int = 4096


@dataclass(frozen=True)
class Sniffed:
    """A file's format as decided from its first bytes."""

    fmt: str
    count: int | None  # the header's word count (None for GloVe: counted while reading)
    dim: int
    body: int  # byte offset of the first vector


@dataclass
class Dropped:
    """Rows read but not kept: how many of each kind, and the first few (word, where)."""

    counts: dict[str, int] = field(default_factory=lambda: {k: 0 for k in _DROP_KINDS})
    examples: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in _DROP_KINDS})

    def add(self, kind: str, count: int, examples: list[str]) -> None:
        """Count ``count`` dropped rows of ``kind``, keeping up to five examples of each kind."""
        self.counts[kind] += count
        room = 5 - len(self.examples[kind])
        self.examples[kind].extend(examples[:max(room, 0)])

    def notes(self, name: str) -> list[str]:
        """Plain-text sentences (never Markdown) saying what was dropped from ``name``."""
        out = []
        for kind, count in self.counts.items():
            if count:
                shown = ", ".join(self.examples[kind])
                more = " …" if count > len(self.examples[kind]) else ""
                out.append(f"{name}: dropped {count:,} {_DROP_KINDS[kind]}: {shown}{more}")
        return out


_DROP_KINDS = {
    "duplicate": "repeated word(s) (the first occurrence is kept)",
    "nonfinite": "vector(s) with NaN or infinite values",
    "zero": "all-zero vector(s)",
}


def _fail(name: str, where: str, problem: str) -> EmbeddingFormatError:
    return EmbeddingFormatError(f"{name}: {where}: {problem}" if where else f"{name}: {problem}")


def _looks_like_pickle(head: bytes) -> bool:
    return head[:1] == b"\x80" or head[:2] == b"PK" or b"gensim.models" in head[:4096]


def _check_dim(name: str, dim: int, limits: Limits) -> None:
    if not 1 <= dim <= limits.max_dim:
        raise _fail(name, "", f"a vector size of {dim:,} is not plausible "
                              f"(1..{limits.max_dim:,})")


def _check_words(name: str, count: int, limits: Limits) -> None:
    if count < 1:
        raise _fail(name, "line 1", "the header promises no words")
    if count > limits.max_words:
        raise _fail(name, "", f"{count:,} words is more than the limit of "
                              f"{limits.max_words:,}")


def sniff(path: Path, name: str, limits: Limits = Limits()) -> Sniffed:
    """Decide the format of ``path`` from its first 64 KB; refuse what is no vector file."""
    size = path.stat().st_size
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise _fail(name, "", f"the file is {size / 2**20:.1f} MB; the limit is "
                              f"{limits.max_bytes / 2**20:.0f} MB")
    with open(path, "rb") as handle:
        head = handle.read(65536)
    if not head.strip():
        raise _fail(name, "", "the file is empty")
    if head[:2] == b"\x1f\x8b":
        raise _fail(name, "", "the file is gzip-compressed; decompress it first")
    if _looks_like_pickle(head):
        raise _fail(name, "", "this looks like a pickle or archive (gensim .kv/.model, torch "
                              ".pt, .npy, .zip). Uploads are never unpickled; save the vectors "
                              "with gensim's save_word2vec_format (binary or text) instead")
    end = head.find(b"\n")
    if end < 0 and size > len(head):
        raise _fail(name, "line 1", "longer than 64 KB: not a word-vector file")
    first = head if end < 0 else head[:end]
    header = _HEADER.match(first)
    if header:
        count, dim = int(header.group(1)), int(header.group(2))
        _check_dim(name, dim, limits)
        _check_words(name, count, limits)
        body = head[end + 1:] if end >= 0 else b""
        if not body.strip():
            raise _fail(name, "", f"the header promises {count:,} words of {dim} numbers, "
                                  "but nothing follows it")
        fmt = "word2vec-bin" if _CONTROL.search(body) else "word2vec-text"
        least = count * (dim * 4 + 2) if fmt == "word2vec-bin" else count * (2 * dim + 1)
        if size - (end + 1) < least:
            raise _fail(name, "line 1", f"the header promises {count:,} words of {dim} numbers"
                        f" ({fmt}), which needs at least {least:,} bytes, but the file has "
                        f"{size - end - 1:,}: it is truncated or the header is wrong")
        return Sniffed(fmt, count, dim, end + 1)
    if _CONTROL.search(head):
        raise _fail(name, "", "binary data without a word2vec header line 'N_WORDS DIM': "
                              "not a word-vector file")
    tokens = first.split()
    problem = "not a word2vec header 'N_WORDS DIM' nor a GloVe line 'word v1 v2 ...'"
    if len(tokens) < 2:
        raise _fail(name, "line 1", problem)
    for token in tokens[1:]:
        try:
            float(token)
        except ValueError:
            raise _fail(name, "line 1", f"{problem}: {_show(token)} is not a number") from None
    _check_dim(name, len(tokens) - 1, limits)
    return Sniffed("glove-text", None, len(tokens) - 1, 0)


def _show(token: bytes) -> str:
    """A token from the file, quoted and escaped for a one-line message (at most 40 chars)."""
    text = token[:40].decode("utf-8", errors="replace")
    return repr(text) + ("…" if len(token) > 40 else "")


class _Writer:
    """Appends validated, normalised rows and their words to the output folder's files."""

    def __init__(self, folder: Path, name: str, dim: int, capacity: int) -> None:
        self.folder, self.name, self.dim = folder, name, dim
        # the three files stay open while chunks are appended; finish() closes them
        self.vectors = open(folder / "vectors.npy", "wb")  # noqa: SIM115
        self.vectors.write(b"\0" * NPY_HEADER_BYTES)
        self.words = open(folder / "words.bin", "wb")  # noqa: SIM115
        self.offsets = open(folder / "offsets.npy", "wb")  # noqa: SIM115
        self.offsets.write(b"\0" * NPY_HEADER_BYTES + np.zeros(1, dtype="<i8").tobytes())
        self.total = 0  # bytes of words written so far
        self.hashes = np.empty(capacity, dtype=np.uint64)
        self.kept = 0
        self.read = 0
        self.dropped = Dropped()

    def add(self, blob: np.ndarray, lengths: np.ndarray, rows: np.ndarray,
            where: Callable[[int], str]) -> None:
        """Check and append ``rows`` (writable float32) and their words (``blob`` split by
        ``lengths``); ``where(j)`` names row j's place in the file for messages."""
        if len(rows) == 0:
            return
        ends = np.cumsum(lengths)
        bad = np.flatnonzero(lengths == 0)
        if bad.size:
            raise _fail(self.name, where(int(bad[0])), "the word is empty")
        control = np.flatnonzero((blob < 32) | (blob == 127))
        if control.size:
            j = int(np.searchsorted(ends, control[0], side="right"))
            raise _fail(self.name, where(j), "the word contains a control character")
        data = blob.tobytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            j = int(np.searchsorted(ends, exc.start, side="right"))
            raise _fail(self.name, where(j), f"the word is not UTF-8 text (byte "
                        f"0x{data[exc.start]:02x}); save the file as UTF-8") from None
        norms = np.sqrt(np.einsum("ij,ij->i", rows, rows, dtype=np.float64))
        nonfinite = ~np.isfinite(norms)
        zero = norms == 0
        if nonfinite.any() or zero.any():
            starts = ends - lengths
            for kind, mask in (("nonfinite", nonfinite), ("zero", zero)):
                picked = np.flatnonzero(mask)
                self.dropped.add(kind, len(picked), [
                    f"{data[starts[j]:ends[j]].decode()!r} ({where(j)})" for j in picked[:5]])
            keep = ~(nonfinite | zero)
            rows, lengths = rows[keep], lengths[keep]
            blob = blob[np.repeat(keep, np.diff(np.concatenate(([0], ends))))]
            norms = norms[keep]
            if len(rows) == 0:
                return
        del text
        rows /= norms[:, None].astype(np.float32)
        self.vectors.write(np.ascontiguousarray(rows, dtype="<f4").data)
        self.words.write(blob.data)
        ends = np.cumsum(lengths, dtype=np.int64)
        self.offsets.write((ends + self.total).astype("<i8").data)
        self.total += int(ends[-1])
        self.hashes[self.kept:self.kept + len(rows)] = fnv1a_many(
            blob, np.concatenate(([0], ends)))
        self.kept += len(rows)

    def finish(self, progress: Progress) -> dict:
        """Drop repeated words, write the index and the .npy headers; return the meta facts.

        The hash index is sorted with one argsort (8 bytes per word besides the hashes); the
        sorted hashes go to disk block by block.
        """
        for handle in (self.vectors, self.words, self.offsets):
            handle.close()
        n = self.kept
        if n == 0:
            raise _fail(self.name, "", "the file holds no usable vectors")
        _set_npy_header(self.folder / "vectors.npy", "<f4", (n, self.dim))
        _set_npy_header(self.folder / "offsets.npy", "<i8", (n + 1,))
        progress(0.95, "indexing the words")
        hashes = self.hashes[:n]
        order = np.argsort(hashes, kind="stable")
        same, last = [], None
        with open(self.folder / "hashes.npy", "wb") as out:
            out.write(b"\0" * NPY_HEADER_BYTES)
            for start in range(0, n, BLOCK):
                block = hashes[order[start:start + BLOCK]]
                if last is not None and block[0] == last:
                    same.append(np.array([start - 1]))
                same.append(np.flatnonzero(block[1:] == block[:-1]) + start)
                last = block[-1]
                out.write(block.astype("<u8").data)
        _set_npy_header(self.folder / "hashes.npy", "<u8", (n,))
        self.hashes = hashes = None
        repeated = self._repeated(np.concatenate(same), order)
        if repeated.size:
            hashes = np.load(self.folder / "hashes.npy")
            keep = np.ones(n, dtype=bool)
            keep[np.isin(order, repeated)] = False
            hashes, order = hashes[keep], order[keep]
            order -= np.searchsorted(repeated, order)  # rows shift down past dropped ones
            self._compact(repeated)
            np.save(self.folder / "hashes.npy", hashes)
        np.save(self.folder / "rows.npy", order)
        return {"n_words": len(order), "dim": self.dim, "n_read": self.read,
                "dropped": self.dropped.counts, "examples": self.dropped.examples}

    def _repeated(self, same: np.ndarray, order: np.ndarray) -> np.ndarray:
        """Sorted rows whose word occurred in an earlier row; ``same`` holds the positions k
        of the sorted hashes equal to the hash at k + 1."""
        if same.size == 0:
            return np.zeros(0, dtype=np.int64)
        blob = np.memmap(self.folder / "words.bin", dtype=np.uint8, mode="r")
        offsets = np.load(self.folder / "offsets.npy", mmap_mode="r")

        def word(row: int) -> bytes:
            return bytes(blob[int(offsets[row]):int(offsets[row + 1])])

        repeated: list[int] = []
        group: dict[bytes, int] = {}
        previous = -2
        for k in np.sort(same).tolist():  # a run of equal hashes is in row order (stable)
            if k != previous + 1:
                group = {word(int(order[k])): int(order[k])}
            row = int(order[k + 1])
            key = word(row)
            if key in group:
                repeated.append(row)
            else:
                group[key] = row
            previous = k
        rows = np.array(sorted(repeated), dtype=np.int64)
        if rows.size:
            self.dropped.add("duplicate", rows.size,
                             [repr(word(r).decode()) for r in rows[:5].tolist()])
        return rows

    def _compact(self, dropped: np.ndarray) -> None:
        """Rewrite vectors, words and offsets without the ``dropped`` rows (streamed)."""
        folder = self.folder
        vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        blob = np.memmap(folder / "words.bin", dtype=np.uint8, mode="r")
        offsets = np.load(folder / "offsets.npy", mmap_mode="r")
        keep = np.ones(self.kept, dtype=bool)
        keep[dropped] = False
        with open(folder / "vectors.new", "wb") as out_vec, \
                open(folder / "words.new", "wb") as out_words:
            out_vec.write(b"\0" * NPY_HEADER_BYTES)
            for start in range(0, self.kept, BLOCK):
                stop = min(start + BLOCK, self.kept)
                mask = keep[start:stop]
                out_vec.write(np.ascontiguousarray(vectors[start:stop][mask]).data)
                bounds = np.asarray(offsets[start:stop + 1])
                words = np.asarray(blob[bounds[0]:bounds[-1]])
                out_words.write(words[np.repeat(mask, np.diff(bounds))].data)
        lengths = np.diff(np.asarray(offsets))[keep]
        del vectors, blob, offsets
        (folder / "vectors.new").replace(folder / "vectors.npy")
        (folder / "words.new").replace(folder / "words.bin")
        _set_npy_header(folder / "vectors.npy", "<f4", (int(keep.sum()), self.dim))
        np.save(folder / "offsets.npy", np.concatenate(([0], np.cumsum(lengths))))


def _set_npy_header(path: Path, descr: str, shape: tuple[int, ...]) -> None:
    """Write a .npy header into the ``NPY_HEADER_BYTES`` reserved at the start of ``path``."""
    text = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}"
    size = NPY_HEADER_BYTES - 10
    header = b"\x93NUMPY\x01\x00" + struct.pack("<H", size) + \
        (text.ljust(size - 1) + "\n").encode("latin1")
    with open(path, "r+b") as handle:
        handle.write(header)


def _count_lines(path: Path, start: int) -> int:
    """Non-empty lines from byte ``start`` (a final line without newline counts too)."""
    count, last = 0, b"\n"
    with open(path, "rb") as handle:
        handle.seek(start)
        while block := handle.read(CHUNK_BYTES):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def _read_text(path: Path, sniffed: Sniffed, name: str, writer: _Writer,
               progress: Progress) -> None:
    """Parse text lines chunk by chunk: vectorised token counting, numpy number parsing."""
    size = path.stat().st_size
    line = 2 if sniffed.count is not None else 1  # number of the next line to read
    state = {"blank": 0}
    with open(path, "rb") as handle:
        handle.seek(sniffed.body)
        carry = b""
        while True:
            data = handle.read(CHUNK_BYTES)
            if not data:
                if carry.strip():
                    line = _text_chunk(carry + b"\n", line, sniffed, name, writer, state)
                break
            data = carry + data
            cut = data.rfind(b"\n")
            if cut < 0:
                if len(data) > MAX_LINE_BYTES:
                    raise _fail(name, f"line {line}", f"longer than {MAX_LINE_BYTES:,} bytes: "
                                "not a word-vector line")
                carry = data
                continue
            line = _text_chunk(data[:cut + 1], line, sniffed, name, writer, state)
            carry = data[cut + 1:]
            progress(min(0.9, 0.05 + 0.85 * handle.tell() / max(size, 1)),
                     f"read {writer.read:,} words")


def _text_chunk(chunk: bytes, line: int, sniffed: Sniffed, name: str, writer: _Writer,
                state: dict) -> int:
    """Parse complete lines ``chunk`` (ends with a newline) starting at line number ``line``;
    returns the number of the line after it."""
    dim = sniffed.dim
    a = np.frombuffer(chunk, dtype=np.uint8)
    ends = np.flatnonzero(a == 10)
    starts = np.concatenate(([0], ends[:-1] + 1))
    ws = _WS[a]
    token = ~ws
    token[1:] &= ws[:-1]
    token_at = np.flatnonzero(token)
    del token
    first = np.searchsorted(token_at, starts)
    n_tokens = np.searchsorted(token_at, ends) - first
    blank = np.flatnonzero(n_tokens == 0)
    full = np.flatnonzero(n_tokens > 0)
    if state["blank"] and full.size:
        raise _fail(name, f"line {state['blank']}", "the line is empty (blank lines may only "
                    "end the file)")
    if blank.size and full.size and full[-1] > blank[0]:
        raise _fail(name, f"line {line + int(blank[0])}", "the line is empty (blank lines may "
                    "only end the file)")
    if blank.size and not state["blank"]:
        state["blank"] = line + int(blank[0])
    rows = len(full)
    if rows == 0:
        return line + len(ends)
    wrong = np.flatnonzero(n_tokens[:rows] != dim + 1)
    if wrong.size:
        j = int(wrong[0])
        found = int(n_tokens[j]) - 1
        hint = (" (a word with a space inside, or a longer vector)" if found > dim
                else " (a shorter vector)")
        raise _fail(name, f"line {line + j}", f"{found} values after the word where {dim} "
                    f"numbers were expected{hint}")
    if sniffed.count is not None and writer.read + rows > sniffed.count:
        j = sniffed.count - writer.read
        raise _fail(name, f"line {line + j}", f"the header promises {sniffed.count:,} words, "
                    "but the file has more lines")
    ws_at = np.flatnonzero(ws)
    del ws
    word_start = token_at[first[:rows]]
    word_end = ws_at[np.searchsorted(ws_at, word_start)]
    del ws_at, token_at, first
    step = np.zeros(len(a) + 1, dtype=np.int8)
    step[word_start] = 1
    step[word_end] -= 1
    in_word = np.cumsum(step[:-1], dtype=np.int8).view(bool)
    del step
    blob = a[in_word]
    numbers = a.copy()
    numbers[in_word] = 32
    del in_word
    values = _parse_numbers(numbers.tobytes(), rows * dim)
    del numbers
    if values is None:
        _locate_bad_number(chunk, line, rows, dim, name)
    writer.read += rows
    writer.add(blob, (word_end - word_start).astype(np.int64), values.reshape(rows, dim),
               lambda j: f"line {line + j}")
    return line + len(ends)


def _parse_numbers(text: bytes, expected: int) -> np.ndarray | None:
    """All whitespace-separated numbers of ``text`` as float32, or None if any is not one."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            values = np.fromstring(text, dtype=np.float32, sep=" ")
        except (ValueError, DeprecationWarning):
            return None
    return values if values.size == expected else None


def _locate_bad_number(chunk: bytes, line: int, rows: int, dim: int, name: str) -> None:
    """Find and report the first token that is not a number (slow path, errors only)."""
    for j, text in enumerate(chunk.split(b"\n")[:rows]):
        for token in text.split()[1:]:
            try:
                float(token)
            except ValueError:
                raise _fail(name, f"line {line + j}", f"{_show(token)} is not a "
                                                      "number") from None
    raise _fail(name, f"lines {line}-{line + rows - 1}", "some values are not numbers")


def _read_binary(path: Path, sniffed: Sniffed, name: str, writer: _Writer,
                 progress: Progress) -> None:
    """Parse word2vec binary records, a chunk of bytes at a time."""
    count, dim = sniffed.count or 0, sniffed.dim
    width = dim * 4
    per_block = max(1, CHUNK_BYTES // (width + 16))
    block = np.empty((per_block, dim), dtype="<f4")
    target = memoryview(block).cast("B")
    size = path.stat().st_size
    with open(path, "rb") as handle:
        handle.seek(sniffed.body)
        buf, pos, eof = b"", 0, False
        view, find, limit = memoryview(buf), buf.find, MAX_WORD_BYTES + 2
        record = 0
        while record < count:
            words: list[bytes] = []
            first = record
            r = 0
            stop = min(per_block, count - record)
            while r < stop:  # the hot loop: one find and two copies per record
                space = find(b" ", pos, pos + limit)
                end = space + 1 + width
                if space < 0 or end > len(buf):
                    if space < 0 and len(buf) - pos >= limit:
                        raise _fail(name, f"word {record + r + 1}", "no word found (a word "
                                    f"longer than {MAX_WORD_BYTES} bytes, or not word2vec "
                                    "binary)")
                    if eof:
                        raise _fail(name, f"word {record + r + 1}", "the file ends early: the"
                                    f" header promises {count:,} words, it holds "
                                    f"{record + r:,}; it is truncated")
                    more = handle.read(CHUNK_BYTES)
                    eof = not more
                    view.release()
                    buf, pos = buf[pos:] + more, 0
                    view, find = memoryview(buf), buf.find
                    continue
                words.append(buf[pos:space])
                target[r * width:(r + 1) * width] = view[space + 1:end]
                pos = end
                r += 1
            record += r
            joined = b"".join(words)
            if b"\n" in joined:  # the C tool writes a newline after each vector
                words = [w.lstrip(b"\n") for w in words]
                joined = b"".join(words)
            lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
            writer.read += r
            try:
                writer.add(np.frombuffer(joined, dtype=np.uint8), lengths,
                           block[:r], lambda j, first=first: f"word {first + j + 1}")
            except EmbeddingFormatError as exc:
                raise EmbeddingFormatError(f"{exc} (or the header's vector size, {dim}, is "
                                           "wrong)") from None
            progress(min(0.9, 0.05 + 0.85 * (handle.tell() - len(buf) + pos) / max(size, 1)),
                     f"read {record:,} of {count:,} words")
        rest = len(buf[pos:].strip())
        while not rest and (more := handle.read(CHUNK_BYTES)):
            rest = len(more.strip())
        if rest:
            raise _fail(name, f"after word {count:,}", "the file goes on after the words its "
                        "header promises: the header's word count or vector size is wrong")


def convert(path: Path, folder: Path, sniffed: Sniffed, name: str, sha256: str,
            limits: Limits = Limits(), progress: Progress | None = None) -> dict:
    """Read ``path`` strictly into a new ``folder`` (created here); returns its meta facts."""
    progress = progress or (lambda _f, _m: None)
    count = sniffed.count
    if count is None:
        progress(0.02, "counting lines")
        count = _count_lines(path, sniffed.body)
        _check_words(name, count, limits)
    need = count * sniffed.dim * 4 + count * 40
    folder.mkdir(parents=True)
    free = shutil.disk_usage(folder).free
    if need > free:
        raise _fail(name, "", f"converting it needs about {need / 2**30:.1f} GB of disk in "
                              f"{folder.parent}, which has {free / 2**30:.1f} GB free")
    writer = _Writer(folder, name, sniffed.dim, count)
    read = _read_binary if sniffed.fmt == "word2vec-bin" else _read_text
    read(path, sniffed, name, writer, progress)
    if sniffed.count is not None and writer.read < sniffed.count:
        raise _fail(name, "", f"the header promises {sniffed.count:,} words, but the file "
                              f"holds {writer.read:,}")
    meta = writer.finish(progress)
    meta.update({"format": sniffed.fmt, "file": name, "sha256": sha256,
                 "notes": writer.dropped.notes(name), "convert_version": CONVERT_VERSION})
    (folder / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False))
    return meta
