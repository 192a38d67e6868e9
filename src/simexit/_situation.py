"""The person's situation: what they hold and what we know about it.

``None`` always means *unknown*, never *no*.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs

from .exceptions import InvalidSituationError

_MAX_AMOUNT = Decimal(10) ** 9


class _Named(enum.Enum):
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
        if isinstance(value, str):
            member = by_name.get(value.strip().lower().replace("-", "_"))
            if member is not None:
                return member
        allowed = cls.allowed() + (" or None (unknown)" if optional else "")
        raise InvalidSituationError(field, value, allowed)

    return convert


def _optional_bool(field: str) -> Callable[[Any], bool | None]:
    def convert(value: Any) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        raise InvalidSituationError(field, value, "True, False or None (unknown)")

    return convert


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidSituationError(
            "amount", value, "a decimal number as str, int or Decimal"
        )
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError):
        raise InvalidSituationError(
            "amount", value, "a decimal number as str, int or Decimal"
        ) from None
    if not amount.is_finite():
        raise InvalidSituationError("amount", value, "a finite number")
    if amount < 0:
        raise InvalidSituationError("amount", value, "an amount of 0 or more")
    if amount > _MAX_AMOUNT:
        raise InvalidSituationError("amount", value, "an amount of at most 10^9")
    return amount


@functools.cache
def _currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


#: Valid ISO 4217 codes checked before loading CLDR's full list (~18 ms).
_COMMON_CURRENCIES = frozenset(
    {"AZN", "KZT", "USD", "EUR", "GBP", "CNY", "HKD", "TWD", "SGD", "RUB", "TRY"}
)


def _to_currency(value: Any) -> str:
    if isinstance(value, str):
        code = value.strip().upper()
        if code in _COMMON_CURRENCIES:
            return code
        if len(code) == 3 and code.isascii() and code in _currencies():
            return code
    raise InvalidSituationError(
        "currency", value, "a three-letter ISO 4217 code such as AZN, KZT or USD"
    )


@attrs.frozen
class Money:
    """An amount of money: a finite, non-negative Decimal and its currency."""

    amount: Decimal = attrs.field(converter=_to_decimal)
    currency: str = attrs.field(converter=_to_currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def _money(field: str) -> Callable[[Any], Money | None]:
    def convert(value: Any) -> Money | None:
        if value is None or isinstance(value, Money):
            return value
        raise InvalidSituationError(field, value, "a simexit.Money or None (unknown)")

    return convert


def _to_country(value: Any) -> str:
    if isinstance(value, str):
        code = value.strip().upper()
        if len(code) == 2 and code.isascii() and code.isalpha():
            return code
    raise InvalidSituationError(
        "country", value, "an ISO 3166-1 alpha-2 code such as 'AZ' or 'KZ'"
    )


def _to_operator(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value.strip().lower()
    raise InvalidSituationError(
        "operator", value, "an operator id such as 'azercell', or None (unknown)"
    )


def _to_keep_number(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise InvalidSituationError("keep_number", value, "True or False")


@attrs.frozen(kw_only=True)
class Situation:
    """What a person holds and what is known about it.

    Holds no personal data: no names, numbers or document details.
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


#: Fields of a Situation that a condition may test, with their value type.
SITUATION_FIELDS: tuple[str, ...] = tuple(
    a.name for a in attrs.fields(Situation) if a.name != "country"
)

__all__ = [
    "Billing",
    "Card",
    "Device",
    "Location",
    "Money",
    "Situation",
]
