"""Installed country packages are isolated: a broken one breaks its own country.

The plugins here are real distributions: small hatchling projects built into
wheels and installed by pip into throwaway folders, which a test puts on
``sys.path`` (in-process) or ``PYTHONPATH`` (for the command line).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

import simexit
from simexit import DataPackageError, Registry, Situation, _entrypoints, _loader

ROOT = Path(__file__).resolve().parent.parent
KZ_DATA = ROOT / "src" / "simexit" / "data" / "kz"
EXAMPLE_DATA = ROOT / "examples" / "simexit-example" / "src" / "simexit_example"
TODAY = dt.date(2026, 11, 23)
KZ = Situation(country="KZ", operator="beeline", card=simexit.Card.PHYSICAL_SIM)


def _package(code: str) -> str:
    return (
        f'[package]\ncode = "{code}"\ncurrency = "EUR"\nlanguages = []\n'
        'cards = ["physical_sim"]\ndata_version = "1.0.0"\n'
        "data_as_of = 2026-11-23\n"
    )


@attrs.frozen
class Plugin:
    """One throwaway distribution and what simexit must say about it."""

    dist: str
    code: str
    value: str
    files: dict[str, str]
    why: str  # a regex the country's DataPackageError must match

    @property
    def label(self) -> str:
        return f"{self.dist} (entry point {self.code} = {self.value})"


#: Appends a line to a file beside the plugin each time it is imported.
COUNT = (
    "import pathlib\n"
    "with open(pathlib.Path(__file__).parent.parent / 'imports.log', 'a') as f:\n"
    "    f.write('imported\\n')\n"
)

#: An exception that cannot even be turned into text.
HOSTILE = (
    "class Hostile(Exception):\n"
    "    def __str__(self):\n"
    "        raise SystemExit(4)\n"
    "raise Hostile()\n"
)

BROKEN = {
    p.dist: p
    for p in [
        Plugin(
            "simexit-az-rival",
            "AZ",
            "simexit_az_rival",
            {
                "simexit_az_rival/__init__.py": "",
                "simexit_az_rival/package.toml": _package("AZ"),
            },
            r"provided by more than one package: simexit \(bundled az\); "
            r"simexit-az-rival \(entry point AZ = simexit_az_rival\)",
        ),
        Plugin(
            "simexit-gone",
            "XB",
            "simexit_gone.data",
            {"simexit_gone/__init__.py": ""},
            r"importing it raised ModuleNotFoundError: No module named "
            r"'simexit_gone\.data'",
        ),
        Plugin(
            "simexit-raises",
            "XC",
            "simexit_raises",
            {"simexit_raises/__init__.py": COUNT + "raise RuntimeError('exploded')\n"},
            r"importing it raised RuntimeError: exploded",
        ),
        Plugin(
            "simexit-syntax",
            "XD",
            "simexit_syntax",
            {"simexit_syntax/__init__.py": "def broken(:\n    pass\n"},
            r"importing it raised SyntaxError",
        ),
        Plugin(
            "simexit-exits",
            "XE",
            "simexit_exits",
            {"simexit_exits/__init__.py": COUNT + "import sys\nsys.exit(3)\n"},
            r"importing it raised SystemExit: 3",
        ),
        Plugin(
            "simexit-hostile",
            "XH",
            "simexit_hostile",
            {"simexit_hostile/__init__.py": HOSTILE},
            r"importing it raised Hostile$",
        ),
        Plugin(
            "simexit-plain",
            "XF",
            "simexit_plain",
            {"simexit_plain.py": ""},
            r"it names a module, not a package",
        ),
        Plugin(
            "simexit-nodata",
            "XG",
            "simexit_nodata",
            {"simexit_nodata/__init__.py": "", "simexit_nodata/sources.toml": ""},
            r"its package has no package\.toml",
        ),
    ]
}

#: A valid country whose import leaves a marker file beside it.
MARKER = Plugin(
    "simexit-marker",
    "XM",
    "simexit_marker",
    {
        "simexit_marker/__init__.py": (
            "import pathlib\n"
            "(pathlib.Path(__file__).parent.parent / 'imported.marker').touch()\n"
        ),
        "simexit_marker/package.toml": (EXAMPLE_DATA / "data" / "package.toml")
        .read_text("utf-8")
        .replace('code = "XA"', 'code = "XM"'),
        "simexit_marker/sources.toml": (
            EXAMPLE_DATA / "data" / "sources.toml"
        ).read_text("utf-8"),
        "simexit_marker/operators/example-mobile.toml": (
            EXAMPLE_DATA / "data" / "operators" / "example-mobile.toml"
        ).read_text("utf-8"),
    },
    "",
)
#: Ctrl-C during the import is the user's, not the plugin's: it goes through.
INTERRUPT = Plugin(
    "simexit-interrupt",
    "XI",
    "simexit_interrupt",
    {"simexit_interrupt/__init__.py": "raise KeyboardInterrupt\n"},
    "",
)
PLUGINS = [*BROKEN.values(), MARKER]
BUILT = [*PLUGINS, INTERRUPT]
MODULES = {p.value.partition(".")[0] for p in BUILT}


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


PIP = (sys.executable, "-m", "pip", "-q")


def _pip(*args: str) -> None:
    subprocess.run(
        [*PIP, *args],
        check=True,
        capture_output=True,
        env=_env(),
    )


def _project(root: Path, plugin: Plugin) -> Path:
    project = root / plugin.dist
    tops = sorted({name.partition("/")[0] for name in plugin.files})
    (project / "src").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling"]\n'
        'build-backend = "hatchling.build"\n\n'
        f'[project]\nname = "{plugin.dist}"\nversion = "1.0"\n\n'
        '[project.entry-points."simexit.countries"]\n'
        f'{plugin.code} = "{plugin.value}"\n\n'
        "[tool.hatch.build.targets.wheel]\n"
        f"only-include = {json.dumps([f'src/{t}' for t in tops])}\n"
        'sources = ["src"]\n',
        "utf-8",
    )
    for name, text in plugin.files.items():
        path = project / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return project


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every plugin built into a wheel, in one pip call."""
    root = tmp_path_factory.mktemp("plugins")
    projects = [str(_project(root, p)) for p in BUILT]
    out = root / "wheels"
    build = ("wheel", "--no-deps", "--no-build-isolation", "--no-index")
    _pip(*build, "-w", str(out), *projects)
    return {p.dist: next(out.glob(p.dist.replace("-", "_") + "-*.whl")) for p in BUILT}


#: Every set of plugins a test installs together.
SETS = [
    *((p.dist,) for p in [*BROKEN.values(), MARKER, INTERRUPT]),
    ("simexit-exits", "simexit-raises"),
    tuple(sorted(p.dist for p in PLUGINS)),
]


@pytest.fixture(scope="session")
def sites(
    wheels: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, ...], Path]:
    """For each set, a folder into which pip installed those plugins
    (the pip processes run side by side)."""
    targets = {key: tmp_path_factory.mktemp("site") for key in SETS}
    install = (*PIP, "install", "--no-deps", "--no-index", "--no-compile")
    running = [
        subprocess.Popen(
            [*install, "--target", str(target), *(str(wheels[d]) for d in key)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=_env(),
        )
        for key, target in targets.items()
    ]
    for proc in running:
        out, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, out
    return targets


Activate = Callable[..., Path]


@pytest.fixture
def activate(
    sites: dict[tuple[str, ...], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Activate]:
    """Put installed plugins on sys.path, with a fresh default registry.

    The folder is a copy, so that the files plugins write on import never
    reach another test; the modules they leave in sys.modules are removed.
    """

    def call(*dists: str) -> Path:
        site = tmp_path / "site"
        shutil.copytree(sites[tuple(sorted(dists))], site)
        monkeypatch.syspath_prepend(str(site))
        monkeypatch.setattr(_loader, "_default", None)
        return site

    yield call
    for name in [m for m in sys.modules if m.partition(".")[0] in MODULES]:
        del sys.modules[name]


def _simexit(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simexit", *args],
        capture_output=True,
        text=True,
        env=_env(PYTHONPATH=str(site)),
        cwd=site,
        timeout=120,
    )


@functools.cache
def _plain_kz_plan() -> str:
    """KZ's plan from the bundled data alone, no plugin installed."""
    reg = Registry.from_paths(KZ_DATA)
    return simexit.to_json(simexit.plan_for(KZ, today=TODAY, registry=reg))


@pytest.fixture(params=sorted(BROKEN), ids=lambda d: d.removeprefix("simexit-"))
def broken(request: pytest.FixtureRequest, activate: Activate) -> tuple[Plugin, Path]:
    """One broken plugin, installed and on sys.path."""
    plugin = BROKEN[request.param]
    return plugin, activate(plugin.dist)


class TestOneBrokenPlugin:
    def test_countries_lists_every_code(self, broken):
        """The broken code is listed with the others; nothing raises."""
        plugin, _ = broken

        assert {"AZ", "KZ", plugin.code} <= set(simexit.countries())

    def test_kz_plans_as_without_it(self, broken):
        """Another country's plan is exactly what it is without the plugin."""
        plan = simexit.plan_for(KZ, today=TODAY)

        assert simexit.to_json(plan) == _plain_kz_plan()

    def test_its_country_is_a_data_package_error_naming_it(self, broken):
        """Loading or planning the broken code raises DataPackageError
        naming every provider, each time it is asked for."""
        plugin, _ = broken
        for call in (
            lambda: simexit.load_country(plugin.code),
            lambda: simexit.plan_for(Situation(country=plugin.code), today=TODAY),
            lambda: simexit.load_country(plugin.code.lower()),
        ):
            with pytest.raises(DataPackageError) as caught:
                call()
            assert re.search(plugin.why, str(caught.value)), str(caught.value)
            assert plugin.label in str(caught.value)
            assert caught.value.problems[0].package == plugin.code

    def test_broken_tells_without_raising(self, broken):
        """Registry.broken() maps exactly that code to the error load raises."""
        plugin, _ = broken
        registry = Registry.default()

        found = registry.broken()

        assert list(found) == [plugin.code]
        with pytest.raises(DataPackageError) as caught:
            registry.load(plugin.code)
        assert found[plugin.code].problems == caught.value.problems

    def test_cli_marks_it_and_lists_the_others(self, broken):
        """simexit countries: every country, the broken one marked, exit 0."""
        plugin, site = broken

        result = _simexit(site, "countries")
        lines = result.stdout.splitlines()
        (mark,) = [line for line in lines if line.startswith(f"{plugin.code}  ")]

        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert "KZ  Kazakhstan" in lines
        assert "[broken: " in mark
        assert plugin.label in mark
        assert [line for line in lines if "[broken" in line] == [mark]

    def test_cli_plans_kz(self, broken):
        """simexit plan --country KZ works beside the broken plugin."""
        _, site = broken

        result = _simexit(
            site, "plan", "--country", "KZ", "--operator", "beeline",
            "--card", "physical-sim", "--today", "2026-11-23", "--format", "json",
        )  # fmt: skip

        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == _plain_kz_plan() + "\n"

    def test_cli_refuses_its_country_in_one_line(self, broken):
        """Planning the broken code: exit 2, one line naming the provider."""
        plugin, site = broken

        result = _simexit(site, "plan", "--country", plugin.code, "--card", "esim")

        assert result.returncode == 2
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert plugin.label in result.stderr


class TestAllBrokenAtOnce:
    def test_every_broken_code_and_nothing_else(self, activate):
        """With every broken plugin installed together, each code is broken
        on its own and the good countries still load."""
        activate(*(p.dist for p in PLUGINS))
        registry = Registry.default()

        assert set(registry.broken()) == {p.code for p in BROKEN.values()}
        assert registry.load("XM").code == "XM"
        assert (
            simexit.to_json(simexit.plan_for(KZ, today=TODAY, registry=registry))
            == _plain_kz_plan()
        )

    def test_cli_marks_each_one(self, activate):
        """simexit countries marks every broken code once and exits 0."""
        site = activate(*(p.dist for p in PLUGINS))

        result = _simexit(site, "countries")
        lines = result.stdout.splitlines()
        marked = {line.split()[0] for line in lines if "[broken: " in line}

        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert marked == {p.code for p in BROKEN.values()}
        assert "KZ  Kazakhstan" in lines
        assert {"KZ", "XM"} <= {line.split()[0] for line in lines}


class TestLaziness:
    def test_discovery_imports_no_plugin(self, activate):
        """Building the registry, listing and planning another country import
        nothing; loading the country imports its provider."""
        site = activate(MARKER.dist)
        marker = site / "imported.marker"

        registry = Registry.default()
        codes = simexit.countries()
        text = repr(registry)
        simexit.plan_for(KZ, today=TODAY)

        assert "XM" in codes
        assert (
            text
            == "<simexit.Registry(countries=('AE', 'AZ', 'GE', 'JP', 'KZ', 'UZ', 'XM'))>"
        )
        assert not marker.exists()
        assert "simexit_marker" not in sys.modules
        assert simexit.load_country("xm").operators
        assert marker.exists()

    def test_a_failure_is_not_retried(self, activate):
        """A provider that fails is imported once, however often it is asked."""
        site = activate(BROKEN["simexit-raises"].dist, BROKEN["simexit-exits"].dist)
        registry = Registry.default()
        for _ in range(3):
            registry.broken()
            for code in ("XC", "XE"):
                with pytest.raises(DataPackageError):
                    registry.load(code)

        assert (site / "imports.log").read_text().splitlines() == ["imported"] * 2

    def test_ctrl_c_while_importing_goes_through(self, activate):
        """KeyboardInterrupt is not a broken provider: it reaches the caller."""
        activate(INTERRUPT.dist)
        registry = Registry.default()

        assert "XI" in registry.countries()
        with pytest.raises(KeyboardInterrupt):
            registry.load("XI")


class TestMessages:
    def test_a_long_exception_message_is_cut(self):
        """What a plugin's exception says is shown on one bounded line."""
        text = _loader._describe(ValueError("line\n" * 1000))

        assert text.startswith("ValueError: line line")
        assert "\n" not in text
        assert len(text) < 220


def _registry_of(value: str) -> Registry:
    """A registry whose one country XZ comes from an entry point to *value*."""
    ep = _entrypoints.EntryPoint("simexit-fake", "XZ", value)
    core = _loader._bundled().joinpath("core")
    return Registry(core, {"XZ": [("simexit-fake (entry point XZ)", ep)]})


class TestProviderChecks:
    @pytest.mark.parametrize("value", ["pkg:attr", "", ".relative", "a..b", "1a"])
    def test_a_value_that_is_no_package_name_is_not_imported(self, value):
        """An entry point value must be a dotted package name."""
        with pytest.raises(
            DataPackageError, match="is not the dotted name of a package"
        ):
            _registry_of(value).load("XZ")

    def test_a_package_whose_files_cannot_be_listed(self, monkeypatch):
        """A module that poses as a package but has no spec to read files
        through is a problem of its provider, not a crash."""
        fake = types.ModuleType("simexit_fake")
        fake.__path__ = []
        fake.__spec__ = None
        monkeypatch.setitem(sys.modules, "simexit_fake", fake)

        with pytest.raises(DataPackageError, match="listing its files raised "):
            _registry_of("simexit_fake").load("XZ")

    def test_an_exception_without_a_name_or_text(self):
        """_describe falls back when even the type's name cannot be shown."""

        class Meta(type):
            @property
            def __name__(cls) -> str:  # type: ignore[override]  # a name that cannot be read
                raise RuntimeError("no name")

        class Nameless(Exception, metaclass=Meta):
            def __str__(self) -> str:
                raise RuntimeError("no text")

        assert _loader._describe(Nameless()) == "an exception"

    def test_ctrl_c_while_describing_goes_through(self):
        """Even from an exception's __str__, KeyboardInterrupt is not eaten."""

        class Interrupting(Exception):
            def __str__(self) -> str:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            _loader._describe(Interrupting())


class TestRepr:
    def test_names_the_countries(self):
        """The repr says what the registry holds."""
        assert (
            repr(Registry.from_paths(KZ_DATA))
            == "<simexit.Registry(countries=('KZ',))>"
        )


class TestEntryPointScan:
    def test_distribution_names_match_importlib_metadata(self, activate):
        """The fast scan names each entry point's distribution as
        importlib.metadata does, and so does the fallback."""
        activate(*(p.dist for p in PLUGINS))
        fast = sorted(_entrypoints.provided("simexit.countries"))

        def unusual(group: str) -> list[_entrypoints.EntryPoint]:
            raise _entrypoints._Unusual(group)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(_entrypoints, "_scan", unusual)
            slow = sorted(_entrypoints.provided("simexit.countries"))

        assert fast == slow
        assert {(p.dist, p.code, p.value) for p in PLUGINS} <= set(fast)

    def test_egg_info_and_missing_metadata(self, tmp_path, monkeypatch):
        """An .egg-info is named from PKG-INFO; without a Name header, the
        folder's name stands in."""
        egg = tmp_path / "Legacy_Plugin-1.0.egg-info"
        egg.mkdir()
        (egg / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: Legacy.Plugin\n")
        bare = tmp_path / "bare_plugin-2.0.dist-info"
        bare.mkdir()
        body = tmp_path / "body_plugin-1.0.dist-info"
        body.mkdir()
        (body / "METADATA").write_text("Metadata-Version: 2.1\n\nName: in-the-body\n")
        nameless = tmp_path / "nameless_plugin-1.0.dist-info"
        nameless.mkdir()
        (nameless / "METADATA").write_text("Metadata-Version: 2.1\n")
        folders = ((egg, "XY"), (bare, "XX"), (body, "XW"), (nameless, "XV"))
        for folder, code in folders:
            (folder / "entry_points.txt").write_text(
                f"[simexit.countries]\n{code} = mod_{code.lower()}\n"
            )
        monkeypatch.syspath_prepend(str(tmp_path))

        found = set(_entrypoints.provided("simexit.countries"))

        assert ("Legacy.Plugin", "XY", "mod_xy") in found
        assert ("bare_plugin", "XX", "mod_xx") in found
        assert ("body_plugin", "XW", "mod_xw") in found
        assert ("nameless_plugin", "XV", "mod_xv") in found

    def test_the_fallback_survives_unreadable_metadata(self):
        """An entry point whose distribution cannot be read still counts."""

        class Broken:
            @property
            def dist(self) -> object:
                raise OSError("gone")

        assert _entrypoints._dist_of(Broken()) == "unknown distribution"
