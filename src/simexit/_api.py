"""The public functions: plan_for, plan_many, countries, load_country."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ._loader import Registry, default_registry
from ._locales import negotiate
from ._model import Country
from ._plan import Plan
from ._progress import Done, done_ids, mark_done
from ._situation import Situation, plain_str
from .exceptions import InvalidSituationError

if TYPE_CHECKING:
    from ._engine import CompiledCountry


def _resolve(
    locale: object, today: object, registry: object
) -> tuple[str, bool, dt.date, Registry]:
    tag = plain_str(locale)
    if tag is None:
        raise InvalidSituationError(
            "locale", locale, "a BCP 47 language tag (str) such as 'en-US'"
        )
    loc, fallback = negotiate(tag)
    if today is None:
        today = dt.date.today()
    elif type(today) is not dt.date:
        raise InvalidSituationError("today", today, "a datetime.date or None")
    return loc, fallback, today, _registry(registry)


def _registry(registry: object) -> Registry:
    """*registry*, or the default one for None."""
    if registry is None:
        return default_registry()
    if not isinstance(registry, Registry):
        raise InvalidSituationError("registry", registry, "a simexit.Registry or None")
    return registry


def plan_for(
    situation: Situation,
    *,
    locale: str = "en",
    today: dt.date | None = None,
    registry: Registry | None = None,
    done: Done = frozenset(),
) -> Plan:
    """The ordered, explained plan for *situation*.

    Pure: the same situation, data, locale, *today* and *done* give a plan
    whose :func:`~simexit.to_json` is byte-identical.  *today* (default:
    the current date) selects the facts in force on that day.

    *done* names the steps already done (a set, frozenset, tuple or list
    of step ids), so a program can re-plan after each answer with no state
    of its own.  The plan is decided in full, then the done steps are left
    out of ``steps`` and listed in ``Plan.done`` (those the plan has, in
    plan order; an id the plan does not have is ignored).  The other steps
    keep their order and explanations; a done step is removed from their
    ``after``; a blocker or warning about steps is narrowed to those left
    and dropped once all of them are done (its text stays as decided); the
    excluded steps stay.

    A travel eSIM (``card=Card.TRAVEL_ESIM`` with a travel-eSIM seller or
    no operator) plans in every ISO 3166-1 country: where no package
    provides the country, the plan comes from the core data alone and
    carries the notice ``no-country-package`` (nothing is said about local
    operators).

    Raises:
        UnknownCountryError: no data package provides ``situation.country``
            and the situation is not a travel eSIM, or the code is not an
            ISO 3166-1 alpha-2 country (``ZZ``, ``EU``); the error lists the
            packages available.
        UnknownOperatorError: the country has no operator ``situation.operator``.
        DataPackageError: the country's data does not load.
        InvalidSituationError: an argument is not of its type (*situation*
            not a :class:`~simexit.Situation`, *today* not a date, *done*
            not a collection of step ids, ...), or an amount is in another
            currency than the country's.

    >>> import simexit
    >>> simexit.plan_for(simexit.Situation(country="AZ", operator="acme"))
    Traceback (most recent call last):
      ...
    simexit.exceptions.UnknownOperatorError: no operator 'acme' in AZ (available: airalo, ...)
    >>> simexit.plan_for(simexit.Situation(country="AZ"), done="pay-arrears")
    Traceback (most recent call last):
      ...
    simexit.exceptions.InvalidSituationError: invalid done: got 'pay-arrears', expected a set, frozenset, tuple or list of step ids (str)
    """
    if not isinstance(situation, Situation):
        raise InvalidSituationError("situation", situation, "a simexit.Situation")
    loc, fallback, day, reg = _resolve(locale, today, registry)
    finished = done_ids(done)
    plan = _engine(reg, situation, {}).plan(situation, loc, fallback, day)
    return mark_done(plan, finished)


def _engine(
    reg: Registry, situation: Situation, engines: dict[str, CompiledCountry]
) -> CompiledCountry:
    """The engine that plans *situation*, remembered in *engines*: its
    country's package, else for a travel eSIM in any ISO 3166-1 country the
    country built from the core data (see ``simexit._anywhere``)."""
    code = situation.country
    if not reg.provides(code):
        from ._anywhere import admit

        admit(situation, reg.countries())
    engine = engines.get(code)
    if engine is None:
        engine = engines[code] = reg.engine(code)
    return engine


def plan_many(
    situations: Iterable[Situation],
    *,
    locale: str = "en",
    today: dt.date | None = None,
    registry: Registry | None = None,
    done: Done = frozenset(),
) -> Iterator[Plan]:
    """Plans for many situations, streamed in order.

    Equivalent to calling :func:`plan_for` on each, with the locale, date,
    registry and *done* (the same step ids for every plan) resolved once.  Arguments are checked when streaming starts:
    *situations* must be iterable; an exception raised by the caller's own
    iterator while it is consumed is the caller's and passes through.

    Raises:
        InvalidSituationError: *situations* is not an iterable of
            :class:`~simexit.Situation` (text is refused), or another argument
            is not of its type.
        UnknownCountryError, UnknownOperatorError, DataPackageError: as
            :func:`plan_for`, for the situation that causes it.

    >>> import simexit
    >>> next(simexit.plan_many("AZ"))
    Traceback (most recent call last):
      ...
    simexit.exceptions.InvalidSituationError: invalid situations: got 'AZ', expected an iterable of simexit.Situation
    """
    loc, fallback, day, reg = _resolve(locale, today, registry)
    finished = done_ids(done)
    items = _iterate(situations)
    engines: dict[str, CompiledCountry] = {}
    for situation in items:
        if not isinstance(situation, Situation):
            raise InvalidSituationError("situation", situation, "a simexit.Situation")
        plan = _engine(reg, situation, engines).plan(situation, loc, fallback, day)
        yield mark_done(plan, finished)


def _iterate(situations: object) -> Iterator[object]:
    """iter(*situations*); text, which iterates by character, is refused."""
    allowed = "an iterable of simexit.Situation"
    if isinstance(situations, str | bytes | bytearray | Situation):
        raise InvalidSituationError("situations", situations, allowed)
    try:
        return iter(situations)  # type: ignore[call-overload, no-any-return]
    except TypeError:
        raise InvalidSituationError("situations", situations, allowed) from None


def countries(*, registry: Registry | None = None) -> tuple[str, ...]:
    """ISO codes of the countries available, bundled and installed.

    A country whose installed package is broken (it cannot be imported, or
    two packages claim it) is listed too and raises
    :class:`~simexit.DataPackageError` only when it is loaded;
    :meth:`Registry.broken <simexit.Registry.broken>` tells which without
    raising.

    Raises:
        InvalidSituationError: *registry* is neither None nor a
            :class:`~simexit.Registry`.

    >>> import simexit
    >>> simexit.countries(registry="AZ")
    Traceback (most recent call last):
      ...
    simexit.exceptions.InvalidSituationError: invalid registry: got 'AZ', expected a simexit.Registry or None
    """
    return _registry(registry).countries()


def load_country(code: str, *, registry: Registry | None = None) -> Country:
    """The typed, validated data of one country (merged with the core data).

    Raises:
        UnknownCountryError: no data package provides *code*.
        DataPackageError: the package does not load; every problem is listed.
        InvalidSituationError: *code* is not text, or *registry* not a
            :class:`~simexit.Registry`.

    >>> import simexit
    >>> simexit.load_country("ZZ")
    Traceback (most recent call last):
      ...
    simexit.exceptions.UnknownCountryError: no data package for 'ZZ' (available: AE, AZ, ...)
    """
    text = plain_str(code)
    if text is None:
        raise InvalidSituationError("country", code, "an ISO 3166-1 alpha-2 code")
    return _registry(registry).load(text)
