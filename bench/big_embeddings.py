"""Embeddings of any size: convert once + memory-map vs gensim's load_word2vec_format.

Generates synthetic word2vec binaries (3,000,000 x 300 = 3.6 GB, and 500,000 x 300) in a temp
folder, then runs each step in its own subprocess so that every peak RSS is separate:

* gensim ``KeyedVectors.load_word2vec_format(binary=True)`` (+ two ``most_similar`` calls),
* rnncore's first load (strict streaming conversion into a private data cache),
* rnncore's second load (memory-maps the conversion), then exact ``neighbors`` and
  ``analogy`` latency and the RSS they leave,
* a 76 MB word2vec text upload (9,000,000 words x 1 dimension) through ``load_upload``.

Goals (issue 17 / 15): conversion peak RSS <= 1.3x the float32 matrix; second load <= 2 s with
RSS <= 500 MB; an exact neighbour query <= 2 s; the 76 MB upload under 400 MB peak.

    python bench/big_embeddings.py              # all cases (needs ~9 GB of free memory and
                                                # ~8 GB of free disk in the temp folder)
    python bench/big_embeddings.py --words 200000 --skip-small --skip-text   # a quick run

The gensim step is skipped when MemAvailable is below 1.5x its expected peak.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DIM = 300
QUERY_WORDS = [b"man", b"woman", b"king", b"queen", b"paris", b"france"]

CHILD_PRELUDE = """
import json, os, sys, time
sys.path.insert(0, {root!r})
def status_mb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
def rss_mb():
    return status_mb("VmRSS")
def peak_mb():  # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork + exec
    return status_mb("VmHWM")
out = {{"rss_start_mb": rss_mb()}}
"""

GENSIM = """
from gensim.models import KeyedVectors
t = time.perf_counter()
kv = KeyedVectors.load_word2vec_format({path!r}, binary=True)
out["load_s"] = time.perf_counter() - t
out["load_peak_mb"] = peak_mb()
for i in range(2):
    t = time.perf_counter()
    kv.most_similar("king", topn=10)
    out[f"most_similar_{{i + 1}}_s"] = time.perf_counter() - t
out["peak_mb"] = peak_mb()
print(json.dumps(out))
"""

RNNCORE = """
from rnncore.embeddings import analogy, load_file, neighbours
t = time.perf_counter()
emb = load_file({path!r})
out["load_s"] = time.perf_counter() - t
out["rss_after_load_mb"] = rss_mb()
out["load_peak_mb"] = peak_mb()
if {queries}:
    for i in range(2):
        t = time.perf_counter()
        neighbours(emb, "king", topn=10)
        out[f"neighbors_{{i + 1}}_s"] = time.perf_counter() - t
    out["rss_after_neighbors_mb"] = rss_mb()
    for i in range(2):
        t = time.perf_counter()
        analogy(emb, "man", "king", "woman", topn=10)
        out[f"analogy_{{i + 1}}_s"] = time.perf_counter() - t
    out["rss_after_queries_mb"] = rss_mb()
    out["peak_mb"] = peak_mb()
print(json.dumps(out))
"""

UPLOAD = """
from rnncore.embeddings import load_upload
data = open({path!r}, "rb").read()
out["rss_with_bytes_mb"] = rss_mb()
t = time.perf_counter()
emb = load_upload(data, "big.txt")
out["load_s"] = time.perf_counter() - t
out["n_words"] = len(emb)
out["peak_mb"] = peak_mb()
print(json.dumps(out))
"""


def mem_available_mb() -> float:
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    return 0.0


def write_word2vec_binary(path: Path, n_words: int, dim: int = DIM, seed: int = 0) -> None:
    """A synthetic word2vec binary: a few real query words, then w0000006, w0000007, ... with
    random vectors (analogy structure is irrelevant here: only sizes and speed matter). The
    fixed-width records are written as one numpy structured array per block."""
    rng = np.random.default_rng(seed)
    record = np.dtype([("word", "S8"), ("space", "S1"), ("vector", "<f4", (dim,))])
    with open(path, "wb") as handle:
        handle.write(f"{n_words} {dim}\n".encode())
        for word in QUERY_WORDS[:n_words]:
            handle.write(word + b" " + rng.standard_normal(dim, dtype=np.float32).tobytes())
        block = 100_000
        for start in range(len(QUERY_WORDS), n_words, block):
            stop = min(start + block, n_words)
            rows = np.empty(stop - start, dtype=record)
            rows["word"] = np.char.mod(b"w%07d", np.arange(start, stop))
            rows["space"] = b" "
            rows["vector"] = rng.standard_normal((stop - start, dim), dtype=np.float32)
            handle.write(rows.tobytes())


def write_tall_text(path: Path, n_words: int = 9_000_000) -> None:
    """A word2vec text file of ``n_words`` x 1 dimension (the issue's 76 MB upload)."""
    with open(path, "wb") as handle:
        handle.write(f"{n_words} 1\n".encode())
        block = 500_000
        for start in range(0, n_words, block):
            stop = min(start + block, n_words)
            handle.write(b"".join(b"%x %d\n" % (i, 1 + i % 9) for i in range(start, stop)))


def run_child(code: str, env: dict[str, str] | None = None) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD_PRELUDE.format(root=str(ROOT)) + code],
                            capture_output=True, text=True, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise SystemExit(f"child failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def drop_page_cache() -> bool:
    """Empty the kernel's page cache (root only) so the next read comes from the disk."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("1\n")
    except OSError:
        return False
    return True


def report_queries(label: str, second: dict) -> None:
    print(f"{label}exact neighbors('king', 10): {second['neighbors_1_s']:.2f} s first, "
          f"{second['neighbors_2_s']:.2f} s second; RSS after "
          f"{second['rss_after_neighbors_mb']:,.0f} MB (file pages the scan touched)")
    print(f"{label}exact analogy(man:king::woman, 3CosAdd): {second['analogy_1_s']:.2f} s "
          f"first, {second['analogy_2_s']:.2f} s second; RSS after "
          f"{second['rss_after_queries_mb']:,.0f} MB; peak {second['peak_mb']:,.0f} MB")


def case(folder: Path, n_words: int, queries: bool, cold: bool = False) -> None:
    path = folder / f"synthetic-{n_words}x{DIM}.bin"
    t = time.perf_counter()
    write_word2vec_binary(path, n_words)
    matrix_mb = n_words * DIM * 4 / 2**20
    print(f"\n## {n_words:,} x {DIM} word2vec binary: {path.stat().st_size / 2**30:.2f} GB "
          f"(generated in {time.perf_counter() - t:.0f} s); float32 matrix {matrix_mb:,.0f} MB")
    gensim_peak = matrix_mb * 2.1 + 300
    if mem_available_mb() > 1.5 * gensim_peak:
        g = run_child(GENSIM.format(path=str(path)))
        print(f"gensim load_word2vec_format: {g['load_s']:.1f} s, peak RSS "
              f"{g['load_peak_mb']:,.0f} MB ({g['load_peak_mb'] / matrix_mb:.2f}x the matrix); "
              f"most_similar {g['most_similar_1_s']:.2f} s first (it computes the norms), "
              f"{g['most_similar_2_s']:.2f} s second; peak RSS with most_similar "
              f"{g['peak_mb']:,.0f} MB ({g['peak_mb'] / matrix_mb:.2f}x)")
    else:
        print(f"gensim skipped: MemAvailable {mem_available_mb():,.0f} MB < 1.5 x "
              f"{gensim_peak:,.0f} MB")
    env = {"RNNCORE_HOME": str(folder / "cache")}
    first = run_child(RNNCORE.format(path=str(path), queries=False), env)
    print(f"rnncore first load (strict streaming conversion): {first['load_s']:.1f} s, "
          f"peak RSS {first['load_peak_mb']:,.0f} MB ({first['load_peak_mb'] / matrix_mb:.2f}x "
          "the matrix)")
    second = run_child(RNNCORE.format(path=str(path), queries=queries), env)
    print(f"rnncore second load (memory-mapped): {second['load_s']:.2f} s, RSS after load "
          f"{second['rss_after_load_mb']:,.0f} MB, imports included (the bare interpreter: "
          f"{second['rss_start_mb']:,.0f} MB)")
    if queries:
        report_queries("", second)
    if queries and cold:
        if drop_page_cache():
            third = run_child(RNNCORE.format(path=str(path), queries=True), env)
            print(f"cold page cache (dropped first): load {third['load_s']:.2f} s")
            report_queries("cold page cache: ", third)
        else:
            print("cold page cache: skipped (cannot write /proc/sys/vm/drop_caches)")
    path.unlink()
    shutil.rmtree(folder / "cache", ignore_errors=True)


def text_case(folder: Path) -> None:
    path = folder / "tall.txt"
    write_tall_text(path)
    r = run_child(UPLOAD.format(path=str(path)), {"RNNCORE_HOME": str(folder / "cache")})
    print(f"\n## word2vec text upload, {path.stat().st_size / 2**20:.0f} MB, {r['n_words']:,} "
          f"words x 1: load_upload {r['load_s']:.1f} s, peak RSS {r['peak_mb']:,.0f} MB "
          f"(RSS holding the uploaded bytes before parsing: {r['rss_with_bytes_mb']:,.0f} MB)")
    path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=3_000_000)
    parser.add_argument("--skip-small", action="store_true", help="skip the 500,000-word case")
    parser.add_argument("--skip-text", action="store_true", help="skip the 76 MB text upload")
    parser.add_argument("--tmp", default=None, help="folder for the temporary files")
    parser.add_argument("--cold", action="store_true",
                        help="also time a load + queries with the converted files dropped from "
                             "the page cache (needs write access to /proc/sys/vm/drop_caches)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start (above ~0.5 "
          f"the machine is shared and every time is inflated); MemAvailable "
          f"{mem_available_mb():,.0f} MB")
    with tempfile.TemporaryDirectory(prefix="bench-big-", dir=args.tmp) as tmp:
        folder = Path(tmp)
        if not args.skip_text:
            text_case(folder)
        if not args.skip_small:
            case(folder, 500_000, queries=True)
        case(folder, args.words, queries=True, cold=args.cold)


if __name__ == "__main__":
    main()
