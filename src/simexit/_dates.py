"""Dates in the data: whether a fact is in force on a day, and how long
what was checked stays fresh."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._model import FactLike

#: A fact not verified again for this many months is stale.
STALE_MONTHS = 18


def in_force(fact: FactLike, today: dt.date) -> bool:
    """Whether *fact* holds on *today* (from ``valid_from``, before
    ``valid_until``)."""
    return (fact.valid_from is None or fact.valid_from <= today) and (
        fact.valid_until is None or today < fact.valid_until
    )


def stale_after(verified_on: dt.date) -> dt.date:
    """The last day a fact verified on *verified_on* is still fresh."""
    return add_months(verified_on, STALE_MONTHS)


def add_months(day: dt.date, months: int) -> dt.date:
    """*day* moved *months* on; the month's last day if it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


__all__ = ["STALE_MONTHS", "add_months", "in_force", "stale_after"]
