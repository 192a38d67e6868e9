"""What importing simexit and making the first plan cost, and the two
mechanisms that keep them cheap: the entry-point scan and the data cache.

Timings live in benchmarks/run.py; these tests check behaviour: which
modules are (not) imported, that the scan finds what importlib.metadata
finds, and that the data cache is used only while it is current.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import simexit
from simexit import _datacache, _entrypoints
from simexit._loader import Registry

from .conftest import DATA, TODAY

#: Heavy modules a program that only imports simexit should not pay for.
NOT_ON_IMPORT = (
    "cattrs",
    "json",
    "tomllib",
    "importlib.metadata",
    "email",
    "babel",
    "graphlib",
    "pickle",
    "importlib_resources",
    "simexit._engine",
)


def run_python(code: str, **env: str) -> str:
    """Run *code* in a fresh interpreter and return what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **env},
    )
    return done.stdout


class TestImport:
    def test_importing_simexit_loads_no_data_and_no_heavy_module(self):
        """import simexit: no country loaded, none of the heavy imports."""
        out = run_python(
            f"""
            import sys, simexit
            heavy = {NOT_ON_IMPORT!r}
            print([m for m in heavy if m in sys.modules])
            print(simexit._loader._default)
            """
        )

        assert out.splitlines() == ["[]", "None"]

    def test_the_first_plan_does_not_import_importlib_metadata(self):
        """Installed countries are found without importlib.metadata."""
        out = run_python(
            """
            import sys, datetime, simexit
            simexit.plan_for(simexit.Situation(country="AZ"), today=datetime.date(2026, 11, 23))
            print("importlib.metadata" in sys.modules, "email" in sys.modules)
            """
        )

        assert out.split() == ["False", "False"]

    def test_json_names_resolve_on_first_use(self):
        """to_json, from_json and SCHEMA_VERSION are there when asked for."""
        from simexit import _json

        assert simexit.to_json is _json.to_json
        assert simexit.from_json is _json.from_json
        assert simexit.SCHEMA_VERSION == _json.SCHEMA_VERSION
        assert {"to_json", "from_json", "SCHEMA_VERSION"} <= set(dir(simexit))

    def test_an_unknown_attribute_is_still_an_attribute_error(self):
        """The lazy lookup does not invent names."""
        with pytest.raises(AttributeError, match="no_such_thing"):
            simexit.no_such_thing


def _dist(root: Path, name: str, text: str | None, suffix: str = ".dist-info") -> Path:
    folder = root / f"{name}-1.0{suffix}"
    folder.mkdir(parents=True)
    (folder / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\n")
    if text is not None:
        (folder / "entry_points.txt").write_text(text)
    return folder


def _expected(group: str) -> list[tuple[str, str]]:
    return [(ep.name, ep.value) for ep in metadata.entry_points(group=group)]


def _expected_with_dists(group: str) -> list[tuple[str, str, str]]:
    return [
        (ep.dist.name, ep.name, ep.value) for ep in metadata.entry_points(group=group)
    ]


class TestEntryPoints:
    @pytest.mark.parametrize(
        "group", ["console_scripts", "pytest11", "simexit.countries", "nothing.here"]
    )
    def test_the_scan_finds_what_importlib_metadata_finds(self, group):
        """On this interpreter's sys.path, for several groups."""
        assert sorted(_entrypoints.entry_points(group)) == sorted(_expected(group))

    def test_the_example_package_is_found(self, installed_example):
        """An installed country package (entry point XA) is discovered."""
        found = _entrypoints.entry_points("simexit.countries")

        assert ("XA", "simexit_example.data") in found
        assert sorted(found) == sorted(_expected("simexit.countries"))

    def test_the_first_distribution_of_a_name_wins(self, tmp_path, monkeypatch):
        """Two copies of one distribution on sys.path: the first one counts."""
        _dist(tmp_path / "a", "Shadowed.Dist", "[demo.group]\nx = first\n")
        _dist(tmp_path / "b", "shadowed_dist", "[demo.group]\nx = second\n")
        monkeypatch.syspath_prepend(str(tmp_path / "b"))
        monkeypatch.syspath_prepend(str(tmp_path / "a"))

        assert _entrypoints.entry_points("demo.group") == [("x", "first")]
        assert _entrypoints.entry_points("demo.group") == _expected("demo.group")

    def test_the_file_format_is_read_as_importlib_reads_it(self, tmp_path, monkeypatch):
        """Comments, blank lines, spaces, other sections, egg-info folders."""
        _dist(
            tmp_path,
            "fmt",
            "# a comment\n\n[other]\nx = no\n[demo.group]\n  a =  pkg.mod:obj  \n"
            "b=pkg.other\n\n[more]\nc = no\n",
        )
        _dist(tmp_path, "legacy", "[demo.group]\nd = old.style\n", suffix=".egg-info")
        _dist(tmp_path, "quiet", None)
        monkeypatch.syspath_prepend(str(tmp_path))

        found = sorted(_entrypoints.entry_points("demo.group"))

        assert found == [("a", "pkg.mod:obj"), ("b", "pkg.other"), ("d", "old.style")]
        assert found == sorted(_expected("demo.group"))

    def test_a_zip_on_sys_path_falls_back_to_importlib_metadata(
        self, tmp_path, monkeypatch
    ):
        """Distributions inside a zip file are found, through importlib."""
        archive = tmp_path / "dists.zip"
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("zipped-1.0.dist-info/METADATA", "Name: zipped\n")
            z.writestr(
                "zipped-1.0.dist-info/entry_points.txt", "[demo.group]\nz = in.zip\n"
            )
        monkeypatch.syspath_prepend(str(archive))

        assert _entrypoints.entry_points("demo.group") == [("z", "in.zip")]

    def test_another_distribution_finder_falls_back(self, monkeypatch):
        """A meta-path finder that provides distributions is respected."""

        class Finder:
            @staticmethod
            def find_distributions(context=None):
                return iter(())

            @staticmethod
            def find_spec(*args):
                return None

        monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder])

        with pytest.raises(_entrypoints._Unusual):
            _entrypoints._scan("console_scripts")
        assert sorted(_entrypoints.entry_points("console_scripts")) == sorted(
            _expected("console_scripts")
        )

    def test_the_importlib_metadata_backport_needs_no_fallback(self):
        """Its finder searches sys.path as the standard one does."""
        backport = pytest.importorskip("importlib_metadata")
        assert any(type(f) is backport.MetadataPathFinder for f in sys.meta_path), (
            "importing the backport installs its finder"
        )

        assert sorted(_entrypoints._scan("console_scripts")) == sorted(
            _expected_with_dists("console_scripts")
        )

    def test_odd_sys_path_entries(self, tmp_path, monkeypatch):
        """A missing folder is skipped; an egg or a non-string falls back."""
        monkeypatch.syspath_prepend(str(tmp_path / "missing"))
        assert sorted(_entrypoints._scan("console_scripts")) == sorted(
            _expected_with_dists("console_scripts")
        )

        monkeypatch.syspath_prepend(str(tmp_path / "thing.egg"))
        with pytest.raises(_entrypoints._Unusual):
            _entrypoints._scan("console_scripts")

    def test_an_unreadable_entry_points_file_is_no_entry_point(self, tmp_path):
        """Bytes that are not UTF-8, or a folder where the file should be."""
        bad = tmp_path / "bad.txt"
        bad.write_bytes(b"[demo.group]\nx = \xff\n")
        (tmp_path / "dir.txt").mkdir()

        assert _entrypoints._read(str(bad), "demo.group") == []
        assert _entrypoints._read(str(tmp_path / "dir.txt"), "demo.group") == []


@pytest.fixture
def packages(tmp_path: Path) -> Path:
    """Core and AZ copied, without any cache that came with them."""
    for pkg in ("core", "az"):
        shutil.copytree(
            DATA / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path


@pytest.fixture
def writing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bytecode (and so data cache) writing on, whatever the environment says."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)


def load(root: Path) -> simexit.Country:
    return Registry(root / "core", {"AZ": [("az", root / "az")]}).load("AZ")


def caches(root: Path) -> list[Path]:
    return sorted(root.rglob("simexit-data-*.pickle"))


class TestDataCache:
    def test_a_loaded_country_is_cached_beside_its_data(self, packages, writing):
        """The first load writes az/__pycache__/simexit-data-AZ-*.pickle."""
        country = load(packages)

        (cache,) = caches(packages)
        assert cache.parent == packages / "az" / "__pycache__"
        assert cache.name.endswith(f".{sys.implementation.cache_tag}.pickle")
        assert country == simexit.load_country("AZ")

    def test_a_current_cache_is_used_instead_of_the_files(
        self, packages, writing, monkeypatch
    ):
        """Second load: from the cache, equal, without reading any TOML."""
        first = load(packages)

        def no_reading(*args):
            raise AssertionError("read the TOML files despite a current cache")

        monkeypatch.setattr(Registry, "_read", no_reading)

        assert load(packages) == first

    def test_an_edit_to_any_data_file_makes_the_cache_stale(self, packages, writing):
        """A changed publisher in core: the next load sees the change."""
        load(packages)
        sources = packages / "core" / "sources.toml"
        text = sources.read_text("utf-8")
        first = text.index('publisher = "') + len('publisher = "')
        sources.write_text(text[:first] + "Edited " + text[first:], "utf-8")

        country = load(packages)

        assert any(s.publisher.startswith("Edited ") for s in country.sources.values())

    def test_a_broken_package_is_never_cached(self, packages, writing):
        """Only packages that load without problems are cached."""
        steps = packages / "az" / "steps.toml"
        steps.write_text(steps.read_text("utf-8") + "\n[[[ broken\n", "utf-8")

        with pytest.raises(simexit.DataPackageError):
            load(packages)

        assert caches(packages) == []

    def test_nothing_is_written_when_bytecode_writing_is_off(
        self, packages, monkeypatch
    ):
        """PYTHONDONTWRITEBYTECODE / -B: the data is read, nothing written."""
        monkeypatch.setattr(sys, "dont_write_bytecode", True)

        load(packages)

        assert caches(packages) == []

    def test_the_pycache_prefix_is_honoured(
        self, packages, writing, monkeypatch, tmp_path
    ):
        """PYTHONPYCACHEPREFIX: the cache goes under it, not beside the data."""
        prefix = tmp_path / "prefix"
        monkeypatch.setattr(sys, "pycache_prefix", str(prefix))

        load(packages)

        assert caches(packages / "az") == []
        (cache,) = caches(prefix)
        assert str(packages.resolve() / "az").lstrip("/") in str(cache)

    def test_a_damaged_cache_is_a_miss_not_an_error(self, packages, writing):
        """Garbage after a valid header: read again from the files, rewritten."""
        expected = load(packages)
        (cache,) = caches(packages)
        head = len(_datacache.FORMAT) + 20
        cache.write_bytes(cache.read_bytes()[:head] + b"not a pickle")

        assert load(packages) == expected
        assert cache.read_bytes()[head:] != b"not a pickle"

    def test_a_cache_of_something_else_is_ignored(self, packages, writing):
        """A current header over a pickle that is not this country: a miss."""
        expected = load(packages)
        (cache,) = caches(packages)
        head = cache.read_bytes()[: len(_datacache.FORMAT) + 20]
        import pickle

        cache.write_bytes(head + pickle.dumps({"not": "a country"}))

        assert load(packages) == expected

    def test_an_unwritable_folder_is_not_an_error(self, packages, writing):
        """A read-only package folder: loads, and leaves no file behind."""
        folder = packages / "az"
        folder.chmod(0o555)
        try:
            country = load(packages)
        finally:
            folder.chmod(0o755)

        assert country.code == "AZ"
        if os.geteuid() != 0:  # root writes anyway
            assert caches(packages) == []
        assert list(packages.rglob("*.tmp")) == []

    def test_a_failed_write_leaves_nothing_behind(self, packages, writing):
        """Writing fails (a folder sits where the file would go): no error."""
        expected = load(packages)
        (cache,) = caches(packages)
        cache.unlink()
        blocker = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        blocker.mkdir()

        assert load(packages) == expected
        assert caches(packages) == []

    def test_an_unreadable_data_file_means_no_cache(self, packages, writing):
        """A file that cannot be read for the digest: no cache, and the
        loader reports the package as it would without one."""
        (packages / "az" / "broken.toml").symlink_to(packages / "missing.toml")

        assert (
            _datacache.DataCache.locate(packages / "core", packages / "az", "AZ")
            is None
        )
        assert load(packages).code == "AZ"  # unknown files are ignored
        assert caches(packages) == []

    def test_another_core_gets_its_own_cache(self, packages, writing, tmp_path):
        """The same country over two copies of core: two cache files."""
        other = tmp_path / "other-core"
        shutil.copytree(packages / "core", other)
        load(packages)
        Registry(other, {"AZ": [("az", packages / "az")]}).load("AZ")

        assert len(caches(packages / "az")) == 2

    def test_folders_that_are_not_plain_paths_have_no_cache(self, packages):
        """A folder inside a zip file: locate() declines."""
        archive = packages / "az.zip"
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("az/package.toml", "")

        assert (
            _datacache.DataCache.locate(packages / "core", zipfile.Path(archive), "AZ")
            is None
        )

    def test_plans_from_a_cached_country_are_the_same(self, packages, writing):
        """Byte-identical plans, whether the country came from cache or TOML."""
        situation = simexit.Situation(
            country="AZ", operator="azercell", arrears=simexit.Money("4.50", "AZN")
        )
        fresh = Registry(packages / "core", {"AZ": [("az", packages / "az")]})
        fresh_plan = simexit.plan_for(situation, today=TODAY, registry=fresh)
        cached = Registry(packages / "core", {"AZ": [("az", packages / "az")]})
        cached_plan = simexit.plan_for(situation, today=TODAY, registry=cached)

        assert caches(packages)
        assert json.loads(simexit.to_json(cached_plan)) == json.loads(
            simexit.to_json(fresh_plan)
        )
