"""Discovery of countries, plugin isolation, and the :class:`Registry`.

The last stage of loading: a registry knows who provides each country (a
bundled folder, an installed entry point, a folder given by path), reads and
checks a country on first use (:mod:`simexit._files`, :mod:`simexit._merge`)
or decodes it from the data compiled at build (:mod:`simexit._compiled`),
and compiles its engine.  An installed provider that fails breaks its
country alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._model import Country
from ._situation import plain_str
from .exceptions import DataPackageError, Problem, UnknownCountryError, shown

if TYPE_CHECKING:
    from pathlib import Path

    from importlib_resources.abc import Traversable

    from ._engine import CompiledCountry
    from ._entrypoints import EntryPoint
    from ._files import Collector, Package

T = TypeVar("T")

CORE = "core"
ENTRY_POINT_GROUP = "simexit.countries"


def _bundled() -> Traversable:
    """simexit's data folder: found by path when simexit is a plain directory
    (the folder importlib_resources would give, without importing it)."""
    import importlib.machinery
    import sys

    spec = sys.modules[__package__].__spec__
    loader = getattr(spec, "loader", None)
    plain = (
        importlib.machinery.SourceFileLoader,
        importlib.machinery.SourcelessFileLoader,
    )
    if isinstance(loader, plain):
        from ._compiled import bundled_data

        folder = bundled_data()
        if folder is not None:
            return folder
    import importlib_resources

    return importlib_resources.files(__package__).joinpath("data")


def _is_package(folder: Traversable) -> bool:
    return folder.is_dir() and folder.joinpath("package.toml").is_file()


#: Who claims a country: a label and its folder, or an entry point to import.
Provider = tuple[str, "Traversable | EntryPoint"]


@attrs.define(eq=False, repr=False)
class Registry:
    """The countries available to :func:`simexit.plan_for`.

    Installed packages are found by reading entry points, not importing
    them: a provider is imported when its country is first loaded, and a
    provider that fails (or two providers of one country) breaks that
    country alone -- see :meth:`broken`.

    A registry mutates only its own caches, each filled lazily on first use
    and under its lock: the providers resolved (imported), the core package
    read, the countries loaded and the engines compiled.  What it hands out
    -- a :class:`Country`, an engine -- is built once and shared; the
    engines keep their own memos (see ``simexit._memo``).
    """

    _core_folder: Traversable = attrs.field(alias="core")
    _providers: dict[str, list[Provider]] = attrs.field(alias="providers")
    #: Whether bundled countries may come from their compiled files.
    _compiled: bool = attrs.field(default=False, kw_only=True, alias="compiled")
    _lock: threading.RLock = attrs.field(init=False, factory=threading.RLock)
    _core: Package | None = attrs.field(init=False, default=None)
    _core_col: Collector | None = attrs.field(init=False, default=None)
    _countries: dict[str, Country] = attrs.field(init=False, factory=dict)
    _engines: dict[str, CompiledCountry] = attrs.field(init=False, factory=dict)
    #: The country built from the core data alone, before it is given a code.
    _bare: Country | None = attrs.field(init=False, default=None)
    _resolved: dict[str, tuple[str, Traversable] | DataPackageError] = attrs.field(
        init=False, factory=dict
    )

    def __repr__(self) -> str:
        return f"<simexit.Registry(countries={self.countries()!r})>"

    @classmethod
    def default(cls) -> Registry:
        """Bundled countries plus those installed through entry points.

        Entry points are read, not imported (see :meth:`broken`).
        """
        from ._entrypoints import provided

        providers: dict[str, list[Provider]] = {}
        root = _bundled()
        for entry in sorted(root.iterdir(), key=lambda e: e.name):
            if entry.name != CORE and _is_package(entry):
                providers.setdefault(entry.name.upper(), []).append(
                    (f"simexit (bundled {entry.name})", entry)
                )
        for ep in sorted(provided(ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value)):
            label = f"{ep.dist} (entry point {ep.name} = {ep.value})"
            providers.setdefault(ep.name.strip().upper(), []).append((label, ep))
        return cls(root.joinpath(CORE), providers, compiled=True)

    @classmethod
    def from_paths(cls, *folders: str | Path) -> Registry:
        """The core data plus the country folders given (for package authors).

        Each folder is read when its country is first loaded; here it is only
        checked to be a package folder.

        Raises:
            DataPackageError: a folder is not a path, or holds no
                ``package.toml`` (its country's data problems are raised
                when the country is loaded).

        >>> import simexit
        >>> simexit.Registry.from_paths("no-such-folder")
        Traceback (most recent call last):
          ...
        simexit.exceptions.DataPackageError: 1 problem in data package:
          no-such-folder/package.toml: required file is missing (is this a country package folder?)
        """
        providers: dict[str, list[Provider]] = {}
        for folder in folders:
            path = _folder_path(folder)
            if not _is_file(path.joinpath("package.toml")):
                raise DataPackageError(
                    (
                        Problem(
                            str(path),
                            "package.toml",
                            "",
                            "required file is missing (is this a country package folder?)",
                        ),
                    )
                )
            code = _peek_code(path)
            providers.setdefault(code, []).append((str(path), path))
        return cls(_bundled().joinpath(CORE), providers)

    def countries(self) -> tuple[str, ...]:
        """ISO codes of every country this registry provides, sorted.

        Broken countries are listed too; :meth:`broken` tells which.
        """
        return tuple(sorted(self._providers))

    def broken(self) -> dict[str, DataPackageError]:
        """The countries whose provider cannot be used, each with the error
        that loading it raises; empty when every provider is fine.

        A provider is broken when two packages claim its country, or when
        its entry point cannot be imported, is not a package, or holds no
        ``package.toml``.  This imports every installed provider not yet
        imported (once per registry) but does not read or check their data:
        that is :meth:`load`'s job.
        """
        out: dict[str, DataPackageError] = {}
        for code in self.countries():
            found = self._resolve(code)
            if isinstance(found, DataPackageError):
                out[code] = DataPackageError(found.problems)
        return out

    def _folder(self, code: Any) -> tuple[str, Traversable]:
        text = plain_str(code)
        key = text.strip().upper() if text is not None else None
        if key is None or key not in self._providers:
            raise UnknownCountryError(
                shown(code) if text is None else text, self.countries()
            )
        found = self._resolve(key)
        if isinstance(found, DataPackageError):
            raise DataPackageError(found.problems)  # a fresh one: no stale traceback
        return found

    def _resolve(self, key: str) -> tuple[str, Traversable] | DataPackageError:
        """The provider of *key*, imported once; a failure is kept, not retried."""
        found = self._resolved.get(key)
        if found is None:
            with self._lock:
                found = self._resolved.get(key)
                if found is None:
                    found = _resolve(key, self._providers[key])
                    self._resolved[key] = found
        return found

    def load(self, code: str) -> Country:
        """The validated :class:`Country` for *code* (any case)."""
        text = plain_str(code)
        key = "" if text is None else text.strip().upper()  # "" is never a country
        country = self._countries.get(key)
        if country is not None:
            return country
        _, folder = self._folder(code)
        with self._lock:
            country = self._countries.get(key)
            if country is None:
                country = self._load(key, folder)
                self._countries[key] = country
        return country

    def _load(self, code: str, folder: Traversable) -> Country:
        if self._compiled:
            from ._compiled import load  # bundled countries, compiled at build

            country = load(self._core_folder, folder, code)
            if country is not None:
                return country
        return self._read(code, folder)

    def _read(self, code: str, folder: Traversable) -> Country:
        """Read *code*'s TOML over the core and check it all (the slow way)."""
        from ._compiled import Folder
        from ._files import Collector, _read_package
        from ._merge import build_country

        if isinstance(folder, Folder):  # the TOML loader reads Paths
            folder = folder.path()
        core, core_col = self._read_core()
        col = Collector(code.lower())
        pkg = _read_package(folder, code.lower(), col)
        if pkg.info is not None and pkg.info.code.upper() != code:
            col.add(
                "package.toml",
                "package.code",
                f"got {pkg.info.code!r}, expected {code!r} (the country this package is registered for)",
            )
        country = build_country(core, pkg, col, core_col)
        problems = core_col.problems + col.problems
        if problems or country is None:
            raise DataPackageError(tuple(problems))
        return country

    def _read_core(self) -> tuple[Package, Collector]:
        """The core package, read once, and a fresh collector holding its
        problems (each country's checks add to their own copy)."""
        from ._compiled import Folder
        from ._files import Collector, _read_package

        if isinstance(self._core_folder, Folder):
            self._core_folder = self._core_folder.path()
        if self._core is None:
            first = Collector(CORE)
            self._core = _read_package(self._core_folder, CORE, first)
            self._core_col = first
        assert self._core_col is not None
        core_col = Collector(CORE)
        core_col.problems = list(self._core_col.problems)
        core_col.texts = self._core_col.texts
        return self._core, core_col

    def provides(self, code: str) -> bool:
        """Whether a package provides *code* (upper case; internal)."""
        return code in self._providers

    def bare(self, code: str) -> Country:
        """The country *code* built from the core data alone, for travel
        eSIMs in a country no package provides (internal; see
        ``simexit._anywhere``).  The core is read and checked once per
        registry; each country is that one value with its code.

        Raises:
            UnknownCountryError: *code* is not an ISO 3166-1 country, or a
                package provides it (load that instead).
        """
        from ._anywhere import bare_country, is_country

        if code in self._providers or not is_country(code):
            raise UnknownCountryError(code, self.countries())
        base = self._bare
        if base is None:
            with self._lock:
                base = self._bare
                if base is None:
                    from ._anywhere import build_bare

                    base = self._bare = build_bare(*self._read_core())
        return bare_country(base, code)

    def engine(self, code: str) -> CompiledCountry:
        """The compiled engine for *code* (internal): its package's, or for
        an ISO 3166-1 country no package provides, the :meth:`bare` one."""
        key = code.upper()
        eng = self._engines.get(key)
        if eng is None:
            country = self.load(code) if key in self._providers else self.bare(key)
            with self._lock:
                eng = self._engines.get(key)
                if eng is None:
                    from ._engine import CompiledCountry

                    eng = CompiledCountry(country)
                    self._engines[key] = eng
        return eng


class _Unusable(Exception):
    """Why an installed provider cannot serve its country."""


def _resolve(
    code: str, providers: list[Provider]
) -> tuple[str, Traversable] | DataPackageError:
    if len(providers) > 1:
        names = "; ".join(label for label, _ in providers)
        return _provider_error(code, f"provided by more than one package: {names}")
    from ._entrypoints import EntryPoint

    label, where = providers[0]
    if not isinstance(where, EntryPoint):
        return label, where
    try:
        return label, _locate(where.value)
    except _Unusable as e:
        return _provider_error(code, f"{label}: {e}")


def _provider_error(code: str, message: str) -> DataPackageError:
    return DataPackageError((Problem(code, "", "", message),))


def _locate(value: str) -> Traversable:
    """The folder of the package *value* names, imported; else _Unusable.

    Whatever the import does -- raise, exit, fail to compile -- stays a
    problem of this provider (only KeyboardInterrupt goes through).
    """
    if not value or not all(part.isidentifier() for part in value.split(".")):
        raise _Unusable(f"{value!r} is not the dotted name of a package")
    import importlib

    import importlib_resources

    module = _attempt("importing it", lambda: importlib.import_module(value))
    if _attempt("importing it", lambda: getattr(module, "__path__", None)) is None:
        raise _Unusable("it names a module, not a package (a folder of data files)")
    folder = _attempt("listing its files", lambda: importlib_resources.files(module))
    info = folder.joinpath("package.toml")
    if not _attempt("listing its files", info.is_file):
        raise _Unusable("its package has no package.toml (is it a country package?)")
    return folder


def _attempt(what: str, action: Callable[[], T]) -> T:
    """What *action* returns; anything it raises but Ctrl-C is _Unusable."""
    try:
        return action()
    except KeyboardInterrupt:
        raise
    except BaseException as e:
        raise _Unusable(f"{what} raised {_describe(e)}") from None


def _describe(error: BaseException, limit: int = 200) -> str:
    """``Type: message`` of *error* on one line, even if its ``str`` fails."""
    name = _safely(lambda: type(error).__name__, "an exception")
    text = _safely(lambda: " ".join(str(error).split()), "")
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return f"{name}: {text}" if text else name


def _safely(show: Callable[[], str], default: str) -> str:
    """What *show* returns, or *default* if it raises (a plugin's exception
    may have a hostile ``__str__``)."""
    try:
        text = show()
    except KeyboardInterrupt:
        raise
    except BaseException:
        return default
    return text if isinstance(text, str) else default


def _folder_path(folder: object) -> Path:
    """*folder* (a str or pathlib path) as a Path; anything else is refused."""
    from pathlib import Path, PurePath

    text = plain_str(folder)
    if text is None and isinstance(folder, PurePath):
        text = PurePath.__str__(folder)  # not a subclass's own __str__
    if not text or "\0" in text:
        raise DataPackageError(
            (
                Problem(
                    shown(folder),
                    "",
                    "",
                    "expected the path of a country package folder (a non-empty "
                    "str or pathlib.Path without NUL)",
                ),
            )
        )
    return Path(text)


def _folder_list(folders: object) -> list[Any]:
    """*folders*, an iterable of paths or one path, as a list."""
    from pathlib import PurePath

    if isinstance(folders, str | PurePath):
        return [folders]
    try:
        return list(folders)  # type: ignore[call-overload, no-any-return]
    except TypeError:
        raise DataPackageError(
            (Problem(shown(folders), "", "", "expected a list of package folders"),)
        ) from None


def _is_file(path: Path) -> bool:
    """Whether *path* is a file; a path the system cannot even look up is not."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # too long, or a component is not readable
        return False


def _peek_code(path: Path) -> str:
    import tomllib

    try:
        raw = tomllib.loads(path.joinpath("package.toml").read_text("utf-8"))
        code = raw["package"]["code"]
        if isinstance(code, str) and code:
            return code.upper()
    except (tomllib.TOMLDecodeError, KeyError, TypeError, UnicodeDecodeError):
        pass
    return path.name.upper()


def validate_paths(folders: Iterable[str | Path]) -> list[Problem]:
    """Every problem in the given package folders (empty when all are valid)."""
    problems: list[Problem] = []
    for folder in _folder_list(folders):
        try:
            reg = Registry.from_paths(folder)
            for code in reg.countries():
                reg.load(code)
        except DataPackageError as e:
            problems.extend(e.problems)
    return problems
