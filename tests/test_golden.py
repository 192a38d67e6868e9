"""Golden plans for the five situations of the seed articles, in 3 locales.

The snapshots in tests/golden/ were reviewed by hand.  After a deliberate
change to data or engine, regenerate them with::

    SIMEXIT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

and review the diff before committing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

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


@pytest.mark.parametrize(("name", "locale"), CASES)
def test_seed_situation_matches_its_reviewed_snapshot(name, locale):
    """The plan for a seed situation equals its hand-reviewed snapshot."""
    plan = simexit.plan_for(simexit.Situation(**SEEDS[name]), locale=locale, today=DAY)
    got = json.loads(simexit.to_json(plan))
    path = GOLDEN / f"{name}.{locale}.json"
    if os.environ.get("SIMEXIT_UPDATE_GOLDEN"):
        path.write_text(
            json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            "utf-8",
        )
    assert got == json.loads(path.read_text("utf-8"))
