"""Golden plans for the five situations of the seed articles, in 3 locales.

The snapshots in tests/golden/ were reviewed by hand.  After a deliberate
change to data or engine, regenerate them with::

    SIMEXIT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

and review the diff before committing.

The dates that change whenever the data is re-checked -- the package's
``data_version`` and ``data_as_of``, each source's ``retrieved`` and the
``verified_on`` of a channel or fact that takes it from its sources -- are
not in the snapshots: they hold :data:`FROM_DATA` there, and each is checked
against the country data it comes from instead.  A date bump in the data
rewrites no snapshot; everything else is compared as before.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import simexit

GOLDEN = Path(__file__).parent / "golden"
DAY = dt.date(2026, 11, 23)
SEEDS = {
    "az-roaming-card": {"country": "AZ", "card": "travel_esim"},
    "az-phone-card": {
        "country": "AZ",
        "operator": "azercell",
        "card": "physical_sim",
        "billing": "prepaid",
        "location": "in_country",
    },
    "az-esim": {
        "country": "AZ",
        "operator": "bakcell",
        "card": "esim",
        "location": "abroad",
    },
    "kz-roaming-card": {"country": "KZ", "card": "travel_esim"},
    "az-tourist-card": {"country": "AZ", "card": "tourist_card"},
}
CASES = [(name, loc) for name in SEEDS for loc in ("en", "zh-Hans", "zh-Hant")]
DATA = Path(simexit.__file__).parent / "data"

#: What a snapshot holds in place of a date that comes from the data.
FROM_DATA = "<checked against the data>"
PLAN_DATES = ("data_as_of", "data_version")


def _records(item: Any) -> list[dict[str, Any]]:
    """Every JSON object inside *item*, *item* included."""
    if isinstance(item, list):
        return [r for value in item for r in _records(value)]
    if isinstance(item, dict):
        return [item, *(r for value in item.values() for r in _records(value))]
    return []


def _redate(record: dict[str, Any], country: simexit.Country) -> None:
    """A source's ``retrieved``, and a ``verified_on`` the loader derived from
    its sources' (the latest), checked and replaced by :data:`FROM_DATA`."""
    if "retrieved" in record:
        source = country.sources[record["id"]]
        assert record["retrieved"] == source.retrieved.isoformat(), record["id"]
        record["retrieved"] = FROM_DATA
    if record.get("verified_on") and "sources" in record:
        dates = [country.sources[s].retrieved for s in record["sources"]]
        if dates and record["verified_on"] == max(dates).isoformat():
            record["verified_on"] = FROM_DATA


def without_data_dates(
    plan: dict[str, Any], country: simexit.Country
) -> dict[str, Any]:
    """*plan* (as JSON) with its data dates checked against *country* and
    replaced by :data:`FROM_DATA`."""
    assert plan["data_as_of"] == country.data_as_of.isoformat()
    assert plan["data_version"] == country.data_version
    plan.update(dict.fromkeys(PLAN_DATES, FROM_DATA))
    for record in _records([plan["steps"], plan["warnings"], plan["blockers"]]):
        _redate(record, country)
    return plan


def snapshot(name: str, locale: str, registry: simexit.Registry | None = None) -> Any:
    """The plan of seed *name* in *locale*, as its snapshot holds it."""
    situation = simexit.Situation(**SEEDS[name])
    plan = simexit.plan_for(situation, locale=locale, today=DAY, registry=registry)
    country = (registry or simexit.Registry.default()).load(situation.country)
    return without_data_dates(json.loads(simexit.to_json(plan)), country)


@pytest.mark.parametrize(("name", "locale"), CASES)
def test_seed_situation_matches_its_reviewed_snapshot(name, locale):
    """The plan for a seed situation equals its hand-reviewed snapshot."""
    got = snapshot(name, locale)
    path = GOLDEN / f"{name}.{locale}.json"
    if os.environ.get("SIMEXIT_UPDATE_GOLDEN"):
        path.write_text(
            json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            "utf-8",
        )
    assert got == json.loads(path.read_text("utf-8"))


@pytest.fixture(scope="module")
def redated(tmp_path_factory: pytest.TempPathFactory) -> simexit.Registry:
    """The bundled AZ package re-checked on another day: new version, new
    ``data_as_of``, every source retrieved again."""
    folder = tmp_path_factory.mktemp("redated") / "az"
    shutil.copytree(DATA / "az", folder)
    for rel in ("package.toml", "sources.toml"):
        path = folder / rel
        text = path.read_text("utf-8").replace("2026-11-23", "2026-11-20")
        text = re.sub(r"(?m)^data_as_of = [0-9-]+", "data_as_of = 2026-11-20", text)
        path.write_text(text.replace('"1.0.0"', '"1.0.1"'), "utf-8")
    return simexit.Registry.from_paths(folder)


@pytest.mark.parametrize("name", [n for n in SEEDS if n.startswith("az-")])
def test_a_data_date_bump_rewrites_no_snapshot(name, redated):
    """Only dates changed: the snapshots still hold, the dates are the new ones."""
    plan = simexit.plan_for(
        simexit.Situation(**SEEDS[name]), today=DAY, registry=redated
    )

    assert (plan.data_as_of, plan.data_version) == (dt.date(2026, 11, 20), "1.0.1")
    assert snapshot(name, "en", redated) == json.loads(
        (GOLDEN / f"{name}.en.json").read_text("utf-8")
    )


def test_a_snapshot_date_that_is_not_the_datas_fails():
    """The dates left out of the snapshots are still checked."""
    plan = json.loads(
        simexit.to_json(simexit.plan_for(simexit.Situation(country="AZ"), today=DAY))
    )
    plan["data_as_of"] = "2026-11-24"

    with pytest.raises(AssertionError):
        without_data_dates(plan, simexit.load_country("AZ"))
