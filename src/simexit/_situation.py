"""The person's situation: what they hold and what we know about it.

``None`` always means *unknown*, never *no*.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from ._dates import situation_day as _date
from ._methods import methods
from .exceptions import InvalidSituationError

_MAX_AMOUNT = Decimal(10) ** 9


class _NamedType(enum.EnumType):
    """Calling an enum with a wrong value raises InvalidSituationError.

    ``Card("nope")`` would raise a bare ValueError, and a ``str`` subclass
    with a failing ``__hash__`` whatever that raises; the value is looked up
    as the plain text it holds, never through its own methods.
    """

    def __call__(cls, value: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:  # the functional API: Enum("Name", "A B")
            return super().__call__(value, *args, **kwargs)
        if isinstance(value, cls):
            return value
        text = plain_str(value)
        member = None if text is None else cls._value2member_map_.get(text)
        if member is None:
            allowed = ", ".join(str(m.value) for m in cls)  # type: ignore[var-annotated]
            field = cls.__name__.lower()
            raise InvalidSituationError(
                field, value if text is None else text, f"one of: {allowed}"
            )
        return member


class _Named(enum.Enum, metaclass=_NamedType):
    """An enum whose value is its lower-case name (how JSON and TOML spell it)."""

    @classmethod
    def allowed(cls) -> str:
        return "one of: " + ", ".join(m.value for m in cls)


class Card(_Named):
    """What the person holds."""

    PHYSICAL_SIM = "physical_sim"
    ESIM = "esim"
    TRAVEL_ESIM = "travel_esim"
    TOURIST_CARD = "tourist_card"


class Billing(_Named):
    """How the line is paid for."""

    PREPAID = "prepaid"
    POSTPAID = "postpaid"


class Location(_Named):
    """Where the person is now."""

    IN_COUNTRY = "in_country"
    ABROAD = "abroad"


class Device(_Named):
    """Whether the phone holding the SIM or eSIM is still with the person."""

    IN_HAND = "in_hand"
    LOST = "lost"
    STOLEN = "stolen"


E = TypeVar("E", bound=_Named)


def _enum_converter(
    field: str, cls: type[E], *, optional: bool
) -> Callable[[Any], E | None]:
    by_name = {m.value: m for m in cls}

    def convert(value: Any) -> E | None:
        if value is None and optional:
            return None
        if isinstance(value, cls):
            return value
        text = plain_str(value)
        if text is not None:
            member = by_name.get(text.strip().lower().replace("-", "_"))
            if member is not None:
                return member
        allowed = cls.allowed() + (" or None (unknown)" if optional else "")
        raise InvalidSituationError(field, value if text is None else text, allowed)

    return convert


def _optional_bool(field: str) -> Callable[[Any], bool | None]:
    def convert(value: Any) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        raise InvalidSituationError(field, value, "True, False or None (unknown)")

    return convert


#: A plain decimal: ASCII digits, at most one dot with digits on both sides,
#: and a minus sign only so that ``-0`` can be read (as 0).  No ``_``, no
#: exponent, no ``NaN``/``Infinity``, no spaces: what Python's ``Decimal``
#: also reads is refused, so every amount is written one way.
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")

_AMOUNT = "a plain decimal number as str, int or Decimal, such as '4.50'"


def plain_str(value: object) -> str | None:
    """*value* as an exact ``str`` if it is one, else None.

    A ``str`` subclass is copied without calling any of its methods, so one
    whose ``strip``, ``__hash__`` or ``__eq__`` misbehave cannot reach the
    code that checks it.
    """
    if issubclass(type(value), str):
        return str.__str__(value)
    return None


def parse_plain_decimal(text: str) -> Decimal | None:
    """*text* as a Decimal if it is a plain decimal (see above), else None."""
    if not _PLAIN_DECIMAL.fullmatch(text):
        return None
    return Decimal(text)


def _to_decimal(value: Any) -> Decimal:
    """A finite amount from 0 to 10^9, with no exponent and no negative zero.

    Negative amounts are refused: money owed and credit left are both
    written as 0 or more (``-0`` is read as 0).
    """
    text = plain_str(value)
    if text is not None:
        amount = parse_plain_decimal(text)
        if amount is None:
            raise InvalidSituationError("amount", text, _AMOUNT)
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        raise InvalidSituationError("amount", value, _AMOUNT)
    if not amount.is_finite():
        raise InvalidSituationError("amount", value, "a finite number")
    if amount.is_zero():
        amount = amount.copy_abs()  # -0 and -0.00 are 0 and 0.00
    if amount < 0:
        raise InvalidSituationError("amount", value, "an amount of 0 or more")
    if amount > _MAX_AMOUNT:
        raise InvalidSituationError("amount", value, "an amount of at most 10^9")
    if amount.as_tuple().exponent > 0:  # type: ignore[operator]
        amount = amount.quantize(Decimal(1))  # Decimal("1E+2") is 100, not "1E+2"
    return amount


#: ISO 4217 codes that are not money a person can owe or hold on a line:
#: precious metals, units of account, bond-market units, the testing code
#: and "no currency".  CLDR marks every one of them as not legal tender.
NOT_CURRENCIES = frozenset(
    {"XAG", "XAU", "XPD", "XPT", "XDR", "XSU", "XUA", "XAD", "XBA", "XBB"}
    | {"XBC", "XBD", "XEU", "XFO", "XFU", "XRE", "XTS", "XXX"}
)


@functools.cache
def _currencies() -> frozenset[str]:
    """Codes CLDR records as legal tender in some territory, at some time.

    This keeps real currencies, today's and former ones (``EUR``, ``DEM``),
    and leaves out what CLDR lists but no one pays with: the codes in
    :data:`NOT_CURRENCIES` and funds codes such as ``USN`` or ``CLF``.
    """
    from babel.core import get_global

    return frozenset(
        entry[0]
        for entries in get_global("territory_currencies").values()
        for entry in entries
        if entry[3]  # (code, start, end, tender)
    )


#: Common currencies and their minor unit (decimals), known without loading
#: CLDR (~18 ms); tests check both against CLDR.
_COMMON_CURRENCIES: dict[str, int] = {
    "AZN": 2, "KZT": 2, "USD": 2, "EUR": 2, "GBP": 2, "CNY": 2,
    "HKD": 2, "TWD": 2, "SGD": 2, "RUB": 2, "TRY": 2,
}  # fmt: skip

_CURRENCY = "three ASCII letters naming an ISO 4217 currency, such as AZN, KZT or USD"


def _to_currency(value: Any) -> str:
    """Three ASCII letters, checked before upper-casing, naming a currency."""
    text = plain_str(value)
    if text is not None and len(text) == 3 and text.isascii() and text.isalpha():
        code = text.upper()
        if code in _COMMON_CURRENCIES or (
            code not in NOT_CURRENCIES and code in _currencies()
        ):
            return code
    raise InvalidSituationError("currency", value if text is None else text, _CURRENCY)


def currency_decimals(code: str) -> int:
    """How many decimals an amount in *code* may have: CLDR's minor unit."""
    decimals = _COMMON_CURRENCIES.get(code)
    if decimals is None:
        from babel.numbers import get_currency_precision

        decimals = get_currency_precision(code)
    return decimals


@methods()
@attrs.frozen(repr=False, eq=False)
class Money:
    """An amount of money: a plain, finite, non-negative Decimal and its currency.

    *amount* is a plain decimal string (``"4.50"``: no ``_``, exponent or
    spaces), an int or a Decimal, from 0 to 10^9, with no more decimals than
    the currency's minor unit in CLDR (2 for AZN, 0 for JPY, 3 for KWD).
    ``-0`` is read as 0; other negative amounts are refused.  *currency* is
    an ISO 4217 code of a real currency, in any case.

    Raises:
        InvalidSituationError: *amount* or *currency* is not one of these;
            the message names the field, the value and what is allowed.

    >>> import simexit
    >>> simexit.Money("4,50", "AZN")
    Traceback (most recent call last):
      ...
    simexit.exceptions.InvalidSituationError: invalid amount: got '4,50', expected a plain decimal number as str, int or Decimal, such as '4.50'
    """

    amount: Decimal = attrs.field(converter=_to_decimal)
    currency: str = attrs.field(converter=_to_currency)

    def __attrs_post_init__(self) -> None:
        decimals = currency_decimals(self.currency)
        if -self.amount.as_tuple().exponent > decimals:  # type: ignore[operator]
            raise InvalidSituationError(
                "amount",
                str(self.amount),
                f"at most {decimals} decimals for {self.currency}",
            )

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def _money(field: str) -> Callable[[Any], Money | None]:
    def convert(value: Any) -> Money | None:
        if value is None or isinstance(value, Money):
            return value
        raise InvalidSituationError(field, value, "a simexit.Money or None (unknown)")

    return convert


def country_code(value: object) -> str | None:
    """*value* as an upper-case ISO 3166-1 alpha-2 code, or None if it is not one.

    Letters are checked before upper-casing (``"ß"`` upper-cases to two).
    """
    text = plain_str(value)
    if text is None:
        return None
    text = text.strip()
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    return None


def _to_country(value: Any) -> str:
    code = country_code(value)
    if code is not None:
        return code
    text = plain_str(value)
    raise InvalidSituationError(
        "country",
        value if text is None else text,
        "an ISO 3166-1 alpha-2 code such as 'AZ' or 'KZ'",
    )


def _to_operator(value: Any) -> str | None:
    if value is None:
        return None
    text = plain_str(value)
    if text is not None and text.strip():
        return text.strip().lower()
    raise InvalidSituationError(
        "operator",
        value if text is None else text,
        "an operator id such as 'azercell', or None (unknown)",
    )


#: The services a Situation's ``accounts`` may name, in the order plans and
#: docs list them.  ``bank`` stands for any bank or payment app that sends
#: codes to the number; ``other`` for any other site or app that does
#: (e-mail, shops, government portals): it keeps the general step
#: ``migrate-linked-accounts`` in the plan.
SERVICES: tuple[str, ...] = ("whatsapp", "telegram", "wechat", "bank", "other")

_ACCOUNTS = (
    "a list of service ids from simexit.SERVICES ("
    + ", ".join(SERVICES)
    + "), or None (unknown)"
)


def _to_accounts(value: Any) -> frozenset[str] | None:
    """Any iterable of service ids as a frozenset, or None.  A str (one id
    would read as its letters), bytes and mappings are refused."""
    if value is None:
        return None
    if plain_str(value) is not None or isinstance(value, bytes | bytearray | dict):
        raise InvalidSituationError("accounts", value, _ACCOUNTS)
    try:
        items = list(value)
    except Exception:  # not iterable, or its iterator fails
        raise InvalidSituationError("accounts", value, _ACCOUNTS) from None
    found: set[str] = set()
    for item in items:
        text = plain_str(item)
        if text is None or text not in SERVICES:
            raise InvalidSituationError(
                "accounts", item if text is None else text, _ACCOUNTS
            )
        found.add(text)
    return frozenset(found)


def _to_keep_number(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise InvalidSituationError("keep_number", value, "True or False")


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Situation:
    """What a person holds and what is known about it.

    Holds no personal data: no names, numbers or document details.
    ``leaving_on`` and ``bought_on`` are days (a ``datetime.date``, or an
    ISO ``YYYY-MM-DD`` string read as one), never times.

    Raises:
        InvalidSituationError: a field is not of its type or not one of its
            values; the message names the field, the value and what is
            allowed.  (An unknown country or operator is only found out by
            :func:`~simexit.plan_for`.)

    >>> import simexit
    >>> simexit.Situation(country="AZ", card="sim")
    Traceback (most recent call last):
      ...
    simexit.exceptions.InvalidSituationError: invalid card: got 'sim', expected one of: physical_sim, esim, travel_esim, tourist_card
    >>> simexit.Situation(country="AZ", bought_on="2027-02-30")
    Traceback (most recent call last):
      ...
    simexit.exceptions.InvalidSituationError: invalid bought_on: got '2027-02-30', expected a datetime.date or a 'YYYY-MM-DD' string from 1900-01-01 to 2999-12-31, or None (unknown)
    """

    country: str = attrs.field(converter=_to_country)
    operator: str | None = attrs.field(default=None, converter=_to_operator)
    card: Card = attrs.field(
        default=Card.PHYSICAL_SIM,
        converter=_enum_converter("card", Card, optional=False),  # type: ignore[misc]
    )
    billing: Billing | None = attrs.field(
        default=None,
        converter=_enum_converter("billing", Billing, optional=True),  # type: ignore[misc]
    )
    arrears: Money | None = attrs.field(default=None, converter=_money("arrears"))  # type: ignore[misc]
    balance: Money | None = attrs.field(default=None, converter=_money("balance"))  # type: ignore[misc]
    location: Location | None = attrs.field(
        default=None,
        converter=_enum_converter("location", Location, optional=True),  # type: ignore[misc]
    )
    device: Device | None = attrs.field(
        default=None,
        converter=_enum_converter("device", Device, optional=True),  # type: ignore[misc]
    )
    registered_owner: bool | None = attrs.field(
        default=None,
        converter=_optional_bool("registered_owner"),  # type: ignore[misc]
    )
    has_id_document: bool | None = attrs.field(
        default=None,
        converter=_optional_bool("has_id_document"),  # type: ignore[misc]
    )
    keep_number: bool = attrs.field(default=False, converter=_to_keep_number)
    linked_accounts: bool | None = attrs.field(
        default=None,
        converter=_optional_bool("linked_accounts"),  # type: ignore[misc]
    )
    autopay: bool | None = attrs.field(
        default=None,
        converter=_optional_bool("autopay"),  # type: ignore[misc]
    )
    other_esim_profiles: bool | None = attrs.field(
        default=None,
        converter=_optional_bool("other_esim_profiles"),  # type: ignore[misc]
    )
    #: The services tied to the number (ids from :data:`SERVICES`), or None
    #: when not known.  Named accounts settle ``linked_accounts``: some
    #: accounts mean True, an empty set means False, and a contradiction
    #: is refused.
    accounts: frozenset[str] | None = attrs.field(
        default=None,
        converter=_to_accounts,
    )

    #: The day the person leaves the country, or None when not known.
    leaving_on: dt.date | None = attrs.field(
        default=None,
        converter=_date("leaving_on"),  # type: ignore[misc]
    )
    #: The day the card, eSIM or travel eSIM was bought, or None.
    bought_on: dt.date | None = attrs.field(
        default=None,
        converter=_date("bought_on"),  # type: ignore[misc]
    )

    def __attrs_post_init__(self) -> None:
        if self.accounts is None:
            return
        linked = bool(self.accounts)
        if self.linked_accounts is None:
            object.__setattr__(self, "linked_accounts", linked)
        elif self.linked_accounts != linked:
            named = ", ".join(sorted(self.accounts))
            why = f"accounts names {named}" if named else "accounts is empty"
            raise InvalidSituationError(
                "linked_accounts",
                self.linked_accounts,
                f"{linked} or None (unknown), because {why}",
            )


#: Fields of a Situation besides its country (each has a CLI flag).
SITUATION_FIELDS: tuple[str, ...] = tuple(
    a.name for a in attrs.fields(Situation) if a.name != "country"
)
#: The Situation's dates: they set when steps are due (data windows), and
#: no condition tests them.
DATE_FIELDS: tuple[str, ...] = ("leaving_on", "bought_on")

__all__ = [
    "SERVICES",
    "Billing",
    "Card",
    "Device",
    "Location",
    "Money",
    "Situation",
]
