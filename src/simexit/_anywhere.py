"""Travel eSIMs in any country: the countries simexit knows without a package.

A travel-eSIM seller (the core operators: Airalo, Holafly, an unknown
seller) works the same in every country, so its plan needs no country
package.  For an ISO 3166-1 country no package provides, the registry
builds a *bare* country from the core data alone (:func:`bare_country`):
the core steps, rules, notices and sellers, the card ``travel_esim`` only,
no country facts and no local operators.  Its plans carry the notice
:data:`NO_PACKAGE_NOTICE` (added by the planner's warnings, never by a
condition) saying that nothing about local operators is said.

Any other card in such a country -- an operator's SIM, eSIM or tourist
card -- stays :class:`~simexit.UnknownCountryError` (:func:`admit`), and so
does a code that is not an ISO 3166-1 country (``ZZ``, ``EU``, ``XK``).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

import attrs

from ._situation import Card
from .exceptions import UnknownCountryError

if TYPE_CHECKING:
    from ._files import Collector, Package
    from ._model import Country, PackageInfo
    from ._situation import Situation

#: The notice every plan of a bare country carries (text in core notices.toml).
NO_PACKAGE_NOTICE = "no-country-package"

#: ISO 3166-1 codes *exceptionally reserved* (not countries: the EU, the UN,
#: Ascension, Clipperton, Sark, Diego Garcia, Ceuta and Melilla, the Canary
#: Islands, Tristan da Cunha, France metropolitan, the USSR, the UK's "UK").
_RESERVED = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "FX", "IC", "SU", "TA", "UK", "UN"}
)

#: The currency of a bare country CLDR lists none for (Antarctica): ISO
#: 4217's "no currency".
NO_CURRENCY = "XXX"


def _user_assigned(code: str) -> bool:
    """Whether *code* is one ISO 3166-1 leaves to users (AA, QM-QZ, XA-XZ, ZZ)."""
    return code in ("AA", "ZZ") or code[0] == "X" or (code[0] == "Q" and code[1] >= "M")


@functools.cache
def iso_countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes of every country, from CLDR (Babel).

    CLDR names every officially assigned code and a few more; the codes
    ISO reserves exceptionally or leaves to users (``EU``, ``UN``, ``XK``,
    ``ZZ``, ...) are left out, which leaves ISO 3166-1's 249.
    """
    from babel import Locale

    return frozenset(
        code
        for code in Locale("en").territories
        if isinstance(code, str)
        and len(code) == 2
        and code.isascii()
        and code.isalpha()
        and code not in _RESERVED
        and not _user_assigned(code)
    )


def is_country(code: str) -> bool:
    """Whether *code* (upper case) is an ISO 3166-1 alpha-2 country code."""
    return code in iso_countries()


def admit(situation: Situation, available: tuple[str, ...]) -> None:
    """Refuse *situation* in a country without a package unless a bare
    country can plan it: a travel eSIM in an ISO 3166-1 country.

    Raises:
        UnknownCountryError: any other card, or a code that is not a
            country; *available* lists the packages there are.
    """
    if situation.card is not Card.TRAVEL_ESIM or not is_country(situation.country):
        raise UnknownCountryError(situation.country, available)


def currency_of(code: str, today: dt.date) -> str:
    """The legal tender CLDR lists first for country *code* on *today*;
    :data:`NO_CURRENCY` where it lists none."""
    from babel.numbers import get_territory_currencies

    found = get_territory_currencies(code, start_date=today, tender=True)
    return found[0] if found else NO_CURRENCY


def bare_package(core: Package) -> Package:
    """An empty country package over *core*: no file, no item, travel eSIMs.

    Its code, ``ZZ``, is replaced by the real one in :func:`bare_country`;
    its currency is a valid placeholder, replaced there too.
    """
    from ._files import Package
    from ._model import PackageInfo

    assert core.info is not None
    info: PackageInfo = PackageInfo(
        code="ZZ",
        currency="USD",
        locales=core.info.locales,
        cards=(Card.TRAVEL_ESIM,),
        data_version=core.info.data_version,
        data_as_of=core.info.data_as_of,
    )
    tables: dict[str, dict[str, object]] = {
        k: {} for k in ("sources", "steps", "rules", "notices", "claims", "facts")
    }
    return Package("bare", info, tables, {}, {}, None, {})


def build_bare(core: Package, core_col: Collector) -> Country:
    """The country of :func:`bare_package` over *core*, checked like any.

    Raises:
        DataPackageError: the core data has problems.
    """
    from ._files import Collector
    from ._merge import build_country
    from .exceptions import DataPackageError

    col = Collector("bare")
    country = build_country(core, bare_package(core), col, core_col)
    problems = core_col.problems + col.problems
    if problems or country is None:
        raise DataPackageError(tuple(problems))
    return country


def bare_country(base: Country, code: str) -> Country:
    """The bare country *code*: *base* (built from :func:`bare_package`)
    with its code, its currency and ``packaged`` False."""
    return attrs.evolve(
        base,
        code=code,
        currency=currency_of(code, base.data_as_of),
        packaged=False,
    )


__all__ = [
    "NO_CURRENCY",
    "NO_PACKAGE_NOTICE",
    "admit",
    "bare_country",
    "bare_package",
    "build_bare",
    "currency_of",
    "is_country",
    "iso_countries",
]
