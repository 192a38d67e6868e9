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

Nothing is imported: an entry point's value is only read.  :func:`provided`
also names the distribution of each entry point (the ``Name`` in its
metadata, as ``importlib.metadata`` reports it), for error messages.
"""

from __future__ import annotations

import os
import re
import sys
from typing import NamedTuple

_NORMALIZE = re.compile(r"[-_.]+")
_SUFFIXES = (".dist-info", ".egg-info")


class _Unusual(Exception):
    """The fast scan cannot vouch for this environment."""


class EntryPoint(NamedTuple):
    """One installed entry point, read but not imported."""

    dist: str
    name: str
    value: str


def entry_points(group: str) -> list[tuple[str, str]]:
    """``(name, value)`` of every entry point in *group*, as installed."""
    return [(ep.name, ep.value) for ep in provided(group)]


def provided(group: str) -> list[EntryPoint]:
    """Every entry point in *group* with the distribution that declares it."""
    try:
        return _scan(group)
    except _Unusual:
        from importlib import metadata

        return [
            EntryPoint(_dist_of(ep), ep.name, ep.value)
            for ep in metadata.entry_points(group=group)
        ]


def _dist_of(ep: object) -> str:
    try:
        name = getattr(getattr(ep, "dist", None), "name", None)
    except Exception:  # unreadable metadata: the entry point still counts
        name = None
    return name if isinstance(name, str) and name else "unknown distribution"


def _normalize(name: str) -> str:
    return _NORMALIZE.sub("-", name).lower().replace("-", "_")


def _scan(group: str) -> list[EntryPoint]:
    import importlib.machinery

    for finder in sys.meta_path:
        if getattr(finder, "find_distributions", None) is not None and not (
            finder is importlib.machinery.PathFinder or _searches_sys_path(finder)
        ):
            raise _Unusual(finder)
    seen: set[str] = set()
    found: list[EntryPoint] = []
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
            folder = os.path.join(root, child)
            pairs = _read(os.path.join(folder, "entry_points.txt"), group)
            if pairs:
                dist = _metadata_name(folder, low) or child.partition("-")[0]
                found.extend(EntryPoint(dist, n, v) for n, v in pairs)
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


def _metadata_name(folder: str, low: str) -> str | None:
    """The ``Name:`` header of a distribution's metadata, as importlib.metadata
    reports it (``METADATA`` in a .dist-info, ``PKG-INFO`` in an .egg-info)."""
    meta = "METADATA" if low.endswith(".dist-info") else "PKG-INFO"
    try:
        with open(os.path.join(folder, meta), encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    break  # the headers end at the first blank line
                key, sep, value = line.partition(":")
                if sep and key.strip().lower() == "name":
                    return value.strip() or None
    except (OSError, UnicodeDecodeError):
        pass
    return None


def _read(path: str, group: str) -> list[tuple[str, str]]:
    # Read as bytes and decoded only if the group is named: most installed
    # distributions declare console scripts, not countries.
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return []
    if f"[{group}]".encode() not in data:
        return []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
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
