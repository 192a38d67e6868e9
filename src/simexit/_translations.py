"""Translations beside the data: mirror files, declared locales, fallbacks.

A package folder may hold ``locales/<tag>/<relpath>`` files that MIRROR its
data files: the same tables and keys down to each text, where the original
has a text table ``{ en = "…", … }`` and the mirror has the text in
``<tag>`` as a plain string.  :class:`Mirrors` merges each mirror into the
raw TOML of its original, before it is structured, and reports every
problem with the mirror's file and key path (see ``docs/localisation.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from . import _locales
from ._model import PackageInfo

if TYPE_CHECKING:
    from importlib_resources.abc import Traversable

#: The folder of a package that holds its mirror files.
FOLDER = "locales"


class Collector(Protocol):
    """Where problems go: the loader's collector."""

    def add(self, file: str, path: str, message: str, line: int | None = None) -> None:
        """Report *message* at *path* of *file*."""


Reader = Callable[[Any, str, Any], "dict[str, Any] | None"]


def is_text(value: Any) -> bool:
    """True if *value* is a raw text table: strings by locale, with ``en``."""
    return (
        type(value) is dict
        and type(value.get(_locales.ENGLISH)) is str
        and all(type(v) is str for v in value.values())
    )


def _key(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _shape(value: Any) -> str:
    if type(value) is dict:
        return "a text table" if is_text(value) else "a table"
    if type(value) is list:
        return f"an array of {len(value)}"
    return f"a {type(value).__name__}"


class _Merge:
    """One mirror file merged into its original, problems reported."""

    def __init__(self, tag: str, file: str, original: str, col: Collector) -> None:
        self.tag, self.file, self.original, self.col = tag, file, original, col

    def fail(self, path: str, message: str) -> None:
        self.col.add(self.file, path, message)

    def value(self, orig: Any, mirror: Any, path: str) -> None:
        if type(mirror) is dict:
            self.table(orig, mirror, path)
        elif type(mirror) is list:
            self.array(orig, mirror, path)
        elif type(mirror) is not str:
            self.fail(
                path,
                f"got {type(mirror).__name__} {mirror!r}, expected the {self.tag} text",
            )
        elif not is_text(orig):
            self.fail(
                path,
                f"is {_shape(orig)} in {self.original}, not a text "
                '({ en = "…" }): only texts are translated',
            )
        elif self.tag in orig:
            self.fail(path, f"{self.tag} is given twice: inline in {self.original} too")
        else:
            orig[self.tag] = mirror

    def table(self, orig: Any, mirror: dict[str, Any], path: str) -> None:
        if is_text(orig):
            self.fail(
                path,
                f"is a table, but {self.original} has a text here: "
                f"expected the {self.tag} text as a string",
            )
            return
        if type(orig) is not dict:
            self.fail(path, f"is a table, but {self.original} has {_shape(orig)} here")
            return
        for key, value in mirror.items():
            if key not in orig:
                self.fail(_key(path, key), f"not in {self.original}")
            else:
                self.value(orig[key], value, _key(path, key))

    def array(self, orig: Any, mirror: list[Any], path: str) -> None:
        if type(orig) is not list or len(orig) != len(mirror):
            self.fail(
                path,
                f"is an array of {len(mirror)}, but {self.original} has "
                f"{_shape(orig)} here",
            )
            return
        for i, (o, m) in enumerate(zip(orig, mirror, strict=True)):
            self.value(o, m, f"{path}[{i}]")


def _texts(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """``(key path, text table)`` of every text table in a raw TOML value."""
    if is_text(value):
        yield path, value
    elif type(value) is dict:
        for key, item in value.items():
            yield from _texts(item, _key(path, key))
    elif type(value) is list:
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")


@attrs.define
class Mirrors:
    """The mirror files of one package folder, applied file by file.

    The loader calls :meth:`apply` on each data file's raw TOML as it reads
    it and :meth:`finish` once at the end (for mirrors of no file).
    *read* is the loader's file reader (the same checks as every data file).
    """

    folder: Traversable
    col: Collector
    read: Reader
    _used: set[str] = attrs.field(factory=set)
    _tags: tuple[str, ...] | None = None

    def tags(self) -> tuple[str, ...]:
        """The ``locales/<tag>`` folders of the package, sorted."""
        if self._tags is None:
            root = self.folder.joinpath(FOLDER)
            self._tags = tuple(
                sorted(e.name for e in root.iterdir() if e.is_dir())
                if root.is_dir()
                else ()
            )
        return self._tags

    def apply(
        self, rel: str, raw: dict[str, Any] | None, info: PackageInfo | None
    ) -> dict[str, Any] | None:
        """*raw* (the file *rel*) with its mirrors merged in; declared locales
        checked."""
        if raw is None:
            return None
        for tag in self.tags():
            file = f"{FOLDER}/{tag}/{rel}"
            node = self.folder.joinpath(FOLDER, tag, *rel.split("/"))
            mirror = self.read(node, file, self.col)
            if mirror is None:
                continue
            self._used.add(file)
            if rel in getattr(self.col, "unparsed", ()):
                continue  # the original is reported already: no cascade
            if _locales.is_supported(tag):
                _Merge(tag, file, rel, self.col).table(raw, mirror, "")
        if info is not None:
            self._check_declared(rel, raw, info)
        return raw

    def _check_declared(self, rel: str, raw: dict[str, Any], info: PackageInfo) -> None:
        wanted = [t for t in info.locales if _locales.is_supported(t)]
        for path, text in _texts(raw):
            missing = [t for t in wanted if t not in text]
            if missing:
                self.col.add(
                    rel,
                    path,
                    f"no {', '.join(missing)} text, but package.toml declares "
                    f"locales = {list(info.locales)!r} (add it inline or in "
                    f"{FOLDER}/{missing[0]}/{rel})",
                )

    def finish(self) -> None:
        """Report unknown locale folders and mirrors of files that do not exist."""
        for tag in self.tags():
            if not _locales.is_supported(tag):
                self.col.add(
                    f"{FOLDER}/{tag}",
                    "",
                    f"unknown locale {tag!r}{_locales.did_you_mean(tag)}; "
                    f"simexit speaks: {', '.join(_locales.tags())}",
                )
                continue
            root = self.folder.joinpath(FOLDER, tag)
            for file in _walk(root, f"{FOLDER}/{tag}/"):
                if file not in self._used:
                    original = file[len(f"{FOLDER}/{tag}/") :]
                    self.col.add(file, "", f"mirrors {original}, which does not exist")


def _walk(node: Traversable, prefix: str) -> Iterator[str]:
    for entry in sorted(node.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".toml"):
            yield prefix + entry.name


def check_locales(info: PackageInfo, col: Collector) -> None:
    """The ``locales`` a package declares are locales simexit speaks."""
    for i, tag in enumerate(info.locales):
        if not _locales.is_supported(tag):
            col.add(
                "package.toml",
                f"package.locales[{i}]",
                f"unknown locale {tag!r}{_locales.did_you_mean(tag)}, "
                f"expected one of: {', '.join(_locales.tags())}",
            )


def shared_locales(info: PackageInfo, core: PackageInfo | None) -> tuple[str, ...]:
    """The locales a country and its core both declare: a plan in any other
    shows some text in English (the notice ``fallback-language``)."""
    theirs = () if core is None else core.locales
    shared = [t for t in info.locales if t in theirs and _locales.is_supported(t)]
    return tuple(dict.fromkeys([_locales.ENGLISH, *shared]))


__all__ = [
    "Mirrors",
    "check_locales",
    "is_text",
    "shared_locales",
]
