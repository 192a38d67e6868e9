"""The official share: items backed by an official source, placeholders apart."""

from __future__ import annotations

from pathlib import Path

import simexit
from simexit import Registry
from simexit._coverage import KINDS, Tally, coverage, official_share

from .test_loader import OPERATOR, SOURCES, write

NEWS = """
[sources.paper]
url = "https://news.example.org/story"
publisher = "Paper"
kind = "news"
language = "en"
retrieved = 2026-11-23
"""

FACTS = """
[facts.no-page]
step = "terminate-subscription"
text = { en = "We found no page on this.", zh-Hans = "没有找到。", zh-Hant = "沒有找到。" }
sources = ["terms"]
gap = true

[facts.reported]
step = "terminate-subscription"
text = { en = "A paper says so.", zh-Hans = "报纸这样说。", zh-Hant = "報紙這樣說。" }
sources = ["paper"]

[facts.stated-lower]
step = "terminate-subscription"
text = { en = "Official, but read only in part.", zh-Hans = "官方。", zh-Hant = "官方。" }
sources = ["terms"]
confidence = "reported"
"""


def load(folder: Path) -> simexit.Country:
    return Registry.from_paths(folder).load("XA")


def test_placeholders_are_counted_apart(tmp_path):
    """One official channel and procedure; of three facts one is a
    placeholder (not counted), one news, one official but stated lower."""
    folder = write(
        tmp_path,
        {"sources.toml": SOURCES + NEWS, "operators/demo.toml": OPERATOR + FACTS},
    )
    cov = coverage(load(folder))

    assert cov.country == "XA"
    assert tuple(cov.kinds) == KINDS
    assert cov.kinds["channels"] == Tally(items=1, official=1)
    assert cov.kinds["procedures"] == Tally(items=1, official=1)
    assert cov.kinds["preconditions"] == Tally()
    assert cov.kinds["facts"] == Tally(items=2, official=0, gaps=1)
    assert cov.total == Tally(items=4, official=2, gaps=1)
    assert cov.share == 0.5


def test_a_placeholder_does_not_raise_the_share(tmp_path):
    """The same text unmarked would count as an official fact."""
    sources = SOURCES + NEWS
    marked = write(
        tmp_path / "a",
        {"sources.toml": sources, "operators/demo.toml": OPERATOR + FACTS},
    )
    unmarked = write(
        tmp_path / "b",
        {
            "sources.toml": sources,
            "operators/demo.toml": OPERATOR + FACTS.replace("gap = true\n", ""),
        },
    )
    assert official_share(load(marked)) < official_share(load(unmarked))


def test_the_country_reports_the_same_share():
    for code in ("AZ", "KZ"):
        country = simexit.load_country(code)
        assert country.official_share() == coverage(country).share


def test_core_sellers_and_facts_are_not_counted():
    """The travel-eSIM sellers and the facts every country shares (the
    core's) are not its package."""
    az = simexit.load_country("AZ")
    items = coverage(az).total.items + coverage(az).total.gaps
    own = sum(
        len(getattr(op, k))
        for op in az.operators.values()
        if op.id in az.package_operators
        for k in KINDS
    )
    assert set(az.package_facts) < set(az.facts)  # the core adds its own
    assert items == own + len(az.package_facts)


def test_an_empty_tally_has_share_zero():
    assert Tally().share == 0.0
    assert (Tally(items=2, official=1) + Tally(items=2, official=2, gaps=3)) == Tally(
        items=4, official=3, gaps=3
    )


def test_the_benchmark_table_shows_each_country_s_real_share():
    """benchmarks/official_share.py prints one row per bundled country with
    the share coverage() computes and its placeholders."""
    import importlib.util

    from .conftest import ROOT

    path = ROOT / "benchmarks" / "official_share.py"
    spec = importlib.util.spec_from_file_location("official_share", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    out = bench.table(bench.rows(), markdown=True).splitlines()
    for code in ("AZ", "KZ"):
        cov = coverage(simexit.load_country(code))
        row = next(line for line in out if line.startswith(f"| {code} |"))
        assert f"| {cov.total.official}/{cov.total.items} |" in row
        assert row.endswith(f"| {cov.share:.0%} | {cov.total.gaps} |")
