"""The ``simexit`` command line.

``simexit plan`` builds a Situation from flags (or from questions, with
``--interactive``), asks :func:`simexit.plan_for` for the plan and prints it
as text, Markdown or JSON.  The other commands list, show, validate, scaffold
and describe country data packages.

Exit status (docs/cli.md): 0 on success; 1 when ``validate`` finds problems or
the reader of standard output went away; 2 on bad input; 74 when a stream or
file cannot be used; 130 on Ctrl-C.  Every error is one line on standard
error saying what was wrong and what is allowed, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import importlib
import io
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NoReturn, TypeVar

from . import __version__, _cli_accounts
from ._situation import (
    _MAX_AMOUNT,
    SITUATION_FIELDS,
    Billing,
    Card,
    Device,
    Location,
    Money,
    Situation,
    _Named,
    parse_plain_decimal,
)
from .exceptions import DataPackageError, InvalidSituationError, Problem, SimexitError

PROG = "simexit"
FORMATS = ("text", "markdown", "json")

E = TypeVar("E", bound=_Named)


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


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit 2, never usage."""

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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``simexit`` command."""
    parser = _Parser(
        prog=PROG,
        description="Plans for ending a SIM card, eSIM, travel eSIM or e-visa "
        "cleanly, from sourced country data.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    plan = sub.add_parser(
        "plan",
        help="the plan for one situation",
        description="Print the ordered, explained plan for a situation. Every "
        "flag left out means 'unknown': the plan then adds a step to check it.",
    )
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
    plan.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="plan as of this day (default: today)",
    )
    _add_lang(plan)
    plan.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text for a phone screen (default), markdown or json",
    )
    plan.add_argument(
        "--interactive",
        action="store_true",
        help="ask the questions one at a time; flags given are not asked again",
    )
    plan.set_defaults(handler=_cmd_plan)

    countries = sub.add_parser("countries", help="the countries with data")
    _add_lang(countries)
    countries.set_defaults(handler=_cmd_countries)

    show = sub.add_parser("show", help="what the data of one country holds")
    show.add_argument("code", type=_country_code, metavar="CODE")
    _add_lang(show)
    show.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="operator status as of this day (default: today)",
    )
    show.set_defaults(handler=_cmd_show)

    validate = sub.add_parser(
        "validate",
        help="check country data package folders",
        description="Check data package folders; print every problem as "
        "file:line: key.path: message. Exit 1 if there are problems.",
    )
    validate.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a package folder (the one holding package.toml) "
        "or a project made by new-country",
    )
    validate.set_defaults(handler=_cmd_validate)

    new = sub.add_parser("new-country", help="scaffold an installable country package")
    new.add_argument("code", type=_country_code, metavar="CODE")
    new.add_argument(
        "--output",
        required=True,
        type=Path,
        metavar="DIR",
        help="folder to create (must not exist or be empty)",
    )
    new.set_defaults(handler=_cmd_new_country)

    schema = sub.add_parser("schema", help="print a JSON Schema")
    schema.add_argument(
        "which",
        choices=("data", "plan"),
        help="data: the data-package files; plan: plan JSON",
    )
    schema.set_defaults(handler=_cmd_schema)
    return parser


# -- commands --------------------------------------------------------------------


class StreamError(Exception):
    """Standard input or output cannot be used: exit 74 with this line."""


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's
    final flush of what is still buffered cannot fail again (the Python
    docs' advice for a broken pipe)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _out(text: str) -> None:
    """Write *text* to standard output now; a failure is a StreamError."""
    stream = sys.stdout
    if stream is None:  # started with standard output closed
        raise StreamError("standard output is closed")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        _silence_stdout()
        raise
    except OSError as e:
        _silence_stdout()
        raise StreamError(f"cannot write to standard output: {_os_reason(e)}") from None
    except ValueError:  # the file object was closed
        raise StreamError("standard output is closed") from None


def _err(text: str) -> None:
    """Write *text* to standard error if it can be; never raises."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(text)
        sys.stderr.flush()


def _os_reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _os_error_line(error: OSError) -> str:
    """``cannot use 'PATH': reason``, the path cut short if it is long."""
    from .exceptions import shown

    where = f" {shown(error.filename)}" if error.filename is not None else ""
    return f"cannot use{where}: {_os_reason(error)}"


def _locale(tag: str) -> str:
    from ._locales import negotiate

    return negotiate(tag)[0]


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
    from . import load_country

    return load_country(country).currency


#: Situation fields set directly from a flag (money needs a currency first).
_SITUATION_FLAGS = tuple(f for f in SITUATION_FIELDS if f not in ("arrears", "balance"))


def situation_from_args(args: argparse.Namespace) -> Situation:
    """The Situation the ``plan`` flags describe (``--country`` required)."""
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


def _cmd_plan(args: argparse.Namespace) -> int:
    from . import plan_for, to_json

    if args.interactive:
        # a closed stdin is the end of input; a closed stderr hears nothing
        inp = sys.stdin if sys.stdin is not None else io.StringIO()
        err = sys.stderr if sys.stderr is not None else io.StringIO()
        ask(args, _locale(args.lang), inp, err)
    situation = situation_from_args(args)
    plan = plan_for(situation, locale=args.lang, today=args.today)
    if args.format == "json":
        _out(to_json(plan) + "\n")
    elif args.format == "markdown":
        from ._render import render_markdown

        _out(render_markdown(plan))
    else:
        from ._render import render_text

        _out(render_text(plan))
    return 0


def _cmd_countries(args: argparse.Namespace) -> int:
    from ._format import country_name
    from ._loader import default_registry

    locale = _locale(args.lang)
    registry = default_registry()
    broken = registry.broken()
    for code in registry.countries():
        line = f"{code}  {country_name(code, locale)}"
        if code in broken:
            line += f"  [broken: {_broken_reason(broken[code])}]"
        _out(line + "\n")
    return 0


def _broken_reason(error: DataPackageError, limit: int = 200) -> str:
    """What is wrong with a country's provider, on one line of bounded length."""
    text = _one_line("; ".join(p.message for p in error.problems))
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _cmd_show(args: argparse.Namespace) -> int:
    from . import load_country
    from ._render import render_country

    country = load_country(args.code)
    today = args.today or dt.date.today()
    _out(render_country(country, _locale(args.lang), today))
    return 0


def _data_folders(path: Path) -> list[Path]:
    """The package folders *path* names: itself, or those of a project."""
    try:
        if path.joinpath("package.toml").is_file():
            return [path]
        found = sorted(p.parent for p in path.glob("src/*/package.toml"))
        found += sorted(p.parent for p in path.glob("*/package.toml"))
    except OSError as e:  # a name too long, a folder that cannot be read
        from .exceptions import shown

        raise UsageError(
            f"argument PATH: {shown(str(path))} cannot be used: {_os_reason(e)}"
        ) from None
    return found or [path]


def format_problem(problem: Problem, folder: Path) -> str:
    """*problem* as ``file:line: key.path: message``, the file under *folder*."""
    from ._loader import CORE

    if problem.package == CORE:
        from importlib_resources import files

        base = str(files("simexit").joinpath("data", CORE))
    else:
        base = str(folder)
    where = os.path.join(base, problem.file) if problem.file else base
    if problem.line is not None:
        where += f":{problem.line}"
    key = f" {problem.path}:" if problem.path else ""
    return f"{where}:{key} {_one_line(problem.message)}"


def _cmd_validate(args: argparse.Namespace) -> int:
    from ._loader import validate_paths

    lines: list[str] = []
    for arg in args.paths:
        for folder in _data_folders(Path(arg)):
            lines.extend(format_problem(p, folder) for p in validate_paths([folder]))
    if lines:
        _out("".join(line + "\n" for line in dict.fromkeys(lines)))
        return 1
    _out("OK\n")
    return 0


def _cmd_new_country(args: argparse.Namespace) -> int:
    from ._newcountry import create

    created = create(args.code, args.output)
    _out(created.report())
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    try:
        module = importlib.import_module("simexit._schema")
    except ModuleNotFoundError as e:
        if e.name != "simexit._schema":
            raise
        _err(f"{PROG}: error: JSON Schemas are not available in this version\n")
        return 1
    schema = getattr(module, f"{args.which}_schema")()
    _out(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return 0


# -- interactive questions -----------------------------------------------------

# Every prompt comes from the locale's catalogue, ``[ask]`` (see _locales);
# answers are understood in every locale's words, ``[answers]``.
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
}

_NOT_ASKED = object()
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
    from . import _locales, countries, load_country
    from ._format import country_name, currency_name

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
    country = load_country(args.country)
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
    err.write("\n")
    err.flush()


# -- main ------------------------------------------------------------------------


def _error_line(error: BaseException) -> str:
    if isinstance(error, DataPackageError) and error.problems:
        first = error.problems[0]
        more = len(error.problems) - 1
        tail = (
            f" (and {more} more; run 'simexit validate' on the package)" if more else ""
        )
        return f"broken data package: {_short_line(str(first))}{tail}"
    return _short_line(str(error))


def _utf8(stream: IO[str] | None, *, reading: bool = False) -> None:
    """Make *stream* UTF-8 if it was opened with a narrower encoding.

    Input is decoded with replacement characters, so bytes that are not
    UTF-8 are an unclear answer, not a crash.
    """
    if stream is None:
        return
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    with contextlib.suppress(ValueError, OSError):
        if reading:
            reconfigure(encoding="utf-8", errors="replace")
        elif encoding not in ("utf8", "utf8sig"):
            reconfigure(encoding="utf-8")


#: Exit statuses, documented in docs/cli.md.
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_IO, EXIT_INTERRUPTED = 0, 1, 2, 74, 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``).

    Never lets a traceback out: bad input is one line and exit 2, a stream
    or file that cannot be used is one line and exit 74, a reader that went
    away (broken pipe) ends quietly with exit 1, Ctrl-C exits 130.
    """
    try:
        return _main(argv)
    except KeyboardInterrupt:
        _err("\n")
        return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    _utf8(sys.stdout)
    _utf8(sys.stderr)
    _utf8(sys.stdin, reading=True)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help, --version or a usage error
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        return _flushed(code)
    handler = getattr(args, "handler", None)
    if handler is None:
        _err(
            f"{PROG}: error: a command is required: plan, countries, show, "
            "validate, new-country or schema (see 'simexit --help')\n"
        )
        return EXIT_USAGE
    return _run(handler, args)


def _flushed(code: int) -> int:
    """*code*, or EXIT_IO if what argparse printed cannot be written out."""
    if sys.stdout is None:  # argparse wrote to standard error instead
        return code
    try:
        _out("")
    except StreamError as e:
        _err(f"{PROG}: error: {e}\n")
        return EXIT_IO
    except BrokenPipeError:
        return EXIT_PROBLEMS
    return code


def _run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    where = f"{PROG} {args.command}: error:"
    try:
        return handler(args)
    except (UsageError, SimexitError) as e:
        _err(f"{where} {_error_line(e)}\n")
        return EXIT_USAGE
    except StreamError as e:
        _err(f"{where} {_short_line(str(e))}\n")
        return EXIT_IO
    except BrokenPipeError:  # the reader went away: stop quietly
        _silence_stdout()
        return EXIT_PROBLEMS
    except OSError as e:
        _err(f"{where} {_short_line(_os_error_line(e))}\n")
        return EXIT_IO


__all__ = [
    "FORMATS",
    "StreamError",
    "UsageError",
    "build_parser",
    "main",
    "situation_from_args",
]
