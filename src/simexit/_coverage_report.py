"""The coverage report: what each country package holds, and how well backed.

``simexit show --coverage`` and the table in ``docs/coverage.md``.  Per
country: the package's own operators, its items by kind (channels,
preconditions, procedures, facts: official / all, placeholders apart), the
real official share (:mod:`simexit._coverage`: placeholders excluded), the
oldest ``verified_on`` of its items (placeholders excluded) and the
languages every one of its texts is written in.  Decides nothing about
plans; reads finished :class:`~simexit.model.Country` values only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from ._coverage import KINDS, Coverage, Tally, coverage, is_gap, items
from ._model import Text

if TYPE_CHECKING:
    from ._model import Country
    from ._registry import Registry

#: What a cell shows for nothing (no items, no date).
NOTHING = "\u2014"


@attrs.frozen(kw_only=True)
class CountryCoverage:
    """One country's line of the coverage report."""

    country: str
    #: The ids of the operators the package itself defines, sorted.
    operators: tuple[str, ...]
    coverage: Coverage
    #: The oldest verification date of the package's items (placeholders
    #: excluded); None when no item has one.
    oldest_verified: dt.date | None
    #: The locales every text of the package is written in, in the order of
    #: the UI catalogues (``en`` first).
    languages: tuple[str, ...]


def country_coverage(country: Country) -> CountryCoverage:
    """The coverage report of one country package."""
    dates = [
        item.verified_on
        for group in items(country).values()
        for item in group
        if not is_gap(item) and item.verified_on is not None
    ]
    return CountryCoverage(
        country=country.code,
        operators=tuple(sorted(country.package_operators)),
        coverage=coverage(country),
        oldest_verified=min(dates, default=None),
        languages=complete_languages(country),
    )


def report(registry: Registry) -> tuple[CountryCoverage, ...]:
    """The coverage of every country *registry* provides, by code.

    Raises:
        DataPackageError: a country's package does not load.
    """
    return tuple(country_coverage(registry.load(c)) for c in registry.countries())


def complete_languages(country: Country) -> tuple[str, ...]:
    """The supported locales every text the package defines is written in:
    its operators', its facts' and its claims' texts."""
    from ._locales import tags

    own = [
        op for op in country.operators.values() if op.id in country.package_operators
    ]
    texts = list(_texts([*own, *country.facts.values(), *country.claims.values()]))
    return tuple(t for t in tags() if all(text.has(t) for text in texts))


def _texts(values: Iterable[Any]) -> Iterator[Text]:
    """Every :class:`Text` inside *values* (attrs records, dicts, tuples)."""
    for value in values:
        if isinstance(value, Text):
            yield value
        elif attrs.has(type(value)):
            yield from _texts(getattr(value, a.name) for a in attrs.fields(type(value)))
        elif isinstance(value, dict):
            yield from _texts(value.values())
        elif isinstance(value, tuple):
            yield from _texts(value)


# -- output ----------------------------------------------------------------------


def to_data(rows: Iterable[CountryCoverage]) -> list[dict[str, Any]]:
    """The report as plain JSON values (a share rounded to 4 decimals)."""

    def tally(t: Tally) -> dict[str, int]:
        return {"items": t.items, "official": t.official, "placeholders": t.gaps}

    return [
        {
            "country": r.country,
            "operators": list(r.operators),
            "kinds": {k: tally(r.coverage.kinds[k]) for k in KINDS},
            "total": tally(r.coverage.total),
            "official_share": round(r.coverage.share, 4),
            "oldest_verified_on": (
                r.oldest_verified.isoformat() if r.oldest_verified else None
            ),
            "languages_complete": list(r.languages),
        }
        for r in rows
    ]


def render_json(rows: Iterable[CountryCoverage]) -> str:
    """The report as canonical JSON (sorted keys, UTF-8 text), one line."""
    return json.dumps(
        to_data(rows), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def _label(locale: str, key: str) -> str:
    from ._locales import word

    return word(locale, "coverage", key)


def _cell(t: Tally) -> str:
    return f"{t.official}/{t.items}" if t.items else NOTHING


def _cells(r: CountryCoverage, locale: str) -> list[str]:
    """One row's cells, in the order of :func:`_heads`."""
    from ._format import format_date, format_percent

    c = r.coverage
    return [
        r.country,
        ", ".join(r.operators) or NOTHING,
        *(_cell(c.kinds[k]) for k in KINDS),
        format_percent(c.share, locale) if c.total.items else NOTHING,
        str(c.total.gaps),
        format_date(r.oldest_verified, locale) if r.oldest_verified else NOTHING,
        ", ".join(r.languages),
    ]


def _heads(locale: str) -> list[str]:
    keys = ["country", "operators", *KINDS, "official-share", "placeholders"]
    return [_label(locale, k) for k in [*keys, "oldest", "languages"]]


def render_markdown(rows: Iterable[CountryCoverage], locale: str = "en") -> str:
    """The report as a Markdown table (the one ``docs/coverage.md`` holds)."""
    from ._render_markdown import md_escape

    heads = _heads(locale)
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += [
        "| " + " | ".join(md_escape(c) for c in _cells(r, locale)) + " |" for r in rows
    ]
    return "\n".join(lines) + "\n"


def render_text(rows: Iterable[CountryCoverage], locale: str = "en") -> str:
    """The report as plain text: one block per country, one fact a line."""
    from ._format import country_name
    from ._layout import _colon
    from ._wrap import clean, display_width, wrap

    title = _label(locale, "title")
    out = [title, "=" * display_width(title)]
    heads, colon = _heads(locale), _colon(locale)
    for r in rows:
        cells = _cells(r, locale)
        out += ["", f"{r.country}  {clean(country_name(r.country, locale))}"]
        for head, cell in zip(heads[1:], cells[1:], strict=True):
            out += wrap(clean(head + colon + cell), indent="  ", hang="    ")
    return "\n".join(out) + "\n"


#: The lines around the generated table in ``docs/coverage.md``.
BEGIN = "<!-- coverage table: generated by tools/update_coverage_docs.py -->"
END = "<!-- end of coverage table -->"


def bundled_report() -> tuple[CountryCoverage, ...]:
    """The coverage of the packages bundled with simexit (read from their
    TOML files, not from any installed package)."""
    from ._registry import Registry, _bundled

    root = _bundled()
    folders = sorted(
        str(e)
        for e in root.iterdir()
        if e.name != "core" and e.joinpath("package.toml").is_file()
    )
    return report(Registry.from_paths(*folders))


def update_page(text: str, rows: Iterable[CountryCoverage]) -> str:
    """*text* (a page holding :data:`BEGIN` and :data:`END`) with the
    Markdown table of *rows* between them."""
    head, found, rest = text.partition(BEGIN + "\n")
    _, tail_found, tail = rest.partition(END)
    if not found or not tail_found:
        raise ValueError(f"the page lacks the lines {BEGIN!r} and {END!r}")
    return head + BEGIN + "\n" + render_markdown(rows) + END + tail


__all__ = [
    "BEGIN",
    "END",
    "CountryCoverage",
    "bundled_report",
    "complete_languages",
    "country_coverage",
    "render_json",
    "render_markdown",
    "render_text",
    "report",
    "to_data",
    "update_page",
]
