"""``simexit plan --interactive``: the questions, one at a time.

Every prompt comes from the locale's catalogue, ``[ask]`` (see
:mod:`._locales`); answers are understood in every locale's words,
``[answers]``.  Questions go to standard error, so that the plan on standard
output stays clean.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import IO, TYPE_CHECKING, TypeVar

from . import _cli_accounts
from ._cli_args import E, UsageError, _amount, _date, _flag_spelling
from ._cli_situation import _currency, country_of
from ._cli_streams import StreamError, _os_reason
from ._situation import Billing, Card, Device, Location, Money
from .exceptions import InvalidSituationError

if TYPE_CHECKING:
    from ._model import Country

_DONT_KNOW_SIGNS = frozenset({"", "?", "？"})


@functools.cache
def _answers(kind: str) -> frozenset[str]:
    from ._locales import everywhere

    return everywhere("answers", kind)


_SIM = frozenset({Card.PHYSICAL_SIM, Card.ESIM})
_LINE = _SIM | {Card.TRAVEL_ESIM}
#: The questions worth asking about each kind of card.  A question that is
#: not asked stays unknown (None): the engine, not this table, decides what
#: an unknown means.
_RELEVANT: dict[str, frozenset[Card]] = {
    "device": _LINE,
    "billing": _SIM,
    "arrears": _SIM,
    "balance": _SIM,
    "registered_owner": _SIM,
    "has_id_document": _SIM,
    "keep_number": _SIM,
    "linked_accounts": _LINE,
    "autopay": _LINE,
    "other_esim_profiles": frozenset({Card.ESIM, Card.TRAVEL_ESIM}),
    "leaving_on": frozenset(Card),
    "bought_on": _LINE,
}

T = TypeVar("T")


class _Asker:
    """Asks questions on *err*, reads answers from *inp*, in one locale."""

    def __init__(self, locale: str, inp: IO[str], err: IO[str]) -> None:
        self.locale = locale
        self.inp = inp
        self.err = err

    def t(self, key: str, **values: str) -> str:
        from ._locales import word

        section, key = ("labels", key) if key in ("yes", "no") else ("ask", key)
        return word(self.locale, section, key).format(**values)

    def say(self, text: str, indent: str = "") -> None:
        from ._render import wrap

        lines = wrap(text, 72, indent, " " * len(indent))
        self.err.write("\n".join(lines) + "\n")
        self.err.flush()

    def read(self) -> str | None:
        self.err.write("> ")
        self.err.flush()
        try:
            line = self.inp.readline()
        except UnicodeDecodeError:  # a stream we could not make lenient
            return "\ufffd"  # an answer that matches nothing: asked again
        except OSError as e:
            raise StreamError(f"cannot read standard input: {_os_reason(e)}") from None
        if not line:
            self.err.write("\n")
            return None
        return " ".join(line.strip().lower().split())

    def choose(
        self,
        question: str,
        options: Sequence[tuple[T, str, Sequence[str]]],
        *,
        hint: str | None = None,
        flag: str = "",
    ) -> T | None:
        """One answer among *options* (value, label, other spellings).

        With a *hint* the question needs an answer: "I don't know" prints the
        hint and asks again, and the end of input is a usage error naming
        *flag*.
        """
        self.err.write("\n")
        self.say(question)
        for n, (_, text, _) in enumerate(options, 1):
            self.say(text, f"  {n}  ")
        self.say(self.t("dont-know"), "  ?  ")
        while True:
            answer = self.read()
            if answer is None:
                if hint is not None:
                    raise UsageError(
                        f"standard input ended before {flag} was answered; "
                        f"answer the question or give {flag}"
                    )
                return None
            if answer in _DONT_KNOW_SIGNS | _answers("dont-know"):
                if hint is None:
                    return None
                self.say(hint)
                continue
            for n, (value, text, spellings) in enumerate(options, 1):
                if answer in (str(n), text.lower(), *spellings):
                    return value
            self.say(self.t("again"))

    def yes_no(self, question: str) -> bool | None:
        return self.choose(
            question,
            [
                (True, self.t("yes"), tuple(sorted(_answers("yes")))),
                (False, self.t("no"), tuple(sorted(_answers("no")))),
            ],
        )

    def amount(self, question: str, currency: str) -> Decimal | None:
        """An amount in *currency* (a valid code), asked again until it is one."""
        self.err.write("\n")
        self.say(question)
        self.say(self.t("dont-know"), "  ?  ")
        while True:
            answer = self.read()
            if answer is None or answer in _DONT_KNOW_SIGNS | _answers("dont-know"):
                return None
            try:
                value = _amount(answer.replace("，", ",").replace("。", "."))
                return Money(value, currency).amount
            except (argparse.ArgumentTypeError, InvalidSituationError):
                self.say(self.t("again-amount"))

    def day(self, question: str) -> dt.date | None:
        """A day written YYYY-MM-DD, asked again until it is one."""
        self.err.write("\n")
        self.say(question)
        self.say(self.t("dont-know"), "  ?  ")
        while True:
            answer = self.read()
            if answer is None or answer in _DONT_KNOW_SIGNS | _answers("dont-know"):
                return None
            try:
                return _date(answer)
            except argparse.ArgumentTypeError:
                self.say(self.t("again-date"))


def _enum_options(
    asker: _Asker, prefix: str, members: Sequence[E]
) -> list[tuple[E, str, tuple[str, ...]]]:
    return [
        (m, asker.t(f"{prefix}-{m.value}"), (m.value, _flag_spelling(m.value)))
        for m in members
    ]


def ask(args: argparse.Namespace, locale: str, inp: IO[str], err: IO[str]) -> None:
    """Fill every ``plan`` flag left out of *args* from answers read on *inp*.

    Questions go to *err* so that the plan on standard output stays clean.
    "I don't know" is always an answer and leaves the field unknown; for
    the country and the card, which a plan cannot do without, it prints a
    hint and asks again.
    """
    from . import countries
    from ._format import country_name

    asker = _Asker(locale, inp, err)
    asker.say(asker.t("intro"))
    if args.country is None:
        codes = countries()
        args.country = asker.choose(
            asker.t("country"),
            [(c, country_name(c, locale), (c.lower(),)) for c in codes],
            hint=asker.t("country-help"),
            flag="--country",
        )
    country = country_of(args.country)
    name = country_name(country.code, locale)
    if args.card is None:
        cards = [c for c in Card if c in country.cards] or list(Card)
        args.card = asker.choose(
            asker.t("card"),
            _enum_options(asker, "card", cards),
            hint=asker.t("card-help"),
            flag="--card",
        )
    card: Card = args.card
    if args.operator is None:
        ops = [op for op in country.operators.values() if card in op.cards]
        if ops:
            args.operator = asker.choose(
                asker.t("operator"), [(op.id, op.name, (op.id,)) for op in ops]
            )
    if args.location is None:
        args.location = asker.choose(
            asker.t("location"),
            [
                (loc, asker.t(f"location-{loc.value}", country=name), (loc.value,))
                for loc in Location
            ],
        )
    _ask_details(asker, args, country, card)
    err.write("\n")
    err.flush()


def _ask_details(
    asker: _Asker, args: argparse.Namespace, country: Country, card: Card
) -> None:
    """The questions about the line worth asking for *card* (``_RELEVANT``)."""
    from . import _locales
    from ._format import currency_name

    locale = asker.locale

    def relevant(field: str) -> bool:
        return getattr(args, field) is None and card in _RELEVANT[field]

    if relevant("device"):
        args.device = asker.choose(
            asker.t("device"), _enum_options(asker, "device", list(Device))
        )
    if relevant("billing"):
        args.billing = asker.choose(
            asker.t("billing"), _enum_options(asker, "billing", list(Billing))
        )
    for field in ("arrears", "balance"):
        if relevant(field):
            code = _currency(args, country.code)
            currency = currency_name(code, locale)
            suffix = _locales.word(locale, "format", "currency-code")
            currency += suffix.format(code=code)
            question = asker.t(field, currency=currency)
            setattr(args, field, asker.amount(question, code))
    _cli_accounts.settle(args)  # named accounts answer linked_accounts
    for field in (
        "registered_owner",
        "has_id_document",
        "keep_number",
        "linked_accounts",
        "autopay",
        "other_esim_profiles",
    ):
        if relevant(field):
            setattr(args, field, asker.yes_no(asker.t(field)))
        if field == "linked_accounts" and card in _RELEVANT[field]:
            _cli_accounts.ask_accounts(asker, args)  # which services, after a yes
    for field in ("leaving_on", "bought_on"):
        if relevant(field):
            setattr(args, field, asker.day(asker.t(field)))
