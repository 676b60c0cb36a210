"""Probe inputs: templates with a ``{}`` slot, and pairs of word groups to compare.

Built-in inputs are files the project wrote in ``rnncore/resources/probes/`` (package data; see
its README) and word lists from the pinned assets (census first names; Caliskan et al.'s WEAT
sets). Users may upload their own templates (one per line) and groups (CSV ``group,word``).
Out-of-vocabulary words and empty groups are reported, never fatal.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rnncore.assets import asset_path
from rnncore.bias import wordsets
from rnncore.inputs.base import InputError, check_size, decode_utf8, quote, read_file

PROBE_DIR = Path(__file__).resolve().parents[1] / "resources" / "probes"
NAMES_ASSET = "names"
NAMES_MEMBERS = {"female": "names-0.3.0/names/dist.female.first",
                 "male": "names-0.3.0/names/dist.male.first"}
MAX_UPLOAD_BYTES = 2 * 2**20
MAX_TEMPLATES = 1000  # templates x words are all scored: a longer list is refused
MAX_TEMPLATE_CHARS = 300
MAX_GROUP_WORDS = 5000
SLOT = "{}"


class ProbeInputError(InputError):
    """Probe inputs that cannot be used, with the reason for people."""


@dataclass(frozen=True)
class Comparison:
    """Two groups of words to compare (``a`` minus ``b``), with where they come from."""

    key: str
    title: str
    a_name: str
    a: tuple[str, ...]
    b_name: str
    b: tuple[str, ...]
    source: str = ""
    notes: tuple[str, ...] = ()  # what reading an upload changed (repeated words dropped)


@dataclass(frozen=True)
class CheckedComparison:
    """A comparison restricted to words the model knows, with what was left out."""

    comparison: Comparison
    a: tuple[str, ...]
    b: tuple[str, ...]
    missing: dict[str, list[str]] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        """Whether both groups kept at least one word."""
        return bool(self.a) and bool(self.b)

    @property
    def note(self) -> str:
        """A sentence for people about left-out words and empty groups ('' when all is fine)."""
        c = self.comparison
        parts = []
        for name, words in ((c.a_name, self.missing.get("a", [])),
                            (c.b_name, self.missing.get("b", []))):
            if words:
                shown = ", ".join(words[:8]) + (f" and {len(words) - 8} more"
                                                 if len(words) > 8 else "")
                parts.append(f"{name}: {len(words)} out of vocabulary ({shown})")
        for name, kept in ((c.a_name, self.a), (c.b_name, self.b)):
            if not kept:
                parts.append(f"group {name!r} has no usable word, so the gap is not computed")
        return "; ".join(parts)


def check_comparison(comparison: Comparison, known) -> CheckedComparison:
    """Keep the words for which ``known(word)`` is true; report the others."""
    kept = {}
    missing = {}
    for side in ("a", "b"):
        words = list(dict.fromkeys(getattr(comparison, side)))
        kept[side] = tuple(w for w in words if known(w))
        missing[side] = [w for w in words if not known(w)]
    return CheckedComparison(comparison, kept["a"], kept["b"], missing)


# --- templates ---------------------------------------------------------------------------
def parse_templates(text: str, name: str = "the templates") -> list[str]:
    """Templates from text: one per line, ``#`` comments and blank lines skipped.

    Every template must contain exactly one ``{}``; otherwise ProbeInputError names the line.
    At most ``MAX_TEMPLATES`` templates of ``MAX_TEMPLATE_CHARS`` characters each.
    """
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)]
    lines = [(n, line) for n, line in lines if line and not line.startswith("#")]
    if len(lines) > MAX_TEMPLATES:
        raise ProbeInputError(f"{name}: {len(lines):,} templates; at most {MAX_TEMPLATES:,} "
                              "are scored (each is filled with every word of every group)")
    templates = []
    for number, line in lines:
        if len(line) > MAX_TEMPLATE_CHARS:
            raise ProbeInputError(f"{name}, line {number}: {quote(line)} is longer than "
                                  f"{MAX_TEMPLATE_CHARS} characters")
        if line.count(SLOT) != 1:
            raise ProbeInputError(f"{name}, line {number} ({quote(line)}) must contain exactly "
                                  f"one {SLOT} slot for the word")
        templates.append(line)
    if not templates:
        raise ProbeInputError(f"{name}: no template given (one sentence per line, with {{}} for "
                              "the word)")
    return templates


def templates_from_bytes(data: bytes, name: str) -> list[str]:
    """Templates from a file's bytes: size checked before decoding, strict UTF-8."""
    check_size(len(data), name, MAX_UPLOAD_BYTES, "templates file", ProbeInputError)
    return parse_templates(decode_utf8(data, name, "templates file", ProbeInputError), name)


def read_templates(path: str | Path) -> list[str]:
    """Templates of the file ``path``: at most 2 MB and 1,000 templates, strict UTF-8."""
    return templates_from_bytes(read_file(path, MAX_UPLOAD_BYTES, "templates file"), str(path))


def read_probe_file(name: str) -> str:
    """The text of one of the package's probe input files."""
    return (PROBE_DIR / name).read_text(encoding="utf-8")


def sentiment_templates() -> list[str]:
    """The project's sentiment templates (``resources/probes/sentiment_templates.txt``)."""
    return parse_templates(read_probe_file("sentiment_templates.txt"))


def lm_prompts() -> list[str]:
    """The project's LM prompts (``resources/probes/lm_prompts.txt``), ``{}`` = a profession."""
    return parse_templates(read_probe_file("lm_prompts.txt"))


def read_pairs(name: str) -> list[tuple[str, str]]:
    """Word pairs (female, male) from a two-column CSV in ``rnncore/resources/probes``."""
    rows = list(csv.DictReader(io.StringIO(read_probe_file(name))))
    return [(r["female"].strip(), r["male"].strip()) for r in rows]


# --- groups ------------------------------------------------------------------------------
def census_names(sex: str, n: int = 50, known: Callable[[str], bool] | None = None,
                 among: int = 1000, dominance: float = 10.0) -> list[str]:
    """The ``n`` most frequent 1990 US Census first names of ``sex``, title-cased.

    Only the ``among`` most frequent names of the list are considered, and only names at least
    ``dominance`` times more frequent for ``sex`` than for the other sex (so that *Mary*, also
    a rare male name, stays female, and names common to both are left out); with ``known``,
    only names it accepts are taken (walking down the frequency list).
    """
    def read(which: str) -> dict[str, float]:
        lines = asset_path(NAMES_ASSET, NAMES_MEMBERS[which]).read_text().splitlines()
        rows = [line.split() for line in lines if line.strip()]
        return {row[0].title(): float(row[1]) for row in rows}

    own = read(sex)
    other = read("male" if sex == "female" else "female")
    names = [name for name in list(own)[:among]
             if own[name] >= dominance * other.get(name, 0.0)]
    return [name for name in names if known is None or known(name)][:n]


def builtin_comparisons(known: Callable[[str], bool] | None = None,
                        n_names: int = 50) -> dict[str, Comparison]:
    """The default sentiment-probe comparisons, by key (census names filtered by ``known``)."""
    pairs = read_pairs("gender_terms.csv")
    weat = wordsets.word_set
    picked = "that the embedding knows" if known else ""
    items = [
        Comparison("census_names", "Census first names: female vs male", "female names",
                   tuple(census_names("female", n_names, known)), "male names",
                   tuple(census_names("male", n_names, known)),
                   f"US Census 1990: the {n_names} most frequent first names of each sex "
                   f"{picked} (among the top 1000, at least 10 times more frequent for that sex)"),
        Comparison("gender_terms", "Gendered terms: female vs male", "female terms",
                   tuple(a for a, _ in pairs), "male terms", tuple(b for _, b in pairs),
                   "rnncore/resources/probes/gender_terms.csv (written by biaslab)"),
        Comparison("weat_names_greenwald", "WEAT 3 names: European- vs African-American",
                   "European-American names", weat("european_american_names_5"),
                   "African-American names", weat("african_american_names_5"),
                   "Caliskan et al. 2017 after Greenwald et al. 1998 (WEFE's WEAT sets)"),
        Comparison("weat_names_bertrand", "WEAT 4 names: European- vs African-American",
                   "European-American names", weat("european_american_names_7"),
                   "African-American names", weat("african_american_names_7"),
                   "Caliskan et al. 2017 after Bertrand & Mullainathan 2004"),
        Comparison("weat_names_gender", "WEAT 6 names: female vs male", "female names",
                   weat("female_names"), "male names", weat("male_names"),
                   "Caliskan et al. 2017 after Nosek et al. 2002"),
        Comparison("weat_terms_gender", "WEAT 6 terms: female vs male", "female terms",
                   weat("female_terms"), "male terms", weat("male_terms"),
                   "Caliskan et al. 2017 after Nosek et al. 2002"),
    ]
    return {c.key: c for c in items}


def parse_groups_csv(data: bytes | str, pairs: Sequence[tuple[str, str]] | None = None,
                     name: str = "the file") -> list[Comparison]:
    """Comparisons from an uploaded CSV ``group,word`` (one word per row).

    With exactly two groups they are compared with each other; with more, ``pairs`` of group
    names say which to compare. Refuses, with the reason, files without those columns, with
    one group only, too large, or a word in both groups compared. A word repeated within a
    group is kept once, with a note in ``Comparison.notes`` (a repeat would count twice in the
    group's mean).
    """
    if isinstance(data, bytes):
        check_size(len(data), name, MAX_UPLOAD_BYTES, "group,word CSV", ProbeInputError)
        data = decode_utf8(data, name, "CSV", ProbeInputError)
    reader = csv.DictReader(io.StringIO(data))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if not {"group", "word"} <= set(fields):
        raise ProbeInputError(f"{name}: the CSV needs the columns group,word (found: "
                              f"{', '.join(quote(f) for f in fields[:5]) or 'nothing'})")
    reader.fieldnames = fields
    groups: dict[str, list[str]] = {}
    repeats: dict[str, list[str]] = {}
    seen: dict[str, set[str]] = {}
    for row in reader:
        group, word = (row.get("group") or "").strip(), (row.get("word") or "").strip()
        if group:
            groups.setdefault(group, [])
            if word in seen.setdefault(group, set()):
                repeats.setdefault(group, []).append(f"{quote(word)} (line {reader.line_num})")
            elif word:
                groups[group].append(word)
                seen[group].add(word)
        if sum(len(ws) for ws in groups.values()) > MAX_GROUP_WORDS:
            raise ProbeInputError(f"{name}: more than {MAX_GROUP_WORDS:,} words (line "
                                  f"{reader.line_num})")
    shown = ", ".join(quote(g) for g in list(groups)[:5])
    if len(groups) < 2:
        raise ProbeInputError(f"{name}: the CSV needs at least two groups to compare (found "
                              f"{len(groups)}: {shown or 'none'})")
    if pairs is None:
        if len(groups) != 2:
            raise ProbeInputError(f"{name}: {len(groups)} groups found ({shown}): say which "
                                  "two to compare")
        pairs = [tuple(groups)]
    out = []
    for a, b in pairs:
        unknown = [g for g in (a, b) if g not in groups]
        if unknown:
            raise ProbeInputError(f"no group named {', '.join(unknown)} in the CSV")
        shared = [w for w in groups[a] if w in groups[b]]
        if shared:
            raise ProbeInputError(f"{name}: {', '.join(map(quote, shared[:3]))} "
                                  f"{'is' if len(shared) == 1 else 'are'} in both "
                                  f"{quote(a)} and {quote(b)}; a word can belong to one of "
                                  "the groups compared only")
        notes = tuple(f"{name}: {quote(g)} lists {', '.join(r[:5])} again; each word is "
                      "counted once" for g, r in repeats.items() if g in (a, b))
        out.append(Comparison(f"upload:{a}|{b}", f"{a} vs {b}", a, tuple(groups[a]), b,
                              tuple(groups[b]), "uploaded", notes))
    return out


def read_groups(path: str | Path) -> list[Comparison]:
    """The comparisons of a ``group,word`` CSV file (see :func:`parse_groups_csv`)."""
    return parse_groups_csv(read_file(path, MAX_UPLOAD_BYTES, "group,word CSV"),
                            name=str(path))


def fill(templates: Iterable[str], word: str) -> list[str]:
    """Every template with ``word`` in its slot."""
    return [t.replace(SLOT, word) for t in templates]
