"""The coverage report: ``simexit show --coverage`` and docs/coverage.md."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import simexit
from simexit import Registry
from simexit import _coverage_report as cov
from simexit._coverage import Tally
from simexit.cli import main

from .test_loader import OPERATOR, SOURCES, write

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "coverage.md"

OLD_NEWS = """
[sources.paper]
url = "https://news.example.org/story"
publisher = "Paper"
kind = "news"
language = "en"
retrieved = 2026-09-30

[sources.ancient]
url = "https://example.org/old"
publisher = "Example"
kind = "official"
language = "en"
retrieved = 2026-01-05
"""

FACTS = """
[facts.no-page]
step = "terminate-subscription"
text = { en = "We found no page on this.", zh-Hans = "没有找到。", zh-Hant = "沒有找到。" }
sources = ["ancient"]
gap = true

[facts.reported]
step = "terminate-subscription"
text = { en = "A paper says so.", zh-Hans = "报纸这样说。", zh-Hant = "報紙這樣說。" }
sources = ["paper"]
"""

SECOND = """\
[operator]
name = "Second"
kind = "mobile_operator"
cards = ["esim"]
domains = ["example.org"]
sources = ["terms"]

[channels.web]
kind = "website"
contact = "https://example.org/close"
name = { en = "Website", zh-Hans = "网站" }
sources = ["paper"]
"""


def package(tmp_path: Path, **extra: str) -> Path:
    files = {
        "sources.toml": SOURCES + OLD_NEWS,
        "operators/demo.toml": OPERATOR + FACTS,
    }
    files.update({k.replace("__", "/") + ".toml": v for k, v in extra.items()})
    return write(tmp_path, files)


def one(folder: Path) -> cov.CountryCoverage:
    (row,) = cov.report(Registry.from_paths(folder))
    return row


def test_a_countrys_line_counts_its_own_items(tmp_path):
    row = one(package(tmp_path))

    assert row.country == "XA"
    assert row.operators == ("demo",)  # the core sellers are not counted
    assert row.coverage.kinds["channels"] == Tally(items=1, official=1)
    assert row.coverage.kinds["facts"] == Tally(items=1, official=0, gaps=1)
    assert row.coverage.share == pytest.approx(2 / 3)
    assert row.languages == ("en", "zh-Hans", "zh-Hant")  # no Russian texts


def test_the_oldest_verification_leaves_placeholders_out(tmp_path):
    """The placeholder's source is the oldest; the news fact's counts."""
    row = one(package(tmp_path))

    assert row.oldest_verified == dt.date(2026, 9, 30)


def test_a_text_missing_a_locale_makes_that_language_incomplete(tmp_path):
    row = one(package(tmp_path, operators__second=SECOND))

    assert row.operators == ("demo", "second")
    assert row.languages == ("en", "zh-Hans")
    assert row.coverage.kinds["channels"] == Tally(items=2, official=1)


def test_every_country_of_the_registry_in_code_order(tmp_path):
    first = package(tmp_path / "xa")
    second = package(tmp_path / "xb")
    text = (second / "package.toml").read_text("utf-8")
    (second / "package.toml").write_text(text.replace('"XA"', '"XB"'), "utf-8")

    rows = cov.report(Registry.from_paths(second, first))

    assert [r.country for r in rows] == ["XA", "XB"]


def test_the_json_holds_every_value_and_is_canonical(tmp_path):
    rows = (one(package(tmp_path)),)
    text = cov.render_json(rows)
    (data,) = json.loads(text)

    assert data == {
        "country": "XA",
        "operators": ["demo"],
        "kinds": {
            "channels": {"items": 1, "official": 1, "placeholders": 0},
            "preconditions": {"items": 0, "official": 0, "placeholders": 0},
            "procedures": {"items": 1, "official": 1, "placeholders": 0},
            "facts": {"items": 1, "official": 0, "placeholders": 1},
        },
        "total": {"items": 3, "official": 2, "placeholders": 1},
        "official_share": 0.6667,
        "oldest_verified_on": "2026-09-30",
        "languages_complete": ["en", "zh-Hans", "zh-Hant"],
    }
    assert text == json.dumps(
        [data], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def test_text_and_markdown_show_the_values_in_the_locale(tmp_path):
    rows = (one(package(tmp_path)),)
    text = cov.render_text(rows, "zh-Hans")
    table = cov.render_markdown(rows)

    assert "运营商：demo" in text
    assert "官方来源占比：67%" in text
    assert "待补空缺：1" in text
    assert table.splitlines()[2] == (
        "| XA | demo | 1/1 | \u2014 | 1/1 | 0/1 | 67% | 1 | September 30, 2026 "
        "| en, zh-Hans, zh-Hant |"
    )


def test_the_docs_table_is_what_the_code_generates():
    """Regenerate with ``python tools/update_coverage_docs.py``."""
    page = PAGE.read_text("utf-8")
    rows = cov.bundled_report()

    assert cov.update_page(page, rows) == page
    assert [r.country for r in rows] == list(simexit.countries())
    assert cov.BEGIN in page and cov.END in page


def test_update_page_rewrites_only_between_the_markers():
    stale = f"intro\n{cov.BEGIN}\n| old |\n{cov.END}\noutro\n"
    rows = cov.bundled_report()

    assert cov.update_page(stale, rows) == (
        f"intro\n{cov.BEGIN}\n{cov.render_markdown(rows)}{cov.END}\noutro\n"
    )
    with pytest.raises(ValueError, match="lacks the lines"):
        cov.update_page("no markers", rows)


def test_the_cli_shows_the_report(capsys):
    assert main(["show", "--coverage", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    registry = simexit.Registry.default()

    assert out == cov.to_data(cov.report(registry))
    assert main(["show", "KZ", "--coverage"]) == 0
    text = capsys.readouterr().out
    assert "KZ  Kazakhstan" in text
    assert "AZ  " not in text
    assert main(["show", "--coverage", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == cov.render_markdown(cov.report(registry))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show"], "argument CODE: give a country code or --coverage"),
        (["show", "AZ", "--format", "json"], "argument --format: only with --coverage"),
    ],
)
def test_the_cli_refuses_a_show_without_a_country_or_coverage(capsys, args, message):
    assert main(args) == 2
    assert message in capsys.readouterr().err
