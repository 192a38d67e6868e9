"""Shared fixtures."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import simexit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "simexit" / "data"
EXAMPLE = ROOT / "examples" / "simexit-example"
TODAY = dt.date(2026, 11, 23)


#: ``run(*args, stdin="")``: the exit code, stdout and stderr of ``simexit ARGS``.
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run ``simexit ARGS`` in-process: (exit code, stdout, stderr)."""
    from simexit.cli import main

    def call(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def copy_package(tmp_path: Path):
    """Copy a bundled package folder to tmp so a test can break it."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(DATA / name, dest)
        return dest

    return copy


@pytest.fixture
def installed_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Install examples/simexit-example the way pip does: a .dist-info with
    its entry points, next to the importable package, on sys.path."""
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE / "src", site)
    info = site / "simexit_example-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: simexit-example\nVersion: 0.1.0\n"
    )
    (info / "entry_points.txt").write_text(
        "[simexit.countries]\nXA = simexit_example.data\n"
    )
    monkeypatch.syspath_prepend(str(site))
    yield site
    for name in [m for m in sys.modules if m.startswith("simexit_example")]:
        del sys.modules[name]


def plan(**fields: object) -> simexit.Plan:
    """A plan for AZ (unless country is given) on the reference day."""
    locale = fields.pop("locale", "en")
    day = fields.pop("today", TODAY)
    fields.setdefault("country", "AZ")
    return simexit.plan_for(
        simexit.Situation(**fields),
        locale=locale,  # type: ignore[arg-type]
        today=day,  # type: ignore[arg-type]
    )
