"""What importing simexit and making the first plan cost, and the
entry-point scan that keeps them cheap.

Timings live in benchmarks/run.py; these tests check behaviour: which
modules are (not) imported and that the scan finds what importlib.metadata
finds.  The compiled form of the bundled data, the other mechanism, is
tested in test_no_code_from_data.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import simexit
from simexit import _entrypoints

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

    def test_the_bundled_data_is_found_without_importlib_resources(self):
        """simexit is a plain directory here: its data folder is a Path
        beside it, the one importlib_resources would give."""
        out = run_python(
            """
            import sys, datetime, simexit
            simexit.plan_for(simexit.Situation(country="AZ"), today=datetime.date(2026, 11, 23))
            print("importlib_resources" in sys.modules)
            """
        )
        import importlib_resources

        from simexit._loader import _bundled

        assert out.split() == ["False"]
        assert _bundled() == importlib_resources.files("simexit").joinpath("data")

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


#: What ``simexit plan`` with text output does not import, even when the
#: data is read from TOML (as here): JSON's converter, the questions of
#: --interactive, shutil (argparse's formatter, see _cli_args._columns).
#: The installed wheel's CLI is checked in test_no_code_from_data.py.
NOT_FOR_A_TEXT_PLAN = ("simexit._json", "simexit._cli_ask", "shutil")


class TestCommandLine:
    def test_a_text_plan_imports_only_what_it_uses(self):
        out = run_python(
            f"""
            import sys
            from simexit.cli import main
            main("plan --country AZ --operator azercell --abroad --today 2026-11-23".split())
            heavy = {NOT_FOR_A_TEXT_PLAN!r}
            print("imported:", [m for m in heavy if m in sys.modules])
            """
        )

        assert out.splitlines()[-1] == "imported: []"
        assert "azercell" in out.lower()  # the plan was printed

    @pytest.mark.parametrize(
        ("columns", "lines"),
        [(None, None), ("120", "40"), ("0", "0"), ("wide", None), ("-3", "10")],
    )
    def test_the_help_is_as_wide_as_argparse_makes_it(
        self, columns, lines, monkeypatch
    ):
        """_columns() is shutil.get_terminal_size().columns."""
        import shutil

        from simexit._cli_args import _columns

        for name, value in (("COLUMNS", columns), ("LINES", lines)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)

        assert _columns() == shutil.get_terminal_size().columns


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
        (ep.dist.name, ep.name, ep.value)
        for ep in metadata.entry_points(group=group)
        if ep.dist is not None
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
