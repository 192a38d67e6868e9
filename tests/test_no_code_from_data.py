"""Nothing executable is ever read from data (issue 9, item 1).

There is no pickle or marshal anywhere in simexit; a pickle planted in a
package folder is never opened; the bundled countries load fast from
compiled JSON made when the wheel is built, which is used only while it is
exactly what the TOML files beside it compile to, and only for simexit's own
bundled countries; nothing is written under the installed package.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

import simexit
from simexit import _codec, _compiled, _locales
from simexit._loader import Registry

from .conftest import DATA, ROOT, TODAY

SRC = ROOT / "src" / "simexit"
FORBIDDEN = {"pickle", "_pickle", "cPickle", "marshal", "shelve", "dill"}
FORBIDDEN |= {"cloudpickle", "jsonpickle", "copyreg"}


def _modules_named(tree: ast.AST) -> set[str]:
    """Modules a source file imports, or names as a string constant (as in
    ``__import__("pickle")`` or ``importlib.import_module("marshal")``)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
    return found


class TestNoPickle:
    def test_no_source_file_imports_or_names_pickle_or_marshal(self):
        """Every module of simexit, the build hook and the benchmarks."""
        files = [*SRC.rglob("*.py"), ROOT / "hatch_build.py"]
        bad = {
            str(f.relative_to(ROOT)): sorted(_modules_named(ast.parse(f.read_text())))
            for f in files
        }
        bad = {f: [m for m in mods if m in FORBIDDEN] for f, mods in bad.items()}

        assert {f: m for f, m in bad.items() if m} == {}
        assert len(files) > 20

    def test_the_scan_would_see_one(self):
        """The scan above is not blind to the forms it looks for."""
        code = "import pickle\nfrom marshal import loads\n__import__('shelve')\n"

        assert {"pickle", "marshal", "shelve"} <= _modules_named(ast.parse(code))

    def test_the_old_data_cache_module_is_gone(self):
        assert not (SRC / "_datacache.py").exists()
        with pytest.raises(ImportError):
            __import__("simexit._datacache")


class _Marker:
    """Unpickling this creates *path* (as a planted pickle would run code)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


def _plant(folder: Path, marker: Path) -> list[Path]:
    """Pickles where the removed data cache looked, and around them."""
    blob = pickle.dumps(_Marker(marker))
    tag = sys.implementation.cache_tag
    planted = []
    for where in (folder / "__pycache__", folder):
        where.mkdir(exist_ok=True)
        for name in (
            f"simexit-data-{folder.name.upper()}-000000000000.{tag}.pickle",
            f"simexit-data-{folder.name.upper()}.pickle",
        ):
            (where / name).write_bytes(b"simexit-data-cache 1\n" + blob)
            planted.append(where / name)
    return planted


#: Run in a child: record every file it opens (an audit hook), then do the
#: given work, then print the opened paths as JSON.
_AUDITED = """
import json, sys
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], str):
        opened.append(args[0])
sys.addaudithook(hook)
{work}
print(json.dumps(opened))
"""


def run_audited(work: str, **env: str) -> list[str]:
    """The files a fresh interpreter opens while it does *work*."""
    code = _AUDITED.format(work=textwrap.dedent(work))
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **env},
    )
    assert done.returncode == 0, done.stderr
    opened: list[str] = json.loads(done.stdout.splitlines()[-1])
    return opened


@pytest.fixture
def packages(tmp_path: Path) -> Path:
    """Core and AZ copied to a folder of their own."""
    for pkg in ("core", "az"):
        shutil.copytree(
            DATA / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path


class TestPlantedPickle:
    def test_validate_and_from_paths_never_open_a_planted_pickle(
        self, packages, tmp_path
    ):
        """simexit validate and Registry.from_paths on a downloaded folder:
        the planted pickles are not opened, let alone unpickled."""
        marker = tmp_path / "ran"
        planted = _plant(packages / "az", marker)

        opened = run_audited(
            f"""
            from simexit import Registry
            from simexit.cli import main
            assert Registry.from_paths({str(packages / "az")!r}).load("AZ").code == "AZ"
            try:
                main(["validate", {str(packages / "az")!r}])
            except SystemExit as e:
                assert e.code in (0, None), e.code
            """
        )

        inside = [p for p in opened if p.startswith(str(packages))]
        assert not marker.exists()
        assert inside
        assert [p for p in inside if not p.endswith(".toml")] == []
        assert all(p.exists() for p in planted)

    def test_nothing_is_written_beside_the_data(self, packages, monkeypatch):
        """With bytecode writing on, loading writes no file in the package."""
        monkeypatch.setattr(sys, "dont_write_bytecode", False)
        before = sorted(packages.rglob("*"))

        Registry(packages / "core", {"AZ": [("az", packages / "az")]}).load("AZ")

        assert sorted(packages.rglob("*")) == before


# -- the compiled form, in process -------------------------------------------------


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of simexit's data folder with compiled AZ and KZ, which
    simexit._compiled takes for the bundled one."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("__pycache__"))
    (data / _compiled.FOLDER).mkdir()
    for code, blob in _compiled.compile_bundled(str(data)).items():
        (data / _compiled.FOLDER / f"{code.lower()}.json").write_bytes(blob)
    monkeypatch.setattr(_compiled, "_DATA", str(data))
    monkeypatch.setattr(_compiled, "_CORE", str(data / "core"))
    return data


def bundled_registry(data: Path, *, compiled: bool = True) -> Registry:
    return Registry(
        data / "core",
        {c.upper(): [(c, data / c)] for c in ("az", "kz")},
        compiled=compiled,
    )


def no_toml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading TOML fails the test: the compiled form must be used."""

    def fail(*args: object) -> None:
        raise AssertionError("read the TOML files despite a usable compiled file")

    monkeypatch.setattr(Registry, "_read", fail)


def toml_country(code: str) -> simexit.Country:
    return Registry.from_paths(DATA / code.lower()).load(code)


class TestCompiledForm:
    @pytest.mark.parametrize("code", ["AE", "AZ", "GE", "JP", "KZ", "UZ"])
    def test_a_compiled_country_decodes_to_what_the_toml_loader_reads(self, code):
        """encode / decode is exact for every bundled country."""
        country = toml_country(code)

        text = json.dumps(_codec.encode(country), ensure_ascii=False)
        decoded = _codec.decode(json.loads(text))

        assert decoded == country
        # dict equality ignores order; the engine's ties do not: same order
        assert json.dumps(_codec.encode(decoded), ensure_ascii=False) == text

    def test_the_compiled_file_is_data_only_json(self, bundle):
        """A header line, then one JSON document of plain values."""
        head, _, body = (bundle / "_compiled" / "az.json").read_bytes().partition(b"\n")
        header = json.loads(head)

        assert header["format"] == _compiled.FORMAT
        assert header["code"] == "AZ"
        assert isinstance(json.loads(body), dict)

    def test_a_current_compiled_file_is_used(self, bundle, monkeypatch):
        """No TOML read, and the same country as from TOML."""
        expected = {code: toml_country(code) for code in ("AZ", "KZ")}
        reg = bundled_registry(bundle)
        no_toml(monkeypatch)

        assert reg.load("AZ") == expected["AZ"]
        assert reg.load("KZ") == expected["KZ"]

    def test_plans_from_the_compiled_form_are_the_same(self, bundle):
        """Byte-identical JSON plans, compiled or read from TOML."""
        situation = simexit.Situation(
            country="AZ", operator="azercell", arrears=simexit.Money("4.50", "AZN")
        )
        compiled = simexit.plan_for(
            situation, today=TODAY, registry=bundled_registry(bundle)
        )
        toml = simexit.plan_for(
            situation, today=TODAY, registry=bundled_registry(bundle, compiled=False)
        )

        assert simexit.to_json(compiled) == simexit.to_json(toml)

    def test_an_edited_data_file_makes_it_stale(self, bundle):
        """A publisher edited in core: the TOML files are read, the edit shows."""
        sources = bundle / "core" / "sources.toml"
        text = sources.read_text("utf-8")
        first = text.index('publisher = "') + len('publisher = "')
        sources.write_text(text[:first] + "Edited " + text[first:], "utf-8")

        country = bundled_registry(bundle).load("AZ")

        assert any(s.publisher.startswith("Edited ") for s in country.sources.values())

    def test_a_same_length_edit_of_a_data_file_makes_it_stale(self, bundle):
        """No file is read to check the compiled file, yet an edit that keeps
        the size is noticed: the file was modified after the compiled one."""
        sources = bundle / "core" / "sources.toml"
        text = sources.read_text("utf-8")
        first = text.index('publisher = "') + len('publisher = "')
        edited = text[:first] + "X" + text[first + 1 :]
        assert edited != text and len(edited.encode()) == len(text.encode())
        sources.write_text(edited, "utf-8")
        later = (bundle / "_compiled" / "az.json").stat().st_mtime_ns
        later += _compiled.WINDOW_NS + 1_000_000_000
        os.utime(sources, ns=(later, later))

        country = bundled_registry(bundle).load("AZ")

        assert any(s.publisher.startswith("X") for s in country.sources.values())

    def test_an_edit_of_simexit_itself_makes_it_stale(self, bundle, monkeypatch):
        """simexit's own *.py files count: here one more of them."""
        code = bundle.parent / "code"
        shutil.copytree(
            Path(_compiled.__file__).parent,
            code,
            ignore=shutil.ignore_patterns("data", "__pycache__"),
        )
        monkeypatch.setattr(_compiled, "_HERE", str(code))
        blob = _compiled.compile_bundled(str(bundle))["AZ"]
        (bundle / "_compiled" / "az.json").write_bytes(blob)
        assert _compiled.load(bundle / "core", bundle / "az", "AZ") is not None

        (code / "_extra.py").write_text("")

        assert _compiled.load(bundle / "core", bundle / "az", "AZ") is None

    def test_a_new_operator_file_makes_it_stale(self, bundle):
        """Files added to the folder count, not only the ones compiled."""
        ops = bundle / "az" / "operators"
        shutil.copy(ops / "nar.toml", ops / "nar-two.toml")
        ru = bundle / "az" / "locales" / "ru" / "operators"
        shutil.copy(ru / "nar.toml", ru / "nar-two.toml")

        assert "nar-two" in bundled_registry(bundle).load("AZ").operators

    def test_a_same_length_edit_of_the_compiled_file_is_refused(self, bundle):
        """Tampering with a contact in the payload: the payload digest no
        longer matches, and the TOML value is served."""
        path = bundle / "_compiled" / "az.json"
        blob = path.read_bytes()
        country = toml_country("AZ")
        contact = next(
            ch.contact
            for op in country.operators.values()
            for ch in op.channels.values()
            if ch.contact[-1].isdigit()
        )
        forged = contact[:-1] + ("1" if contact[-1] != "1" else "2")
        needle = json.dumps(contact, ensure_ascii=False).encode()
        assert needle in blob
        path.write_bytes(blob.replace(needle, json.dumps(forged).encode(), 1))

        assert len(forged) == len(contact) and forged != contact

        assert bundled_registry(bundle).load("AZ") == country

    @pytest.mark.parametrize(
        "damage",
        [
            lambda b: b"",
            lambda b: b"not json\n" + b.partition(b"\n")[2],
            lambda b: b"[1]\n" + b.partition(b"\n")[2],
            lambda b: b.partition(b"\n")[0] + b"\n{}",
            lambda b: b.replace(b'"code":"AZ"', b'"code":"KZ"', 1),
            lambda b: b.replace(
                b'"format": "simexit-compiled-data 1"', b'"format": "x"'
            ),
        ],
        ids=[
            "empty",
            "bad-header",
            "header-not-object",
            "other-payload",
            "code",
            "format",
        ],
    )
    def test_a_damaged_compiled_file_is_a_miss_not_an_error(self, bundle, damage):
        path = bundle / "_compiled" / "az.json"
        path.write_bytes(damage(path.read_bytes()))

        assert bundled_registry(bundle).load("AZ") == toml_country("AZ")

    def test_a_payload_with_a_valid_digest_that_does_not_decode_is_a_miss(self, bundle):
        """Digests recomputed over a payload of the wrong shape: still TOML."""
        path = bundle / "_compiled" / "az.json"
        head, _, _ = path.read_bytes().partition(b"\n")
        for body in (b'{"code": 5}', b'{"nonsense": 1}', b"[]"):
            header = json.loads(head)
            header["payload"] = _compiled._digest(body)
            path.write_bytes(json.dumps(header, sort_keys=True).encode() + b"\n" + body)

            assert bundled_registry(bundle).load("AZ") == toml_country("AZ")

    def test_a_compiled_file_for_another_country_is_refused(self, bundle):
        """kz.json copied over az.json, digests and all: not AZ."""
        (bundle / "_compiled" / "kz.json").replace(bundle / "_compiled" / "az.json")

        assert bundled_registry(bundle).load("AZ") == toml_country("AZ")

    def test_a_fifo_or_a_symlink_is_refused_without_hanging(self, bundle):
        """Where the compiled file or a data file should be."""
        path = bundle / "_compiled" / "az.json"
        blob = path.read_bytes()
        path.unlink()
        os.mkfifo(path)
        assert bundled_registry(bundle).load("AZ") == toml_country("AZ")

        path.unlink()
        (bundle / "elsewhere.json").write_bytes(blob)
        path.symlink_to(bundle / "elsewhere.json")
        assert _compiled.load(bundle / "core", bundle / "az", "AZ") is None

        path.unlink()
        path.write_bytes(blob)
        assert _compiled.load(bundle / "core", bundle / "az", "AZ") is not None
        (bundle / "az" / "extra.toml").symlink_to(bundle / "az" / "package.toml")
        assert _compiled.load(bundle / "core", bundle / "az", "AZ") is None

    def test_a_broken_package_is_never_compiled(self, tmp_path):
        """compile_bundled (the build hook) fails on a package with problems."""
        data = tmp_path / "data"
        shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("__pycache__"))
        steps = data / "az" / "steps.toml"
        steps.write_text(steps.read_text("utf-8") + "\n[[[ broken\n", "utf-8")

        with pytest.raises(simexit.DataPackageError, match=r"steps\.toml"):
            _compiled.compile_bundled(str(data))

    def test_loading_leaves_the_garbage_collector_as_it_was(self, bundle):
        """The collector is paused while a compiled country is decoded."""
        import gc

        assert gc.isenabled()
        assert _compiled.load(bundle / "core", bundle / "az", "AZ") is not None
        assert gc.isenabled()
        gc.disable()
        try:
            assert _compiled.load(bundle / "core", bundle / "az", "AZ") is not None
            assert not gc.isenabled()
        finally:
            gc.enable()

    def test_a_missing_compiled_file_reads_toml(self, bundle):
        """As in a source checkout or an editable install."""
        (bundle / "_compiled" / "az.json").unlink()

        assert bundled_registry(bundle).load("AZ") == toml_country("AZ")

    def test_only_the_bundled_folders_use_it(self, bundle, tmp_path):
        """The same files in another folder, or another core: not compiled."""
        other = tmp_path / "elsewhere"
        shutil.copytree(bundle / "az", other / "az")

        assert _compiled.load(bundle / "core", other / "az", "AZ") is None
        assert _compiled.load(other, bundle / "az", "AZ") is None
        assert _compiled.load(bundle / "core", bundle / "az", "AZ") is not None
        archive = tmp_path / "az.zip"
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("az/package.toml", "")
        assert _compiled.load(bundle / "core", zipfile.Path(archive), "AZ") is None

    def test_registries_not_made_by_default_never_use_it(self, bundle, monkeypatch):
        """Registry.from_paths and Registry(...) always read TOML."""

        def fail(*args: object) -> None:
            raise AssertionError("looked for a compiled file")

        monkeypatch.setattr(_compiled, "load", fail)

        assert bundled_registry(bundle, compiled=False).load("AZ").code == "AZ"
        assert Registry.from_paths(bundle / "az").load("AZ").code == "AZ"
        assert Registry.from_paths(DATA / "az").load("AZ").code == "AZ"

    def test_the_default_registry_may_use_it(self):
        """Registry.default() is the one registry that looks."""
        assert Registry.default()._compiled is True
        assert Registry.from_paths(DATA / "az")._compiled is False

    def test_a_model_change_changes_the_digest(self, bundle, monkeypatch):
        """The digest covers the model's shape: another shape, another digest."""
        decoders = _codec.get_decoders()
        before = _compiled.inputs_digest(str(bundle / "core"), str(bundle / "az"))
        monkeypatch.setattr(decoders, "shape", [*decoders.shape, "Text.extra:str"])

        assert _compiled.inputs_digest(str(bundle / "core"), str(bundle / "az")) != (
            before
        )
        assert _compiled.load(bundle / "core", bundle / "az", "AZ") is None

    def test_an_annotation_it_does_not_understand_is_refused(self):
        """A model change the decoders cannot follow: compiled files unusable."""
        decoders = _codec.get_decoders()

        with pytest.raises(_codec.Refused, match="frozenset"):
            decoders.annotation("frozenset[str]")

    def test_values_the_encoder_cannot_write_are_refused(self):
        with pytest.raises(TypeError, match="cannot compile"):
            _codec.encode(1.5)
        with pytest.raises(TypeError, match="non-string keys"):
            _codec.encode({1: "a"})

    @pytest.mark.parametrize(
        ("annotation", "value"),
        [
            ("str", 1),
            ("bool", "true"),
            ("dt.date", 20260101),
            ("tuple[str, ...]", "abc"),
            ("dict[str, str]", ["a"]),
            ("Text", ["en"]),
            ("Confidence", "sure"),
        ],
    )
    def test_decoders_are_strict(self, annotation, value):
        """A value of the wrong JSON type is never coerced."""
        decode = _codec.get_decoders().annotation(annotation)

        with pytest.raises((_codec.Refused, KeyError)):
            decode(value)


# -- the built wheel, installed ----------------------------------------------------


@pytest.fixture
def catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of simexit's catalogues with their compiled forms, which
    simexit._compiled takes for the bundled ones."""
    folder = tmp_path / "locales"
    shutil.copytree(Path(_locales._HERE), folder)
    (folder / _compiled.FOLDER).mkdir()
    for tag, blob in _compiled.compile_catalogues(str(folder)).items():
        (folder / _compiled.FOLDER / f"{tag}.json").write_bytes(blob)
    monkeypatch.setattr(_compiled, "_LOCALES", str(folder))
    return folder


class TestCompiledCatalogues:
    def test_a_current_compiled_catalogue_is_what_tomllib_reads(self, catalogues):
        for tag in _locales.tags():
            path = catalogues / f"{tag}.toml"
            expected = tomllib.loads(path.read_text("utf-8"))

            assert _compiled.load_catalogue(str(path)) == expected

    def test_an_edited_catalogue_is_read_from_toml(self, catalogues):
        """Any edit, even of the same length: the digest of the bytes."""
        path = catalogues / "en.toml"
        text = path.read_text("utf-8")
        at = text.index('= "') + len('= "')
        path.write_text(text[:at] + "X" + text[at + 1 :], "utf-8")

        assert _compiled.load_catalogue(str(path)) is None

    @pytest.mark.parametrize(
        "damage",
        [b"", b"{}\n{}", b"not json", b'{"format": "x"}\n{}'],
    )
    def test_a_damaged_compiled_catalogue_is_a_miss(self, catalogues, damage):
        (catalogues / _compiled.FOLDER / "en.json").write_bytes(damage)

        assert _compiled.load_catalogue(str(catalogues / "en.toml")) is None

    def test_another_tags_compiled_catalogue_is_refused(self, catalogues):
        compiled = catalogues / _compiled.FOLDER
        (compiled / "ru.json").replace(compiled / "en.json")

        assert _compiled.load_catalogue(str(catalogues / "en.toml")) is None

    def test_only_simexits_own_catalogues_use_it(self, catalogues, tmp_path):
        """A catalogue elsewhere (SIMEXIT_LOCALE_PATH) is always parsed."""
        other = tmp_path / "extra"
        shutil.copytree(catalogues, other)

        assert _compiled.load_catalogue(str(other / "en.toml")) is None
        assert _compiled.load_catalogue(str(catalogues / "en.toml")) is not None

    def test_a_fifo_in_place_of_a_compiled_catalogue_does_not_hang(self, catalogues):
        path = catalogues / _compiled.FOLDER / "en.json"
        path.unlink()
        os.mkfifo(path)

        assert _compiled.load_catalogue(str(catalogues / "en.toml")) is None


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """simexit's wheel, built once per session (the build hook runs)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PIP_NO_INDEX": "1"},
    )
    (found,) = out.glob("simexit-*.whl")
    return found


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed with ``pip install --no-deps --target``."""
    target = tmp_path_factory.mktemp("target")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return target


@pytest.fixture
def installed_copy(installed: Path, tmp_path: Path) -> Path:
    """A copy of the installed wheel that a test may edit."""
    copy = tmp_path / "target"
    shutil.copytree(installed, copy, symlinks=True)
    return copy


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }


_FIRST_PLAN = """
import datetime, json, sys
import simexit
situation = simexit.Situation(
    country="AZ", operator="azercell", card=simexit.Card.ESIM,
    arrears=simexit.Money("4.50", "AZN"), location=simexit.Location.ABROAD)
plan = simexit.plan_for(situation, locale="zh-Hans", today=datetime.date(2026, 11, 23))
heavy = ["tomllib", "cattrs", "importlib_resources", "pickle"]
imported = [m for m in heavy if m in sys.modules]
print(json.dumps({"file": simexit.__file__, "plan": simexit.to_json(plan),
                  "imported": imported}))
"""


def first_plan(target: Path, *, write_bytecode: bool = False) -> dict[str, Any]:
    child_env = {**os.environ, "PYTHONPATH": str(target)}
    child_env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not write_bytecode:
        child_env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_PLAN],
        capture_output=True,
        text=True,
        timeout=120,
        env=child_env,
        check=True,
    )
    out: dict[str, object] = json.loads(done.stdout)
    return out


_RENDER = """
import datetime, json, sys
import simexit
situation = simexit.Situation(
    country="AZ", operator="azercell", card=simexit.Card.ESIM,
    arrears=simexit.Money("4.50", "AZN"), location=simexit.Location.ABROAD)
plan = simexit.plan_for(situation, locale="zh-Hans", today=datetime.date(2026, 11, 23))
text = simexit.render_text(plan)
imported = [m for m in ["tomllib", "cattrs", "importlib_resources"] if m in sys.modules]
print(json.dumps({"text": text, "imported": imported}))
"""


_CLI = """
import sys
from simexit.cli import main
status = main(sys.argv[1:])
heavy = ["tomllib", "cattrs", "pathlib", "shutil", "importlib_resources",
         "simexit._json", "simexit._cli_ask"]
print("imported:", [m for m in heavy if m in sys.modules])
sys.exit(status)
"""
_CLI_ARGS = [
    *("plan", "--country", "AZ", "--operator", "azercell", "--card", "esim"),
    *("--arrears", "4.50", "--abroad", "--lang", "zh-Hans", "--today", "2026-11-23"),
]


def render_child(target: Path) -> dict[str, Any]:
    """What a fresh process importing simexit from *target* renders."""
    done = subprocess.run(
        [sys.executable, "-c", _RENDER],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(target), "PYTHONDONTWRITEBYTECODE": "1"},
        check=True,
    )
    out: dict[str, Any] = json.loads(done.stdout)
    return out


def first_plan_here() -> simexit.Plan:
    situation = simexit.Situation(
        country="AZ",
        operator="azercell",
        card=simexit.Card.ESIM,
        arrears=simexit.Money("4.50", "AZN"),
        location=simexit.Location.ABROAD,
    )
    return simexit.plan_for(situation, locale="zh-Hans", today=TODAY)


def expected_plan() -> str:
    situation = simexit.Situation(
        country="AZ",
        operator="azercell",
        card=simexit.Card.ESIM,
        arrears=simexit.Money("4.50", "AZN"),
        location=simexit.Location.ABROAD,
    )
    plan = simexit.plan_for(
        situation, locale="zh-Hans", today=TODAY, registry=Registry.default()
    )
    return simexit.to_json(plan)


class TestInstalledWheel:
    def test_the_wheel_holds_one_compiled_file_per_bundled_country(self, wheel):
        with zipfile.ZipFile(wheel) as z:
            names = z.namelist()

        compiled = sorted(n for n in names if "/_compiled/" in n)
        assert compiled == [
            "simexit/data/_compiled/ae.json",
            "simexit/data/_compiled/az.json",
            "simexit/data/_compiled/ge.json",
            "simexit/data/_compiled/jp.json",
            "simexit/data/_compiled/kz.json",
            "simexit/data/_compiled/uz.json",
            *(
                f"simexit/locales/_compiled/{tag}.json"
                for tag in sorted(_locales.tags())
            ),
        ]
        assert not [n for n in names if n.endswith((".pickle", ".pyc"))]

    def test_the_compiled_data_in_the_wheel_is_what_the_toml_loader_makes(self, wheel):
        """Byte for byte what compiling the source tree gives, and it
        decodes to the country the TOML loader reads."""
        expected = _compiled.compile_bundled(str(DATA))
        with zipfile.ZipFile(wheel) as z:
            for code, blob in expected.items():
                shipped = z.read(f"simexit/data/_compiled/{code.lower()}.json")
                assert shipped == blob
                assert _compiled.decode_file(shipped) == toml_country(code)

    @pytest.mark.parametrize("bytecode", ["off", "on"])
    def test_the_first_plan_uses_it_and_writes_nothing(self, installed_copy, bytecode):
        """A fresh process plans from the compiled form (no TOML parser, no
        cattrs), the same plan as from TOML, and no file appears under the
        installed package — with bytecode writing off or on."""
        before = snapshot(installed_copy / "simexit")

        out = first_plan(installed_copy, write_bytecode=bytecode == "on")

        assert out["file"] == str(installed_copy / "simexit" / "__init__.py")
        assert out["imported"] == []
        assert out["plan"] == expected_plan()
        assert snapshot(installed_copy / "simexit") == before

    def test_a_stale_installed_country_is_read_from_toml(self, installed_copy):
        """A data file edited in the installed package: the edit is served."""
        sources = installed_copy / "simexit" / "data" / "az" / "sources.toml"
        text = sources.read_text("utf-8")
        # Azercell's own pages: the plan of first_plan cites them.
        edited = text.replace('publisher = "Azercell', 'publisher = "Edited Azercell')
        sources.write_text(edited)

        out = first_plan(installed_copy)

        assert "tomllib" in out["imported"]
        assert "Edited " in str(out["plan"])

    def test_a_tampered_installed_compiled_file_is_not_used(self, installed_copy):
        """A same-length edit of the compiled file: TOML is read instead."""
        path = installed_copy / "simexit" / "data" / "_compiled" / "az.json"
        blob = path.read_bytes()
        head, _, body = blob.partition(b"\n")
        marker = b'"en":"'
        at = body.index(marker) + len(marker)
        body = (
            body[:at] + (b"X" if body[at : at + 1] != b"X" else b"Y") + body[at + 1 :]
        )
        path.write_bytes(head + b"\n" + body)

        out = first_plan(installed_copy)

        assert "tomllib" in out["imported"]
        assert out["plan"] == expected_plan()

    def test_rendering_uses_the_compiled_catalogues(self, installed_copy):
        """A rendered plan from a fresh process: no TOML parser, and the
        same text as with the catalogues parsed from TOML."""
        out = render_child(installed_copy)

        assert out["imported"] == []
        assert out["text"] == simexit.render_text(first_plan_here())

    def test_the_cli_imports_neither_toml_nor_cattrs_nor_pathlib(self, installed_copy):
        """``simexit plan`` as text from the installed wheel: the compiled
        data and catalogues, no JSON converter, no argparse shutil, and the
        same text as rendering the plan here."""
        done = subprocess.run(
            [sys.executable, "-c", _CLI, *_CLI_ARGS],
            capture_output=True,
            text=True,
            timeout=120,
            env={
                **os.environ,
                "PYTHONPATH": str(installed_copy),
                "PYTHONDONTWRITEBYTECODE": "1",
            },
            check=True,
        )
        text, _, imported = done.stdout.rpartition("imported: ")

        assert imported.strip() == "[]"
        assert text == simexit.render_text(first_plan_here())

    def test_a_text_plan_needs_no_babel(self, installed_copy):
        """``simexit plan`` as text, in every locale, from the installed
        wheel: names, dates, lengths and money come from the CLDR extract
        (simexit/_cldr.json), Babel is not imported, and the text is what
        Babel gives here."""
        cli = _CLI.replace('"simexit._cli_ask"]', '"simexit._cli_ask", "babel"]')
        for tag in _locales.tags():
            args = ["plan", "--country", "AZ", "--operator", "azercell"]
            args += ["--lang", tag, "--today", "2026-11-23", "--arrears", "4.50"]
            done = subprocess.run(
                [sys.executable, "-c", cli, *args],
                capture_output=True,
                text=True,
                timeout=120,
                env={
                    **os.environ,
                    "PYTHONPATH": str(installed_copy),
                    "PYTHONDONTWRITEBYTECODE": "1",
                },
                check=True,
            )
            text, _, imported = done.stdout.rpartition("imported: ")
            here = subprocess.run(
                [sys.executable, "-c", _CLI, *args],
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            ).stdout.rpartition("imported: ")[0]

            assert (installed_copy / "simexit" / "_cldr.json").is_file()
            assert imported.strip() == "[]"
            assert text == here

    def test_an_edited_installed_catalogue_is_read_from_toml(self, installed_copy):
        """A catalogue edited in place (same length): its TOML decides."""
        path = installed_copy / "simexit" / "locales" / "zh-Hans.toml"
        expected = simexit.render_text(first_plan_here())
        text = path.read_text("utf-8")
        labels = tomllib.loads(text)["labels"]
        label = next(v for v in labels.values() if isinstance(v, str) and v in expected)
        edited = text.replace(f'"{label}"', '"' + "X" * len(label) + '"', 1)
        assert edited != text
        path.write_text(edited, "utf-8")

        out = render_child(installed_copy)

        assert out["imported"] == ["tomllib"]
        assert out["text"] != expected

    def test_from_paths_on_the_installed_folder_reads_toml(self, installed):
        """Even pointed at the installed bundled folder, from_paths and
        validate never open a compiled file."""
        folder = installed / "simexit" / "data" / "az"
        opened = run_audited(
            f"""
            import sys
            from simexit import Registry
            from simexit.cli import main
            assert Registry.from_paths({str(folder)!r}).load("AZ").code == "AZ"
            try:
                main(["validate", {str(folder)!r}])
            except SystemExit as e:
                assert e.code in (0, None), e.code
            assert "tomllib" in sys.modules
            """,
            PYTHONPATH=str(installed),
        )

        inside = [
            p for p in opened if p.startswith(str(installed / "simexit" / "data"))
        ]
        assert str(folder / "sources.toml") in inside
        assert [p for p in inside if not p.endswith(".toml") or "_compiled" in p] == []

    def test_a_planted_pickle_in_the_installed_package_is_never_opened(
        self, installed_copy, tmp_path
    ):
        """The first plan from an installed wheel with pickles planted in
        its data folders opens none of them."""
        marker = tmp_path / "ran"
        data = installed_copy / "simexit" / "data"
        _plant(data / "az", marker)
        _plant(data / "core", marker)

        opened = run_audited(
            """
            import datetime, simexit
            simexit.plan_for(simexit.Situation(country="AZ"),
                             today=datetime.date(2026, 11, 23))
            """,
            PYTHONPATH=str(installed_copy),
        )

        inside = [p for p in opened if p.startswith(str(data))]
        assert not marker.exists()
        assert str(data / "_compiled" / "az.json") in inside
        assert [p for p in inside if not p.endswith((".toml", ".json"))] == []


class TestFolder:
    def test_it_behaves_as_the_path_importlib_resources_gives(self):
        """The Traversable subset discovery and the loader use."""
        import importlib_resources

        folder = _compiled.Folder(str(DATA))
        other = importlib_resources.files("simexit").joinpath("data")

        assert folder == other and folder == _compiled.Folder(str(DATA))
        assert folder != "not a folder"
        assert hash(folder) == hash(str(DATA))
        assert sorted(e.name for e in folder.iterdir()) == sorted(
            e.name for e in other.iterdir()
        )
        az = folder / "az"
        assert az.is_dir() and not az.is_file()
        assert az.joinpath("package.toml").is_file()
        assert (
            az.joinpath("package.toml").read_bytes()
            == (other / "az" / "package.toml").read_bytes()
        )
        assert (az / "package.toml").read_text("utf-8") == (
            DATA / "az" / "package.toml"
        ).read_text("utf-8")
        with (az / "package.toml").open("rb") as f:
            assert f.read(1)
        assert str(az) == os.fspath(az) == str(DATA / "az")
        assert repr(az) == f"Folder({str(DATA / 'az')!r})"
        assert az.path() == DATA / "az"

    def test_the_default_registry_finds_the_bundled_data_with_it(self):
        reg = Registry.default()

        assert reg._core_folder == _compiled.Folder(str(DATA / "core"))
        assert reg.load("AZ") == toml_country("AZ")
