"""The mixed load of issue 9: distinct situations over many locales and days.

Used in-process by tests/test_memo.py and imported by its child process (the
memory test), so it depends on simexit alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import simexit
from simexit import Billing, Device, Location, Money, Situation

#: Five language tags: three locales, two reached by negotiation, one that
#: falls back to English.
LOCALES = ("en", "zh-Hans", "zh-Hant", "zh-TW", "de")
#: Sixty days over five years, across the data's validity boundaries.
DAYS = tuple(dt.date(2024, 1, 1) + dt.timedelta(days=30 * k) for k in range(60))


def workload(n: int, seed: int = 9) -> Iterator[tuple[Situation, str, dt.date]]:
    """*n* distinct situations (no two owe the same), each with a locale and
    a day; every other field is drawn independently, a quarter unknown."""
    rng = random.Random(seed)
    countries = [simexit.load_country(code) for code in ("AZ", "KZ")]

    def maybe(values: list[Any]) -> Any:
        return None if rng.random() < 0.25 else rng.choice(values)

    for i in range(n):
        c = rng.choice(countries)
        card = rng.choice(c.cards)
        ops = sorted(o.id for o in c.operators.values() if card in o.cards)
        balance = Money(rng.randint(0, 10**6), c.currency)
        situation = Situation(
            country=c.code,
            operator=None if not ops or rng.random() < 0.25 else rng.choice(ops),
            card=card,
            billing=maybe(list(Billing)),
            arrears=Money(Decimal(i) / 100, c.currency),
            balance=maybe([None, balance]),
            location=maybe(list(Location)),
            device=maybe(list(Device)),
            registered_owner=maybe([True, False]),
            has_id_document=maybe([True, False]),
            keep_number=rng.random() < 0.5,
            linked_accounts=maybe([True, False]),
            autopay=maybe([True, False]),
            other_esim_profiles=maybe([True, False]),
        )
        yield situation, LOCALES[i % len(LOCALES)], DAYS[i // len(LOCALES) % len(DAYS)]
