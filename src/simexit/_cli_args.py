"""The arguments of the ``simexit`` command: the parser that never prints
usage, the type of every flag's value, and each command's flags.

Which command runs a parsed command line is decided in :mod:`simexit.cli`,
which adds each command's parser from here and sets its handler.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from . import _cli_accounts, _cli_done
from ._situation import (
    _MAX_AMOUNT,
    Billing,
    Card,
    Device,
    Location,
    _Named,
    parse_plain_decimal,
)

if TYPE_CHECKING:
    pass

PROG = "simexit"
FORMATS = ("text", "markdown", "json")
#: What ``simexit plan --format`` prints: the formats above an HTML page and calendar to-dos.
PLAN_FORMATS = (*FORMATS, "html", "ics")

E = TypeVar("E", bound=_Named)
#: What ``add_subparsers`` returns: where each command adds its parser.
Commands = Any


class UsageError(Exception):
    """Bad input on the command line: exit 2 with this one-line message."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


#: The longest word an error line shows whole (a 5000-character value is cut).
_WORD_MAX = 120


def _short_line(text: str) -> str:
    """*text* on one line, every overlong word (a pasted value) cut short."""
    return " ".join(
        w if len(w) <= _WORD_MAX else f"{w[: _WORD_MAX - 20]}…({len(w)} characters)"
        for w in text.split()
    )


def _columns() -> int:
    """``shutil.get_terminal_size().columns``, without importing shutil
    (with bz2, lzma and fnmatch), which argparse's help formatter does on
    every argument added."""
    import os
    import sys

    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    try:
        lines = int(os.environ["LINES"])
    except (KeyError, ValueError):
        lines = 0
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((80, 24))
        if columns <= 0:
            columns = size.columns or 80
    return columns


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, as wide as it would make itself."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit 2, never usage."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {_short_line(message)}\n")


# -- argument types ----------------------------------------------------------------


def _flag_spelling(value: str) -> str:
    return value.replace("_", "-")


def _enum_type(cls: type[E], *, unknown: bool = False) -> Callable[[str], E | None]:
    """An argparse type for *cls*: hyphens or underscores, any case."""
    by_name = {m.value: m for m in cls}
    allowed = [_flag_spelling(m.value) for m in cls] + (["unknown"] if unknown else [])

    def convert(text: str) -> E | None:
        key = text.strip().lower().replace("-", "_")
        if unknown and key == "unknown":
            return None
        member = by_name.get(key)
        if member is None:
            raise argparse.ArgumentTypeError(
                f"got {text!r}, expected one of: {', '.join(allowed)}"
            )
        return member

    convert.__name__ = cls.__name__.lower()
    return convert


def _yes_no(text: str) -> bool | None:
    key = text.strip().lower()
    if key in ("yes", "y", "true"):
        return True
    if key in ("no", "n", "false"):
        return False
    if key == "unknown":
        return None
    raise argparse.ArgumentTypeError(f"got {text!r}, expected yes, no or unknown")


def _amount(text: str) -> Decimal:
    """A plain decimal from 0 to 10^9, the same rule as :class:`Money`'s."""
    value = parse_plain_decimal(text.strip())
    if value is None or value < 0 or value > _MAX_AMOUNT:
        raise argparse.ArgumentTypeError(
            f"got {text!r}, expected an amount from 0 to 1000000000 "
            "written like 4.50 (a dot, no currency)"
        )
    return value


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(text: str) -> dt.date:
    try:
        if _DATE.match(text.strip()):
            return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(
        f"got {text!r}, expected a date written YYYY-MM-DD, such as 2026-11-23"
    )


def _country_code(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise argparse.ArgumentTypeError(
            f"got {text!r}, expected a two-letter ISO 3166-1 country code such as AZ"
        )
    return code


# -- the parser ------------------------------------------------------------------


def _locale_tags() -> tuple[str, ...]:
    from ._locales import tags

    return tags()


def _add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        default="en",
        metavar="TAG",
        help=f"language of the output: {', '.join(_locale_tags())}; other BCP 47 "
        "tags (a region, a script) are understood (default: en)",
    )


def add_plan_parser(sub: Commands) -> argparse.ArgumentParser:
    """The ``plan`` command's parser: the situation's flags, then the output's."""
    plan: argparse.ArgumentParser = sub.add_parser(
        "plan",
        help="the plan for one situation",
        description="Print the ordered, explained plan for a situation. Every "
        "flag left out means 'unknown': the plan then adds a step to check it.",
    )
    plan.add_argument(
        "--situation",
        metavar="FILE",
        help="read the situation from a JSON file ('-': standard input) as in "
        "'simexit schema situation', instead of the situation's flags",
    )
    _add_line_flags(plan)
    _add_money_flags(plan)
    _add_where_flags(plan)
    _add_holder_flags(plan)
    _add_date_flags(plan)
    plan.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="plan as of this day (default: today)",
    )
    _add_lang(plan)
    plan.add_argument(
        "--format",
        choices=PLAN_FORMATS,
        default="text",
        help="text for a phone screen (default), markdown, json, html "
        "(one printable page with a checklist) or ics (the steps that have a "
        "due day, as calendar to-dos)",
    )
    _cli_done.add_flag(plan)  # --done ID[,ID...]
    plan.add_argument(
        "--interactive",
        action="store_true",
        help="ask the questions one at a time (flags given are not asked "
        "again), then which steps are done",
    )
    return plan


def _add_date_flags(plan: argparse.ArgumentParser) -> None:
    """The days that make steps due (the data's windows count from them)."""
    plan.add_argument(
        "--leaving-on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the day you leave the country",
    )
    plan.add_argument(
        "--bought-on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the day you bought the card or travel eSIM",
    )


def _add_line_flags(plan: argparse.ArgumentParser) -> None:
    """Which line: the country, the operator, the card and its billing."""
    plan.add_argument(
        "--country",
        type=_country_code,
        metavar="CODE",
        help="ISO code of the country, e.g. AZ or KZ",
    )
    plan.add_argument(
        "--operator", metavar="ID", help="operator id, see 'simexit show CODE'"
    )
    plan.add_argument(
        "--card",
        type=_enum_type(Card),
        metavar="KIND",
        help="physical-sim (default), esim, travel-esim or tourist-card",
    )
    plan.add_argument(
        "--billing",
        type=_enum_type(Billing, unknown=True),
        metavar="KIND",
        help="prepaid or postpaid",
    )


def _add_money_flags(plan: argparse.ArgumentParser) -> None:
    """What is owed and what is left, and their currency."""
    plan.add_argument(
        "--arrears",
        type=_amount,
        metavar="AMOUNT",
        help="money owed to the operator (0 = nothing)",
    )
    plan.add_argument(
        "--balance",
        type=_amount,
        metavar="AMOUNT",
        help="credit left on the number (0 = none)",
    )
    plan.add_argument(
        "--currency",
        metavar="CUR",
        help="ISO 4217 currency of --arrears and --balance "
        "(default: the country's currency)",
    )


def _add_where_flags(plan: argparse.ArgumentParser) -> None:
    """Where the traveller is and where the phone is."""
    where = plan.add_mutually_exclusive_group()
    where.add_argument(
        "--abroad",
        dest="location",
        action="store_const",
        const=Location.ABROAD,
        help="you have left the country",
    )
    where.add_argument(
        "--in-country",
        dest="location",
        action="store_const",
        const=Location.IN_COUNTRY,
        help="you are still in the country",
    )
    plan.add_argument(
        "--device",
        type=_enum_type(Device, unknown=True),
        metavar="STATE",
        help="in-hand, lost or stolen",
    )


def _add_holder_flags(plan: argparse.ArgumentParser) -> None:
    """Who holds the number, and what hangs on it."""
    owner = plan.add_mutually_exclusive_group()
    owner.add_argument(
        "--owner",
        dest="registered_owner",
        action="store_const",
        const=True,
        help="the number is registered to you",
    )
    owner.add_argument(
        "--not-owner",
        dest="registered_owner",
        action="store_const",
        const=False,
        help="the number is registered to someone else",
    )
    has_id = plan.add_mutually_exclusive_group()
    has_id.add_argument(
        "--has-id",
        dest="has_id_document",
        action="store_const",
        const=True,
        help="you have the ID used at registration",
    )
    has_id.add_argument(
        "--no-id",
        dest="has_id_document",
        action="store_const",
        const=False,
        help="you no longer have that ID",
    )
    plan.add_argument(
        "--keep-number",
        action="store_const",
        const=True,
        help="move the number to another operator instead of ending it",
    )
    for flag, what in (
        ("--linked-accounts", "banks, messaging or logins send codes to the number"),
        ("--autopay", "a bank card is charged automatically"),
        ("--other-esim-profiles", "the phone holds other eSIMs"),
    ):
        plan.add_argument(flag, type=_yes_no, metavar="yes|no", help=what)
    _cli_accounts.add_flags(plan)  # --accounts LIST, --no-accounts
