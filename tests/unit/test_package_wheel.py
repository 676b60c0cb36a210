"""The library as a user installs it: build the wheel, install it WITHOUT torch into a fresh venv
outside the checkout, and run the torch-free verbs from another folder on the shared data cache.

Dependencies come from the machine's package sources through pip; nothing is fetched for the
data (RNNCORE_HOME points at the already-built cache).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from rnncore import __version__
from rnncore.assets import cache_home

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "rnncore")

pytestmark = pytest.mark.slow


def run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None,
        timeout: int = 600) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=timeout)
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str], Path]:
    """(bin folder of the fresh venv, its environment, an empty working folder)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    source.mkdir()
    for name in SOURCES:  # build from a copy: the checkout gets no build/ or egg-info
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                "--quiet", "--wheel-dir", base / "dist", source, cwd=base)
    assert built.returncode == 0, built.stderr
    wheels = list((base / "dist").glob("rnncore-*.whl"))
    assert [w.name for w in wheels] == [f"rnncore-{__version__}-py3-none-any.whl"]

    env_dir = base / "venv"
    # a venv without its own pip, filled by this interpreter's pip (`--python`, pip >= 22.3) and
    # without compiling .pyc files: 18 s instead of about 100 s for the same packages
    venv.EnvBuilder(with_pip=False, clear=True).create(env_dir)
    bin_dir = env_dir / "bin"
    pip = run(sys.executable, "-m", "pip", "--python", bin_dir / "python", "install", "--quiet",
              "--no-compile", wheels[0], cwd=base)
    assert pip.returncode == 0, pip.stderr

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(RNNCORE_HOME=str(cache_home()), PATH=f"{bin_dir}{os.pathsep}{env['PATH']}")
    work = base / "elsewhere"
    work.mkdir()
    return bin_dir, env, work


def cli(installed, *args: str) -> subprocess.CompletedProcess:
    bin_dir, env, work = installed
    return run(bin_dir / "rnncore", *args, cwd=work, env=env, timeout=300)


def test_the_wheel_holds_the_library_and_its_data_only(installed):
    bin_dir, env, work = installed
    probe = run(bin_dir / "python", "-c", (
        "import importlib.util as u, rnncore, rnncore.probes.inputs as i, pathlib as p;"
        "print(rnncore.__file__);"
        "print(p.Path(rnncore.__file__).with_name('py.typed').is_file());"
        "print(len(i.sentiment_templates()));"
        "print([m for m in ('torch', 'dashboard', 'bench', 'data', 'tests', 'streamlit')"
        " if u.find_spec(m)])"), cwd=work, env=env)
    assert probe.returncode == 0, probe.stderr
    location, typed, templates, present = probe.stdout.split("\n")[:4]
    assert str(bin_dir.parent) in location and str(ROOT) not in location
    assert typed == "True" and int(templates) > 5
    assert present == "[]"  # a base install: no torch, nothing but rnncore


def test_version_info_and_the_torch_free_verbs(installed, tmp_path):
    version = cli(installed, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"rnncore {__version__}"
    usage = cli(installed, "--help")  # every verb's parser builds without torch
    assert usage.returncode == 0 and "train-sentiment" in usage.stdout

    info = json.loads(cli(installed, "info", "--json").stdout)["embedding"]
    assert (info["name"], info["n_words"], info["dim"]) == ("w2v-news-31k", 31530, 300)

    distance = json.loads(cli(installed, "distance", "--json", "woman:nurse", "man:nurse").stdout)
    assert [round(r["distance"], 4) for r in distance["pairs"]] == [0.5586, 0.7453]
    assert distance["embedding"] == info

    analogy = json.loads(cli(installed, "analogy", "man", "king", "woman", "--json").stdout)
    assert analogy["answers"][0]["word"] == "queen" and analogy["embedding"] == info

    weat = json.loads(cli(installed, "weat", "--test", "weat7", "--json").stdout)
    assert round(weat["effect_size"], 4) == 0.9664 and weat["exact"] is True

    out = tmp_path / "hard.bin"
    debias = cli(installed, "debias", "hard", "--out", str(out), "--json")
    assert debias.returncode == 0, debias.stderr
    data = json.loads(debias.stdout)
    assert round(data["direct_bias"]["before"], 4) == 0.0731
    assert data["direct_bias"]["after"] < 1e-6 and out.stat().st_size > 31530 * 300 * 4


def test_a_torch_verb_says_which_extra_to_install(installed):
    result = cli(installed, "train-sentiment", "--seconds", "1", "--json")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    error = json.loads(result.stderr)
    assert "rnncore[rnn]" in error["error"] and error["kind"] == "missing-dependency"
