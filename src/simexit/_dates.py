"""Dates in the data: whether a fact is in force on a day, and how long
what was checked stays fresh."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .exceptions import InvalidSituationError

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


#: The days a Situation's dates may fall on: wide enough for any card in
#: use, narrow enough that adding a data window (at most ten years) to one
#: never leaves the calendar.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

_DATE = "a datetime.date or a 'YYYY-MM-DD' string from 1900-01-01 to 2999-12-31, or None (unknown)"


def situation_day(field: str) -> Callable[[Any], dt.date | None]:
    """A day as a ``datetime.date`` exactly (a ``datetime`` is refused: its
    time and zone would be dropped silently), or an ISO ``YYYY-MM-DD`` str."""

    def convert(value: Any) -> dt.date | None:
        if value is None:
            return None
        day: dt.date | None = None
        if type(value) is dt.date:
            day = value
        else:
            text = str.__str__(value) if issubclass(type(value), str) else None
            if text is not None and _ISO_DAY.fullmatch(text):
                try:
                    day = dt.date.fromisoformat(text)
                except ValueError:
                    day = None
            if day is None:
                shown = value if text is None else text
                raise InvalidSituationError(field, shown, _DATE)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise InvalidSituationError(field, day.isoformat(), _DATE)
        return day

    return convert


__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "STALE_MONTHS",
    "add_months",
    "in_force",
    "situation_day",
    "stale_after",
]
