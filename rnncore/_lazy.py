"""Lazy package exports (PEP 562): ``from rnncore.embeddings import neighbors`` imports only the
submodule that defines ``neighbors``, so a command that needs one layer does not pay for the
imports (pandas, scipy, scikit-learn, gensim) of every other module of the package."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, tuple[str, ...]],
                 modules: tuple[str, ...] = ()
                 ) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` for ``package``.

    ``exports`` maps a submodule name to the public names it defines; a name is imported from
    its submodule on first access and then cached in the package namespace. ``modules`` are
    submodules exported as modules (``rnncore.bias.wordsets``); a dotted one (``bias.wordsets``)
    is exported under its last name (``rnncore.wordsets``).

    A name spelled like a submodule (``weat`` in ``weat.py``) is bound at once: importing the
    submodule later would otherwise set the package attribute to the module itself.
    """
    where = {name: module for module, names in exports.items() for name in names}
    namespace = importlib.import_module(package).__dict__
    module_names = {m.rpartition(".")[2]: m for m in modules}

    def __getattr__(name: str) -> Any:
        if name in module_names:
            return importlib.import_module(f"{package}.{module_names[name]}")
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where) | set(module_names))

    for name in where:
        if name in exports:
            namespace[name] = __getattr__(name)
    return sorted([*where, *module_names]), __getattr__, __dir__
