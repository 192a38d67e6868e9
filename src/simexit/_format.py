"""Money, dates, percentages, lists and names, formatted from CLDR by Babel.

Nothing here is written by hand: every pattern and every name comes from
Babel's copy of CLDR (only the space between an amount and a Chinese
currency name is made the same in every locale).  Babel is imported inside the functions so that
``import simexit`` stays fast; money, dates, lengths, lists and country,
currency and language names of the bundled locales are first looked up in the extract of CLDR
made from Babel when the wheel is built (:mod:`._cldr`), which gives
byte-identical results without importing Babel.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from . import _cldr
from ._situation import Money


def babel_locale(locale: str) -> str:
    """The Babel identifier of one of our locales (``en`` for anything else)."""
    from ._locales import babel_id

    return babel_id(locale)


def format_money(money: Money, locale: str) -> str:
    """*money* with the currency's full CLDR name: ``4.50 Azerbaijani manats``.

    The name is used rather than the symbol because CLDR's symbol for most
    currencies is the bare ISO code glued to the number (``AZN4.50``), which a
    traveller reads less easily.
    """
    babel_id = babel_locale(locale)
    piece = _cldr.pieces(babel_id, "money")
    names = _cldr.pieces(babel_id, "currencies")
    text = None
    if piece is not None and names is not None:
        text = _cldr.money(money.amount, money.currency, piece, names)
    if text is None:
        from babel.numbers import format_currency

        text = format_currency(
            money.amount, money.currency, locale=babel_id, format_type="name"
        )
    # CLDR glues a Han currency name to the number in some locales
    # (4.50阿塞拜疆马纳特); the data and the other Chinese script write a
    # space there (0.10 马纳特), so every amount is spaced the same way.
    return _GLUED.sub(r"\1 ", text)


#: A digit followed directly by a Han character.
_GLUED = re.compile(r"(\d)(?=[\u3400-\u9fff])")


def format_date(day: dt.date, locale: str) -> str:
    """*day* in CLDR's long form: ``November 23, 2026`` / ``2026年11月23日``."""
    babel_id = babel_locale(locale)
    piece = _cldr.pieces(babel_id, "date")
    if piece is not None:
        return _cldr.long_date(day, piece)
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, format="long", locale=babel_id)


def format_length(count: int, months: bool, locale: str) -> str:
    """A window's length in words of *locale*: ``6 months``, ``14 дней``."""
    unit = "duration-month" if months else "duration-day"
    babel_id = babel_locale(locale)
    piece = _cldr.pieces(babel_id, unit)
    fast = _cldr.length(count, piece) if piece is not None else None
    if fast is not None:
        return fast
    from babel.units import format_unit

    return str(format_unit(count, unit, length="long", locale=babel_id))


def format_percent(share: float, locale: str) -> str:
    """*share* (0.0 to 1.0) as a whole percentage: ``56%``."""
    from babel.numbers import format_percent as babel_format_percent

    return babel_format_percent(share, locale=babel_locale(locale))


def format_list(items: Iterable[str], locale: str) -> str:
    """*items* joined as CLDR says: ``a, b, and c`` / ``a、b和c``."""
    babel_id = babel_locale(locale)
    patterns = _cldr.pieces(babel_id, "list")
    if patterns is not None:
        return _cldr.join(list(items), patterns)
    from babel.lists import format_list as babel_format_list

    return babel_format_list(list(items), locale=babel_id)


def country_name(code: str, locale: str) -> str:
    """The CLDR name of ISO 3166-1 *code* (the code itself if CLDR has none)."""
    babel_id = babel_locale(locale)
    names = _cldr.pieces(babel_id, "territories")
    if names is None:
        from babel import Locale

        names = Locale.parse(babel_id).territories
    return str(names.get(code.upper(), code.upper()))


def language_name(code: str, locale: str) -> str:
    """The CLDR name of the language *code* (the code itself if CLDR has none)."""
    babel_id = babel_locale(locale)
    names = _cldr.pieces(babel_id, "languages")
    if names is None:
        from babel import Locale

        names = Locale.parse(babel_id).languages
    return str(names.get(code.replace("-", "_"), code))


def currency_name(code: str, locale: str) -> str:
    """The CLDR display name of ISO 4217 *code*."""
    babel_id = babel_locale(locale)
    names = _cldr.pieces(babel_id, "currencies")
    if names is not None:
        return str(names.get(code, code))
    from babel.numbers import get_currency_name

    return get_currency_name(code, locale=babel_id)


def is_territory(code: str) -> bool:
    """Whether *code* is an ISO 3166-1 alpha-2 code that CLDR names."""
    from babel import Locale

    key = code.upper()
    # CLDR also names a few groupings with letter codes; no SIM comes from them.
    return (
        len(key) == 2
        and key.isascii()
        and key.isalpha()
        and key not in {"EU", "EZ", "UN", "QO", "ZZ"}
        and key in Locale.parse("en").territories
    )


def territory_currency(code: str) -> str | None:
    """The currency CLDR says *code* uses today, if any."""
    from babel.numbers import get_territory_currencies

    found = get_territory_currencies(code.upper(), tender=True)
    return found[0] if found else None


def territory_languages(code: str) -> tuple[str, ...]:
    """The official languages CLDR lists for *code*, most spoken first."""
    from babel.languages import get_official_languages

    return tuple(get_official_languages(code.upper()))


__all__ = [
    "babel_locale",
    "country_name",
    "currency_name",
    "format_date",
    "format_length",
    "format_list",
    "format_money",
    "format_percent",
    "is_territory",
    "language_name",
    "territory_currency",
    "territory_languages",
]
