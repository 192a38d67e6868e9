"""A bytecode-style cache of loaded and validated countries.

Loading a country reads and parses its TOML files, structures them with
cattrs and checks every reference: about 40 ms, most of a fresh process's
first plan.  The result depends only on the package files and on simexit's
own loader code, so, the way Python caches compiled modules in
``__pycache__``, simexit keeps the validated :class:`~simexit.Country` next
to the data and reuses it while every input is byte-for-byte unchanged.

Where and when, as for ``.pyc`` files:

* the cache lives in the country folder's ``__pycache__`` directory, or
  under :data:`sys.pycache_prefix` when that is set
  (``PYTHONPYCACHEPREFIX``), as ``simexit-data-<CODE>-<core>.<tag>.pickle``;
* it is never written when :data:`sys.dont_write_bytecode` is set
  (``PYTHONDONTWRITEBYTECODE``, ``python -B``), when a folder is not a plain
  directory, or when the directory is not writable — nothing fails then, the
  data is simply read from the TOML files;
* it is used only if the digest recorded in it matches a digest of the cache
  format, simexit's version, the Python version, the source of the modules
  that load and define the data model, and the name and bytes of every TOML
  file in the core and the country folders;
* only packages that load without problems are cached, so a broken package
  is read, and reported, every time.

The file is a pickle written by simexit and read only from the places that
hold simexit's and the data package's own bytecode: it is trusted exactly as
much as the ``.pyc`` files Python executes from there.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

from ._model import Country

#: Bumped whenever what is pickled changes shape in a way the digest misses.
FORMAT = b"simexit-data-cache 1\n"

#: Modules whose code decides what a loaded Country is.
_SOURCES = (
    "_conditions.py",
    "_convert.py",
    "_datacache.py",
    "_loader.py",
    "_model.py",
    "_situation.py",
)


def _hasher() -> Any:
    try:  # hashlib costs ~5 ms to import (OpenSSL); its blake2b is this one
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import blake2b
    return blake2b(digest_size=20)


class DataCache:
    """The cache file of one country package combined with one core."""

    def __init__(self, path: Path, digest: bytes) -> None:
        self.path = path
        self.digest = digest

    @classmethod
    def locate(cls, core: Any, folder: Any, code: str) -> DataCache | None:
        """The cache for *folder* over *core*, or None if it cannot have one."""
        if not (isinstance(core, Path) and isinstance(folder, Path)):
            return None  # zip files, namespace packages: no place to keep it
        try:
            digest = _digest(core, folder)
        except OSError:
            return None
        core_id = _hasher()
        core_id.update(os.fsencode(os.path.abspath(core)))
        name = (
            f"simexit-data-{code}-{core_id.hexdigest()[:12]}."
            f"{sys.implementation.cache_tag}.pickle"
        )
        here = os.path.abspath(folder)
        prefix = sys.pycache_prefix
        if prefix:
            where = Path(prefix, *Path(here).parts[1:])
        else:
            where = Path(here, "__pycache__")
        return cls(where / name, digest)

    def read(self, code: str) -> Country | None:
        """The cached Country, if the cache exists and is current."""
        try:
            with open(self.path, "rb") as f:
                head = f.read(len(FORMAT) + len(self.digest))
                if head != FORMAT + self.digest:
                    return None
                data = f.read()
        except OSError:
            return None
        import pickle

        try:
            country = pickle.loads(data)
        except Exception:  # a damaged file is a cache miss, not an error
            return None
        if not isinstance(country, Country) or country.code != code:
            return None
        return country

    def write(self, country: Country) -> None:
        """Store *country*, unless bytecode writing is off or it cannot."""
        if sys.dont_write_bytecode:
            return
        import pickle

        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                f.write(FORMAT + self.digest)
                f.write(pickle.dumps(country, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _digest(core: Path, folder: Path) -> bytes:
    import simexit

    h = _hasher()
    h.update(FORMAT)
    h.update(f"{simexit.__version__} {sys.version}".encode())
    here = Path(__file__).parent
    for name in _SOURCES:
        h.update(name.encode())
        h.update(here.joinpath(name).read_bytes())
    for label, root in ((b"core", core), (b"country", folder)):
        h.update(label)
        for path in sorted(_toml_files(root)):
            data = path.read_bytes()
            rel = path.relative_to(root).as_posix().encode()
            h.update(len(rel).to_bytes(4, "little") + rel)
            h.update(len(data).to_bytes(8, "little") + data)
    digest: bytes = h.digest()
    return digest


def _toml_files(root: Path) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        out.extend(Path(dirpath, f) for f in filenames if f.endswith(".toml"))
    return out
