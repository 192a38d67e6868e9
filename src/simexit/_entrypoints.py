"""Entry points of one group, without importing :mod:`importlib.metadata`.

Importing ``importlib.metadata`` costs about 15 ms (it pulls in the
``email`` package), most of what a fresh process spends before its first
plan.  In the common case, where every entry of :data:`sys.path` is a plain
directory, :func:`entry_points` reads ``*.dist-info/entry_points.txt`` and
``*.egg-info/entry_points.txt`` itself, following ``importlib.metadata``'s
rules: distributions are found in :data:`sys.path` order, the first one of a
(normalised) name wins, and ``entry_points.txt`` is read as sections of
``name = value`` lines.  Anything else — a zip file or an egg on the path, or
a meta-path finder other than the standard one that can find distributions —
falls back to ``importlib.metadata`` itself.
"""

from __future__ import annotations

import os
import re
import sys

_NORMALIZE = re.compile(r"[-_.]+")
_SUFFIXES = (".dist-info", ".egg-info")


class _Unusual(Exception):
    """The fast scan cannot vouch for this environment."""


def entry_points(group: str) -> list[tuple[str, str]]:
    """``(name, value)`` of every entry point in *group*, as installed."""
    try:
        return _scan(group)
    except _Unusual:
        from importlib import metadata

        return [(ep.name, ep.value) for ep in metadata.entry_points(group=group)]


def _normalize(name: str) -> str:
    return _NORMALIZE.sub("-", name).lower().replace("-", "_")


def _scan(group: str) -> list[tuple[str, str]]:
    import importlib.machinery

    for finder in sys.meta_path:
        if getattr(finder, "find_distributions", None) is not None and not (
            finder is importlib.machinery.PathFinder or _searches_sys_path(finder)
        ):
            raise _Unusual(finder)
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    for entry in sys.path:
        root = entry or "."
        if not isinstance(entry, str) or os.path.basename(root).lower().endswith(
            ".egg"
        ):
            raise _Unusual(entry)
        try:
            children = os.listdir(root)
        except NotADirectoryError:
            raise _Unusual(entry) from None  # a zip file: leave it to metadata
        except OSError:
            continue  # missing or unreadable: importlib.metadata skips it too
        for child in children:
            low = child.lower()
            if not low.endswith(_SUFFIXES):
                continue
            name = _normalize(low.rpartition(".")[0].partition("-")[0])
            if name in seen:
                continue
            seen.add(name)
            found.extend(_read(os.path.join(root, child, "entry_points.txt"), group))
    return found


def _searches_sys_path(finder: object) -> bool:
    """The importlib_metadata backport's finder: the same search of sys.path
    (installed on sys.meta_path once anything imports the backport), whose
    results importlib.metadata merges with the standard one's, by name."""
    kind = type(finder)
    return (kind.__module__, kind.__qualname__) == (
        "importlib_metadata",
        "MetadataPathFinder",
    )


def _read(path: str, group: str) -> list[tuple[str, str]]:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return []
    if f"[{group}]" not in text:
        return []
    out: list[tuple[str, str]] = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section == group and "=" in line:
            name, _, value = line.partition("=")
            out.append((name.strip(), value.strip()))
    return out
