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
country bundled with simexit, and only while it provably comes from the
files beside it.  Its first line records

* the format, the country code and simexit's version;
* ``inputs``: a BLAKE2b digest of the model's shape (every class, field and
  annotation the decoders use), of simexit's own ``*.py`` files and of the
  name and bytes of every ``*.toml`` file in ``data/core`` and in the
  country's folder;
* ``payload``: a digest of the rest of the file.

At load time both digests are computed again; if anything differs — a data
file or simexit edited in place, a damaged or hand-edited compiled file, a
folder entry that is not a regular file — the compiled file is ignored and
the country is read, and fully validated, from its TOML files, as in a
source checkout or an editable install, which have no compiled files.
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

FORMAT = "simexit-compiled-data 1"
#: The folder of compiled files, inside the bundled ``data`` folder.
FOLDER = "_compiled"

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


def _read_regular(path: str) -> bytes:
    """The bytes of *path*, which must be a regular file (never a FIFO)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _Refused(f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def _files(
    root: str, prefix: str, suffix: str, *, deep: bool = True
) -> Iterator[tuple[str, str]]:
    """``(relative name, path)`` of every *suffix* file under *root*, sorted;
    a symlink or any entry that is neither a folder nor a file is refused."""
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
            if not entry.is_file(follow_symlinks=False):
                raise _Refused(f"{entry.path} is not a regular file")
            yield rel, entry.path


def inputs_digest(core: str, folder: str) -> str:
    """The digest of everything a compiled country is derived from."""
    h = _hasher()
    h.update(FORMAT.encode())
    h.update("\n".join(get_decoders().shape).encode())
    for label, root, suffix in (
        ("code", _HERE, ".py"),
        ("core", core, ".toml"),
        ("country", folder, ".toml"),
    ):
        h.update(label.encode())
        for rel, path in _files(root, "", suffix, deep=label != "code"):
            data = _read_regular(path)
            name = rel.encode()
            h.update(len(name).to_bytes(4, "little") + name)
            h.update(len(data).to_bytes(8, "little") + data)
    return str(h.hexdigest())


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

    data = _read_regular(path_for(code))
    head_bytes, _, body = data.partition(b"\n")
    head = json.loads(head_bytes)
    if not isinstance(head, dict):
        raise _Refused("no header")
    expected = {
        "format": FORMAT,
        "code": code,
        "simexit": __version__,
        "inputs": inputs_digest(_CORE, os.path.join(_DATA, code.lower())),
        "payload": _digest(body),
    }
    if head != expected:
        raise _Refused("stale or damaged")
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
