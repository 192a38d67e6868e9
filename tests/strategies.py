"""Hypothesis strategies for situations, valid and not.

Valid situations come from the bundled countries' own data: a card the
country covers, an operator that provides that card (or None, unknown),
money in the country's currency that is zero, small or large.  Invalid
values are drawn per field, each paired with the field that must be named
when it is refused.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

import simexit
from simexit._dates import FIRST_DAY, LAST_DAY
from simexit._situation import SITUATION_FIELDS, currency_decimals

#: The bundled countries, loaded once.
COUNTRIES: dict[str, simexit.Country] = {
    code: simexit.load_country(code) for code in ("AE", "AZ", "GE", "JP", "KZ", "UZ")
}

#: Every field of a Situation except country.
FIELDS = SITUATION_FIELDS

MAX_AMOUNT = Decimal(10) ** 9


# -- valid ---------------------------------------------------------------------


def amounts(places: int = 2) -> st.SearchStrategy[Decimal]:
    """Zero, small (the minor unit to a few hundred) or large (up to 10^9)
    amounts, with at most *places* decimals (0 for the yen)."""
    return st.one_of(
        st.just(Decimal(0)),
        st.decimals(min_value=Decimal(1).scaleb(-places), max_value=500, places=places),
        st.decimals(min_value=1000, max_value=MAX_AMOUNT, places=places),
    )


def money(currency: str) -> st.SearchStrategy[simexit.Money]:
    """Money in *currency*, its amount given as Decimal, str or int."""
    spelled = st.sampled_from([currency, currency.lower(), currency.title()])
    return st.builds(
        lambda amount, kind, cur: simexit.Money(_spell(amount, kind), cur),
        amounts(currency_decimals(currency)),
        st.sampled_from(["decimal", "str", "int"]),
        spelled,
    )


def _spell(amount: Decimal, kind: str) -> Decimal | str | int:
    if kind == "str":
        return str(amount)
    if kind == "int":
        return int(amount)
    return amount


def _maybe(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | values


@st.composite
def situation_fields(draw: st.DrawFn, code: str | None = None) -> dict[str, Any]:
    """Keyword arguments of a valid Situation for *code* (any bundled one)."""
    code = code or draw(st.sampled_from(sorted(COUNTRIES)))
    country = COUNTRIES[code]
    card = draw(st.sampled_from(country.cards))
    operators = sorted(op.id for op in country.operators.values() if card in op.cards)
    enum = st.sampled_from
    accounts = draw(_maybe(st.frozensets(enum(simexit.SERVICES))))
    if accounts is None:
        linked = draw(_maybe(st.booleans()))
    else:  # named accounts settle linked_accounts: None or the same answer
        linked = draw(st.sampled_from([None, bool(accounts)]))
    return {
        "country": draw(st.sampled_from([code, code.lower(), f" {code.title()} "])),
        "operator": draw(_maybe(enum(operators)) if operators else st.none()),
        "card": draw(st.sampled_from([card, card.value, card.value.upper()])),
        "billing": draw(_maybe(enum(list(simexit.Billing)))),
        "arrears": draw(_maybe(money(country.currency))),
        "balance": draw(_maybe(money(country.currency))),
        "location": draw(_maybe(enum(list(simexit.Location)))),
        "device": draw(_maybe(enum(list(simexit.Device)))),
        "registered_owner": draw(_maybe(st.booleans())),
        "has_id_document": draw(_maybe(st.booleans())),
        "keep_number": draw(st.booleans()),
        "linked_accounts": linked,
        "autopay": draw(_maybe(st.booleans())),
        "other_esim_profiles": draw(_maybe(st.booleans())),
        # any iterable of ids is taken: a list, a tuple or a set
        "accounts": None
        if accounts is None
        else draw(st.sampled_from([accounts, sorted(accounts), tuple(accounts)])),
        "leaving_on": draw(situation_days()),
        "bought_on": draw(situation_days()),
    }


def situation_days() -> st.SearchStrategy[Any]:
    """A Situation's day or None: the calendar's ends, month ends (where
    adding months clamps) and days near the data's, as a date or ISO text."""
    day = st.one_of(
        st.dates(FIRST_DAY, LAST_DAY),
        st.sampled_from(
            [
                FIRST_DAY,
                LAST_DAY,
                dt.date(2024, 2, 29),
                dt.date(2026, 8, 31),
                dt.date(2026, 12, 1),
                dt.date(2027, 1, 31),
            ]
        ),
    )
    return _maybe(day.flatmap(lambda d: st.sampled_from([d, d.isoformat()])))


def situations(code: str | None = None) -> st.SearchStrategy[simexit.Situation]:
    """Valid situations for *code*, or for any bundled country."""
    return situation_fields(code).map(lambda kw: simexit.Situation(**kw))


def locales() -> st.SearchStrategy[str]:
    """Language tags people send: supported, regional, POSIX, unsupported."""
    return st.sampled_from(
        [
            "en",
            "en-GB",
            "zh-Hans",
            "zh-Hant",
            "zh-CN",
            "zh-TW",
            "zh_HK.UTF-8",
            "yue",
            "az",
            "ru-RU",
            "kk",
            "fr",
        ]
    )


def days() -> st.SearchStrategy[dt.date]:
    """Any representable date, with the data's own boundaries likely."""
    return st.one_of(
        st.sampled_from(
            [
                dt.date(2025, 12, 18),
                dt.date(2025, 12, 19),
                dt.date(2026, 11, 23),
                dt.date(2028, 6, 1),
                dt.date.min,
                dt.date.max,
            ]
        ),
        st.dates(),
    )


# -- invalid -------------------------------------------------------------------

_CODE_LIKE = [
    "__import__('os').system('touch /tmp/pwned')",
    "{0.__class__}",
    "${jndi:ldap://example.invalid/a}",
    "'); DROP TABLE situations; --",
    "\x00",
    "\u202e",
    "x" * 10_000,
]

_NOT_A_STRING = st.one_of(
    st.integers(),
    st.floats(),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    st.just(object()),
)

_NOT_AN_ENUM = st.one_of(
    st.text(max_size=12).filter(
        lambda t: (
            t.strip().lower().replace("-", "_")
            not in {
                m.value
                for e in (
                    simexit.Card,
                    simexit.Billing,
                    simexit.Location,
                    simexit.Device,
                )
                for m in e
            }
        )
    ),
    st.sampled_from(_CODE_LIKE),
    st.integers(),
    st.booleans(),
    st.sampled_from([simexit.Confidence.VERIFIED, simexit.StepKind.ACTION]),
)

_NOT_A_BOOL = st.one_of(
    st.integers(),
    st.sampled_from(["true", "false", "yes", "", "0"]),
    st.floats(),
    st.just(Decimal(1)),
)


def bad_amounts() -> st.SearchStrategy[Any]:
    """Amounts Money refuses: negative, not finite, over 10^9, not numbers."""
    return st.one_of(
        st.decimals(max_value=Decimal("-0.01"), allow_nan=False, allow_infinity=False),
        st.integers(max_value=-1),
        st.sampled_from(
            [
                "NaN",
                "-NaN",
                "sNaN",
                "Infinity",
                "-inf",
                "1e999999",
                "1000000000.01",
                "9" * 10_000,
                "-0.000001",
                "",
                "  ",
                "4,50",
                "1/2",
                "0x10",
                Decimal("NaN"),
                Decimal("Infinity"),
                Decimal("-Infinity"),
                10**9 + 1,
                10**4000,
            ]
        ),
        st.integers(min_value=10**9 + 1),
        st.floats(),  # floats are refused: money is never binary floating point
        st.booleans(),
        st.none(),
        st.lists(st.integers(), max_size=1),
        st.sampled_from(_CODE_LIKE),
    )


def bad_currencies() -> st.SearchStrategy[Any]:
    """Currencies Money refuses: not three letters, not ISO 4217, not text."""
    return st.one_of(
        st.sampled_from(
            ["", "AZ", "AZNN", "A Z N", "Z9Z", "ÅZN", "\u0410ZN", "QQQ", "$", "€€€"]
        ),
        st.sampled_from(_CODE_LIKE),
        st.integers(),
        st.none(),
        st.binary(min_size=3, max_size=3),
    )


def invalid_value(field: str) -> st.SearchStrategy[Any]:
    """Values the Situation constructor must refuse for *field*."""
    if field == "country":
        return st.one_of(
            _NOT_A_STRING,
            st.none(),
            st.sampled_from(["", "A", "AZE", "1A", "Ä Z", "ÄZ", *_CODE_LIKE]),
        )
    if field == "operator":
        return st.one_of(_NOT_A_STRING, st.sampled_from(["", "   ", "\t\n"]))
    if field == "card":
        return st.one_of(_NOT_AN_ENUM, st.none())
    if field in ("billing", "location", "device"):
        return _NOT_AN_ENUM
    if field in ("arrears", "balance"):
        return st.one_of(
            _NOT_A_STRING,
            st.decimals(allow_nan=True),
            st.sampled_from(["4.50", "0", _CODE_LIKE[0]]),
        )
    if field == "keep_number":
        return st.one_of(_NOT_A_BOOL, st.none())
    if field == "accounts":  # a str, a non-iterable, or ids not in SERVICES
        return st.one_of(
            st.sampled_from(["whatsapp", "", b"bank", {"bank": 1}, 5, 1.5, True]),
            st.lists(
                st.sampled_from(["WhatsApp", "signal", "", " bank", 1, None]),
                min_size=1,
                max_size=3,
            ),
        )
    if field in ("leaving_on", "bought_on"):  # not a day, or outside the calendar
        return st.one_of(
            _NOT_A_BOOL,
            st.datetimes(),
            st.sampled_from(
                [
                    "2027-02-30",
                    "2027-1-1",
                    " 2027-01-01",
                    "20270101",
                    "2027-01-01T00:00",
                ]
            ),
            st.dates(max_value=FIRST_DAY - dt.timedelta(days=1)),
            st.dates(min_value=LAST_DAY + dt.timedelta(days=1)),
        )
    assert field in FIELDS, field
    return _NOT_A_BOOL


def invalid_fields() -> st.SearchStrategy[tuple[str, Any]]:
    """``(field, value)``: a value the Situation constructor must refuse."""
    return st.sampled_from(("country", *FIELDS)).flatmap(
        lambda f: st.tuples(st.just(f), invalid_value(f))
    )


def unknown_countries() -> st.SearchStrategy[str]:
    """Well-formed country codes no package provides."""
    alpha = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return st.builds(lambda a, b: a + b, alpha, alpha).filter(
        lambda code: code not in simexit.countries()
    )


def unknown_operators() -> st.SearchStrategy[str]:
    """Operator ids no bundled country has, including hostile ones."""
    known = {op for c in COUNTRIES.values() for op in c.operators}
    return st.one_of(
        st.text(min_size=1, max_size=20).filter(
            lambda t: t.strip() != "" and t.strip().lower() not in known
        ),
        st.sampled_from(_CODE_LIKE),
    )


def bad_locales() -> st.SearchStrategy[Any]:
    """Locales that are not strings (refused) or odd strings (fall back)."""
    return st.one_of(_NOT_A_STRING, st.none())


def odd_locales() -> st.SearchStrategy[str]:
    """Strings that are not sensible language tags: they fall back to English."""
    return st.one_of(
        st.text(max_size=30),
        st.sampled_from(["", "-", "_", ".", "zh-", "-Hant", "en-", *_CODE_LIKE]),
    )


def bad_days() -> st.SearchStrategy[Any]:
    """Values ``today`` refuses: datetimes, strings, numbers."""
    return st.one_of(
        st.datetimes(),
        st.sampled_from(["2026-11-23", "today", "", 20261123, math.inf]),
        st.integers(),
        st.floats(),
    )
