"""The Russian mirror files match their originals, text table by text table.

A mirror ``<pkg>/locales/ru/<relpath>`` holds, at the key path of every inline
text table of ``<pkg>/<relpath>`` (a table with an ``en`` key), a plain string:
the Russian text.  These checks read the TOML files directly, so they hold
whatever the loader does with the mirrors.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent.parent / "src" / "simexit" / "data"
PACKAGES = ("core", "ae", "az", "ge", "jp", "kz", "uz")
TAG = "ru"

KeyPath = tuple[str | int, ...]

# Four or more Latin-script words in a row: English left untranslated.
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'.-]*(?:\s+[A-Za-z][A-Za-z0-9'.-]*){3,}")


def _originals(pkg: str) -> list[Path]:
    root = DATA / pkg
    return sorted(
        p for p in root.rglob("*.toml") if p.relative_to(root).parts[0] != "locales"
    )


def _mirror(original: Path, pkg: str) -> Path:
    return DATA / pkg / "locales" / TAG / original.relative_to(DATA / pkg)


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


def _is_text(value: object) -> bool:
    return isinstance(value, dict) and "en" in value


def _texts(value: object, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    """Every text table (or, in a mirror, every leaf) with its key path."""
    if _is_text(value) or not isinstance(value, dict | list):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    else:
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


def _text_tables(original: dict[str, Any]) -> dict[KeyPath, dict[str, Any]]:
    """The text tables of *original* that do not carry Russian inline."""
    return {
        path: value
        for path, value in _texts(original)
        if _is_text(value) and TAG not in value
    }


def _placeholders(text: str) -> Counter[str]:
    return Counter(
        name for _, name, _, _ in string.Formatter().parse(text) if name is not None
    )


def _literal(text: str) -> str:
    """*text* without its placeholders."""
    return "".join(lit for lit, _, _, _ in string.Formatter().parse(text))


def _cases() -> list[tuple[str, Path]]:
    return [
        (pkg, original)
        for pkg in PACKAGES
        for original in _originals(pkg)
        if _text_tables(_read(original))
    ]


def _id(case: tuple[str, Path]) -> str:
    pkg, original = case
    return f"{pkg}/{original.relative_to(DATA / pkg).as_posix()}"


CASES = _cases()


def test_every_package_has_texts_to_translate() -> None:
    assert {pkg for pkg, _ in CASES} == set(PACKAGES)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_mirror_has_exactly_the_text_paths(case: tuple[str, Path]) -> None:
    pkg, original = case
    mirror = _mirror(original, pkg)
    assert mirror.is_file(), f"no Russian mirror {mirror.relative_to(DATA)}"
    expected = set(_text_tables(_read(original)))
    found = {path for path, _ in _texts(_read(mirror))}
    assert sorted(map(str, expected - found)) == [], "untranslated"
    assert sorted(map(str, found - expected)) == [], "not a text in the original"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_mirror_leaves_are_russian_strings(case: tuple[str, Path]) -> None:
    pkg, original = case
    tables = _text_tables(_read(original))
    for path, leaf in _texts(_read(_mirror(original, pkg))):
        assert isinstance(leaf, str), f"{path}: not a string"
        assert leaf.strip(), f"{path}: empty"
        assert path in tables, f"{path}: not a text in the original"
        english = tables[path]["en"]
        assert _placeholders(leaf) == _placeholders(english), f"{path}: placeholders"
        if re.search("[A-Za-z]", _literal(english)):
            assert re.search("[А-Яа-яЁё]", leaf), f"{path}: no Cyrillic"
        assert _LATIN_RUN.findall(_literal(leaf)) == [], f"{path}: English left in"


def test_no_mirror_without_an_original() -> None:
    for pkg in PACKAGES:
        base = DATA / pkg / "locales" / TAG
        for mirror in sorted(base.rglob("*.toml")):
            original = DATA / pkg / mirror.relative_to(base)
            assert original.is_file(), f"{mirror.relative_to(DATA)}: no original"
            assert _text_tables(_read(original)), f"{original}: nothing to translate"


def test_mirrors_have_only_their_header_comment() -> None:
    for pkg in PACKAGES:
        base = DATA / pkg / "locales" / TAG
        for mirror in sorted(base.rglob("*.toml")):
            rel = mirror.relative_to(base).as_posix()
            comments = [
                line
                for line in mirror.read_text(encoding="utf-8").splitlines()
                if line.lstrip().startswith("#")
            ]
            assert comments == [f"# Russian translation of {pkg}/{rel}."]


def test_a_missing_text_is_reported() -> None:
    original = {"steps": {"a": {"title": {"en": "Go"}, "order": 1}}}
    assert set(_text_tables(original)) == {("steps", "a", "title")}
    assert {p for p, _ in _texts({"steps": {"a": {}}})} == set()
    assert _placeholders("{field}: {value}") == Counter({"field": 1, "value": 1})
    assert _LATIN_RUN.findall("Ask the operator now") == ["Ask the operator now"]
    assert _LATIN_RUN.findall("Paycell balance share") == []
