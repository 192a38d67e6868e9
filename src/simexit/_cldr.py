"""The CLDR pieces simexit uses, taken from Babel when the wheel is built.

Importing Babel and loading its CLDR data costs a fresh process 40–50 ms,
most of a ``simexit plan``.  So the build hook (``hatch_build.py``) calls
:func:`extract`, which asks Babel, for the Babel locale of every bundled
catalogue, for the names of the territories, currencies and languages,
the patterns that join a list, the long date
pattern with its month names, the long day and month units with the
plural category of every count below :data:`COUNTS`, and what a currency
amount written with the currency's name needs (number symbols and grouping,
each currency's decimals, its plural names and the plural rules, parsed
into data that :func:`plural` evaluates), and stores them as
``simexit/_cldr.json``.  Every piece is checked against Babel there and
then, over every input the fast path will ever accept (every count, every
day of two whole years and a spread of years); a piece that does not come
out identical is left out, and Babel formats it.

The file is one JSON line naming its locales, then one line per locale.
At run time :func:`locale_pieces` reads the file once and parses the line
of a locale when that locale is first used, and only if the first line
names the Babel that is installed (its version and the sizes of the CLDR
files it reads, found without importing it); otherwise — another Babel, an
editable install or a source tree, which have no file — every call goes to
Babel, as does anything the file does not hold (another locale, an
unnamed code, a count of :data:`COUNTS` or more).  Nothing is ever written
at run time, and nothing in the file is executed.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import sys
from decimal import Decimal
from typing import Any

FORMAT = "simexit-cldr 2"
#: Where the extract lives, beside this module.
PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_cldr.json")
#: Counts of days or months the fast path formats; larger ones go to Babel.
COUNTS = 1000
#: The fields of a date pattern the fast path knows, by Babel's key.
_FIELD = re.compile(r"%\((\w+)\)s")
_KNOWN_FIELDS = {"y", "yyyy", "M", "MM", "MMMM", "LLLL", "d", "dd"}


# -- which Babel ------------------------------------------------------------------


def _babel_dir() -> str | None:
    """The folder ``import babel`` would load, found without importing it."""
    loaded = sys.modules.get("babel")
    if loaded is not None and getattr(loaded, "__file__", None):
        return os.path.dirname(os.path.abspath(str(loaded.__file__)))
    for entry in sys.path:
        folder = os.path.join(entry or os.curdir, "babel")
        if os.path.isfile(os.path.join(folder, "__init__.py")):
            return os.path.abspath(folder)
    return None


def fingerprint(babel_ids: list[str]) -> str | None:
    """Babel's version and the sizes of the CLDR files read for *babel_ids*."""
    folder = _babel_dir()
    if folder is None:
        return None
    try:
        with open(os.path.join(folder, "__init__.py"), encoding="utf-8") as f:
            found = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", f.read(), re.M)
        names = ["global.dat"] + [
            os.path.join("locale-data", f"{part}.dat")
            for part in sorted({p for b in babel_ids for p in _chain(b)})
        ]
        sizes = [str(os.stat(os.path.join(folder, n)).st_size) for n in names]
    except OSError:
        return None
    if found is None:
        return None
    return (
        found.group(1)
        + ":"
        + ",".join(f"{n}={s}" for n, s in zip(names, sizes, strict=True))
    )


def _chain(babel_id: str) -> list[str]:
    """The CLDR files a locale inherits from: ``xx_Yyyy`` → xx_Yyyy, xx, root."""
    parts = babel_id.split("_")
    return ["_".join(parts[:i]) for i in range(len(parts), 0, -1)] + ["root"]


# -- reading (run time) -------------------------------------------------------------


def _read_lines() -> dict[str, bytes]:
    """``{babel id: its line of the extract, unparsed}``, or ``{}`` if the
    file is absent, of another format, or made from another Babel than the
    one installed."""
    import json

    try:
        with open(PATH, "rb") as f:
            head_line, *lines = f.read().split(b"\n")
        head = json.loads(head_line)
    except (OSError, ValueError):
        return {}
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        return {}
    ids = head.get("locales")
    if not isinstance(ids, list) or head.get("babel") != fingerprint(ids):
        return {}
    if len(lines) != len(ids):
        return {}
    return dict(zip(ids, lines, strict=True))


#: The extract's lines, read once (each parsed only when its locale is used).
_lines = functools.cache(_read_lines)


def _parsed(line: bytes) -> dict[str, Any] | None:
    import json

    try:
        found = json.loads(line)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


@functools.cache
def locale_pieces(babel_id: str) -> dict[str, Any]:
    """Every piece of *babel_id* (``{}``: none, Babel formats everything)."""
    line = _lines().get(babel_id)
    found = None if line is None else _parsed(line)
    return {} if found is None else found


@functools.cache
def table() -> dict[str, Any]:
    """``{babel id: pieces}``: the whole extract, read afresh, or ``{}`` if
    it is absent, was made from another Babel or a line is damaged."""
    found = {babel_id: _parsed(line) for babel_id, line in _read_lines().items()}
    if any(pieces is None for pieces in found.values()):
        return {}
    return found


def pieces(babel_id: str, kind: str) -> Any:
    """The *kind* piece of *babel_id*, or ``None``."""
    return locale_pieces(babel_id).get(kind)


def long_date(day: dt.date, piece: dict[str, Any]) -> str:
    """*day* formatted by an extracted long date pattern."""
    months = piece["months"]
    values = {
        "y": str(day.year),
        "yyyy": f"{day.year:04d}",
        "M": str(day.month),
        "MM": f"{day.month:02d}",
        "MMMM": months[day.month - 1],
        "LLLL": piece["standalone"][day.month - 1],
        "d": str(day.day),
        "dd": f"{day.day:02d}",
    }
    return _FIELD.sub(lambda m: values[m.group(1)], piece["pattern"]).replace("%%", "%")


def join(items: list[str], patterns: dict[str, str]) -> str:
    """*items* joined by extracted list patterns, as Babel's ``format_list``."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) == 2 and "2" in patterns:
        return patterns["2"].format(*items)
    result = patterns["start"].format(items[0], items[1])
    for item in items[2:-1]:
        result = patterns["middle"].format(result, item)
    return patterns["end"].format(result, items[-1])


def _operands(amount: Decimal) -> dict[str, Any]:
    """The operands of CLDR's plural rules for *amount*, as Babel takes them
    (``babel.plural.extract_operands``, trailing zeros counted)."""
    n = abs(amount)
    _, digits, exp = n.as_tuple()
    trailing = (
        "".join(map(str, digits[exp:])) if isinstance(exp, int) and exp < 0 else ""
    )
    kept = trailing.rstrip("0")
    return {
        "n": n,
        "i": int(n),
        "v": len(trailing),
        "w": len(kept),
        "f": int(trailing or 0),
        "t": int(kept or 0),
    }


def _holds(relation: list[Any], operands: dict[str, Any]) -> bool:
    """One parsed relation (``[operand, mod, negated, method, ranges]``)."""
    name, mod, negated, method, ranges = relation
    value = operands[name]
    if mod is not None:
        value = value % mod  # no operand is negative: CLDR's modulo is %
    if method == "is":
        found = value == ranges[0][0]
    else:
        found = (method == "within" or value == int(value)) and any(
            lo <= value <= hi for lo, hi in ranges
        )
    return bool(found) is not bool(negated)


def plural(amount: Decimal, rules: list[Any]) -> str:
    """The plural category of *amount* by parsed rules, as Babel finds it."""
    operands = _operands(amount)
    for tag, alternatives in rules:
        if any(all(_holds(r, operands) for r in both) for both in alternatives):
            return str(tag)
    return "other"


def money(
    amount: Decimal, currency: str, piece: dict[str, Any], currencies: dict[str, str]
) -> str | None:
    """*amount* in *currency* with the currency's name, as Babel's
    ``format_currency(..., format_type="name")`` (*currencies*: the locale's
    currency names); ``None`` when Babel would
    have to round it (more decimals than the currency has)."""
    if amount.is_signed():
        return None
    digits = piece["digits"].get(currency, piece["digits"]["DEFAULT"])
    value = abs(amount).normalize()
    exp = value.as_tuple().exponent
    if not isinstance(exp, int) or exp < -digits:
        return None
    whole, _, frac = f"{value.quantize(Decimal(10) ** -digits):f}".partition(".")
    whole = "0" * (piece["int_min"] - len(whole)) + whole
    size, grouped = piece["grouping"][0], ""
    while len(whole) > size:
        grouped = piece["group"] + whole[-size:] + grouped
        whole = whole[:-size]
        size = piece["grouping"][1]
    number = whole + grouped
    if digits:
        number += piece["decimal"] + frac.ljust(digits, "0")
    form = plural(amount, piece["plural"])
    names = piece["names"].get(currency)
    if names is not None and (form in names or "other" in names):
        name = names.get(form, names.get("other"))
    else:
        name = currencies.get(currency, currency)
    patterns = piece["patterns"]
    return str(patterns.get(form, patterns["other"])).format(number, name)


def length(count: int, piece: dict[str, Any]) -> str | None:
    """*count* in an extracted unit, or ``None`` if it is not extracted."""
    if not 0 <= count < len(piece["plural"]):
        return None
    category = piece["categories"][int(piece["plural"][count])]
    return str(piece["patterns"][category]).format(str(count))


# -- extracting (build time) ----------------------------------------------------------


def _check_days() -> list[dt.date]:
    start = dt.date(2025, 1, 1)
    days = [start + dt.timedelta(days=i) for i in range(731)]
    years = [1, 9, 10, 99, 100, 999, 1000, 1999, 2000, 2099, 9999]
    return days + [dt.date(y, m, d) for y in years for m, d in ((1, 1), (12, 31))]


def _date_piece(babel_id: str) -> dict[str, Any] | None:
    from babel import Locale
    from babel.dates import format_date, parse_pattern

    loc = Locale.parse(babel_id)
    raw: Any = loc.date_formats["long"]
    pattern = str(parse_pattern(raw).format)
    if not set(_FIELD.findall(pattern)) <= _KNOWN_FIELDS:
        return None
    piece = {
        "pattern": pattern,
        "months": [loc.months["format"]["wide"][m] for m in range(1, 13)],
        "standalone": [loc.months["stand-alone"]["wide"][m] for m in range(1, 13)],
    }
    for day in _check_days():
        if long_date(day, piece) != format_date(day, format="long", locale=babel_id):
            return None
    return piece


def _unit_piece(babel_id: str, unit: str) -> dict[str, Any] | None:
    from babel import Locale
    from babel.units import format_unit

    loc = Locale.parse(babel_id)
    patterns = dict(loc._data["unit_patterns"][unit]["long"])
    categories = sorted(patterns)
    plural = []
    for n in range(COUNTS):
        form = loc.plural_form(n)
        if form not in patterns:
            form = "other"
        plural.append(str(categories.index(form)))
    piece = {"patterns": patterns, "categories": categories, "plural": "".join(plural)}
    for n in range(COUNTS):
        if length(n, piece) != format_unit(n, unit, length="long", locale=babel_id):
            return None
    return piece


def _list_piece(babel_id: str) -> dict[str, str] | None:
    from babel import Locale
    from babel.lists import format_list

    patterns = Locale.parse(babel_id).list_patterns.get("standard")
    if patterns is None:
        return None
    piece = {str(k): str(v) for k, v in patterns.items()}
    words = ["a", "{0}", "b c", "%s", "д", "e"]
    for n in range(len(words) + 1):
        if join(words[:n], piece) != format_list(words[:n], locale=babel_id):
            return None
    return piece


_RELATION = re.compile(
    r"([nivwft])(?: mod (\d+))?( not)? (in|within|is) (\d+(?:\.\.\d+)?(?:,\d+(?:\.\.\d+)?)*)"
)


def _parse_rules(rules: dict[str, str]) -> list[Any] | None:
    """Babel's rendering of a locale's plural rules as data for :func:`plural`,
    or ``None`` if a rule uses anything else."""
    parsed: list[Any] = []
    for tag, text in sorted(rules.items()):
        alternatives = []
        for either in text.split(" or "):
            both = []
            for relation in either.split(" and "):
                m = _RELATION.fullmatch(relation)
                if m is None or (m.group(4) == "is" and not m.group(5).isdigit()):
                    return None
                name, mod, negated, method, ranges = m.groups()
                bounds = [[int(b) for b in r.split("..")] for r in ranges.split(",")]
                both.append(
                    [
                        name,
                        None if mod is None else int(mod),
                        negated is not None,
                        method,
                        [b if len(b) == 2 else b * 2 for b in bounds],
                    ]
                )
            alternatives.append(both)
        parsed.append([tag, alternatives])
    return parsed


def _check_amounts() -> list[Decimal]:
    whole = [0, 1, 2, 3, 4, 5, 7, 10, 11, 12, 14, 15, 19, 20, 21, 22, 25, 100, 101]
    whole += [102, 111, 112, 999, 1000, 1001, 1234, 10000, 21000, 123456]
    whole += [1000000, 1234567, 999999999, 1000000000]
    found = [Decimal(w) for w in whole]
    for w in whole:
        found += [Decimal(f"{w}.{f}") for f in ("0", "1", "5", "00", "01", "10")]
        found += [Decimal(f"{w}.{f}") for f in ("21", "50", "000", "001", "125")]
    return [*found, Decimal("1E+3"), Decimal("0E-2"), Decimal("0.001"), Decimal("4.5")]


def _money_piece(babel_id: str) -> dict[str, Any] | None:
    from babel import Locale
    from babel.core import get_global
    from babel.numbers import (
        format_currency,
        get_decimal_symbol,
        get_group_symbol,
        parse_pattern,
    )

    loc = Locale.parse(babel_id)
    pattern = parse_pattern(loc.decimal_formats[None])
    rules = _parse_rules(dict(loc.plural_form.rules))
    symbols = get_decimal_symbol(loc) + get_group_symbol(loc)
    if (
        rules is None
        or pattern.prefix[0] != ""
        or pattern.suffix[0] != ""
        or pattern.scale != 0
        or pattern.exp_prec
        or "@" in pattern.pattern
        or "'" in symbols
        or "¤" in symbols
    ):
        return None
    fractions = get_global("currency_fractions")
    digits = {str(k): int(v[0]) for k, v in fractions.items()}
    piece: dict[str, Any] = {
        "decimal": get_decimal_symbol(loc),
        "group": get_group_symbol(loc),
        "grouping": list(pattern.grouping),
        "int_min": pattern.int_prec[0],
        "plural": rules,
        "patterns": dict(loc._data["currency_unit_patterns"]),
        "names": {
            str(k): dict(v) for k, v in loc._data["currency_names_plural"].items()
        },
        "digits": digits,
    }
    names = {str(k): str(v) for k, v in loc.currencies.items()}
    # every amount in a currency of each number of decimals, a few in all
    full = {"AZN", "KZT", "USD", "RUB", "CNY", "XYZ"} | {
        min(c for c, d in digits.items() if d == n) for n in set(digits.values())
    }
    few = [Decimal(a) for a in ("0", "1", "2", "5", "21", "1.5", "1234.56")]
    for currency in [*sorted(names), "XYZ"]:
        for amount in _check_amounts() if currency in full else few:
            expected = format_currency(
                amount, currency, locale=babel_id, format_type="name"
            )
            if money(amount, currency, piece, names) not in (None, expected):
                return None
    return piece


def extract(babel_ids: list[str]) -> bytes:
    """The extract for *babel_ids*, checked against the Babel that made it."""
    import json

    from babel import Locale

    out: dict[str, Any] = {}
    for babel_id in sorted(set(babel_ids)):
        loc = Locale.parse(babel_id)
        found: dict[str, Any] = {
            "territories": {str(k): str(v) for k, v in loc.territories.items()},
            "currencies": {str(k): str(v) for k, v in loc.currencies.items()},
            "languages": {str(k): str(v) for k, v in loc.languages.items()},
        }
        cash = _money_piece(babel_id)
        if cash is not None:
            found["money"] = cash
        joined = _list_piece(babel_id)
        if joined is not None:
            found["list"] = joined
        date = _date_piece(babel_id)
        if date is not None:
            found["date"] = date
        for unit in ("duration-day", "duration-month"):
            piece = _unit_piece(babel_id, unit)
            if piece is not None:
                found[unit] = piece
        out[babel_id] = found
    ids = sorted(out)
    head = {"format": FORMAT, "locales": ids, "babel": fingerprint(ids)}
    lines = [json.dumps(head, sort_keys=True)] + [
        json.dumps(out[i], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for i in ids
    ]
    return "\n".join(lines).encode()


__all__ = [
    "extract",
    "fingerprint",
    "join",
    "length",
    "long_date",
    "money",
    "pieces",
    "plural",
    "table",
]
