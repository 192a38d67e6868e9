"""The Situation the ``plan`` command's flags describe."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._cli_args import UsageError
from ._situation import SITUATION_FIELDS, Money, Situation
from .exceptions import InvalidSituationError, SimexitError

if TYPE_CHECKING:
    from ._model import Country


def _money(field: str, amount: Decimal | None, currency: str) -> Money | None:
    """``--arrears``/``--balance`` in *currency*; too many decimals is bad input."""
    if amount is None:
        return None
    try:
        return Money(amount, currency)
    except InvalidSituationError as e:
        raise UsageError(
            f"argument --{field}: got {str(amount)!r}, expected {e.allowed}"
        ) from None


def _currency(args: argparse.Namespace, country: str) -> str:
    """``--currency`` checked, or the country's currency."""
    if args.currency is not None:
        try:
            return Money(0, args.currency.strip()).currency
        except SimexitError:
            raise UsageError(
                f"argument --currency: got {args.currency!r}, expected a "
                "three-letter ISO 4217 code such as AZN, KZT or USD"
            ) from None
    return country_of(country).currency


def country_of(code: str) -> Country:
    """The country the flags and questions are about: its package's data,
    else, for an ISO 3166-1 country without a package, the country built
    from the core data (travel eSIMs only; see ``simexit._anywhere``)."""
    from . import load_country
    from ._loader import default_registry

    registry = default_registry()
    key = code.strip().upper()
    if registry.provides(key):
        return load_country(code)
    return registry.bare(key)  # UnknownCountryError for a non-country


#: Situation fields set directly from a flag (money needs a currency first).
_SITUATION_FLAGS = tuple(f for f in SITUATION_FIELDS if f not in ("arrears", "balance"))


#: Every flag that describes the situation: its fields, and the currency.
_ALL_SITUATION_FLAGS = ("country", *SITUATION_FIELDS, "currency")


def situation_from_file(args: argparse.Namespace) -> Situation:
    """The Situation of ``--situation FILE`` (``-``: standard input).

    Combining it with a flag of the situation is a usage error: the file
    says everything, and a flag quietly winning or losing would hide one.
    """
    given = [d for d in _ALL_SITUATION_FLAGS if getattr(args, d, None) is not None]
    if given:
        raise UsageError(
            "argument --situation: cannot be combined with the flags of the "
            f"situation (given for: {', '.join(given)}); put them in the JSON"
        )
    if args.interactive:
        raise UsageError("argument --situation: cannot be combined with --interactive")
    from ._situation_json import MAX_SITUATION_BYTES, read_situation

    if args.situation == "-":
        stream = sys.stdin
        if stream is None:
            raise UsageError("argument --situation: standard input is closed")
        text: str | bytes = stream.read(MAX_SITUATION_BYTES + 1)
    else:
        with open(args.situation, "rb") as f:
            text = f.read(MAX_SITUATION_BYTES + 1)
    return read_situation(text)


def situation_from_args(args: argparse.Namespace) -> Situation:
    """The Situation the ``plan`` flags describe (``--country`` required),
    or the one in the ``--situation`` file."""
    if getattr(args, "situation", None) is not None:
        return situation_from_file(args)
    if args.country is None:
        raise UsageError(
            "the --country flag is required (a two-letter code such as AZ; "
            "see 'simexit countries'), or use --interactive"
        )
    fields: dict[str, Any] = {
        name: getattr(args, name)
        for name in _SITUATION_FLAGS
        if getattr(args, name) is not None
    }
    if args.arrears is not None or args.balance is not None or args.currency:
        currency = _currency(args, args.country)
        fields["arrears"] = _money("arrears", args.arrears, currency)
        fields["balance"] = _money("balance", args.balance, currency)
    return Situation(country=args.country, **fields)
