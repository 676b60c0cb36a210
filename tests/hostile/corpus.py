"""The project's corpus of malformed and hostile input files, and what each must be refused for.

Small files are committed under ``tests/hostile/files`` (rewrite them with
``python -m tests.hostile.corpus``); large ones (zip bomb, huge one-line files, 50,000
templates) are written at test time by :func:`write_large` into a temporary folder.
``CASES`` says, per file, which kind of input it is (so which entry points read it) and a
pattern the refusal message must match.
"""

from __future__ import annotations

import io
import pickle
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

FILES = Path(__file__).resolve().parent / "files"
MARKDOWN = "![x](http://127.0.0.1:9/x)"


@dataclass(frozen=True)
class Case:
    """One hostile file: its name, its kind and the pattern its refusal must match."""

    name: str
    kind: str  # words, groups, labelled, templates, corpus, analogies, checkpoint, embedding
    message: str
    large: bool = False
    heavy: bool = False  # memory-heavy: peak RSS is measured in a subprocess


CASES = [
    # word lists (bias --words, weat, map --file, the word-list widget)
    Case("words_binary.txt", "words", r"not a text file"),
    Case("words_png.csv", "words", r"not a text file"),
    Case("words_empty.txt", "words", r"empty"),
    Case("words_too_many.txt", "words", r"6,000 words.*5,000"),
    Case("words_suffix.exe", "words", r"\.txt"),
    Case("words_many_columns.csv", "words", r"1,000 columns.*at most 50"),
    Case("words_one_line.txt", "words", r"3\.0 MB.*limit", large=True),
    # word groups CSV (probe --groups, the probe page)
    Case("groups_one_group.csv", "groups", r"at least two groups"),
    Case("groups_no_columns.csv", "groups", r"group,word"),
    Case("groups_latin1.csv", "groups", r"not UTF-8.*line 2"),
    Case("groups_binary.csv", "groups", r"not a text file"),
    # labelled sentences (train-sentiment --csv, the sentiment page)
    Case("labelled_no_label.csv", "labelled", r"text,label"),
    Case("labelled_one_class.csv", "labelled", r"all rows are positive"),
    Case("labelled_latin1.csv", "labelled", r"not UTF-8.*line 3"),
    Case("labelled_binary.csv", "labelled", r"not a text file"),
    Case("labelled_bad_labels.csv", "labelled", r"label that is not"),
    # probe templates (probe --templates)
    Case("templates_no_slot.txt", "templates", r"line 2.*exactly one"),
    Case("templates_latin1.txt", "templates", r"not UTF-8.*line 2"),
    Case("templates_binary.txt", "templates", r"not a text file"),
    Case("templates_50k.txt", "templates", r"50,000 templates.*1,000", large=True),
    Case("templates_one_line.txt", "templates", r"MB.*limit", large=True),
    # corpora (train-char --corpus, train-word-lm --corpus, the two LM pages)
    Case("corpus_latin1.txt", "corpus", r"not UTF-8.*line 4"),
    Case("corpus_short.txt", "corpus", r"at least 1000"),
    Case("corpus_binary.txt", "corpus", r"not a text file"),
    Case("corpus_alphabet.txt", "corpus", r"distinct characters"),
    Case("corpus_big.txt", "corpus", r"6\.0 MB.*limit", large=True),
    # analogy questions (the benchmarks page)
    Case("analogies_binary.txt", "analogies", r"not a text file"),
    Case("analogies_latin1.txt", "analogies", r"not UTF-8.*line 2"),
    Case("analogies_big.txt", "analogies", r"MB.*limit", large=True),
    # character-LM checkpoints (the char LM page)
    Case("ckpt_oversized_config.pt", "checkpoint", r"hidden 12,000.*at most", heavy=True),
    Case("ckpt_zip_bomb.pt", "checkpoint", r"compressed", large=True, heavy=True),
    Case("ckpt_lying_sizes.pt", "checkpoint", r"damaged or crafted|damaged or incomplete"),
    Case("ckpt_vocab_int.pt", "checkpoint", r"vocabulary must be a string"),
    Case("ckpt_vocab_short.pt", "checkpoint", r"vocabulary has 3 characters.*5"),
    Case("ckpt_vocab_empty.pt", "checkpoint", r"vocabulary is empty"),
    Case("ckpt_vocab_mismatch.pt", "checkpoint", r"vocabulary has 7 characters.*5"),
    Case("ckpt_vocab_repeats.pt", "checkpoint", r"twice"),
    Case("ckpt_shapes.pt", "checkpoint", r"shape.*config needs"),
    Case("ckpt_missing_weights.pt", "checkpoint", r"do not match the config"),
    Case("ckpt_nan.pt", "checkpoint", r"NaN"),
    Case("ckpt_config_types.pt", "checkpoint", r"whole number"),
    Case("ckpt_config_unknown.pt", "checkpoint", r"unknown setting"),
    Case("ckpt_ngram_ids.pt", "checkpoint", r"outside the vocabulary"),
    Case("ckpt_pickle_payload.pt", "checkpoint", r"could run code"),
    Case("ckpt_truncated.pt", "checkpoint", r"damaged"),
    Case("ckpt_text.pt", "checkpoint", r"not a character-LM checkpoint"),
    Case("ckpt_list.pt", "checkpoint", r"needs the entries"),
    # embeddings that the current parser already refuses (bigemb tests the misread ones)
    Case("emb_empty.txt", "embedding", r"empty"),
    Case("emb_pickle.kv", "embedding", r"pickle|\.kv"),
]
BY_NAME = {c.name: c for c in CASES}


def _tiny_checkpoint() -> dict:
    """A real, valid checkpoint dict of a tiny model (vocabulary 'abcde')."""
    import torch

    from rnncore.models.char_lm import CharLM, CharLMConfig, CharVocab, checkpoint

    torch.manual_seed(0)
    model = CharLM(CharLMConfig(vocab_size=5, embed=4, hidden=8, members=1, ngram_order=0))
    return checkpoint(model, CharVocab("abcde"))


def _torch_bytes(obj: object) -> bytes:
    import torch

    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


class _Payload:
    """Unpickling this would run a shell command: weights_only loading must refuse it."""

    def __reduce__(self):
        return (print, ("PAYLOAD EXECUTED",))


def _checkpoints() -> dict[str, bytes]:
    import torch

    def variant(**changes) -> bytes:
        data = _tiny_checkpoint()
        for key, value in changes.items():
            if key == "config":
                data["config"] = {**data["config"], **value}
            else:
                data[key] = value
        return _torch_bytes(data)

    good = _tiny_checkpoint()
    shapes = dict(good["state_dict"])
    shapes["members.0.embedding.weight"] = torch.zeros(5, 6)
    nan = dict(good["state_dict"])
    nan["members.0.decoder.bias"] = torch.full((5,), float("nan"))
    missing = {k: v for k, v in good["state_dict"].items() if "decoder" not in k}
    out = {
        "ckpt_oversized_config.pt": _torch_bytes(
            {"state_dict": {}, "config": {"vocab_size": 65, "embed": 64, "hidden": 12_000,
                                          "layers": 1, "members": 8}, "vocab": "a" * 65}),
        "ckpt_vocab_int.pt": variant(vocab=5),
        "ckpt_vocab_short.pt": variant(vocab="abc"),
        "ckpt_vocab_empty.pt": variant(vocab=""),
        "ckpt_vocab_mismatch.pt": variant(vocab="abcdefg"),
        "ckpt_vocab_repeats.pt": variant(vocab="abcda"),
        "ckpt_shapes.pt": variant(state_dict=shapes),
        "ckpt_missing_weights.pt": variant(state_dict=missing),
        "ckpt_nan.pt": variant(state_dict=nan),
        "ckpt_config_types.pt": variant(config={"hidden": "8"}),
        "ckpt_config_unknown.pt": variant(config={"evil": 1}),
        "ckpt_ngram_ids.pt": variant(ngram_ids=torch.tensor([0, 1, 9], dtype=torch.uint8)),
        "ckpt_list.pt": _torch_bytes([1, 2, 3]),
    }
    payload = io.BytesIO()
    with zipfile.ZipFile(payload, "w") as archive:  # a torch-like zip with a hostile pickle
        archive.writestr("archive/data.pkl", pickle.dumps({"state_dict": _Payload()}))
        archive.writestr("archive/version", "3\n")
    out["ckpt_pickle_payload.pt"] = payload.getvalue()
    whole = _torch_bytes(good)
    out["ckpt_truncated.pt"] = whole[: len(whole) // 2]
    out["ckpt_text.pt"] = b"this is not a checkpoint\n" * 10
    out["ckpt_lying_sizes.pt"] = _lying_zip()
    return out


def _lying_zip() -> bytes:
    """A stored zip whose directory claims a 3 GB member (the real content is 10 bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", b"0123456789")
    data = bytearray(buffer.getvalue())
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 3 * 10**9)  # uncompressed size in the directory
    return bytes(data)


def zip_bomb(path: Path, expanded: int = 2_400 * 2**20) -> Path:
    """A ~2 MB torch-like zip whose pickle member inflates to ``expanded`` bytes of zeros."""
    chunk = bytes(2**20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)  # byte-aligned, no history
    deflated = segment * (expanded // len(chunk)) + b"\x03\x00"  # + an empty final block
    crc = 0
    for _ in range(expanded // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    name = b"archive/data.pkl"
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(deflated),
                        expanded, len(name), 0) + name
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc,
                          len(deflated), expanded, len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central),
                      len(local) + len(deflated), 0)
    path.write_bytes(local + deflated + central + end)
    return path


def small_files() -> dict[str, bytes]:
    """Every committed file, by name."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    files = {
        "words_binary.txt": b"king\x00queen\n" + bytes(range(256)),
        "words_png.csv": png,
        "words_empty.txt": b"  \n\n \t\n",
        "words_too_many.txt": "".join(f"w{i}\n" for i in range(6000)).encode(),
        "words_suffix.exe": b"MZ\x90\x00king\n",
        "words_many_columns.csv": b",".join(b"g%d" % i for i in range(1000)) + b"\nx\n",
        "groups_one_group.csv": b"group,word\nfruit,apple\nfruit,pear\n",
        "groups_no_columns.csv": b"name,value\nfruit,apple\n",
        "groups_latin1.csv": "group,word\nf\xe9minin,reine\nmasculin,roi\n".encode("latin-1"),
        "groups_binary.csv": png,
        "labelled_no_label.csv": b"text,score\ngood film,1\n",
        "labelled_one_class.csv": b"text,label\n" + b"a fine film,1\n" * 30,
        "labelled_latin1.csv": "text,label\ngood,1\ntr\xe8s bon,1\n".encode("latin-1"),
        "labelled_binary.csv": png,
        "labelled_bad_labels.csv": b"text,label\n" + b"a film,maybe\n" * 30,
        "templates_no_slot.txt": b"My friend {} is here.\nNo slot on this line.\n",
        "templates_latin1.txt": "{} is nice.\n{} est tr\xe8s gentil.\n".encode("latin-1"),
        "templates_binary.txt": png,
        "corpus_latin1.txt": ("To be, or not to be.\n" * 3 + "caf\xe9\n" + "x" * 2000)
        .encode("latin-1"),
        "corpus_short.txt": b"Too short.\n",
        "corpus_binary.txt": b"\x00" * 2000,
        "corpus_alphabet.txt": "".join(chr(0x4E00 + i) for i in range(400)).encode() * 3,
        "analogies_binary.txt": b"man king woman queen\n\x00\x01\x02" + png,
        "analogies_latin1.txt": "man king woman queen\nParis France Rome \xcetalie\n"
        .encode("latin-1"),
        "emb_empty.txt": b"",
        "emb_pickle.kv": pickle.dumps({"not": "vectors"}),
    }
    files.update(_checkpoints())
    return files


def write_large(folder: Path) -> dict[str, Path]:
    """The large cases, written into ``folder`` (a test's temporary folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    line = ("=HYPERLINK(\"http://127.0.0.1:9/\") " * 90_000)[: 3 * 10**6].encode()
    paths = {
        "words_one_line.txt": line,
        "templates_one_line.txt": line,
        "templates_50k.txt": "".join(f"Template {i} about {{}}.\n" for i in range(50_000))
        .encode(),
        "corpus_big.txt": b"All work and no play makes Jack a dull boy.\n" * 136_364,
        "analogies_big.txt": b"man king woman queen\n" * 150_000,
    }
    out = {}
    for name, data in paths.items():
        out[name] = folder / name
        out[name].write_bytes(data)
    out["ckpt_zip_bomb.pt"] = zip_bomb(folder / "ckpt_zip_bomb.pt")
    return out


def path_of(case: Case, large: dict[str, Path]) -> Path:
    return large[case.name] if case.large else FILES / case.name


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root))
    FILES.mkdir(exist_ok=True)
    for name, data in small_files().items():
        (FILES / name).write_bytes(data)
    print(f"wrote {len(small_files())} files to {FILES}")
