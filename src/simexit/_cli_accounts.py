"""The named accounts of ``simexit plan``: ``--accounts``, ``--no-accounts``
and the interactive question that asks which services are tied to the number.

Kept apart from :mod:`simexit.cli` so that the CLI module only wires it in.
"""

from __future__ import annotations

import argparse
import re
from typing import Any, Protocol

from ._situation import SERVICES

#: What separates the services of one answer or flag: commas (also Chinese
#: ones), the enumeration comma, semicolons and spaces.
_SEPARATORS = re.compile(r"[\s,，、;；]+")


#: Services shown by their brand in every language (the others are UI words).
_BRANDS = {"whatsapp": "WhatsApp", "telegram": "Telegram"}


class _Asks(Protocol):  # the part of cli._Asker used here
    def t(self, key: str, **values: str) -> str: ...
    def say(self, text: str, indent: str = "") -> None: ...
    def read(self) -> str | None: ...


def service_list(text: str) -> frozenset[str]:
    """``--accounts``: service ids separated by commas, such as
    ``whatsapp,telegram`` (case and spaces do not matter)."""
    names = [n for n in _SEPARATORS.split(text.strip().lower()) if n]
    wrong = [n for n in names if n not in SERVICES]
    if wrong or not names:
        raise argparse.ArgumentTypeError(
            f"got {text!r}, expected services separated by commas, from: "
            + ", ".join(SERVICES)
            + " (or --no-accounts for none)"
        )
    return frozenset(names)


def add_flags(parser: argparse.ArgumentParser) -> None:
    """``--accounts LIST`` and ``--no-accounts`` on the ``plan`` parser."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--accounts",
        type=service_list,
        metavar="LIST",
        help="services tied to the number, separated by commas: " + ", ".join(SERVICES),
    )
    group.add_argument(
        "--no-accounts",
        dest="accounts",
        action="store_const",
        const=frozenset(),
        help="no bank, app or site sends codes to the number",
    )


def settle(args: argparse.Namespace) -> None:
    """Named accounts answer the linked-accounts question before it is asked."""
    if args.accounts is not None and args.linked_accounts is None:
        args.linked_accounts = bool(args.accounts)


def ask_accounts(asker: _Asks, args: argparse.Namespace) -> None:
    """After a yes to linked accounts, ask which services they are.

    The answer lists numbers or names (``1, 3`` or ``whatsapp bank``);
    "I don't know" (or the end of input) leaves the accounts unknown.
    """
    if args.accounts is not None or args.linked_accounts is not True:
        return
    labels = [_BRANDS.get(s) or asker.t(f"accounts-{s}") for s in SERVICES]
    asker.say("")
    asker.say(asker.t("accounts"))
    for n, label in enumerate(labels, 1):
        asker.say(label, f"  {n}  ")
    asker.say(asker.t("dont-know"), "  ?  ")
    while True:
        answer = asker.read()
        if answer is None or answer in ("", "?", "？"):
            return
        found = _services_in(answer, labels)
        if found:
            args.accounts = found
            return
        asker.say(asker.t("again-accounts"))


def _services_in(answer: str, labels: list[str]) -> frozenset[str] | None:
    """The services an answer names, or None if any part names none."""
    by_word: dict[str, Any] = {}
    for n, (service, label) in enumerate(zip(SERVICES, labels, strict=True), 1):
        by_word.update({str(n): service, service: service, label.lower(): service})
    words = [w for w in _SEPARATORS.split(answer) if w]
    found = [by_word.get(w) for w in words]
    if not found or None in found:
        return None
    return frozenset(str(s) for s in found)
