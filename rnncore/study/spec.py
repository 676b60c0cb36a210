"""A study spec: a TOML file naming embeddings x debias methods x model kinds x seeds, the
probes, and fixed training budgets.

Read with :func:`read_spec`; every refusal is an :class:`InputError` naming the file, the line
and the key, and the reason. Paths in the spec (vector files, templates, group CSVs) are
relative to the spec's folder. Budgets are whole epochs over a fixed number of rows and there
is no time limit, so a task makes the same number of optimiser steps on any machine and under
any load. Example (``data/studies/example.toml``)::

    [study]
    name = "example"
    seeds = 5                      # or a list: [0, 1, 2]
    models = ["sentiment", "lm"]

    [[embeddings]]
    name = "w2v"
    source = "w2v-news-31k"        # a built-in name or a vector file
    limit = 10000                  # the first N words (optional)

    [[methods]]
    name = "none"                  # the original vectors (always included)
    [[methods]]
    name = "hard"
    [[methods]]
    name = "inlp-5"
    method = "inlp"                # defaults to the name
    options = { n_iterations = 5 } # the method's parameters (rnncore.debias.methods.DEFAULTS)

    [probes]
    templates = "builtin"          # or a file, one template per line with {}
    groups = ["gender_terms", "census_names"]  # built-in comparisons, or one group,word CSV
    pairs = ["she:he", "her:his"]  # the word LM's pronoun pairs

    [budget.sentiment]
    train_rows = 2000
    eval_rows = 400
    epochs = 2

    [budget.lm]
    train_sentences = 2000
    heldout_sentences = 300
    epochs = 1
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rnncore.inputs.base import InputError, quote, read_file

MAX_SPEC_BYTES = 256 * 1024
MAX_SEEDS = 10_000
MAX_TASKS = 100_000
MODELS = ("sentiment", "lm")
NONE = "none"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
BUILTIN = "builtin"
CELLS = ("rnn", "lstm", "gru")
TOP_KEYS = {"study", "embeddings", "methods", "probes", "budget"}


class SpecError(InputError):
    """A study spec that cannot be used, with the file, line, key and reason."""


@dataclass(frozen=True)
class EmbeddingSpec:
    """One embedding of the study: a label, a built-in name or a vector file, a word limit."""

    name: str
    source: str
    limit: int | None = None


@dataclass(frozen=True)
class MethodSpec:
    """One debias method (``none``: the original vectors) with its parameters."""

    name: str
    method: str = NONE
    dimension: str = "gender"
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SentimentBudget:
    """The sentiment RNN's fixed budget: rows, whole epochs, batch, model size (one member)."""

    train_rows: int = 2000
    eval_rows: int = 400
    epochs: int = 2
    batch_size: int = 64
    lr: float = 3e-3
    hidden: int = 32
    cell: str = "gru"

    def steps(self) -> int:
        """Optimiser steps of one training: epochs x batches."""
        return self.epochs * -(-self.train_rows // self.batch_size)


@dataclass(frozen=True)
class LMBudget:
    """The word LM's fixed budget: sentences, whole epochs, batch, model size."""

    train_sentences: int = 2000
    heldout_sentences: int = 300
    epochs: int = 1
    batch_size: int = 32
    lr: float = 2e-3
    hidden: int = 64
    cell: str = "gru"

    def steps(self) -> int:
        """Upper bound of the optimiser steps (a long sentence is cut into several pieces)."""
        return self.epochs * -(-self.train_sentences // self.batch_size)


@dataclass(frozen=True)
class ProbeSpec:
    """Templates x groups for the sentiment RNN; prompts x pronoun pairs for the word LM."""

    templates: str = BUILTIN
    groups: tuple[str, ...] = ("gender_terms", "census_names")
    prompts: str = BUILTIN
    pairs: tuple[tuple[str, str], ...] = (("she", "he"), ("her", "his"))


@dataclass(frozen=True)
class StudySpec:
    """A validated study: what to train, how long, and what to probe."""

    name: str
    path: Path
    embeddings: tuple[EmbeddingSpec, ...]
    methods: tuple[MethodSpec, ...]
    models: tuple[str, ...]
    seeds: tuple[int, ...]
    probes: ProbeSpec
    sentiment: SentimentBudget
    lm: LMBudget

    def resolve(self, relative: str) -> Path:
        """A path written in the spec, relative to the spec's folder."""
        return (self.path.parent / relative).resolve()

    def n_tasks(self) -> int:
        """embeddings x methods x models x seeds."""
        return len(self.embeddings) * len(self.methods) * len(self.models) * len(self.seeds)

    def as_dict(self) -> dict:
        """Everything but the path, as JSON-ready values."""
        data = asdict(self)
        data.pop("path")
        return json.loads(json.dumps(data))


def fingerprint(*parts: object) -> str:
    """A short sha256 of JSON-ready values (what a task's result depends on)."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _key_lines(text: str) -> dict[str, int]:
    """The line of each key and table header, as ``table.key`` / ``methods[2].options``."""
    lines: dict[str, int] = {}
    table, counts = "", {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if m := re.match(r"^\[\[\s*([A-Za-z0-9_.\-]+)\s*\]\]", line):
            name = m.group(1)
            counts[name] = counts.get(name, -1) + 1
            table = f"{name}[{counts[name]}]"
            lines.setdefault(table, number)
        elif m := re.match(r"^\[\s*([A-Za-z0-9_.\-]+)\s*\]", line):
            table = m.group(1)
            lines.setdefault(table, number)
        elif m := re.match(r"^([A-Za-z0-9_\-\"']+)\s*=", line):
            key = m.group(1).strip("\"'")
            lines.setdefault(f"{table}.{key}" if table else key, number)
    return lines


class _Reader:
    """Checks values of the parsed TOML; errors name the file, the key's line and the key."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.lines = path, _key_lines(text)

    def fail(self, key: str, reason: str) -> SpecError:
        line = self.lines.get(key)
        while line is None and "." in key:  # a missing key: point at its table
            key_parent = key.rsplit(".", 1)[0]
            line = self.lines.get(key_parent)
            if line is None:
                key = key_parent
            else:
                break
        where = f"line {line}, " if line else ""
        return SpecError(f"{self.path}: {where}{key}: {reason}")

    def table(self, data: dict, key: str, allowed: set[str]) -> dict:
        value = data.get(key.rsplit(".", 1)[-1], {}) if "[" not in key else data
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}", f"unknown key; expected one of "
                            f"{', '.join(sorted(allowed))}")
        return value

    def integer(self, table: dict, key: str, path: str, default: int | None, low: int,
                high: int) -> int | None:
        value = table.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"must be a whole number, not {quote(value)}")
        if not low <= value <= high:
            raise self.fail(path, f"must be between {low:,} and {high:,}, not {value:,}")
        return value

    def number(self, table: dict, key: str, path: str, default: float) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise self.fail(path, f"must be a positive number, not {quote(value)}")
        return float(value)

    def name(self, table: dict, key: str, path: str, default: str | None = None) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not NAME.match(value):
            raise self.fail(path, f"{quote(value)} is not a name: use 1 to 40 letters, digits, "
                            "'_', '-' or '.' (it names files of the study folder)")
        return value

    def choice(self, table: dict, key: str, path: str, default: str,
               choices: tuple[str, ...]) -> str:
        value = table.get(key, default)
        if value not in choices:
            raise self.fail(path, f"{quote(value)} is not one of {', '.join(choices)}")
        return value

    def strings(self, table: dict, key: str, path: str, default: tuple[str, ...]) -> tuple:
        value = table.get(key, list(default))
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(
                isinstance(v, str) and v.strip() for v in value):
            raise self.fail(path, "must be a non-empty list of strings")
        return tuple(v.strip() for v in value)


def _embeddings(r: _Reader, data: dict) -> tuple[EmbeddingSpec, ...]:
    from rnncore.assets.build import builtin_names

    items = data.get("embeddings")
    if not isinstance(items, list) or not items:
        raise r.fail("embeddings", "give at least one [[embeddings]] table with name and source")
    out = []
    for i, item in enumerate(items):
        at = f"embeddings[{i}]"
        item = r.table(item, at, {"name", "source", "limit"})
        source = item.get("source")
        if not isinstance(source, str) or not source:
            raise r.fail(f"{at}.source", "say which vectors: a built-in name "
                         f"({', '.join(builtin_names())}) or the path of a vector file")
        name = r.name(item, "name", f"{at}.name", source if NAME.match(source) else None)
        if source not in builtin_names():
            path = r.path.parent / source
            if not path.is_file():
                raise r.fail(f"{at}.source", f"{quote(source)} is neither a built-in embedding "
                             f"({', '.join(builtin_names())}) nor a file next to the spec")
        limit = r.integer(item, "limit", f"{at}.limit", None, 100, 10_000_000)
        out.append(EmbeddingSpec(name, source, limit))
    return tuple(out)


def _methods(r: _Reader, data: dict) -> tuple[MethodSpec, ...]:
    from rnncore.bias.dimensions import BUILTIN as DIMENSIONS
    from rnncore.debias.methods import ANY_DIMENSION, DEFAULTS, METHODS

    items = data.get("methods", [])
    if not isinstance(items, list):
        raise r.fail("methods", "must be [[methods]] tables")
    out = [MethodSpec(NONE)]
    for i, item in enumerate(items):
        at = f"methods[{i}]"
        item = r.table(item, at, {"name", "method", "dimension", "options"})
        name = r.name(item, "name", f"{at}.name")
        method = r.choice(item, "method", f"{at}.method", name, (NONE, *METHODS))
        if method == NONE:
            if item.keys() - {"name", "method"}:
                raise r.fail(at, "the original vectors (none) take no dimension or options")
            continue  # always included once
        dimension = r.choice(item, "dimension", f"{at}.dimension", "gender", tuple(DIMENSIONS))
        if dimension != "gender" and method not in ANY_DIMENSION:
            raise r.fail(f"{at}.dimension", f"{method} removes gender only; "
                         f"{' and '.join(ANY_DIMENSION)} take another dimension")
        options = item.get("options", {})
        if not isinstance(options, dict):
            raise r.fail(f"{at}.options", "must be a table, e.g. { n_iterations = 5 }")
        unknown = sorted(set(options) - set(DEFAULTS[method]))
        if unknown:
            raise r.fail(f"{at}.options", f"{method} has no option {unknown[0]}; it takes "
                         f"{', '.join(DEFAULTS[method]) or 'none'}")
        out.append(MethodSpec(name, method, dimension, dict(options)))
    names = [m.name for m in out]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise r.fail("methods", f"the name {repeated[0]!r} is used twice")
    return tuple(out)


def _seeds(r: _Reader, study: dict) -> tuple[int, ...]:
    value = study.get("seeds", 3)
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= MAX_SEEDS:
            raise r.fail("study.seeds", f"must be between 1 and {MAX_SEEDS:,}, not {value}")
        return tuple(range(value))
    if not isinstance(value, list) or not value or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**31 for v in value):
        raise r.fail("study.seeds", "must be a count (5: seeds 0 to 4) or a list of "
                     "non-negative whole numbers")
    if len(set(value)) != len(value):
        raise r.fail("study.seeds", "lists a seed twice")
    return tuple(value)


def _probes(r: _Reader, data: dict) -> ProbeSpec:
    p = r.table(data, "probes", {"templates", "groups", "prompts", "pairs"})
    default = ProbeSpec()
    templates = p.get("templates", BUILTIN)
    prompts = p.get("prompts", BUILTIN)
    for key, value in (("templates", templates), ("prompts", prompts)):
        if not isinstance(value, str) or (value != BUILTIN
                                          and not (r.path.parent / value).is_file()):
            raise r.fail(f"probes.{key}", f"{quote(value)} is neither {BUILTIN!r} nor a file "
                         "next to the spec")
    groups = r.strings(p, "groups", "probes.groups", default.groups)
    if any(g.endswith(".csv") for g in groups) and (
            len(groups) != 1 or not (r.path.parent / groups[0]).is_file()):
        raise r.fail("probes.groups", "a group,word CSV must be the only entry and exist "
                     "next to the spec")
    pairs = []
    for pair in r.strings(p, "pairs", "probes.pairs", tuple(":".join(x) for x in default.pairs)):
        parts = tuple(w.strip() for w in pair.split(":"))
        if len(parts) != 2 or not all(parts):
            raise r.fail("probes.pairs", f"{quote(pair)} is not a pronoun pair FEMALE:MALE "
                         "(e.g. she:he)")
        pairs.append(parts)
    return ProbeSpec(templates, groups, prompts, tuple(pairs))


def _budgets(r: _Reader, data: dict) -> tuple[SentimentBudget, LMBudget]:
    budget = r.table(data, "budget", {"sentiment", "lm"})
    s = r.table(budget, "budget.sentiment", {"train_rows", "eval_rows", "epochs", "batch_size",
                                              "lr", "hidden", "cell"})
    lm = r.table(budget, "budget.lm", {"train_sentences", "heldout_sentences", "epochs",
                                        "batch_size", "lr", "hidden", "cell"})
    ds, dl = SentimentBudget(), LMBudget()
    sentiment = SentimentBudget(
        r.integer(s, "train_rows", "budget.sentiment.train_rows", ds.train_rows, 16, 10_000),
        r.integer(s, "eval_rows", "budget.sentiment.eval_rows", ds.eval_rows, 16, 1276),
        r.integer(s, "epochs", "budget.sentiment.epochs", ds.epochs, 1, 100),
        r.integer(s, "batch_size", "budget.sentiment.batch_size", ds.batch_size, 1, 1024),
        r.number(s, "lr", "budget.sentiment.lr", ds.lr),
        r.integer(s, "hidden", "budget.sentiment.hidden", ds.hidden, 1, 1024),
        r.choice(s, "cell", "budget.sentiment.cell", ds.cell, CELLS))
    lm_budget = LMBudget(
        r.integer(lm, "train_sentences", "budget.lm.train_sentences", dl.train_sentences, 20,
                  10_000),
        r.integer(lm, "heldout_sentences", "budget.lm.heldout_sentences", dl.heldout_sentences,
                  10, 1276),
        r.integer(lm, "epochs", "budget.lm.epochs", dl.epochs, 1, 100),
        r.integer(lm, "batch_size", "budget.lm.batch_size", dl.batch_size, 1, 1024),
        r.number(lm, "lr", "budget.lm.lr", dl.lr),
        r.integer(lm, "hidden", "budget.lm.hidden", dl.hidden, 1, 2048),
        r.choice(lm, "cell", "budget.lm.cell", dl.cell, CELLS))
    return sentiment, lm_budget


def parse_spec(text: str, path: Path) -> StudySpec:
    """A StudySpec from the TOML ``text`` of ``path`` (paths inside are relative to it)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its message ends with "(at line N, column M)"
        raise SpecError(f"{path}: not valid TOML: {exc}") from None
    r = _Reader(path, text)
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise r.fail(unknown[0], f"unknown table; expected {', '.join(sorted(TOP_KEYS))}")
    study = r.table(data, "study", {"name", "seeds", "models"})
    name = r.name(study, "name", "study.name", path.stem if NAME.match(path.stem) else None)
    models = r.strings(study, "models", "study.models", MODELS)
    for model in models:
        if model not in MODELS:
            raise r.fail("study.models", f"{quote(model)} is not a model kind; use "
                         f"{' and/or '.join(MODELS)}")
    spec = StudySpec(name, path, _embeddings(r, data), _methods(r, data),
                     tuple(dict.fromkeys(models)), _seeds(r, study), _probes(r, data),
                     *_budgets(r, data))
    if spec.n_tasks() > MAX_TASKS:
        raise r.fail("study.seeds", f"{spec.n_tasks():,} tasks; at most {MAX_TASKS:,}")
    return spec


def read_spec(path: str | Path) -> StudySpec:
    """Read and validate the study spec at ``path`` (TOML, UTF-8, at most 256 kB)."""
    path = Path(path)
    data = read_file(path, MAX_SPEC_BYTES, "study spec")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SpecError(f"{path}: line {line}: not UTF-8 text") from None
    return parse_spec(text, path.resolve())
