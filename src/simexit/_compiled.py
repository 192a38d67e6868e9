"""The bundled countries in compiled form: JSON made when the wheel is built.

Reading a country from its TOML files costs most of a fresh process's first
plan (parsing, cattrs, cross-checks).  So when a wheel is built, the build
hook (``hatch_build.py``) runs the normal TOML loader over every bundled
country and stores the validated result as
``simexit/data/_compiled/<code>.json``: plain JSON, data only, read with
:func:`json.loads` and turned back into model objects by decoders derived
from the model's own field annotations (:mod:`._codec`, which encodes and
decodes; this module reads, writes and vouches for the files).  Nothing in
it is ever executed, and nothing is ever written at run time.

A compiled file is used only by :meth:`simexit.Registry.default`, only for a
country bundled with simexit, and only while the files beside it are the
ones it was compiled from.  Its first line records

* the format, the country code and simexit's version;
* ``inputs``: a BLAKE2b digest of the model's shape (every class, field and
  annotation the decoders use) and of the name and size of simexit's own
  ``*.py`` files and of every ``*.toml`` file in ``data/core`` and in the
  country's folder — what one directory walk tells, no file is opened;
* ``payload``: a digest of the rest of the file.

At load time the inputs digest is computed again and the payload digest
checked, and no input file may have been modified more than
:data:`WINDOW_NS` after the compiled file was written (an edit in place,
even of the same length).  If anything differs — a data file or simexit
edited in place, a file added or removed, a damaged or hand-edited compiled
file, a folder entry that is not a regular file — the compiled file is
ignored and the country is read, and fully validated, from its TOML files,
as in a source checkout or an editable install, which have no compiled
files.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import __version__
from ._codec import Refused as _Refused
from ._codec import decode, encode, get_decoders
from ._model import Country

if TYPE_CHECKING:
    from pathlib import Path

FORMAT = "simexit-compiled-data 2"
#: The folder of compiled files, inside the bundled ``data`` folder.
FOLDER = "_compiled"

#: How much later than its compiled file an input may have been modified:
#: an installer writes a wheel's files one after the other, in any order,
#: within moments; an edit made later is an edit.
WINDOW_NS = 10 * 1_000_000_000

_HERE = os.path.dirname(os.path.abspath(__file__))
_DATA = os.path.join(_HERE, "data")
_CORE = os.path.join(_DATA, "core")


def path_for(code: str) -> str:
    """Where the compiled file of bundled country *code* lives."""
    return os.path.join(_DATA, FOLDER, f"{code.lower()}.json")


class Folder:
    """A folder of the bundled data, by its path: the part of
    :class:`importlib.resources.abc.Traversable` that discovery and
    :func:`load` use, without :mod:`pathlib` (about 10 ms to import, with
    :mod:`urllib.parse`).  The TOML loader is given a :class:`pathlib.Path`
    for it (:meth:`path`), so reading from files works as for any folder.
    """

    __slots__ = ("_path",)

    def __init__(self, path: str) -> None:
        self._path = path

    def __fspath__(self) -> str:
        return self._path

    def __repr__(self) -> str:
        return f"Folder({self._path!r})"

    def __str__(self) -> str:
        return self._path

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Folder):
            return self._path == other._path
        if isinstance(other, os.PathLike):
            return bool(self._path == os.fspath(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._path)

    @property
    def name(self) -> str:
        return os.path.basename(self._path)

    def joinpath(self, *descendants: str | os.PathLike[str]) -> Folder:
        return Folder(os.path.join(self._path, *(os.fspath(d) for d in descendants)))

    def __truediv__(self, child: str | os.PathLike[str]) -> Folder:
        return self.joinpath(child)

    def open(self, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        return self.path().open(mode, *args, **kwargs)

    def iterdir(self) -> Iterator[Folder]:
        with os.scandir(self._path) as it:
            names = [e.name for e in it]
        return (Folder(os.path.join(self._path, n)) for n in names)

    def is_dir(self) -> bool:
        return os.path.isdir(self._path)

    def is_file(self) -> bool:
        return os.path.isfile(self._path)

    def read_bytes(self) -> bytes:
        return self.path().read_bytes()

    def read_text(self, encoding: str | None = None, errors: str | None = None) -> str:
        return self.path().read_text(encoding, errors)

    def path(self) -> Path:
        """This folder as a :class:`pathlib.Path`."""
        from pathlib import Path

        return Path(self._path)


def bundled_data() -> Folder | None:
    """simexit's own data folder, if simexit is a plain directory."""
    return Folder(_DATA) if os.path.isdir(_DATA) else None


# -- compiling (build time) ----------------------------------------------------


def compile_country(country: Country, core: str, folder: str) -> bytes:
    """The compiled file for *country*, read from *core* and *folder*."""
    import json

    payload = json.dumps(encode(country), ensure_ascii=False, separators=(",", ":"))
    body = payload.encode("utf-8")
    head = {
        "format": FORMAT,
        "code": country.code,
        "simexit": __version__,
        "inputs": inputs_digest(core, folder),
        "payload": _digest(body),
    }
    return json.dumps(head, sort_keys=True).encode("ascii") + b"\n" + body


# -- digests and reading -----------------------------------------------------------


def _hasher() -> Any:
    try:  # hashlib costs ~5 ms to import (OpenSSL); its blake2b is this one
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import blake2b
    return blake2b(digest_size=20)


def _digest(data: bytes) -> str:
    h = _hasher()
    h.update(data)
    return str(h.hexdigest())


def _read_regular(path: str) -> tuple[bytes, int]:
    """The bytes of *path*, which must be a regular file (never a FIFO),
    and when it was last modified (``st_mtime_ns``)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Refused(f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(), info.st_mtime_ns
    finally:
        os.close(fd)


def _files(
    root: str, prefix: str, suffix: str, *, deep: bool = True
) -> Iterator[tuple[str, os.stat_result]]:
    """``(relative name, lstat)`` of every *suffix* file under *root*,
    sorted; a symlink or any entry that is neither a folder nor a regular
    file is refused.  Nothing is opened."""
    with os.scandir(root) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_symlink():
            raise _Refused(f"{entry.path} is a symlink")
        if entry.is_dir(follow_symlinks=False):
            if deep:
                yield from _files(entry.path, rel + "/", suffix)
        elif entry.name.endswith(suffix):
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                raise _Refused(f"{entry.path} is not a regular file")
            yield rel, info


def inputs_digest(core: str, folder: str) -> str:
    """The digest of everything a compiled country is derived from."""
    return _inputs(core, folder)[0]


def _inputs(core: str, folder: str) -> tuple[str, int]:
    """The inputs digest, and when the newest input was last modified
    (``st_mtime_ns``).  One walk of the three folders; the digest takes
    each file's name and size, so a file added, removed or resized shows."""
    h = _hasher()
    h.update(FORMAT.encode())
    h.update("\n".join(get_decoders().shape).encode())
    newest = 0
    for label, root, suffix in (
        ("code", _HERE, ".py"),
        ("core", core, ".toml"),
        ("country", folder, ".toml"),
    ):
        h.update(label.encode())
        for rel, info in _files(root, "", suffix, deep=label != "code"):
            name = rel.encode()
            h.update(len(name).to_bytes(4, "little") + name)
            h.update(info.st_size.to_bytes(8, "little"))
            newest = max(newest, info.st_mtime_ns)
    return str(h.hexdigest()), newest


def _plain(folder: Any) -> str | None:
    """The absolute path of *folder* if it is a plain directory path."""
    if not isinstance(folder, os.PathLike):
        return None
    path = os.fspath(folder)
    return os.path.abspath(path) if isinstance(path, str) else None


def load(core: Any, folder: Any, code: str) -> Country | None:
    """Bundled country *code* from its compiled file, or None to read TOML.

    None whenever *core* and *folder* are not simexit's own bundled
    folders, there is no compiled file (a source checkout, an editable
    install), or it is not exactly what the files beside it compile to.
    """
    if _plain(core) != _CORE or _plain(folder) != os.path.join(_DATA, code.lower()):
        return None
    import gc

    collecting = gc.isenabled()
    gc.disable()  # a few thousand long-lived objects: nothing to collect
    try:
        return _load(code)
    except Exception:  # any doubt at all: the TOML files decide
        return None
    finally:
        if collecting:
            gc.enable()


def _load(code: str) -> Country:
    import json

    data, written = _read_regular(path_for(code))
    head_bytes, _, body = data.partition(b"\n")
    head = json.loads(head_bytes)
    if not isinstance(head, dict):
        raise _Refused("no header")
    inputs, newest = _inputs(_CORE, os.path.join(_DATA, code.lower()))
    expected = {
        "format": FORMAT,
        "code": code,
        "simexit": __version__,
        "inputs": inputs,
        "payload": _digest(body),
    }
    if head != expected:
        raise _Refused("stale or damaged")
    if newest > written + WINDOW_NS:
        raise _Refused("a file it was compiled from was modified since")
    country = decode(json.loads(body))
    if country.code != code:
        raise _Refused("another country")
    return country


def compile_bundled(data: str) -> dict[str, bytes]:
    """Every bundled country under *data* (simexit's data folder), compiled
    with the normal TOML loader: ``{code: compiled file}``.  Used by the
    build hook; raises :class:`~simexit.DataPackageError` if any is invalid."""
    from ._loader import CORE, Registry

    out: dict[str, bytes] = {}
    core = os.path.join(data, CORE)
    for name in sorted(os.listdir(data)):
        folder = os.path.join(data, name)
        if name == CORE or not os.path.isfile(os.path.join(folder, "package.toml")):
            continue
        code = name.upper()
        from pathlib import Path

        reg = Registry(Path(core), {code: [(name, Path(folder))]})
        country = reg.load(code)
        blob = compile_country(country, core, folder)
        if decode_file(blob) != country:  # pragma: no cover - a decoder bug
            raise AssertionError(f"compiled {code} does not decode to itself")
        out[code] = blob
    return out


def decode_file(blob: bytes) -> Country:
    """The Country in a compiled file, without any check (for tests and the
    build's own round trip)."""
    import json

    return decode(json.loads(blob.partition(b"\n")[2]))


# -- UI catalogues -------------------------------------------------------------
#
# simexit's own catalogues (``simexit/locales/<tag>.toml``) are compiled the
# same way, into ``simexit/locales/_compiled/<tag>.json``, so that rendering
# a plan does not import and run ``tomllib``.  A catalogue is one small file:
# its compiled form records the digest of that file's bytes, which is read
# and hashed again (a few kB) before the compiled form is used.

CATALOGUE_FORMAT = "simexit-compiled-catalogue 1"
_LOCALES = os.path.join(_HERE, "locales")


def catalogue_path_for(tag: str) -> str:
    """Where the compiled form of bundled catalogue *tag* lives."""
    return os.path.join(_LOCALES, FOLDER, f"{tag}.json")


def compile_catalogue(tag: str, source: bytes) -> bytes:
    """The compiled form of catalogue *tag*, whose TOML file holds *source*."""
    import json
    import tomllib

    table = tomllib.loads(source.decode("utf-8"))
    body = json.dumps(table, ensure_ascii=False, separators=(",", ":"))
    if json.loads(body) != table:  # pragma: no cover - TOML JSON cannot hold
        raise ValueError(f"catalogue {tag} does not survive JSON")
    head = {"format": CATALOGUE_FORMAT, "tag": tag, "source": _digest(source)}
    return json.dumps(head, sort_keys=True).encode("ascii") + b"\n" + body.encode()


def compile_catalogues(folder: str) -> dict[str, bytes]:
    """Every catalogue ``<tag>.toml`` in *folder*, compiled: ``{tag: file}``
    (used by the build hook)."""
    out: dict[str, bytes] = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".toml"):
            tag = name[: -len(".toml")]
            out[tag] = compile_catalogue(
                tag, _read_regular(os.path.join(folder, name))[0]
            )
    return out


def load_catalogue(path: str) -> dict[str, Any] | None:
    """The catalogue in TOML file *path* from its compiled form, or None to
    parse the TOML: None unless *path* is one of simexit's own catalogues
    and its compiled form was made from exactly the bytes it holds now."""
    folder, name = os.path.split(os.path.abspath(path))
    if folder != _LOCALES or not name.endswith(".toml"):
        return None
    tag = name[: -len(".toml")]
    try:
        import json

        blob, _ = _read_regular(catalogue_path_for(tag))
        source, _ = _read_regular(path)
        head_bytes, _, body = blob.partition(b"\n")
        expected = {"format": CATALOGUE_FORMAT, "tag": tag, "source": _digest(source)}
        if json.loads(head_bytes) != expected:
            return None
        table = json.loads(body)
    except Exception:  # any doubt at all: the TOML file decides
        return None
    return table if isinstance(table, dict) else None
