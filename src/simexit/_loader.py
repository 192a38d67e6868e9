"""Read data packages, validate them completely, and discover countries.

One direction of flow, one module each:

- :mod:`simexit._files` reads a package folder: file checks, TOML, line
  numbers, strict cattrs structuring of each table;
- :mod:`simexit._merge` merges a country over the core and builds the typed
  :class:`~simexit.Country` once :mod:`simexit._checks`, one function per
  check, found nothing wrong;
- :mod:`simexit._registry` discovers countries, keeps installed providers
  apart, and holds the :class:`Registry`, which compiles the engine.

Every problem is collected and raised at once in a single
:class:`~simexit.DataPackageError`.  This module holds the process-wide
registry and gives the names the rest of simexit uses; the reading and
checking modules are imported only when TOML is read (the bundled data
usually comes compiled), and so are their names here.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from ._registry import (
    CORE,
    ENTRY_POINT_GROUP,
    Registry,
    _bundled,
    _describe,
    validate_paths,
)

if TYPE_CHECKING:
    from ._checks import PROTECTED_STEPS
    from ._checks_words import REQUIRED_TEMPLATES, TEMPLATE_FIELDS
    from ._reading import MAX_DEPTH, MAX_FILE_BYTES

#: Names read from the modules that are imported only when TOML is read.
_LAZY = {
    "MAX_DEPTH": "_reading",
    "MAX_FILE_BYTES": "_reading",
    "PROTECTED_STEPS": "_checks",
    "REQUIRED_TEMPLATES": "_checks_words",
    "TEMPLATE_FIELDS": "_checks_words",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{module}", __package__), name)


_default: Registry | None = None
_default_lock = threading.Lock()


def default_registry() -> Registry:
    """The process-wide registry of bundled and installed countries."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Registry.default()
    return _default


__all__ = [
    "CORE",
    "ENTRY_POINT_GROUP",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "PROTECTED_STEPS",
    "REQUIRED_TEMPLATES",
    "TEMPLATE_FIELDS",
    "Registry",
    "_bundled",
    "_describe",
    "default_registry",
    "validate_paths",
]
