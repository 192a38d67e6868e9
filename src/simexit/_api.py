"""The public functions: plan_for, plan_many, countries, load_country."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ._loader import Registry, default_registry
from ._model import Country
from ._plan import Plan
from ._situation import Situation
from ._text import negotiate
from .exceptions import InvalidSituationError

if TYPE_CHECKING:
    from ._engine import CompiledCountry


def _resolve(
    locale: object, today: object, registry: object
) -> tuple[str, bool, dt.date, Registry]:
    if not isinstance(locale, str):
        raise InvalidSituationError(
            "locale", locale, "a language tag such as 'en', 'zh-Hans' or 'zh-TW'"
        )
    loc, fallback = negotiate(locale)
    if today is None:
        today = dt.date.today()
    elif type(today) is not dt.date:
        raise InvalidSituationError("today", today, "a datetime.date or None")
    if registry is None:
        registry = default_registry()
    elif not isinstance(registry, Registry):
        raise InvalidSituationError("registry", registry, "a simexit.Registry or None")
    return loc, fallback, today, registry


def plan_for(
    situation: Situation,
    *,
    locale: str = "en",
    today: dt.date | None = None,
    registry: Registry | None = None,
) -> Plan:
    """The ordered, explained plan for *situation*.

    Pure: the same situation, data, locale and *today* give a plan whose
    :func:`~simexit.to_json` is byte-identical.  *today* (default: the
    current date) selects the facts in force on that day.
    """
    if not isinstance(situation, Situation):
        raise InvalidSituationError("situation", situation, "a simexit.Situation")
    loc, fallback, day, reg = _resolve(locale, today, registry)
    return reg.engine(situation.country).plan(situation, loc, fallback, day)


def plan_many(
    situations: Iterable[Situation],
    *,
    locale: str = "en",
    today: dt.date | None = None,
    registry: Registry | None = None,
) -> Iterator[Plan]:
    """Plans for many situations, streamed in order.

    Equivalent to calling :func:`plan_for` on each, with the locale, date and
    registry resolved once.
    """
    loc, fallback, day, reg = _resolve(locale, today, registry)
    engines: dict[str, CompiledCountry] = {}
    for situation in situations:
        if not isinstance(situation, Situation):
            raise InvalidSituationError("situation", situation, "a simexit.Situation")
        code = situation.country
        engine = engines.get(code)
        if engine is None:
            engine = engines[code] = reg.engine(code)
        yield engine.plan(situation, loc, fallback, day)


def countries(*, registry: Registry | None = None) -> tuple[str, ...]:
    """ISO codes of the countries available, bundled and installed."""
    return (registry or default_registry()).countries()


def load_country(code: str, *, registry: Registry | None = None) -> Country:
    """The typed, validated data of one country (merged with the core data)."""
    if not isinstance(code, str):
        raise InvalidSituationError("country", code, "an ISO 3166-1 alpha-2 code")
    return (registry or default_registry()).load(code)
