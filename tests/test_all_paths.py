"""Every point of every bundled country's finite situation space.

For each country: every operator (and "unknown") with every card it
provides, × billing × arrears and balance in {unknown, zero, positive} ×
location × device × every boolean.  For every point: no exception, ``after``
respected, the domain order, a channel or a blocker for every operator
action (``channel_problems``), and (on a deterministic sample) labels no
stronger than their sources and byte-identical JSON from a second, fresh
registry.  test_data_policy checks the labels on every operator × card ×
billing × location × device in every locale.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import pytest

import simexit
from simexit._situation import currency_decimals

from .domain import channel_problems, confidence_problems, order_problems

DAY = dt.date(2026, 11, 23)
TRI = (None, True, False)
SAMPLE = 997  # every SAMPLE-th point is re-planned by a fresh registry


def points(code: str, operator: str | None) -> Iterator[simexit.Situation]:
    country = simexit.load_country(code)
    cur = country.currency
    some = "12.5" if currency_decimals(cur) else "1250"  # the yen has no decimals
    money = (None, simexit.Money("0", cur), simexit.Money(some, cur))
    cards = country.cards if operator is None else country.operators[operator].cards
    for combo in itertools.product(
        cards,
        (None, *simexit.Billing),
        money,
        money,
        (None, *simexit.Location),
        (None, *simexit.Device),
        TRI,
        TRI,
        (True, False),
        TRI,
        TRI,
        TRI,
    ):
        (
            card,
            billing,
            arrears,
            balance,
            location,
            device,
            owner,
            has_id,
            keep,
            linked,
            autopay,
            others,
        ) = combo
        yield simexit.Situation(
            country=code,
            operator=operator,
            card=card,
            billing=billing,
            arrears=arrears,
            balance=balance,
            location=location,
            device=device,
            registered_owner=owner,
            has_id_document=has_id,
            keep_number=keep,
            linked_accounts=linked,
            autopay=autopay,
            other_esim_profiles=others,
        )


def sweep(job: tuple[str, str | None]) -> tuple[int, list[str]]:
    """Plan every point for one (country, operator); return count and problems."""
    code, operator = job
    reg = simexit.Registry.default()
    fresh = simexit.Registry.default()
    country = simexit.load_country(code)
    problems: list[str] = []
    count = 0
    for i, situation in enumerate(points(code, operator)):
        count += 1
        try:
            plan = simexit.plan_for(situation, today=DAY, registry=reg)
        except Exception as e:
            problems.append(f"{situation}: {type(e).__name__}: {e}")
            continue
        for p in (*order_problems(plan), *channel_problems(plan)):
            problems.append(f"{situation}: {p}")
        if i % SAMPLE == 0:
            for p in confidence_problems(plan, country):
                problems.append(f"{situation}: {p}")
            again = simexit.plan_for(situation, today=DAY, registry=fresh)
            if simexit.to_json(again) != simexit.to_json(plan):
                problems.append(f"{situation}: not deterministic")
        if len(problems) > 20:
            break
    return count, problems


def jobs() -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for code in ("AE", "AZ", "GE", "JP", "KZ", "UZ"):
        ops = sorted(simexit.load_country(code).operators)
        out.extend((code, op) for op in [None, *ops])
    return out


@pytest.mark.slow
def test_every_point_of_every_country():
    """No exception, `after` respected, the domain order and a channel or
    blocker for every operator action (abroad: none needing presence) hold
    everywhere."""
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(sweep, jobs()))
    total = sum(n for n, _ in results)
    problems = [p for _, ps in results for p in ps]
    assert total > 1_000_000
    assert problems == []
